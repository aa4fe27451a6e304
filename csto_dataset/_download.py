"""The only module that talks to a server: fetch the files of a release over HTTP(S), verified.

Standard library only (http.client, so that every socket is ours to time). One wall-clock
limit covers a whole release: connects, reads, retries and waits; a watchdog shuts the socket
when it passes, so a server that trickles bytes or stalls cannot hold a caller. Only
transient failures (connection errors, 429, 5xx, a body cut short) are retried. A login in
the URL is sent as HTTP Basic authentication and shown nowhere; a query string is kept.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import errno
import hashlib
import http.client
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, TypeVar

from csto_dataset._redact import redact, scrub, secrets_of
from csto_dataset._release import RELEASE_URL
from csto_dataset._settings import (
    DEFAULT_TIMEOUT,
    TIMEOUT_VARIABLE,
    URL_VARIABLE,
    check_url,
    timeout_seconds,
    url_override,
)
from csto_dataset.errors import (
    DownloadError,
    HttpStatusError,
    IntegrityError,
    ProxyError,
    TimeLimitError,
    TlsError,
    UnreachableError,
    UrlError,
    shorten,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from csto_dataset._index import ReleaseFile

# Where releases live (RELEASE_URL): the assets of the GitHub release tagged data-v<version>;
# tests/test_download.py checks that it equals release_url in build/release.toml.
ISSUES = "https://github.com/csto-dataset/csto-dataset/issues"
CA_REMEDY = (
    "if a proxy or firewall re-signs https traffic, point Python at its CA bundle with "
    "SSL_CERT_FILE=/path/to/ca-bundle.pem"
)
_MAX_REDIRECTS = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """How patient a download is. Tests shorten these."""

    timeout: float = 30.0
    """Seconds to connect, and seconds any single read may wait for data."""
    total: float = DEFAULT_TIMEOUT
    """Seconds a release download may take in all (CSTO_DATASET_TIMEOUT overrides it)."""
    attempts: int = 4
    """Tries per file for transient failures (connection errors, 429, 5xx)."""
    backoff: float = 1.0
    """Seconds before the second try; doubled for each further one."""
    max_delay: float = 30.0
    """The longest backoff between tries (a Retry-After is honoured within `total`)."""
    chunk: int = 64 * 1024
    """The most bytes one read asks for."""
    ssl_context: ssl.SSLContext | None = None
    """None: the system's default certificate checks (SSL_CERT_FILE applies)."""


SETTINGS = Settings()


def current_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """SETTINGS with the total limit CSTO_DATASET_TIMEOUT gives, if any."""
    seconds = timeout_seconds(environ)
    return SETTINGS if seconds is None else replace(SETTINGS, total=seconds)


class Deadline:
    """A point on the monotonic clock by which a whole release download must be done."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


@dataclass(frozen=True)
class Location:
    """A URL without its login, and the login as an Authorization header value."""

    url: str
    authorization: str | None = None

    def __repr__(self) -> str:  # never the login, never a token
        return f"Location({redact(self.url)!r})"

    @property
    def shown(self) -> str:
        return redact(self.url)


def base_url(version: str, override: str | None) -> str:
    """The folder URL of a release: `override` (CSTO_DATASET_URL) or the release host.

    An override containing "{version}" has it replaced; otherwise "<version>/" is appended
    to its path (a query string stays where it is).
    """
    template = override or RELEASE_URL
    if "{version}" in template:
        return template.replace("{version}", version)
    parts = urllib.parse.urlsplit(template)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + f"/{version}/"))


def join_name(folder_url: str, name: str) -> str:
    """The URL of file `name` in the folder `folder_url`: joined to the path, query kept."""
    parts = urllib.parse.urlsplit(folder_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urllib.parse.urlunsplit(parts._replace(path=path + urllib.parse.quote(name)))


def file_location(version: str, name: str) -> Location:
    """Where one file of a release is (its name comes from the index, never a server)."""
    override = url_override()
    url = join_name(base_url(version, override), name)
    where = f"{URL_VARIABLE}={shorten(redact(override), 100)}" if override else "the release URL"
    return parse_location(url, where)


def parse_location(url: str, where: str) -> Location:
    """Check an http(s) URL and split the login off it, or raise UrlError naming `where`.

    A host name outside ASCII is sent in its IDNA form, and other characters outside ASCII
    percent-encoded as UTF-8, as HTTP requires.
    """
    parts = check_url(url, where)
    host = parts.netloc.rpartition("@")[2]
    if not host.isascii():
        ascii_host = (parts.hostname or "").encode("idna").decode("ascii")
        host = ascii_host if parts.port is None else f"{ascii_host}:{parts.port}"
    parts = parts._replace(
        path=urllib.parse.quote(parts.path, safe=_URI_CHARACTERS),
        query=urllib.parse.quote(parts.query, safe=_URI_CHARACTERS + "?"),
    )
    authorization = None
    if parts.username is not None or parts.password is not None:
        login = urllib.parse.unquote(parts.username or "") + ":"
        login += urllib.parse.unquote(parts.password or "")
        authorization = "Basic " + base64.b64encode(login.encode()).decode("ascii")
    return Location(urllib.parse.urlunsplit(parts._replace(netloc=host)), authorization)


_URI_CHARACTERS = "/%:@!$&'()*+,;=~"
"""What `quote` must leave as it is in a path: reserved characters and escapes already made."""


def secrets() -> set[str]:
    """Every login and query value of the URLs in effect (release URL, proxies): what
    `_redact.scrubbed` hides in a download error."""
    found: set[str] = set()
    for name in (URL_VARIABLE, "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        value = os.environ.get(name)
        if value:
            found |= secrets_of(value)
    return found


def redirect_allowed(source: str, target: str) -> bool:
    """Follow a redirect only to http(s), and never from https down to http."""
    old, new = urllib.parse.urlsplit(source).scheme, urllib.parse.urlsplit(target).scheme
    return new == "https" or (new == "http" and old == "http")


def transient_status(status: int) -> bool:
    """HTTP statuses worth another try: too many requests, and server errors."""
    return status == 429 or 500 <= status <= 599


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After value asks to wait (seconds, or an HTTP date); None if invalid."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT; a date without a zone is malformed
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_delay(attempt: int, settings: Settings, retry_after: str | None = None) -> float:
    """Seconds to wait after failed try number `attempt` (1-based): the backoff, or longer
    if the server's Retry-After asks for it (the total limit bounds that wait)."""
    delay = min(settings.backoff * 2.0 ** (attempt - 1), settings.max_delay)
    asked = retry_after_seconds(retry_after)
    return delay if asked is None else max(delay, asked)


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


class _TransientError(Exception):
    """A failure worth another try: the error to raise if none is left, and Retry-After."""

    def __init__(self, kind: type[DownloadError], reason: str, retry_after: str | None = None):
        super().__init__(reason)
        self.kind, self.reason, self.retry_after = kind, reason, retry_after


def fetch(
    location: Location,
    expected: ReleaseFile,
    out: IO[bytes],
    *,
    label: str,
    deadline: Deadline | None = None,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> None:
    """Write the file at `location` to `out`, or raise; `out` holds exactly `expected` on return.

    label: what is being fetched, for messages ("statements.parquet of data version 0.0.9").
    deadline: the limit of the whole release download (default: a fresh one for this file).
    An OSError raised by `out` (a full disk) propagates as it is: it is not the server's.
    """
    settings = settings or current_settings()
    deadline = deadline or Deadline(settings.total)
    count = progress.advance if progress is not None else _ignore
    for attempt in range(1, settings.attempts + 1):
        if attempt > 1:  # start over
            out.seek(0)
            out.truncate()
        shown = progress.done if progress is not None else 0
        try:
            _fetch_once(location, expected, out, label, settings, deadline, count)
            return
        except _TransientError as failure:
            if progress is not None:
                progress.advance(shown - progress.done)
            prefix = f"could not download {label} from {location.shown}: {failure.reason}"
            if attempt == settings.attempts:
                raise failure.kind(
                    f"{prefix} (after {attempt} tries); {_remedy(failure.kind)}"
                ) from None
            delay = retry_delay(attempt, settings, failure.retry_after)
            if delay >= deadline.remaining():
                wait = f"{prefix}; waiting {delay:g} s for another try would pass the time limit"
                raise _out_of_time(wait, deadline) from None
            time.sleep(delay)


def _remedy(kind: type[DownloadError]) -> str:
    if kind is ProxyError:
        return "check that the proxy is running, or unset the variable to connect directly"
    return f"check the connection and try again, or set {URL_VARIABLE} to a mirror"


def _out_of_time(what: str, deadline: Deadline) -> TimeLimitError:
    return TimeLimitError(
        f"{what} (a release download may take {deadline.seconds:g} s in all); set "
        f"{TIMEOUT_VARIABLE} to more seconds on a slow connection, or try again later"
    )


def _ignore(count: int) -> None:
    pass


def _fetch_once(
    location: Location,
    expected: ReleaseFile,
    out: IO[bytes],
    label: str,
    settings: Settings,
    deadline: Deadline,
    count: Callable[[int], None],
) -> None:
    current = location
    for _ in range(_MAX_REDIRECTS + 1):
        if deadline.expired():
            raise _out_of_time(f"downloading {label} did not finish in time", deadline)
        with _Exchange(current, label, settings, deadline) as exchange:
            response = exchange.start()
            target = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and target:
                current = _redirect(location, current, target)
                continue
            _check_status(response, current, label)
            _read_body(exchange, response, current, expected, out, label, settings, count)
            return
    raise HttpStatusError(
        f"could not download {label}: more than {_MAX_REDIRECTS} redirects from "
        f"{location.shown}; set {URL_VARIABLE} to a mirror that serves the file"
    )


def _redirect(origin: Location, current: Location, target: str) -> Location:
    """Where a redirect leads; the login goes along only to the same scheme, host and port."""
    new_url = urllib.parse.urljoin(current.url, target)
    if not redirect_allowed(current.url, new_url):
        raise UrlError(
            f"refused the redirect from {current.shown} to {redact(new_url)}: a download never "
            f"leaves https for http; set {URL_VARIABLE} to an https mirror"
        )
    new = parse_location(new_url, f"the redirect to {redact(new_url)}")
    same = urllib.parse.urlsplit(new.url)[:2] == urllib.parse.urlsplit(origin.url)[:2]
    return Location(new.url, new.authorization or (origin.authorization if same else None))


def _check_status(response: http.client.HTTPResponse, where: Location, label: str) -> None:
    status = response.status
    if status == 200:
        return
    if transient_status(status):
        raise _TransientError(HttpStatusError, f"HTTP {status}", response.getheader("Retry-After"))
    if status == 407:
        raise ProxyError(
            f"could not download {label}: the proxy asks for a login (HTTP 407); put it in "
            f"the proxy variable as http://user:password@proxy:port"
        )
    if status == 401:
        remedy = (
            "the login in the URL was refused: check it"
            if where.authorization
            else f"the server asks for a login: put it in {URL_VARIABLE} as "
            "https://user:password@host/..."
        )
    else:
        remedy = f"check that the release exists, or set {URL_VARIABLE} to a mirror that has it"
    error = HttpStatusError(
        f"could not download {label}: {where.shown} answered HTTP {status} {response.reason}; "
        f"{remedy}"
    )
    error.status = status
    raise error


def _read_body(
    exchange: _Exchange,
    response: http.client.HTTPResponse,
    where: Location,
    expected: ReleaseFile,
    out: IO[bytes],
    label: str,
    settings: Settings,
    count: Callable[[int], None],
) -> None:
    announced = response.getheader("Content-Length")
    length = int(announced) if announced and announced.strip().isdigit() else None
    if length is not None and length != expected.size:
        raise IntegrityError(
            f"{label} at {where.shown} is {length} bytes, but the release index says "
            f"{expected.size} bytes; nothing was kept. The server is not serving the "
            f"released file: try again later, or report it at {ISSUES}"
        )
    digest = hashlib.sha256()
    size, limit = 0, expected.size + 1
    while size < limit:
        chunk = exchange.read(response, min(settings.chunk, limit - size))
        if not chunk:
            break
        digest.update(chunk)
        out.write(chunk)  # an OSError here is the disk's: it propagates to the cache
        size += len(chunk)
        count(len(chunk))
    if length is not None and size < length:
        raise _TransientError(
            UnreachableError, f"the connection closed after {size} of {length} bytes"
        )
    if size > expected.size:
        actual = f"more than {expected.size} bytes (cut off there)"
    elif size != expected.size or digest.hexdigest() != expected.sha256:
        actual = f"{size} bytes with sha256 {digest.hexdigest()}"
    else:
        return
    raise IntegrityError(
        f"{label} downloaded from {where.shown} does not match the release index: expected "
        f"{expected.size} bytes with sha256 {expected.sha256}, got {actual}; nothing was kept. "
        f"Try again later; if it persists, report it at {ISSUES}"
    )


def proxy_for(url: str, environ: Mapping[str, str] = os.environ) -> tuple[str, str] | None:
    """(variable, proxy URL) in effect for `url`, or None: the lowercase variable wins, as in
    urllib; NO_PROXY exempts hosts."""
    parts = urllib.parse.urlsplit(url)
    for name in (f"{parts.scheme}_proxy", f"{parts.scheme}_proxy".upper()):
        value = environ.get(name)
        if value:
            if _bypassed(parts.netloc, environ):
                return None
            return name, value
    return None


def _bypassed(netloc: str, environ: Mapping[str, str]) -> bool:
    """Whether NO_PROXY names the host: "*", the host itself, or a domain it is in."""
    host = netloc.rpartition("@")[2].rsplit(":", 1)[0].strip("[]").lower()
    no_proxy = environ.get("no_proxy") or environ.get("NO_PROXY") or ""
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        name = entry.rsplit(":", 1)[0].strip("[]").lstrip(".") if entry else ""
        if entry == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


class _Exchange:
    """One request and its response on one connection, bounded by the deadline.

    A watchdog timer shuts the socket when the deadline passes, so that no read, however
    slowly a server answers, outlives it.
    """

    def __init__(
        self, location: Location, label: str, settings: Settings, deadline: Deadline
    ) -> None:
        self.location, self.label = location, label
        self.settings, self.deadline = settings, deadline
        self.parts = urllib.parse.urlsplit(location.url)
        self.proxy = proxy_for(location.url)
        self.connection: http.client.HTTPConnection | None = None
        self.watchdog = threading.Timer(max(0.0, deadline.remaining()), self._expire)
        self.watchdog.daemon = True

    def __enter__(self) -> _Exchange:
        self.watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.watchdog.cancel()
        if self.connection is not None:
            self.connection.close()

    def _expire(self) -> None:
        connection = self.connection
        sock = connection.sock if connection is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def start(self) -> http.client.HTTPResponse:
        """Connect, send the GET, and read the status line and headers."""
        headers = {"User-Agent": "csto-dataset", "Accept-Encoding": "identity"}
        if self.location.authorization:
            headers["Authorization"] = self.location.authorization
        path = urllib.parse.urlunsplit(self.parts._replace(scheme="", netloc="")) or "/"
        self.connection = self._connection(headers)
        self._guard(self.connection.connect, connecting=True)
        if self.proxy is not None and self.parts.scheme == "http":
            path = self.location.url  # a plain-http proxy takes the whole URL
        connection = self.connection
        self._guard(lambda: connection.request("GET", path, headers=headers))
        return self._guard(connection.getresponse)

    def read(self, response: http.client.HTTPResponse, size: int) -> bytes:
        """Whatever part of the body has arrived, up to `size` bytes (b"" at its end)."""
        return self._guard(lambda: response.read1(size))

    def _connection(self, headers: dict[str, str]) -> http.client.HTTPConnection:
        timeout = max(0.001, min(self.settings.timeout, self.deadline.remaining()))
        host, port = self.parts.hostname or "", self.parts.port
        if self.proxy is None:
            if self.parts.scheme == "https":
                return http.client.HTTPSConnection(
                    host, port, timeout=timeout, context=self._tls_context()
                )
            return http.client.HTTPConnection(host, port, timeout=timeout)
        variable, proxy_url = self.proxy
        proxy = parse_location(
            proxy_url if "://" in proxy_url else f"http://{proxy_url}", f"the proxy in {variable}"
        )
        proxy_parts = urllib.parse.urlsplit(proxy.url)
        proxy_headers = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else {}
        if self.parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                proxy_parts.hostname or "",
                proxy_parts.port,
                timeout=timeout,
                context=self._tls_context(),
            )
            connection.set_tunnel(host, port, headers=proxy_headers)
            return connection
        headers.update(proxy_headers)
        return http.client.HTTPConnection(proxy_parts.hostname or "", proxy_parts.port, timeout)

    def _tls_context(self) -> ssl.SSLContext:
        return self.settings.ssl_context or ssl.create_default_context()

    def _guard(self, step: Callable[[], T], connecting: bool = False) -> T:
        """Run one network step, turning its failures into errors that name their cause."""
        try:
            result = step()
        except (ssl.SSLCertVerificationError, ssl.CertificateError) as error:
            raise TlsError(
                f"could not verify the TLS certificate of {self.parts.hostname} "
                f"({_reason(error)}); {CA_REMEDY}"
            ) from None
        except (http.client.HTTPException, OSError) as error:
            if self.deadline.expired():
                raise self._out_of_time() from None
            raise self._classify(error, connecting) from None
        if self.deadline.expired():  # the watchdog may have cut what the step returned
            raise self._out_of_time()
        return result

    def _out_of_time(self) -> TimeLimitError:
        where = f"{self.label} from {self.location.shown}"
        return _out_of_time(f"downloading {where} did not finish in time", self.deadline)

    def _classify(self, error: BaseException, connecting: bool) -> Exception:
        reason = _reason(error)
        tunnel = isinstance(error, OSError) and str(error).startswith("Tunnel connection failed")
        if self.proxy is not None and (connecting or tunnel):
            variable, proxy_url = self.proxy
            failed = f"the proxy {redact(proxy_url)} set by {variable} failed ({reason})"
            return _TransientError(ProxyError, failed)
        if isinstance(error, ssl.SSLError):
            return TlsError(
                f"the TLS connection to {self.parts.hostname} failed ({reason}); {CA_REMEDY}"
            )
        if isinstance(error, socket.gaierror):
            reason = f"the host name {self.parts.hostname} could not be resolved ({reason})"
        return _TransientError(UnreachableError, reason)


def _reason(error: BaseException) -> str:
    """An exception's text for a message; scrubbed, since it may quote the request path."""
    if isinstance(error, OSError) and error.errno == errno.ECONNREFUSED:
        return f"ConnectionRefusedError: {error.strerror}"
    return scrub(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
