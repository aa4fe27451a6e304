"""Where a record's words stand in an archived source: the locator grammar, said once."""

from __future__ import annotations

import re

LOCATOR_PATTERN = r"^paragraph [1-9][0-9]*$"
LOCATOR_GRAMMAR = (
    "A locator is `paragraph N`: the Nth paragraph of the archived text, paragraphs being the "
    "blocks of text between blank lines, counted from 1."
)
_LOCATOR = re.compile(LOCATOR_PATTERN)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an archived text, in order (see `LOCATOR_GRAMMAR`)."""
    return [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def paragraph_number(locator: str) -> int | None:
    """The N of `paragraph N`; None for a locator that does not follow the grammar."""
    if _LOCATOR.match(locator) is None:
        return None
    return int(locator.removeprefix("paragraph "))
