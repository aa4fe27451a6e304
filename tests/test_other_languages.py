"""docs/other-languages.md: each example runs (R, SQL on the SQLite export, DuckDB, Polars),
and the Stata and SQLite exports hold what the page says (labels, keys, the dictionary)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from r_support import r_environment, run_r
from release_server import ROOT, ReleaseServer

from csto_dataset import DATA_VERSION, TABLE_NAMES, load, panel
from csto_dataset.panels import panel_columns

PAGE = (ROOT / "docs" / "other-languages.md").read_text(encoding="utf-8")
INDEX = json.loads((ROOT / "csto_dataset" / "releases.json").read_text(encoding="utf-8"))
ROWS = next(r["rows"] for r in INDEX["releases"] if r["version"] == DATA_VERSION)
PANELS = {"panel_state_year": "state-year", "panel_dyad_year": "dyad-year"}


def block(section: str, language: str) -> str:
    """The one code block of `language` in the page's section headed `section`."""
    body = PAGE.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(rf"```{language}\n(.*?)```", body, re.DOTALL)
    return code


def export(fmt: str, folder: Path) -> Path:
    script = Path(sys.executable).with_name("csto-dataset")
    subprocess.run(
        [str(script), "export", "--format", fmt, str(folder)],
        check=True,
        capture_output=True,
        env={"CSTO_DATASET_OFFLINE": "1", "PATH": ""},
    )
    return folder


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = export("sqlite", tmp_path_factory.mktemp("export") / "csto-sqlite")
    return folder / f"csto-dataset-{DATA_VERSION}.sqlite"


@pytest.fixture(scope="module")
def stata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export("stata", tmp_path_factory.mktemp("export") / "csto-stata")


def test_the_sql_example_runs_on_the_sqlite_export(database: Path) -> None:
    first, second = (q for q in block("SQL", "sql").split(";") if q.strip())
    with sqlite3.connect(database) as connection:
        top = connection.execute(first).fetchall()
        frozen = connection.execute(second).fetchall()
    statements, states = load("statements"), load("states").set_index("id")["name"]
    counts = statements["speaker_state_id"].dropna().map(states).value_counts()
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]
    assert top == [(name, int(count)) for name, count in expected]
    assert [name for name, _ in frozen] == ["days_frozen_sure", "days_frozen_possible"]


def test_the_sqlite_export_declares_keys_and_carries_the_dictionary(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = dict(connection.execute("SELECT name, rows FROM _tables").fetchall())
        assert set(tables) == {*TABLE_NAMES, *PANELS}
        for table in TABLE_NAMES:
            assert tables[table] == ROWS[table], table
            (count,) = connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
            assert count == ROWS[table]
        described = connection.execute("SELECT table_name, column_name FROM _columns")
        columns = {(t, c) for t, c in described}
        for table in [*TABLE_NAMES, *PANELS]:
            info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
            assert {(table, row[1]) for row in info} <= columns, table
        keys = connection.execute('PRAGMA foreign_key_list("statements")').fetchall()
        assert {(k[2], k[3]) for k in keys} >= {("people", "speaker_person_id")}
        key = [row[1] for row in connection.execute('PRAGMA table_info("witnesses")') if row[5]]
        assert key  # a primary key is declared
        status = connection.execute(
            "SELECT status FROM memberships WHERE id = 'afg-observer-2013'"
        ).fetchone()
        assert status == ("observer",)
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "UPDATE memberships SET status = 'ally' WHERE id = 'afg-observer-2013'"
            )


def test_every_stata_file_reads_back_with_its_labels(stata: Path) -> None:
    descriptor = json.loads(
        (ROOT / "build" / "releases" / DATA_VERSION / "datapackage.json").read_text("utf-8")
    )
    for resource in descriptor["resources"]:
        table = resource["name"]
        path = stata / f"{table}.dta"
        with pd.io.stata.StataReader(path) as reader:
            labels = reader.variable_labels()
            frame = reader.read()
            value_labels = reader.value_labels()
        assert len(frame) == ROWS[table], table
        for field in resource["schema"]["fields"]:
            name = f"_{field['name']}" if field["name"] == "end" else field["name"]
            label = labels[name]
            assert label.rstrip("…") in f"end: {field['description']}" or field[
                "description"
            ].startswith(label.rstrip("…")), (table, name)
            if "enum" in field.get("constraints", {}):
                assert list(value_labels[name].values()) == field["constraints"]["enum"]
    memberships = pd.read_stata(stata / "memberships.dta")
    afghanistan = memberships[memberships["id"] == "afg-observer-2013"].iloc[0]
    assert afghanistan["start_earliest"] == pd.Timestamp("2013-01-01")
    assert pd.isna(afghanistan["end_earliest"])
    states = pd.read_stata(stata / "states.dta").set_index("id")
    assert states.loc["ARM", "iso_numeric"] == "051"


def test_the_stata_example_reads_variables_the_panel_file_has(stata: Path) -> None:
    code = block("Stata", "stata")
    (used,) = re.findall(r'use "csto-stata/(\w+)\.dta"', code)
    described = re.search(r"describe (.*)", code)
    assert described is not None
    frame = pd.read_stata(stata / f"{used}.dta")
    assert set(described.group(1).split()) | {"cow_code", "year"} <= set(frame.columns)
    expected = panel("state-year")
    assert len(frame) == len(expected)
    assert (frame["days_member_sure"].to_numpy() == expected["days_member_sure"].to_numpy()).all()
    with pd.io.stata.StataReader(stata / f"{used}.dta") as reader:
        labels = reader.variable_labels()
    columns = {c["name"]: c["description"] for c in panel_columns()["state-year"]["columns"]}
    assert labels["days_member_sure"] == columns["days_member_sure"]


def test_the_duckdb_example_runs_on_the_parquet_export(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    export("parquet", tmp_path / "csto-parquet")
    connection = duckdb.connect()
    import os

    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        rows = connection.execute(block("DuckDB", "sql")).fetchall()
    finally:
        os.chdir(here)
    statements, people = load("statements"), load("people").set_index("id")["name"]
    counts = statements["speaker_person_id"].dropna().map(people).value_counts()
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]
    assert rows == [(name, int(count)) for name, count in expected]


def test_the_polars_example_runs() -> None:
    pytest.importorskip("polars")
    result = subprocess.run(
        [sys.executable, "-c", block("Polars", "python")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "days_joint_sure" in result.stdout


def test_the_r_example_runs(r_library: Path, release_host: ReleaseServer, tmp_path: Path) -> None:
    environment = r_environment(
        r_library,
        CSTO_DATASET_URL=f"{release_host.origin}/plain/",
        CSTO_DATASET_CACHE=str(tmp_path / "cache"),
    )
    output = run_r(block("R", "r"), environment, timeout=300)
    armenia = panel("state-year")
    armenia = armenia[(armenia["state_id"] == "ARM") & (armenia["year"] == 2024)].iloc[0]
    assert re.search(
        rf"\b{armenia['days_member_sure']}\s+{armenia['days_frozen_sure']}\b", output
    ), output
    assert "suspended" in output and "@misc{csto_dataset_" in output
