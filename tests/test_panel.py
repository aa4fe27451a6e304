"""The panels: named facts, agreement with membership_status and with the tables they count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import typing
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from release_server import Remote

from csto_dataset import load
from csto_dataset.errors import ArgumentError, DataNotInReleaseError
from csto_dataset.membership import DAY_STATUSES, last_day, membership_status, status_grid
from csto_dataset.models import MembershipStatus
from csto_dataset.panel_models import PANELS, DayStatus
from csto_dataset.panels import UNITS, Unit, panel, panel_columns

LAST = last_day()
STATE_YEAR = panel("state-year")


def row(frame: pd.DataFrame, state: str, year: int) -> pd.Series:
    (index,) = frame.index[(frame["state_id"] == state) & (frame["year"] == year)]
    return frame.loc[index]


def test_uzbekistan_2012_was_a_member_then_suspended() -> None:
    uzbekistan = row(STATE_YEAR, "UZB", 2012)
    assert uzbekistan["days_member_sure"] > 0
    assert uzbekistan["days_suspended_sure"] > 0
    assert uzbekistan["status_jan1"] == "member"
    assert uzbekistan["status_dec31"] == "suspended"


def test_armenia_2024_froze_its_participation_only_on_the_any_basis() -> None:
    assert row(STATE_YEAR, "ARM", 2024)["days_frozen_sure"] > 0
    formal = row(panel("state-year", basis="formal"), "ARM", 2024)
    assert formal["days_frozen_possible"] == 0
    assert formal["days_member_sure"] == 366


def test_no_dyad_of_georgia_after_1999() -> None:
    dyads = panel("dyad-year")
    georgia = dyads[(dyads["state_id1"] == "GEO") | (dyads["state_id2"] == "GEO")]
    assert not georgia.empty
    assert georgia["year"].max() == 1999


def test_the_last_year_stops_at_the_data_and_says_so() -> None:
    last_year = STATE_YEAR[STATE_YEAR["year"] == LAST.year]
    assert (last_year["days_in_data"] == LAST.timetuple().tm_yday).all()
    assert last_year["status_dec31"].isna().all()
    assert STATE_YEAR["year"].min() == 1992
    assert STATE_YEAR["year"].max() == LAST.year


def test_rows_are_keyed_by_iso_cow_and_gleditsch_ward_codes() -> None:
    states = load("states").set_index("id")
    assert set(STATE_YEAR["state_id"]) == set(load("memberships")["state_id"])
    for state, group in STATE_YEAR.groupby("state_id"):
        for column in ("cow_code", "gw_code"):
            expected = states.loc[state, column]
            assert (
                group[column].isna().all()
                if pd.isna(expected)
                else (group[column] == expected).all()
            ), (state, column)
    assert not STATE_YEAR.duplicated(["state_id", "year"]).any()


@pytest.mark.parametrize("basis", ["any", "formal"])
def test_the_day_grid_answers_as_membership_status_on_every_third_day(basis: str) -> None:
    first = dt.date(1992, 1, 1)
    grid = status_grid(first, LAST, basis=basis)  # type: ignore[arg-type]
    for offset in range(0, (LAST - first).days + 1, 3):
        day = first + dt.timedelta(days=offset)
        answers = membership_status(day, basis=basis)  # type: ignore[arg-type]
        for index, state in enumerate(grid.states):
            status = DAY_STATUSES[grid.status[index, offset]]
            assert status == answers[state].status, (state, day)
            possible = [
                name
                for i, name in enumerate(DAY_STATUSES[:-1])
                if grid.possible[index, offset] >> i & 1
            ]
            assert tuple(possible) == answers[state].possible, (state, day)


def test_state_year_day_counts_are_the_state_day_panel_summed() -> None:
    days = panel("state-day")
    days["year"] = pd.to_datetime(days["date"].astype(str)).dt.year
    for (state, year), group in days.groupby(["state_id", "year"]):
        counted = row(STATE_YEAR, str(state), int(year))
        assert counted["days_in_data"] == len(group)
        statuses = Counter(group["status"])
        assert counted["days_member_sure"] == statuses["member"]
        assert counted["days_frozen_sure"] == statuses["participation_frozen"]
        assert counted["days_uncertain"] == statuses["uncertain"]
        member_possible = group["possible"].str.split("|").map(lambda p: "member" in p).sum()
        assert counted["days_member_possible"] == member_possible
        assert counted["status_jan1"] == group["status"].iloc[0]


def test_every_day_of_a_state_year_is_counted_once() -> None:
    sure = [c for c in STATE_YEAR.columns if c.startswith("days_") and c.endswith("_sure")]
    counted = STATE_YEAR[sure].sum(axis=1) + STATE_YEAR["days_uncertain"]
    assert (counted <= STATE_YEAR["days_in_data"]).all()
    for name in ("member", "signatory", "suspended", "frozen", "observer"):
        assert (STATE_YEAR[f"days_{name}_sure"] <= STATE_YEAR[f"days_{name}_possible"]).all()
    days = panel("state-day")
    years = pd.to_datetime(days["date"].astype(str)).dt.year
    none = (days["status"] == "none").groupby([days["state_id"], years]).sum()
    keys = list(zip(STATE_YEAR["state_id"], STATE_YEAR["year"], strict=True))
    assert (counted + [none[key] for key in keys] == STATE_YEAR["days_in_data"]).all()


def held_sessions() -> pd.DataFrame:
    events = load("events")
    sessions = events[
        (events["kind"] == "council_session") & ~events["announced_only"] & ~events["cancelled"]
    ]
    years = pd.to_datetime(sessions["date_earliest"].astype(str)).dt.year
    same_year = years == pd.to_datetime(sessions["date_latest"].astype(str)).dt.year
    return sessions[same_year.fillna(False)].assign(year=years)


def test_session_counts_agree_with_the_events_and_attendances() -> None:
    sessions = held_sessions()
    csc = sessions[sessions["organization_id"] == "csto-csc"].groupby("year").size()
    per_year = STATE_YEAR.groupby("year")["csc_sessions_held"].first()
    for year, held in per_year.items():
        assert held == csc.get(year, 0), year
    hosted = sessions[sessions["organization_id"] == "csto-csc"].groupby("host_state_id").size()
    by_state = STATE_YEAR.groupby("state_id")["csc_sessions_hosted"].sum()
    for state, count in by_state.items():
        assert count == hosted.get(state, 0), state
    attendances = load("attendances").merge(sessions, left_on="event_id", right_on="id")
    taking_part = attendances[
        attendances["status"].isin(["attended", "attended_by_video"])
        & ~attendances["announced_only_x"]
    ]
    assert STATE_YEAR[["csc_sessions_attended", "ministerial_sessions_attended"]].sum().sum() == (
        taking_part["state_id"].isin(set(STATE_YEAR["state_id"])).sum()
    )
    assert (STATE_YEAR["csc_sessions_attended"] <= STATE_YEAR["csc_sessions_held"]).all()


def test_statement_and_initiative_counts_agree_with_their_tables() -> None:
    for table, column, counted in (
        ("statements", "speaker_state_id", "statements_made"),
        ("initiatives", "proposer_state_id", "initiatives_proposed"),
    ):
        frame = load(table)  # type: ignore[call-overload]
        earliest = pd.to_datetime(frame["date_earliest"].astype(str), errors="coerce").dt.year
        latest = pd.to_datetime(frame["date_latest"].astype(str), errors="coerce").dt.year
        dated = frame[(earliest == latest) & frame[column].isin(set(STATE_YEAR["state_id"]))]
        assert STATE_YEAR[counted].sum() == len(dated), table


def test_declaration_counts_agree_with_the_signatures() -> None:
    signatures = load("document_signatures")
    declined = STATE_YEAR["declarations_declined"].sum()
    assert declined <= (signatures["status"] == "declined").sum()
    assert (
        STATE_YEAR["declarations_signed"] + STATE_YEAR["declarations_signed_inferred"]
        <= STATE_YEAR["declarations_adopted"]
    ).all()
    documents = load("documents")
    declarations = documents[
        documents["kind"].isin(["declaration", "statement"]) & ~documents["announced_only"]
    ]
    events = load("events")
    held = events[~events["announced_only"] & ~events["cancelled"]]
    earliest = pd.to_datetime(held["date_earliest"].astype(str), errors="coerce").dt.year
    latest = pd.to_datetime(held["date_latest"].astype(str), errors="coerce").dt.year
    dated = held[earliest == latest]
    adopted = declarations[declarations["event_id"].isin(dated["id"])]
    counted = signatures[
        signatures["document_id"].isin(adopted["id"])
        & signatures["state_id"].isin(set(STATE_YEAR["state_id"]))
    ]
    assert declined == (counted["status"] == "declined").sum()
    signed = counted["status"].isin(["signed", "signed_with_reservation"])
    assert STATE_YEAR["declarations_signed"].sum() == (signed & ~counted["inferred"]).sum()
    assert STATE_YEAR["declarations_signed_inferred"].sum() == (signed & counted["inferred"]).sum()


def test_chairs_follow_the_chairmanships() -> None:
    assert row(STATE_YEAR, "KAZ", 2024)["chaired_sure"]
    assert row(STATE_YEAR, "KGZ", 2025)["chaired_sure"]
    assert not row(STATE_YEAR, "ARM", 2024)["chaired_possible"]
    assert (~STATE_YEAR["chaired_sure"] | STATE_YEAR["chaired_possible"]).all()


def test_dyads_are_symmetric_and_within_each_states_membership() -> None:
    directed = panel("dyad-year")
    undirected = panel("dyad-year", directed=False)
    assert len(directed) == 2 * len(undirected)
    assert (undirected["state_id1"] < undirected["state_id2"]).all()
    mirrored = directed.rename(columns={"state_id1": "state_id2", "state_id2": "state_id1"}).merge(
        directed, on=["state_id1", "state_id2", "year"]
    )
    assert (mirrored["days_joint_sure_x"] == mirrored["days_joint_sure_y"]).all()
    members = STATE_YEAR.set_index(["state_id", "year"])
    for dyad in undirected.itertuples():
        for state in (dyad.state_id1, dyad.state_id2):
            own = members.loc[(state, dyad.year)]
            assert dyad.days_joint_sure <= own["days_member_sure"]
            assert dyad.days_joint_possible <= own["days_member_possible"]
    assert (undirected["days_joint_possible"] > 0).all()
    codes = load("states").set_index("id")["cow_code"]
    assert (undirected["ccode1"] == undirected["state_id1"].map(codes)).all()


def test_a_state_day_range_and_its_limits() -> None:
    days = panel("state-day", start="2012-06-01", end="2012-06-30", basis="formal")
    assert len(days) == 30 * len(set(STATE_YEAR["state_id"]))
    uzbekistan = days[days["state_id"] == "UZB"]
    assert set(uzbekistan["status"]) <= {"member", "suspended", "uncertain"}
    with pytest.raises(ArgumentError, match="after"):
        panel("state-day", end=LAST + dt.timedelta(days=1))
    with pytest.raises(ArgumentError, match="before start"):
        panel("state-day", start="2012-02-01", end="2012-01-01")
    with pytest.raises(ArgumentError, match="state-day panel only"):
        panel("state-year", start="2012-01-01")
    with pytest.raises(ArgumentError, match="unknown unit"):
        panel("country-year")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="unknown basis"):
        panel("state-year", basis="declared")  # type: ignore[arg-type]


def test_every_backend_gives_the_same_values() -> None:
    arrow = panel("dyad-year", backend="pyarrow")
    assert arrow.to_pylist() == panel("dyad-year", backend="pyarrow").to_pylist()
    pandas_rows = panel("dyad-year").astype(object).where(lambda f: f.notna(), None)
    assert pandas_rows.to_dict("records") == arrow.to_pylist()
    polars = pytest.importorskip("polars")
    assert panel("dyad-year", backend="polars").to_dicts() == arrow.to_pylist()
    assert isinstance(panel("dyad-year", backend="polars"), polars.DataFrame)


def test_columns_are_those_of_the_models() -> None:
    for model in PANELS:
        names = [c["name"] for c in panel_columns()[model.unit]["columns"]]
        assert names == list(model.model_fields)
        assert all(len(name) <= 32 for name in names)  # Stata's limit
    assert list(STATE_YEAR.columns) == list(PANELS[0].model_fields)
    assert [s.value for s in DayStatus] == [*MembershipStatus, "none", "uncertain"]
    assert set(UNITS) == set(typing.get_args(Unit)) == {model.unit for model in PANELS}
    assert {s.value for s in DayStatus} == set(DAY_STATUSES)


def test_the_command_line_writes_the_same_panel(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("csto-dataset")
    result = subprocess.run(
        [str(script), "panel", "--unit", "dyad-year", "--undirected"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = panel("dyad-year", directed=False, backend="pyarrow").to_pylist()
    assert len(rows) == len(expected)
    assert rows[0]["state_id1"] == expected[0]["state_id1"]
    assert int(rows[-1]["days_joint_possible"]) == expected[-1]["days_joint_possible"]


def test_an_older_release_gives_panels_without_the_codes_it_lacks(remote: Remote) -> None:
    older = panel("state-year", version="0.5.1")
    assert older["gw_code"].isna().all()
    assert row(older, "UZB", 2012)["days_suspended_sure"] > 0
    with pytest.raises(DataNotInReleaseError, match=r"0\.1\.0"):
        panel("state-year", version="0.1.0")


def test_the_panel_example_of_docs_python_md_runs() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "python.md").read_text("utf-8")
    section = page.split("## Panels", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    uzbekistan = row(STATE_YEAR, "UZB", 2012)
    assert f"{uzbekistan['days_member_sure']}" in result.stdout
