"""The download cache: where released files are kept, and making a release complete there.

Layout: <cache>/v1/<version>/<file>. The "v1" names this layout, so that a future one can
live beside it or migrate it; files of the unversioned layout before it (<cache>/<version>/)
are verified and moved in rather than downloaded again. A file enters the cache only through
a temporary file in its folder, created honouring the umask (a group-shared cache stays usable
by the group), verified against the release index, then renamed into place (an atomic
os.replace): a reader never sees a partial file. Threads of one process share one download,
and processes take turns through a lock file beside the version's folder, so that each file
is downloaded once. Only regular files are read, without following links or blocking, and
the bytes a caller gets are the very bytes that were verified.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import stat
import threading
import time
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from csto_dataset import _lockfile, _settings
from csto_dataset._index import ReleaseEntry, ReleaseFile
from csto_dataset._redact import scrubbed
from csto_dataset._settings import CACHE_VARIABLE, OFFLINE_VARIABLE, cache_root
from csto_dataset.errors import CacheError, CstoDatasetError, IntegrityError, OfflineError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

LAYOUT = "v1"
LEFTOVER_GRACE = 3600.0
"""Seconds after which a temporary file is taken for a killed download's and removed."""
_TEMPORARY_SUFFIX = ".part"
_SHOWN_FILES = 3
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link in a file's place is refused, not followed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in cannot block the open
    | getattr(os, "O_BINARY", 0)
)
FileState = Literal["verified", "missing", "changed"]
CacheAction = Literal["use", "download", "fail-offline"]
_folder_locks: dict[Path, threading.Lock] = {}
_folder_locks_lock = threading.Lock()


def file_state(found: tuple[int, str] | None, expected: ReleaseFile) -> FileState:
    """Whether a cached file, found with (size, sha256) or not found (None), is usable."""
    if found is None:
        return "missing"
    return "verified" if found == (expected.size, expected.sha256) else "changed"


def cache_action(state: FileState, offline: bool) -> CacheAction:
    """Use a verified cached file; otherwise download it, unless the network is forbidden."""
    if state == "verified":
        return "use"
    return "fail-offline" if offline else "download"


def release_folder(version: str, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the files of data version `version` are cached."""
    return cache_root(environ) / LAYOUT / version


def release_opener(release: ReleaseEntry) -> Callable[[str], IO[bytes]]:
    """Open files of `release` from the cache, completing the cache on the first open.

    Each open reads the file once, verifies those bytes and returns them: a file swapped
    after the check is never returned unverified.
    """
    files = {file.name: file for file in release.files}
    folder: list[Path] = []

    def open_file(name: str) -> IO[bytes]:
        expected = files.get(name)
        if expected is None:
            raise CstoDatasetError(f"{name!r} is not a file of data version {release.version}")
        if not folder:
            folder.append(ensure_release(release))
        data = read_verified(folder[0] / name, expected)
        if data is None:  # changed since the check: fetch it again, once
            ensure_release(release)
            data = read_verified(folder[0] / name, expected)
        if data is None:
            raise IntegrityError(
                f"{folder[0] / name} keeps changing on disk after it was verified; another "
                f"program is writing into the cache: stop it, or set {CACHE_VARIABLE} to a "
                f"folder of your own"
            )
        return io.BytesIO(data)

    return open_file


def ensure_release(release: ReleaseEntry) -> Path:
    """The cache folder of `release` once every file there is verified; downloads what is not.

    Settings are checked before anything is touched. Cached files are checked again each
    time (they are small): a changed or truncated one is downloaded afresh, or, offline,
    deleted and reported. Downloads happen under the version's lock file, so a process that
    waited for another finds the files there and downloads none of them again.
    """
    _settings.check()
    folder = release_folder(release.version)
    with _lock(folder):
        offline = _settings.offline()
        _refuse_obstacle(folder)
        remove_leftovers(folder)
        to_download = _files_to_download(release, folder, offline)
        if to_download:
            with _download_lock(folder, release):
                to_download = _files_to_download(release, folder, offline)
                if to_download:
                    _download_all(release, to_download, folder)
        with contextlib.suppress(OSError):  # the pre-v1 folder, once every file has moved
            cache_root().joinpath(release.version).rmdir()
    return folder


def _files_to_download(release: ReleaseEntry, folder: Path, offline: bool) -> list[ReleaseFile]:
    """The files of `release` not verified in `folder`; OfflineError if any is and offline."""
    to_download: list[ReleaseFile] = []
    unusable: list[str] = []
    for expected in release.files:
        path = folder / expected.name
        data = read_regular(path, expected.size + 1)
        state = file_state(None if data is None else _size_and_hash(data), expected)
        action = cache_action(state, offline)
        if action == "use" or _migrate(release, expected, path):
            continue
        if state == "changed":
            _remove(path)  # an unverified file never stays in the cache
        if action == "fail-offline":
            unusable.append(f"{expected.name} ({state})")
        else:
            to_download.append(expected)
    if unusable:
        shown = ", ".join(unusable[:_SHOWN_FILES])
        more = len(unusable) - _SHOWN_FILES
        raise OfflineError(
            f"data version {release.version} is not complete in the cache {folder}: "
            f"{len(unusable)} of {len(release.files)} files are missing or changed "
            f"({shown}{f' and {more} more' if more > 0 else ''}); {OFFLINE_VARIABLE}=1 "
            f"forbids downloading them. Unset {OFFLINE_VARIABLE} to download the version, "
            f"or load the embedded version (version=None)"
        )
    return to_download


def _refuse_obstacle(folder: Path) -> None:
    """CacheError naming the first of `folder` and its parents that exists but is not a
    folder (a file, a FIFO, a device, a dangling link): the thing in the way."""
    for path in (*reversed(folder.parents), folder):
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            if not path.is_symlink():
                return  # nothing more exists below: the download creates it
            mode = 0  # a link that leads nowhere
        except OSError:
            return  # not ours to look at: the file operations report it
        if not stat.S_ISDIR(mode):
            root = cache_root()
            what = "the cache folder" if path == root else "a folder of the cache"
            raise CacheError(
                f"{path} is in the way: it should be {what} but is not a folder; move it "
                f"away, or set {CACHE_VARIABLE} to a folder of its own"
            )


@contextlib.contextmanager
def _download_lock(folder: Path, release: ReleaseEntry) -> Iterator[None]:
    """Hold the lock file beside `folder` while downloading; wait for another process's
    download at most as long as a download may take."""
    from csto_dataset import _download  # lazily: http.client costs start-up time

    path = folder.with_name(f".{folder.name}.lock")
    wait = _download.current_settings().total
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with _lockfile.held(path, wait):
            yield
    except _lockfile.LockTimeoutError as timeout:
        raise CacheError(
            f"another process ({timeout.holder}) has been downloading data version "
            f"{release.version} into {folder} for over {wait:g} s; wait for it to finish, or "
            f"stop it (the lock {path} is freed when its process ends)"
        ) from None
    except OSError as error:
        raise _cache_error(error, folder.parent, f"lock {path.name}") from None


def _migrate(release: ReleaseEntry, expected: ReleaseFile, path: Path) -> bool:
    """Move a verified file of the layout before v1 (<cache>/<version>/) into `path`."""
    old = cache_root() / release.version / expected.name
    try:
        data = read_verified(old, expected)
        if data is not None:

            def copy(out: IO[bytes]) -> None:
                out.write(data)

            install(path, expected, copy, expected.name)
    except CacheError:
        return False  # a read-only cache: leave the old file, use or fetch the file as usual
    _remove(old)  # moved, or not the released file: not needed either way
    return data is not None


def read_verified(path: Path, expected: ReleaseFile) -> bytes | None:
    """The bytes of the cached file at `path` if they are `expected`'s, else None."""
    data = read_regular(path, expected.size + 1)
    if data is None or file_state(_size_and_hash(data), expected) != "verified":
        return None
    return data


def read_regular(path: Path, limit: int) -> bytes | None:
    """Up to `limit` bytes of the regular file at `path`; None if there is none.

    Anything else in its place (a link, a FIFO, a device) is removed, never read; a folder
    there is removed if empty, else refused with CacheError.
    """
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise _cache_error(error, path.parent, f"read {path.name}") from None
    if stat.S_ISDIR(mode):
        try:
            path.rmdir()
        except OSError:
            raise CacheError(
                f"{path} is a folder where the cache keeps a file of the release; move it "
                f"out of the cache, or set {CACHE_VARIABLE} to another folder"
            ) from None
        return None
    if not stat.S_ISREG(mode):  # a link, a FIFO, a device: never read
        _remove(path)
        return None
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:  # swapped for a link since lstat: treat as missing
            return None
        raise _cache_error(error, path.parent, f"read {path.name}") from None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # swapped since lstat
            return None
        return stream.read(limit)


def remove_leftovers(folder: Path, grace: float = LEFTOVER_GRACE) -> None:
    """Remove temporary files older than `grace` seconds: downloads killed part-way."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # no folder yet, or not ours to list: nothing to clean
    cutoff = time.time() - grace
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(_TEMPORARY_SUFFIX):
            with contextlib.suppress(OSError):  # gone already, or a read-only cache
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    _remove(Path(entry.path))


def _size_and_hash(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


def _lock(folder: Path) -> threading.Lock:
    with _folder_locks_lock:
        return _folder_locks.setdefault(folder, threading.Lock())


def _download_all(release: ReleaseEntry, files: list[ReleaseFile], folder: Path) -> None:
    from csto_dataset import _download  # lazily: http.client costs start-up time

    settings = _download.current_settings()
    deadline = _download.Deadline(settings.total)
    progress = _download.Progress(
        f"csto-dataset {release.version}", sum(file.size for file in files)
    )
    try:
        for expected in files:
            location = _download.file_location(release.version, expected.name)
            label = f"{expected.name} of data version {release.version}"
            fetch = partial(
                _download.fetch,
                location,
                expected,
                label=label,
                deadline=deadline,
                progress=progress,
                settings=settings,
            )
            install(folder / expected.name, expected, fetch, label)
    except CstoDatasetError as error:  # the one exit of download errors: nothing secret leaves
        raise scrubbed(error, _download.secrets()) from None
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
        handle, temporary = create_temporary(path)
    except OSError as error:
        raise _cache_error(error, path.parent, f"save {label}") from None
    try:
        with os.fdopen(handle, "w+b") as out:
            try:
                fetch(out)
                out.flush()
                out.seek(0)
                written = out.read(expected.size + 1)
            except CstoDatasetError:
                raise
            except OSError as error:  # fetch raises its own errors: an OSError is the disk's
                raise _cache_error(error, path.parent, f"save {label}") from None
        if file_state(_size_and_hash(written), expected) != "verified":
            raise IntegrityError(
                f"{label} changed on disk at {temporary} while it was saved; another program "
                f"is writing into the cache: try again, or set {CACHE_VARIABLE} to a folder "
                f"of your own"
            )
        try:
            temporary.replace(path)
        except IsADirectoryError:
            read_regular(path, 0)  # removes an empty folder in the way, refuses a full one
            temporary.replace(path)
        except PermissionError as error:
            # Windows refuses to replace a file another process holds open; if that process
            # put the same verified file there, the cache is already right.
            if read_verified(path, expected) is None:
                raise _cache_error(error, path.parent, f"save {label}") from None
        except OSError as error:
            raise _cache_error(error, path.parent, f"save {label}") from None
    finally:
        _remove(temporary)


def create_temporary(path: Path) -> tuple[int, Path]:
    """A new temporary file beside `path`, open for writing; mode 0666 less the umask."""
    for _ in range(100):
        temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}{_TEMPORARY_SUFFIX}")
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def _cache_error(error: OSError, folder: Path, doing: str) -> CacheError:
    """The CacheError for a failed file operation, with the cause and what to do."""
    elsewhere = f"set {CACHE_VARIABLE} to a folder"
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        cause = "the disk is full (or the quota is used up)"
        remedy = f"free some space, or {elsewhere} on another disk"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        cause = "permission denied" if error.errno != errno.EROFS else "a read-only file system"
        remedy = (
            f"ask the cache's owner for write access (a shared cache needs group write "
            f"permission and a umask such as 002), or {elsewhere} that is writable"
        )
    elif error.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        cause = "something that is not a folder of the cache is in the way"
        remedy = f"move {error.filename or folder} away, or {elsewhere} of its own"
    else:
        cause = f"{type(error).__name__}: {error.strerror or error}"
        remedy = f"{elsewhere} that is writable"
    return CacheError(f"cannot {doing} in the cache folder {folder}: {cause}; {remedy}")


def _remove(path: Path) -> None:
    # gone already, or a read-only cache: the caller reports the file if it matters
    with contextlib.suppress(OSError):
        path.unlink()
