"""The data browser page: one self-contained HTML file (inline data and script) per release."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any, BinaryIO

from csto_dataset._standing import not_held_columns

if TYPE_CHECKING:
    import pyarrow as pa

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
    "events": ("kind", "date_earliest", *not_held_columns("events")),
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
Reader = Callable[[str, tuple[str, ...]], "pa.Table"]
"""`read(table, columns)`: those of `columns` that the table has, as an Arrow table. Arrow, not
Python lists: the page turns a chunk of rows at a time into JSON, so that a million statements
never exist as Python objects at once."""
CHUNK_ROWS = 20_000

START_READ = tuple(dict.fromkeys([*COLUMNS, *INPUTS, "statement_topics"]))


def _start_columns(table: str) -> tuple[str, ...]:
    """The columns of `table` the page's start-up part is made from (a statement's `preview`
    from its `text`)."""
    if table == "statement_topics":
        return TOPICS
    if table == "statements":
        return ("text", *COLUMNS["statements"])
    return COLUMNS.get(table, ()) + INPUTS.get(table, ())


def write_page(version: str, read: Reader, out: BinaryIO) -> None:
    """Write the page for data release `version` to `out`; `read(table, columns)` gives a
    table's columns. The statements are read twice, what the list needs and then the details,
    so that the two are never in memory together."""
    template = resources.files("csto_dataset").joinpath("browse_template.html")
    html = template.read_text(encoding="utf-8").replace("{{VERSION}}", version)
    head, rest = html.split("{{DATA}}")
    middle, tail = rest.split("{{DETAILS}}")

    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    write(head)
    _write_json(_start_data(version, read), write)
    write(middle)
    details = {name: read(name, wanted) for name, wanted in DETAILS.items()}
    _write_json(
        {
            name: _Array.of_rows(t.column_names, _chunks(t), DETAILS[name])
            for name, t in details.items()
        },
        write,
    )
    write(tail)


def _start_data(version: str, read: Reader) -> dict[str, Any]:
    """What the page needs at start-up: the list's columns, the filters' choices, the
    memberships' coverage and the day the data runs to."""
    from csto_dataset.membership import (
        PRECEDENCE,
        STATUS_COLOURS,
        beyond_data_message,
        newest_day,
    )

    tables = {name: read(name, _start_columns(name)) for name in START_READ}
    statements = tables["statements"]
    memberships = [_with_coverage(row) for row in tables["memberships"].to_pylist()]
    last = newest_day(statements["date_earliest"], tables["events"])
    rows = {
        name: _Array.of_rows(tables[name].column_names, _chunks(tables[name]), wanted)
        for name, wanted in COLUMNS.items()
        if name not in ("statements", "memberships")
    }
    rows["memberships"] = _Array.of_rows(
        list(memberships[0]) if memberships else [], [_columns(memberships)], COLUMNS["memberships"]
    )
    rows["statements"] = _Array.of_rows(
        [*statements.column_names, "preview"],
        (
            {**chunk, "preview": [_preview(text) for text in chunk["text"]]}
            for chunk in _chunks(statements)
        ),
        COLUMNS["statements"],
    )
    names, numbers = _topics(statements["id"], tables["statement_topics"])
    return {
        "version": version,
        "lastDay": last.isoformat() if last else None,
        "beyondData": beyond_data_message("{day}", last.isoformat(), version) if last else None,
        "precedence": list(PRECEDENCE),
        "colours": STATUS_COLOURS,
        "tables": rows,
        "topics": {"names": names, "of": numbers},
        "choices": _choices(tables, names),
    }


class _Array:
    """A JSON array written a part (a list of its elements) at a time."""

    def __init__(self, parts: Iterable[list[Any]]) -> None:
        self.parts = parts

    @classmethod
    def of_rows(
        cls, names: list[str], chunks: Iterable[Columns], wanted: tuple[str, ...]
    ) -> _Array:
        """The `wanted` columns the table has as a header, then one list per row, dates as ISO
        strings."""
        present = [c for c in wanted if c in names]

        def parts() -> Iterator[list[Any]]:
            yield [present]
            for chunk in chunks:
                values = [[_cell(v) for v in chunk[c]] for c in present]
                yield list(zip(*values, strict=True))

        return cls(parts())


def _write_json(value: Any, write: Callable[[str], None]) -> None:
    """`value` as JSON inside a script element, as `json.dumps` with sorted keys would give it,
    written a part at a time."""
    if isinstance(value, dict):
        write("{")
        for n, key in enumerate(sorted(value)):
            write(("," if n else "") + _script_json(key) + ":")
            _write_json(value[key], write)
        write("}")
    elif isinstance(value, _Array):
        write("[")
        first = True
        for part in value.parts:
            if part:
                write(("" if first else ",") + _script_json(part)[1:-1])
                first = False
        write("]")
    else:
        write(_script_json(value))


def _chunks(table: pa.Table) -> Iterator[Columns]:
    for batch in table.to_batches(max_chunksize=CHUNK_ROWS):
        yield batch.to_pydict()


def _columns(rows: list[dict[str, Any]]) -> Columns:
    return {c: [r[c] for r in rows] for c in rows[0]} if rows else {}


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


def _choices(tables: dict[str, pa.Table], topics: list[str]) -> dict[str, list[list[str]]]:
    """Each filter's choices as (value, label), in the order the page lists them."""
    import pyarrow.compute as pc

    statements = tables["statements"]
    names = {
        table: dict(
            zip(
                map(str, tables[table]["id"].to_pylist()),
                map(str, tables[table]["name"].to_pylist()),
                strict=True,
            )
        )
        for table in ("people", "states")
    }

    def used(column: str) -> list[str]:
        if column not in statements.column_names:
            return []
        return sorted({str(value) for value in pc.unique(statements[column]).to_pylist() if value})

    speakers = [[i, names["people"].get(i, i)] for i in used("speaker_person_id")]
    earliest = statements["date_earliest"]
    years = {f"{year:04d}" for year in pc.unique(pc.year(earliest)).to_pylist() if year is not None}
    undated = pc.filter(statements["date"], pc.is_null(earliest))
    years |= {str(date or "")[:4] for date in pc.unique(undated).to_pylist()}
    return {
        "speaker": sorted(speakers, key=lambda pair: (pair[1].casefold(), pair[1])),
        "state": [[i, f"{names['states'].get(i, i)} ({i})"] for i in used("speaker_state_id")],
        "topic": [[t, t.replace("_", " ")] for t in topics],
        "kind": [[k, k.replace("_", " ")] for k in used("kind")],
        "year": [[y, y] for y in sorted(years - {""}, reverse=True)],
    }


def _topics(statement_ids: pa.ChunkedArray, links: pa.Table) -> tuple[list[str], _Array]:
    """The topics' names, and for each statement (in order) the numbers of its topics."""
    import pyarrow as pa
    import pyarrow.compute as pc

    names = sorted({str(topic) for topic in pc.unique(links["topic"]).to_pylist()})
    count = len(statement_ids)
    links = pa.table(
        {
            "statement_id": links["statement_id"],
            "number": pc.index_in(links["topic"], value_set=pa.array(names, links["topic"].type)),
            "link": pa.array(range(links.num_rows), pa.int64()),
        }
    )
    rows = pa.table({"id": statement_ids, "row": pa.array(range(count), pa.int64())})
    placed = links.join(rows, keys="statement_id", right_keys="id", join_type="inner")
    # in the order of the statements, each statement's topics in the order of the links
    ordered = placed.sort_by([("row", "ascending"), ("link", "ascending")])

    def parts() -> Iterator[list[Any]]:
        start = 0
        chunk: list[list[int]] = [[] for _ in range(min(CHUNK_ROWS, count))]
        for batch in ordered.select(["row", "number"]).to_batches(max_chunksize=CHUNK_ROWS):
            for row, number in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                while row >= start + CHUNK_ROWS:
                    yield chunk
                    start += CHUNK_ROWS
                    chunk = [[] for _ in range(min(CHUNK_ROWS, count - start))]
                chunk[row - start].append(number)
        while start < count:
            yield chunk
            start += CHUNK_ROWS
            chunk = [[] for _ in range(min(CHUNK_ROWS, count - start))]

    return names, _Array(parts())


def _with_coverage(row: dict[str, Any]) -> dict[str, Any]:
    from csto_dataset.membership import interval_coverage

    covered = interval_coverage(row)
    return {**row, **dict(zip(COVERAGE, covered or (None,) * len(COVERAGE), strict=True))}


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
