"""The stata export format: one .dta file (Stata 14 and newer, UTF-8) per table and panel,
with variable labels from the data dictionary, value labels for vocabularies and dates as
Stata dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from csto_dataset._labelled import Labelled

LABEL_LIMIT = 80  # characters of a Stata variable or data label
STR_LIMIT = 2045  # bytes of a fixed-width Stata string; longer ones are strL


def write_stata(folder: Path, tables: Iterable[Labelled], created: dt.datetime) -> int:
    """Write each table to `folder`/<name>.dta; the number of files. `created` is the time
    stamp every file records, so that the same release gives the same bytes."""
    from pandas.io.stata import StataParser

    reserved: set[str] = StataParser().RESERVED_WORDS  # type: ignore[attr-defined]
    written = 0
    for table in tables:
        frame = _frame(table)
        # a Stata reserved word (`end`) gets pandas's "_" prefix, and its label says so
        names = {c.name: f"_{c.name}" if c.name in reserved else c.name for c in table.columns}
        labels = {
            names[c.name]: _label(
                c.description if names[c.name] == c.name else f"{c.name}: {c.description}"
            )
            for c in table.columns
        }
        long_strings = [
            names[c.name]
            for c in table.columns
            if c.type == "string"
            and c.enum is None
            and frame[c.name].map(lambda text: len(text.encode("utf-8"))).max() > STR_LIMIT
        ]
        frame.rename(columns=names).to_stata(
            folder / f"{table.name}.dta",
            write_index=False,
            version=118,
            data_label=_label(table.title),
            variable_labels=labels,
            convert_dates={names[c.name]: "td" for c in table.columns if c.type == "date"},
            convert_strl=long_strings,
            time_stamp=created,
        )
        written += 1
    return written


def _frame(table: Labelled) -> pd.DataFrame:
    """The table as Stata stores it: vocabularies as labelled integers, booleans as 0/1,
    dates as days, text without missing values (Stata has none: empty text)."""
    import pandas as pd

    frame: pd.DataFrame = table.data.to_pandas(date_as_object=False)
    for column in table.columns:
        values = frame[column.name]
        if column.enum is not None:
            frame[column.name] = pd.Categorical(values, categories=list(column.enum))
        elif column.type == "boolean":
            frame[column.name] = values.astype("Int8")
        elif column.type == "integer":
            frame[column.name] = values.astype("Int64")
        elif column.type == "date":
            frame[column.name] = pd.to_datetime(values)
        else:
            frame[column.name] = values.fillna("").astype(object)
    return frame


def _label(text: str) -> str:
    """`text` on one line, cut to Stata's limit with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= LABEL_LIMIT else line[: LABEL_LIMIT - 1] + "…"
