"""Check a release folder for curators: every file its datapackage.json lists is there with the
size and sha256 the descriptor gives (and the package's release index, for a released version),
and every table loads, its CSV and Parquet files agreeing on columns and row count.

No frictionless: the build validated the values; this proves the files are those values.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, NamedTuple

from csto_dataset.errors import CstoDatasetError


class Report(NamedTuple):
    """What `validate_release` found: the version, files and tables checked, and problems."""

    version: str
    files: int
    tables: int
    problems: list[str]


def validate_release(folder: Path) -> Report:
    """Check the release in `folder`; a missing or unreadable descriptor raises."""
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_bytes())
        resources: list[dict[str, Any]] = descriptor["resources"]
        version = str(descriptor["version"])
    except FileNotFoundError:
        raise CstoDatasetError(
            f"{folder} holds no datapackage.json: not a release folder"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CstoDatasetError(f"{descriptor_path} is not a readable descriptor: {error}") from None
    problems: list[str] = []
    files = 0
    for resource in resources:
        listed = [resource, *([resource["parquet"]] if "parquet" in resource else [])]
        ok = True
        for entry in listed:
            files += 1
            problem = _file_problem(folder, entry)
            if problem:
                problems.append(problem)
                ok = False
        if ok:
            problems.extend(_table_problems(folder, resource))
    flagged = {problem.split(":", 1)[0] for problem in problems}
    problems.extend(
        p for p in _index_problems(folder, version) if p.split(":", 1)[0] not in flagged
    )
    return Report(version, files, len(resources), problems)


def _file_problem(folder: Path, entry: dict[str, Any]) -> str | None:
    name = str(entry["path"])
    path = folder / name
    if Path(name).name != name:
        return f"{name}: not a plain file name; a release lists files of its own folder only"
    if not path.is_file():
        return f"{name}: missing"
    data = path.read_bytes()
    if len(data) != entry.get("bytes"):
        return f"{name}: {len(data)} bytes, the descriptor says {entry.get('bytes')}"
    expected = str(entry.get("hash", "")).removeprefix("sha256:")
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        return f"{name}: sha256 {actual}, the descriptor says {expected}"
    return None


def _table_problems(folder: Path, resource: dict[str, Any]) -> list[str]:
    """The table loads from each of its files, with the descriptor's columns and one row count."""
    import csv

    fields = [field["name"] for field in resource["schema"]["fields"]]
    counts: dict[str, int] = {}
    problems: list[str] = []
    csv_name = str(resource["path"])
    try:
        with (folder / csv_name).open(encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader, [])
            counts[csv_name] = sum(1 for _ in reader)
        if header != fields:
            problems.append(f"{csv_name}: columns {header}, the schema says {fields}")
    except (UnicodeDecodeError, csv.Error) as error:
        problems.append(f"{csv_name}: does not load as UTF-8 CSV: {error}")
    if "parquet" in resource:
        import pyarrow.parquet as pq

        parquet_name = str(resource["parquet"]["path"])
        try:
            table = pq.ParquetFile(folder / parquet_name).read(use_threads=False)
            counts[parquet_name] = table.num_rows
            if table.column_names != fields:
                problems.append(
                    f"{parquet_name}: columns {table.column_names}, the schema says {fields}"
                )
        except Exception as error:  # pyarrow raises several kinds for a damaged file
            problems.append(f"{parquet_name}: does not load as Parquet: {error}")
    if len(set(counts.values())) > 1:
        problems.append(
            f"{resource['name']}: row counts differ: "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
    return problems


def _index_problems(folder: Path, version: str) -> list[str]:
    """For a released version, the files must be the released ones."""
    from csto_dataset._index import read_index

    entry = next((e for e in read_index() if e.version == version), None)
    if entry is None:
        return []  # a release being prepared: the index does not know it yet
    problems = []
    for file in entry.files:
        path = folder / file.name
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            problems.append(f"{file.name}: missing; released version {version} has it")
        elif (len(data), hashlib.sha256(data).hexdigest()) != (file.size, file.sha256):
            problems.append(
                f"{file.name}: differs from released version {version} "
                f"(the package's release index gives {file.size} bytes, sha256 {file.sha256})"
            )
    return problems
