"""Shared fixtures: the repository, the source archive, and sandboxes for the build pipeline."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from csto_dataset import DATA_VERSION

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
if str(BUILD) not in sys.path:
    sys.path.insert(0, str(BUILD))  # the pipeline is scripts, not an installed package

from cstobuild import records  # noqa: E402 (needs the path above)
from cstobuild.scratch import lay_out_scratch  # noqa: E402
from cstobuild.strict_yaml import RawRecord  # noqa: E402

# The release-server fixtures (fixture_release, remote, tls, silent_port) and the R package's
# (r_library, release_host), for every test file.
pytest_plugins = ["release_server", "r_support"]


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
    return lay_out_scratch(ROOT, target, DATA_VERSION)


@pytest.fixture(scope="session", autouse=True)
def records_parsed_once() -> Iterator[None]:
    """Parse each distinct record file once per session, not once per test.

    Every sandbox copies the same files, and what a file holds depends on its text alone; a
    file a test writes or changes has a new text and is parsed (and refused) as in a build.
    """
    parse = functools.cache(records.read_record_file)

    def parse_once(text: str, tables: Iterable[str]) -> dict[str, list[RawRecord]]:
        return parse(text, tuple(tables))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(records, "read_record_file", parse_once)
        yield


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A copy of what the build reads, without the release it builds: build there."""
    return lay_out_sandbox(tmp_path)
