"""The R package in r/: installed into a temporary library, its testthat suite run against a
real release host on 127.0.0.1, and its results compared with the Python package's.

Skipped when R (Rscript, or one of jsonlite, digest, testthat) is missing, except on CI
(the CI variable set), where missing R fails: CI installs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from r_support import R_PACKAGE, r_environment, run_r, versions
from release_server import ROOT, ReleaseServer

import csto_dataset
from csto_dataset.citation import cite

COMPARED_TABLES = ("states", "statements", "memberships", "events", "sources")


def test_r_tests_pass(r_library: Path, release_host: ReleaseServer) -> None:
    environment = r_environment(
        r_library,
        CSTO_TEST_RELEASE_URL=f"{release_host.origin}/plain/",
        CSTO_TEST_TAMPERED_URL=f"{release_host.origin}/plain/tampered-{{version}}/",
    )
    code = (
        'testthat::test_dir("r/tests/testthat", package = "cstodataset", '
        'load_package = "installed", stop_on_failure = TRUE, reporter = "summary")'
    )
    run_r(code, environment, timeout=300)


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
    run_r(code, r_environment(r_library))
    from_r = json.loads(output.read_text(encoding="utf-8"))
    released = versions()
    assert [key for key in from_r if key != "newest"] == released
    for version in released:
        for form in ("text", "bibtex"):
            assert from_r[version][form] == cite(version, form), (version, form)
    assert from_r["newest"] == cite(released[-1], "text")


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
    environment = r_environment(
        r_library,
        CSTO_DATASET_URL=f"{release_host.origin}/plain/",
        CSTO_DATASET_CACHE=str(tmp_path / "cache"),
    )
    run_r(code, environment)
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
