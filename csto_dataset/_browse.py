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
        "preview",
        "speaker_person_id",
        "speaker_state_id",
        "speaker_organization_id",
        "date",
        "date_earliest",
    ),
    "people": ("id", "name"),
    "states": ("id", "name"),
    "organizations": ("id", "name"),
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
        *COVERAGE,
    ),
}

# What the page reads but does not hold: the days of each membership interval, which become its
# coverage (COVERAGE, by the package's rule), and the events that give the data's last day.
INPUTS: dict[str, tuple[str, ...]] = {
    "memberships": (
        "start_earliest",
        "start_latest",
        "end",
        "end_earliest",
        "end_latest",
        "ongoing",
        "attested_earliest",
        "attested_latest",
    ),
    "events": ("kind", "date_earliest", "announced_only", "cancelled"),
}

# What the page needs only once a statement is opened or the texts are searched: written after
# the page's script, so that the browser parses it after the page is first laid out.
DETAILS: dict[str, tuple[str, ...]] = {
    "statements": (
        "text",
        "date_precision",
        "date_latest",
        "evidence_tier",
        "context",
        "attribution",
        "note",
        "language",
        "spoken_language",
        "translated",
        "translator",
        "speaker_inferred",
        "date_inferred",
        "source_id",
        "locator",
    ),
    "sources": ("id", "title", "url"),
}
# The list shows each text's first characters; the whole text comes with the details.
PREVIEW_LENGTH = 180
# Each statement's topics, as numbers into the sorted list of topics (not a table of ids).
TOPICS = ("statement_id", "topic")

Columns = dict[str, list[Any]]
Reader = Callable[[str], Columns]
"""`read(table)`: the columns `columns_read(table)` names that the table has, as lists. Columns,
not rows: a million statements as a dict each would hold gigabytes."""

TABLES_READ = tuple(dict.fromkeys([*COLUMNS, *DETAILS, *INPUTS, "statement_topics"]))


def columns_read(table: str) -> tuple[str, ...]:
    """Every column of `table` the page holds, at start-up or in its details."""
    if table == "statement_topics":
        return TOPICS
    return COLUMNS.get(table, ()) + DETAILS.get(table, ()) + INPUTS.get(table, ())


def page(version: str, read: Reader) -> bytes:
    """The page for data release `version`; `read(table)` gives a table's columns."""
    from csto_dataset.membership import (
        PRECEDENCE,
        STATUS_COLOURS,
        beyond_data_message,
        newest_day,
    )

    tables = {name: read(name) for name in TABLES_READ}
    statements = tables["statements"]
    statements["preview"] = [_preview(text) for text in statements["text"]]
    memberships = [_with_coverage(row) for row in _records(tables["memberships"])]
    tables["memberships"] = {c: [r[c] for r in memberships] for c in memberships[0]}
    said = ({"date_earliest": day} for day in statements["date_earliest"])
    last = newest_day(said, _records(tables["events"]))
    data = {
        "version": version,
        "lastDay": last.isoformat() if last else None,
        "beyondData": beyond_data_message("{day}", last.isoformat(), version) if last else None,
        "precedence": list(PRECEDENCE),
        "colours": STATUS_COLOURS,
        "tables": {name: _rows(tables[name], columns) for name, columns in COLUMNS.items()},
        "topics": _topics(statements["id"], tables["statement_topics"]),
        "choices": _choices(tables),
    }
    details = {name: _rows(tables[name], columns) for name, columns in DETAILS.items()}
    template = resources.files("csto_dataset").joinpath("browse_template.html")
    html = template.read_text(encoding="utf-8").replace("{{VERSION}}", version)
    head, rest = html.split("{{DATA}}")
    middle, tail = rest.split("{{DETAILS}}")
    # joined as bytes once, each part encoded once: the page's text is not copied again
    return b"".join(
        part.encode("utf-8")
        for part in (head, _script_json(data), middle, _script_json(details), tail)
    )


def _records(columns: Columns) -> list[dict[str, Any]]:
    """A small table's columns as one mapping per row."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _script_json(value: Any) -> str:
    """`value` as JSON inside a script element, where "</" would end the element early (and
    "<\\/" is the same JSON string)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/")


def _preview(text: str) -> str:
    """The start of `text` the list shows: all of it, or its first characters and "…"."""
    if len(text) <= PREVIEW_LENGTH:
        return text
    return text[: PREVIEW_LENGTH - 3] + "…"


def _choices(tables: dict[str, Columns]) -> dict[str, list[list[str]]]:
    """Each filter's choices as (value, label), in the order the page lists them."""
    statements = tables["statements"]
    names = {
        table: dict(
            zip(map(str, tables[table]["id"]), map(str, tables[table]["name"]), strict=True)
        )
        for table in ("people", "states")
    }

    def used(column: str) -> list[str]:
        return sorted({str(value) for value in statements.get(column, []) if value})

    speakers = [[i, names["people"].get(i, i)] for i in used("speaker_person_id")]
    dates = zip(statements["date_earliest"], statements["date"], strict=True)
    years = {str(earliest or date or "")[:4] for earliest, date in dates}
    topics = sorted({str(topic) for topic in tables["statement_topics"]["topic"]})
    return {
        "speaker": sorted(speakers, key=lambda pair: (pair[1].casefold(), pair[1])),
        "state": [[i, f"{names['states'].get(i, i)} ({i})"] for i in used("speaker_state_id")],
        "topic": [[t, t.replace("_", " ")] for t in topics],
        "kind": [[k, k.replace("_", " ")] for k in used("kind")],
        "year": [[y, y] for y in sorted(years - {""}, reverse=True)],
    }


def _topics(statement_ids: list[Any], links: Columns) -> dict[str, Any]:
    """The topics' names, and for each statement (in order) the numbers of its topics."""
    names = sorted({str(topic) for topic in links["topic"]})
    number = {name: i for i, name in enumerate(names)}
    of: dict[str, list[int]] = {}
    for statement, topic in zip(links["statement_id"], links["topic"], strict=True):
        of.setdefault(str(statement), []).append(number[str(topic)])
    return {"names": names, "of": [of.get(str(i), []) for i in statement_ids]}


def _with_coverage(row: dict[str, Any]) -> dict[str, Any]:
    from csto_dataset.membership import interval_coverage

    covered = interval_coverage(row)
    return {**row, **dict(zip(COVERAGE, covered or (None,) * len(COVERAGE), strict=True))}


def _rows(columns: Columns, wanted: tuple[str, ...]) -> list[Any]:
    """The `wanted` columns the table has as a header, then one list per row, dates as ISO
    strings."""
    present = [c for c in wanted if c in columns]
    values = [[_cell(v) for v in columns[c]] for c in present]
    return [present, *zip(*values, strict=True)]


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
