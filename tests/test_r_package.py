"""The R package in r/: installed into a temporary library, its testthat suite run against a
real release host on 127.0.0.1, and its results compared with the Python package's.

Skipped when R (Rscript, or one of jsonlite, digest, testthat) is missing, except on CI
(the CI variable set), where missing R fails: CI installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from release_server import RELEASES, ROOT, ReleaseServer

import csto_dataset
from csto_dataset.citation import cite

R_PACKAGE = ROOT / "r"
R_PACKAGES_NEEDED = ("jsonlite", "digest", "testthat")
COMPARED_TABLES = ("states", "statements", "memberships", "events", "sources")
TAMPERED = "states.csv"


def _missing_r() -> str | None:
    """Why R cannot run the package's tests here, or None when it can."""
    if shutil.which("Rscript") is None or shutil.which("R") is None:
        return "Rscript is not on PATH"
    check = "for (p in commandArgs(TRUE)) if (!requireNamespace(p, quietly = TRUE)) cat(p, '')"
    result = subprocess.run(
        ["Rscript", "-e", check, *R_PACKAGES_NEEDED],
        capture_output=True,
        text=True,
        timeout=60,
    )
    missing = result.stdout.split()
    if result.returncode != 0 or missing:
        return f"R packages missing: {', '.join(missing) or result.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def r_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary R library with the package installed from r/."""
    reason = _missing_r()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install R with jsonlite, digest and testthat: {reason}")
        pytest.skip(f"the R package's tests need R: {reason}")
    library = tmp_path_factory.mktemp("r-library")
    result = subprocess.run(
        ["R", "CMD", "INSTALL", f"--library={library}", str(R_PACKAGE)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"R CMD INSTALL failed:\n{result.stdout}\n{result.stderr}")
    return library


def _versions() -> list[str]:
    document = json.loads((ROOT / "csto_dataset" / "releases.json").read_text(encoding="utf-8"))
    versions = [release["version"] for release in document["releases"]]
    return sorted(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


@pytest.fixture(scope="module")
def release_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReleaseServer]:
    """The real release folders at /plain/<version>/, and at /plain/tampered-<newest>/ the
    newest one with one byte of states.csv changed."""
    newest = _versions()[-1]
    tampered = tmp_path_factory.mktemp("tampered") / newest
    shutil.copytree(RELEASES / newest, tampered)
    data = bytearray((tampered / TAMPERED).read_bytes())
    data[10] ^= 1
    (tampered / TAMPERED).write_bytes(bytes(data))
    folders = {path.name: path for path in RELEASES.iterdir() if path.is_dir()}
    server = ReleaseServer({**folders, f"tampered-{newest}": tampered}).start()
    try:
        yield server
    finally:
        server.stop()


def _r_environment(library: Path, **extra: str) -> dict[str, str]:
    """The environment R runs in: the temporary library first, no CSTO_DATASET_* setting
    and no proxy of the caller's, and `extra`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CSTO_") and name.lower() not in ("http_proxy", "https_proxy")
    }
    environment["R_LIBS"] = os.pathsep.join(filter(None, [str(library), os.environ.get("R_LIBS")]))
    environment["no_proxy"] = "127.0.0.1"
    environment.update(extra)
    return environment


def _run_r(code: str, environment: dict[str, str], timeout: float = 120) -> str:
    result = subprocess.run(
        ["Rscript", "-e", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=ROOT,
    )
    if result.returncode != 0:
        pytest.fail(f"R failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def test_r_tests_pass(r_library: Path, release_host: ReleaseServer) -> None:
    environment = _r_environment(
        r_library,
        CSTO_TEST_RELEASE_URL=f"{release_host.origin}/plain/",
        CSTO_TEST_TAMPERED_URL=f"{release_host.origin}/plain/tampered-{{version}}/",
    )
    code = (
        'testthat::test_dir("r/tests/testthat", package = "cstodataset", '
        'load_package = "installed", stop_on_failure = TRUE, reporter = "summary")'
    )
    _run_r(code, environment, timeout=300)


@pytest.mark.parametrize("name", ["releases.json", "citations.json", "panels.json"])
def test_extdata_is_a_copy_of_the_python_package_file(name: str) -> None:
    copy = R_PACKAGE / "inst" / "extdata" / name
    assert copy.read_bytes() == (ROOT / "csto_dataset" / name).read_bytes(), (
        f"{copy} differs from csto_dataset/{name}: rebuild, or copy it"
    )


def test_citations_agree(r_library: Path, tmp_path: Path) -> None:
    output = tmp_path / "citations.json"
    code = f"""
    library(cstodataset)
    versions <- csto_versions()
    cites <- lapply(versions, function(v) list(text = csto_cite(v, "text"),
                                               bibtex = csto_cite(v, "bibtex")))
    names(cites) <- versions
    cites$newest <- csto_cite()
    jsonlite::write_json(cites, "{output.as_posix()}", auto_unbox = TRUE)
    """
    _run_r(code, _r_environment(r_library))
    from_r = json.loads(output.read_text(encoding="utf-8"))
    versions = _versions()
    assert [key for key in from_r if key != "newest"] == versions
    for version in versions:
        for form in ("text", "bibtex"):
            assert from_r[version][form] == cite(version, form), (version, form)
    assert from_r["newest"] == cite(versions[-1], "text")


def test_tables_agree_with_python(
    r_library: Path, release_host: ReleaseServer, tmp_path: Path
) -> None:
    version = csto_dataset.DATA_VERSION
    code = f"""
    library(cstodataset)
    for (table in c({", ".join(f'"{t}"' for t in COMPARED_TABLES)})) {{
      frame <- suppressMessages(load_csto(table, "{version}"))
      jsonlite::write_json(frame, file.path("{tmp_path.as_posix()}", paste0(table, ".json")),
                           dataframe = "columns", Date = "ISO8601", factor = "string",
                           na = "null", digits = NA)
    }}
    """
    environment = _r_environment(
        r_library,
        CSTO_DATASET_URL=f"{release_host.origin}/plain/",
        CSTO_DATASET_CACHE=str(tmp_path / "cache"),
    )
    _run_r(code, environment)
    for table in COMPARED_TABLES:
        from_r = json.loads((tmp_path / f"{table}.json").read_text(encoding="utf-8"))
        frame = csto_dataset.load(table, version=version)
        assert list(from_r) == list(frame.columns), table
        for column in frame.columns:
            assert from_r[column] == _plain_values(frame[column]), f"{table}.{column}"


def _plain_values(column: pd.Series) -> list[object]:
    """A pandas column as JSON gives R's: None for a missing value, dates as ISO strings."""
    return [
        None if pd.isna(value) else value.isoformat() if hasattr(value, "isoformat") else value
        for value in column.astype(object)
    ]


def test_the_r_package_downloads_from_the_python_packages_release_url() -> None:
    from csto_dataset._release import RELEASE_URL

    settings = (R_PACKAGE / "R" / "settings.R").read_text(encoding="utf-8")
    assert f'RELEASE_URL <- "{RELEASE_URL}"' in settings, "update RELEASE_URL in r/R/settings.R"
