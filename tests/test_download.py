"""Downloads from a real HTTP server on 127.0.0.1, with the faults a release host can show."""

from __future__ import annotations

import base64
import email.utils
import io
import sys
import time
import tomllib
import traceback
from dataclasses import replace

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

from csto_dataset import DATA_VERSION, DownloadError, IntegrityError, _download, load
from csto_dataset._download import (
    RELEASE_URL,
    Settings,
    base_url,
    join_name,
    parse_location,
    progress_line,
    redact,
    redirect_allowed,
    retry_after_seconds,
    retry_delay,
    transient_status,
)
from csto_dataset._index import ReleaseFile
from csto_dataset.errors import (
    HttpStatusError,
    ProxyError,
    TimeLimitError,
    TlsError,
    UnreachableError,
    UrlError,
)


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


def test_file_names_join_the_path_and_a_query_string_is_kept() -> None:
    folder = base_url("0.0.9", "https://mirror.example/csto?token=abc")
    assert folder == "https://mirror.example/csto/0.0.9/?token=abc"
    assert (
        join_name(folder, "states.csv") == "https://mirror.example/csto/0.0.9/states.csv?token=abc"
    )
    assert join_name("https://m.example/data-v1/?a=1&b=2", "x.json") == (
        "https://m.example/data-v1/x.json?a=1&b=2"
    )


def test_a_login_becomes_basic_authentication_and_is_never_shown() -> None:
    location = parse_location("https://reader:p%40ss%20word@mirror.example:8443/csto/", "test")
    assert location.url == "https://mirror.example:8443/csto/"
    assert location.authorization == "Basic " + base64.b64encode(b"reader:p@ss word").decode()
    assert "p%40ss" not in repr(location) and "reader" not in repr(location)
    assert (
        redact("https://u:secret@h.example/p?token=abc&x")
        == "https://***@h.example/p?token=***&***"
    )


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


def test_retry_delay_doubles_is_capped_and_honours_retry_after() -> None:
    settings = Settings(backoff=1.0, max_delay=3.0)
    assert [retry_delay(n, settings) for n in (1, 2, 3, 4)] == [1.0, 2.0, 3.0, 3.0]
    assert retry_delay(1, settings, "7") == 7.0
    assert retry_delay(1, settings, "3600") == 3600.0  # the total limit bounds it, not this
    assert retry_delay(2, settings, "Wed, 21 Oct 2015 07:28:00 GMT") == 2.0  # in the past
    assert retry_delay(2, settings, "soon") == 2.0
    assert retry_delay(2, settings, "-5") == 2.0


def test_retry_after_is_read_in_seconds_and_as_an_http_date() -> None:
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:29:30 GMT", now) == 90.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:27:00 GMT", now) == 0.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:29:30", now) is None  # no zone
    for bad in ("", "soon", "1.5", "-1", "Wed, 99 Oct 2015 07:29:30 GMT"):
        assert retry_after_seconds(bad, now) is None, bad


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
    with pytest.raises(HttpStatusError, match=r"answered HTTP 404") as raised:
        load("statements", version=OLD)
    assert raised.value.status == 404
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
    with pytest.raises(HttpStatusError, match=rf"HTTP 503 \(after {FAST.attempts} tries\)"):
        load("statements", version=OLD)
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == FAST.attempts
    assert_cache_clean(remote.folder(), remote.release.entry())
    assert not (remote.folder() / "statements.parquet").exists()


def test_a_server_that_never_answers_times_out(
    remote: Remote, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", f"http://127.0.0.1:{silent_port}/data-v{{version}}/")
    started = time.monotonic()
    with pytest.raises(UnreachableError, match=r"timed out.*after 3 tries"):
        load("statements", version=OLD)
    assert time.monotonic() - started < 10 * FAST.timeout
    assert_cache_clean(remote.folder(), remote.release.entry())
    assert not remote.folder().exists() or not any(remote.folder().iterdir())


def test_a_refused_connection_is_a_download_error(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", "http://127.0.0.1:9/data-v{version}/")
    with pytest.raises(UnreachableError, match=r"ConnectionRefusedError"):
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
        with pytest.raises(UrlError, match=r"refused the redirect .* to http://127\.0\.0\.1"):
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
    _download.fetch(parse_location(url, "test"), expected, out, label="statements.parquet")
    assert out.getvalue() == (remote.release.folders[OLD] / expected.name).read_bytes()


def test_fetch_refuses_a_file_the_index_does_not_describe(remote: Remote) -> None:
    from csto_dataset import _download

    size = (remote.release.folders[OLD] / "statements.parquet").stat().st_size
    wrong = ReleaseFile("statements.parquet", size, "0" * 64)
    url = remote.server.url.replace("{version}", OLD) + "statements.parquet"
    with pytest.raises(IntegrityError, match=f"expected {size} bytes with sha256 0000"):
        _download.fetch(parse_location(url, "test"), wrong, io.BytesIO(), label="statements")


def _no_temporary_files(remote: Remote) -> None:
    """Nothing partial anywhere in the cache: the cache is consistent after a failure."""
    assert not [p for p in remote.cache.rglob(".*") if p.is_file() and p.suffix != ".lock"]
    assert_cache_clean(remote.folder(), remote.release.entry())


def _assert_secret_hidden(error: BaseException, *secrets: str) -> None:
    shown = "".join(traceback.format_exception(error)) + repr(error) + str(error)
    for secret in secrets:
        assert secret not in shown


def test_a_server_trickling_bytes_fails_within_the_total_limit(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_TIMEOUT", "1")
    remote.server.faults["datapackage.json"] = ["trickle"]
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"did not finish in time .* 1 s in all"):
        load("statements", version=OLD)
    assert time.monotonic() - started < 2.0
    _no_temporary_files(remote)


def test_the_time_limit_message_says_how_to_raise_it(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_TIMEOUT", "0.5")
    remote.server.faults["datapackage.json"] = ["stall"]
    with pytest.raises(TimeLimitError, match=r"set CSTO_DATASET_TIMEOUT to more seconds"):
        load("statements", version=OLD)


def test_a_stall_mid_body_is_retried_and_bounded(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["stall"]
    started = time.monotonic()
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert FAST.timeout <= time.monotonic() - started < FAST.timeout + 2
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == 2
    _no_temporary_files(remote)


def test_a_server_that_never_answers_stops_at_the_total_limit(
    remote: Remote, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_download, "SETTINGS", replace(FAST, timeout=30.0))
    monkeypatch.setenv("CSTO_DATASET_TIMEOUT", "0.5")
    monkeypatch.setenv("CSTO_DATASET_URL", f"http://127.0.0.1:{silent_port}/data-v{{version}}/")
    started = time.monotonic()
    with pytest.raises(TimeLimitError):
        load("statements", version=OLD)
    assert time.monotonic() - started < 1.5
    _no_temporary_files(remote)


def test_retry_after_in_seconds_is_honoured(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["retry-after:1"]
    load("statements", version=OLD, backend="pyarrow")
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == 2
    first, second = _request_times(remote, "statements.parquet")
    assert second - first >= 0.9


def test_retry_after_as_an_http_date_is_honoured(remote: Remote) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1-2 s away
    remote.server.faults["statements.parquet"] = [f"retry-after:{when}"]
    load("statements", version=OLD, backend="pyarrow")
    first, second = _request_times(remote, "statements.parquet")
    assert second - first >= 0.9


def test_a_retry_after_beyond_the_limit_fails_at_once(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["retry-after:3600"]
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"HTTP 503; waiting 3600 s for another try"):
        load("statements", version=OLD)
    assert time.monotonic() - started < 1.0
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == 1
    _no_temporary_files(remote)


def test_a_bad_retry_after_falls_back_to_the_backoff(remote: Remote) -> None:
    remote.server.faults["statements.parquet"] = ["retry-after:tomorrow", "retry-after:-3"]
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert remote.requested().count(f"/data-v{OLD}/statements.parquet") == 3


def _request_times(remote: Remote, name: str) -> list[float]:
    return [
        t
        for path, t in zip(remote.server.requests, remote.server.times, strict=True)
        if path.endswith(name)
    ]


def test_a_login_in_the_url_is_sent_as_basic_auth_and_works(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote.server.login = ("reader", "s3cret p@ss")
    url = remote.server.url.replace("http://", "http://reader:s3cret%20p%40ss@")
    monkeypatch.setenv("CSTO_DATASET_URL", url)
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert all(h.get("Authorization", "").startswith("Basic ") for h in remote.server.headers)
    assert all("@" not in path for path in remote.server.requests)


def test_a_refused_login_names_the_cause_and_never_the_password(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote.server.login = ("reader", "right")
    monkeypatch.setenv("CSTO_DATASET_URL", remote.server.url.replace("//", "//reader:wr0ng@"))
    with pytest.raises(HttpStatusError, match=r"HTTP 401 .*login in the URL was refused") as raised:
        load("statements", version=OLD)
    _assert_secret_hidden(raised.value, "wr0ng")
    assert len(remote.requested()) == 1  # not retried, nothing fetched after it
    _no_temporary_files(remote)


def test_a_server_asking_for_a_login_says_where_to_put_it(remote: Remote) -> None:
    remote.server.login = ("reader", "right")
    with pytest.raises(HttpStatusError, match=r"asks for a login: put it in CSTO_DATASET_URL"):
        load("statements", version=OLD)


def test_a_password_and_a_token_never_appear_in_an_error(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", "http://me:hunter2@127.0.0.1:9/v{version}/?token=t0k3n")
    with pytest.raises(
        UnreachableError,
        match=r"from http://127\.0\.0\.1:9/v0\.0\.9/\w+\.\w+\?token=\*\*\*: Connection",
    ) as raised:
        load("statements", version=OLD)
    _assert_secret_hidden(raised.value, "hunter2", "t0k3n", "me:")


def test_a_query_string_is_kept_and_file_names_go_into_the_path(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", remote.server.url + "?token=t0k3n")
    assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
    assert f"/data-v{OLD}/statements.parquet?token=t0k3n" in remote.server.requests


@pytest.mark.parametrize(
    "url",
    [
        "ftp://mirror.example/csto/",
        "mirror.example/csto",
        "http://127.0.0.1:port/csto/",
        "http:///csto/",
    ],
)
def test_a_malformed_url_fails_at_once_without_retrying(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", url)
    started = time.monotonic()
    with pytest.raises(UrlError, match=r"CSTO_DATASET_URL=.* (is not|names no)"):
        load("statements", version=OLD)
    assert time.monotonic() - started < 0.5
    assert remote.server.requests == []


def test_a_long_malformed_url_is_shortened_in_the_message(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_URL", "ftp://" + "m" * 10_000)
    with pytest.raises(UrlError, match=r"CSTO_DATASET_URL='ftp://mmm.*\.\.\.m' is not") as raised:
        load("statements", version=OLD)
    assert len(str(raised.value)) < 400


def test_an_untrusted_certificate_is_a_tls_error_naming_the_remedy_and_not_retried(
    remote: Remote, tls: ReleaseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_download, "SETTINGS", FAST)  # the system's CAs: not the test's
    monkeypatch.setenv("CSTO_DATASET_URL", tls.url)
    with pytest.raises(TlsError, match=r"certificate of 127\.0\.0\.1 .*SSL_CERT_FILE"):
        load("statements", version=OLD)
    assert tls.connections == 1
    _no_temporary_files(remote)


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY"])
def test_a_dead_proxy_is_named_with_its_variable(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    scheme = variable.split("_")[0].lower()
    monkeypatch.setenv("CSTO_DATASET_URL", f"{scheme}://release.invalid/data-v{{version}}/")
    monkeypatch.setenv(variable, "http://user:pr0xypw@127.0.0.1:9")
    with pytest.raises(
        ProxyError, match=rf"the proxy http://\*\*\*@127.0.0.1:9 set by {variable}"
    ) as raised:
        load("statements", version=OLD)
    _assert_secret_hidden(raised.value, "pr0xypw")


def test_a_working_proxy_is_used_and_no_proxy_is_honoured(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = ReleaseServer(remote.server.folders).start()
    try:
        monkeypatch.setenv("http_proxy", proxy.origin)
        monkeypatch.setenv("CSTO_DATASET_URL", "http://release.invalid/data-v{version}/")
        assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
        assert f"http://release.invalid/data-v{OLD}/statements.parquet" in proxy.requests
        monkeypatch.setenv("CSTO_DATASET_URL", remote.server.url)  # 127.0.0.1 is in no_proxy
        load("events", version="0.2.0", backend="pyarrow")
        assert not [p for p in proxy.requests if "0.2.0" in p]
        assert remote.requested("0.2.0")
    finally:
        proxy.stop()


def test_https_goes_through_the_proxys_tunnel_with_the_proxy_login(
    remote: Remote, tls: ReleaseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = ReleaseServer(remote.server.folders).start()
    try:
        monkeypatch.setenv("HTTPS_PROXY", proxy.origin.replace("//", "//me:pr0xy@"))
        monkeypatch.setenv("no_proxy", "")  # the release host is 127.0.0.1 too
        monkeypatch.setenv("CSTO_DATASET_URL", tls.url)
        assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
        port = tls.origin.rsplit(":", 1)[1]
        assert proxy.requests[0] == f"CONNECT 127.0.0.1:{port}"
        login = base64.b64encode(b"me:pr0xy").decode()
        assert proxy.headers[0]["Proxy-Authorization"] == f"Basic {login}"
        assert all("Proxy-Authorization" not in h for h in tls.headers)  # the tunnel hides it
        assert len(tls.requests) == len(remote.release.entry().files)
    finally:
        proxy.stop()


def test_a_login_is_not_sent_to_another_host_after_a_redirect(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = ReleaseServer(remote.server.folders).start()
    try:
        remote.server.login = ("reader", "right")
        remote.server.faults["datapackage.json"] = [
            f"redirect:{other.origin}/plain/{OLD}/datapackage.json"
        ]
        monkeypatch.setenv("CSTO_DATASET_URL", remote.server.url.replace("//", "//reader:right@"))
        assert load("statements", version=OLD, backend="pyarrow").num_rows == OLD_STATEMENTS
        assert other.requests == [f"/plain/{OLD}/datapackage.json"]
        assert "Authorization" not in other.headers[0]
    finally:
        other.stop()


def test_every_download_failure_is_a_download_error() -> None:
    causes = [UnreachableError, ProxyError, TlsError, HttpStatusError, UrlError, TimeLimitError]
    assert all(issubclass(cause, DownloadError) for cause in causes)
    assert issubclass(UrlError, ValueError)


# No secret in any message: every error class, with hostile URLs.

LOGIN, TOKEN, SIGNATURE = "hunter2", "t0k3n-SECRET", "s1gn/ä"
QUERY = f"?token={TOKEN}&sig=s1gn%2F%C3%A4"


def _hostile_cases(remote: Remote, tls: ReleaseServer) -> dict[str, tuple[type[Exception], str]]:
    """Error class and CSTO_DATASET_URL per case; each URL carries a login and a query."""
    server = remote.server.origin.replace("//", f"//me:{LOGIN}@")
    secure = tls.origin.replace("//", f"//me:{LOGIN}@")
    return {
        "space": (UrlError, f"{server}/o k/{{version}}/{QUERY}"),
        "newline": (UrlError, f"{server}/data-v{{version}}/\n{QUERY}"),
        "bad ipv6": (UrlError, f"http://me:{LOGIN}@[::1/x{QUERY}"),
        "refused ipv6": (UnreachableError, f"http://me:{LOGIN}@[::1]:9/v{{version}}/{QUERY}"),
        "non-ascii host": (
            UnreachableError,
            f"http://me:{LOGIN}@bücher.invalid/{{version}}/{QUERY}",
        ),
        "non-ascii path": (HttpStatusError, f"{server}/dätä{{version}}/{QUERY}"),
        "404 percent-encoded": (HttpStatusError, f"{server}/nope%20{{version}}/{QUERY}"),
        "integrity": (IntegrityError, f"{server}/data-v{{version}}/{QUERY}#flip"),
        "time limit": (TimeLimitError, f"{server}/data-v{{version}}/{QUERY}#trickle"),
        "login refused": (HttpStatusError, f"{server}/data-v{{version}}/{QUERY}#login"),
        "proxy": (ProxyError, f"http://me:{LOGIN}@release.invalid/data-v{{version}}/{QUERY}"),
        "tls": (TlsError, f"{secure}/data-v{{version}}/{QUERY}"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "space", "newline", "bad ipv6", "refused ipv6", "non-ascii host", "non-ascii path",
        "404 percent-encoded", "integrity", "time limit", "login refused", "proxy", "tls",
    ],
)  # fmt: skip
def test_no_login_or_query_value_appears_in_any_error(
    remote: Remote, tls: ReleaseServer, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    kind, url = _hostile_cases(remote, tls)[case]
    url, _, fault = url.partition("#")
    if fault == "login":
        remote.server.login = ("me", "other")
    elif fault:
        remote.server.faults["datapackage.json"] = [fault] * 5
        monkeypatch.setenv("CSTO_DATASET_TIMEOUT", "1")
    if case == "proxy":
        monkeypatch.setenv("HTTP_PROXY", f"http://proxy:{LOGIN}@127.0.0.1:9/?key={TOKEN}")
    if case == "tls":
        monkeypatch.setattr(_download, "SETTINGS", FAST)  # the system's CAs: not the test's
    monkeypatch.setenv("CSTO_DATASET_URL", url)
    with pytest.raises(kind) as raised:
        load("statements", version=OLD)
    _assert_secret_hidden(raised.value, LOGIN, TOKEN, "s1gn", "%2F%C3%A4", SIGNATURE)
    assert "***" in str(raised.value) or kind is TlsError


def test_a_quoted_exception_text_is_scrubbed_even_if_it_carries_a_raw_request() -> None:
    from csto_dataset._redact import scrub, scrubbed

    raw = "InvalidURL: URL can't contain control characters. '/o k/x?token=abc&b=c' (found ' ')"
    assert scrub(raw) == (
        "InvalidURL: URL can't contain control characters. '/o k/x?token=***&b=***' (found ' ')"
    )
    error = HttpStatusError("from http://u:pw@h/x?t=zz9: failed")
    error.status = 404
    clean = scrubbed(error, {"zz9"})
    assert str(clean) == "from http://***@h/x?t=***: failed"
    assert type(clean) is HttpStatusError and clean.status == 404
