"""Facts the data must state, each checked against the released tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from cstobuild.checks import paragraphs

from csto_dataset import TABLE_NAMES, load
from csto_dataset.models import ForceKind

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
    for table in ("witnesses", "initiatives"):  # every statement's words are a witness
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
    statements = [s for s in rows("witnesses") if s["source_id"] == ANALYSIS]
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
    assert "2021-kgz-request-for-assistance" not in events  # retired in 0.5.0: no source
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


def test_every_statement_stands_in_its_context_and_the_context_names_its_speaker() -> None:
    people = by_id("people")
    statements = by_id("statements")
    aliases: dict[str, list[str]] = {}
    for row in rows("person_aliases"):
        aliases.setdefault(str(row["person_id"]), []).append(str(row["alias"]))
    for rendering in [*statements.values(), *rows("witnesses")]:
        said = f"{rendering['context']} {rendering['attribution'] or ''}"
        assert str(rendering["text"]) in str(rendering["context"]), rendering["id"]
        statement = statements[str(rendering.get("statement_id") or rendering["id"])]
        if rendering["speaker_inferred"]:
            assert statement["note"] or rendering.get("note"), rendering["id"]
            continue
        person = statement["speaker_person_id"]
        if person is not None:
            name = str(people[str(person)]["name"])
            names = [name, name.split()[-1], *aliases.get(str(person), [])]
            assert any(n in said for n in names), rendering["id"]


@pytest.mark.parametrize(
    ("table", "column"),
    [("statements", "text"), ("statements", "context"), ("events", "excerpt")],
)
def test_texts_follow_the_whitespace_rule(table: str, column: str) -> None:
    for row in rows(table):
        value = row[column]
        if value is not None:
            assert value == " ".join(str(value).split()), row["id"]


def test_statements_come_from_every_member_and_the_secretaries_general() -> None:
    statements = rows("statements")
    secretaries = {t["person_id"] for t in rows("office_terms")}
    by_state = {
        state: sum(s["speaker_state_id"] == state for s in statements)
        for state in ("ARM", "BLR", "KAZ", "KGZ", "TJK", "RUS")
    }
    for state in ("ARM", "BLR", "KAZ", "KGZ", "TJK"):
        assert by_state[state] >= 40, (state, by_state[state])
    by_secretaries = sum(s["speaker_person_id"] in secretaries for s in statements)
    assert by_secretaries >= 40
    assert len(statements) >= 600
    assert by_state["RUS"] <= 0.35 * len(statements)
    years = {str(s["date"])[:4] for s in statements if s["date"]}
    assert {str(y) for y in range(2002, 2026)} <= years


def test_relays_are_secondary_and_name_their_original() -> None:
    publishers = by_id("publishers")
    for source in rows("sources"):
        if source["original_publisher_id"] is not None:
            assert source["secondary"], source["id"]
            assert source["original_publisher_id"] in publishers
        if source["secondary"]:
            assert source["original_publisher_id"] or source["note"], source["id"]
    assert by_id("sources")[ANALYSIS]["publisher_id"] == "bbabo-net"


def test_each_publisher_has_one_record_and_one_spelling() -> None:
    names = [str(p["name"]) for p in rows("publishers")]
    assert len(names) == len(set(names))
    used = {s["publisher_id"] for s in rows("sources")}
    assert "tass" in used and "kremlin" in used
    assert not any(str(p).startswith(("itar-tass", "tass-")) for p in used)


def test_the_councils_of_ministers_and_secretaries_meet_from_2002() -> None:
    sessions = [e for e in rows("events") if e["kind"] == "council_session"]
    for body in ("csto-cfm", "csto-cmd", "csto-cssc"):
        years = {str(e["date"])[:4] for e in sessions if e["organization_id"] == body}
        assert len(years) >= 15, (body, sorted(years))
    before_2002 = [
        e for e in sessions if e["organization_id"] == "csto-csc" and str(e["date"]) < "2002"
    ]
    assert len(before_2002) >= 3


def test_the_informal_summit_at_cholpon_ata_in_july_2009_is_recorded() -> None:
    summit = by_id("events")["2009-07-31-csc-cholpon-ata"]
    assert (summit["session_format"], summit["organization_id"]) == ("informal", "csto-csc")


def test_the_2005_moscow_session_has_its_day_and_kazakhstan_chaired_before_it() -> None:
    events = by_id("events")
    assert events["2005-06-csc-moscow"]["date"] == "2005-06-23"
    chair = events["2004-06-18-kaz-csto-chairmanship"]
    assert (chair["date"], chair["end"]) == ("2004-06-18", "2005-06")


def test_the_2007_handover_is_no_more_precise_than_its_sources() -> None:
    belarus = by_id("events")["2006-06-23-blr-csto-chairmanship"]
    assert (belarus["end"], belarus["end_precision"]) == ("2007", "year")


def test_exercises_cover_the_named_series_and_say_what_was_not_held() -> None:
    exercises = by_id("exercises")
    series = {str(e["series"]) for e in exercises.values()}
    assert {
        "rubezh",
        "vzaimodeystvie",
        "poisk",
        "eshelon",
        "kobalt",
        "grom",
        "nerushimoe-bratstvo",
        "kanal",
        "nelegal",
        "proxy",
    } <= series
    assert exercises["nerushimoe-bratstvo-2022"]["status"] == "cancelled"
    rubezh = exercises["rubezh-2008"]
    assert (rubezh["personnel"], rubezh["personnel_quantifier"]) == (4000, "about")
    forces = {(f["exercise_id"], f["force"]) for f in rows("exercise_forces")}
    assert all(f in {m.value for m in ForceKind} for _, f in forces)


def test_a_quote_found_not_verbatim_was_corrected() -> None:
    statement = by_id("statements")["2013-09-23-putin-additional-support-to-tajikistan"]
    assert str(statement["text"]).endswith("targeted interstate program for this country")
    assert "Putin said" in str(statement["context"])
