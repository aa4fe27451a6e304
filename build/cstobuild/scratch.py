"""A scratch copy of what the build reads, for building somewhere other than the repository."""

from __future__ import annotations

import shutil
from pathlib import Path


def lay_out_scratch(root: Path, target: Path, leave_out: str) -> Path:
    """Copy into `target` the records, the earlier releases (whose ids stay as they are) and
    the files the build regenerates; the release `leave_out` (the one being built) is not."""
    build = root / "build"
    shutil.copytree(build / "records", target / "build" / "records")
    shutil.copy(build / "release.toml", target / "build" / "release.toml")
    shutil.copy(build / "retired_ids.toml", target / "build" / "retired_ids.toml")
    for release in (build / "releases").iterdir():
        if release.is_dir() and release.name != leave_out and not release.name.startswith("."):
            shutil.copytree(release, target / "build" / "releases" / release.name)
    shutil.copy(root / "COVERAGE.md", target / "COVERAGE.md")
    shutil.copy(root / "CHANGELOG.md", target / "CHANGELOG.md")
    (target / "csto_dataset").mkdir()
    return target
