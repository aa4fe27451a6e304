"""The R package's csto_status() and csto_panel() give the answers of Python's
membership_status() and panel(), value by value, on releases served from 127.0.0.1.

The package is installed once per session by tests/r_support.py (its fixtures): the
tests are skipped without R, except on CI (the CI variable set), where missing R fails.
One Rscript run per batch of comparisons; each writes JSON for Python to read.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from r_support import r_environment, run_r, versions
from release_server import ReleaseServer

from csto_dataset import load, panel
from csto_dataset.errors import BeyondDataWarning, CstoDatasetError
from csto_dataset.membership import Basis, last_day, membership_status

NEWEST = versions()[-1]
STATUS_VERSIONS = (NEWEST, "0.5.1")
BASES: tuple[Basis, ...] = ("any", "formal")
FIRST = dt.date(1992, 1, 1)
STEP = 60  # days between the regular days compared
BOUNDS = ("start_earliest", "start_latest", "end_earliest", "end_latest")
ATTESTED = ("attested_earliest", "attested_latest")
JSON_OPTIONS = (
    'dataframe = "rows", Date = "ISO8601", factor = "string", na = "null", '
    "auto_unbox = TRUE, digits = NA"
)


@pytest.fixture(scope="module")
def served(
    release_host: ReleaseServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Python pointed at the release host too (with its own cache): the URL of the releases."""
    url = f"{release_host.origin}/plain/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSTO_DATASET_URL", url)
        patch.setenv("CSTO_DATASET_CACHE", str(tmp_path_factory.mktemp("python-cache")))
        patch.setenv("no_proxy", "127.0.0.1")
        patch.delenv("CSTO_DATASET_OFFLINE", raising=False)
        yield url


@pytest.fixture(scope="module")
def r_settings(
    r_library: Path,
    served: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    cache = tmp_path_factory.mktemp("r-cache")
    return r_environment(r_library, CSTO_DATASET_URL=served, CSTO_DATASET_CACHE=str(cache))


def compared_days(version: str) -> list[dt.date]:
    """Every STEP-th day from 1992-01-01 to the last day, and each memberships row's bounds
    and attested days with the days either side: where a rule could go wrong."""
    last = last_day(version)
    days = {FIRST + dt.timedelta(days=n) for n in range(0, (last - FIRST).days + 1, STEP)}
    for row in load("memberships", version=version, backend="pyarrow").to_pylist():
        for column in (*BOUNDS, *ATTESTED):
            if row.get(column) is not None:
                days.update(row[column] + dt.timedelta(days=d) for d in (-1, 0, 1))
    return sorted(day for day in days if day <= last)


def python_statuses(days: list[dt.date], basis: Basis, version: str) -> list[dict[str, str]]:
    """membership_status's answers as csto_status's rows: day by day, state by state."""
    return [
        {
            "date": day.isoformat(),
            "state": state,
            "status": answer.status,
            "possible": "|".join(answer.possible),
        }
        for day in days
        for state, answer in membership_status(day, basis=basis, version=version).items()
    ]


def differences(expected: list[Any], actual: list[Any], limit: int = 5) -> str:
    wrong = [(e, a) for e, a in zip(expected, actual, strict=False) if e != a][:limit]
    return f"{len(expected)} rows expected, {len(actual)} from R; first differences: {wrong}"


def python_error(call: Any) -> str:
    with pytest.raises(CstoDatasetError) as raised:
        call()
    return str(raised.value)


@pytest.mark.parametrize("version", STATUS_VERSIONS)
def test_status_agrees_with_membership_status(
    version: str, r_settings: dict[str, str], tmp_path: Path
) -> None:
    days = compared_days(version)
    assert len(days) >= 200
    beyond = last_day(version) + dt.timedelta(days=30)
    (tmp_path / "days.json").write_text(json.dumps([d.isoformat() for d in days]))
    code = f"""
    library(cstodataset)
    days <- as.Date(unlist(jsonlite::read_json("{(tmp_path / "days.json").as_posix()}")))
    out <- list()
    for (basis in c("any", "formal")) {{
      out[[basis]] <- suppressMessages(csto_status(days, basis = basis, version = "{version}"))
    }}
    out$warning <- tryCatch(csto_status("{beyond}", "ARM", version = "{version}"),
                            warning = conditionMessage)
    out$beyond <- (suppressWarnings(csto_status("{beyond}", "ARM", version = "{version}")))
    out$unknown <- tryCatch(csto_status("{beyond}", "XYZ", version = "{version}"),
                            error = conditionMessage)
    out$bad_basis <- tryCatch(csto_status("{beyond}", basis = "legal"), error = conditionMessage)
    jsonlite::write_json(out, "{(tmp_path / "status.json").as_posix()}", {JSON_OPTIONS})
    """
    run_r(code, r_settings)
    from_r = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))
    for basis in BASES:
        expected = python_statuses(days, basis, version)
        assert from_r[basis] == expected, f"basis {basis}: {differences(expected, from_r[basis])}"

    with pytest.warns(BeyondDataWarning) as warned:
        answer = membership_status(beyond, state="ARM", version=version)["ARM"]
    assert from_r["warning"] == str(warned[0].message)
    assert from_r["beyond"] == [
        {
            "date": beyond.isoformat(),
            "state": "ARM",
            "status": answer.status,
            "possible": "|".join(answer.possible),
        }
    ]
    assert from_r["unknown"] == python_error(
        lambda: membership_status(beyond, state="XYZ", version=version)
    )
    assert from_r["bad_basis"] == python_error(
        lambda: membership_status(beyond, basis=cast(Basis, "legal"))
    )


# Each panel compared: its name in the JSON written, and panel()'s arguments.
PANELS: dict[str, dict[str, Any]] = {
    "state_year_any": {"unit": "state-year", "basis": "any"},
    "state_year_formal": {"unit": "state-year", "basis": "formal"},
    "state_year_0_5_1": {"unit": "state-year", "version": "0.5.1"},
    "state_day_any": {"unit": "state-day", "start": "2024-01-01", "end": "2024-12-31"},
    "state_day_formal": {
        "unit": "state-day",
        "basis": "formal",
        "start": "2012-01-01",
        "end": "2012-12-31",
    },
    "dyad_year_directed": {"unit": "dyad-year"},
    "dyad_year_undirected": {"unit": "dyad-year", "directed": False},
}

# Bad arguments, which both refuse with the same words.
REFUSED: dict[str, dict[str, Any]] = {
    "unknown_unit": {"unit": "country-year"},
    "unknown_basis": {"unit": "state-year", "basis": "legal"},
    "days_of_a_year_panel": {"unit": "state-year", "start": "2000-01-01"},
    "end_before_start": {"unit": "state-day", "start": "2000-01-02", "end": "2000-01-01"},
    "end_after_the_data": {"unit": "state-day", "end": "2999-01-01"},
}


def r_arguments(arguments: dict[str, Any]) -> str:
    def value(v: Any) -> str:
        return ("TRUE" if v else "FALSE") if isinstance(v, bool) else json.dumps(v)

    return ", ".join(f"{name} = {value(v)}" for name, v in arguments.items())


@pytest.fixture(scope="module")
def r_panels(
    r_settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Every panel of PANELS, and the message of every refusal of REFUSED, as R gives them."""
    folder = tmp_path_factory.mktemp("r-panels")
    lines = ["library(cstodataset)", "out <- list()"]
    for name, arguments in PANELS.items():
        lines.append(f"out${name} <- suppressMessages(csto_panel({r_arguments(arguments)}))")
    for name, arguments in REFUSED.items():
        call = f"csto_panel({r_arguments(arguments)})"
        lines.append(f"out${name} <- tryCatch(suppressMessages({call}), error = conditionMessage)")
    written = folder / "panels.json"
    lines.append(f'jsonlite::write_json(out, "{written.as_posix()}", {JSON_OPTIONS})')
    run_r("\n".join(lines), r_settings)
    result: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
    return result


def python_rows(arguments: dict[str, Any]) -> list[dict[str, Any]]:
    rows = panel(**arguments, backend="pyarrow").to_pylist()
    return [
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()} for row in rows
    ]


@pytest.mark.parametrize("name", PANELS)
def test_panel_agrees_with_python(name: str, r_panels: dict[str, Any], served: str) -> None:
    arguments = PANELS[name]
    expected = python_rows(arguments)
    from_r = r_panels[name]
    assert expected, name
    assert list(from_r[0]) == list(expected[0]), "columns or their order differ"
    assert from_r == expected, differences(expected, from_r)


@pytest.mark.parametrize("name", REFUSED)
def test_panel_refuses_what_python_refuses(
    name: str, r_panels: dict[str, Any], served: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = python_error(lambda: panel(**REFUSED[name]))
    assert r_panels[name] == expected
