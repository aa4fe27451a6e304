"""Facts the data must state, each checked against the released tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from cstobuild.checks import paragraphs

from csto_dataset import TABLE_NAMES, load

ANALYSIS = "bbabo-4308632"


def rows(table: str) -> list[dict[str, object]]:
    arrow: pa.Table = load(table, backend="pyarrow")  # type: ignore[call-overload]
    return arrow.to_pylist()


def by_id(table: str) -> dict[str, dict[str, object]]:
    return {str(r["id"]): r for r in rows(table)}


def test_every_direct_quote_and_paraphrase_is_verbatim_in_its_archived_source(
    archive: Path,
) -> None:
    sources = by_id("sources")
    checked = 0
    for table in ("statements", "initiatives"):
        for row in rows(table):
            source = sources[str(row["source_id"])]
            if source["archive_file"] is None:
                continue
            text = (archive / str(source["archive_file"])).read_text(encoding="utf-8")
            number = int(str(row["locator"]).removeprefix("paragraph "))
            assert str(row["text"]) in paragraphs(text)[number - 1], row["id"]
            checked += 1
    assert checked == 52 + 29


def test_the_analysis_yields_several_dozen_statements_of_each_kind() -> None:
    statements = [s for s in rows("statements") if s["source_id"] == ANALYSIS]
    kinds = {str(s["kind"]) for s in statements}
    assert len(statements) == 52
    assert kinds == {"direct_quote", "paraphrase", "document_excerpt"}
    assert sum(s["kind"] == "direct_quote" for s in statements) >= 25


def test_lukashenko_and_lukashenka_are_one_person() -> None:
    aliases = {(r["person_id"], r["alias"]) for r in rows("person_aliases")}
    assert ("lukashenko-alexander", "Lukashenka") in aliases
    speakers = {s["speaker_person_id"] for s in rows("statements")}
    assert not any("lukashenka" in str(s) for s in speakers)
    spoken = [s for s in rows("statements") if s["speaker_person_id"] == "lukashenko-alexander"]
    assert len(spoken) >= 20


def test_lukashenkos_2010_question_is_dated_to_the_year_only() -> None:
    statement = by_id("statements")["2010-lukashenko-what-kind-of-organization"]
    assert statement["date"] == "2010"
    assert statement["date_precision"] == "year"
    assert statement["date_earliest"] == dt.date(2010, 1, 1)
    assert statement["date_latest"] == dt.date(2010, 12, 31)
    assert statement["kind"] == "direct_quote"


def test_the_yerevan_session_was_on_23_november_2022_with_the_year_from_a_second_source() -> None:
    session = by_id("events")["2022-11-23-csc-yerevan"]
    assert (session["date"], session["place"], session["host_state_id"]) == (
        "2022-11-23",
        "Yerevan",
        "ARM",
    )
    assert session["date_source_id"] == "caspian-institute-38539"


def test_the_kazakhstan_deployment_and_the_sources_disagreeing_on_its_size() -> None:
    deployment = by_id("events")["2022-csto-deployment-kazakhstan"]
    assert (deployment["personnel"], deployment["personnel_quantifier"]) == (2000, "more_than")
    assert (deployment["equipment_units"], deployment["equipment_quantifier"]) == (250, "exact")
    assert (deployment["date"], deployment["end"]) == ("2022-01-06", "2022-01-19")
    assert deployment["commander_person_id"] == "serdyukov-andrey"
    assert by_id("events")[str(deployment["parent_id"])]["outcome"] == "granted"
    claims = {
        c["value"]
        for c in rows("source_claims")
        if (c["record_id"], c["field"]) == ("2022-csto-deployment-kazakhstan", "personnel")
    }
    assert len(claims) >= 3


def test_kyrgyzstans_requests_keep_the_disagreement_between_sources() -> None:
    events = by_id("events")
    assert events["1999-kgz-request-for-assistance"]["outcome"] == "granted"
    assert events["2010-kgz-request-for-assistance"]["date"] == "2010-06-12"
    assert events["2021-kgz-request-for-assistance"]["outcome"] == "refused"
    outcome_claims = {
        (c["record_id"], c["source_id"]) for c in rows("source_claims") if c["field"] == "outcome"
    }
    assert ("1999-kgz-request-for-assistance", ANALYSIS) in outcome_claims
    assert ("1999-kgz-request-for-assistance", "jamestown-cis-affairs-1999") in outcome_claims


def test_undated_events_stay_undated() -> None:
    conflict = by_id("events")["tajikistan-kyrgyzstan-conflict"]
    assert conflict["date"] is None and conflict["date_earliest"] is None


def test_belarus_2023_plan_has_four_directions_with_sub_items() -> None:
    initiatives = rows("initiatives")
    plan = "2022-11-23-blr-chairmanship-2023"
    directions = [i for i in initiatives if i["parent_id"] == plan]
    assert len(directions) == 4
    for direction in directions:
        assert any(i["parent_id"] == direction["id"] for i in initiatives), direction["id"]
    assert len([i for i in initiatives if i["source_id"] == ANALYSIS]) == 29
    refused = {i["id"] for i in initiatives if i["status"] == "not_signed"}
    assert refused == {"2022-11-23-csc-draft-declaration", "2022-11-23-csc-assistance-to-armenia"}


def test_state_crosswalks_keep_their_own_code_systems() -> None:
    states = by_id("states")
    assert states["ARM"]["iso_numeric"] == "051"
    assert states["KAZ"]["cow_letter"] == "KZK"
    assert states["KGZ"]["cow_letter"] == "KYR"
    assert states["TJK"]["cow_letter"] == "TAJ"
    assert states["ARM"]["wikidata"] == "Q399"
    assert (states["SUN"]["iso_alpha2"], states["SUN"]["iso_numeric"]) == ("SU", "810")


def test_every_record_names_a_source_with_a_url_and_dates() -> None:
    sources = by_id("sources")
    cited = [t for t in TABLE_NAMES if "source_id" in load(t, backend="pyarrow").column_names]
    assert len(cited) >= 7
    for table in cited:
        for row in rows(table):
            assert row["source_id"] in sources, (table, row)
    for source in sources.values():
        assert str(source["url"]).startswith(("https://", "http://"))
        assert isinstance(source["accessed"], dt.date)
    assert sources[ANALYSIS]["secondary"] is True
    assert sources[ANALYSIS]["published_precision"] == "month"


@pytest.mark.parametrize("table", ["statements", "initiatives"])
def test_texts_are_never_empty_and_carry_no_surrounding_space(table: str) -> None:
    for row in rows(table):
        text = str(row["text"])
        assert text and text == text.strip(), row["id"]


def test_topics_link_every_statement() -> None:
    linked = {r["statement_id"] for r in rows("statement_topics")}
    assert linked == {s["id"] for s in rows("statements")}
