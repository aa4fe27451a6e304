"""Attendances are written in groups under their session, one entry per source statement:

    attendances:
    - states: [ARM, BLR, KAZ]
      status: attended
      source_id: ...
      excerpt: ...

An entry holds the fields of `Attendance` but the three each state's record derives: its
`event_id` is the file's one council session, its `state_id` each code of `states`, and its
`id` the table's id rule (`<event id>-<state code in lower case>`). The reader expands an entry
into one record per state, which the model then validates like any other: a problem in an
entry is reported for each record it touches, on the line of the field (of `states` for `id`
and `state_id`). States that differ in any other field are separate entries.
"""

from __future__ import annotations

from cstobuild.problems import Problem
from cstobuild.rulebook import rule
from cstobuild.strict_yaml import RawRecord

from csto_dataset.models import Attendance, EventKind

STATES = "states"
DERIVED = ("id", "event_id", "state_id")
"""The fields of `Attendance` an entry does not write: each state's record derives them."""


def session_id(sections: dict[str, list[RawRecord]]) -> str | None:
    """The id of the file's council session, if it holds exactly one."""
    ids = [
        raw.data.get("id")
        for raw in sections.get("events", [])
        if raw.data.get("kind") == EventKind.COUNCIL_SESSION
    ]
    return ids[0] if len(ids) == 1 and isinstance(ids[0], str) else None


def expand(
    file: str, sections: dict[str, list[RawRecord]]
) -> tuple[list[RawRecord], list[Problem]]:
    """The attendance entries of one record file as one raw record per state, in file order,
    and the problems of the entries' own form."""
    event_id = session_id(sections)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for entry in sections.get(Attendance.table, []):
        found = _form_problems(file, entry, event_id)
        if found or event_id is None:
            problems.extend(found)
            continue
        where = entry.line_of(STATES)
        fields = {key: value for key, value in entry.data.items() if key != STATES}
        lines = {key: line for key, line in entry.field_lines.items() if key != STATES}
        for state in entry.data[STATES]:
            derived = {
                "id": state_record_id(event_id, state),
                "event_id": event_id,
                "state_id": state,
            }
            derived_lines = {"id": where, "event_id": entry.line, "state_id": where}
            records.append(RawRecord(entry.line, derived | fields, derived_lines | lines))
    return records, problems


def state_record_id(owner_id: str, state: str) -> str:
    """The id rule of a state's attendance at a session and of its signature of a document:
    the owner's id, a hyphen and the state code in lower case."""
    return f"{owner_id}-{state.lower()}"


def _form_problems(file: str, entry: RawRecord, event_id: str | None) -> list[Problem]:
    """What keeps an entry from being expanded: no session in the file, no list of states, or
    a field its records derive written in it (reported for each record it would give)."""
    if event_id is None:
        message = (
            "attendances are filed under their session, in `sessions/<event id>.yaml` with its "
            "one council_session event"
        )
        return [Problem(file, entry.line, None, None, message).under(rule("filed-by-subject"))]
    states = entry.data.get(STATES)
    if not isinstance(states, list) or not states or not all(isinstance(s, str) for s in states):
        message = "give the states this entry covers as a list of codes (`states: [ARM, BLR]`)"
        return [Problem(file, entry.line_of(STATES), None, STATES, message).under(rule("model"))]
    message = f"derived from `states` and the file's session ({event_id}); remove it"
    return [
        Problem(file, entry.line_of(key), state_record_id(event_id, state), key, message).under(
            rule("model")
        )
        for state in states
        for key in DERIVED
        if key in entry.data
    ]
