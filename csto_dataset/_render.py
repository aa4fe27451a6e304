"""Rows as text for the command line: an aligned table that fits a width, CSV, JSON, Markdown.

A row is a dict of column name to a plain Python value (str, int, float, bool, date, None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

Row = dict[str, Any]

FORMATS = ("table", "csv", "json", "markdown")
GAP = "  "
READABLE = 24
"""The narrowest the widest column may wrap to; below it, rows are shown as records."""


def render(rows: Sequence[Row], columns: Sequence[str], fmt: str, width: int) -> str:
    """`rows` in format `fmt`; only "table" uses `width`."""
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "json":
        return to_json(rows, columns)
    if fmt == "markdown":
        return to_markdown(rows, columns)
    return to_table(rows, columns, width)


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


def to_table(rows: Sequence[Row], columns: Sequence[str], width: int) -> str:
    """`rows` in at most `width` characters a line, no cell cut: an aligned table whose widest
    column wraps onto further lines of its row; or, where even that leaves the widest column
    too narrow, one record per row ("column  value" lines, values wrapped)."""
    cells = [[_display(row[c]) for c in columns] for row in rows]
    natural = [max([len(c), *(len(line[i]) for line in cells)]) for i, c in enumerate(columns)]
    widest = max(range(len(columns)), key=lambda i: natural[i])
    room = width - len(GAP) * (len(columns) - 1) - (sum(natural) - natural[widest])
    if room < min(natural[widest], READABLE):
        return _records(cells, columns, width)
    widths = [*natural]
    widths[widest] = min(natural[widest], room)
    numeric = [
        bool(rows)
        and all(isinstance(row[c], int | float) and not isinstance(row[c], bool) for row in rows)
        for c in columns
    ]

    def lines(values: Sequence[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths, strict=True)]
        out = []
        for index in range(max(len(parts) for parts in wrapped)):
            parts = [p[index] if index < len(p) else "" for p in wrapped]
            aligned = (
                part.rjust(w) if right else part.ljust(w)
                for part, w, right in zip(parts, widths, numeric, strict=True)
            )
            out.append(GAP.join(aligned).rstrip())
        return out

    return "\n".join([*lines(columns), *(line for values in cells for line in lines(values))])


def _records(cells: list[list[str]], columns: Sequence[str], width: int) -> str:
    """Each row as a block of "column  value" lines, blocks apart by a blank line."""
    label = max(len(c) for c in columns)
    room = max(READABLE, width - label - len(GAP))
    blocks = []
    for values in cells:
        block = []
        for column, value in zip(columns, values, strict=True):
            for index, part in enumerate(_wrap(value, room)):
                name = column if index == 0 else ""
                block.append(f"{name.ljust(label)}{GAP}{part}".rstrip())
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters: broken at spaces where it can, else
    (a long id) anywhere."""
    if len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _display(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return " ".join(plain(value).split())  # one line per row, whatever the text holds
