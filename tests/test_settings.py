"""Every environment variable is checked before any I/O, and a malformed value is refused at
once, naming the variable, its value (redacted) and what is accepted; never retried."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from release_server import OLD, Remote

from csto_dataset import ConfigurationError, UrlError, load
from csto_dataset._download import parse_location
from csto_dataset._settings import check, offline_requested

SECRETS = ("hunter2", "t0k3n")


@pytest.mark.parametrize(
    ("url", "fault"),
    [
        ("{server}/data-v{{version}}/?token=t0k3n ", "space (U+0020) at character"),
        ("{server}/o k/{{version}}/?token=t0k3n", "space (U+0020) at character"),
        ("{server}/data-v{{version}}/\n?token=t0k3n", "line feed (U+000A)"),
        ("{server}/data-v{{version}}/\r?token=t0k3n", "carriage return (U+000D)"),
        ("{server}/data-v{{version}}/\t?token=t0k3n", "tab (U+0009)"),
        ("{server}/data-v{{version}}/\x07?token=t0k3n", "control (U+0007)"),
        ("{server}/data-v\u200b{{version}}/?token=t0k3n", "zero width space (U+200B)"),
        ("http://me:hunter2@[::1/x?token=t0k3n", "is not a valid URL (Invalid IPv6 URL)"),
        ("gopher://me:hunter2@127.0.0.1/?token=t0k3n", "is not an http or https URL"),
        ("http://me:hunter2@127.0.0.1:80x/?token=t0k3n", "is not a valid URL"),
        ("http:///data?token=t0k3n", "names no host"),
        ("http://me:hunter2@" + "ü" * 70 + ".example/?token=t0k3n", "a host name that is not"),
    ],
)
def test_a_malformed_url_is_refused_before_any_request_and_hides_its_secrets(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, url: str, fault: str
) -> None:
    server = remote.server.origin.replace("http://", "http://me:hunter2@")
    monkeypatch.setenv("CSTO_DATASET_URL", url.format(server=server))
    started = time.monotonic()
    with pytest.raises(UrlError, match=r"^CSTO_DATASET_URL=") as raised:
        load("statements", version=OLD)
    assert fault in str(raised.value)
    assert time.monotonic() - started < 0.5
    assert remote.server.requests == []
    assert not remote.cache.exists()  # refused before the cache was touched
    for secret in SECRETS:
        assert secret not in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        *(("CSTO_DATASET_OFFLINE", v, "is not understood") for v in ("y", "enabled", "2", "ture")),
        *(("CSTO_DATASET_TIMEOUT", v, "is not a number") for v in ("0", "-1", "ten", "nan", "inf")),
    ],
)
def test_a_setting_that_is_not_understood_is_refused_before_any_request(
    remote: Remote, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=rf"{variable}=.* {message}"):
        load("statements", version=OLD)
    assert remote.server.requests == []
    assert not remote.cache.exists()


@pytest.mark.parametrize("value", ["1", "TRUE", " yes ", "On"])
def test_offline_words_are_read_whatever_their_case_and_spaces(value: str) -> None:
    assert offline_requested(value) is True


def test_a_cache_under_a_home_folder_that_does_not_exist_is_a_configuration_error(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_CACHE", "~nosuchuser-csto/cache")
    with pytest.raises(
        ConfigurationError, match=r"CSTO_DATASET_CACHE='~nosuchuser-csto/cache' starts with a home"
    ):
        load("statements", version=OLD)
    assert remote.server.requests == []


def test_a_cache_path_with_a_control_character_is_refused_but_spaces_are_fine(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigurationError, match=r"line feed \(U\+000A\) at character"):
        check({"CSTO_DATASET_CACHE": f"{tmp_path}/a\nb"})
    check({"CSTO_DATASET_CACHE": f"{tmp_path}/Application Support/csto"})


def test_every_setting_is_checked_even_when_the_version_is_cached(
    remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("statements", version=OLD)  # now cached
    monkeypatch.setenv("CSTO_DATASET_TIMEOUT", "soon")
    with pytest.raises(ConfigurationError, match="CSTO_DATASET_TIMEOUT='soon'"):
        load("statements", version=OLD)


def test_a_host_or_path_outside_ascii_is_sent_as_http_requires() -> None:
    location = parse_location("http://bücher.example:8080/dätä/x.csv?q=ü", "the test URL")
    assert location.url == "http://xn--bcher-kva.example:8080/d%C3%A4t%C3%A4/x.csv?q=%C3%BC"
    already = parse_location("https://h.example/a%20b/x.csv", "the test URL")
    assert already.url == "https://h.example/a%20b/x.csv"  # an escape is not escaped twice
