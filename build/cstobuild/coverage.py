"""The counts of COVERAGE.md, computed from the newest release so that they are always true."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
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
            "speaker_state_id",
            "speaker_person_id",
            "speaker_organization_id",
            "date",
            "source_id",
            "speaker_inferred",
            "kind",
        ]
    )
    sources = {s["id"]: s for s in _rows(release, "sources")}
    terms = _rows(release, "office_terms")
    secretaries = pa.array(sorted({t["person_id"] for t in terms}), pa.string())
    total = statements.num_rows
    by_state = _counts(statements["speaker_state_id"])
    by_secretary = _count_true(
        pc.and_(
            pc.is_in(statements["speaker_person_id"], value_set=secretaries),
            pc.equal(statements["speaker_organization_id"], "csto"),
        )
    )
    years = _counts(pc.utf8_slice_codeunits(statements["date"], 0, 4))
    years = Counter({year: n for year, n in years.items() if year})
    archived_ids = pa.array(
        sorted(i for i, s in sources.items() if s["archive_file"] is not None), pa.string()
    )
    archived = _count_true(pc.is_in(statements["source_id"], value_set=archived_ids))
    inferred = _count_true(statements["speaker_inferred"])
    kinds = _counts(statements["kind"])
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
