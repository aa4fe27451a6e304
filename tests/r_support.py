"""The R package in r/ for the tests: installed once per session into a temporary library,
a release host on 127.0.0.1 serving the real releases (and a tampered copy of the newest), and
how to run R code against them. A pytest plugin (see conftest.py): its fixtures are shared.

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

import pytest
from release_server import RELEASES, ROOT, ReleaseServer

R_PACKAGE = ROOT / "r"
R_PACKAGES_NEEDED = ("jsonlite", "digest", "testthat")
TAMPERED = "states.csv"


def missing_r() -> str | None:
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


@pytest.fixture(scope="session")
def r_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary R library with the package installed from r/."""
    reason = missing_r()
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


def versions() -> list[str]:
    document = json.loads((ROOT / "csto_dataset" / "releases.json").read_text(encoding="utf-8"))
    versions = [release["version"] for release in document["releases"]]
    return sorted(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


@pytest.fixture(scope="session")
def release_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReleaseServer]:
    """The real release folders at /plain/<version>/, and at /plain/tampered-<newest>/ the
    newest one with one byte of states.csv changed."""
    newest = versions()[-1]
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


def r_environment(library: Path, **extra: str) -> dict[str, str]:
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


def run_r(code: str, environment: dict[str, str], timeout: float = 120) -> str:
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
