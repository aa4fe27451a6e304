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


def table_columns(table: Table, curated: Curated) -> Columns:
    """The columns of one release table, rows sorted by primary key.

    Column lists share their values with the records (a row dict per record would hold a
    million records' worth of keys and values a second time).
    """
    names = [c.name for c in table.columns]
    derivations = Derivations.of(curated)
    records = derivations.records(table.model.table)
    if table.link_field is not None:
        owner, item = names
        columns: Columns = {owner: [], item: []}
        for record in records:
            for value in getattr(record, table.link_field):
                columns[owner].append(record.id)
                columns[item].append(_plain(value))
    else:
        columns = {name: [] for name in names}
        derived = table.derived_names
        for record in records:
            for name, value in _main_row(table, record).items():
                columns[name].append(value)
            if derived:
                for name, value in derivations.values(record).items():
                    columns[name].append(value)
    keys = [columns[name] for name in table.primary_key]
    order = sorted(range(len(keys[0])), key=lambda i: tuple(str(key[i]) for key in keys))
    return {name: [values[i] for i in order] for name, values in columns.items()}


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


def write_csv(table: Table, columns: Columns, path: Path) -> FileDigest:
    """UTF-8 CSV with LF line ends and a header row; empty cells are missing values."""
    names = [c.name for c in table.columns]
    cells = [columns[name] for name in names]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for i in range(len(cells[0])):
            writer.writerow([plain(column[i]) for column in cells])
    return FileDigest.of(path)


def write_parquet(table: Table, columns: Columns, path: Path) -> FileDigest:
    """Parquet written from the explicit schema; one chunk, so the bytes are reproducible."""
    arrow = pa.Table.from_pydict(columns, schema=arrow_schema(table)).combine_chunks()
    pq.write_table(arrow, path, compression="zstd", write_statistics=True)
    return FileDigest.of(path)


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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
                "title": f"{s.title or s.url} ({publishers.get(s.publisher_id, s.publisher_id)})",
                "path": s.url,
            }
            for s in sorted(curated.records("sources"), key=lambda s: s.id)
            if isinstance(s, Source)
        ]
    descriptor["resources"] = resources
    return descriptor


def json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
