"""The data browser page with 10,000 statements in headless Chromium: first render and filters.

    python benchmarks/bench_browser.py [--statements 10000] [--runs 5]

The embedded release's statements are repeated (new ids, same topics) up to --statements, and
the page is built as `csto-dataset export` builds it. First render: from navigation start to
the end of the page's start-up script with the page laid out (window.browseReady). Each filter:
from setting the control to the result table laid out, the median of --runs page loads.
Target: under 300 ms each. Needs Debian's chromium (tests/chromium.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import INSTALL, chromium_path  # noqa: E402 (needs the path above)

from csto_dataset import DATA_VERSION, load  # noqa: E402
from csto_dataset._browse import write_page  # noqa: E402

TARGET_MS = 300.0
# (control, value): a text search and one choice per filter; each applied alone.
FILTERS = (
    ("q", "security"),
    ("f-speaker", "putin-vladimir"),
    ("f-state", "KAZ"),
    ("f-topic", "collective_defence"),
    ("f-kind", "paraphrase"),
    ("f-year", "2022"),
)
APPLY = """([id, value]) => {
  const control = document.getElementById(id);
  const start = performance.now();
  control.value = value;
  if (id === "q") applyFilters(); else control.dispatchEvent(new Event("change"));
  document.body.offsetHeight;
  const took = performance.now() - start;
  const count = document.getElementById("count").textContent;
  control.value = "";
  applyFilters();
  return [took, count];
}"""


def write_big_page(statements: int, path: Path) -> None:
    """Write to `path` the embedded release's page, its statements repeated up to `statements`."""
    base = load("statements", backend="pyarrow").to_pylist()
    topics = load("statement_topics", backend="pyarrow").to_pylist()
    rows: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    copy = 0
    while len(rows) < statements:
        suffix = f"-copy-{copy}" if copy else ""
        for row in base[: statements - len(rows)]:
            rows.append({**row, "id": row["id"] + suffix})
        kept = {row["id"] for row in base}
        tags += [
            {**t, "statement_id": t["statement_id"] + suffix}
            for t in topics
            if t["statement_id"] in kept
        ]
        copy += 1

    def read(table: str, columns: tuple[str, ...]) -> pa.Table:
        data = load(table, backend="pyarrow")  # type: ignore[call-overload]
        if table in ("statements", "statement_topics"):
            data = pa.Table.from_pylist(rows if table == "statements" else tags, data.schema)
        return data.select([c for c in columns if c in data.column_names])

    with path.open("wb") as out:
        write_page(DATA_VERSION, read, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        print(f"needs Chromium: {INSTALL}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "browse.html"
        write_big_page(args.statements, path)
        size_mb = path.stat().st_size / 1e6
        first: list[float] = []
        filters: dict[str, list[float]] = {f"{c}={v}": [] for c, v in FILTERS}
        counts: dict[str, str] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable)
            for _ in range(args.runs):
                tab = browser.new_page()
                tab.goto(path.as_uri())
                tab.wait_for_function("window.browseReady !== undefined")
                first.append(float(tab.evaluate("window.browseReady")))
                for control, value in FILTERS:
                    took, count = tab.evaluate(APPLY, [control, value])
                    filters[f"{control}={value}"].append(float(took))
                    counts[f"{control}={value}"] = str(count)
                tab.close()
            version = browser.version
            browser.close()
    print(f"Chromium {version}, {args.statements} statements, page {size_mb:.1f} MB,")
    print(f"median of {args.runs} page loads (target < {TARGET_MS:.0f} ms each)")
    results = {"first render": statistics.median(first)}
    results.update({name: statistics.median(times) for name, times in filters.items()})
    for name, ms in results.items():
        verdict = "ok" if ms < TARGET_MS else "OVER TARGET"
        note = f"  ({counts[name]})" if name in counts else ""
        print(f"{name:32} {ms:8.1f} ms  {verdict}{note}")
    return 0 if all(ms < TARGET_MS for ms in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
