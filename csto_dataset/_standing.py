"""What "held" means, for a curated record and for a release row alike.

The models mark the fields that can say a record did not happen as recorded (`NotHeld`: an
event only announced or cancelled, an exercise postponed); the build copies those marks into
`_release.NOT_HELD` for the installed package, which never imports Pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time: its names are for type checkers
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Literal, TypeAlias

    Standing: TypeAlias = Literal["held", "announced", "cancelled"]
else:
    Standing = str


def standing(row: Mapping[str, object], marks: Mapping[str, Mapping[Any, str]]) -> Standing:
    """`cancelled` or `announced` where a marked field of `row` holds a value of that
    standing (cancelled first: a cancelled event was announced too), `held` otherwise."""
    found = {marks[field].get(row.get(field)) for field in marks}
    return "cancelled" if "cancelled" in found else "announced" if "announced" in found else "held"


def held(table: str, row: Mapping[str, object]) -> bool:
    """True unless a release row of `table` is only announced or cancelled."""
    from csto_dataset._release import NOT_HELD  # generated from the models, which import this

    return standing(row, NOT_HELD.get(table, {})) == "held"


def not_held_columns(table: str) -> tuple[str, ...]:
    """The columns of `table` that `held` reads."""
    from csto_dataset._release import NOT_HELD

    return tuple(NOT_HELD.get(table, {}))
