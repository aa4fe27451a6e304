"""`panel()`: state-year, state-day and dyad-year panels computed from a release's tables.

Every status and day count comes from `membership.status_grid`, the rule `membership_status`
answers with; the columns are those of `panel_models` (generated into panels.json).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from csto_dataset._panel_units import UNITS as _UNITS
from csto_dataset._standing import held as is_held
from csto_dataset._standing import not_held_columns
from csto_dataset.errors import (
    ArgumentError,
    DataNotInReleaseError,
    shorten,
)
from csto_dataset.membership import (
    DAY_STATUSES,
    PRECEDENCE,
    Basis,
    StatusGrid,
    check_basis,
    interval_coverage,
    last_day,
    status_grid,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, TypeAlias

    import pyarrow as pa

    Release: TypeAlias = tuple[str, tuple[str, ...], Callable[[str], IO[bytes]]]
    """What `loader.release_files` gives: the resolved version, table names, an opener."""

Unit = Literal["state-year", "state-day", "dyad-year"]
# the words of _panel_units, which --help reads without importing this module (a test checks)
UNITS: tuple[Unit, ...] = _UNITS  # type: ignore[assignment]
FIRST_YEAR = 1992  # the treaty was signed on 15 May 1992
MEMBER = PRECEDENCE.index("member")
CSC = "csto-csc"
MINISTERIAL = frozenset({"csto-cfm", "csto-cmd", "csto-cssc"})
ATTENDED = frozenset({"attended", "attended_by_video"})
SIGNED = frozenset({"signed", "signed_with_reservation"})
DECLARATIONS = frozenset({"declaration", "statement"})
# Stata allows 32 characters in a name: "days_participation_frozen_possible" has 34.
COLUMN_WORD = {"participation_frozen": "frozen"}


@functools.cache
def panel_columns() -> dict[str, Any]:
    """The panels' descriptions from panels.json (generated from `panel_models`)."""
    text = resources.files("csto_dataset").joinpath("panels.json").read_text(encoding="utf-8")
    panels: dict[str, Any] = json.loads(text)["panels"]
    return panels


def panel(
    unit: Unit,
    *,
    basis: Basis = "any",
    version: str | None = None,
    backend: str = "pandas",
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    directed: bool = True,
) -> Any:
    """A panel of data release `version` (None: the embedded one).

    unit: "state-year" (every state with a membership record, each year from 1992 to that of
        the release's last day), "state-day" (the same states on each day from `start` to
        `end`, by default 1992-01-01 to the last day) or "dyad-year" (pairs of states in the
        years both were possibly members on a common day).
    basis: "any" (declared statuses count, so Armenia's frozen participation shows) or
        "formal", as for `membership_status`.
    directed: for "dyad-year", both orders of each pair (True, as ATOP and COW alliance
        dyad-years) or each pair once, in the alphabetical order of their ISO codes (False).
    backend: "pandas" (default), "pyarrow" or "polars".

    Days are counted *sure* (the sources' dates decide them) and *possible* (a partial date or
    an open end allows them): a month given as "2012-06" is possible from 1 June, sure only
    from 30 June. See docs/data-dictionary.md#panels for every column.
    """
    if unit not in UNITS:
        raise ArgumentError(f"unknown unit {shorten(unit)}; expected one of {', '.join(UNITS)}")
    check_basis(basis)
    from csto_dataset.loader import check_backend, from_arrow

    check_backend(backend)
    if unit != "state-day" and (start is not None or end is not None):
        raise ArgumentError("start and end choose the days of the state-day panel only")
    if unit != "dyad-year" and not directed:
        raise ArgumentError("directed=False (--undirected) is for the dyad-year panel only")
    last = last_day(version)
    first = dt.date(FIRST_YEAR, 1, 1)
    if unit == "state-day":
        first, last = _range(start, end, first, last)
    grid = status_grid(first, last, basis=basis, version=version)
    from csto_dataset.loader import release_files

    release = release_files(version)  # once: for another version it checks the cached files
    codes = _codes(release)
    if unit == "state-year":
        columns = _state_year(grid, last, codes, _Events.read(release))
    elif unit == "state-day":
        columns = _state_day(grid, codes)
    else:
        columns = _dyad_year(grid, codes, directed)
    return from_arrow(_table(unit, columns), backend)


def _range(
    start: dt.date | str | None, end: dt.date | str | None, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date]:
    from csto_dataset.membership import _day

    begin = first if start is None else _day(start)
    finish = last if end is None else _day(end)
    if finish < begin:
        raise ArgumentError(f"end {finish} is before start {begin}")
    if finish > last:
        raise ArgumentError(
            f"end {finish} is after {last}, the last day the data records; choose an earlier end"
        )
    return begin, finish


def _codes(release: Release) -> dict[str, tuple[int | None, int | None]]:
    """Each state's Correlates of War and Gleditsch and Ward numbers (releases before 0.6.0
    have no Gleditsch and Ward numbers: empty)."""
    table = _read(release, "states", ["id", "cow_code"], optional=["gw_code"])
    return {r["id"]: (r.get("cow_code"), r.get("gw_code")) for r in table}


def _read(
    release: Release, table: str, columns: list[str], optional: list[str] | None = None
) -> list[dict[str, Any]]:
    """The rows of `table` with `columns` (each required) and those of `optional` it has."""
    from csto_dataset.loader import read_release_table

    resolved, names, opener = release
    data = (
        read_release_table(opener, table, [*columns, *(optional or [])]) if table in names else None
    )
    missing = [c for c in columns if data is None or c not in data.column_names]
    if missing:
        what = f"no table {table}" if data is None else f"{table} without {', '.join(missing)}"
        raise DataNotInReleaseError(
            f"data version {resolved} records {what}, which panel() needs; use a newer data "
            "version (version=None is the embedded one)"
        )
    assert data is not None  # `columns` is never empty
    rows: list[dict[str, Any]] = data.to_pylist()
    return rows


def _year_bounds(first: dt.date, last: dt.date) -> tuple[list[int], list[int]]:
    """The years of the range and the index of each year's first day in it."""
    years = list(range(first.year, last.year + 1))
    starts = [max((dt.date(y, 1, 1) - first).days, 0) for y in years]
    return years, starts


def _state_year(
    grid: StatusGrid,
    last: dt.date,
    codes: Mapping[str, tuple[int | None, int | None]],
    events: _Events,
) -> dict[str, list[Any]]:
    import numpy as np

    years, starts = _year_bounds(grid.first, last)
    days_total = grid.status.shape[1]
    lengths = np.diff([*starts, days_total])
    out: dict[str, list[Any]] = {c["name"]: [] for c in panel_columns()["state-year"]["columns"]}
    for row, state in enumerate(grid.states):
        status, possible = grid.status[row], grid.possible[row]
        counts = {}
        for index, status_name in enumerate(PRECEDENCE):
            name = COLUMN_WORD.get(status_name, status_name)
            counts[f"days_{name}_sure"] = np.add.reduceat(status == index, starts)
            has = (possible >> index) & 1
            counts[f"days_{name}_possible"] = np.add.reduceat(has, starts)
        counts["days_uncertain"] = np.add.reduceat(status == len(DAY_STATUSES) - 1, starts)
        chaired = events.chaired(state, grid.first, days_total)
        for y, year in enumerate(years):
            end_index = starts[y] + int(lengths[y]) - 1
            dec31 = dt.date(year, 12, 31) <= last
            values: dict[str, Any] = {
                "state_id": state,
                "cow_code": codes.get(state, (None, None))[0],
                "gw_code": codes.get(state, (None, None))[1],
                "year": year,
                "days_in_data": int(lengths[y]),
                "status_jan1": DAY_STATUSES[status[starts[y]]],
                "status_dec31": DAY_STATUSES[status[end_index]] if dec31 else None,
                **{name: int(series[y]) for name, series in counts.items()},
                "chaired_sure": year in chaired[0],
                "chaired_possible": year in chaired[1],
                **events.counts(state, year),
            }
            for name, column in out.items():
                column.append(values[name])
    return out


def _state_day(
    grid: StatusGrid, codes: Mapping[str, tuple[int | None, int | None]]
) -> dict[str, list[Any]]:
    days = grid.status.shape[1]
    dates = [grid.first + dt.timedelta(days=i) for i in range(days)]
    names = {bits: _possible_names(bits) for bits in range(1 << (len(PRECEDENCE) + 1))}
    out: dict[str, list[Any]] = {c["name"]: [] for c in panel_columns()["state-day"]["columns"]}
    for row, state in enumerate(grid.states):
        cow, gw = codes.get(state, (None, None))
        out["state_id"] += [state] * days
        out["cow_code"] += [cow] * days
        out["gw_code"] += [gw] * days
        out["date"] += dates
        out["status"] += [DAY_STATUSES[code] for code in grid.status[row].tolist()]
        out["possible"] += [names[bits] for bits in grid.possible[row].tolist()]
    return out


def _possible_names(bits: int) -> str:
    return "|".join(name for i, name in enumerate(DAY_STATUSES[:-1]) if bits >> i & 1)


def _dyad_year(
    grid: StatusGrid, codes: Mapping[str, tuple[int | None, int | None]], directed: bool
) -> dict[str, list[Any]]:
    import numpy as np

    last = grid.first + dt.timedelta(days=grid.status.shape[1] - 1)
    years, starts = _year_bounds(grid.first, last)
    sure = grid.status == MEMBER
    possible = ((grid.possible >> MEMBER) & 1).astype(bool)
    out: dict[str, list[Any]] = {c["name"]: [] for c in panel_columns()["dyad-year"]["columns"]}
    count = len(grid.states)
    pairs = [(a, b) for a in range(count) for b in range(count) if a != b]
    if not directed:
        pairs = [(a, b) for a, b in pairs if a < b]
    for a, b in pairs:
        joint_possible = np.add.reduceat(possible[a] & possible[b], starts)
        joint_sure = np.add.reduceat(sure[a] & sure[b], starts)
        first, second = grid.states[a], grid.states[b]
        for y, year in enumerate(years):
            if joint_possible[y] == 0:
                continue
            out["state_id1"].append(first)
            out["state_id2"].append(second)
            out["ccode1"].append(codes.get(first, (None, None))[0])
            out["ccode2"].append(codes.get(second, (None, None))[0])
            out["gwcode1"].append(codes.get(first, (None, None))[1])
            out["gwcode2"].append(codes.get(second, (None, None))[1])
            out["year"].append(year)
            out["days_joint_sure"].append(int(joint_sure[y]))
            out["days_joint_possible"].append(int(joint_possible[y]))
    return out


class _Events:
    """What the state-year panel counts besides statuses, read once per call."""

    def __init__(
        self,
        chairs: list[tuple[str, dict[str, Any]]],
        per_state: dict[tuple[str, int], Counter[str]],
        per_year: dict[int, Counter[str]],
    ) -> None:
        self.chairs = chairs
        self.per_state = per_state
        self.per_year = per_year

    def chaired(self, state: str, first: dt.date, days: int) -> tuple[set[int], set[int]]:
        """The years the state surely and possibly chaired the organization (within the
        range of `days` days from `first`)."""
        last = first + dt.timedelta(days=days - 1)
        sure: set[int] = set()
        possible: set[int] = set()
        for chair, row in self.chairs:
            covered = interval_coverage(row)
            if chair != state or covered is None:
                continue
            for years, begin, end in (
                (possible, covered.possible_from, covered.possible_until),
                (sure, covered.sure_from, covered.sure_until),
            ):
                begin, end = max(begin, first), min(end or last, last)
                years.update(range(begin.year, end.year + 1) if begin <= end else ())
        return sure, possible | sure

    def counts(self, state: str, year: int) -> dict[str, int]:
        held = self.per_year.get(year, Counter())
        mine = self.per_state.get((state, year), Counter())
        return {
            "csc_sessions_held": held["csc"],
            "csc_sessions_hosted": mine["csc_hosted"],
            "csc_sessions_attended": mine["csc_attended"],
            "ministerial_sessions_held": held["ministerial"],
            "ministerial_sessions_hosted": mine["ministerial_hosted"],
            "ministerial_sessions_attended": mine["ministerial_attended"],
            "declarations_adopted": held["declarations"],
            "declarations_signed": mine["signed"],
            "declarations_signed_inferred": mine["signed_inferred"],
            "declarations_declined": mine["declined"],
            "exercises_hosted": mine["exercises_hosted"],
            "exercises_joined": mine["exercises_joined"],
            "statements_made": mine["statements"],
            "initiatives_proposed": mine["initiatives"],
        }

    @classmethod
    def read(cls, release: Release) -> _Events:
        """Count what each state did each year. A record counts in a year only when its date
        (its earliest and latest day) lies within that year; announced or cancelled events,
        and exercises not held, do not count."""
        per_state: dict[tuple[str, int], Counter[str]] = {}
        per_year: dict[int, Counter[str]] = {}

        def add(state: str | None, year: int | None, what: str) -> None:
            if state is not None and year is not None:
                per_state.setdefault((state, year), Counter())[what] += 1

        events = _read(
            release,
            "events",
            [
                *("id", "kind", "organization_id", "host_state_id", "date_earliest"),
                *("date_latest", "end", "end_earliest", "end_latest"),
                *not_held_columns("events"),
            ],
        )
        held = [e for e in events if is_held("events", e)]
        event_year = {e["id"]: _year(e, "date") for e in held}
        bodies: dict[str, str] = {}
        for event in held:
            year = event_year[event["id"]]
            if event["kind"] != "council_session" or year is None:
                continue
            body = "csc" if event["organization_id"] == CSC else None
            body = "ministerial" if event["organization_id"] in MINISTERIAL else body
            if body is not None:
                bodies[event["id"]] = body
                per_year.setdefault(year, Counter())[body] += 1
                add(event["host_state_id"], year, f"{body}_hosted")
        for attendance in _read(
            release,
            "attendances",
            ["event_id", "state_id", "status", *not_held_columns("attendances")],
        ):
            body = bodies.get(attendance["event_id"])
            if body and attendance["status"] in ATTENDED and is_held("attendances", attendance):
                add(attendance["state_id"], event_year[attendance["event_id"]], f"{body}_attended")
        document_year: dict[str, int] = {}
        documents = ["id", "event_id", "kind", *not_held_columns("documents")]
        for document in _read(release, "documents", documents):
            year = event_year.get(document["event_id"])
            if document["kind"] in DECLARATIONS and is_held("documents", document) and year:
                document_year[document["id"]] = year
                per_year.setdefault(year, Counter())["declarations"] += 1
        signatures = _read(
            release, "document_signatures", ["document_id", "state_id", "status", "inferred"]
        )
        for signature in signatures:
            year = document_year.get(signature["document_id"])
            if signature["status"] in SIGNED:
                what = "signed_inferred" if signature["inferred"] else "signed"
                add(signature["state_id"], year, what)
            elif signature["status"] == "declined":
                add(signature["state_id"], year, "declined")
        exercise_year = {}
        for exercise in _read(
            release,
            "exercises",
            [
                *("id", "host_state_id", "start_earliest", "start_latest"),
                *not_held_columns("exercises"),
            ],
        ):
            if is_held("exercises", exercise):
                exercise_year[exercise["id"]] = _year(exercise, "start")
                add(exercise["host_state_id"], exercise_year[exercise["id"]], "exercises_hosted")
        for taking_part in _read(release, "exercise_states", ["exercise_id", "state_id"]):
            year = exercise_year.get(taking_part["exercise_id"])
            add(taking_part["state_id"], year, "exercises_joined")
        statements = _read(
            release, "statements", ["speaker_state_id", "date_earliest", "date_latest"]
        )
        for statement in statements:
            add(statement["speaker_state_id"], _year(statement, "date"), "statements")
        initiatives = _read(
            release, "initiatives", ["proposer_state_id", "date_earliest", "date_latest"]
        )
        for initiative in initiatives:
            add(initiative["proposer_state_id"], _year(initiative, "date"), "initiatives")
        links = _read(release, "event_states", ["event_id", "state_id"])
        chair_events = {e["id"]: e for e in held if e["kind"] == "chairmanship"}
        chairs = [
            (link["state_id"], _as_interval(chair_events[link["event_id"]]))
            for link in links
            if link["event_id"] in chair_events
        ]
        return cls(chairs, per_state, per_year)


def _year(row: Mapping[str, Any], field: str) -> int | None:
    """The year of a partial date when its earliest and latest day fall in it."""
    earliest, latest = row.get(f"{field}_earliest"), row.get(f"{field}_latest")
    if earliest is None or latest is None or earliest.year != latest.year:
        return None
    year: int = earliest.year
    return year


def _as_interval(event: Mapping[str, Any]) -> dict[str, Any]:
    """A chairmanship in the shape `interval_coverage` reads: one without an end is sure on
    its first day only, as a membership interval that is not ongoing."""
    return {
        "start_earliest": event["date_earliest"],
        "start_latest": event["date_latest"],
        "end": event["end"],
        "end_earliest": event["end_earliest"],
        "end_latest": event["end_latest"],
        "ongoing": False,
    }


def _table(unit: str, columns: Mapping[str, Iterable[Any]]) -> pa.Table:
    import pyarrow as pa

    types = {"string": pa.string, "integer": pa.int64, "boolean": pa.bool_, "date": pa.date32}
    fields = [
        pa.field(c["name"], types[c["type"]](), nullable=True)
        for c in panel_columns()[unit]["columns"]
    ]
    schema = pa.schema(fields)
    return pa.table({f.name: pa.array(columns[f.name], f.type) for f in fields}, schema=schema)
