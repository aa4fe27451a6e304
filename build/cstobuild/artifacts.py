"""Turn validated records into table rows, CSV, Parquet and a Frictionless descriptor."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from cstobuild.columns import Column, Table
from cstobuild.derived import Derivations
from cstobuild.records import Curated
from cstobuild.release_info import ReleaseInfo

from csto_dataset._render import plain
from csto_dataset.dates import parse_partial_date
from csto_dataset.models import Publisher, Record, Source

Row = dict[str, Any]
Columns = dict[str, list[Any]]

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


CHUNK_ROWS = 65_536
"""Rows turned into values at a time while writing: a table of a million rows never exists as
Python lists at once. A table this long or shorter is one Parquet row group."""


def write_table(table: Table, curated: Curated, folder: Path) -> tuple[FileDigest, FileDigest]:
    """Write a release table, rows sorted by primary key, a chunk of rows at a time: UTF-8 CSV
    with LF line ends and a header row (an empty cell is a missing value), and Parquet from the
    explicit schema. Return the two files' digests."""
    rows = _Rows(table, Derivations.of(curated))
    order = rows.order()
    names = [c.name for c in table.columns]
    schema = arrow_schema(table)
    csv_path, parquet_path = folder / f"{table.name}.csv", folder / f"{table.name}.parquet"
    with (
        csv_path.open("w", encoding="utf-8", newline="") as handle,
        pq.ParquetWriter(parquet_path, schema, compression="zstd", write_statistics=True) as out,
    ):
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for start in range(0, max(len(order), 1), CHUNK_ROWS):  # an empty table: one empty chunk
            columns = rows.columns(order[start : start + CHUNK_ROWS])
            cells = [columns[name] for name in names]
            writer.writerows([plain(column[i]) for column in cells] for i in range(len(cells[0])))
            out.write_table(pa.Table.from_pydict(columns, schema=schema))
    return FileDigest.of(csv_path), FileDigest.of(parquet_path)


class _Rows:
    """The rows of one release table, made from its records a chunk at a time.

    Column values share their objects with the records (a row dict per record would hold a
    million records' worth of keys and values a second time).
    """

    def __init__(self, table: Table, derivations: Derivations) -> None:
        self.table = table
        self.derivations = derivations
        self.records = derivations.records(table.model.table)
        self.links: Columns = {}
        if table.link_field is not None:
            owner, item = (c.name for c in table.columns)
            self.links = {owner: [], item: []}
            for record in self.records:
                for value in getattr(record, table.link_field):
                    self.links[owner].append(record.id)
                    self.links[item].append(_plain(value))

    def order(self) -> list[int]:
        """Row numbers in primary-key order (keys compared as text, as in every release)."""
        keys = {
            name: pa.array(self._key_texts(name), pa.string()) for name in self.table.primary_key
        }
        if not len(next(iter(keys.values()))):
            return []
        sort_keys = [(name, "ascending") for name in keys]
        indices = pc.sort_indices(pa.table(keys), sort_keys=sort_keys)
        order: list[int] = indices.to_pylist()
        return order

    def _key_texts(self, name: str) -> list[str]:
        if self.links:
            return [str(value) for value in self.links[name]]
        return [str(_plain(getattr(record, name))) for record in self.records]

    def columns(self, rows: list[int]) -> Columns:
        """The columns of the rows numbered `rows`, in that order."""
        if self.links:
            return {name: [values[i] for i in rows] for name, values in self.links.items()}
        columns: Columns = {c.name: [] for c in self.table.columns}
        derived = self.table.derived_names
        for i in rows:
            record = self.records[i]
            for name, value in _main_row(self.table, record).items():
                columns[name].append(value)
            if derived:
                for name, value in self.derivations.values(record).items():
                    columns[name].append(value)
        return columns


def _main_row(table: Table, record: Record) -> Row:
    fields = type(record).model_fields
    row: Row = {}
    for column in table.columns:
        if column.name in table.derived_names:
            continue
        if column.name in fields:
            value = _plain(getattr(record, column.name))
            if column.type == "date" and value is not None:
                value = dt.date.fromisoformat(value)
            row[column.name] = value
            continue
        # a column derived from a partial date: <field>_precision, _earliest or _latest
        base, _, part = column.name.rpartition("_")
        partial = getattr(record, base)
        if partial is None:
            row[column.name] = None
            continue
        precision, earliest, latest = parse_partial_date(partial)
        row[column.name] = {"precision": precision.value, "earliest": earliest, "latest": latest}[
            part
        ]
    return row


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def arrow_schema(table: Table) -> pa.Schema:
    """The explicit Arrow schema of a table, with each column's description as metadata."""
    return pa.schema(
        [
            pa.field(
                c.name,
                _ARROW_TYPES[c.type],
                nullable=not c.required,
                metadata={"description": c.description},
            )
            for c in table.columns
        ],
        metadata={"name": table.name, "description": table.description},
    )


@dataclass(frozen=True)
class FileDigest:
    """A file's size and sha256, read in blocks (a release file may be larger than memory)."""

    bytes: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileDigest:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        return cls(path.stat().st_size, digest)


def table_schema(table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema (v2) of a release table."""
    schema: dict[str, Any] = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "fields": [_field(c) for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    foreign_keys = []
    for column, target in table.foreign_keys:
        reference: dict[str, Any] = {"fields": ["id"]}
        if target != table.name:
            reference = {"resource": target, "fields": ["id"]}
        foreign_keys.append({"fields": [column], "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    constraints: dict[str, Any] = {"required": column.required}
    if column.enum is not None:
        constraints["enum"] = list(column.enum)
        field["categories"] = list(column.enum)
    if column.pattern is not None:
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    field["constraints"] = constraints
    return field


def resource(
    table: Table, csv_file: FileDigest | None, parquet_file: FileDigest | None
) -> dict[str, Any]:
    """A table's resource: the CSV file, validated by Frictionless, and its Parquet twin.

    Frictionless reads Parquet through pandas (nullable integers become NaN) and cannot count
    its bytes, so the Parquet file is described in the resource's `parquet` property and
    checked by this build instead. Without data (the schema template) bytes and hashes are
    left out.
    """
    res: dict[str, Any] = {
        "name": table.name,
        "type": "table",
        "title": table.title,
        "description": table.description,
        "path": f"{table.name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    parquet: dict[str, Any] = {
        "path": f"{table.name}.parquet",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
    }
    if csv_file is not None and parquet_file is not None:
        res["bytes"] = csv_file.bytes
        res["hash"] = f"sha256:{csv_file.sha256}"
        parquet["bytes"] = parquet_file.bytes
        parquet["hash"] = f"sha256:{parquet_file.sha256}"
    res["parquet"] = parquet
    res["schema"] = table_schema(table)
    return res


def package_descriptor(
    info: ReleaseInfo,
    resources: list[dict[str, Any]],
    curated: Curated | None,
) -> dict[str, Any]:
    """The datapackage.json of a release (or, without records, the committed template)."""
    descriptor: dict[str, Any] = {
        "$schema": DATA_PACKAGE_PROFILE,
        "name": info.name,
        "title": info.title,
        "description": info.description,
        "homepage": info.homepage,
        "keywords": list(info.keywords),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International",
            }
        ],
        "contributors": [{"title": info.author, "roles": ["creator"]}],
    }
    if curated is not None:
        descriptor["version"] = info.version
        descriptor["created"] = info.created
        descriptor["citation"] = info.citation()
        publishers = {
            p.id: p.name for p in curated.records("publishers") if isinstance(p, Publisher)
        }
        descriptor["sources"] = [
            {
                "title": (
                    f"{s.title or s.description or s.url} "
                    f"({publishers.get(s.publisher_id, s.publisher_id)})"
                ),
                "path": s.url,
            }
            for s in sorted(curated.records("sources"), key=lambda s: s.id)
            if isinstance(s, Source)
        ]
    descriptor["resources"] = resources
    return descriptor


def json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
