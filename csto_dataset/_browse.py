"""The data browser page: one self-contained HTML file (inline data and script) per release."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

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
        "source_id",
        "locator",
    ),
    "statement_topics": ("statement_id", "topic"),
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
    ),
}

Reader = Callable[[str], list[dict[str, Any]]]


def page(version: str, read: Reader) -> bytes:
    """The page for data release `version`; `read(table)` gives a table's rows as dicts."""
    data = {
        "version": version,
        "tables": {name: _rows(read(name), columns) for name, columns in COLUMNS.items()},
    }
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" would end the script element early; "<\/" is the same JSON string.
    payload = payload.replace("</", "<\\/")
    template = resources.files("csto_dataset").joinpath("browse_template.html")
    html = template.read_text(encoding="utf-8")
    html = html.replace("{{VERSION}}", version).replace("{{DATA}}", payload)
    return html.encode("utf-8")


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
