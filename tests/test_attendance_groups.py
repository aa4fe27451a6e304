"""Attendances are written in entries under their session (cstobuild.attendance_groups): the
reader expands each entry into the records that one record per state would be. What the
rules refuse in an entry: tests/test_rules.py; how it is reported: test_problem_reports.py."""

from __future__ import annotations

from typing import Any

from cstobuild.attendance_groups import DERIVED, expand
from cstobuild.strict_yaml import read_record_file

from csto_dataset.models import TABLES, Attendance

SESSION = """\
events:
- id: "2004-06-18-csc-astana"
  kind: council_session
  name: CSTO summit in Astana
  date: "2004-06-18"
  date_inferred: false
  organization_id: csto-csc
  source_id: itartass-2004-06-18-csto-astana

attendances:
- states: [ARM, BLR]
  status: attended
  source_id: itartass-2004-06-18-csto-astana
  excerpt: "Presidents of Armenia, Belarus"
  note: Secondary source.
- states: [KAZ]
  status: attended
  announced_only: true
  person_id: nazarbayev-nursultan
  source_id: itartass-2004-06-18-csto-astana
"""
SHARED = {"status": "attended", "source_id": "itartass-2004-06-18-csto-astana"}
FLAT: list[dict[str, Any]] = [
    {
        "id": f"2004-06-18-csc-astana-{state.lower()}",
        "event_id": "2004-06-18-csc-astana",
        "state_id": state,
        **SHARED,
        "excerpt": "Presidents of Armenia, Belarus",
        "note": "Secondary source.",
    }
    for state in ("ARM", "BLR")
] + [
    {
        "id": "2004-06-18-csc-astana-kaz",
        "event_id": "2004-06-18-csc-astana",
        "state_id": "KAZ",
        **SHARED,
        "announced_only": True,
        "person_id": "nazarbayev-nursultan",
    }
]


def expanded(text: str) -> list[Any]:
    sections = read_record_file(text, [spec.model.table for spec in TABLES])
    records, problems = expand("records/sessions/2004-06-18-csc-astana.yaml", sections)
    assert problems == []
    return records


def test_an_entry_gives_the_records_written_one_per_state() -> None:
    got = [Attendance.model_validate(raw.data) for raw in expanded(SESSION)]
    want = [Attendance.model_validate(flat) for flat in FLAT]
    assert [(a.model_dump(), a.model_fields_set) for a in got] == [
        (a.model_dump(), a.model_fields_set) for a in want
    ]


def test_each_record_keeps_the_lines_of_its_entry() -> None:
    arm, blr, kaz = expanded(SESSION)
    assert [arm.line_of(field) for field in ("id", "event_id", "state_id", "excerpt")] == [
        11,
        11,
        11,
        14,
    ]
    assert blr.lines() == arm.lines()
    assert (kaz.line_of("state_id"), kaz.line_of("person_id")) == (16, 19)


def test_the_fields_an_entry_does_not_write_are_fields_of_the_model() -> None:
    assert set(DERIVED) < set(Attendance.model_fields)
