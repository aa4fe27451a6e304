"""`membership_status()`: each state's standing towards the treaty / CSTO on a given day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from csto_dataset.errors import ArgumentError, CstoDatasetError, DataNotInReleaseError, shorten

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np

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

    on: a `datetime.date`, a `datetime.datetime` (its own calendar day), a pandas
    `Timestamp`, a NumPy `datetime64`, or an ISO 8601 string ("2013-06-01").
    """
    day = _day(on)
    if basis not in ("any", "formal"):
        raise ArgumentError(f"unknown basis {shorten(basis)}; expected 'any' or 'formal'")
    if state is not None and not isinstance(state, str):
        raise ArgumentError(
            f"state must be an ISO alpha-3 code such as 'ARM', got {shorten(state)}"
        )
    from csto_dataset.loader import load

    table = load("memberships", backend="pyarrow", version=version)
    missing = NEEDED_COLUMNS - set(table.column_names)
    if missing:
        from csto_dataset._release import DATA_VERSION

        raise DataNotInReleaseError(
            f"data version {version or DATA_VERSION} records memberships without "
            f"{', '.join(sorted(missing))}, which membership_status needs; use data version "
            f"0.2.0 or newer (version=None is the embedded one)"
        )
    rows = table.to_pylist()
    states = sorted({str(r["state_id"]) for r in rows})
    if state is not None:
        if state not in states:
            raise CstoDatasetError(
                f"no membership record for state {shorten(state)}; states with records: "
                f"{', '.join(states)}"
            )
        states = [state]
    sure: dict[str, set[str]] = {s: set() for s in states}
    maybe: dict[str, set[str]] = {s: set() for s in states}
    for row in rows:
        if str(row["state_id"]) not in sure or (basis == "formal" and row["basis"] != "formal"):
            continue
        coverage = _coverage(row, day)
        if coverage is not None:
            (sure if coverage else maybe)[str(row["state_id"])].add(str(row["status"]))
    return {s: _decide(sure[s], maybe[s]) for s in states}


def _coverage(row: dict[str, Any], day: dt.date) -> bool | None:
    """True if the interval surely covers `day`, False if possibly, None if not at all."""
    first: dt.date | None = row["start_earliest"]
    if first is None or day < first:
        return None  # an interval without a start is not placed in time
    sure_from: dt.date = row["start_latest"]
    # a day on which a source attests the status is sure, even inside the start's window
    attested: dt.date | None = row.get("attested_earliest")
    if attested is None or attested != row.get("attested_latest"):
        attested = None
    if row["end"] is not None:
        if day > row["end_latest"]:
            return None
        sure_until: dt.date | None = row["end_earliest"]
    elif row.get("ongoing", True):
        sure_until = None
    else:
        sure_until = max(sure_from, attested) if attested is not None else sure_from
    if attested is not None:
        sure_from = min(sure_from, attested)
    return sure_from <= day and (sure_until is None or day <= sure_until)


def _decide(sure: set[str], maybe: set[str]) -> StatusOnDay:
    winner: Status = next((p for p in PRECEDENCE if p in sure), "none")
    rank = PRECEDENCE.index(winner) if winner != "none" else len(PRECEDENCE)
    rivals: list[Status] = [p for p in PRECEDENCE[:rank] if p in maybe and p not in sure]
    if not rivals:
        return StatusOnDay(winner, (winner,))
    possible: tuple[Status, ...] = (*rivals, winner)
    return StatusOnDay("uncertain", possible)


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
