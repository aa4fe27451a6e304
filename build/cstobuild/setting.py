"""What the cross-record checks need besides the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """The release's cut-off, the ids of earlier releases, and the archived source texts."""

    cutoff: dt.date
    """The release's cut-off: no record begins after it."""
    released_ids: dict[str, set[str]]
    """The ids each table had in earlier releases, by table."""
    archive: Path | None
    """The folder of archived source texts, if the quotes are to be proven against them."""
