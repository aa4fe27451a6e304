"""The panels' rows as Pydantic models: the source of truth for the columns `panel()` returns.

A panel is computed from a release's tables, not stored in it: state-year and dyad-year rows
in the form country-year datasets (Correlates of War, ATOP, V-Dem, peacesciencer) are merged
on, and state-day rows for event studies. The build generates `csto_dataset/panels.json` (the
columns, for the runtime, which never imports Pydantic, and for the R package) and the panels'
part of the data dictionary from these models.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, Field

from csto_dataset.models import IsoDateField

__all__ = ["PANELS", "DayStatus", "DyadYear", "PanelRow", "StateDay", "StateYear"]


class DayStatus(StrEnum):
    """A state's status on one day: a membership status (`MembershipStatus`, the same values,
    a test checks), none, or uncertain where the sources' dates leave the day undecided."""

    SIGNATORY = "signatory"
    MEMBER = "member"
    SUSPENDED = "suspended"
    PARTICIPATION_FROZEN = "participation_frozen"
    OBSERVER = "observer"
    NONE = "none"
    UNCERTAIN = "uncertain"


Code = Annotated[int, Field(ge=1, le=999)]
Day = Annotated[str, IsoDateField()]
Count = Annotated[int, Field(ge=0)]
DayCount = Annotated[int, Field(ge=0, le=366)]


class PanelRow(BaseModel):
    """One row of a panel."""

    unit: ClassVar[str]
    title: ClassVar[str]
    key: ClassVar[tuple[str, ...]]


class StateYear(PanelRow):
    """One state that has a membership record (member, former member, observer) in one year,
    1992 to the year of the release's last day."""

    unit: ClassVar[str] = "state-year"
    title: ClassVar[str] = "State-year panel"
    key: ClassVar[tuple[str, ...]] = ("state_id", "year")

    state_id: str = Field(description="ISO 3166-1 alpha-3 code of the state (states.id).")
    cow_code: Code | None = Field(description="Correlates of War state number (states.cow_code).")
    gw_code: Code | None = Field(description="Gleditsch and Ward state number (states.gw_code).")
    year: Annotated[int, Field(ge=1992)] = Field(description="The calendar year.")
    days_in_data: DayCount = Field(
        description=(
            "Days of the year up to the release's last day: 365 or 366, fewer in the last "
            "year. The day counts below cover these days only."
        )
    )
    status_jan1: DayStatus = Field(description="The state's status on 1 January.")
    status_dec31: DayStatus | None = Field(
        description="The state's status on 31 December; empty when that day is past the data."
    )
    days_member_sure: DayCount = Field(description="Days surely a member.")
    days_member_possible: DayCount = Field(
        description="Days possibly a member (the sure days included)."
    )
    days_signatory_sure: DayCount = Field(description="Days surely a signatory not yet bound.")
    days_signatory_possible: DayCount = Field(description="Days possibly a signatory.")
    days_suspended_sure: DayCount = Field(description="Days surely suspended.")
    days_suspended_possible: DayCount = Field(description="Days possibly suspended.")
    days_frozen_sure: DayCount = Field(
        description=(
            "Days of surely frozen participation (status participation_frozen, a declared "
            "status: counted with basis 'any' only)."
        )
    )
    days_frozen_possible: DayCount = Field(description="Days of possibly frozen participation.")
    days_observer_sure: DayCount = Field(description="Days surely an observer (in a body).")
    days_observer_possible: DayCount = Field(description="Days possibly an observer.")
    days_uncertain: DayCount = Field(
        description="Days whose status the sources' dates leave undecided."
    )
    chaired_sure: bool = Field(
        description="The state surely chaired the organization on at least one day of the year."
    )
    chaired_possible: bool = Field(
        description="The state possibly chaired the organization on a day of the year."
    )
    csc_sessions_held: Count = Field(
        description="Sessions of the Collective Security Council held in the year (any state)."
    )
    csc_sessions_hosted: Count = Field(description="Of those, sessions held in the state.")
    csc_sessions_attended: Count = Field(
        description="Of those, sessions the state took part in, in person or by video."
    )
    ministerial_sessions_held: Count = Field(
        description=(
            "Sessions of the Council of Foreign Ministers, the Council of Defence Ministers and "
            "the Committee of Secretaries of Security Councils held in the year (any state)."
        )
    )
    ministerial_sessions_hosted: Count = Field(description="Of those, sessions held in the state.")
    ministerial_sessions_attended: Count = Field(
        description="Of those, sessions the state took part in, in person or by video."
    )
    declarations_adopted: Count = Field(
        description=(
            "Declarations and joint statements (documents of kind declaration or statement) "
            "adopted at an event of the year (any state)."
        )
    )
    declarations_signed: Count = Field(
        description="Of those, the ones a source reports the state signed (reservations included)."
    )
    declarations_signed_inferred: Count = Field(
        description=(
            "Of those, the ones the state is inferred to have signed: it attended and no "
            "refusal is reported (document_signatures.inferred)."
        )
    )
    declarations_declined: Count = Field(description="Of those, the ones the state declined.")
    exercises_hosted: Count = Field(
        description="Exercises and operations held in the state that began in the year."
    )
    exercises_joined: Count = Field(
        description="Exercises and operations that began in the year with the state taking part."
    )
    statements_made: Count = Field(
        description="Statements in the year spoken for the state (statements.speaker_state_id)."
    )
    initiatives_proposed: Count = Field(
        description="Initiatives the state proposed in the year (initiatives.proposer_state_id)."
    )


class StateDay(PanelRow):
    """One state that has a membership record on one day of a range."""

    unit: ClassVar[str] = "state-day"
    title: ClassVar[str] = "State-day panel"
    key: ClassVar[tuple[str, ...]] = ("state_id", "date")

    state_id: str = Field(description="ISO 3166-1 alpha-3 code of the state (states.id).")
    cow_code: Code | None = Field(description="Correlates of War state number (states.cow_code).")
    gw_code: Code | None = Field(description="Gleditsch and Ward state number (states.gw_code).")
    date: Day = Field(description="The day.")
    status: DayStatus = Field(description="The state's status on the day.")
    possible: str = Field(
        description=(
            "Every status the sources allow on the day, separated by '|', in order of "
            "precedence ('none' last): one status where `status` is certain."
        )
    )


class DyadYear(PanelRow):
    """One pair of states in one year in which both were possibly members on at least one
    common day: the treaty's alliance dyads."""

    unit: ClassVar[str] = "dyad-year"
    title: ClassVar[str] = "Dyad-year panel"
    key: ClassVar[tuple[str, ...]] = ("state_id1", "state_id2", "year")

    state_id1: str = Field(description="ISO 3166-1 alpha-3 code of the first state.")
    state_id2: str = Field(description="ISO 3166-1 alpha-3 code of the second state.")
    ccode1: Code | None = Field(description="Correlates of War state number of the first state.")
    ccode2: Code | None = Field(description="Correlates of War state number of the second state.")
    gwcode1: Code | None = Field(description="Gleditsch and Ward state number of the first state.")
    gwcode2: Code | None = Field(description="Gleditsch and Ward state number of the second state.")
    year: Annotated[int, Field(ge=1992)] = Field(description="The calendar year.")
    days_joint_sure: DayCount = Field(description="Days on which both were surely members.")
    days_joint_possible: DayCount = Field(
        description="Days on which both were possibly members (the sure days included)."
    )


PANELS: tuple[type[PanelRow], ...] = (StateYear, StateDay, DyadYear)
