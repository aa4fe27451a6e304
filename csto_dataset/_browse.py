"""The data browser page: one self-contained HTML file (inline data and script) per release."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

# The days a membership interval covers, computed here by the package's one rule.
COVERAGE = ("possible_from", "sure_from", "sure_until", "possible_until")
# The columns the page shows, per table; everything else stays out of the file.
COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": (
        "id",
        "kind",
        "text",
        "context",
        "speaker_person_id",
        "speaker_state_id",
        "speaker_organization_id",
        "date",
        "date_precision",
        "date_earliest",
        "date_latest",
        "language",
        "spoken_language",
        "translated",
        "translator",
        "attribution",
        "speaker_inferred",
        "date_inferred",
        "evidence_tier",
        "source_id",
        "locator",
        "note",
    ),
    "statement_topics": ("statement_id", "topic"),
    "events": ("kind", "date_earliest", "announced_only", "cancelled"),  # for the last day
    "people": ("id", "name"),
    "states": ("id", "name"),
    "organizations": ("id", "name"),
    "sources": ("id", "title", "url"),
    "initiatives": (
        "id",
        "parent_id",
        "date",
        "label",
        "proposer_state_id",
        "status",
        "status_date",
        "latest_status",
        "latest_status_date",
        "source_id",
    ),
    "initiative_updates": ("id", "initiative_id", "status", "date", "source_id", "excerpt"),
    "memberships": (
        "id",
        "state_id",
        "status",
        "basis",
        "start_earliest",
        "start_latest",
        "end",
        "end_earliest",
        "end_latest",
        "ongoing",
        "attested_earliest",
        "attested_latest",
        *COVERAGE,
    ),
}

Reader = Callable[[str], list[dict[str, Any]]]


def page(version: str, read: Reader) -> bytes:
    """The page for data release `version`; `read(table)` gives a table's rows as dicts."""
    from csto_dataset.membership import (
        PRECEDENCE,
        STATUS_COLOURS,
        beyond_data_message,
        newest_day,
    )

    tables = {name: read(name) for name in COLUMNS}
    tables["memberships"] = [_with_coverage(row) for row in tables["memberships"]]
    last = newest_day(tables["statements"], tables["events"])
    data = {
        "version": version,
        "lastDay": last.isoformat() if last else None,
        "beyondData": beyond_data_message("{day}", last.isoformat(), version) if last else None,
        "precedence": list(PRECEDENCE),
        "colours": STATUS_COLOURS,
        "tables": {name: _rows(tables[name], columns) for name, columns in COLUMNS.items()},
    }
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" would end the script element early; "<\/" is the same JSON string.
    payload = payload.replace("</", "<\\/")
    template = resources.files("csto_dataset").joinpath("browse_template.html")
    html = template.read_text(encoding="utf-8")
    html = html.replace("{{VERSION}}", version).replace("{{DATA}}", payload)
    return html.encode("utf-8")


def _with_coverage(row: dict[str, Any]) -> dict[str, Any]:
    from csto_dataset.membership import interval_coverage

    covered = interval_coverage(row)
    return {**row, **dict(zip(COVERAGE, covered or (None,) * len(COVERAGE), strict=True))}


def _rows(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[list[Any]]:
    """Rows as lists in `columns` order (a header row first), dates as ISO strings."""
    present = [c for c in columns if not rows or c in rows[0]]
    out: list[list[Any]] = [list(present)]
    for row in rows:
        out.append([_cell(row.get(c)) for c in present])
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
