"""Derive every release table's columns from the Pydantic models (the single source of truth)."""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from csto_dataset.dates import DatePrecision
from csto_dataset.models import (
    TABLES,
    Derived,
    IsoDateField,
    LinkTable,
    PartialDateField,
    Record,
    Ref,
    TableSpec,
)

ColumnType = Literal["string", "integer", "boolean", "date"]


@dataclass(frozen=True)
class Column:
    """One column of a release table."""

    name: str
    type: ColumnType
    description: str
    required: bool
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Table:
    """One release table: its columns, key and where its rows come from."""

    name: str
    title: str
    description: str
    id_rule: str | None
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    model: type[Record]
    link_field: str | None = None
    """For a link table: the list field of `model` whose items it holds."""

    @functools.cached_property
    def derived_names(self) -> set[str]:
        """The columns the build computes from other records."""
        return {d.name for d in self.model.derived} if self.link_field is None else set()

    @property
    def foreign_keys(self) -> list[tuple[str, str]]:
        return [(c.name, c.ref) for c in self.columns if c.ref is not None]


def release_tables() -> list[Table]:
    """Every table of a release, in dependency order, link tables after their owner."""
    tables = []
    for spec in TABLES:
        tables.append(_main_table(spec))
        tables.extend(_link_table(spec, name, link) for name, link in spec.links)
    return tables


def _main_table(spec: TableSpec) -> Table:
    model = spec.model
    linked = {name for name, _ in spec.links}
    columns: list[Column] = []
    for name, info in model.model_fields.items():
        if name in linked:
            continue
        columns.extend(_columns_of(name, info))
    columns.extend(_derived_column(derived) for derived in model.derived)
    return Table(
        name=model.table,
        title=model.table_title,
        description=_docstring(model),
        id_rule=model.id_rule,
        columns=tuple(columns),
        primary_key=("id",),
        model=model,
    )


def docstring(model: type[BaseModel]) -> str:
    """A model's docstring on one line: a table's or a panel's description."""
    return _docstring(model)


def panel_columns(model: type[BaseModel]) -> tuple[Column, ...]:
    """The columns of a panel, from its row model (`csto_dataset.panel_models`)."""
    return tuple(c for name, info in model.model_fields.items() for c in _columns_of(name, info))


def _derived_column(derived: Derived) -> Column:
    column_type: ColumnType = derived.kind
    vocabulary = derived.vocabulary
    enum = None if vocabulary is None else tuple(v.value for v in vocabulary)
    return Column(derived.name, column_type, derived.description, True, enum=enum)


def _link_table(spec: TableSpec, field_name: str, link: LinkTable) -> Table:
    owner = spec.model
    info = owner.model_fields[field_name]
    item = _column_from(link.column, _list_item(info.annotation), link.description, True)
    owner_key = f"{_singular(owner.table)}_id"
    owner_id = Column(
        name=owner_key,
        type="string",
        description=f"The {_singular(owner.table)} ({owner.table}.id).",
        required=True,
        pattern=_id_pattern(owner),
        ref=owner.table,
    )
    return Table(
        name=link.name,
        title=f"{owner.table_title}: {field_name}",
        description=f"{info.description} One row per {_singular(owner.table)} and value.",
        id_rule=None,
        columns=(owner_id, item),
        primary_key=(owner_key, link.column),
        model=owner,
        link_field=field_name,
    )


def _columns_of(name: str, info: FieldInfo) -> list[Column]:
    description = info.description or ""
    annotation: Any = info.annotation
    nullable = _is_optional(annotation)
    # Pydantic moves the metadata of a field's outer Annotated type into `info.metadata`.
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    column = _column_from(name, annotation, description, not nullable)
    if PartialDateField() not in _markers(annotation):
        return [column]
    required = column.required
    return [
        column,
        Column(
            f"{name}_precision",
            "string",
            f"Precision of `{name}`: year, month or day.",
            required,
            enum=tuple(p.value for p in DatePrecision),
        ),
        Column(f"{name}_earliest", "date", f"First day `{name}` can denote.", required),
        Column(f"{name}_latest", "date", f"Last day `{name}` can denote.", required),
    ]


def _column_from(name: str, annotation: Any, description: str, required: bool) -> Column:
    base = _base_type(annotation)
    metadata = _markers(annotation)
    refs = [m.table for m in metadata if isinstance(m, Ref)]
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    if isinstance(base, type) and issubclass(base, StrEnum):
        return Column(name, "string", description, required, enum=tuple(e.value for e in base))
    if base is bool:
        return Column(name, "boolean", description, required)
    if base is int:
        minimum = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
        maximum = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
        return Column(name, "integer", description, required, minimum=minimum, maximum=maximum)
    if base is str:
        column_type: ColumnType = "date" if IsoDateField() in metadata else "string"
        return Column(
            name,
            column_type,
            description,
            required,
            pattern=None if column_type == "date" else pattern,
            ref=refs[0] if refs else None,
        )
    raise TypeError(f"no column type for field {name!r} of type {annotation!r}")


def _is_optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _strip_optional(annotation: Any) -> Any:
    if _is_optional(annotation):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return inner
    return annotation


def _base_type(annotation: Any) -> Any:
    annotation = _strip_optional(annotation)
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
        annotation = _strip_optional(annotation)
    return annotation


def _markers(annotation: Any) -> list[Any]:
    """Every metadata object of the (possibly nested, possibly optional) Annotated type."""
    found: list[Any] = []
    annotation = _strip_optional(annotation)
    while get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        for item in metadata:
            found.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        annotation = _strip_optional(base)
    return found


def _list_item(annotation: Any) -> Any:
    if get_origin(annotation) is not list:
        raise TypeError(f"a link table needs a list field, got {annotation!r}")
    return get_args(annotation)[0]


def _id_pattern(model: type[Record]) -> str | None:
    return _column_from("id", model.model_fields["id"].annotation, "", True).pattern


def _singular(table: str) -> str:
    return {"people": "person", "statements": "statement", "events": "event"}.get(
        table, table.removesuffix("s")
    )


def _docstring(model: type[BaseModel]) -> str:
    return " ".join((model.__doc__ or "").split())
