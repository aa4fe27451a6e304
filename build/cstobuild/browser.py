"""docs/browse.html: the data browser page of the newest release, generated from its files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from csto_dataset._browse import columns_read, page


def browser_files(release: Path, docs: Path) -> dict[Path, bytes]:
    """The page of the release in folder `release`, to be written as `docs`/browse.html."""

    def read(table: str) -> dict[str, list[Any]]:
        names = set(pq.read_schema(release / f"{table}.parquet").names)
        columns = [c for c in columns_read(table) if c in names]
        data: dict[str, list[Any]] = pq.read_table(
            release / f"{table}.parquet", columns=columns
        ).to_pydict()
        return data

    return {docs / "browse.html": page(release.name, read)}
