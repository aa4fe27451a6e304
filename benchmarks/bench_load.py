"""Whole-process timings of each load() backend against its own library's direct read.

    python benchmarks/bench_load.py [--runs 15]

Each case is a fresh interpreter (start-up dominates small loads), run `--runs` times in
interleaved rounds so that drift in machine load hits every case alike; each target's
figure is the median of the per-round (paired) ratios or differences. Children write
bytecode caches to a temporary folder, as an installed wheel has them (pip compiles at
install), whatever PYTHONDONTWRITEBYTECODE says. The cached older version is a fixture
release (tests/release_server.py) put in a temporary cache, read with CSTO_DATASET_OFFLINE=1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from release_server import OLD, build_fixture_release  # noqa: E402 (needs the path above)

from csto_dataset._cache import LAYOUT  # noqa: E402


@dataclass(frozen=True)
class Target:
    name: str
    case: str
    baseline: str
    limit: float
    kind: str  # "ms": case - baseline < limit; "ratio": case / baseline <= limit


def cases(parquet: Path, index: Path) -> dict[str, str]:
    load = "from csto_dataset import load\n"
    return {
        "bare interpreter": "pass",
        "import csto_dataset": "import csto_dataset",
        "ParquetFile.read()": (
            f"import pyarrow.parquet as pq\npq.ParquetFile({str(parquet)!r}).read()"
        ),
        "load(backend='pyarrow')": load + "load('statements', backend='pyarrow')",
        "ParquetFile.read().to_pandas()": (
            f"import pyarrow.parquet as pq\npq.ParquetFile({str(parquet)!r}).read().to_pandas()"
        ),
        "pandas.read_parquet()": f"import pandas as pd\npd.read_parquet({str(parquet)!r})",
        "load() pandas": load + "load('statements')",
        "polars.read_parquet()": f"import polars as pl\npl.read_parquet({str(parquet)!r})",
        "load(backend='polars')": load + "load('statements', backend='polars')",
        f"load(version='{OLD}') cached": (
            "from pathlib import Path\nimport csto_dataset._index as index\n"
            f"index.INDEX_PATH = Path({str(index)!r})\n"
            + load
            + f"load('statements', version={OLD!r}, backend='pyarrow')"
        ),
    }


TARGETS = [
    Target("import overhead", "import csto_dataset", "bare interpreter", 10.0, "ms"),
    Target("pyarrow load", "load(backend='pyarrow')", "ParquetFile.read()", 1.1, "ratio"),
    Target("pandas load", "load() pandas", "pandas.read_parquet()", 1.1, "ratio"),
    Target("polars load", "load(backend='polars')", "polars.read_parquet()", 1.1, "ratio"),
    Target(
        "cached older version",
        f"load(version='{OLD}') cached",
        "load(backend='pyarrow')",
        1.2,
        "ratio",
    ),
]


def run(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return (time.perf_counter() - started) * 1000


def pandas_imported(code: str, env: dict[str, str]) -> bool:
    probe = code + "\nimport sys\nprint('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip() == "True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        fixture = build_fixture_release(work / "releases")
        shutil.copytree(fixture.folders[OLD], work / "cache" / LAYOUT / OLD)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {
            "PYTHONPYCACHEPREFIX": str(work / "pycache"),
            "CSTO_DATASET_CACHE": str(work / "cache"),
            "CSTO_DATASET_OFFLINE": "1",
        }
        parquet = Path(str(resources.files("csto_dataset").joinpath("data", "statements.parquet")))
        scripts = cases(parquet, fixture.index)
        for code in scripts.values():  # warm-up: bytecode caches and the OS file cache
            run(code, env)
        timings: dict[str, list[float]] = {name: [] for name in scripts}
        for _ in range(args.runs):
            for name, code in scripts.items():
                timings[name].append(run(code, env))
        no_pandas = {
            name: not pandas_imported(scripts[name], env)
            for name in ("load(backend='pyarrow')", "load(backend='polars')")
        }
    medians = {name: statistics.median(values) for name, values in timings.items()}
    figures = {target.name: paired(target, timings) for target in TARGETS}
    report(medians, figures, no_pandas, args.runs)
    passed = all(_passes(t, figures[t.name]) for t in TARGETS) and all(no_pandas.values())
    return 0 if passed else 1


def paired(target: Target, timings: dict[str, list[float]]) -> float:
    """The median over rounds of case/baseline (or case - baseline) within each round."""
    rounds = zip(timings[target.case], timings[target.baseline], strict=True)
    if target.kind == "ms":
        return statistics.median(case - base for case, base in rounds)
    return statistics.median(case / base for case, base in rounds)


def _passes(target: Target, figure: float) -> bool:
    return figure < target.limit if target.kind == "ms" else figure <= target.limit


def report(
    medians: dict[str, float], figures: dict[str, float], no_pandas: dict[str, bool], runs: int
) -> None:
    print(
        f"median wall time of a whole process, {runs} runs each (Python {sys.version.split()[0]})"
    )
    for name, value in medians.items():
        print(f"  {name:<36} {value:8.1f} ms")
    print()
    print(f"  {'target':<22} {'figure':>22} {'limit':>10}  result")
    for target in TARGETS:
        value = figures[target.name]
        if target.kind == "ms":
            figure, limit = f"{value:+.1f} ms", f"< {target.limit:.0f} ms"
        else:
            figure, limit = f"{value:.2f}x", f"<= {target.limit:.1f}x"
        verdict = "PASS" if _passes(target, value) else "FAIL"
        print(f"  {target.name:<22} {figure:>22} {limit:>10}  {verdict}")
    for name, clean in no_pandas.items():
        print(f"  {name + ' without pandas':<45} {'':>10}  {'PASS' if clean else 'FAIL'}")


if __name__ == "__main__":
    sys.exit(main())
