"""Rows as text for the command line: an aligned table that fits a width, CSV, JSON, Markdown.

A row is a dict of column name to a plain Python value (str, int, float, bool, date, None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

Row = dict[str, Any]

FORMATS = ("table", "csv", "json", "markdown")
ELLIPSIS = "…"
GAP = "  "
NARROWEST = 6
"""No column is shrunk below this many characters (or its natural width); what does not fit
then is hidden."""
READABLE = 24
"""Other columns give way to ids down to this many characters."""


def render(rows: Sequence[Row], columns: Sequence[str], fmt: str, width: int) -> str:
    """`rows` in format `fmt`; only "table" uses `width`."""
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "json":
        return to_json(rows, columns)
    if fmt == "markdown":
        return to_markdown(rows, columns)
    text, _ = to_table(rows, columns, width)
    return text


def plain(value: Any) -> str:
    """A cell as the release CSV files write it: "" for missing, true/false, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(rows: Iterable[Row], columns: Sequence[str]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([plain(row[c]) for c in columns] for row in rows)
    return buffer.getvalue().removesuffix("\n")


def to_json(rows: Iterable[Row], columns: Sequence[str]) -> str:
    """A JSON array of objects, one per line; dates as ISO strings, missing values as null."""
    import json

    def encode(row: Row) -> str:
        values = {c: row[c].isoformat() if isinstance(row[c], dt.date) else row[c] for c in columns}
        return json.dumps(values, ensure_ascii=False)

    lines = [encode(row) for row in rows]
    return "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"


def to_markdown(rows: Iterable[Row], columns: Sequence[str]) -> str:
    def cell(value: Any) -> str:
        return " ".join(plain(value).split()).replace("|", "\\|")

    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
        *("| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows),
    ]
    return "\n".join(lines)


def to_table(rows: Sequence[Row], columns: Sequence[str], width: int) -> tuple[str, list[str]]:
    """An aligned table no wider than `width` (long cells end in an ellipsis), and the columns
    left out because even at their narrowest they would not fit."""
    cells = [[_display(row[c]) for c in columns] for row in rows]
    natural = [max([len(c), *(len(line[i]) for line in cells)]) for i, c in enumerate(columns)]
    narrowest = [min(w, NARROWEST) for w in natural]
    shown = len(columns)
    while shown > 1 and sum(narrowest[:shown]) + len(GAP) * (shown - 1) > width:
        shown -= 1
    keep = [c == "id" or c.endswith("_id") for c in columns[:shown]]
    widths = _shrink(natural[:shown], narrowest[:shown], width - len(GAP) * (shown - 1), keep)
    numeric = [
        all(isinstance(row[c], int | float) and not isinstance(row[c], bool) for row in rows)
        and bool(rows)
        for c in columns[:shown]
    ]

    def line(values: Sequence[str], align: Sequence[bool]) -> str:
        fitted = (
            _fit(v, w).rjust(w) if right else _fit(v, w).ljust(w)
            for v, w, right in zip(values, widths, align, strict=True)
        )
        return GAP.join(fitted).rstrip()

    header = line(columns[:shown], numeric)
    body = [line(values[:shown], numeric) for values in cells]
    return "\n".join([header, *body]), list(columns[shown:])


def _shrink(natural: list[int], floors: list[int], room: int, keep: list[bool]) -> list[int]:
    """Widths that fit `room`, taken from the widest columns first; the `keep` columns (ids)
    give way only once the others are down to READABLE characters."""
    widths = list(natural)
    readable = [
        w if k else max(f, min(w, READABLE)) for w, f, k in zip(widths, floors, keep, strict=True)
    ]
    for floor in (readable, floors):
        excess = sum(widths) - room
        while excess > 0:
            shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            runner_up = max((widths[i] for i in shrinkable if i != widest), default=0)
            # down to the next widest column at once, rather than one character a step
            target = max(floor[widest], min(runner_up, widths[widest] - 1))
            step = min(excess, widths[widest] - target)
            widths[widest] -= step
            excess -= step
    return widths


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def _display(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return " ".join(plain(value).split())  # one line per row, whatever the text holds
