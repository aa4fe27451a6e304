"""The build benchmark runs: a smoke test of its smallest case (its timings are not tested)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STAGES = {
    "reading",
    "model validation",
    "cross-record checks",
    "writing",
    "release validation (frictionless and own checks)",
    "comparison with the releases",
    "embedding and generated files",
}


def test_bench_build_adds_valid_statements_and_reports_each_stage(root: Path) -> None:
    script = root / "benchmarks" / "bench_build.py"
    result = subprocess.run(
        [sys.executable, str(script), "--statements", "1000", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert (report["statements"], report["files"]) == (1000, 1)
    assert report["seconds"] > 0 and report["peak_mib"] > 0
    assert set(report["stages"]) == STAGES
    assert all(0 < stage["start_mib"] <= stage["peak_mib"] for stage in report["stages"].values())
