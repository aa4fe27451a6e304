"""The release index (releases.json, shipped in the wheel): the trust root for every release.

Also the pure decisions taken from it: which release a version names, and what to do with a
cached file. Nothing here touches the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from csto_dataset._release import DATA_VERSION
from csto_dataset.errors import (
    CstoDatasetError,
    VersionNotFoundError,
    shorten,
)

if TYPE_CHECKING:
    from pathlib import Path

# None: the releases.json inside the package. Tests point this at a fixture index.
INDEX_PATH: Path | None = None

UPGRADE = "pip install -U csto-dataset"
# Character sets, not regular expressions: `re` would cost start-up time at `import csto_dataset`.
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdef")
_TABLE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_FILE_CHARACTERS = _TABLE_CHARACTERS | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ.-")


class VersionInfo(NamedTuple):
    """One released data version, as `csto_dataset.versions()` lists it."""

    version: str
    """The data release's semantic version, e.g. "0.1.0"."""
    created: str
    """When the release was built (ISO 8601, UTC)."""
    embedded: bool
    """True for the release inside the installed package: loading it never downloads."""


class ReleaseFile(NamedTuple):
    """One file of a release, with the size and sha256 the index gives for it."""

    name: str
    size: int
    sha256: str


class ReleaseEntry(NamedTuple):
    """One release in the index: its files and table names."""

    version: str
    created: str
    files: tuple[ReleaseFile, ...]
    tables: tuple[str, ...]


def versions() -> tuple[VersionInfo, ...]:
    """Every released data version, newest first, saying which one the package embeds."""
    return tuple(
        VersionInfo(entry.version, entry.created, entry.version == DATA_VERSION)
        for entry in read_index()
    )


def read_index() -> tuple[ReleaseEntry, ...]:
    """The release index, newest release first."""
    import json  # lazily, with importlib.resources: only a non-embedded load needs them

    if INDEX_PATH is None:
        from importlib import resources

        data = resources.files("csto_dataset").joinpath("releases.json").read_bytes()
    else:
        data = INDEX_PATH.read_bytes()
    return parse_index(json.loads(data))


def parse_index(document: dict[str, Any]) -> tuple[ReleaseEntry, ...]:
    """Check the index's shape and sort it newest first; a bad index is a broken install."""
    try:
        entries = tuple(_entry(raw) for raw in document["releases"])
    except (KeyError, TypeError, ValueError) as error:
        raise CstoDatasetError(
            f"the package's release index releases.json is malformed ({error}); "
            f"reinstall the package: {UPGRADE}"
        ) from None
    return tuple(sorted(entries, key=lambda e: version_key(e.version) or (), reverse=True))


def _entry(raw: dict[str, Any]) -> ReleaseEntry:
    version = raw["version"]
    if version_key(version) is None:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    files = tuple(ReleaseFile(f["name"], f["bytes"], f["sha256"]) for f in raw["files"])
    for file in files:
        size_ok = isinstance(file.size, int) and file.size >= 0
        hash_ok = len(file.sha256) == 64 and set(file.sha256) <= _HEX
        if not (_plain_name(file.name) and size_ok and hash_ok):
            raise ValueError(f"bad file entry {file} in release {version}")
    tables = tuple(raw["rows"])
    names = {file.name for file in files}
    for table in tables:
        if not set(table) <= _TABLE_CHARACTERS or f"{table}.parquet" not in names:
            raise ValueError(f"table {table!r} of release {version} has no Parquet file")
    if "datapackage.json" not in names:
        raise ValueError(f"release {version} has no datapackage.json")
    return ReleaseEntry(version, raw["created"], files, tables)


def _plain_name(name: str) -> bool:
    """A file name with no separator and no leading dot: it cannot leave its folder."""
    return bool(name) and name[0] not in "._-" and set(name) <= _FILE_CHARACTERS


def version_key(version: object) -> tuple[int, int, int] | None:
    """(major, minor, patch) of a MAJOR.MINOR.PATCH string; None for anything else."""
    parts = version.split(".") if isinstance(version, str) else []
    if len(parts) != 3 or not all(_number(part) for part in parts):
        return None
    major, minor, patch = (int(part) for part in parts)
    return major, minor, patch


def _number(part: str) -> bool:
    return bool(part) and set(part) <= _DIGITS and (part == "0" or part[0] != "0")


def find_release(index: tuple[ReleaseEntry, ...], version: object) -> ReleaseEntry:
    """The index entry of `version`, or VersionNotFoundError saying what to do instead."""
    for entry in index:
        if entry.version == version:
            return entry
    available = ", ".join(entry.version for entry in index)
    key = version_key(version)
    newest = index[0].version if index else None
    if key is not None and newest is not None and key > (version_key(newest) or ()):
        raise VersionNotFoundError(
            f"data version {shorten(version)} is newer than every release this package knows "
            f"(newest: {newest}); upgrade the package to get it: {UPGRADE}"
        )
    raise VersionNotFoundError(
        f"data version {shorten(version)} is not a released version; available: {available} "
        f"(see csto_dataset.versions())"
    )
