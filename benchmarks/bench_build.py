"""Build time and peak memory of the release as the records grow, stage by stage.

    python benchmarks/bench_build.py --statements 20000 [--json] [--keep DIR]

Adds N valid statements to a scratch copy of the records (never the repository): council
sessions of their own, each in its `sessions/<event id>.yaml` as the placement rules ask and
each file within the build's size limit, then builds and verifies the release there as
`python build/make.py` does, without the archived-source quote check (the generated texts
are in no archive). Prints seconds and peak memory (VmHWM, reset before each stage where
Linux allows) per stage, and the process's CPU time (which other load on the machine does not
inflate); `--json` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))

from cstobuild.layout import Layout  # noqa: E402
from cstobuild.problems import RecordWarning  # noqa: E402
from cstobuild.records import MAX_FILE_BYTES  # noqa: E402 (needs the path above)
from cstobuild.release import build  # noqa: E402
from cstobuild.scratch import lay_out_scratch  # noqa: E402
from cstobuild.stages import Stages  # noqa: E402

from csto_dataset import DATA_VERSION  # noqa: E402

PER_FILE = 1000
"""Statements per generated session file: about 560 KB, within MAX_FILE_BYTES."""

TOPICS = ("collective_defence", "information_security", "drug_trafficking", "afghanistan")


def session_file(number: int, first: int, count: int) -> str:
    """One generated council session with `count` statements numbered from `first`."""
    event = f"2024-01-01-csc-bench-{number:05d}"
    lines = [
        f"events:\n- id: {event}\n  kind: council_session\n",
        f"  name: Benchmark session {number} of the Collective Security Council\n",
        '  date: "2024-01-01"\n  date_inferred: false\n  organization_id: csto-csc\n',
        "  source_id: tass-1982729\n",
        "statements:\n",
    ]
    for n in range(first, first + count):
        text = (
            f"Benchmark statement {n} says that collective security in the region rests on "
            f"the joint work of the member states, item {n * 7919 % 100003}"
        )
        lines.append(
            f"- id: 2024-01-01-bench-{n:07d}\n  kind: paraphrase\n  text: {text}\n"
            f"  context: At session {number}, President Alexander Lukashenko said that {text}, "
            "and that the allies would meet again.\n"
            "  speaker_person_id: lukashenko-alexander\n  speaker_state_id: BLR\n"
            f'  date: "2024-01-01"\n  date_inferred: false\n  event_id: {event}\n'
            f"  topics: [{TOPICS[n % 4]}, {TOPICS[(n + 1) % 4]}]\n"
            "  language: en\n  translated: false\n  source_id: tass-1982729\n"
        )
    return "".join(lines)


def add_statements(records: Path, total: int) -> int:
    """Write `total` statements in session files; return how many files."""
    folder = records / "sessions"
    files = 0
    for files, first in enumerate(range(0, total, PER_FILE), 1):
        text = session_file(files, first, min(PER_FILE, total - first))
        path = folder / f"2024-01-01-csc-bench-{files:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SystemExit(f"{path.name} exceeds {MAX_FILE_BYTES} bytes: lower PER_FILE")
    return files


def main() -> None:
    warnings.simplefilter("ignore", RecordWarning)  # the curated records' own warnings
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=20_000, help="statements to add")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as temporary:
        scratch = args.keep or Path(temporary)
        lay_out_scratch(ROOT, scratch, DATA_VERSION)
        files = add_statements(scratch / "build" / "records", args.statements)
        stages = Stages()
        start, cpu_start = time.perf_counter(), time.process_time()
        build(Layout(scratch), None, stages)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    report = {
        "statements": args.statements,
        "files": files,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "ms_per_statement": round(1000 * seconds / max(args.statements, 1), 3),
        "peak_mib": round(max(stages.peak_mib.values()), 1),
        "stages": {
            name: {
                "seconds": round(stages.seconds[name], 2),
                "start_mib": stages.start_mib[name],
                "peak_mib": stages.peak_mib[name],
            }
            for name in stages.seconds
        },
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"{args.statements} statements added in {files} files")
    print(f"{'stage':<34}{'seconds':>9}{'start MiB':>11}{'peak MiB':>10}")
    for name, stage in report["stages"].items():  # type: ignore[attr-defined]
        print(
            f"{name:<34}{stage['seconds']:>9.2f}{stage['start_mib']:>11.1f}"
            f"{stage['peak_mib']:>10.1f}"
        )
    print(
        f"{'total':<34}{report['seconds']:>9.2f}{'':>11}{report['peak_mib']:>10.1f}"
        f"   ({report['ms_per_statement']} ms per added statement; "
        f"{report['cpu_seconds']} s of CPU time)"
    )


if __name__ == "__main__":
    main()
