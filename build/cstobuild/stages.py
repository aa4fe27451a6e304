"""Seconds and peak memory of each stage of a build, for benchmarks and slow builds."""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


class Stages:
    """Accumulates the seconds of each named stage, the peak memory (MiB) seen in it and the
    resident memory when it was first entered (on Linux; elsewhere the peak so far).

    A stage may be entered many times (once per file); its peak is the highest resident size
    seen while in it. Linux lets a process reset its peak (`clear_refs`), so each stage's peak
    is its own; elsewhere it is the process's peak so far.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mib: dict[str, float] = {}
        self.start_mib: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        _reset_peak()
        self.start_mib.setdefault(name, _peak_mib())  # just reset: the resident size now
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.peak_mib[name] = max(self.peak_mib.get(name, 0.0), _peak_mib())


class _Unmeasured(Stages):
    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield


UNMEASURED: Stages = _Unmeasured()
"""Stages that measure nothing: the default of a build."""


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # not Linux, or not allowed: the process's peak stays
        _CLEAR_REFS.write_text("5")


def _peak_mib() -> float:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
