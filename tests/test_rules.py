"""Each rule of the rulebook refuses a record that breaks it, naming file, line, record, field
and rule: one table of cases (`CASES`), every rule tested here and only here. How problems
are reported (all at once, nothing written, the command line's words) is tested in
tests/test_problem_reports.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cstobuild.layout import Layout
from cstobuild.problems import Problem, RecordsError, RecordWarning
from cstobuild.release import curate
from cstobuild.rulebook import RULES

from csto_dataset.models import TABLES

RECORDS = Path(__file__).resolve().parent.parent / "build" / "records"
TEST_FILE = "records/zz-test.yaml"
CONTEXT = (
    "Thus, Moscow is concerned about the global activities of NATO led by the United States, "
    "Minsk is concerned about the growing tension near its western borders and the internal "
    "political situation,"
)
GOOD_STATEMENT = f"""\
- id: 2022-11-23-test-statement
  kind: paraphrase
  text: Moscow is concerned about the global activities of NATO led by the United States
  speaker_state_id: RUS
  date: "2022-11-23"
  date_inferred: true
  topics: [nato_and_the_west]
  language: en
  translated: true
  translator: unknown
  source_id: bbabo-4308632
  locator: paragraph 9
  context: {CONTEXT}
  speaker_inferred: true
  note: The source names the state by its capital.
"""
NORWAY = """\
- id: NOR
  name: Norway
  iso_alpha2: 'NO'
  iso_numeric: '578'
  cow_code: 385
  cow_letter: NOR
  wikidata: Q20
  source_id: statoids-country-codes
  cow_source_id: cow-state-system-membership
"""
CLAIM = """\
- id: 2022-11-23-csc-yerevan-place-test
  record_table: events
  record_id: 2022-11-23-csc-yerevan
  field: place
  value: Ереван
  source_id: bbabo-4308632
"""


def problems_in(sandbox: Path, files: dict[str, str], archive: Path | None = None) -> list[Problem]:
    """The problems once `files` (paths under build/records) are added to the records."""
    for name, text in files.items():
        (sandbox / "build" / "records" / name).write_text(text, encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), archive)
    return caught.value.problems


def in_test_file(table: str, text: str) -> dict[str, str]:
    return {"zz-test.yaml": f"{table}:\n{text}"}


def statement(**changes: str) -> str:
    """The good test statement with some lines replaced (`"old line": "new line"`)."""
    text = GOOD_STATEMENT
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


MEMBERSHIP = """\
- id: {state}-{status}-{start}
  state_id: {state_upper}
  status: {status}
  basis: formal
  start: "{start}"
  end: "{end}"
  ongoing: false
  source_id: bbabo-4308632
"""


def membership(state: str, status: str, start: str, end: str) -> str:
    return MEMBERSHIP.format(
        state=state.lower(), state_upper=state, status=status, start=start, end=end
    )


UNDATED_EVENT = """\
- id: test-undated-session
  kind: council_session
  name: A session without a date
  date: null
  date_inferred: false
  organization_id: csto-csc
  source_id: bbabo-4308632
"""

SOURCE = """\
- id: {id}
  publisher_id: {publisher}
  title: null
  url: "https://{host}/test-page"
  published: "2022-11-23"
  published_inferred: false
  accessed: "2026-12-07"
  kind: news_report
  language: en
  secondary: false
  archive_file: null
"""


_AFTER_ATTENDANCES = [spec.model.table for spec in TABLES][
    [spec.model.table for spec in TABLES].index("attendances") + 1 :
]


DUSHANBE = "2015-09-15-csc-dushanbe"


def attendance_case(
    event_id: str, entry: str, record_id: str | None, field: str | None, words: str
) -> tuple[dict[str, str], tuple[str, int, str | None, str | None], str]:
    """A case that adds `entry` as the last attendance entry of the session's file and expects
    the problem on the line of `field` in the entry (its first line where it does not write
    the field: `id` and `state_id` are on the line of `states`)."""
    name = f"sessions/{event_id}.yaml"
    text = (RECORDS / name).read_text(encoding="utf-8")
    later = [
        m.start() for m in re.finditer(r"^([a-z_]+):$", text, re.M) if m[1] in _AFTER_ATTENDANCES
    ]
    end = later[0] if later else len(text)
    head = text[:end].rstrip("\n") + "\n"
    if "\nattendances:\n" not in text:
        head += "\nattendances:\n"
    fields = [line.lstrip("- ").split(":", 1)[0] for line in entry.splitlines()]
    line = head.count("\n") + 1 + (fields.index(field) if field in fields else 0)
    files = {name: head + entry + ("\n" + text[end:] if later else "")}
    return files, (f"records/{name}", line, record_id, field), words


def dated(date: str) -> dict[str, str]:
    return in_test_file("statements", statement(**{'date: "2022-11-23"': f'date: "{date}"'}))


# "rule" or "rule: what else breaks it": (files to add, expected (file, line, record id,
# field), words of the message)
CASES: dict[str, tuple[dict[str, str], tuple[str, int, str | None, str | None], str]] = {
    "record-files": ({"notes.txt": "a note"}, ("records/notes.txt", 1, None, None), ".yaml"),
    "file-size": (
        {"zz-big.yaml": "statements:\n" + "#" * 1_000_001 + "\n"},
        ("records/zz-big.yaml", 1, None, None),
        "larger than 1000000 bytes",
    ),
    "non-empty-file": ({"zz-test.yaml": ""}, (TEST_FILE, 1, None, None), "empty"),
    "strict-yaml": (
        in_test_file("statements", GOOD_STATEMENT + "  language: ru\n"),
        (TEST_FILE, 17, "2022-11-23-test-statement", "language"),
        "duplicate key 'language' (first on line 9)",
    ),
    "model": (
        in_test_file("statements", statement(**{"  language: en\n": ""})),
        (TEST_FILE, 2, "2022-11-23-test-statement", "language"),
        "required field is missing",
    ),
    "unique-ids": (
        in_test_file("publishers", "- id: kremlin\n  name: Another Kremlin\n  tier: official\n"),
        (TEST_FILE, 2, "kremlin", "id"),
        "duplicate id in publishers",
    ),
    "id-rules": (
        in_test_file("statements", statement(**{"- id: 2022-11-23-": "- id: 2021-01-01-"})),
        (TEST_FILE, 2, "2021-01-01-test-statement", "id"),
        "should start with `2022-11-23-`",
    ),
    "one-source-per-url": (
        in_test_file(
            "sources",
            """\
- id: kremlin-supplement-3506-again
  publisher_id: kremlin
  title: null
  url: "http://en.special.kremlin.ru/supplement/3506"
  published: null
  published_inferred: false
  accessed: "2026-11-30"
  kind: official_website
  language: en
  secondary: false
  archive_file: null
""",
        ),
        (TEST_FILE, 5, "kremlin-supplement-3506-again", "url"),
        "the same URL as source 'kremlin-supplement-3506'",
    ),
    "one-record-per-name": (
        in_test_file(
            "publishers", "- id: kremlin-again\n  name: President of Russia\n  tier: official\n"
        ),
        (TEST_FILE, 3, "kremlin-again", "name"),
        "one record per publisher",
    ),
    "references": (
        in_test_file("statements", statement(**{"source_id: bbabo": "source_id: nowhere-bbabo"})),
        (TEST_FILE, 12, "2022-11-23-test-statement", "source_id"),
        "refers to sources id 'nowhere-bbabo-4308632', which does not exist",
    ),
    "no-parent-cycles": (
        in_test_file(
            "organizations",
            """\
- id: test-body
  name: A test body
  kind: csto_body
  parent_id: test-body
  source_id: bbabo-4308632
""",
        ),
        (TEST_FILE, 5, "test-body", "parent_id"),
        "parent chain loops back to 'test-body'",
    ),
    "filed-by-subject": (
        in_test_file("statements", GOOD_STATEMENT),
        (TEST_FILE, 2, "2022-11-23-test-statement", "id"),
        "misplaced",
    ),
    "text-in-context": (
        in_test_file("statements", statement(**{"led by the United States\n": "led by NATO\n"})),
        (TEST_FILE, 4, "2022-11-23-test-statement", "text"),
        "does not occur in `context`",
    ),
    "best-witness": (
        {
            "zz-test.yaml": "statements:\n"
            + GOOD_STATEMENT
            + """\
witnesses:
- id: 2022-11-23-test-statement--kremlin-supplement-3506
  statement_id: 2022-11-23-test-statement
  source_id: kremlin-supplement-3506
  kind: paraphrase
  language: ru
  text: Москва обеспокоена
  context: Москва обеспокоена.
  translated: false
""",
        },
        (TEST_FILE, 20, "2022-11-23-test-statement--kremlin-supplement-3506", "source_id"),
        "ranks above the statement's own",
    ),
    "spoken-language": (
        in_test_file(
            "statements",
            statement(
                **{
                    "  translated: true\n  translator: unknown\n": (
                        "  spoken_language_inferred: true\n  translated: false\n"
                    )
                }
            ),
        ),
        (TEST_FILE, 9, "2022-11-23-test-statement", "language"),
        "spoken_language is shown, not inferred",
    ),
    "relays-secondary": (
        in_test_file(
            "sources", SOURCE.format(id="bbabo-test", publisher="bbabo-net", host="x.org")
        ),
        (TEST_FILE, 11, "bbabo-test", "secondary"),
        "its publisher is a mirror outlet",
    ),
    "no-test-hosts": (
        in_test_file(
            "sources", SOURCE.format(id="tass-test", publisher="tass", host="test.tass.ru")
        ),
        (TEST_FILE, 5, "tass-test", "url"),
        "a test, staging or CDN host",
    ),
    "no-placeholder-publishers": (
        in_test_file("publishers", "- id: unknown-outlet\n  name: an outlet\n  tier: press\n"),
        (TEST_FILE, 2, "unknown-outlet", "id"),
        "a placeholder, not an outlet",
    ),
    "nfc-text": (
        in_test_file("statements", statement(**{"note: The": "note: \u0418\u0306 The"})),
        (TEST_FILE, 16, "2022-11-23-test-statement", "note"),
        "U+0306 COMBINING BREVE, character 2",
    ),
    "visible-text": (
        in_test_file("statements", statement(**{"note: The": "note: \u202eThe"})),
        (TEST_FILE, 16, "2022-11-23-test-statement", "note"),
        "U+202E RIGHT-TO-LEFT OVERRIDE at character 1",
    ),
    "intervals-ordered": (
        in_test_file("memberships", membership("SRB", "observer", "2020-01-02", "2020-01-01")),
        (TEST_FILE, 7, "srb-observer-2020-01-02", "end"),
        "ends (2020-01-01) before it starts (2020-01-02)",
    ),
    "not-after-source": (
        in_test_file(
            "statements",
            statement(**{'"2022-11-23"': '"2022-12-05"', "- id: 2022-11-23-": "- id: 2022-12-05-"}),
        ),
        (TEST_FILE, 6, "2022-12-05-test-statement", "date"),
        "after its source 'bbabo-4308632' was published (2022-11)",
    ),
    "not-after-cutoff": (
        in_test_file(
            "statements",
            statement(
                **{
                    '"2022-11-23"': '"2026-03"',
                    "- id: 2022-11-23-": "- id: 2026-03-",
                    "source_id: bbabo-4308632\n  locator: paragraph 9": "source_id: 24kg-267969",
                }
            ),
        ),
        (TEST_FILE, 6, "2026-03-test-statement", "date"),
        "after the release's cut-off",
    ),
    "memberships-disjoint": (
        in_test_file("memberships", membership("RUS", "member", "2000-01-01", "2001")),
        (TEST_FILE, 6, "rus-member-2000-01-01", "start"),
        "overlaps 'rus-member-1994-04-20'",
    ),
    "membership-order": (
        in_test_file("memberships", membership("SRB", "suspended", "2015", "2016")),
        (TEST_FILE, 4, "srb-suspended-2015", "status"),
        "a membership it never had",
    ),
    "attendance-by-members": attendance_case(
        DUSHANBE,
        "- states: [UZB]\n  status: absent\n  source_id: bbabo-4308632\n",
        "2015-09-15-csc-dushanbe-uzb",
        "state_id",
        "UZB was not a signatory, member or observer",
    ),
    "documents-dated-by-session": (
        {
            "zz-test.yaml": "events:\n"
            + UNDATED_EVENT
            + """\
documents:
- id: test-undated-session-decision
  event_id: test-undated-session
  kind: decision
  title: A decision
  source_id: bbabo-4308632
""",
        },
        (TEST_FILE, 11, "test-undated-session-decision", "event_id"),
        "which has no date",
    ),
    "update-after-initiative": (
        in_test_file(
            "initiative_updates",
            """\
- id: 2022-11-23-blr-chairmanship-2023-held-2022-01
  initiative_id: 2022-11-23-blr-chairmanship-2023
  status: held
  date: "2022-01"
  source_id: bbabo-4308632
  excerpt: Belarus
""",
        ),
        (TEST_FILE, 5, "2022-11-23-blr-chairmanship-2023-held-2022-01", "date"),
        "before its initiative",
    ),
    "retired-ids": (
        in_test_file("memberships", membership("ARM", "member", "2022-11", "2022-11")),
        (TEST_FILE, 2, "arm-member-2022-11", "id"),
        "retired",
    ),
    "cancelled-not-held": attendance_case(
        "2018-12-06-csc-saint-petersburg",
        "- states: [KGZ]\n  status: attended\n  source_id: bbabo-4308632\n",
        "2018-12-06-csc-saint-petersburg-kgz",
        "event_id",
        "was cancelled",
    ),
    "chairmanships-contiguous": (
        in_test_file(
            "events",
            """\
- id: 2024-03-01-kgz-csto-chairmanship
  kind: chairmanship
  name: A chairmanship inside another
  date: "2024-03-01"
  date_inferred: false
  end: "2024-04-01"
  states: [KGZ]
  organization_id: csto
  source_id: bbabo-4308632
""",
        ),
        (TEST_FILE, 5, "2024-03-01-kgz-csto-chairmanship", "date"),
        "two chairs from 2024-03-01",
    ),
    "claims": (
        in_test_file(
            "source_claims",
            """\
- id: 2015-09-15-csc-dushanbe-date-bbabo-4308632
  record_table: events
  record_id: 2015-09-15-csc-dushanbe
  field: date
  value: "2015-09-15"
  source_id: bbabo-4308632
""",
        ),
        (TEST_FILE, 6, "2015-09-15-csc-dushanbe-date-bbabo-4308632", "value"),
        "a claim records a disagreement",
    ),
    "model: a value of the wrong type": (
        in_test_file("statements", statement(**{"date_inferred: true": 'date_inferred: "yes"'})),
        (TEST_FILE, 7, "2022-11-23-test-statement", "date_inferred"),
        "valid boolean",
    ),
    "model: an unknown field": (
        in_test_file("statements", GOOD_STATEMENT + "  speaker: Putin\n"),
        (TEST_FILE, 17, "2022-11-23-test-statement", "speaker"),
        "unknown field",
    ),
    "model: a value outside its vocabulary": (
        in_test_file("statements", statement(**{"kind: paraphrase": "kind: quote"})),
        (TEST_FILE, 3, "2022-11-23-test-statement", "kind"),
        "'direct_quote', 'paraphrase' or 'document_excerpt' (got 'quote')",
    ),
    "model: a month that does not exist": (
        dated("2022-13"),
        (TEST_FILE, 6, "2022-11-23-test-statement", "date"),
        "month 13 does not exist",
    ),
    "model: a day that does not exist": (
        dated("2023-02-29"),
        (TEST_FILE, 6, "2022-11-23-test-statement", "date"),
        "day 29 does not exist",
    ),
    "model: a malformed date": (
        dated("22-11-23"),
        (TEST_FILE, 6, "2022-11-23-test-statement", "date"),
        "should match pattern",
    ),
    "model: an inferred speaker without a note": (
        in_test_file(
            "statements", statement(**{"  note: The source names the state by its capital.\n": ""})
        ),
        (TEST_FILE, 2, "2022-11-23-test-statement", None),
        "speaker_inferred needs a note",
    ),
    "model: a text on several lines": (
        in_test_file(
            "statements",
            statement(
                **{
                    "  text: Moscow is concerned": '  text: "Moscow is\\n  concerned',
                    "the United States\n  speaker": 'the United States"\n  speaker',
                }
            ),
        ),
        (TEST_FILE, 4, "2022-11-23-test-statement", "text"),
        "every run of whitespace (line breaks included) is one space",
    ),
    "model: a relay not marked secondary": (
        in_test_file(
            "sources",
            SOURCE.format(id="relay-test", publisher="bbabo-net", host="example.org").replace(
                "  archive_file: null\n", "  original_publisher_id: tass\n  archive_file: null\n"
            ),
        ),
        (TEST_FILE, 2, "relay-test", None),
        "relays it: set secondary: true",
    ),
    "model: a source with a title and a description": (
        in_test_file(
            "sources",
            SOURCE.format(id="described-test", publisher="tass", host="example.org").replace(
                "  title: null\n", "  title: A headline\n  description: A report on a session\n"
            ),
        ),
        (TEST_FILE, 2, "described-test", None),
        "a source with a title needs no description",
    ),
    "model: an interval with an end marked ongoing": (
        in_test_file(
            "memberships",
            membership("RUS", "member", "2000", "2001").replace("ongoing: false", "ongoing: true"),
        ),
        (TEST_FILE, 2, "rus-member-2000", None),
        "an interval with an end is not ongoing",
    ),
    "strict-yaml: NO read as false": (
        in_test_file("states", NORWAY.replace("'NO'", "NO")),
        (TEST_FILE, 4, "NOR", "iso_alpha2"),
        "'NO' is a boolean in YAML 1.1",
    ),
    "strict-yaml: an octal number": (
        in_test_file("states", NORWAY.replace("'578'", "012")),
        (TEST_FILE, 5, "NOR", "iso_numeric"),
        "'012' reads as an octal",
    ),
    "unique-ids: the id of a record in another file": (
        in_test_file(
            "statements",
            statement(**{"2022-11-23-test-statement": "2022-11-23-putin-emergencies"}),
        ),
        (TEST_FILE, 2, "2022-11-23-putin-emergencies", "id"),
        "duplicate id in statements: also at records/sessions/2022-11-23-csc-yerevan.yaml:",
    ),
    "references: a state that does not exist": (
        in_test_file("statements", statement(**{"speaker_state_id: RUS": "speaker_state_id: XYZ"})),
        (TEST_FILE, 5, "2022-11-23-test-statement", "speaker_state_id"),
        "refers to states id 'XYZ', which does not exist",
    ),
    "one-record-per-name: a person under another spelling": (
        in_test_file(
            "people",
            """\
- id: lukashenka-alyaksandr
  name: Alyaksandr Lukashenka
  aliases: [Lukashenka]
  state_id: BLR
  office: President of Belarus
  source_id: bbabo-4308632
""",
        ),
        (TEST_FILE, 3, "lukashenka-alyaksandr", "name"),
        "'Lukashenka' already names people record 'lukashenko-alexander'",
    ),
    "filed-by-subject: records out of order within their file": (
        {
            "statements/2022.yaml": "statements:\n"
            + statement(**{"2022-11-23-test-statement": "2022-11-23-zz-later"})
            + GOOD_STATEMENT
        },
        ("records/statements/2022.yaml", 17, "2022-11-23-test-statement", "id"),
        "out of order",
    ),
    "text-in-context: a context that names no speaker": (
        in_test_file(
            "statements",
            statement(
                **{
                    "  speaker_inferred: true\n": "",
                    "speaker_state_id: RUS": "speaker_state_id: KAZ",
                }
            ),
        ),
        (TEST_FILE, 14, "2022-11-23-test-statement", "context"),
        "neither context nor attribution names any of ['Astana'",
    ),
    "verbatim-in-archive": (
        in_test_file(
            "statements",
            statement(
                **{
                    "kind: paraphrase": "kind: direct_quote",
                    "text: Moscow is concerned about the global activities": (
                        "text: Moscow is concerned about the global activity"
                    ),
                }
            ),
        ),
        (TEST_FILE, 4, "2022-11-23-test-statement", "text"),
        "not found verbatim (whitespace collapsed) in paragraph 9 of source 'bbabo-4308632'",
    ),
    "verbatim-in-archive: the quote in another paragraph": (
        in_test_file("statements", statement(**{"paragraph 9": "paragraph 10"})),
        (TEST_FILE, 4, "2022-11-23-test-statement", "text"),
        "in paragraph 10 of source 'bbabo-4308632'; it is in paragraph 9",
    ),
    "verbatim-in-archive: an archived source without a paragraph": (
        in_test_file("statements", statement(**{"  locator: paragraph 9\n": ""})),
        (TEST_FILE, 2, "2022-11-23-test-statement", "locator"),
        "the source is archived",
    ),
    "intervals-ordered: an event": (
        in_test_file(
            "events",
            """\
- id: 2022-01-06-test-deployment
  kind: deployment
  name: Test
  date: "2022-01-06"
  end: "2021-12-31"
  date_inferred: false
  source_id: bbabo-4308632
""",
        ),
        (TEST_FILE, 6, "2022-01-06-test-deployment", "end"),
        "ends (2021-12-31) before it starts (2022-01-06)",
    ),
    "claims: a field its table lacks": (
        in_test_file("source_claims", CLAIM.replace("place", "city")),
        (TEST_FILE, 5, "2022-11-23-csc-yerevan-city-test", "field"),
        "events has no field 'city'",
    ),
    "claims: a record that does not exist": (
        in_test_file("source_claims", CLAIM.replace("2022-11-23-csc-yerevan", "x")),
        (TEST_FILE, 4, "x-place-test", "record_id"),
        "refers to events id 'x', which does not exist",
    ),
    "model: an attendance entry without states": attendance_case(
        DUSHANBE,
        "- status: attended\n  source_id: bbabo-4308632\n",
        None,
        "states",
        "list of codes",
    ),
    "model: an attendance entry that writes what its records derive": attendance_case(
        DUSHANBE,
        "- states: [UZB]\n  event_id: 2015-09-15-csc-dushanbe\n  status: absent\n"
        "  source_id: bbabo-4308632\n",
        "2015-09-15-csc-dushanbe-uzb",
        "event_id",
        "derived from `states` and the file's session",
    ),
    "model: a value outside its vocabulary in an attendance entry": attendance_case(
        DUSHANBE,
        "- states: [UZB]\n  status: present\n  source_id: bbabo-4308632\n",
        "2015-09-15-csc-dushanbe-uzb",
        "status",
        "'attended', 'attended_by_video' or 'absent'",
    ),
    "references: an unknown state in an attendance entry": attendance_case(
        DUSHANBE,
        "- states: [XYZ]\n  status: attended\n  source_id: bbabo-4308632\n",
        "2015-09-15-csc-dushanbe-xyz",
        "state_id",
        "refers to states id 'XYZ', which does not exist",
    ),
    "unique-ids: a state in two attendance entries of a session": attendance_case(
        DUSHANBE,
        "- states: [TJK]\n  status: attended\n  source_id: bbabo-4308632\n",
        "2015-09-15-csc-dushanbe-tjk",
        "id",
        "duplicate id in attendances",
    ),
    "filed-by-subject: attendances in a file without their session": (
        in_test_file("attendances", "- states: [ARM]\n  status: attended\n  source_id: x\n"),
        (TEST_FILE, 2, None, None),
        "filed under their session",
    ),
    "filed-by-subject: an attendance entry's states out of order": attendance_case(
        DUSHANBE,
        "- states: [XYZ, UZB]\n  status: absent\n  source_id: bbabo-4308632\n",
        "2015-09-15-csc-dushanbe-uzb",
        "id",
        "out of order",
    ),
}

NOT_REFUSING = {"spreadsheet-cells", "adopted-links-document", "statement-occasion"}  # warn
NEEDS_ARCHIVE = {"verbatim-in-archive"}  # checked against the archived source texts


def rule_of(case: str) -> str:
    return case.split(":", 1)[0]


def test_every_rule_of_the_rulebook_is_tested() -> None:
    assert {rule_of(case) for case in CASES} | NOT_REFUSING == {rule.name for rule in RULES}
    assert {rule.name for rule in RULES if rule.warning} == NOT_REFUSING


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_record_that_breaks_the_rule_is_refused(
    sandbox: Path, case: str, request: pytest.FixtureRequest
) -> None:
    files, (file, line, record_id, field), words = CASES[case]
    rule = rule_of(case)
    archive = request.getfixturevalue("archive") if rule in NEEDS_ARCHIVE else None
    problems = problems_in(sandbox, files, archive)
    broken = [p for p in problems if p.rule == rule and p.file == file]
    assert broken, f"no problem reported under {rule}"
    problem = broken[0]
    assert (problem.file, problem.line, problem.record_id, problem.field) == (
        file,
        line,
        record_id,
        field,
    )
    assert words in problem.message
    assert str(problem).endswith(f"[{rule}]")


def test_every_problem_names_a_rule(sandbox: Path) -> None:
    files = {name: text for case in CASES.values() for name, text in case[0].items()}
    files.pop("zz-test.yaml")  # the cases each write it; one of them is enough here
    files.pop("statements/2022.yaml")  # it would drop statements that others refer to
    files.update(in_test_file("statements", statement(**{"note: The": "note: \u202eThe"})))
    names = {rule.name for rule in RULES}
    problems = problems_in(sandbox, files)
    assert problems
    assert all(problem.rule in names for problem in problems)


@pytest.mark.parametrize(
    ("escape", "described"),
    [
        ("\\0", "U+0000 (a control character)"),
        ("\\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\\ud800", "U+D800"),
    ],
)
def test_invisible_characters_written_as_escapes_are_refused(
    sandbox: Path, escape: str, described: str
) -> None:
    text = statement(**{"  note: The source": f'  note: "The{escape} source'}).rstrip() + '"\n'
    problems = problems_in(sandbox, in_test_file("statements", text))
    (problem,) = [p for p in problems if p.file == TEST_FILE and p.rule != "filed-by-subject"]
    assert (problem.rule, problem.field) == ("visible-text", "note")
    assert described in problem.message


def test_a_statement_dated_2030_from_a_2022_source_breaks_two_rules(sandbox: Path) -> None:
    text = statement(**{'"2022-11-23"': '"2030"', "- id: 2022-11-23-": "- id: 2030-"})
    problems = problems_in(sandbox, in_test_file("statements", text))
    rules = {p.rule for p in problems if p.file == TEST_FILE}
    assert {"not-after-source", "not-after-cutoff"} <= rules


def test_an_announced_event_may_follow_its_source(sandbox: Path) -> None:
    text = """\
- id: 2030-01-01-test-session
  kind: council_session
  name: A session announced for 2030
  date: "2030-01-01"
  date_inferred: false
  announced_only: true
  organization_id: csto-csc
  source_id: bbabo-4308632
"""
    problems = problems_in(sandbox, in_test_file("events", text))
    assert {p.rule for p in problems if p.file == TEST_FILE} == {"filed-by-subject"}


def test_a_cell_a_spreadsheet_would_run_is_kept_with_a_warning(sandbox: Path) -> None:
    text = statement(**{"note: The": "note: =HYPERLINK(1) The"})
    path = sandbox / "build" / "records" / "statements" / "2022.yaml"
    records = path.read_text(encoding="utf-8")
    statements = records.split("\nsource_claims:\n", 1)[0].splitlines()
    # records stand in the order of their ids: it goes before the first that sorts after it
    later = next(
        line
        for line in statements
        if line.startswith("- id: ") and line[6:].strip('"') > "2022-11-23-test-statement"
    )
    path.write_text(records.replace(later + "\n", text + later + "\n", 1), encoding="utf-8")
    with pytest.warns(RecordWarning) as caught:
        curate(Layout(sandbox), None)
    mine = [str(w.message) for w in caught if "2022-11-23-test-statement" in str(w.message)]
    assert len(mine) == 1
    assert "field note: starts with '='" in mine[0]
    assert mine[0].endswith("[spreadsheet-cells]")


def test_an_adopted_update_without_its_document_is_kept_with_a_warning(sandbox: Path) -> None:
    path = (
        sandbox
        / "build"
        / "records"
        / "initiatives"
        / "2008-12-csto-collective-rapid-reaction-forces.yaml"
    )
    linked = '  document_id: "2009-02-04-csc-moscow-decision-crrf"\n'
    text = path.read_text(encoding="utf-8")
    assert linked in text
    path.write_text(text.replace(linked, "", 1), encoding="utf-8")
    with pytest.warns(RecordWarning) as caught:
        curate(Layout(sandbox), None)
    mine = [str(w.message) for w in caught if str(w.message).endswith("[adopted-links-document]")]
    assert len(mine) == 1
    assert "2008-12-csto-collective-rapid-reaction-forces-adopted-2009-02-04" in mine[0]
    assert "adopted, but the document that enacts it is not named" in mine[0]


def test_a_statement_on_a_session_day_without_its_occasion_gets_a_warning(sandbox: Path) -> None:
    # Makei attended the foreign ministers' session of 30 November 2017; this statement of his
    # is recorded at the heads of state's session of that day, so the build warns.
    with pytest.warns(RecordWarning) as caught:
        curate(Layout(sandbox), None)
    mine = [str(w.message) for w in caught if str(w.message).endswith("[statement-occasion]")]
    assert any("2017-11-30-makei-no-good-or-bad-terrorists" in m for m in mine)
    assert all("which the speaker attended" in m for m in mine)


# Rules the reader applies as it reads a file, before there are records to check.
READER_RULES = {"record-files", "file-size", "non-empty-file", "strict-yaml", "model"}


def test_every_rule_is_checked_where_its_body_declares_it() -> None:
    import cstobuild.checks  # noqa: F401 (loads every module whose functions declare rules)
    from cstobuild.rule_checks import checks_of

    for rule in RULES:
        if rule.name in READER_RULES or rule.name == "retired-ids":  # the registry's own check
            assert checks_of(rule.name) == [], rule.name
        else:
            assert checks_of(rule.name), f"no function declares @checks({rule.name!r})"
