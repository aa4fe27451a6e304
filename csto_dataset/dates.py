"""Partial ISO dates ("2010", "2022-11", "2022-11-23") and the real days they span."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PARTIAL_DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
PARTIAL_DATE_GRAMMAR = (
    f"A partial date is a year, a month or a day ({PARTIAL_DATE_FORMS}: `2012`, `2012-06`, "
    "`2012-06-20`), at the precision its source gives, and may denote any day it spans."
)
_PARTIAL_DATE = re.compile(PARTIAL_DATE_PATTERN)


class DatePrecision(StrEnum):
    """How precisely a source gives a date."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def parse_partial_date(value: str) -> tuple[DatePrecision, dt.date, dt.date]:
    """Return the precision and the first and last day a partial ISO date can denote.

    Raises ValueError for a malformed or impossible date ("2022-13", "2023-02-29").
    """
    if _PARTIAL_DATE.match(value) is None:
        raise ValueError(f"expected {PARTIAL_DATE_FORMS}, got {value!r}")
    year_text, *rest = value.split("-")
    month_text, day_text = [*rest, None, None][:2]
    year = int(year_text)
    if year < 1000:
        raise ValueError(f"year {year} is out of range in {value!r}")
    if month_text is None:
        return DatePrecision.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(month_text)
    if not 1 <= month <= 12:
        raise ValueError(f"month {month_text} does not exist in {value!r}")
    last_day = calendar.monthrange(year, month)[1]
    if day_text is None:
        return DatePrecision.MONTH, dt.date(year, month, 1), dt.date(year, month, last_day)
    day = int(day_text)
    if not 1 <= day <= last_day:
        raise ValueError(f"day {day_text} does not exist in {year}-{month_text}: {value!r}")
    exact = dt.date(year, month, day)
    return DatePrecision.DAY, exact, exact
