"""Read curated YAML without YAML 1.1 surprises, keeping the line of every record and field.

PyYAML's `safe_load` keeps the last of two duplicate keys, reads `NO` as false, `012` as 10
and unquoted dates as dates, and expands aliases. Here plain scalars resolve only to null,
true/false, decimal integers and strings; anything ambiguous is an error naming its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class RawRecord:
    """One mapping of a record file, with the 1-based line of the record and of each key."""

    line: int
    data: dict[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        return self.field_lines.get(key, self.line) if key is not None else self.line


class _ComposeOnly(yaml.SafeLoader):
    """A loader without implicit resolvers: every plain scalar composes as a string node."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML's class attribute)


def read_records(text: str) -> list[RawRecord]:
    """Parse a YAML sequence of record mappings."""
    root = _compose(text)
    if root is None:
        return []
    return _records(root)


def read_record_file(text: str, tables: Iterable[str]) -> dict[str, list[RawRecord]]:
    """Parse a record file: a mapping of table names to sequences of records."""
    root = _compose(text)
    if root is None:
        raise EmptyFileError(1, "an empty records file; delete it, or give it records")
    if not isinstance(root, yaml.MappingNode):
        raise YamlError(_line(root), "a record file maps table names to lists (`statements:`)")
    known = list(tables)
    found: dict[str, list[RawRecord]] = {}
    for key_node, value_node in root.value:
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if name not in known:
            raise YamlError(_line(key_node), f"{name!r} is not a table; expected one of {known}")
        if name in found:
            raise YamlError(_line(key_node), f"table {name!r} appears twice in the file")
        found[name] = _records(value_node)
    return found


def _compose(text: str) -> yaml.Node | None:
    _reject_anchors_and_tags(text)
    try:
        return yaml.compose(text, Loader=_ComposeOnly)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlError(line, f"not valid YAML: {error.problem or error}") from None


def _records(node: yaml.Node) -> list[RawRecord]:
    if not isinstance(node, yaml.SequenceNode):
        raise YamlError(_line(node), "records must be a list (`- id: ...`)")
    records = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise YamlError(_line(item), "each record must be a mapping of field: value")
        data, lines = _mapping(item)
        records.append(RawRecord(_line(item), data, lines))
    return records


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _reject_anchors_and_tags(text: str) -> None:
    try:
        for event in yaml.parse(text, Loader=_ComposeOnly):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlError(line, "anchors and aliases (&, *) are not allowed in records")
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                raise YamlError(line, f"explicit tags ({tag}) are not allowed in records")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlError(line, f"not valid YAML: {error.problem or error}") from None


def _mapping(node: yaml.MappingNode) -> tuple[dict[str, Any], dict[str, int]]:
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlError(_line(key_node), "a key must be a plain name")
        key = key_node.value
        record_id = data.get("id") if isinstance(data.get("id"), str) else None
        if key in data:
            message = f"duplicate key {key!r} (first on line {lines[key]})"
            raise YamlError(_line(key_node), message, record_id, key)
        lines[key] = _line(key_node)
        try:
            data[key] = _value(value_node)
        except YamlError as error:
            if error.field is None:  # name the innermost field and its record
                raise YamlError(error.line, str(error), record_id, key) from None
            raise
    return data, lines


def _value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return _mapping(node)[0]
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    assert isinstance(node, yaml.ScalarNode)
    if node.style is not None:  # quoted or block scalar: always a string
        return node.value
    return _plain(node.value, _line(node))


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
    return text
