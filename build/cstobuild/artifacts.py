"""Turn validated records into table rows, CSV, Parquet and a Frictionless descriptor."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from enum import Enum
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from cstobuild.columns import Column, Table
from cstobuild.records import Curated
from cstobuild.release_info import ReleaseInfo

from csto_dataset.dates import parse_partial_date
from csto_dataset.models import Publisher, Record, Source

Row = dict[str, Any]

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


def table_rows(table: Table, curated: Curated) -> list[Row]:
    """The rows of one release table, sorted by primary key."""
    records = list(curated.records(table.model.table))
    if table.link_field is not None:
        owner, item = (c.name for c in table.columns)
        rows = [
            {owner: record.id, item: _plain(value)}  # type: ignore[attr-defined]
            for record in records
            for value in getattr(record, table.link_field)
        ]
    else:
        rows = [_main_row(table, record) for record in records]
    return sorted(rows, key=lambda row: tuple(str(row[key]) for key in table.primary_key))


def _main_row(table: Table, record: Record) -> Row:
    fields = type(record).model_fields
    row: Row = {}
    for column in table.columns:
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


def csv_bytes(table: Table, rows: list[Row]) -> bytes:
    """UTF-8 CSV with LF line ends and a header row; empty cells are missing values."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [c.name for c in table.columns]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in names])
    return buffer.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parquet_bytes(table: Table, rows: list[Row]) -> bytes:
    """Parquet written from the explicit schema; one chunk, so the bytes are reproducible."""
    arrow = pa.Table.from_pylist(rows, schema=arrow_schema(table)).combine_chunks()
    sink = io.BytesIO()
    pq.write_table(arrow, sink, compression="zstd", write_statistics=True)
    return sink.getvalue()


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


def resource(table: Table, csv_data: bytes | None, parquet_data: bytes | None) -> dict[str, Any]:
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
    if csv_data is not None and parquet_data is not None:
        res["bytes"] = len(csv_data)
        res["hash"] = f"sha256:{sha256(csv_data)}"
        parquet["bytes"] = len(parquet_data)
        parquet["hash"] = f"sha256:{sha256(parquet_data)}"
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
            for s in sorted(curated.records("sources"), key=lambda s: s.id)  # type: ignore[attr-defined]
            if isinstance(s, Source)
        ]
    descriptor["resources"] = resources
    return descriptor


def json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
