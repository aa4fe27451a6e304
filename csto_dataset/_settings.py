"""The package's environment variables: each read, checked and explained in one place.

`check` validates them all before a download touches the cache or the network, so that a
malformed value is refused at once with the variable, its value (redacted) and what is
accepted, and is never retried.
"""

from __future__ import annotations

import os
import unicodedata
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from csto_dataset._redact import redact
from csto_dataset.errors import ConfigurationError, UrlError, shorten

if TYPE_CHECKING:
    from collections.abc import Mapping

URL_VARIABLE = "CSTO_DATASET_URL"
CACHE_VARIABLE = "CSTO_DATASET_CACHE"
OFFLINE_VARIABLE = "CSTO_DATASET_OFFLINE"
TIMEOUT_VARIABLE = "CSTO_DATASET_TIMEOUT"
OFFLINE_VALUES = frozenset({"1", "true", "yes", "on"})
ONLINE_VALUES = frozenset({"", "0", "false", "no", "off"})
DEFAULT_TIMEOUT = 300.0
URL_REMEDY = (
    f"set {URL_VARIABLE} to a URL such as https://mirror.example/csto/data-v{{version}}/ "
    f"(a login goes in as https://user:password@host/...)"
)


def check(environ: Mapping[str, str] = os.environ) -> None:
    """Refuse any malformed setting (ConfigurationError or UrlError) before any I/O."""
    offline(environ)
    timeout_seconds(environ)
    cache_root(environ)
    url_override(environ)


def offline(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether CSTO_DATASET_OFFLINE forbids the network."""
    return offline_requested(environ.get(OFFLINE_VARIABLE))


def offline_requested(value: str | None) -> bool:
    """Whether a CSTO_DATASET_OFFLINE value forbids the network ("1", "true", "yes", "on");
    "0", "false", "no", "off" or an empty value allow it; any other value is refused, so that
    a mistyped setting never means online."""
    word = (value or "").strip().lower()
    if word in OFFLINE_VALUES:
        return True
    if word in ONLINE_VALUES:
        return False
    raise ConfigurationError(
        f"{OFFLINE_VARIABLE}={shorten(value)} is not understood: set 1, true, yes or on to "
        "stay offline, or 0, false, no or off (or leave it unset) to allow downloads"
    )


def timeout_seconds(environ: Mapping[str, str] = os.environ) -> float | None:
    """The total download limit CSTO_DATASET_TIMEOUT sets, or None when unset."""
    value = environ.get(TIMEOUT_VARIABLE, "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise ConfigurationError(
            f"{TIMEOUT_VARIABLE}={shorten(value)} is not a number of seconds above 0; "
            f"set it to the longest a download may take (e.g. 600) or unset it "
            f"(default {DEFAULT_TIMEOUT:.0f})"
        )
    return seconds


def cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    """The cache folder: CSTO_DATASET_CACHE, or the user cache folder. Nothing is created."""
    configured = environ.get(CACHE_VARIABLE)
    if configured:
        bad = _first_unprintable(configured, spaces=False)
        if bad is not None:
            raise ConfigurationError(
                f"{CACHE_VARIABLE}={shorten(configured)} contains {bad}; set it to a folder path"
            )
        try:
            return Path(configured).expanduser()
        except RuntimeError:  # "~user" of a user who does not exist, or no home folder
            raise ConfigurationError(
                f"{CACHE_VARIABLE}={shorten(configured)} starts with a home folder that cannot "
                f"be found; give the full path of the folder instead"
            ) from None
    import platformdirs  # lazily: it costs start-up time and only downloads need it

    return Path(platformdirs.user_cache_dir("csto-dataset", appauthor=False))


def url_override(environ: Mapping[str, str] = os.environ) -> str | None:
    """CSTO_DATASET_URL once it is a well-formed http(s) URL; None when unset."""
    value = environ.get(URL_VARIABLE)
    if not value:
        return None
    where = f"{URL_VARIABLE}={shorten(redact(value), 100)}"
    bad = _first_unprintable(value)
    if bad is not None:
        raise UrlError(f"{where} contains {bad}; {URL_REMEDY}")
    check_url(value.replace("{version}", "0.0.0"), where)
    return value


def check_url(url: str, where: str) -> urllib.parse.SplitResult:
    """The parts of an http(s) URL with a host, or UrlError naming `where`."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as error:
        raise UrlError(f"{where} is not a valid URL ({error}); {URL_REMEDY}") from None
    if parts.scheme not in ("http", "https"):
        raise UrlError(
            f"{where} is not an http or https URL (scheme {parts.scheme!r}); {URL_REMEDY}"
        )
    if not parts.hostname:
        raise UrlError(f"{where} names no host; {URL_REMEDY}")
    try:
        parts.hostname.encode("idna")
    except UnicodeError:
        raise UrlError(f"{where} has a host name that is not valid; {URL_REMEDY}") from None
    return parts


_CONTROL_NAMES = {"\t": "tab", "\n": "line feed", "\r": "carriage return", "\x00": "null"}


def _first_unprintable(value: str, spaces: bool = True) -> str | None:
    """Where `value` has a control character (or, with `spaces`, whitespace or an invisible
    format character, which no URL needs and copy and paste leave behind), described; None
    if nowhere."""
    for position, character in enumerate(value, 1):
        category = unicodedata.category(character)
        if category == "Cc" or (spaces and (character.isspace() or category == "Cf")):
            name = _CONTROL_NAMES.get(character, "") or unicodedata.name(character, "control")
            return f"{name.lower()} (U+{ord(character):04X}) at character {position}"
    return None
