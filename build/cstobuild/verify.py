"""Check a built release: the package's own validation (`csto-dataset validate`: sizes, hashes,
columns and rows of every file), then what only the build checks: Frictionless, CSV and Parquet
holding the same values, and the primary and foreign keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


class VerificationError(Exception):
    """A built release failed a check."""


def verify_release(folder: Path) -> None:
    """Raise VerificationError listing every failed check of the release in `folder`."""
    from csto_dataset._validate import validate_release

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = descriptor["resources"]
    failures = validate_release(folder, against_index=False).problems
    if failures:  # a damaged file may not even parse: report the damage alone
        _fail(folder, failures)
    failures += _frictionless(folder)
    # One whole table in memory at a time; the id columns of all, for the foreign keys.
    ids = {
        r["name"]: pq.ParquetFile(folder / r["parquet"]["path"]).read(columns=["id"])["id"]
        for r in resources
        if any(f["name"] == "id" for f in r["schema"]["fields"])
    }
    for res in resources:
        table = pq.ParquetFile(folder / res["parquet"]["path"]).read()
        failures += _csv_matches_parquet(folder, res, table)
        failures += _keys(res, table, ids)
        del table
    if failures:
        _fail(folder, failures)


def _fail(folder: Path, failures: list[str]) -> None:
    lines = "\n".join(f"  {f}" for f in failures)
    raise VerificationError(f"release in {folder} failed {len(failures)} check(s):\n{lines}")


def _frictionless(folder: Path) -> list[str]:
    """Frictionless's checks of every CSV file against its Table Schema (types, formats,
    constraints, vocabularies), without the keys: `_keys` checks those on the Parquet twins,
    which `_csv_matches_parquet` proves hold the same values, in a fraction of the time
    (Frictionless reads every referenced table again for each foreign key). CI also runs
    `frictionless validate` on the whole descriptor, keys included."""
    # Imported here: frictionless is build tooling and slow to import.
    from frictionless import Package

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource["schema"].pop("primaryKey", None)
        resource["schema"].pop("foreignKeys", None)
    report = Package(descriptor, basepath=str(folder)).validate()
    return [
        f"frictionless: {task.name}: {error.message}"
        for task in report.tasks
        for error in task.errors
    ] + [f"frictionless: {error.message}" for error in report.errors]


def _csv_matches_parquet(folder: Path, res: dict[str, Any], parquet: pa.Table) -> list[str]:
    options = pacsv.ConvertOptions(
        column_types=parquet.schema,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
        true_values=["true"],
        false_values=["false"],
    )
    from_csv = pacsv.read_csv(folder / res["path"], convert_options=options)
    if from_csv.cast(parquet.schema).equals(parquet):
        return []
    return [f"{res['path']} and {res['parquet']['path']} hold different values"]


def _keys(res: dict[str, Any], table: pa.Table, ids: dict[str, pa.ChunkedArray]) -> list[str]:
    """Primary and foreign keys, checked on the Parquet twins (Frictionless checks the CSV)."""
    schema = res["schema"]
    failures = []
    key = schema["primaryKey"]
    if table.group_by(key).aggregate([]).num_rows != table.num_rows:
        failures.append(f"{res['parquet']['path']}: primary key {key} is not unique")
    for foreign in schema.get("foreignKeys", []):
        (column,) = foreign["fields"]
        target = foreign["reference"].get("resource", res["name"])
        values = pc.drop_null(table.column(column))
        allowed = ids[target]
        missing = pc.filter(values, pc.invert(pc.is_in(values, value_set=allowed)))
        if len(missing):
            failures.append(
                f"{res['parquet']['path']}: {column} values not in {target}.id: "
                f"{sorted(set(missing.to_pylist()))}"
            )
    return failures
