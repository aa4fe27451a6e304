"""load(): one table or all, three backends, stable types, a light import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import csto_dataset
from csto_dataset import DATA_VERSION, TABLE_NAMES, CstoDatasetError, load
from csto_dataset.errors import MissingDependencyError


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_load_without_a_table_returns_every_table_with_version_and_citation() -> None:
    release = load()
    assert tuple(release) == TABLE_NAMES
    assert release.version == DATA_VERSION
    assert f"Data release {DATA_VERSION}" in release.citation
    assert all(isinstance(frame, pd.DataFrame) for frame in release.values())
    assert len(release["statements"]) >= 100


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_backend_gives_the_same_rows(table: str) -> None:
    arrow = load(table, backend="pyarrow")
    assert isinstance(arrow, pa.Table)
    assert pa.Table.from_pandas(load(table), preserve_index=False).cast(arrow.schema).equals(arrow)
    polars = load(table, backend="polars")
    assert isinstance(polars, pl.DataFrame)
    assert polars.to_arrow().cast(arrow.schema).equals(arrow)


def test_pandas_dtypes_are_stable() -> None:
    events = load("events")
    assert events["id"].dtype == pd.StringDtype("pyarrow")
    assert events["personnel"].dtype == pd.Int64Dtype()
    assert events["date_inferred"].dtype == pd.BooleanDtype()
    assert events["date_earliest"].dtype == pd.ArrowDtype(pa.date32())
    states = load("states")
    assert states.set_index("id").loc["ARM", "iso_numeric"] == "051"


def test_an_unknown_table_lists_the_valid_names() -> None:
    with pytest.raises(
        CstoDatasetError,
        match="unknown table 'statement'; valid tables: publishers, publisher_aliases, sources",
    ):
        load("statement")  # type: ignore[call-overload]
    with pytest.raises(KeyError):
        load()["nope"]


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(CstoDatasetError, match="expected one of pandas, pyarrow, polars"):
        load("states", backend="spark")  # type: ignore[call-overload]


def test_importing_the_package_loads_no_heavy_module() -> None:
    loaded = run_python(
        "import sys, csto_dataset; "
        "print(' '.join(m for m in ('pandas', 'pyarrow', 'polars', 'frictionless', 'yaml', "
        "'pydantic') if m in sys.modules))"
    )
    assert loaded == ""


@pytest.mark.parametrize("backend", ["pyarrow", "polars"])
def test_pyarrow_and_polars_backends_never_import_pandas(backend: str) -> None:
    loaded = run_python(
        "import sys; from csto_dataset import load; "
        f"load('statements', backend='{backend}'); load(backend='{backend}'); "
        "print('pandas' in sys.modules, 'frictionless' in sys.modules, 'yaml' in sys.modules)"
    )
    assert loaded == "False False False"


def test_the_versions_agree(root: Path) -> None:
    descriptor = json.loads((root / "csto_dataset" / "data" / "datapackage.json").read_text())
    assert descriptor["version"] == DATA_VERSION
    release_toml = tomllib.loads((root / "build" / "release.toml").read_text())
    assert release_toml["version"] == DATA_VERSION
    citation = (root / "CITATION.cff").read_text()
    assert f'\nversion: "{DATA_VERSION}"\n' in citation
    assert metadata.version("csto-dataset") == csto_dataset.__version__
    assert f"\nVersion: {csto_dataset.__version__}\n" in (root / "r" / "DESCRIPTION").read_text()
    cookbook = " ".join((root / "docs" / "cookbook.md").read_text().split())
    assert f"stay true for release {DATA_VERSION}." in cookbook
    newest = max(
        (p.name for p in (root / "build" / "releases").iterdir() if p.is_dir()),
        key=lambda v: tuple(int(x) for x in v.split(".")),
    )
    assert newest == DATA_VERSION


def test_the_changelog_describes_the_embedded_release(root: Path) -> None:
    changelog = (root / "CHANGELOG.md").read_text()
    assert f"## [{csto_dataset.__version__}]" in changelog
    assert f"data release {DATA_VERSION}" in changelog.lower()


def test_without_polars_the_polars_backend_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars now fails
    with pytest.raises(MissingDependencyError, match=r"pip install 'csto-dataset\[polars\]'"):
        load("states", backend="polars")
    with pytest.raises(ImportError):  # what code catching ImportError expects
        load("states", version="0.0.0", backend="polars")


def test_the_polars_backend_reads_natively_without_pyarrow() -> None:
    loaded = run_python(
        "import sys; from csto_dataset import load; "
        "load('statements', backend='polars'); load(backend='polars'); "
        "print('pyarrow' in sys.modules, 'pandas' in sys.modules)"
    )
    assert loaded == "False False"


def test_a_long_backend_name_is_shortened_in_the_message() -> None:
    with pytest.raises(
        CstoDatasetError, match=r"unknown backend 'xxx.*\.\.\.x'; expected"
    ) as raised:
        load("states", backend="x" * 10_000)  # type: ignore[call-overload]
    assert len(str(raised.value)) < 200


def test_the_command_ends_quietly_when_its_reader_stops_early() -> None:
    read, write = os.pipe()
    os.close(read)  # like `| head` that has already exited
    try:
        result = subprocess.run(
            [sys.executable, "-m", "csto_dataset"], stdout=write, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == 1


def test_the_command_prints_a_summary() -> None:
    output = run_python("from csto_dataset.__main__ import summary; print(summary())")
    assert f"data release {DATA_VERSION}" in output
    assert "statements" in output and "rows" in output


def test_a_long_version_is_shortened_in_the_message() -> None:
    with pytest.raises(CstoDatasetError, match=r"data version '999.*\.\.\.9' is not") as raised:
        load("states", version="9" * 10_000)
    assert len(str(raised.value)) < 300


def test_the_readme_states_the_python_versions_the_metadata_requires(root: Path) -> None:
    required = metadata.metadata("csto-dataset")["Requires-Python"]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    assert required == pyproject["project"]["requires-python"] == ">=3.11"
    assert "needs **Python 3.11 or newer**" in (root / "README.md").read_text()


def test_reading_every_table_never_aborts_the_interpreter_at_exit() -> None:
    """pyarrow reading a Python file object, or with its thread pool, aborted at exit now and
    then ("terminate called without an active exception"), most often under load: the loader
    hands it the bytes, in one thread. Eight processes at once, three times."""
    script = (
        "from csto_dataset import TABLE_NAMES, load\n"
        "for name in TABLE_NAMES: load(name, backend='pyarrow').to_pylist()\n"
    )
    for _ in range(3):
        children = [
            subprocess.Popen(
                [sys.executable, "-c", script],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        for child in children:
            _, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
