"""The download cache: where it lives, what counts as cached, and how it survives trouble."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import platformdirs
import pytest
from release_server import (
    OLD,
    OLD_STATEMENTS,
    Remote,
    assert_cache_clean,
)

from csto_dataset import DownloadError, OfflineError, load
from csto_dataset._cache import cache_root, install
from csto_dataset._index import ReleaseFile, cache_action, file_state, offline_requested

FILE = ReleaseFile("t.parquet", 3, hashlib.sha256(b"abc").hexdigest())


def test_the_cache_defaults_to_the_user_cache_folder() -> None:
    assert cache_root({}) == Path(platformdirs.user_cache_dir("csto-dataset", appauthor=False))


def test_csto_dataset_cache_overrides_the_cache_folder(tmp_path: Path) -> None:
    assert cache_root({"CSTO_DATASET_CACHE": str(tmp_path)}) == tmp_path
    assert cache_root({"CSTO_DATASET_CACHE": "~/data"}) == Path.home() / "data"


def test_a_cached_file_is_verified_only_with_the_indexed_size_and_sha256() -> None:
    assert file_state((3, FILE.sha256), FILE) == "verified"
    assert file_state(None, FILE) == "missing"
    assert file_state((2, FILE.sha256), FILE) == "changed"
    assert file_state((3, "0" * 64), FILE) == "changed"


@pytest.mark.parametrize(
    ("state", "offline", "action"),
    [
        ("verified", False, "use"),
        ("verified", True, "use"),
        ("missing", False, "download"),
        ("changed", False, "download"),
        ("missing", True, "fail-offline"),
        ("changed", True, "fail-offline"),
    ],
)
def test_what_to_do_with_a_cached_file(state: str, offline: bool, action: str) -> None:
    assert cache_action(state, offline) == action  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "offline"),
    [
        ("1", True),
        ("true", True),
        (" YES ", True),
        ("on", True),
        ("0", False),
        ("", False),
        (None, False),
        ("false", False),
    ],
)
def test_csto_dataset_offline_values(value: str | None, offline: bool) -> None:
    assert offline_requested(value) is offline


def test_import_creates_no_cache_and_loads_no_network_code(tmp_path: Path) -> None:
    code = (
        "import sys, csto_dataset\n"
        "csto_dataset.versions()\n"
        "csto_dataset.load('states')\n"
        "heavy = ('urllib.request', 'http.client', 'platformdirs', 'csto_dataset._download',"
        " 'csto_dataset._cache')\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop("CSTO_DATASET_CACHE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def test_install_leaves_no_temporary_file_when_the_download_fails(tmp_path: Path) -> None:
    def interrupted(out: IO[bytes]) -> None:
        out.write(b"ab")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        install(tmp_path / "t.parquet", FILE, interrupted, "t.parquet")
    assert list(tmp_path.iterdir()) == []


def test_install_renames_a_verified_file_into_place(tmp_path: Path) -> None:
    def fetch(out: IO[bytes]) -> None:
        out.write(b"abc")

    install(tmp_path / "v" / "t.parquet", FILE, fetch, "t")
    assert [p.name for p in (tmp_path / "v").iterdir()] == ["t.parquet"]
    assert (tmp_path / "v" / "t.parquet").read_bytes() == b"abc"


def test_a_cached_file_corrupted_between_two_loads_is_downloaded_again(remote: Remote) -> None:
    load("statements", version=OLD)
    cached = remote.folder() / "statements.parquet"
    data = bytearray(cached.read_bytes())
    data[200] ^= 0x10
    cached.write_bytes(bytes(data))
    before = len(remote.requested())
    assert len(load("statements", version=OLD)) == OLD_STATEMENTS
    assert remote.requested()[before:] == [f"/data-v{OLD}/statements.parquet"]
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_a_truncated_cached_file_is_downloaded_again(remote: Remote) -> None:
    load("statements", version=OLD)
    cached = remote.folder() / "events.parquet"
    cached.write_bytes(cached.read_bytes()[:100])
    before = len(remote.requested())
    assert load("events", version=OLD, backend="pyarrow").equals(load("events", backend="pyarrow"))
    assert remote.requested()[before:] == [f"/data-v{OLD}/events.parquet"]
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_a_second_load_of_a_cached_version_makes_no_request(remote: Remote) -> None:
    load(version=OLD, backend="pyarrow")
    before = len(remote.server.requests)
    assert load(version=OLD, backend="pyarrow")["statements"].num_rows == OLD_STATEMENTS
    assert len(remote.server.requests) == before


def test_offline_a_cached_version_loads_without_the_network(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("statements", version=OLD)
    monkeypatch.setenv("CSTO_DATASET_OFFLINE", "1")
    before = len(remote.server.requests)
    assert len(load("statements", version=OLD)) == OLD_STATEMENTS
    assert len(remote.server.requests) == before


def test_offline_a_version_not_in_the_cache_fails_naming_the_cache_and_the_remedy(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_OFFLINE", "1")
    with pytest.raises(OfflineError) as raised:
        load("statements", version=OLD)
    message = str(raised.value)
    assert f"data version {OLD} is not complete in the cache {remote.folder()}" in message
    assert f"{remote.folder() / 'statements.parquet'} (missing)" in message
    assert "Unset CSTO_DATASET_OFFLINE to download it" in message
    assert remote.server.requests == []
    assert not remote.cache.exists()


def test_offline_a_corrupted_cached_file_fails_naming_it_and_is_not_kept(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("statements", version=OLD)
    cached = remote.folder() / "statements.parquet"
    cached.write_bytes(b"PAR1 not really")
    monkeypatch.setenv("CSTO_DATASET_OFFLINE", "1")
    with pytest.raises(OfflineError, match=rf"{cached} \(changed\)"):
        load("statements", version=OLD)
    assert not cached.exists()
    assert_cache_clean(remote.folder(), remote.release.entry())


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Read-only for real (permissions), and for root too: every write the cache makes fails."""
    for path in [*folder.iterdir(), folder]:
        path.chmod(stat.S_IREAD | (stat.S_IEXEC if path.is_dir() else 0))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    try:
        with pytest.MonkeyPatch.context() as patch:
            for owner, name in [
                (tempfile, "mkstemp"),
                (Path, "mkdir"),
                (Path, "unlink"),
                (Path, "replace"),
                (os, "replace"),
            ]:
                patch.setattr(owner, name, refuse)
            yield
    finally:
        folder.chmod(0o755)


def test_a_read_only_cache_holding_a_complete_version_still_loads(remote: Remote) -> None:
    load("statements", version=OLD)
    with read_only(remote.folder()):
        assert len(load("statements", version=OLD)) == OLD_STATEMENTS


def test_a_read_only_cache_missing_a_file_says_to_choose_a_writable_folder(
    remote: Remote,
) -> None:
    load("statements", version=OLD)
    (remote.folder() / "events.csv").unlink()
    with (
        read_only(remote.folder()),
        pytest.raises(DownloadError, match="set CSTO_DATASET_CACHE to a writable folder"),
    ):
        load("statements", version=OLD)


CHILD = """
import sys, time
from pathlib import Path
import csto_dataset._index
csto_dataset._index.INDEX_PATH = Path(sys.argv[1])
go = Path(sys.argv[2])
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.005)
from csto_dataset import load
print(load(version=sys.argv[3], backend="pyarrow")["statements"].num_rows)
"""


def test_eight_processes_loading_one_version_into_an_empty_cache_all_succeed(
    remote: Remote, tmp_path: Path
) -> None:
    remote.server.delay = 0.005  # so that the downloads overlap
    go = tmp_path / "go"
    env = {**os.environ, "CSTO_DATASET_OFFLINE": "0"}
    args = [sys.executable, "-c", CHILD, str(remote.release.index), str(go), OLD]
    children = [
        subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    time.sleep(0.5)  # let them start and reach the barrier
    go.touch()
    results = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 8, [err for _, err in results]
    assert [out.strip() for out, _ in results] == [str(OLD_STATEMENTS)] * 8
    entry = remote.release.entry()
    assert sorted(p.name for p in remote.folder().iterdir()) == sorted(f.name for f in entry.files)
    assert_cache_clean(remote.folder(), entry)
    assert len(entry.files) < len(remote.requested()) <= 8 * len(entry.files)  # they overlapped
