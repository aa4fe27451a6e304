"""Bad source input: one clear problem per fault, naming file, line, record and field."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from cstobuild.layout import Layout
from cstobuild.problems import Problem, RecordsError
from cstobuild.release import build, curate

from csto_dataset import DATA_VERSION

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


def problems_with(
    sandbox: Path, table: str, text: str, archive: Path | None = None
) -> list[Problem]:
    """The problems of the records plus a test file holding `text` as records of `table`.

    The test file is not where the records belong, so placement problems are left out here
    (and tested on their own).
    """
    (sandbox / "build" / "records" / "zz-test.yaml").write_text(
        f"{table}:\n{text}", encoding="utf-8"
    )
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), archive)
    return [p for p in caught.value.problems if not p.message.startswith("misplaced")]


def the_problem(sandbox: Path, table: str, text: str, archive: Path | None = None) -> Problem:
    (problem,) = problems_with(sandbox, table, text, archive)
    assert problem.file == "records/zz-test.yaml"
    return problem


def test_the_curated_records_have_no_problem(root: Path) -> None:
    curate(Layout(root), None)


def test_a_missing_field(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("  language: en\n", "")
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.record_id, problem.field) == (
        2,
        "2022-11-23-test-statement",
        "language",
    )
    assert "required field is missing" in problem.message


def test_a_value_of_the_wrong_type(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("date_inferred: true", 'date_inferred: "yes"')
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (7, "date_inferred")
    assert "boolean" in problem.message


def test_an_unknown_field(sandbox: Path) -> None:
    problem = the_problem(sandbox, "statements", GOOD_STATEMENT + "  speaker: Putin\n")
    assert (problem.line, problem.field) == (17, "speaker")
    assert "unknown field" in problem.message


def test_a_value_outside_an_enum(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("kind: paraphrase", "kind: quote")
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (3, "kind")
    assert "direct_quote" in problem.message


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2022-13", "month 13"), ("2023-02-29", "day 29"), ("22-11-23", "pattern")],
)
def test_a_malformed_or_impossible_date(sandbox: Path, date: str, expected: str) -> None:
    text = GOOD_STATEMENT.replace('date: "2022-11-23"', f'date: "{date}"')
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (6, "date")
    assert expected in problem.message


def test_a_duplicate_id_across_files(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("2022-11-23-test-statement", "2022-11-23-putin-emergencies")
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.record_id, problem.field) == (
        2,
        "2022-11-23-putin-emergencies",
        "id",
    )
    assert (
        "duplicate id in statements: also at records/sessions/2022-11-23-csc-yerevan.yaml:"
        in problem.message
    )


def test_a_reference_to_a_missing_record(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("speaker_state_id: RUS", "speaker_state_id: XYZ")
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (5, "speaker_state_id")
    assert "refers to states id 'XYZ', which does not exist" in problem.message


def test_a_reference_inside_a_list(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace(
        "speaker_state_id: RUS\n", "speaker_state_id: RUS\n  event_id: 2022-11-24-nowhere\n"
    )
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (6, "event_id")


def test_a_quote_not_found_in_its_source(sandbox: Path, archive: Path) -> None:
    text = GOOD_STATEMENT.replace("kind: paraphrase", "kind: direct_quote").replace(
        "global activities of NATO", "global activity of NATO"
    )
    problems = problems_with(sandbox, "statements", text, archive)
    assert [(p.line, p.field) for p in problems] == [(4, "text"), (14, "context")]
    assert all(
        "not found verbatim (whitespace collapsed) in paragraph 9 of source 'bbabo-4308632'"
        in p.message
        for p in problems
    )


def test_a_quote_in_another_paragraph_than_its_locator(sandbox: Path, archive: Path) -> None:
    text = GOOD_STATEMENT.replace("paragraph 9", "paragraph 10")
    problems = problems_with(sandbox, "statements", text, archive)
    assert [p.field for p in problems] == ["text", "context"]
    assert all("it is in paragraph 9" in p.message for p in problems)


def test_a_duplicated_yaml_key(sandbox: Path) -> None:
    problem = the_problem(sandbox, "statements", GOOD_STATEMENT + "  language: ru\n")
    assert (problem.line, problem.record_id, problem.field) == (
        17,
        "2022-11-23-test-statement",
        "language",
    )
    assert "duplicate key 'language' (first on line 9)" in problem.message


def test_yaml11_no_read_as_false_is_refused(sandbox: Path) -> None:
    text = NORWAY.replace("'NO'", "NO")
    problem = the_problem(sandbox, "states", text)
    assert (problem.line, problem.record_id, problem.field) == (4, "NOR", "iso_alpha2")
    assert "'NO' is a boolean in YAML 1.1" in problem.message


def test_yaml11_octal_is_refused(sandbox: Path) -> None:
    text = NORWAY.replace("'578'", "012")
    problem = the_problem(sandbox, "states", text)
    assert (problem.record_id, problem.field) == ("NOR", "iso_numeric")
    assert "'012' reads as an octal" in problem.message


def test_every_problem_is_reported_together(sandbox: Path) -> None:
    second = GOOD_STATEMENT.replace("2022-11-23-test-statement", "2022-11-23-other").replace(
        "kind: paraphrase", "kind: quote"
    )
    text = GOOD_STATEMENT.replace("speaker_state_id: RUS", "speaker_state_id: XYZ") + second
    problems = problems_with(sandbox, "statements", text)
    assert {(p.record_id, p.field) for p in problems} == {
        ("2022-11-23-test-statement", "speaker_state_id"),
        ("2022-11-23-other", "kind"),
    }


def test_a_failed_build_writes_nothing(sandbox: Path) -> None:
    build(Layout(sandbox), None)

    def snapshot() -> dict[str, str]:
        return {
            str(p.relative_to(sandbox)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(sandbox.rglob("*"))
            if p.is_file() and "records" not in p.parts
        }

    before = snapshot()
    problems_with(sandbox, "statements", GOOD_STATEMENT.replace("kind: paraphrase", "kind: quote"))
    with pytest.raises(RecordsError):
        build(Layout(sandbox), None)
    assert snapshot() == before
    assert not list((sandbox / "build" / "releases").glob(".staging-*"))


def test_the_command_line_prints_file_line_record_and_field(sandbox: Path, root: Path) -> None:
    text = GOOD_STATEMENT.replace("kind: paraphrase", "kind: quote")
    (sandbox / "build" / "records" / "zz-test.yaml").write_text(
        f"statements:\n{text}", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(root / "build" / "make.py"), "--root", str(sandbox)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert "records/zz-test.yaml:3: record 2022-11-23-test-statement, field kind: " in result.stderr
    assert not (sandbox / "build" / "releases" / DATA_VERSION).exists()


CLAIM = """\
- id: 2022-11-23-csc-yerevan-place-test
  record_table: events
  record_id: 2022-11-23-csc-yerevan
  field: place
  value: Ереван
  source_id: bbabo-4308632
"""


def test_a_source_claim_must_name_an_existing_record_and_field(sandbox: Path) -> None:
    assert problems_with(sandbox, "source_claims", CLAIM) == []  # the claim as written is valid
    problem = the_problem(sandbox, "source_claims", CLAIM.replace("place", "city"))
    assert (problem.field, problem.message) == ("field", "events has no field 'city'")
    problem = the_problem(sandbox, "source_claims", CLAIM.replace("2022-11-23-csc-yerevan", "x"))
    assert problem.field == "record_id"
    assert "refers to events id 'x', which does not exist" in problem.message


def test_an_event_that_ends_before_it_starts(sandbox: Path) -> None:
    text = """\
- id: 2022-01-06-test-deployment
  kind: deployment
  name: Test
  date: "2022-01-06"
  end: "2022-01"
  date_inferred: false
  source_id: bbabo-4308632
"""
    problem = the_problem(sandbox, "events", text.replace('end: "2022-01"', 'end: "2021-12-31"'))
    assert (problem.line, problem.field) == (6, "end")
    assert "ends (2021-12-31) before it starts (2022-01-06)" in problem.message


def test_a_second_source_record_for_the_same_url(sandbox: Path) -> None:
    text = """\
- id: bbabo-again
  title: Why is Belarus stepping up its activities in the CSTO?
  publisher_id: bbabo-net
  url: https://bbabo.net/en-GB/article/news/4308632-why-is-belarus-stepping-up-its-activities-in-the-csto
  published: "2022-11"
  published_inferred: true
  accessed: "2026-11-26"
  kind: news_analysis
  language: en
  secondary: true
  archive_file: null
  note: A copy of the analysis.
"""
    problem = the_problem(sandbox, "sources", text)
    assert (problem.line, problem.record_id, problem.field) == (5, "bbabo-again", "url")
    assert "the same URL as source 'bbabo-4308632'" in problem.message


def test_a_statement_from_an_archived_source_needs_its_paragraph(
    sandbox: Path, archive: Path
) -> None:
    problem = the_problem(
        sandbox, "statements", GOOD_STATEMENT.replace("  locator: paragraph 9\n", ""), archive
    )
    assert problem.field == "locator"
    assert "the source is archived" in problem.message


def test_a_statements_text_must_stand_in_its_context(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("  context: Thus, Moscow is", "  context: Thus, Moscow was")
    text = text.replace("Moscow was concerned about", "Moscow was worried about")
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (4, "text")
    assert "does not occur in `context`" in problem.message


def test_a_context_must_name_the_speaker_unless_the_speaker_is_inferred(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("  speaker_inferred: true\n", "").replace(
        "speaker_state_id: RUS", "speaker_state_id: KAZ"
    )
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (14, "context")
    assert "neither context nor attribution names any of ['Astana'" in problem.message
    attributed = text.replace(
        "  speaker_state_id: KAZ\n",
        "  attribution: Kazakhstan agrees.\n  speaker_state_id: KAZ\n",
    )
    assert problems_with(sandbox, "statements", attributed) == []
    named = text.replace("speaker_state_id: KAZ", "speaker_person_id: putin-vladimir").replace(
        "Thus, Moscow is concerned", "Thus, Putin said, Moscow is concerned"
    )
    named = named.replace("the internal political situation,", "the internal political situation")
    problems = problems_with(sandbox, "statements", named)
    assert [p.field for p in problems] == []


def test_an_inferred_speaker_needs_a_note(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace("  note: The source names the state by its capital.\n", "")
    problem = the_problem(sandbox, "statements", text)
    assert "speaker_inferred needs a note" in problem.message


def test_texts_follow_the_whitespace_rule(sandbox: Path) -> None:
    text = GOOD_STATEMENT.replace(
        "  text: Moscow is concerned", '  text: "Moscow is\\n  concerned'
    ).replace("led by the United States\n", 'led by the United States"\n', 1)
    problem = the_problem(sandbox, "statements", text)
    assert (problem.line, problem.field) == (4, "text")
    assert "every run of whitespace (line breaks included) is one space" in problem.message


def test_a_record_filed_away_from_its_subject(sandbox: Path) -> None:
    (sandbox / "build" / "records" / "statements" / "2021.yaml").write_text(
        f"statements:\n{GOOD_STATEMENT}", encoding="utf-8"
    )
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("records/statements/2021.yaml", 2, "id")
    assert problem.message == "misplaced: belongs in records/statements/2022.yaml"


def test_records_out_of_order_within_their_file(sandbox: Path) -> None:
    later = GOOD_STATEMENT.replace("2022-11-23-test-statement", "2022-11-23-zz-later")
    path = sandbox / "build" / "records" / "statements" / "2022.yaml"
    path.write_text(f"statements:\n{later}{GOOD_STATEMENT}", encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    # the file replaced holds statements that initiatives refer to: those references break too
    (problem,) = [p for p in caught.value.problems if p.rule != "references"]
    assert (problem.record_id, problem.line) == ("2022-11-23-test-statement", 17)
    assert problem.message.startswith("out of order")


def test_a_source_that_relays_another_must_be_secondary(sandbox: Path) -> None:
    text = """\
- id: relay-test
  title: A relay
  publisher_id: bbabo-net
  url: https://example.org/relay
  published: "2022-11"
  published_inferred: false
  accessed: "2026-11-30"
  kind: news_report
  language: en
  secondary: false
  original_publisher_id: tass
  archive_file: null
"""
    problem = the_problem(sandbox, "sources", text)
    assert "relays it: set secondary: true" in problem.message


def test_an_interval_with_an_end_is_not_ongoing(sandbox: Path) -> None:
    text = """\
- id: nor-member-2000
  state_id: RUS
  status: member
  basis: formal
  start: "2000"
  end: "2001"
  ongoing: true
  source_id: bbabo-4308632
"""
    problem = the_problem(sandbox, "memberships", text)
    assert "an interval with an end is not ongoing" in problem.message


def test_an_oversized_records_file_is_refused(sandbox: Path) -> None:
    big = sandbox / "build" / "records" / "statements" / "2022.yaml"
    big.write_text("statements:\n" + "# padding\n" * 110_000, encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    (problem,) = [p for p in caught.value.problems if p.rule != "references"]
    assert problem.file == "records/statements/2022.yaml"
    assert "larger than 1000000 bytes" in problem.message


def test_one_person_is_one_record_whatever_the_spelling(sandbox: Path) -> None:
    text = """\
- id: lukashenka-alyaksandr
  name: Alyaksandr Lukashenka
  aliases: [Lukashenka]
  state_id: BLR
  office: President of Belarus
  source_id: bbabo-4308632
"""
    problem = the_problem(sandbox, "people", text)
    assert (problem.record_id, problem.field) == ("lukashenka-alyaksandr", "name")
    assert "'Lukashenka' already names people record 'lukashenko-alexander'" in problem.message


def test_a_file_that_is_not_a_record_file_is_reported(sandbox: Path) -> None:
    (sandbox / "build" / "records" / "statements" / "2022.yml").write_text("statements:\n")
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    (problem,) = caught.value.problems
    assert problem.file == "records/statements/2022.yml"
    assert "record files end in .yaml" in problem.message
