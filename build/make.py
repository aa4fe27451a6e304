"""Build the data release from the curated records: `python build/make.py [release|check]`.

release  validate the records, build the release named in build/release.toml in a staging
         folder, check it, then publish it to build/releases/<version>/, embed the newest
         release in the package and regenerate schemas/, the release index, CITATION.cff,
         .zenodo.json and the README data dictionary. A problem anywhere writes nothing.
check    validate the records and report generated files that are out of date; writes nothing.
validate validate the records only; writes nothing.

Set CSTO_SOURCE_ARCHIVE to the folder of archived source texts to prove every quote verbatim.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cstobuild.citation_files import CitationError
from cstobuild.generated import stale_files
from cstobuild.immutability import ImmutableReleaseError
from cstobuild.problems import RecordsError
from cstobuild.release import (
    ARCHIVE_VARIABLE,
    Layout,
    ReleaseError,
    archive_folder,
    build,
    curate,
)
from cstobuild.verify import VerificationError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "command", nargs="?", default="release", choices=["release", "check", "validate"]
    )
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    try:
        archive = archive_folder()
        if archive is None:
            print(
                f"warning: {ARCHIVE_VARIABLE} is not set; quotes are not checked against "
                "their archived sources",
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
