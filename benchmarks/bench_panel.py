"""Timings of the status rule, the panels and R's load_csto, against the issue's targets.

    python benchmarks/bench_panel.py [--runs 15] [--no-r]

Warm figures: each call after a first one in the same process (the release's memberships are
then read and parsed), median of `--runs` calls. R: the package in r/ installed into a
temporary library, the embedded release put into a temporary cache and read offline;
load_csto("statements") against utils::read.csv of the same cached file, interleaved rounds,
the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(call: Callable[[], object], runs: int, repeat: int = 1) -> float:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            call()
        times.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(times)


def report(name: str, value: float, target: float, unit: str = "ms") -> bool:
    ok = value < target if unit == "ms" else value <= target
    verdict = "ok" if ok else "MISSED"
    print(
        f"{name:<52} {value:9.3f} {unit:<5} target {'<' if unit == 'ms' else '<='} {target:g}"
        f"  {verdict}"
    )
    return ok


def python_figures(runs: int) -> bool:
    from csto_dataset import membership_status, panel
    from csto_dataset.membership import last_day, status_grid

    results = [
        report(
            "membership_status(day), warm",
            median_ms(lambda: membership_status("2013-06-01"), runs, repeat=200),
            0.3,
        )
    ]
    first = dt.date(2012, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range(1000)]
    one_by_one = median_ms(lambda: [membership_status(d) for d in days], max(3, runs // 5))
    at_once = median_ms(lambda: status_grid(days[0], days[-1]), runs)
    print(f"{'1,000 days: one call per day':<52} {one_by_one:9.3f} ms")
    print(
        f"{'1,000 days: status_grid, at once':<52} {at_once:9.3f} ms"
        f"  ({one_by_one / at_once:.0f}x faster)"
    )
    for unit, target in (("state-year", 200.0), ("dyad-year", 500.0)):
        results.append(
            report(f'panel("{unit}"), warm', median_ms(lambda u=unit: panel(u), runs), target)
        )
    whole = median_ms(lambda: panel("state-day"), max(3, runs // 3))
    span = (last_day() - dt.date(1992, 1, 1)).days + 1
    label = f'panel("state-day"), {span:,} days, warm'
    print(f"{label:<52} {whole:9.3f} ms")
    return all(results)


R_TIMING = """
library(cstodataset)
path <- file.path(Sys.getenv("CSTO_DATASET_CACHE"), "v1", "{version}", "statements.csv")
invisible(load_csto("statements"))
ratios <- numeric(0)
for (round in seq_len({runs})) {{
  package <- system.time(for (i in 1:5) load_csto("statements"))[["elapsed"]]
  plain <- system.time(for (i in 1:5) utils::read.csv(path))[["elapsed"]]
  ratios <- c(ratios, package / plain)
  if (round == 1) cat(sprintf("%.1f %.1f\\n", package / 5 * 1000, plain / 5 * 1000))
}}
cat(median(ratios), "\\n")
"""


def r_figures(runs: int) -> bool | None:
    if shutil.which("Rscript") is None:
        print("R: Rscript is not installed; R figures skipped")
        return None
    from csto_dataset import DATA_VERSION

    with tempfile.TemporaryDirectory() as scratch:
        library, cache = Path(scratch) / "library", Path(scratch) / "cache"
        library.mkdir()
        shutil.copytree(ROOT / "build" / "releases" / DATA_VERSION, cache / "v1" / DATA_VERSION)
        installed = subprocess.run(
            ["R", "CMD", "INSTALL", f"--library={library}", str(ROOT / "r")],
            capture_output=True,
            text=True,
        )
        if installed.returncode != 0:
            print(f"R: the package did not install:\n{installed.stderr}")
            return False
        environment = {
            **os.environ,
            "R_LIBS": str(library),
            "CSTO_DATASET_CACHE": str(cache),
            "CSTO_DATASET_OFFLINE": "1",
        }
        code = R_TIMING.format(version=DATA_VERSION, runs=runs)
        output = subprocess.run(
            ["Rscript", "-e", code], capture_output=True, text=True, env=environment, check=True
        ).stdout.split()
    package_ms, plain_ms, ratio = (float(x) for x in output)
    label = 'R load_csto("statements") from the cache, first round'
    print(f"{label:<52} {package_ms:9.3f} ms")
    print(f"{'R utils::read.csv of the same file, first round':<52} {plain_ms:9.3f} ms")
    return report("R load_csto / read.csv (median ratio)", ratio, 2.0, unit="x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-r", action="store_true", help="skip the R figures")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    ok = python_figures(args.runs)
    if not args.no_r:
        ok = r_figures(args.runs) is not False and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
