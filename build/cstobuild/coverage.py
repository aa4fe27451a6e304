"""The counts of COVERAGE.md, computed from the newest release so that they are always true."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

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


def summary(release: Path) -> str:
    """Markdown tables of what the release holds, by speaker, year, body and series."""
    statements = _rows(release, "statements")
    sources = {s["id"]: s for s in _rows(release, "sources")}
    terms = _rows(release, "office_terms")
    secretaries = {t["person_id"] for t in terms}
    total = len(statements)
    by_state = Counter(s["speaker_state_id"] for s in statements)
    by_secretary = sum(
        s["speaker_person_id"] in secretaries and s["speaker_organization_id"] == "csto"
        for s in statements
    )
    years = Counter(str(s["date"])[:4] for s in statements if s["date"])
    archived = sum(sources[s["source_id"]]["archive_file"] is not None for s in statements)
    inferred = sum(bool(s["speaker_inferred"]) for s in statements)
    kinds = Counter(s["kind"] for s in statements)
    out = [
        f"- **{total} statements**: {kinds['direct_quote']} direct quotes, "
        f"{kinds['paraphrase']} paraphrases, {kinds['document_excerpt']} document excerpts; "
        f"every one with its `context`. {inferred} have a speaker that the context does not "
        "name (`speaker_inferred`, with a note).\n",
        f"- **Proven against an archived copy in CI**: the `text` and `context` of {archived} "
        f"statements (the archived analysis). The other {total - archived} were copied from "
        "stored copies of web pages; CI proves that each text stands in its context and that "
        "the context names its speaker.\n",
        f"- **Sources**: {len(sources)}, of which "
        f"{sum(bool(s['secondary']) for s in sources.values())} secondary (relays, reposts, "
        "mirrors), each naming its original where known.\n",
        "\n| speakers | statements | share |\n|---|---|---|\n",
    ]
    for state in MEMBERS:
        out.append(
            f"| officials of {state} | {by_state[state]} | {_share(by_state[state], total)} |\n"
        )
    others = total - sum(by_state[s] for s in MEMBERS)
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
    sessions = [e for e in _rows(release, "events") if e["kind"] == "council_session"]
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
        out.append("\n| exercise or operation series | editions | years |\n|---|---|---|\n")
        for name in sorted(series):
            years_of = sorted(
                {str(e["start"])[:4] for e in exercises if e["series"] == name and e["start"]}
            )
            span = "-".join(sorted({years_of[0], years_of[-1]})) if years_of else "undated"
            out.append(f"| {name} | {series[name]} | {span} |\n")
    return "".join(out)


def _share(part: int, total: int) -> str:
    return f"{100 * part / total:.0f}%" if total else "-"
