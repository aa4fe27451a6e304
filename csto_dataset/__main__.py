"""`python -m csto_dataset`: the `csto-dataset` command; without arguments, a summary of the
embedded release (its tables and row counts, and how to cite it)."""

from __future__ import annotations

import sys

from csto_dataset.cli import main, summary

__all__ = ["main", "summary"]

if __name__ == "__main__":
    sys.exit(main())
