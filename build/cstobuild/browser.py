"""docs/browse.html: the data browser page of the newest release, generated from its files.

The page is written straight to a file, a chunk of rows at a time: with a million statements
it is hundreds of megabytes, which are never held in memory whole.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from csto_dataset._browse import Reader, write_page


def page_path(docs: Path) -> Path:
    return docs / "browse.html"


def _read(release: Path) -> Reader:
    def read(table: str, columns: tuple[str, ...]) -> pa.Table:
        path = release / f"{table}.parquet"
        names = set(pq.read_schema(path).names)
        return pq.read_table(path, columns=[c for c in columns if c in names])

    return read


def page_is_stale(release: Path, docs: Path) -> bool:
    """Whether docs/browse.html differs from the page of the release in folder `release`."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "browse.html"
        with fresh.open("wb") as out:
            write_page(release.name, _read(release), out)
        target = page_path(docs)
        return not target.is_file() or not filecmp.cmp(fresh, target, shallow=False)


def write_page_file(release: Path, docs: Path) -> None:
    """Write docs/browse.html for the release in folder `release`, replacing it only when its
    bytes change (and then whole: no reader sees half a page)."""
    target = page_path(docs)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".browse-", suffix=".html", dir=target.parent)
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            write_page(release.name, _read(release), out)
        if target.is_file() and filecmp.cmp(staged, target, shallow=False):
            staged.unlink()
        else:
            staged.chmod(0o644)
            staged.replace(target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
