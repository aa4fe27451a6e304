"""Characters a text may not hold, and how to name one in a message."""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

_ALLOWED_CONTROLS = frozenset("\t\n")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Controls, format characters (bidirectional controls, zero-width characters, the byte-order
mark, the soft hyphen), surrogates, and line and paragraph separators."""

_UNNAMED = {"Cc": "(a control character)", "Cs": "(a surrogate)"}


def describe(char: str) -> str:
    """The code point and name of `char`, for a message: "U+202E RIGHT-TO-LEFT OVERRIDE"."""
    name = unicodedata.name(char, _UNNAMED.get(unicodedata.category(char), "(unnamed)"))
    return f"U+{ord(char):04X} {name}"


@functools.cache
def _invisible() -> re.Pattern[str]:
    """One character class of every refused code point, so a text is scanned at C speed."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES and char not in _ALLOWED_CONTROLS:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    members = "".join(
        f"\\U{first:08x}" + (f"-\\U{last:08x}" if last > first else "") for first, last in ranges
    )
    return re.compile(f"[{members}]")


def first_invisible(text: str) -> str | None:
    """What is wrong with the first invisible or control character of `text`, if any."""
    found = _invisible().search(text)
    if found is None:
        return None
    return (
        f"holds the invisible or control character {describe(found.group())} at character "
        f"{found.start() + 1}; remove it"
    )
