"""Check a built release: the package's own validation (`csto-dataset validate`: sizes, hashes,
columns and rows of every file), then what only the build checks: Frictionless, CSV and Parquet
holding the same values, and the primary and foreign keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    # No whole table in memory: the id columns of all, for the foreign keys, and a table's
    # values a batch at a time.
    ids = {
        r["name"]: pq.ParquetFile(folder / r["parquet"]["path"]).read(columns=["id"])["id"]
        for r in resources
        if any(f["name"] == "id" for f in r["schema"]["fields"])
    }
    for res in resources:
        failures += _csv_matches_parquet(folder, res)
        failures += _keys(folder, res, ids)
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


BATCH_ROWS = 65_536
"""Parquet rows decoded at a time to compare with the CSV file."""


def _csv_matches_parquet(folder: Path, res: dict[str, Any]) -> list[str]:
    """The CSV file and its Parquet twin hold the same values, compared a batch at a time."""
    parquet = pq.ParquetFile(folder / res["parquet"]["path"])
    schema = parquet.schema_arrow
    options = pacsv.ConvertOptions(
        column_types=schema,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
        true_values=["true"],
        false_values=["false"],
    )
    different = [f"{res['path']} and {res['parquet']['path']} hold different values"]
    twin = _Batches(parquet.iter_batches(batch_size=BATCH_ROWS), schema)
    with pacsv.open_csv(folder / res["path"], convert_options=options) as from_csv:
        for batch in from_csv:
            rows = pa.Table.from_batches([batch]).cast(schema)
            if not rows.equals(twin.take(rows.num_rows)):
                return different
    return different if twin.take(1).num_rows else []


class _Batches:
    """The rows of a stream of record batches, taken a given number at a time."""

    def __init__(self, batches: Iterator[pa.RecordBatch], schema: pa.Schema) -> None:
        self._batches = batches
        self._held = pa.Table.from_batches([], schema)

    def take(self, count: int) -> pa.Table:
        """The next `count` rows (fewer at the end of the stream)."""
        parts = [self._held]
        held = self._held.num_rows
        while held < count:
            batch = next(self._batches, None)
            if batch is None:
                break
            parts.append(pa.Table.from_batches([batch]))
            held += batch.num_rows
        rows = pa.concat_tables(parts)
        self._held = rows.slice(count)
        return rows.slice(0, count)


def _keys(folder: Path, res: dict[str, Any], ids: dict[str, pa.ChunkedArray]) -> list[str]:
    """Primary and foreign keys, checked on the Parquet twins (the build's Frictionless pass
    leaves them out; CI's `frictionless validate` checks them on the CSV too), reading only the
    key columns."""
    schema = res["schema"]
    failures = []
    key = schema["primaryKey"]
    columns = [*key, *(f["fields"][0] for f in schema.get("foreignKeys", []))]
    table = pq.ParquetFile(folder / res["parquet"]["path"]).read(
        columns=list(dict.fromkeys(columns))
    )
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
