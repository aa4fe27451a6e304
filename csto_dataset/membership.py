"""`membership_status()`: each state's standing towards the treaty / CSTO on a given day."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from csto_dataset.errors import CstoDatasetError

Status = Literal["suspended", "participation_frozen", "member", "signatory", "observer", "none"]
Basis = Literal["any", "formal"]

# When intervals overlap (a declared freeze over a formal membership), the first status wins.
PRECEDENCE: tuple[Status, ...] = (
    "suspended",
    "participation_frozen",
    "member",
    "signatory",
    "observer",
)


def membership_status(
    on: dt.date | str,
    *,
    state: str | None = None,
    basis: Basis = "any",
    version: str | None = None,
) -> dict[str, Status]:
    """The status of every state with a membership record (or of `state`) on the day `on`.

    Statuses: "member" (party to the treaty in force / CSTO member), "signatory" (signed, not
    yet in force), "suspended", "participation_frozen", "observer" (in a body of the
    organization, such as the Parliamentary Assembly: see the interval's `organization_id`),
    or "none". An interval
    covers `on` when its start's earliest day is on or before it and its end (if any) has a
    latest day on or after it. With basis="any" (default) declared statuses count too, so
    Armenia from February 2024 is "participation_frozen" although formally a member; with
    basis="formal" only treaties, ratifications and decisions of the organization count.
    Where intervals overlap, the first status of `PRECEDENCE` wins.
    """
    day = _day(on)
    if basis not in ("any", "formal"):
        raise CstoDatasetError(f"unknown basis {basis!r}; expected 'any' or 'formal'")
    from csto_dataset.loader import load

    rows = load("memberships", backend="pyarrow", version=version).to_pylist()
    states = sorted({str(r["state_id"]) for r in rows})
    if state is not None:
        if state not in states:
            raise CstoDatasetError(
                f"no membership record for state {state!r}; states with records: "
                f"{', '.join(states)}"
            )
        states = [state]
    found: dict[str, set[str]] = {s: set() for s in states}
    for row in rows:
        if str(row["state_id"]) not in found or (basis == "formal" and row["basis"] != "formal"):
            continue
        if _covers(row["start_earliest"], row["end_latest"], day):
            found[str(row["state_id"])].add(str(row["status"]))
    return {s: next((p for p in PRECEDENCE if p in found[s]), "none") for s in states}


def _covers(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """An interval without a start is not placed in time; one without an end lasts."""
    return start is not None and start <= day and (end is None or day <= end)


def _day(on: dt.date | str) -> dt.date:
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise CstoDatasetError(f"expected a day as YYYY-MM-DD, got {on!r}") from None
