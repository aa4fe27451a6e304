"""Released files never change: checked against the index, and rebuilds compared by content.

Bytes alone cannot be the test for a rebuild: every Parquet footer records the pyarrow version
that wrote it (`created_by`), and the descriptor records each Parquet file's hash. A rebuild
under another pyarrow therefore passes when it gives the same rows, values, schemas and
descriptor, and the committed files are left as they are.
"""

from __future__ import annotations

import filecmp
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from cstobuild import artifacts


class ImmutableReleaseError(Exception):
    """A released file differs from the index, or the records now give different content."""


def check_against_index(releases: Path, index_file: Path) -> None:
    """Every file of every indexed release is present, with the size and sha256 indexed."""
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    problems = []
    for entry in index["releases"]:
        folder = releases / entry["version"]
        if not folder.is_dir():
            problems.append(f"{folder}: released version {entry['version']} is missing")
            continue
        indexed = {f["name"]: f for f in entry["files"]}
        present = {p.name for p in folder.iterdir() if p.is_file()}
        for name in sorted(present - set(indexed)):
            problems.append(f"{folder / name}: not a file of released version {entry['version']}")
        for name, described in sorted(indexed.items()):
            path = folder / name
            if not path.is_file():
                problems.append(f"{path}: missing from released version {entry['version']}")
                continue
            found = artifacts.FileDigest.of(path)
            if (found.bytes, found.sha256) != (described["bytes"], described["sha256"]):
                problems.append(
                    f"{path}: changed since release (index: {described['bytes']} bytes, sha256 "
                    f"{described['sha256']}; found {found.bytes} bytes, sha256 {found.sha256})"
                )
    if problems:
        raise ImmutableReleaseError(
            "released files are immutable; restore them from git (`git checkout -- "
            "build/releases`):\n" + "\n".join(f"  {p}" for p in problems)
        )


def content_differences(released: Path, rebuilt: Path) -> list[str]:
    """Names of the files whose content differs between two release folders; writer-version
    bytes alone do not count. Files are compared as streams first, and only a pair that
    differs is read whole."""
    names = sorted(
        {p.name for folder in (released, rebuilt) for p in folder.iterdir() if p.is_file()}
    )
    return [
        name
        for name in names
        if not (released / name).is_file()
        or not (rebuilt / name).is_file()
        or (
            not filecmp.cmp(released / name, rebuilt / name, shallow=False)
            and _content(released / name) != _content(rebuilt / name)
        )
    ]


def _content(path: Path) -> Any:
    """What a release file holds, apart from the bytes its writer's version alone decides
    (compared as Arrow for Parquet: a table compares equal by its values)."""
    if path.suffix == ".parquet":
        table = pq.ParquetFile(path).read()
        return (table.schema.to_string(show_schema_metadata=True), table)
    data = path.read_bytes()
    if path.name == "datapackage.json":
        descriptor = json.loads(data)
        for resource in descriptor["resources"]:
            # the Parquet twin's bytes and hash follow its footer, which names the writer
            resource["parquet"] = {
                k: v for k, v in resource["parquet"].items() if k not in ("bytes", "hash")
            }
        return descriptor
    return data
