"""Shared fixtures: the repository, the source archive, and sandboxes for the build pipeline."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from csto_dataset import DATA_VERSION

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
if str(BUILD) not in sys.path:
    sys.path.insert(0, str(BUILD))  # the pipeline is scripts, not an installed package

# The release-server fixtures (fixture_release, remote, tls, silent_port), for every test file.
pytest_plugins = ["release_server"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def path_from_environment(variable: str, what: str) -> Path:
    """The path in `variable`: CI must set it (the test fails); elsewhere the test is skipped."""
    value = os.environ.get(variable)
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"CI must set {variable} to {what} (see .ci/run)")
        pytest.skip(f"{variable} is not set: this test needs {what}")
    return Path(value)


@pytest.fixture(scope="session")
def archive() -> Path:
    """The folder of archived source texts, against which quotes are proven verbatim."""
    folder = path_from_environment("CSTO_SOURCE_ARCHIVE", "the archived source texts")
    assert folder.is_dir(), f"CSTO_SOURCE_ARCHIVE={folder} is not a folder"
    return folder


def lay_out_sandbox(target: Path) -> Path:
    """Copy what the build reads into `target`: the records, the earlier releases (whose ids
    stay as they are) and the files it regenerates; the release being built is left out."""
    shutil.copytree(BUILD / "records", target / "build" / "records")
    shutil.copy(BUILD / "release.toml", target / "build" / "release.toml")
    shutil.copy(BUILD / "retired_ids.toml", target / "build" / "retired_ids.toml")
    for release in (BUILD / "releases").iterdir():
        if release.is_dir() and release.name != DATA_VERSION:
            shutil.copytree(release, target / "build" / "releases" / release.name)
    shutil.copy(ROOT / "README.md", target / "README.md")
    shutil.copy(ROOT / "COVERAGE.md", target / "COVERAGE.md")
    shutil.copy(ROOT / "CHANGELOG.md", target / "CHANGELOG.md")
    (target / "csto_dataset").mkdir()
    return target


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A copy of what the build reads, without the release it builds: build there."""
    return lay_out_sandbox(tmp_path)
