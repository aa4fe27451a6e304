"""Downloads from a real HTTP server on 127.0.0.1, with the faults a release host can show."""

from __future__ import annotations

import io
import sys
import time
import tomllib

import pyarrow as pa
import pytest
from release_server import (
    FAST,
    OLD,
    OLD_STATEMENTS,
    ROOT,
    ReleaseServer,
    Remote,
    assert_cache_clean,
)

from csto_dataset import DATA_VERSION, DownloadError, IntegrityError, load
from csto_dataset._download import (
    RELEASE_URL,
    Settings,
    base_url,
    progress_line,
    redirect_allowed,
    retry_delay,
    transient_status,
)
from csto_dataset._index import ReleaseFile


def test_the_release_url_is_the_one_the_build_publishes_to() -> None:
    release_toml = tomllib.loads((ROOT / "build" / "release.toml").read_text(encoding="utf-8"))
    assert release_toml["release_url"] == RELEASE_URL


def test_base_url_defaults_to_the_github_release_of_the_version() -> None:
    assert base_url("0.0.9", None) == (
        "https://github.com/csto-dataset/csto-dataset/releases/download/data-v0.0.9/"
    )


def test_base_url_override_with_a_version_placeholder_is_filled_in() -> None:
    assert base_url("0.0.9", "https://mirror.example/csto/v{version}/") == (
        "https://mirror.example/csto/v0.0.9/"
    )


def test_base_url_override_without_a_placeholder_gets_the_version_folder_appended() -> None:
    assert base_url("0.0.9", "https://mirror.example/csto") == "https://mirror.example/csto/0.0.9/"
    assert base_url("0.0.9", "https://mirror.example/csto/") == "https://mirror.example/csto/0.0.9/"


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("https://github.com/a", "https://objects.githubusercontent.com/b", True),
        ("https://github.com/a", "http://objects.githubusercontent.com/b", False),
        ("http://127.0.0.1/a", "http://127.0.0.1/b", True),
        ("http://127.0.0.1/a", "https://127.0.0.1/b", True),
        ("https://github.com/a", "file:///etc/passwd", False),
    ],
)
def test_a_redirect_never_downgrades_https(source: str, target: str, allowed: bool) -> None:
    assert redirect_allowed(source, target) is allowed


@pytest.mark.parametrize(
    ("status", "transient"),
    [(429, True), (500, True), (503, True), (404, False), (403, False), (200, False)],
)
def test_only_429_and_5xx_are_retried(status: int, transient: bool) -> None:
    assert transient_status(status) is transient


def test_retry_delay_doubles_honours_retry_after_and_is_capped() -> None:
    settings = Settings(backoff=1.0, max_delay=30.0)
    assert [retry_delay(n, settings) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert retry_delay(1, settings, "7") == 7.0
    assert retry_delay(1, settings, "3600") == 30.0
    assert retry_delay(2, settings, "Wed, 21 Oct 2015 07:28:00 GMT") == 2.0


def test_progress_line_shows_the_bar_and_kilobytes() -> None:
    assert progress_line("csto-dataset 0.0.9", 5000, 10000, width=10) == (
        "csto-dataset 0.0.9 [#####.....] 5/10 kB"
    )


def test_a_download_shows_no_progress_bar_when_stderr_is_not_a_terminal(
    remote: Remote, capsys: pytest.CaptureFixture[str]
) -> None:
    load("statements", version=OLD, backend="pyarrow")
    assert capsys.readouterr().err == ""


def test_a_download_draws_a_progress_bar_on_a_terminal(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    load("statements", version=OLD, backend="pyarrow")
    total = sum(f.size for f in remote.release.entry().files)
    assert terminal.getvalue().endswith(f"] {total / 1e3:.0f}/{total / 1e3:.0f} kB\n")
    assert terminal.getvalue().startswith(f"\rcsto-dataset {OLD} [")


def test_an_older_version_is_downloaded_verified_cached_and_read(remote: Remote) -> None:
    statements = load("statements", version=OLD, backend="pyarrow")
    assert isinstance(statements, pa.Table)
    assert statements.num_rows == OLD_STATEMENTS
    entry = remote.release.entry()
    assert sorted(p.name for p in remote.folder().iterdir()) == sorted(f.name for f in entry.files)
    assert_cache_clean(remote.folder(), entry)
    assert len(remote.requested()) == len(entry.files)


def test_the_whole_older_release_loads_with_its_own_version_and_citation(remote: Remote) -> None:
    release = load(version=OLD, backend="pyarrow")
    assert release.version == OLD
    assert f"Data release {OLD}" in release.citation
    assert release["statements"].num_rows == OLD_STATEMENTS
    assert release["states"].equals(load("states", backend="pyarrow"))


def test_the_embedded_version_never_touches_the_network_even_when_asked_by_name(
    remote: Remote,
) -> None:
    assert DATA_VERSION in remote.server.folders  # the real release is served too
    statements = load("statements", version=DATA_VERSION, backend="pyarrow")
    assert statements.equals(load("statements", backend="pyarrow"))
    assert remote.server.requests == []
    assert not remote.cache.exists()


def test_a_release_host_url_without_placeholder_gets_the_version_appended(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", remote.server.origin + "/plain")
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert f"/plain/{OLD}/datapackage.json" in remote.server.requests
    assert all(path.startswith(f"/plain/{OLD}/") for path in remote.server.requests)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("truncate", r"is \d+ bytes, but the release index says {size} bytes"),
        ("html", r"is \d+ bytes, but the release index says {size} bytes"),
        ("flip", r"expected {size} bytes with sha256 [0-9a-f]{{64}}, got {size} bytes with sha256"),
        ("endless", r"got more than {size} bytes \(cut off there\)"),
    ],
)
def test_a_body_that_is_not_the_released_file_is_refused(
    remote: Remote, fault: str, message: str
) -> None:
    expected = next(f for f in remote.release.entry().files if f.name == "statements.parquet")
    remote.server.faults["statements.parquet"] = [fault]
    with pytest.raises(IntegrityError, match=message.format(size=expected.size)) as raised:
        load("statements", version=OLD)
    assert f"statements.parquet of data version {OLD}" in str(raised.value)
    assert "nothing was kept" in str(raised.value)
    assert_cache_clean(remote.folder(), remote.release.entry())
    assert not (remote.folder() / "statements.parquet").exists()


def test_a_404_fails_at_once_naming_the_url(remote: Remote) -> None:
    remote.server.faults["datapackage.json"] = ["404"]
    with pytest.raises(DownloadError, match=r"answered HTTP 404") as raised:
        load("statements", version=OLD)
    assert f"{remote.server.origin}/data-v{OLD}/datapackage.json" in str(raised.value)
    requested = remote.requested()
    # no retry of a 404, and nothing fetched after it
    assert requested.count(f"/data-v{OLD}/datapackage.json") == 1
    assert requested[-1] == f"/data-v{OLD}/datapackage.json"
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_a_503_then_200_is_retried_and_succeeds(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["503", "503"]
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == 3


def test_a_connection_cut_short_is_retried(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["short"]
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == 2
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_retries_are_bounded_and_the_error_says_how_often(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["503"] * 10
    with pytest.raises(DownloadError, match=rf"HTTP 503 \(after {FAST.attempts} tries\)"):
        load("statements", version=OLD)
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == FAST.attempts
    assert_cache_clean(remote.folder(), remote.release.entry())
    assert not (remote.folder() / "statements.parquet").exists()


def test_a_server_that_never_answers_times_out(
    remote: Remote, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", f"http://127.0.0.1:{silent_port}/data-v{{version}}/")
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"timed out.*after 3 tries"):
        load("statements", version=OLD)
    assert time.monotonic() - started < 10 * FAST.timeout
    assert_cache_clean(remote.folder(), remote.release.entry())
    assert not remote.folder().exists() or not any(remote.folder().iterdir())


def test_a_refused_connection_is_a_download_error(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", "http://127.0.0.1:9/data-v{version}/")
    with pytest.raises(DownloadError, match=r"ConnectionRefusedError"):
        load("statements", version=OLD)


def test_a_redirect_within_https_is_followed(remote: Remote, tls: ReleaseServer) -> None:
    tls.faults["datapackage.json"] = [f"redirect:{tls.origin}/plain/{OLD}/datapackage.json"]
    remote_url = tls.origin + "/data-v{version}/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSTO_DATASET_URL", remote_url)
        assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert f"/plain/{OLD}/datapackage.json" in tls.requests


def test_a_redirect_from_https_to_http_is_refused(remote: Remote, tls: ReleaseServer) -> None:
    downgrade = f"{remote.server.origin}/data-v{OLD}/datapackage.json"
    tls.faults["datapackage.json"] = [f"redirect:{downgrade}"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSTO_DATASET_URL", tls.origin + "/data-v{version}/")
        with pytest.raises(DownloadError, match=r"refused the redirect .* to http://127\.0\.0\.1"):
            load("statements", version=OLD)
    assert remote.server.requests == []  # the http server was never asked
    assert_cache_clean(remote.folder(), remote.release.entry())


def test_fetch_writes_only_the_verified_bytes_after_a_retry(remote: Remote) -> None:
    from csto_dataset import _download

    entry = remote.release.entry()
    expected = next(f for f in entry.files if f.name == "statements.parquet")
    remote.server.faults["statements.parquet"] = ["short"]
    out = io.BytesIO()
    url = remote.server.url.replace("{version}", OLD) + expected.name
    _download.fetch(url, expected, out, label="statements.parquet")
    assert out.getvalue() == (remote.release.folders[OLD] / expected.name).read_bytes()


def test_fetch_refuses_a_file_the_index_does_not_describe(remote: Remote) -> None:
    from csto_dataset import _download

    size = (remote.release.folders[OLD] / "statements.parquet").stat().st_size
    wrong = ReleaseFile("statements.parquet", size, "0" * 64)
    url = remote.server.url.replace("{version}", OLD) + "statements.parquet"
    with pytest.raises(IntegrityError, match=f"expected {size} bytes with sha256 0000"):
        _download.fetch(url, wrong, io.BytesIO(), label="statements.parquet")
