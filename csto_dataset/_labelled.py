"""A release's tables and panels with their data dictionary: what the stata and sqlite
export formats write, labels and comments included."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa

    from csto_dataset.panels import Unit

PANELS_EXPORTED: tuple[Unit, ...] = ("state-year", "dyad-year")
"""The panels written beside the tables (a state-day panel covers a range of days the user
chooses: `csto-dataset panel --unit state-day`)."""


class Column(NamedTuple):
    """A column as the stata and sqlite formats label it."""

    name: str
    type: str
    """string, integer, boolean or date."""
    enum: tuple[str, ...] | None
    description: str
    required: bool


class Labelled(NamedTuple):
    """A table or a panel, with what the data dictionary says of it."""

    name: str
    """The table's name; a panel's is panel_<unit> with underscores (panel_state_year)."""
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[tuple[str, str, str], ...]
    """(column, table, column of that table) for each foreign key."""
    data: pa.Table


def labelled_tables(
    version: str | None, tables: tuple[str, ...], opener: Callable[[str], IO[bytes]]
) -> Iterator[Labelled]:
    """The release's tables, then its panels, each with its columns described (from the
    release's datapackage.json and from panels.json)."""
    import json

    from csto_dataset.errors import DataNotInReleaseError
    from csto_dataset.loader import read_release_table
    from csto_dataset.panels import panel, panel_columns

    with opener("datapackage.json") as stream:
        resources = {r["name"]: r for r in json.load(stream)["resources"]}
    for table in tables:
        resource = resources[table]
        schema = resource["schema"]
        columns = tuple(
            Column(
                f["name"],
                f["type"],
                tuple(f["constraints"]["enum"]) if "enum" in f.get("constraints", {}) else None,
                f.get("description", ""),
                bool(f.get("constraints", {}).get("required")),
            )
            for f in schema["fields"]
        )
        references = tuple(
            (
                key["fields"][0],
                key["reference"].get("resource") or table,
                key["reference"]["fields"][0],
            )
            for key in schema.get("foreignKeys", [])
        )
        yield Labelled(
            table,
            resource.get("title", table),
            resource.get("description", ""),
            columns,
            tuple(schema.get("primaryKey", ())),
            references,
            read_release_table(opener, table),
        )
    for unit in PANELS_EXPORTED:
        try:
            data = panel(unit, version=version, backend="pyarrow")
        except DataNotInReleaseError:  # an early release lacks tables the panel counts
            continue
        spec = panel_columns()[unit]
        yield Labelled(
            "panel_" + unit.replace("-", "_"),
            spec["title"],
            spec["description"] + " Computed by csto_dataset.panel() (basis 'any').",
            tuple(
                Column(
                    c["name"], c["type"], tuple(c["enum"] or ()) or None, c["description"], False
                )
                for c in spec["columns"]
            ),
            tuple(spec["key"]),
            tuple(
                (c, "states", "id")
                for c in ("state_id", "state_id1", "state_id2")
                if c in data.column_names
            ),
            data,
        )
