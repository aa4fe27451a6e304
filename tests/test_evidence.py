"""Witnesses, evidence tiers, initiatives' latest status and inferred signatures, checked
against the released tables and the rule that picks a statement's best witness."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from cstobuild.evidence import may_be_best, rank
from test_data import by_id, rows

from csto_dataset import load
from csto_dataset.models import (
    EvidenceTier,
    Statement,
    StatementKind,
    Translator,
    Witness,
)

STRONG = ("official", "agency", "press")


def test_reporting_sources_then_words_as_spoken_then_tier_then_translator() -> None:
    official_translation = rank(EvidenceTier.OFFICIAL, True, Translator.SPEAKER)
    press_original = rank(EvidenceTier.PRESS, False, None)
    mirror_original = rank(EvidenceTier.MIRROR, False, None)
    assert press_original < official_translation < mirror_original
    assert mirror_original < rank(EvidenceTier.RELAY, True, Translator.UNKNOWN)
    assert rank(EvidenceTier.AGENCY, True, Translator.MACHINE) < rank(
        EvidenceTier.PRESS, True, Translator.SPEAKER
    )
    assert rank(EvidenceTier.PRESS, True, Translator.SPEAKER) < rank(
        EvidenceTier.PRESS, True, Translator.UNKNOWN
    )
    assert rank(EvidenceTier.RELAY, True, Translator.UNKNOWN) < rank(
        EvidenceTier.RELAY, True, Translator.MACHINE
    )


def _statement(kind: StatementKind) -> Statement:
    return Statement.model_construct(id="s", kind=kind)


def _witness(kind: StatementKind, partial: bool = False) -> Witness:
    return Witness.model_construct(id="s--w", kind=kind, partial=partial)


@pytest.mark.parametrize(
    ("statement", "witness", "partial", "eligible"),
    [
        (StatementKind.DIRECT_QUOTE, StatementKind.DIRECT_QUOTE, False, True),
        (StatementKind.DIRECT_QUOTE, StatementKind.DIRECT_QUOTE, True, False),
        (StatementKind.DIRECT_QUOTE, StatementKind.PARAPHRASE, False, False),
        (StatementKind.PARAPHRASE, StatementKind.DIRECT_QUOTE, False, True),
        (StatementKind.DOCUMENT_EXCERPT, StatementKind.PARAPHRASE, False, False),
    ],
)
def test_only_a_complete_rendering_of_the_statements_kind_may_carry_it(
    statement: StatementKind, witness: StatementKind, partial: bool, eligible: bool
) -> None:
    assert may_be_best(_witness(witness, partial), _statement(statement)) is eligible


def test_each_statement_row_carries_its_one_best_witness() -> None:
    statements = by_id("statements")
    best: dict[str, list[dict[str, object]]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for witness in rows("witnesses"):
        counts[str(witness["statement_id"])] += 1
        if witness["best"]:
            best[str(witness["statement_id"])].append(witness)
    assert set(best) == set(statements)
    for statement_id, statement in statements.items():
        (chosen,) = best[statement_id]
        for column in ("source_id", "text", "context", "language", "translated", "translator"):
            assert chosen[column] == statement[column], (statement_id, column)
        assert chosen["tier"] == statement["evidence_tier"]
        assert statement["witness_count"] == counts[statement_id]


def test_the_evidence_tier_is_the_publishers_tier() -> None:
    sources = by_id("sources")
    publishers = by_id("publishers")
    for statement in rows("statements"):
        publisher = publishers[str(sources[str(statement["source_id"])]["publisher_id"])]
        assert statement["evidence_tier"] == publisher["tier"], statement["id"]


def test_relays_and_mirrors_are_secondary_and_no_placeholder_publisher_remains() -> None:
    publishers = by_id("publishers")
    for source in rows("sources"):
        if publishers[str(source["publisher_id"])]["tier"] in ("relay", "mirror"):
            assert source["secondary"], source["id"]
    names = " ".join(str(p["name"]).casefold() for p in publishers.values())
    assert "unknown" not in names.split() and "unnamed" not in names
    assert publishers["aaeurop-com"]["name"] != "ITAR-TASS"
    aliases = {(r["publisher_id"], r["alias"]) for r in rows("publisher_aliases")}
    assert ("akorda", "Akorda press service") in aliases


def test_the_readme_query_keeps_statements_with_strong_evidence() -> None:
    statements = load("statements")
    strong = statements.query("evidence_tier in ['official', 'agency', 'press']")
    assert set(strong["evidence_tier"]) <= set(STRONG)
    assert len(strong) / len(statements) >= 0.75
    merged = statements.merge(load("witnesses"), left_on="id", right_on="statement_id")
    assert len(merged) == len(load("witnesses")) > len(statements)


def test_pashinyans_armenian_words_of_march_2023_replace_the_repost() -> None:
    statement = by_id("statements")["2023-03-14-pashinyan-csto-leaving-armenia"]
    # his own words, in Armenian, as Armenpress gave them; its English stays a witness
    assert str(statement["text"]).startswith("Իմ գնահատականն այն է, որ ՀԱՊԿ-ը")
    assert statement["translated"] is False and statement["spoken_language"] == "hy"
    renderings = [w for w in rows("witnesses") if w["statement_id"] == statement["id"]]
    english = next(w for w in renderings if w["source_id"] == "artsakhpress-178575")
    assert str(english["text"]).startswith(
        "My assessment is that the CSTO, willingly or unwillingly, is leaving the Republic"
    )
    assert {w["source_id"] for w in renderings} >= {
        "artsakhpress-178575",
        "oopstop-eadaily-2023-03-14-pashinyan",
    }


def test_seed_statements_keep_their_analysis_rendering_as_a_witness() -> None:
    from_analysis = [w for w in rows("witnesses") if w["source_id"] == "bbabo-4308632"]
    assert len(from_analysis) == 52
    assert sum(not w["best"] for w in from_analysis) >= 10  # the Russian words found since


def test_few_statements_leave_the_speaker_to_inference() -> None:
    statements = rows("statements")
    inferred = [s for s in statements if s["speaker_inferred"]]
    assert len(inferred) / len(statements) <= 0.06
    assert all(s["note"] for s in inferred)


def test_an_initiatives_latest_status_is_its_newest_update() -> None:
    initiatives = by_id("initiatives")
    newest: dict[str, dict[str, object]] = {}
    for update in rows("initiative_updates"):
        known = newest.get(str(update["initiative_id"]))
        if known is None or update["date_latest"] >= known["date_latest"]:  # type: ignore[operator]
            newest[str(update["initiative_id"])] = update
    for initiative_id, initiative in initiatives.items():
        update = newest.get(initiative_id)
        expected = update["status"] if update is not None else "unknown"
        assert initiative["latest_status"] == expected, initiative_id


def test_initiatives_span_the_organizations_history_and_its_members() -> None:
    initiatives = rows("initiatives")
    top = [i for i in initiatives if i["parent_id"] is None]
    assert len(top) >= 100
    by_state = Counter(i["proposer_state_id"] for i in top)
    for state in ("ARM", "BLR", "KAZ", "KGZ", "RUS"):
        assert by_state[state] >= 10, state
    assert by_state["TJK"] >= 5
    years = Counter(str(i["date"])[:4] for i in initiatives if i["date"])
    assert all(years[str(year)] >= 3 for year in range(2005, 2026))


def test_armenia_declined_yerevan_2022_and_signatures_are_inferred_only_for_attendees() -> None:
    signatures = rows("document_signatures")
    declined = {(s["document_id"], s["state_id"]) for s in signatures if s["status"] == "declined"}
    assert any(
        doc.startswith("2022-11-23-csc-yerevan") and state == "ARM" for doc, state in declined
    )
    attendances = {(a["event_id"], a["state_id"]) for a in rows("attendances")}
    documents = by_id("documents")
    keys = Counter((s["document_id"], s["state_id"]) for s in signatures)
    assert max(keys.values()) == 1
    for signature in signatures:
        if signature["inferred"]:
            event = documents[str(signature["document_id"])]["event_id"]
            assert signature["status"] == "signed"
            assert (event, signature["state_id"]) in attendances


def test_helsinki_2008_was_of_foreign_ministers_and_st_petersburg_2018_was_cancelled() -> None:
    events = by_id("events")
    assert "2008-12-cmd-helsinki" not in events
    assert events["2008-12-04-cfm-helsinki"]["organization_id"] == "csto-cfm"
    assert events["2018-12-06-csc-saint-petersburg"]["cancelled"] is True
    assert "2021-kgz-request-for-assistance" not in events
    assert events["2014-05-csc-moscow"]["date"] == "2014-05-08"


def test_serbias_observer_status_is_sure_up_to_its_latest_attestation() -> None:
    from csto_dataset import membership_status

    assert membership_status("2024-06-01", state="SRB")["SRB"].status == "observer"
    assert membership_status("2025-05-19", state="SRB")["SRB"].status == "observer"
    assert membership_status("2025-10-01", state="SRB")["SRB"].status == "uncertain"


def test_a_signature_not_reported_cites_the_states_membership() -> None:
    memberships = rows("memberships")
    sources = {(m["state_id"], m["source_id"]) for m in memberships if m["status"] == "member"}
    unreported = [s for s in rows("document_signatures") if s["status"] == "not_reported"]
    assert unreported
    assert all((s["state_id"], s["source_id"]) in sources for s in unreported)
    assert not any(s["inferred"] for s in unreported)


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("test.tengrinews.kz", True),
        ("imgtest.mir24.tv", True),
        ("fbeta.republika.co.id", True),
        ("dev.report.az", True),
        ("drvpu8u8hwoyd.cloudfront.net", True),
        ("rfe.pangea-cms.com", True),
        ("tengrinews.kz", False),
        ("www.svoboda.org", False),
        ("testimony.example.org", False),
    ],
)
def test_test_preview_and_cdn_hosts_are_recognised(host: str, refused: bool) -> None:
    from cstobuild.evidence_rules import _TEST_HOST

    assert bool(_TEST_HOST.search(host)) is refused
