"""The release files read by DuckDB and Polars from local disk give what load() gives.

Reading the same files from a release URL (DuckDB's httpfs, `pl.read_parquet(url)`) needs the
internet, so it is shown in the README, not tested here.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pytest

from csto_dataset import DATA_VERSION, TABLE_NAMES, TableName, load

RELEASE = Path(__file__).resolve().parent.parent / "build" / "releases" / DATA_VERSION
EMBEDDED = Path(str(resources.files("csto_dataset").joinpath("data")))
DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE"}
POLARS_TYPES = {"string": pl.String, "integer": pl.Int64, "boolean": pl.Boolean, "date": pl.Date}
FOLDERS = [
    pytest.param(
        RELEASE,
        id="release",
        marks=pytest.mark.skipif(
            not RELEASE.is_dir(), reason="build/releases is not in an installed wheel"
        ),
    ),
    pytest.param(EMBEDDED, id="embedded"),
]


def fields(folder: Path, table: TableName) -> list[dict[str, Any]]:
    """The Table Schema fields of `table`, from the release's datapackage.json."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    schema_fields: list[dict[str, Any]] = resource["schema"]["fields"]
    return schema_fields


def duckdb_table(sql: str) -> pa.Table:
    relation = duckdb.sql(sql)
    assert relation is not None
    read = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table  # duckdb < 1.4
    table: pa.Table = read()
    return table


def assert_same_table(got: pa.Table, expected: pa.Table) -> None:
    """Same column names, types and rows (nullability flags aside)."""
    assert got.schema.names == expected.schema.names
    assert got.schema.types == expected.schema.types
    assert got.cast(expected.schema).equals(expected)


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_duckdb_reads_the_parquet_file_as_load_does(folder: Path, table: TableName) -> None:
    got = duckdb_table(f"SELECT * FROM read_parquet('{folder / table}.parquet')")
    assert_same_table(got, load(table, backend="pyarrow"))


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_duckdb_reads_the_csv_file_with_the_schema_types_as_load_does(
    folder: Path, table: TableName
) -> None:
    columns = ", ".join(
        f"'{f['name']}': '{DUCKDB_TYPES[f['type']]}'" for f in fields(folder, table)
    )
    got = duckdb_table(
        f"SELECT * FROM read_csv('{folder / table}.csv', header = true, columns = {{{columns}}})"
    )
    assert_same_table(got, load(table, backend="pyarrow"))


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_polars_reads_the_parquet_file_as_load_does(folder: Path, table: TableName) -> None:
    got = pl.read_parquet(folder / f"{table}.parquet")
    assert got.schema == load(table, backend="polars").schema
    assert got.equals(load(table, backend="polars"))


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("table", TABLE_NAMES)
def test_polars_reads_the_csv_file_with_the_schema_types_as_load_does(
    folder: Path, table: TableName
) -> None:
    schema = {f["name"]: POLARS_TYPES[f["type"]] for f in fields(folder, table)}
    got = pl.read_csv(folder / f"{table}.csv", schema=schema)
    expected = load(table, backend="polars")
    assert got.schema == expected.schema
    assert got.equals(expected)


def test_the_csv_keeps_zero_padded_codes_as_text_when_read_with_the_schema_types() -> None:
    schema = {f["name"]: POLARS_TYPES[f["type"]] for f in fields(EMBEDDED, "states")}
    states = pl.read_csv(EMBEDDED / "states.csv", schema=schema)
    assert states.filter(pl.col("id") == "ARM")["iso_numeric"].to_list() == ["051"]
