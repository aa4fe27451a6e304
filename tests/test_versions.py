"""Released versions: the index is the trust root, releases are immutable, versions() lists them."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from importlib import resources
from typing import Any

import pytest
from release_server import (
    INDEX,
    OLD,
    RELEASES,
    ROOT,
    FixtureRelease,
    Remote,
)

from csto_dataset import (
    DATA_VERSION,
    TABLE_NAMES,
    CstoDatasetError,
    UnknownTableError,
    VersionInfo,
    VersionNotFoundError,
    _index,
    load,
    versions,
)
from csto_dataset._index import find_release, parse_index, read_index, version_key


def index_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(INDEX.read_text(encoding="utf-8"))
    return document


def changed_releases(current: dict[str, Any], earlier: dict[str, Any]) -> list[str]:
    """Versions of an earlier index whose entry is missing from, or differs in, the current."""
    now = {entry["version"]: entry for entry in current["releases"]}
    return [e["version"] for e in earlier["releases"] if now.get(e["version"]) != e]


def git(*args: str) -> str | None:
    if shutil.which("git") is None:
        return None
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def test_versions_lists_every_release_newest_first_and_marks_the_embedded_one() -> None:
    listed = versions()
    assert all(isinstance(v, VersionInfo) for v in listed)
    assert [v.version for v in listed] == [e["version"] for e in index_document()["releases"]]
    keys = [version_key(v.version) for v in listed]
    assert keys == sorted(keys, reverse=True)  # type: ignore[type-var]
    assert [v.version for v in listed if v.embedded] == [DATA_VERSION]
    assert listed[0].version == DATA_VERSION  # the wheel embeds the newest release
    with pytest.raises(AttributeError):
        listed[0].embedded = False  # type: ignore[misc]


def test_versions_include_older_releases_from_the_index(
    fixture_release: FixtureRelease, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = versions()
    monkeypatch.setattr(_index, "INDEX_PATH", fixture_release.index)
    assert versions() == (*released, VersionInfo(OLD, "2026-01-01T00:00:00Z", embedded=False))


def test_every_release_in_the_checkout_matches_the_index_byte_for_byte() -> None:
    checked = 0
    for entry in read_index():
        folder = RELEASES / entry.version
        if not folder.is_dir():
            continue
        on_disk = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        assert sorted(on_disk) == sorted(f.name for f in entry.files), folder
        for file in entry.files:
            data = on_disk[file.name]
            assert (len(data), hashlib.sha256(data).hexdigest()) == (file.size, file.sha256), (
                f"{folder / file.name} changed after release {entry.version}: a released "
                f"version is immutable, release a new version instead"
            )
        checked += 1
    assert checked >= 1


def test_the_embedded_release_matches_its_index_entry_byte_for_byte() -> None:
    entry = find_release(read_index(), DATA_VERSION)
    data = resources.files("csto_dataset").joinpath("data")
    for file in entry.files:
        content = data.joinpath(file.name).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (file.size, file.sha256)
    assert entry.tables == TABLE_NAMES


def test_no_index_entry_of_an_earlier_commit_has_changed() -> None:
    commits = git("log", "--format=%H", "--", "csto_dataset/releases.json")
    if commits is None:
        pytest.skip("not a git checkout: the history of releases.json cannot be checked")
    current = index_document()
    for commit in commits.split():
        shown = git("show", f"{commit}:csto_dataset/releases.json")
        assert shown is not None
        assert changed_releases(current, json.loads(shown)) == [], (
            f"a release listed in commit {commit[:12]} was changed or removed from "
            f"releases.json: released versions are immutable"
        )


def test_a_changed_or_removed_index_entry_is_detected() -> None:
    earlier = index_document()
    edited = json.loads(json.dumps(earlier))
    edited["releases"][0]["files"][0]["sha256"] = "0" * 64
    assert changed_releases(edited, earlier) == [DATA_VERSION]
    assert changed_releases({"releases": []}, earlier) == [
        r["version"] for r in earlier["releases"]
    ]
    added = {"releases": [*earlier["releases"], {"version": "9.0.0"}]}
    assert changed_releases(added, earlier) == []


@pytest.mark.parametrize(
    "name", ["../etc/passwd", "a/b.csv", "a\\b.csv", ".hidden", "..", "", "C:x", "é.csv"]
)
def test_the_index_refuses_file_names_that_could_leave_the_release_folder(name: str) -> None:
    document = index_document()
    document["releases"][0]["files"][0]["name"] = name
    with pytest.raises(CstoDatasetError, match=r"release index releases\.json is malformed"):
        parse_index(document)


@pytest.mark.parametrize(
    ("version", "key"),
    [
        ("0.1.0", (0, 1, 0)),
        ("10.2.33", (10, 2, 33)),
        ("0.1", None),
        ("01.0.0", None),
        ("../0.1.0", None),
        ("v0.1.0", None),
        (None, None),
        (1, None),
    ],
)
def test_version_key(version: object, key: tuple[int, int, int] | None) -> None:
    assert version_key(version) == key


def test_a_version_newer_than_the_index_says_to_upgrade() -> None:
    with pytest.raises(
        VersionNotFoundError, match=r"upgrade the package.*pip install -U csto-dataset"
    ):
        load(version="99.0.0")


@pytest.mark.parametrize("version", ["0.0.1", "../0.1.0", "0.1", "latest", "", "/etc"])
def test_an_unknown_version_fails_at_once_listing_the_available_ones(
    remote: Remote, version: str
) -> None:
    available = ", ".join(v.version for v in versions())  # the fixture index: with OLD
    assert available.endswith(OLD)
    with pytest.raises(VersionNotFoundError, match=rf"available: {available} "):
        load("statements", version=version)
    assert remote.server.requests == []
    assert not remote.cache.exists()


def test_an_unknown_table_of_an_older_version_fails_before_any_download(remote: Remote) -> None:
    with pytest.raises(UnknownTableError, match=r"unknown table '\.\./statements'"):
        load("../statements", version=OLD)  # type: ignore[call-overload]
    assert remote.server.requests == []
    assert not remote.cache.exists()
