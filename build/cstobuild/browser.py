"""docs/browse.html: the data browser page of the newest release, generated from its files.

The page is written straight to a file, a chunk of rows at a time: with a million statements
it is hundreds of megabytes, which are never held in memory whole.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
from pathlib import Path
from typing import IO

import pyarrow as pa

from csto_dataset._browse import write_page
from csto_dataset.loader import read_release_table


def page_path(docs: Path) -> Path:
    return docs / "browse.html"


def _render(release: Path, folder: Path) -> Path:
    """Write the page of the release in folder `release` into a new file in `folder`."""

    def opener(name: str) -> IO[bytes]:
        return (release / name).open("rb")

    def read(table: str, columns: tuple[str, ...]) -> pa.Table:
        return read_release_table(opener, table, columns)

    handle, name = tempfile.mkstemp(prefix=".browse-", suffix=".html", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            write_page(release.name, read, out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def page_is_stale(release: Path, docs: Path) -> bool:
    """Whether docs/browse.html differs from the page of the release in folder `release`."""
    target = page_path(docs)
    with tempfile.TemporaryDirectory() as folder:
        fresh = _render(release, Path(folder))
        return not target.is_file() or not filecmp.cmp(fresh, target, shallow=False)


def write_page_file(release: Path, docs: Path) -> None:
    """Write docs/browse.html for the release in folder `release`, replacing it only when its
    bytes change (and then whole: no reader sees half a page)."""
    target = page_path(docs)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = _render(release, target.parent)
    if target.is_file() and filecmp.cmp(staged, target, shallow=False):
        staged.unlink()
    else:
        staged.chmod(0o644)
        staged.replace(target)
