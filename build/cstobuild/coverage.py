"""The counts of COVERAGE.md, computed from the newest release so that they are always true."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from csto_dataset.models import Event

MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
BODIES = {
    "csto-csc": "Collective Security Council",
    "csto-cfm": "Council of Foreign Ministers",
    "csto-cmd": "Council of Ministers of Defence",
    "csto-cssc": "Committee of Secretaries of Security Councils",
}


def _rows(release: Path, table: str) -> list[dict[str, Any]]:
    path = release / f"{table}.parquet"
    return pq.ParquetFile(path).read().to_pylist() if path.is_file() else []


def _counts(values: pa.ChunkedArray) -> Counter[Any]:
    """How often each value occurs, counted by Arrow (statements may be millions of rows)."""
    counted = pc.value_counts(values)
    values_and_counts = zip(
        counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True
    )
    return Counter(dict(values_and_counts))


def _count_true(mask: pa.ChunkedArray) -> int:
    return int(pc.sum(pc.fill_null(mask, False)).as_py() or 0)


def summary(release: Path) -> str:
    """Markdown tables of what the release holds, by speaker, year, body and series."""
    statements = pq.ParquetFile(release / "statements.parquet").read(
        columns=[
            "id",
            "speaker_state_id",
            "speaker_person_id",
            "speaker_organization_id",
            "date",
            "source_id",
            "speaker_inferred",
            "kind",
            "evidence_tier",
            "translated",
            "translator",
            "spoken_language",
        ]
    )
    sources = {s["id"]: s for s in _rows(release, "sources")}
    terms = _rows(release, "office_terms")
    secretaries = pa.array(sorted({t["person_id"] for t in terms}), pa.string())
    total = statements.num_rows
    is_secretary = pc.fill_null(
        pc.and_(
            pc.is_in(statements["speaker_person_id"], value_set=secretaries),
            pc.equal(statements["speaker_organization_id"], "csto"),
        ),
        False,
    )
    by_secretary = _count_true(is_secretary)
    # disjoint rows: a Secretary General's statement counts for the organization only
    by_state = _counts(pc.filter(statements["speaker_state_id"], pc.invert(is_secretary)))
    years = _counts(pc.utf8_slice_codeunits(statements["date"], 0, 4))
    years = Counter({year: n for year, n in years.items() if year})
    archived_ids = pa.array(
        sorted(i for i, s in sources.items() if s["archive_file"] is not None), pa.string()
    )
    witnesses = pq.ParquetFile(release / "witnesses.parquet").read(columns=["source_id"])
    archived = _count_true(pc.is_in(witnesses["source_id"], value_set=archived_ids))
    inferred = _count_true(statements["speaker_inferred"])
    kinds = _counts(statements["kind"])
    out = [
        f"- **{total} statements**: {kinds['direct_quote']} direct quotes, "
        f"{kinds['paraphrase']} paraphrases, {kinds['document_excerpt']} document excerpts; "
        f"every one with its `context`. {inferred} have a speaker that neither the context "
        "nor the source's `attribution` names (`speaker_inferred`, with a note).\n",
        f"- **Proven against an archived copy in CI**: the `text` and `context` of {archived} "
        "witnesses (the archived analysis's rendering of its statements). The others were "
        "copied from stored copies of web pages; CI proves that each text stands in its "
        "context and that the context or the attribution names its speaker, except for the "
        "`speaker_inferred` ones.\n",
        f"- **Sources**: {len(sources)}, of which "
        f"{sum(bool(s['secondary']) for s in sources.values())} secondary (relays, reposts, "
        "mirrors), each naming its original where known.\n",
        "\n| speakers | statements | share |\n|---|---|---|\n",
    ]
    for state in MEMBERS:
        out.append(
            f"| officials of {state} | {by_state[state]} | {_share(by_state[state], total)} |\n"
        )
    others = total - sum(by_state[s] for s in MEMBERS) - by_secretary
    out.append(
        f"| Secretaries General of the CSTO | {by_secretary} | {_share(by_secretary, total)} |\n"
    )
    out.append(
        f"| all others (other states, bodies, documents) | {others} | {_share(others, total)} |\n"
    )
    out.append("\n| year | statements |\n|---|---|\n")
    for year in sorted(years):
        out.append(f"| {year} | {years[year]} |\n")
    undated = total - sum(years.values())
    if undated:
        out.append(f"| undated | {undated} |\n")
    out.append(_evidence(release, statements))
    out.append(_initiatives(release))
    sessions = [
        e
        for e in _rows(release, "events")
        if e["kind"] == "council_session" and Event.standing_of(e) != "cancelled"
    ]
    out.append("\n| body | sessions | first | last |\n|---|---|---|---|\n")
    for body, name in BODIES.items():
        dates = sorted(
            str(e["date"]) for e in sessions if e["organization_id"] == body and e["date"]
        )
        if dates:
            out.append(f"| {name} | {len(dates)} | {dates[0]} | {dates[-1]} |\n")
    exercises = _rows(release, "exercises")
    if exercises:
        series = Counter(e["series"] for e in exercises)
        out.append(
            "\n| exercise or operation series | editions | years | years between without an "
            "edition found |\n|---|---|---|---|\n"
        )
        for name in sorted(series):
            years_of = sorted(
                {str(e["start"])[:4] for e in exercises if e["series"] == name and e["start"]}
            )
            span = "-".join(sorted({years_of[0], years_of[-1]})) if years_of else "undated"
            gaps = (
                [
                    str(y)
                    for y in range(int(years_of[0]), int(years_of[-1]))
                    if str(y) not in years_of
                ]
                if years_of
                else []
            )
            out.append(f"| {name} | {series[name]} | {span} | {', '.join(gaps) or '-'} |\n")
    return "".join(out)


def _share(part: int, total: int) -> str:
    return f"{100 * part / total:.0f}%" if total else "-"


TIERS = ("official", "agency", "press", "relay", "mirror")


def _evidence(release: Path, statements: pa.Table) -> str:
    """How good the evidence for the words is: tiers, translators, spoken languages."""
    total = statements.num_rows
    tiers = _counts(statements["evidence_tier"])
    translators = _counts(statements["translator"])
    spoken = _counts(statements["spoken_language"])
    witnesses = pq.ParquetFile(release / "witnesses.parquet").read(
        columns=["statement_id", "tier", "kind", "translated"]
    )
    mirror = pc.fill_null(pc.equal(witnesses["tier"], "mirror"), False)
    by_statement = witnesses.append_column("mirror", mirror).group_by("statement_id")
    only_mirror = _count_true(by_statement.aggregate([("mirror", "all")])["mirror_all"])
    language = statements["spoken_language"]
    spoken_not_english = pc.or_kleene(
        pc.and_kleene(pc.is_valid(language), pc.not_equal(language, "en")),
        pc.and_kleene(pc.is_null(language), statements["translated"]),
    )
    foreign = pa.table({"id": statements["id"], "statement_kind": statements["kind"]}).filter(
        pc.fill_null(spoken_not_english, False)
    )
    # a witness in the language spoken: untranslated, and of the statement's kind (or quoting
    # words the statement paraphrases)
    joined = witnesses.join(foreign, keys="statement_id", right_keys="id", join_type="inner")
    as_spoken = pc.and_(
        pc.invert(joined["translated"]),
        pc.or_(
            pc.equal(joined["kind"], joined["statement_kind"]),
            pc.equal(joined["statement_kind"], "paraphrase"),
        ),
    )
    in_spoken = _count_true(
        joined.append_column("as_spoken", as_spoken)
        .group_by("statement_id")
        .aggregate([("as_spoken", "any")])["as_spoken_any"]
    )
    strong = sum(tiers[t] for t in TIERS[:3])
    out = [
        "\n| evidence tier of the best witness | statements | share |\n|---|---|---|\n",
        *(f"| {t} | {tiers[t]} | {_share(tiers[t], total)} |\n" for t in TIERS),
        f"\n- **Best witness official, agency or press**: {strong} of {total} statements "
        f"({_share(strong, total)}); {only_mirror} rest on mirror witnesses only.\n",
        f"- **Witnesses**: {witnesses.num_rows} renderings of {total} statements "
        f"({witnesses.num_rows - total} besides the statements' own words).\n",
        f"- **Words as spoken**: of {foreign.num_rows} statements spoken in a language other than "
        f"English, {in_spoken} ({_share(in_spoken, foreign.num_rows)}) have a witness in the "
        "language spoken (a quote's witness quoting the direct speech).\n",
        "\n| translator of the best witness | statements |\n|---|---|\n",
        *(f"| {name} | {translators[name]} |\n" for name in sorted(k for k in translators if k)),
        f"| (words as spoken) | {total - sum(translators[k] for k in translators if k)} |\n",
        "\n| spoken language | statements |\n|---|---|\n",
        *(f"| {name} | {spoken[name]} |\n" for name in sorted(k for k in spoken if k)),
        f"| not recorded | {spoken[None]} |\n",
    ]
    return "".join(out)


def _initiatives(release: Path) -> str:
    """What was proposed, by whom and when, and what became of it; who signed what."""
    initiatives = _rows(release, "initiatives")
    if not initiatives or "latest_status" not in initiatives[0]:
        return ""
    updates = _rows(release, "initiative_updates")
    top = [i for i in initiatives if i["parent_id"] is None]
    updated = {u["initiative_id"] for u in updates}
    specific = {u["initiative_id"] for u in updates if not u.get("blanket")}
    adopted = [u for u in updates if u["status"] == "adopted"]
    programmes = [i for i in top if re.search(r"-chairmanship-\d{4}(-\d{4})?$", i["id"])]
    by_proposer = Counter(
        i["proposer_state_id"] or ("CSTO" if "-csto-" in i["id"] else "not named") for i in top
    )
    by_year = Counter(
        str(i["date"] or i["status_date"] or "")[:4] or "undated" for i in initiatives
    )
    latest = Counter(i["latest_status"] for i in initiatives)
    with_update = sum(i["id"] in updated for i in top)
    with_own_update = sum(i["id"] in specific for i in top)
    out = [
        f"\n- **{len(initiatives)} initiatives**, {len(top)} of them top-level, "
        f"{len(programmes)} chairmanship programmes. Of the top-level ones, {with_update} "
        f"({_share(with_update, len(top))}) have an update after the proposal and "
        f"{with_own_update} ({_share(with_own_update, len(top))}) an update about the "
        "initiative itself (not a chair's blanket report). "
        f"{sum(u['document_id'] is not None for u in adopted)} of {len(adopted)} `adopted` "
        "updates link the document that enacts them.\n",
        "\n| proposer of top-level initiatives | initiatives |\n|---|---|\n",
        *(f"| {name} | {n} |\n" for name, n in sorted(by_proposer.items())),
        "\n| year proposed | initiatives |\n|---|---|\n",
        *(f"| {year} | {by_year[year]} |\n" for year in sorted(by_year)),
        "\n| latest status | initiatives |\n|---|---|\n",
        *(f"| {status} | {n} |\n" for status, n in sorted(latest.items())),
    ]
    events = _rows(release, "events")
    documents = _rows(release, "documents")
    sessions = [
        e
        for e in events
        if e["organization_id"] == "csto-csc"
        and e["kind"] == "council_session"
        and e["session_format"] != "informal"
        and Event.standing_of(e) == "held"
        and "2005" <= str(e["date"] or "")[:4] <= "2025"
    ]
    with_documents = {d["event_id"] for d in documents}
    listed = [e for e in sessions if e["id"] in with_documents]
    out.append(
        f"\n- **Collective Security Council sessions 2005-2025** (regular and extraordinary): "
        f"{len(listed)} of {len(sessions)} ({_share(len(listed), len(sessions))}) with the "
        "documents they adopted; without any: "
        + (", ".join(f"`{e['id']}`" for e in sessions if e["id"] not in with_documents) or "none")
        + ".\n"
    )
    signatures = _rows(release, "document_signatures")
    if signatures:
        kinds = Counter(
            (
                s["status"],
                "inferred"
                if s["inferred"]
                else ("no source" if s["status"] == "not_reported" else "reported"),
            )
            for s in signatures
        )
        out.append("\n| document signatures | rows |\n|---|---|\n")
        out.extend(f"| {status} ({how}) | {n} |\n" for (status, how), n in sorted(kinds.items()))
    return "".join(out)
