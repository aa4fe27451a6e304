"""Checks on the characters of every text: normal form, invisible characters, formula cells."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cstobuild.problems import Problem

if TYPE_CHECKING:  # records.py uses `first_invisible` before validating a record
    from cstobuild.records import Curated, Located

_ALLOWED_CONTROLS = frozenset("\t\n")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls, format characters (bidirectional controls, zero-width characters, the byte-order
mark, the soft hyphen), surrogates, and line and paragraph separators."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _texts(item: Located) -> Iterator[tuple[str, str]]:
    """Every (field, text) of a record, list items included."""
    for name, value in item.record.model_dump().items():
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str):
                yield name, one


_UNNAMED = {"Cc": "(a control character)", "Cs": "(a surrogate)"}


def _describe(char: str) -> str:
    name = unicodedata.name(char, _UNNAMED.get(unicodedata.category(char), "(unnamed)"))
    return f"U+{ord(char):04X} {name}"


def nfc_text(curated: Curated) -> list[Problem]:
    """Every text is stored in Unicode NFC, so equal-looking texts have equal bytes."""
    problems = []
    for items in curated.tables.values():
        for item in items:
            for field, text in _texts(item):
                if not unicodedata.is_normalized("NFC", text):
                    changed = next(
                        (c for c in text if unicodedata.normalize("NFC", c) != c), text[0]
                    )
                    problems.append(
                        item.problem(
                            field,
                            f"not in Unicode NFC (first at {_describe(changed)}); write the "
                            "composed characters, as the source displays them",
                        )
                    )
    return problems


def first_invisible(text: str) -> str | None:
    """What is wrong with the first invisible or control character of `text`, if any."""
    for position, char in enumerate(text, 1):
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES and char not in _ALLOWED_CONTROLS:
            return (
                f"holds the invisible or control character {_describe(char)} at character "
                f"{position}; remove it"
            )
    return None


def visible_text(curated: Curated) -> list[Problem]:
    """No text holds a character that changes how it displays or where a reader stops."""
    problems = []
    for items in curated.tables.values():
        for item in items:
            for field, text in _texts(item):
                message = first_invisible(text)
                if message is not None:
                    problems.append(item.problem(field, message))
    return problems


def spreadsheet_cells(curated: Curated) -> list[Problem]:
    """Texts a spreadsheet would run as a formula: kept as sourced, but reported as warnings."""
    warnings = []
    for items in curated.tables.values():
        for item in items:
            for field, text in _texts(item):
                if text.startswith(FORMULA_STARTS):
                    warnings.append(
                        item.problem(
                            field,
                            f"starts with {text[0]!r}: a spreadsheet opening the CSV may run "
                            "it as a formula (kept as the source gives it)",
                        )
                    )
    return warnings
