"""Check a release folder (or an export of one) for curators: every file its datapackage.json
lists is there with the size and sha256 the descriptor gives (and the package's release index,
for a released file), and every table loads from each of its files (CSV, Parquet or JSON),
with the schema's columns and one row count.

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


def validate_release(folder: Path, *, against_index: bool = True) -> Report:
    """Check the release in `folder`; a missing or unreadable descriptor raises.

    against_index: also compare the files of a released version with the package's index
    (the build, which checks a release before it is indexed, leaves that to its own rule).
    """
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
        ok = True
        for entry in _files_of(resource):
            files += 1
            problem = _file_problem(folder, entry)
            if problem:
                problems.append(problem)
                ok = False
        if ok:
            problems.extend(_table_problems(folder, resource))
    flagged = {problem.split(":", 1)[0] for problem in problems}
    listed = {str(entry["path"]) for resource in resources for entry in _files_of(resource)}
    if against_index:
        problems.extend(
            p for p in _index_problems(folder, version, listed) if p.split(":", 1)[0] not in flagged
        )
    return Report(version, files, len(resources), problems)


def _files_of(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """The file entries of a resource: itself, and its Parquet sidecar in a release."""
    return [resource, *([resource["parquet"]] if "parquet" in resource else [])]


def _file_problem(folder: Path, entry: dict[str, Any]) -> str | None:
    name = str(entry["path"])
    path = folder / name
    if Path(name).name != name:
        return f"{name}: not a plain file name; a release lists files of its own folder only"
    if not path.is_file():
        return f"{name}: missing"
    size = path.stat().st_size
    if size != entry.get("bytes"):
        return f"{name}: {size} bytes, the descriptor says {entry.get('bytes')}"
    expected = str(entry.get("hash", "")).removeprefix("sha256:")
    actual = _sha256(path)
    if actual != expected:
        return f"{name}: sha256 {actual}, the descriptor says {expected}"
    return None


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:  # streamed: a file is never held whole to be hashed
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _table_problems(folder: Path, resource: dict[str, Any]) -> list[str]:
    """The table loads from each of its files, with the descriptor's columns and one row count."""
    fields = [field["name"] for field in resource["schema"]["fields"]]
    counts: dict[str, int] = {}
    problems: list[str] = []
    for entry in _files_of(resource):
        name = str(entry["path"])
        kind = str(entry.get("format") or name.rpartition(".")[2])
        try:
            columns, counts[name] = _READERS[kind](folder / name)
        except KeyError:
            problems.append(f"{name}: format {kind!r} is not csv, parquet or json")
            continue
        except Exception as error:  # each library raises its own kinds for a damaged file
            problems.append(f"{name}: does not load as {kind}: {error}")
            continue
        if columns is not None and columns != fields:
            problems.append(f"{name}: columns {columns}, the schema says {fields}")
    if len(set(counts.values())) > 1:
        problems.append(
            f"{resource['name']}: row counts differ: "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
    return problems


def _csv(path: Path) -> tuple[list[str] | None, int]:
    import csv

    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        return header, sum(1 for _ in reader)


def _parquet(path: Path) -> tuple[list[str] | None, int]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:  # decoded a batch at a time, never held whole
        rows = sum(batch.num_rows for batch in parquet.iter_batches())
        return parquet.schema_arrow.names, rows


def _json(path: Path) -> tuple[list[str] | None, int]:
    rows = json.loads(path.read_bytes())
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError("not an array of objects")
    return (list(rows[0]) if rows else None), len(rows)


_READERS = {"csv": _csv, "parquet": _parquet, "json": _json}


def _index_problems(folder: Path, version: str, listed: set[str]) -> list[str]:
    """For a released version, the files the descriptor lists must be the released ones (an
    export of some of its files lists only those)."""
    from csto_dataset._index import read_index

    entry = next((e for e in read_index() if e.version == version), None)
    if entry is None:
        return []  # a release being prepared: the index does not know it yet
    data_files = {file.name for file in entry.files} - {"datapackage.json"}
    whole = data_files <= listed  # an export of some files has a descriptor of its own
    problems = []
    for file in entry.files:
        if file.name not in listed and not (whole and file.name == "datapackage.json"):
            continue
        path = folder / file.name
        if not path.is_file():
            problems.append(f"{file.name}: missing; released version {version} has it")
        elif (path.stat().st_size, _sha256(path)) != (file.size, file.sha256):
            problems.append(
                f"{file.name}: differs from released version {version} "
                f"(the package's release index gives {file.size} bytes, sha256 {file.sha256})"
            )
    return problems
