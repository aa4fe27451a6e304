"""Checks on the characters of every text: normal form, invisible characters, formula cells."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from cstobuild.characters import describe, first_invisible
from cstobuild.problems import Problem
from cstobuild.records import Curated, Located
from cstobuild.rule_checks import checks

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _texts(item: Located) -> Iterator[tuple[str, str]]:
    """Every (field, text) of a record, list items included."""
    for name, value in item.record.__dict__.items():  # the field values, without a copy
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str):
                yield name, one


@checks("nfc-text")
def nfc_text(curated: Curated) -> list[Problem]:
    """Every text is stored in Unicode NFC, so equal-looking texts have equal bytes."""
    problems = []
    for items in curated.tables.values():
        for item in items:
            for field, text in _texts(item):
                if not unicodedata.is_normalized("NFC", text):
                    position = first_not_nfc(text)
                    problems.append(
                        item.problem(
                            field,
                            f"not in Unicode NFC (first at {describe(text[position - 1])}, "
                            f"character {position}); write the composed characters, as the "
                            "source displays them",
                        )
                    )
    return problems


def first_not_nfc(text: str) -> int:
    """The 1-based position of the character where `text` first leaves NFC: the combining
    mark that should have been composed with the letter before it, or a character NFC
    replaces."""
    for end in range(1, len(text) + 1):
        if not unicodedata.is_normalized("NFC", text[:end]):
            return end
    return len(text)


@checks("visible-text")
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


@checks("spreadsheet-cells")
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
