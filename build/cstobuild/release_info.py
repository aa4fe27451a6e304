"""The release settings in `build/release.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReleaseInfo:
    """Version and metadata of the data release being built."""

    version: str
    created: str
    name: str
    title: str
    description: str
    homepage: str
    keywords: tuple[str, ...]
    author: str
    release_url: str
    cutoff: str
    """The last day the release covers (ISO date): no record begins after it."""

    @classmethod
    def read(cls, path: Path) -> ReleaseInfo:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
        values["keywords"] = tuple(values["keywords"])
        return cls(**values)

    def citation(self) -> str:
        year = self.created[:4]
        return f"{self.author} ({year}). {self.title}. Data release {self.version}. {self.homepage}"
