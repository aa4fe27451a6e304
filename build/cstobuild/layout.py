"""Where the build reads and writes, relative to the repository root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cstobuild.problems import Problem
from cstobuild.retired import ids_by_release, read_registry

from csto_dataset.release_diff import RetiredId


@dataclass(frozen=True)
class Layout:
    """Where the build reads and writes, relative to the repository root."""

    root: Path

    @property
    def records(self) -> Path:
        return self.root / "build" / "records"

    @property
    def release_toml(self) -> Path:
        return self.root / "build" / "release.toml"

    @property
    def releases(self) -> Path:
        return self.root / "build" / "releases"

    @property
    def embedded(self) -> Path:
        return self.root / "csto_dataset" / "data"

    @property
    def package(self) -> Path:
        return self.root / "csto_dataset"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def dictionary(self) -> Path:
        return self.root / "docs" / "data-dictionary.md"

    @property
    def coverage(self) -> Path:
        return self.root / "COVERAGE.md"

    @property
    def changelog(self) -> Path:
        return self.root / "CHANGELOG.md"

    @property
    def contributing(self) -> Path:
        return self.root / "CONTRIBUTING.md"

    @property
    def retired_ids(self) -> Path:
        return self.root / "build" / "retired_ids.toml"

    def retired(self) -> tuple[tuple[RetiredId, ...], list[Problem]]:
        """The registry of retired ids, and its problems."""
        name = self.retired_ids.relative_to(self.root).as_posix()
        return read_registry(self.retired_ids, name, ids_by_release(self.releases))
