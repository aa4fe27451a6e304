"""`python -m csto_dataset`: load the embedded release and print a summary of it."""

from __future__ import annotations

import os
import sys

from csto_dataset import __version__, load


def summary() -> str:
    """Every table with its row count, the data version and how to cite it."""
    release = load(backend="pyarrow")
    width = max(len(name) for name in release)
    lines = [
        f"csto-dataset {__version__}: data release {release.version} (embedded, offline)",
        "",
        *(f"  {name:<{width}}  {table.num_rows:>5} rows" for name, table in release.items()),
        "",
        f"Cite as: {release.citation}",
    ]
    return "\n".join(lines)


def main() -> int:
    try:
        print(summary(), flush=True)
    except BrokenPipeError:
        # The reader stopped early (`| head`): point stdout at devnull so that the flush at
        # exit cannot raise again, and end quietly, as the Python docs recommend.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
