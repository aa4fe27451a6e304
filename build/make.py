"""Build the data release from the curated records: `python build/make.py [release|check]`.

release  validate the records, build the release named in build/release.toml in a staging
         folder, check it and that its version rises above the release before by what the
         change needs (data SemVer), then publish it to build/releases/<version>/, embed the
         newest release in the package and regenerate schemas/, the release index, the
         retired ids, CITATION.cff, .zenodo.json, the README data dictionary and the CHANGELOG
         record sections. A problem anywhere writes nothing.
check    validate the records and report generated files that are out of date; writes nothing.
validate validate the records only; writes nothing.

Set CSTO_SOURCE_ARCHIVE to the folder of archived source texts to prove every quote verbatim.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cstobuild.citation_files import CitationError
from cstobuild.generated import stale_files
from cstobuild.immutability import ImmutableReleaseError
from cstobuild.layout import Layout
from cstobuild.problems import RecordsError
from cstobuild.release import (
    ARCHIVE_VARIABLE,
    ReleaseError,
    archive_folder,
    build,
    curate,
)
from cstobuild.strict_yaml import LOADER, CSafeLoader
from cstobuild.verify import VerificationError


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "command", nargs="?", default="release", choices=["release", "check", "validate"]
    )
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    warnings.showwarning = _show_warning
    try:
        archive = archive_folder()
        if archive is None:
            print(
                f"warning: {ARCHIVE_VARIABLE} is not set; quotes are not checked against "
                "their archived sources",
                file=sys.stderr,
            )
        if LOADER is not CSafeLoader:
            print(
                "warning: PyYAML was installed without libyaml; the records are read with its "
                "pure-Python parser (the same rules, about 13 times slower)",
                file=sys.stderr,
            )
        if args.command == "validate":
            curate(layout, archive)
            print("records valid")
            return 0
        if args.command == "check":
            curate(layout, archive)
            stale = stale_files(layout)
            if stale:
                names = ", ".join(str(p.relative_to(layout.root)) for p in stale)
                print(f"out of date: {names}; run `python build/make.py`", file=sys.stderr)
                return 1
            print("records valid; generated files up to date")
            return 0
        target = build(layout, archive)
    except (
        CitationError,
        RecordsError,
        ReleaseError,
        ImmutableReleaseError,
        VerificationError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"release written to {target.relative_to(layout.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
