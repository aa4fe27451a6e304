"""A lock file that one process at a time holds, so that processes sharing a cache download
each file once.

The operating system holds the lock (flock, or msvcrt on Windows) and drops it when its
process ends, however it ends: a lock left by a killed process is free at once. The file
names its holder, for the message a waiter gives when its wait runs out.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

_POLL = 0.05
_REGION = 1 << 20  # Windows locks a byte range: one past the holder's line


class LockTimeoutError(Exception):
    """The lock was not free within the wait; `holder` is what its file says of the holder."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


@contextlib.contextmanager
def held(path: Path, wait: float) -> Iterator[None]:
    """Hold the lock of `path` (created if need be), waiting at most `wait` seconds.

    Raises OSError if the file cannot be created or opened, LockTimeoutError when the wait ends.
    """
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    try:
        end = time.monotonic() + wait
        while not _try_lock(descriptor):
            if time.monotonic() >= end:
                raise LockTimeoutError(_holder(descriptor))
            time.sleep(_POLL)
        try:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            holder = f"pid {os.getpid()} on {socket.gethostname()} since {stamp}"
            os.ftruncate(descriptor, 0)
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.write(descriptor, holder.encode())
            yield
        finally:
            _unlock(descriptor)
    finally:
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    with contextlib.suppress(OSError):
        os.lseek(descriptor, 0, os.SEEK_SET)
        text = os.read(descriptor, 200).decode("utf-8", "replace").strip()
        if text:
            return text
    return "a process that has not named itself yet"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        os.lseek(descriptor, _REGION, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, _REGION, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
