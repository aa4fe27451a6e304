"""Read curated YAML without YAML 1.1 surprises, keeping the line of every record and field.

PyYAML's `safe_load` keeps the last of two duplicate keys, reads `NO` as false, `012` as 10
and unquoted dates as dates, and expands aliases. Here plain scalars resolve only to null,
true/false, decimal integers and strings; anything ambiguous is an error naming its line.

Each file is parsed once, by libyaml's C parser when PyYAML has it (PyYAML's pure-Python
parser otherwise: the same events, the same rules, about 13 times slower). The records
are built straight from the parse events, which, unlike composed nodes, still carry every
anchor and explicit tag, so those can be refused.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

_YAML11_BOOLEANS = frozenset(
    spelling
    for word in ("y", "yes", "n", "no", "on", "off", "true", "false")
    for spelling in (word, word.capitalize(), word.upper())
) - {"true", "false"}
_NULLS = frozenset(["", "~", "null"])
_DECIMAL = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_OTHER_BASES = re.compile(r"^[-+]?0[xXoObB][0-9a-fA-F_]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*\.[0-9_]*)([eE][-+]?[0-9]+)?$")
_INTERNED = 40
"""Values up to this length (ids, dates, codes) are interned: a million records that name the
same source or date then share one string, not a million copies."""

CSafeLoader = getattr(yaml, "CSafeLoader", None)  # None: PyYAML was built without libyaml
LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = CSafeLoader or yaml.SafeLoader
"""The loader whose parser reads records: libyaml's when installed."""


class YamlError(Exception):
    """A YAML document that cannot be read unambiguously."""

    def __init__(
        self, line: int, message: str, record_id: str | None = None, field: str | None = None
    ) -> None:
        self.line = line
        self.record_id = record_id
        self.field = field
        super().__init__(message)


class EmptyFileError(YamlError):
    """A record file with no records: nothing but blanks and comments."""


@dataclass(frozen=True, slots=True)
class Lines:
    """The 1-based line of a record and of each of its keys, kept small for a million records:
    lines are offsets from the record's own, and records with the same keys (or offsets)
    share one tuple of them."""

    line: int
    keys: tuple[str, ...]
    offsets: tuple[int, ...]

    def line_of(self, key: str | None) -> int:
        if key is None or key not in self.keys:
            return self.line
        return self.line + self.offsets[self.keys.index(key)]


_SHARED_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}
_SHARED_OFFSETS: dict[tuple[int, ...], tuple[int, ...]] = {}


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One mapping of a record file, with the 1-based line of the record and of each key."""

    line: int
    data: dict[str, Any]
    field_lines: dict[str, int]

    def line_of(self, key: str | None) -> int:
        return self.field_lines.get(key, self.line) if key is not None else self.line

    def lines(self) -> Lines:
        """The lines alone, to keep once the values are validated into a model."""
        keys = tuple(self.field_lines)
        offsets = tuple(line - self.line for line in self.field_lines.values())
        return Lines(
            self.line,
            _SHARED_KEYS.setdefault(keys, keys),
            _SHARED_OFFSETS.setdefault(offsets, offsets),
        )


def read_records(
    text: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = LOADER
) -> list[RawRecord]:
    """Parse a YAML sequence of record mappings."""
    events = _Events(text, loader)
    first = events.document()
    if first is None:
        return []
    records = _records(events, first)
    events.end_of_document()
    return records


def read_record_file(
    text: str,
    tables: Iterable[str],
    loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = LOADER,
) -> dict[str, list[RawRecord]]:
    """Parse a record file: a mapping of table names to sequences of records."""
    events = _Events(text, loader)
    root = events.document()
    if root is None:
        raise EmptyFileError(1, "an empty records file; delete it, or give it records")
    if not isinstance(root, yaml.MappingStartEvent):
        raise YamlError(_line(root), "a record file maps table names to lists (`statements:`)")
    known = list(tables)
    found: dict[str, list[RawRecord]] = {}
    while not isinstance(key := events.next(), yaml.MappingEndEvent):
        name = key.value if isinstance(key, yaml.ScalarEvent) else None
        if name not in known:
            raise YamlError(_line(key), f"{name!r} is not a table; expected one of {known}")
        if name in found:
            raise YamlError(_line(key), f"table {name!r} appears twice in the file")
        found[name] = _records(events, events.next())
    events.end_of_document()
    return found


_NO_ANCHORS = "anchors and aliases (&, *) are not allowed in records"
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


class _Events:
    """The parse events of one text, refusing anchors, aliases and explicit tags."""

    def __init__(self, text: str, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
        self._events: Iterator[yaml.Event] = yaml.parse(text, Loader=loader)

    def next(self) -> yaml.Event:
        try:
            event = next(self._events)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise YamlError(line, f"not valid YAML: {error.problem or error}") from None
        kind = type(event)
        if kind in _NODE_EVENTS:
            if event.anchor is not None:  # type: ignore[attr-defined]
                raise YamlError(_line(event), _NO_ANCHORS)
            tag = event.tag  # type: ignore[attr-defined]
            if tag is not None and tag != "!":
                raise YamlError(_line(event), f"explicit tags ({tag}) are not allowed in records")
        elif kind is yaml.AliasEvent:
            raise YamlError(_line(event), _NO_ANCHORS)
        return event

    def document(self) -> yaml.Event | None:
        """The first event of the document's root, or None for a text without a document."""
        self.next()  # the stream's start
        start = self.next()
        return None if isinstance(start, yaml.StreamEndEvent) else self.next()

    def end_of_document(self) -> None:
        self.next()  # the document's end
        extra = self.next()
        if not isinstance(extra, yaml.StreamEndEvent):
            raise YamlError(_line(extra), "more than one YAML document (`---`) in a file")


def _records(events: _Events, start: yaml.Event) -> list[RawRecord]:
    if not isinstance(start, yaml.SequenceStartEvent):
        raise YamlError(_line(start), "records must be a list (`- id: ...`)")
    records = []
    while not isinstance(item := events.next(), yaml.SequenceEndEvent):
        if not isinstance(item, yaml.MappingStartEvent):
            raise YamlError(_line(item), "each record must be a mapping of field: value")
        data, lines = _mapping(events)
        records.append(RawRecord(_line(item), data, lines))
    return records


def _line(event: yaml.Event) -> int:
    return int(event.start_mark.line) + 1 if event.start_mark is not None else 1


def _mapping(events: _Events) -> tuple[dict[str, Any], dict[str, int]]:
    """The mapping whose start event was just read, up to and including its end event."""
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    while not isinstance(key_event := events.next(), yaml.MappingEndEvent):
        if not isinstance(key_event, yaml.ScalarEvent):
            raise YamlError(_line(key_event), "a key must be a plain name")
        key = key_event.value
        record_id = data.get("id") if isinstance(data.get("id"), str) else None
        if key in data:
            message = f"duplicate key {key!r} (first on line {lines[key]})"
            raise YamlError(_line(key_event), message, record_id, key)
        lines[key] = _line(key_event)
        try:
            data[key] = _value(events, events.next())
        except YamlError as error:
            if error.field is None:  # name the innermost field and its record
                raise YamlError(error.line, str(error), record_id, key) from None
            raise
    return data, lines


def _value(events: _Events, event: yaml.Event) -> Any:
    if isinstance(event, yaml.ScalarEvent):
        if event.style:  # quoted or block scalar: always a string
            value: str = event.value
            return sys.intern(value) if len(value) <= _INTERNED else value
        return _plain(event.value, _line(event))
    if isinstance(event, yaml.MappingStartEvent):
        return _mapping(events)[0]
    assert isinstance(event, yaml.SequenceStartEvent)  # the parser allows nothing else here
    items = []
    while not isinstance(item := events.next(), yaml.SequenceEndEvent):
        items.append(_value(events, item))
    return items


def _plain(text: str, line: int) -> Any:
    if text in _NULLS:
        return None
    if text in ("true", "false"):
        return text == "true"
    if text in _YAML11_BOOLEANS:
        raise YamlError(
            line,
            f"{text!r} is a boolean in YAML 1.1 and a string in YAML 1.2; "
            f"write true/false, or quote it ('{text}') if you mean the text",
        )
    if _LEADING_ZERO.match(text) or _OTHER_BASES.match(text):
        raise YamlError(
            line,
            f"{text!r} reads as an octal or other-base number in YAML 1.1; "
            f"quote it ('{text}') to keep it as text, or drop the leading zero",
        )
    if _DECIMAL.match(text):
        return int(text)
    if _FLOAT.match(text):
        raise YamlError(line, f"{text!r} is a decimal number; no field takes one, quote it")
    return sys.intern(text) if len(text) <= _INTERNED else text
