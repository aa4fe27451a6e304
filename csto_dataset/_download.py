"""The only module that talks to a server: fetch one release file over HTTP(S), verified.

Standard library only. Every request has a timeout; connection errors, 429 and 5xx are
retried a bounded number of times with backoff; a body is read up to one byte past the size
the index gives, and its size and sha256 are checked before the caller keeps it.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from csto_dataset.errors import DownloadError, IntegrityError

if TYPE_CHECKING:
    import ssl
    from collections.abc import Callable
    from email.message import Message

    from csto_dataset._index import ReleaseFile

# Where releases live: the assets of the GitHub release tagged data-v<version>.
# tests/test_download.py checks that this equals release_url in build/release.toml.
RELEASE_URL = "https://github.com/csto-dataset/csto-dataset/releases/download/data-v{version}/"
URL_VARIABLE = "CSTO_DATASET_URL"
ISSUES = "https://github.com/csto-dataset/csto-dataset/issues"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Settings:
    """How patient a download is. Tests shorten these."""

    timeout: float = 30.0
    """Seconds to connect, and seconds any single read may wait."""
    deadline: float = 300.0
    """Seconds one attempt at one file may take in all (stops a server that trickles)."""
    attempts: int = 4
    """Tries per file for transient failures (connection errors, 429, 5xx)."""
    backoff: float = 1.0
    """Seconds before the second try; doubled for each further one."""
    max_delay: float = 30.0
    """The longest wait between tries, whatever Retry-After asks."""
    ssl_context: ssl.SSLContext | None = None
    """None: the system's default certificate checks."""


SETTINGS = Settings()


class _TransientError(Exception):
    """A failure worth another try; `retry_after` is the server's Retry-After, if any."""

    def __init__(self, reason: str, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def base_url(version: str, override: str | None) -> str:
    """The folder URL of a release: `override` (CSTO_DATASET_URL) or the release host.

    An override containing "{version}" has it replaced; otherwise "<version>/" is appended.
    """
    template = override or RELEASE_URL
    if "{version}" in template:
        return template.replace("{version}", version)
    return template.rstrip("/") + f"/{version}/"


def file_url(version: str, name: str) -> str:
    """The URL of one file of a release (its name comes from the index, never a server)."""
    return base_url(version, os.environ.get(URL_VARIABLE)) + urllib.parse.quote(name)


def redirect_allowed(source: str, target: str) -> bool:
    """Follow a redirect only to http(s), and never from https down to http."""
    old, new = urllib.parse.urlsplit(source).scheme, urllib.parse.urlsplit(target).scheme
    return new == "https" or (new == "http" and old == "http")


def transient_status(status: int) -> bool:
    """HTTP statuses worth another try: too many requests, and server errors."""
    return status == 429 or 500 <= status <= 599


def retry_delay(attempt: int, settings: Settings, retry_after: str | None = None) -> float:
    """Seconds to wait after failed try number `attempt` (1-based)."""
    delay: float = settings.backoff * 2.0 ** (attempt - 1)
    if retry_after is not None and retry_after.strip().isdigit():
        delay = max(delay, float(retry_after))
    return min(delay, settings.max_delay)


def progress_line(label: str, done: int, total: int, width: int = 24) -> str:
    """One line of the progress bar: label, bar, kilobytes done of total."""
    filled = width * done // total if total else width
    return f"{label} [{'#' * filled}{'.' * (width - filled)}] {done / 1e3:.0f}/{total / 1e3:.0f} kB"


class Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.enabled = sys.stderr.isatty()

    def advance(self, count: int) -> None:
        self.done += count
        if self.enabled:
            sys.stderr.write("\r" + progress_line(self.label, self.done, self.total))
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def fetch(
    url: str,
    expected: ReleaseFile,
    out: IO[bytes],
    *,
    label: str,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> None:
    """Write the file at `url` to `out`, or raise; `out` holds exactly `expected` on return.

    label: what is being fetched, for messages ("statements.parquet of data version 0.0.9").
    """
    settings = settings or SETTINGS
    count = progress.advance if progress is not None else _ignore
    for attempt in range(1, settings.attempts + 1):
        out.seek(0)
        out.truncate()
        shown = progress.done if progress is not None else 0
        try:
            _fetch_once(url, expected, out, label, settings, count)
            return
        except _TransientError as error:
            if progress is not None:
                progress.advance(shown - progress.done)
            if attempt == settings.attempts:
                raise DownloadError(
                    f"could not download {label} from {url}: {error} (after {attempt} tries); "
                    f"check the connection and try again, or set {URL_VARIABLE} to a mirror"
                ) from None
            time.sleep(retry_delay(attempt, settings, error.retry_after))


def _ignore(count: int) -> None:
    pass


def _fetch_once(
    url: str,
    expected: ReleaseFile,
    out: IO[bytes],
    label: str,
    settings: Settings,
    count: Callable[[int], None],
) -> None:
    request = urllib.request.Request(
        url, headers={"User-Agent": "csto-dataset", "Accept-Encoding": "identity"}
    )
    try:
        response = _opener(settings).open(request, timeout=settings.timeout)
    except urllib.error.HTTPError as error:
        error.close()
        if transient_status(error.code):
            raise _TransientError(f"HTTP {error.code}", _retry_after(error.headers)) from None
        raise DownloadError(
            f"could not download {label}: {url} answered HTTP {error.code} {error.reason}; "
            f"check that the release exists, or set {URL_VARIABLE} to a mirror that has it"
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise _TransientError(_reason(error)) from None
    with response:
        where = response.geturl()  # after redirects
        announced = response.headers.get("Content-Length")
        length = int(announced) if announced and announced.strip().isdigit() else None
        if length is not None and length != expected.size:
            raise IntegrityError(
                f"{label} at {where} is {length} bytes, but the release index says "
                f"{expected.size} bytes; nothing was kept. The server is not serving the "
                f"released file: try again later, or report it at {ISSUES}"
            )
        digest, size = _copy_at_most(response, out, expected.size + 1, settings, count)
    if length is not None and size < length:
        raise _TransientError(f"the connection closed after {size} of {length} bytes")
    if size > expected.size:
        actual = f"more than {expected.size} bytes (cut off there)"
    elif size != expected.size or digest != expected.sha256:
        actual = f"{size} bytes with sha256 {digest}"
    else:
        return
    raise IntegrityError(
        f"{label} downloaded from {where} does not match the release index: expected "
        f"{expected.size} bytes with sha256 {expected.sha256}, got {actual}; nothing was kept. "
        f"Try again later; if it persists, report it at {ISSUES}"
    )


def _copy_at_most(
    response: http.client.HTTPResponse,
    out: IO[bytes],
    limit: int,
    settings: Settings,
    count: Callable[[int], None],
) -> tuple[str, int]:
    """Copy at most `limit` bytes of the body to `out`; return their sha256 and number."""
    digest = hashlib.sha256()
    size = 0
    deadline = time.monotonic() + settings.deadline
    try:
        while size < limit:
            chunk = response.read(min(_CHUNK, limit - size))
            if not chunk:
                break
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
            count(len(chunk))
            if time.monotonic() > deadline:
                raise _TransientError(f"slower than {settings.deadline:.0f} s in all")
    except (http.client.HTTPException, OSError) as error:
        raise _TransientError(_reason(error)) from None
    return digest.hexdigest(), size


class _NoDowngrade(urllib.request.HTTPRedirectHandler):
    """Follows redirects (GitHub sends assets to another host) but never from https to http."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not redirect_allowed(req.full_url, newurl):
            raise DownloadError(
                f"refused the redirect from {req.full_url} to {newurl}: a download never "
                f"leaves https for http; set {URL_VARIABLE} to an https mirror"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(settings: Settings) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=settings.ssl_context), _NoDowngrade
    )


def _retry_after(headers: Message) -> str | None:
    value = headers.get("Retry-After")
    return None if value is None else str(value)


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.URLError) and not isinstance(error.reason, str):
        error = error.reason
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
