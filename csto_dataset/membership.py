"""`membership_status()`: each state's standing towards the treaty / CSTO on a given day;
`last_day()`: the newest day a data release records, beyond which no answer is sure."""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any, Literal, NamedTuple

from csto_dataset._standing import held, not_held_columns
from csto_dataset.errors import (
    ArgumentError,
    BeyondDataWarning,
    CstoDatasetError,
    DataNotInReleaseError,
    shorten,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np
    import pyarrow as pa

    from csto_dataset._release import MembershipStatusName

    Status: TypeAlias = MembershipStatusName | Literal["none"]

Basis = Literal["any", "formal"]

# When intervals overlap (a declared freeze over a formal membership), the first status wins.
# The statuses are the models' vocabulary (`_release.MEMBERSHIP_STATUSES`, generated from
# them): the type checker refuses any other, and a test that one is missing here.
PRECEDENCE: tuple[MembershipStatusName, ...] = (
    "suspended",
    "participation_frozen",
    "member",
    "signatory",
    "observer",
)


# The colour of each status wherever it is drawn (the README's chart, the browse page):
# Okabe-Ito colours, told apart with the common colour-vision deficiencies.
STATUS_COLOURS: dict[MembershipStatusName, str] = {
    "member": "#0072B2",
    "signatory": "#56B4E9",
    "suspended": "#D55E00",
    "participation_frozen": "#E69F00",
    "observer": "#009E73",
}


class Coverage(NamedTuple):
    """The days a membership interval covers: surely, and possibly (dates inclusive)."""

    possible_from: dt.date
    sure_from: dt.date
    sure_until: dt.date | None
    """None: surely to this day (an ongoing interval)."""
    possible_until: dt.date | None
    """None: possibly to this day (no end, or an end no source gives)."""


class StatusOnDay(NamedTuple):
    """A state's status on one day, and whether the sources decide it."""

    status: Status | Literal["uncertain"]
    """The status, or "uncertain" when a boundary's dates leave the day undecided."""
    possible: tuple[Status, ...]
    """Every status the sources allow on the day, in `PRECEDENCE` order ("none" last)."""

    @property
    def certain(self) -> bool:
        return self.status != "uncertain"


# The columns of `memberships` this needs: release 0.1.0 has attestations only (no basis).
NEEDED_COLUMNS = frozenset(
    {"state_id", "status", "basis", "start_earliest", "start_latest", "end", "end_earliest"}
    | {"end_latest", "attested_earliest", "attested_latest"}
)


def membership_status(
    on: dt.date | str | np.datetime64,
    *,
    state: str | None = None,
    basis: Basis = "any",
    version: str | None = None,
) -> dict[str, StatusOnDay]:
    """The status of every state with a membership record (or of `state`) on the day `on`.

    Statuses: "member" (party to the treaty in force / CSTO member), "signatory" (signed, not
    yet in force), "suspended", "participation_frozen", "observer" (in a body of the
    organization, such as the Parliamentary Assembly: see the interval's `organization_id`),
    or "none". With basis="any" (default) declared statuses count too, so Armenia in 2025 is
    "participation_frozen" although formally a member; with basis="formal" only treaties,
    ratifications and decisions of the organization count. Where intervals overlap, the first
    status of `PRECEDENCE` wins.

    Never more certain than the sources: an interval surely covers the days from its start's
    latest day to its end's earliest day, and the day a source attests it, and possibly those
    from its start's earliest day to its end's latest day (a start given as "2012-06" is
    possible from 1 June, sure from 30 June). An interval without an end lasts if it is
    `ongoing`; otherwise it is sure only up to the last day a source attests it, and possible
    after. On a day where what is possible could
    change the answer, the status is "uncertain" and `possible` lists the candidates.

    A day after `last_day(version)` is answered as if nothing changed after it, with a
    `BeyondDataWarning` naming that day: the data cannot show what happened since.

    on: a `datetime.date`, a `datetime.datetime` (its own calendar day), a pandas
    `Timestamp`, a NumPy `datetime64`, or an ISO 8601 string ("2013-06-01").
    """
    day = _day(on)
    check_basis(basis)
    if state is not None and not isinstance(state, str):
        raise ArgumentError(
            f"state must be an ISO alpha-3 code such as 'ARM', got {shorten(state)}"
        )
    states = membership_intervals(version)[0]
    if state is not None:
        if state not in states:
            raise CstoDatasetError(
                f"no membership record for state {shorten(state)}; states with records: "
                f"{', '.join(states)}"
            )
        states = (state,)
    last = last_day(version)
    if day > last:
        from csto_dataset._release import DATA_VERSION

        message = beyond_data_message(day.isoformat(), last.isoformat(), version or DATA_VERSION)
        warnings.warn(message, BeyondDataWarning, stacklevel=2)
    grid = status_grid(day, day, basis=basis, version=version)
    rows = {state: row for row, state in enumerate(grid.states)}
    return {
        s: _on_day(int(grid.status[rows[s], 0]), int(grid.possible[rows[s], 0])) for s in states
    }


def _on_day(status: int, possible: int) -> StatusOnDay:
    """A day's status and possible statuses, as `status_grid` numbers them."""
    candidates = tuple(DAY_STATUSES[i] for i in range(NONE_CODE + 1) if possible >> i & 1)
    return StatusOnDay(DAY_STATUSES[status], candidates)  # type: ignore[arg-type]


class Interval(NamedTuple):
    """One `memberships` row as the status rule reads it."""

    state: str
    status: str
    basis: str
    coverage: Coverage


@functools.cache
def membership_intervals(
    version: str | None = None,
) -> tuple[tuple[str, ...], tuple[Interval, ...]]:
    """The states with a membership record and every interval placed in time, read once per
    data version in a process (a release never changes once published)."""
    from csto_dataset.loader import read_release_table, release_files

    resolved, _, opener = release_files(version)
    table = read_release_table(opener, "memberships")
    missing = NEEDED_COLUMNS - set(table.column_names)
    if missing:
        raise DataNotInReleaseError(
            f"data version {resolved} records memberships without "
            f"{', '.join(sorted(missing))}, which membership_status needs; use data version "
            f"0.2.0 or newer (version=None is the embedded one)"
        )
    rows = table.to_pylist()
    intervals = []
    for row in rows:
        coverage = interval_coverage(row)
        if coverage is not None:
            intervals.append(
                Interval(str(row["state_id"]), str(row["status"]), str(row["basis"]), coverage)
            )
    return tuple(sorted({str(r["state_id"]) for r in rows})), tuple(intervals)


class StatusGrid(NamedTuple):
    """Every state's status on every day of a range, computed at once (`status_grid`)."""

    first: dt.date
    states: tuple[str, ...]
    status: np.ndarray
    """int8 [state, day]: the index of the status in `DAY_STATUSES`."""
    possible: np.ndarray
    """uint8 [state, day]: bit i set when `DAY_STATUSES[i]` is possible on the day."""


# The statuses a day can have, as `StatusGrid` numbers them: `PRECEDENCE`, then "none" and
# "uncertain" (never a possible status of its own).
DAY_STATUSES: tuple[str, ...] = (*PRECEDENCE, "none", "uncertain")
NONE_CODE = len(PRECEDENCE)
UNCERTAIN_CODE = NONE_CODE + 1


# For each set of sure statuses (bits in PRECEDENCE order), the first one; NONE_CODE for none.
_FIRST_SET_BIT = [NONE_CODE] + [(b & -b).bit_length() - 1 for b in range(1, 1 << NONE_CODE)]


def check_basis(basis: str) -> None:
    """Refuse a basis other than "any" and "formal"."""
    if basis not in ("any", "formal"):
        raise ArgumentError(f"unknown basis {shorten(basis)}; expected 'any' or 'formal'")


def status_grid(
    first: dt.date, last: dt.date, *, basis: Basis = "any", version: str | None = None
) -> StatusGrid:
    """What `membership_status` answers for each day from `first` to `last` (inclusive), for
    every state with a membership record, computed over the whole range at once."""
    import numpy as np

    check_basis(basis)
    states, intervals = membership_intervals(version)
    days = (last - first).days + 1
    if days < 1:
        raise ArgumentError(f"the range {first} to {last} holds no day")
    row_of = {s: i for i, s in enumerate(states)}
    sure = np.zeros((len(states), days), dtype=np.uint8)
    maybe = np.zeros((len(states), days), dtype=np.uint8)
    for interval in intervals:
        if basis == "formal" and interval.basis != "formal":
            continue
        bit = np.uint8(1 << PRECEDENCE.index(interval.status))
        row = row_of[interval.state]
        covered = interval.coverage
        for target, start, end in (
            (maybe, covered.possible_from, covered.possible_until),
            (sure, covered.sure_from, covered.sure_until),
        ):
            lo = max((start - first).days, 0)
            hi = days if end is None else min((end - first).days + 1, days)
            if lo < hi:
                target[row, lo:hi] |= bit
    maybe |= sure
    # the winner is the surely covered status first in precedence ("none" without one)
    winner = np.array(_FIRST_SET_BIT, dtype=np.int8)[sure]
    rivals = maybe & ((np.left_shift(np.uint8(1), winner.astype(np.uint8)) - 1).astype(np.uint8))
    status = np.where(rivals == 0, winner, np.int8(UNCERTAIN_CODE)).astype(np.int8)
    possible = (rivals | np.left_shift(np.uint8(1), winner.astype(np.uint8))).astype(np.uint8)
    return StatusGrid(first, states, status, possible)


def beyond_data_message(day: str, last: str, version: str) -> str:
    """What is said of an answer for a `day` after the data's `last` (ISO days): the warning,
    the command line and the browse page (which fills in "{day}") use these words."""
    return (
        f"{day} is after {last}, the last day data version {version} records: the answer "
        "assumes nothing changed since"
    )


@functools.cache
def last_day(version: str | None = None) -> dt.date:
    """The newest day data version `version` records: that of its newest statement or
    held Council session (version=None: the embedded release)."""
    from csto_dataset.loader import release_files

    resolved, _, opener = release_files(version)
    return release_last_day(opener, resolved)


def release_last_day(opener: Callable[[str], IO[bytes]], version: str) -> dt.date:
    """`last_day` of the release whose files `opener` opens (data version `version`)."""
    from csto_dataset.loader import read_release_table

    said = read_release_table(opener, "statements", ["date_earliest"])["date_earliest"]
    events = read_release_table(
        opener, "events", ["kind", "date_earliest", *not_held_columns("events")]
    )
    last = newest_day(said, events)
    if last is None:
        raise DataNotInReleaseError(f"data version {version} records no dated statement")
    return last


def newest_day(said: pa.ChunkedArray, events: pa.Table) -> dt.date | None:
    """The day a release's data runs to: the newest of the statements' earliest days (`said`)
    and of the earliest days of the Council sessions held (`events`: `kind`, `date_earliest`
    and the columns `held` reads; not only announced, not cancelled, see `_standing`)."""
    days = said.to_pylist()
    days += [
        row["date_earliest"]
        for row in events.to_pylist()
        if row.get("kind") == "council_session" and held("events", row)
    ]
    return max((day for day in days if day), default=None)


def interval_coverage(row: Mapping[str, Any]) -> Coverage | None:
    """The one rule of which days a `memberships` row covers (see `membership_status`); None
    for an interval that is not placed in time. The build's checks, the charts and the browse
    page all take it from here."""
    first: dt.date | None = row["start_earliest"]
    if first is None:
        return None
    sure_from: dt.date = row["start_latest"]
    # a day on which a source attests the status is sure, even inside the start's window
    attested: dt.date | None = row.get("attested_earliest")
    if attested is None or attested != row.get("attested_latest"):
        attested = None
    possible_until: dt.date | None = None
    if row["end"] is not None:
        sure_until: dt.date | None = row["end_earliest"]
        possible_until = row["end_latest"]
    elif row.get("ongoing", True):
        sure_until = None
    else:
        sure_until = max(sure_from, attested) if attested is not None else sure_from
    if attested is not None:
        sure_from = min(sure_from, attested)
    return Coverage(first, sure_from, sure_until, possible_until)


def _day(on: object) -> dt.date:
    """The calendar day `on` names, or ArgumentError saying what is accepted."""
    day: object = None
    if isinstance(on, dt.datetime):  # pandas Timestamp too; before date, its base class
        day = on.date()
    elif isinstance(on, dt.date):
        day = on
    elif type(on).__name__ == "datetime64" and type(on).__module__ == "numpy":
        day = on.astype("datetime64[D]").item()  # type: ignore[attr-defined]
    elif isinstance(on, str):
        day = _parse_iso(on.strip())
    else:
        raise ArgumentError(
            f"expected a day (a datetime.date or datetime, a pandas Timestamp, a NumPy "
            f"datetime64, or an ISO string such as '2013-06-01'), got {type(on).__name__} "
            f"{shorten(on)}"
        )
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):  # NaT is a datetime
        raise ArgumentError(f"expected a day as YYYY-MM-DD, got {shorten(on)}")
    return day


def _parse_iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None
