"""The download cache: where released files are kept, and making a release complete there.

A file enters the cache only through a temporary file in its own folder that was verified
against the release index and then renamed into place (an atomic os.replace), so processes
loading the same release at once each leave a correct copy and need no lock.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from csto_dataset._index import (
    ReleaseEntry,
    ReleaseFile,
    cache_action,
    file_state,
    offline_requested,
)
from csto_dataset.errors import CstoDatasetError, DownloadError, OfflineError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

CACHE_VARIABLE = "CSTO_DATASET_CACHE"
OFFLINE_VARIABLE = "CSTO_DATASET_OFFLINE"


def cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    """The cache folder: CSTO_DATASET_CACHE, or the user cache folder. Nothing is created."""
    configured = environ.get(CACHE_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    import platformdirs  # lazily: it costs start-up time and only downloads need it

    return Path(platformdirs.user_cache_dir("csto-dataset", appauthor=False))


def release_opener(release: ReleaseEntry) -> Callable[[str], IO[bytes]]:
    """Open files of `release` from the cache, completing the cache on the first open."""
    names = {file.name for file in release.files}
    folder: list[Path] = []

    def open_file(name: str) -> IO[bytes]:
        if name not in names:
            raise CstoDatasetError(f"{name!r} is not a file of data version {release.version}")
        if not folder:
            folder.append(ensure_release(release))
        return (folder[0] / name).open("rb")

    return open_file


def ensure_release(release: ReleaseEntry) -> Path:
    """The cache folder of `release` once every file there is verified; downloads what is not.

    Cached files are checked again each time (they are small): a changed or truncated one is
    downloaded afresh, or, offline, deleted and reported.
    """
    folder = cache_root() / release.version
    offline = offline_requested(os.environ.get(OFFLINE_VARIABLE))
    to_download: list[ReleaseFile] = []
    unusable: list[str] = []
    for expected in release.files:
        path = folder / expected.name
        state = file_state(digest(path), expected)
        action = cache_action(state, offline)
        if action == "use":
            continue
        if state == "changed":
            _remove(path)  # an unverified file never stays in the cache
        if action == "fail-offline":
            unusable.append(f"{path} ({state})")
        else:
            to_download.append(expected)
    if unusable:
        raise OfflineError(
            f"data version {release.version} is not complete in the cache {folder}: "
            f"{', '.join(unusable)}; {OFFLINE_VARIABLE}=1 forbids downloading it. Unset "
            f"{OFFLINE_VARIABLE} to download it, or load the embedded version (version=None)"
        )
    if to_download:
        _download_all(release, to_download, folder)
    return folder


def digest(path: Path) -> tuple[int, str] | None:
    """(size, sha256) of a file, or None when there is none."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            return size, hashlib.file_digest(stream, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _download_all(release: ReleaseEntry, files: list[ReleaseFile], folder: Path) -> None:
    from csto_dataset import _download  # lazily: urllib costs start-up time; only this needs it

    progress = _download.Progress(
        f"csto-dataset {release.version}", sum(file.size for file in files)
    )
    try:
        for expected in files:
            url = _download.file_url(release.version, expected.name)
            label = f"{expected.name} of data version {release.version}"
            fetch = partial(_download.fetch, url, expected, label=label, progress=progress)
            install(folder / expected.name, expected, fetch, label)
    finally:
        progress.close()


def install(
    path: Path, expected: ReleaseFile, fetch: Callable[[IO[bytes]], None], label: str
) -> None:
    """Write `path` through a verified temporary file beside it, renamed into place.

    fetch: writes the file's bytes to the stream it is given, or raises.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{expected.name}.", suffix=".part"
        )
    except OSError as error:
        raise DownloadError(
            f"cannot save {label} in the cache folder {path.parent}: {error}; set "
            f"{CACHE_VARIABLE} to a writable folder"
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            fetch(out)
        if file_state(digest(Path(temporary)), expected) != "verified":
            raise DownloadError(
                f"{label} changed on disk at {temporary} while it was saved; try again"
            )
        try:
            Path(temporary).replace(path)
        except PermissionError:
            # Windows refuses to replace a file another process holds open; if that process
            # put the same verified file there, the cache is already right.
            if file_state(digest(path), expected) != "verified":
                raise
    finally:
        _remove(Path(temporary))


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # a read-only cache: the caller reports the file, nothing more to do here
