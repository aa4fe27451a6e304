"""The built wheel, installed in a clean virtual environment, loads every table offline.

.ci/run builds the wheel, installs it into a fresh venv and points CSTO_WHEEL_PYTHON at that
venv's interpreter; under CI the test must run. vega_datasets and pooch both once released a
wheel without its data files: this is the test that catches it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import path_from_environment

from csto_dataset import DATA_VERSION, TABLE_NAMES, cite

pytestmark = pytest.mark.wheel

SCRIPT = """
import json, sys, csto_dataset
from csto_dataset import load
release = load(backend="pyarrow")
print(json.dumps({
    "file": csto_dataset.__file__,
    "version": release.version,
    "rows": {name: table.num_rows for name, table in release.items()},
    "pandas_rows": len(load("statements")),
    "citation": csto_dataset.cite("0.1.0", format="bibtex"),
}))
"""


USER_SCRIPT = """\
from typing import assert_type

import pandas as pd

from csto_dataset import load

assert_type(load("statements"), pd.DataFrame)
load("statments")
"""


@pytest.fixture(scope="module")
def wheel_python() -> Path:
    return path_from_environment("CSTO_WHEEL_PYTHON", "the interpreter of the installed wheel")


def test_the_installed_wheel_loads_every_table_offline(
    wheel_python: Path, tmp_path: Path, root: Path
) -> None:
    result = subprocess.run(
        [str(wheel_python), "-I", "-c", SCRIPT],  # -I: no checkout, no user site on the path
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", ""), "CSTO_DATASET_OFFLINE": "1"},
    )
    report = json.loads(result.stdout)
    assert not report["file"].startswith(str(root)), "the checkout was imported, not the wheel"
    assert report["version"] == DATA_VERSION
    index = json.loads((root / "csto_dataset" / "releases.json").read_text(encoding="utf-8"))
    (entry,) = [r for r in index["releases"] if r["version"] == DATA_VERSION]
    assert report["rows"] == entry["rows"]
    assert report["pandas_rows"] == entry["rows"]["statements"]
    assert report["citation"] == cite("0.1.0", format="bibtex")


def test_a_users_mypy_types_load_from_the_installed_wheel(
    wheel_python: Path, tmp_path: Path
) -> None:
    """mypy, pointed at the wheel's environment, reads its types (py.typed): a table name gives
    a pandas DataFrame and a misspelt one is an error."""
    (tmp_path / "user.py").write_text(USER_SCRIPT, encoding="utf-8")
    # mypy and pandas-stubs come from this environment; PYTHONPATH puts no csto_dataset on the
    # path (the editable install's .pth file is read only in a site folder).
    mypy = [sys.executable, "-m", "mypy", "--python-executable", str(wheel_python), "--strict"]
    result = subprocess.run(
        [*mypy, "--no-incremental", "--no-error-summary", "user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": sysconfig.get_paths()["purelib"]},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == [
        'user.py:8: error: No overload variant of "load" matches argument type "str"  '
        "[call-overload]"
    ], result.stdout + result.stderr


def test_the_wheel_ships_every_data_file_and_no_build_tooling(root: Path) -> None:
    wheels = sorted((root / "dist").glob("csto_dataset-*.whl")) if (root / "dist").is_dir() else []
    if not wheels:
        if os.environ.get("CI"):
            pytest.fail("CI must build the wheel into dist/ (see .ci/run)")
        pytest.skip("no wheel in dist/")
    names = set(zipfile.ZipFile(wheels[-1]).namelist())
    for table in TABLE_NAMES:
        assert f"csto_dataset/data/{table}.parquet" in names
        assert f"csto_dataset/data/{table}.csv" in names
    assert "csto_dataset/data/datapackage.json" in names
    assert "csto_dataset/releases.json" in names
    assert "csto_dataset/py.typed" in names  # PEP 561: users' type checkers read our types
    assert "csto_dataset/citations.json" in names
    assert not any(name.startswith(("build/", "cstobuild/", "tests/")) for name in names)
