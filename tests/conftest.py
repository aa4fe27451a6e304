"""Shared fixtures: the repository, the source archive, and sandboxes for the build pipeline."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
if str(BUILD) not in sys.path:
    sys.path.insert(0, str(BUILD))  # the pipeline is scripts, not an installed package


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def archive() -> Path:
    """The folder of archived source texts; CI sets CSTO_SOURCE_ARCHIVE, and then it must exist."""
    value = os.environ.get("CSTO_SOURCE_ARCHIVE")
    if not value:
        if os.environ.get("CI"):
            pytest.fail("CI must set CSTO_SOURCE_ARCHIVE to the archived source texts")
        pytest.skip("CSTO_SOURCE_ARCHIVE is not set: quotes cannot be proven verbatim here")
    folder = Path(value)
    assert folder.is_dir(), f"CSTO_SOURCE_ARCHIVE={value} is not a folder"
    return folder


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A copy of what the build reads, with no release yet: build there, not in the checkout."""
    shutil.copytree(BUILD / "records", tmp_path / "build" / "records")
    shutil.copy(BUILD / "release.toml", tmp_path / "build" / "release.toml")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "csto_dataset").mkdir()
    return tmp_path
