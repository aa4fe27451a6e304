"""What the models' markers say, gathered for the checks, the rulebook and the docs."""

from __future__ import annotations

from csto_dataset.models import TABLES, Record, Verbatim, marked

SOURCE_FIELD = "source_id"
"""The field of the source a record rests on (a field marked `SourceOf` may name another)."""


def verbatim_fields() -> dict[type[Record], dict[str, Verbatim]]:
    """The tables with texts marked `Verbatim`, each with those fields."""
    found = {spec.model: marked(spec.model, Verbatim) for spec in TABLES}
    return {model: fields for model, fields in found.items() if fields}


def source_date(model: type[Record]) -> str | None:
    """The field that dates a record for the source-date and cut-off rules: its
    `reported_as_of`, else its `dated_by`, else its `dated_via` (the reference whose record's
    date it takes); None for a table whose records rest on no source or have no date."""
    if SOURCE_FIELD not in model.model_fields:
        return None  # a source is not compared with itself
    return model.reported_as_of or model.dated_by or model.dated_via


def source_dated_tables() -> list[type[Record]]:
    """The tables the source-date and cut-off rules read, in the models' order."""
    return [spec.model for spec in TABLES if source_date(spec.model) is not None]


def listing(items: list[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    return f" {conjunction} ".join(filter(None, [", ".join(items[:-1]), *items[-1:]]))


def tables_phrase(models: list[type[Record]], how: dict[str, str] | None = None) -> str:
    """The tables in prose (`events, memberships and statements`), each with what `how` says
    of it in brackets."""
    how = how or {}
    return listing(
        [m.table_title.lower() + (f" ({how[m.table]})" if m.table in how else "") for m in models]
    )


def verbatim_phrase(within: str) -> str:
    """Which fields of which tables stand verbatim `within` a paragraph or a source."""
    groups: dict[tuple[str, ...], list[type[Record]]] = {}
    for model, fields in verbatim_fields().items():
        names = tuple(name for name, marker in fields.items() if marker.within == within)
        if names:
            groups.setdefault(names, []).append(model)
    return ", and ".join(
        f"the {listing([f'`{name}`' for name in names])} of {tables_phrase(models)}"
        for names, models in groups.items()
    )


def source_date_phrase() -> str:
    """The tables the source-date and cut-off rules read, and by which field where not their
    own date."""
    how = {}
    for model in source_dated_tables():
        field = source_date(model)
        if field == model.dated_via:
            how[model.table] = f"by the date of their `{field}`"
        elif field != model.dated_by:
            how[model.table] = f"by `{field}`"
    return tables_phrase(source_dated_tables(), how)


def not_held_phrase() -> str:
    """The values that mark a record as not held (only announced, or cancelled), by table."""
    groups: dict[str, list[type[Record]]] = {}
    for spec in TABLES:
        for field, marks in spec.model.not_held().items():
            values = listing([_shown(value) for value in marks], "or")
            groups.setdefault(f"`{field}` {values}", []).append(spec.model)
    return listing([f"{what} ({tables_phrase(models)})" for what, models in groups.items()], "or")


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
