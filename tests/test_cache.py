"""The download cache: where it lives, what counts as cached, and how it survives trouble."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import threading
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

from csto_dataset import OfflineError, _cache, load
from csto_dataset._cache import cache_action, cache_root, file_state, install, release_opener
from csto_dataset._index import ReleaseFile
from csto_dataset._settings import offline_requested
from csto_dataset.errors import CacheError, ConfigurationError

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


@pytest.mark.parametrize("value", ["y", "enabled", "2", "offline", "ja"])
def test_an_offline_value_that_is_not_understood_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"CSTO_DATASET_OFFLINE=.* is not understood"):
        offline_requested(value)


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
    total = len(remote.release.entry().files)
    assert (
        f"{total} of {total} files are missing or changed (attendances.csv (missing), " in message
    )
    assert f"and {total - 3} more)" in message
    assert len(message) < 500
    assert "Unset CSTO_DATASET_OFFLINE to download the version" in message
    assert remote.server.requests == []
    assert not remote.cache.exists()


def test_offline_a_corrupted_cached_file_fails_naming_it_and_is_not_kept(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("statements", version=OLD)
    cached = remote.folder() / "statements.parquet"
    cached.write_bytes(b"PAR1 not really")
    monkeypatch.setenv("CSTO_DATASET_OFFLINE", "1")
    with pytest.raises(
        OfflineError,
        match=r"1 of \d+ files are missing or changed \(statements.parquet \(changed\)\)",
    ):
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
                (_cache, "create_temporary"),
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
        pytest.raises(
            CacheError,
            match=r"read-only file system; .* set CSTO_DATASET_CACHE to a folder that is writable",
        ),
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


def test_eight_processes_loading_one_version_make_one_request_per_file(
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
    assert sorted(remote.requested()) == sorted(f"/data-v{OLD}/{f.name}" for f in entry.files)


def test_the_cache_layout_is_versioned(remote: Remote) -> None:
    load("statements", version=OLD)
    assert [p.name for p in remote.cache.iterdir()] == ["v1"]
    assert remote.folder() == remote.cache / "v1" / OLD


def test_a_version_cached_in_the_layout_before_v1_is_moved_in_without_the_network(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy = remote.cache / OLD
    shutil.copytree(remote.release.folders[OLD], legacy)
    (legacy / "events.csv").write_bytes(b"changed")  # not verified: not moved, downloaded
    assert len(load("statements", version=OLD)) == OLD_STATEMENTS
    assert remote.requested() == [f"/data-v{OLD}/events.csv"]
    assert not legacy.exists()
    assert_cache_clean(remote.folder(), remote.release.entry())
    assert len(list(remote.folder().iterdir())) == len(remote.release.entry().files)


@pytest.fixture
def group_umask() -> Iterator[None]:
    previous = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(previous)


def test_cached_files_honour_the_umask_so_a_group_can_share_the_cache(
    remote: Remote, group_umask: None
) -> None:
    load("statements", version=OLD)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in remote.folder().iterdir()}
    assert modes == {0o664}
    assert stat.S_IMODE(remote.folder().stat().st_mode) == 0o775


def test_an_unreadable_cached_file_is_a_cache_error_naming_it(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("statements", version=OLD)
    cached = remote.folder() / "statements.parquet"
    real_open = os.open

    def refuse(path: object, flags: int, *args: int) -> int:
        if Path(str(path)) == cached:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(CacheError, match=r"cannot read statements\.parquet .*permission denied"):
        load("statements", version=OLD)


def test_an_empty_folder_where_a_file_belongs_is_replaced(remote: Remote) -> None:
    remote.folder().mkdir(parents=True)
    (remote.folder() / "statements.parquet").mkdir()
    assert len(load("statements", version=OLD)) == OLD_STATEMENTS
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_a_folder_with_content_where_a_file_belongs_is_refused_naming_it(remote: Remote) -> None:
    blocking = remote.folder() / "statements.parquet"
    blocking.mkdir(parents=True)
    (blocking / "notes.txt").write_text("mine")
    with pytest.raises(CacheError, match=rf"{blocking} is a folder where the cache keeps a file"):
        load("statements", version=OLD)
    assert (blocking / "notes.txt").read_text() == "mine"


def test_a_cache_folder_that_is_a_file_is_a_cache_error(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "occupied").write_text("not a folder")
    monkeypatch.setenv("CSTO_DATASET_CACHE", str(tmp_path / "occupied"))
    with pytest.raises(
        CacheError, match=r"occupied is in the way: it should be the cache folder but is not a"
    ):
        load("statements", version=OLD)


@pytest.mark.parametrize("kind", ["link to a file elsewhere", "link to a device", "fifo"])
def test_anything_but_a_regular_file_in_a_files_place_is_replaced_without_reading_it(
    remote: Remote, tmp_path: Path, kind: str
) -> None:
    load("statements", version=OLD)
    cached = remote.folder() / "statements.parquet"
    elsewhere = tmp_path / "elsewhere.parquet"
    elsewhere.write_bytes(cached.read_bytes())  # even the right bytes: a link is not read
    cached.unlink()
    if kind == "link to a file elsewhere":
        cached.symlink_to(elsewhere)
    elif kind == "link to a device":
        cached.symlink_to("/dev/zero")
    else:
        os.mkfifo(cached)
    before = len(remote.requested())
    assert len(load("statements", version=OLD)) == OLD_STATEMENTS
    assert remote.requested()[before:] == [f"/data-v{OLD}/statements.parquet"]
    assert stat.S_ISREG(cached.lstat().st_mode)
    assert elsewhere.exists()
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_temporary_files_of_killed_downloads_are_removed_after_a_grace_period(
    remote: Remote,
) -> None:
    load("statements", version=OLD)
    old = remote.folder() / ".statements.parquet.0123456789ab.part"
    recent = remote.folder() / ".events.csv.ba9876543210.part"
    for path in (old, recent):
        path.write_bytes(b"partial")
    an_hour_ago = time.time() - _cache.LEFTOVER_GRACE - 60
    os.utime(old, (an_hour_ago, an_hour_ago))
    load("statements", version=OLD)
    assert not old.exists()
    assert recent.exists()  # perhaps another process's download in progress


def test_the_bytes_returned_are_the_bytes_verified(remote: Remote) -> None:
    entry = remote.release.entry()
    open_file = release_opener(entry)
    with open_file("statements.parquet") as stream:
        good = stream.read()
    cached = remote.folder() / "statements.parquet"
    swapped = bytearray(good)
    swapped[300] ^= 0xFF
    cached.write_bytes(bytes(swapped))  # swapped after the release was checked
    with open_file("statements.parquet") as stream:
        assert stream.read() == good
    assert_cache_clean(remote.folder(), entry)


def test_a_full_disk_is_a_cache_error_and_is_not_retried(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")

    def on_a_full_disk(path: Path) -> tuple[int, Path]:
        return os.open("/dev/full", os.O_RDWR), path.with_name(".never-created.part")

    monkeypatch.setattr(_cache, "create_temporary", on_a_full_disk)
    with pytest.raises(CacheError, match=r"the disk is full .*free some space, or set CSTO_DATA"):
        load("statements", version=OLD)
    assert len(remote.requested()) == 1
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_threads_of_one_process_share_one_download_of_each_file(remote: Remote) -> None:
    remote.server.delay = 0.005  # so that the threads overlap
    start = threading.Barrier(16)
    results: list[int] = []

    def load_once() -> None:
        start.wait()
        results.append(load(version=OLD, backend="pyarrow")["statements"].num_rows)

    threads = [threading.Thread(target=load_once) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [OLD_STATEMENTS] * 16
    assert len(remote.requested()) == len(remote.release.entry().files)


# The thing in the way is named; processes take turns through a lock file.


@pytest.mark.parametrize("kind", ["file", "fifo", "device link", "dangling link"])
def test_a_cache_root_that_is_not_a_folder_is_named_as_the_thing_in_the_way(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    root = tmp_path / "root"
    if kind == "file":
        root.write_text("x")
    elif kind == "fifo":
        os.mkfifo(root)
    elif kind == "device link":
        root.symlink_to("/dev/null")
    else:
        root.symlink_to(tmp_path / "gone")
    monkeypatch.setenv("CSTO_DATASET_CACHE", str(root))
    with pytest.raises(CacheError) as raised:
        load("statements", version=OLD)
    assert str(raised.value).startswith(f"{root} is in the way: it should be the cache folder")
    assert "v1" not in str(raised.value)
    assert remote.server.requests == []


@pytest.mark.parametrize("offline", ["1", "0"])
def test_a_file_in_a_version_folders_place_is_named_online_and_offline(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, offline: str
) -> None:
    remote.folder().parent.mkdir(parents=True)
    remote.folder().write_text("not a folder")
    monkeypatch.setenv("CSTO_DATASET_OFFLINE", offline)
    with pytest.raises(CacheError, match=rf"^{remote.folder()} is in the way: it should be a "):
        load("statements", version=OLD)


def test_a_download_waits_for_another_process_and_names_it_when_the_wait_runs_out(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_TIMEOUT", "0.5")
    lock = remote.folder().with_name(f".{OLD}.lock")
    lock.parent.mkdir(parents=True)
    holder = subprocess.Popen(  # another process holds the lock, as a download in progress
        [sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(CacheError) as raised:
            load("statements", version=OLD)
        assert 0.5 <= time.monotonic() - started < 2
        message = str(raised.value)
        assert f"another process (pid {holder.pid} on " in message
        assert f"the lock {lock} is freed when its process ends" in message
        assert remote.server.requests == []
    finally:
        holder.kill()
        holder.wait()
    monkeypatch.delenv("CSTO_DATASET_TIMEOUT")  # the download itself may take longer than 0.5 s
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS


HOLDER = """
import sys, time
from pathlib import Path
from csto_dataset import _lockfile
with _lockfile.held(Path(sys.argv[1]), wait=5):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_process_killed_mid_download_leaves_the_lock_to_the_next(
    remote: Remote, tmp_path: Path
) -> None:
    remote.server.faults["statements.csv"] = ["stall"]  # the first process hangs there
    go = tmp_path / "go"
    go.touch()
    args = [sys.executable, "-c", CHILD, str(remote.release.index), str(go), OLD]
    env = {**os.environ, "CSTO_DATASET_OFFLINE": "0", "CSTO_DATASET_TIMEOUT": "60"}
    first = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not any(p.endswith("/statements.csv") for p in remote.server.requests):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    first.kill()
    first.wait()
    before = len(remote.requested())
    started = time.monotonic()
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert time.monotonic() - started < 5  # the lock was free: no wait for a dead holder
    entry = remote.release.entry()
    fetched_again = remote.requested()[before:]
    assert len(fetched_again) == len(entry.files) - (before - 1)  # the rest, once each
