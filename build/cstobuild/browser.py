"""docs/browse.html: the data browser page of the newest release, generated from its files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from csto_dataset._browse import COLUMNS, page


def browser_files(release: Path, docs: Path) -> dict[Path, bytes]:
    """The page of the release in folder `release`, to be written as `docs`/browse.html."""

    def read(table: str) -> list[dict[str, Any]]:
        names = set(pq.read_schema(release / f"{table}.parquet").names)
        columns = [c for c in COLUMNS[table] if c in names]
        rows: list[dict[str, Any]] = pq.read_table(
            release / f"{table}.parquet", columns=columns
        ).to_pylist()
        return rows

    return {docs / "browse.html": page(release.name, read)}
