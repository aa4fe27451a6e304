"""A release host on 127.0.0.1 for tests: real release files, faults on demand, no internet.

Import the fixtures into a test module (`from release_server import remote_fixture`; each is
named without the suffix, so a test asks for `remote`):
- `fixture_release`: a second, older release "0.0.9" (a copy of build/releases/0.1.0 with
  statements cut to 10 rows) and an index listing it beside the real releases;
- `remote`: a running `ReleaseServer` serving every release of that index, an empty cache,
  and the package pointed at both (CSTO_DATASET_URL, CSTO_DATASET_CACHE, the fixture index,
  short timeouts and backoff).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from csto_dataset import _download, _index
from csto_dataset._cache import file_state
from csto_dataset._index import ReleaseEntry, find_release, parse_index

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "build" / "releases"
INDEX = ROOT / "csto_dataset" / "releases.json"
OLD = "0.0.9"
OLD_STATEMENTS = 10
FAST = _download.Settings(timeout=0.5, total=5.0, attempts=3, backoff=0.01, max_delay=0.05)


@dataclass(frozen=True)
class FixtureRelease:
    """The fixture index and the folder of every release it lists."""

    index: Path
    folders: dict[str, Path]

    def entry(self, version: str = OLD) -> ReleaseEntry:
        return find_release(parse_index(json.loads(self.index.read_text())), version)


def build_fixture_release(root: Path) -> FixtureRelease:
    """Write release 0.0.9 and an index of it and the real releases under `root`."""
    document = json.loads(INDEX.read_text(encoding="utf-8"))
    folders = {entry["version"]: RELEASES / entry["version"] for entry in document["releases"]}
    newest = max(folders, key=lambda v: _index.version_key(v) or ())
    old = root / OLD
    shutil.copytree(RELEASES / newest, old)
    statements = pq.ParquetFile(old / "statements.parquet").read().slice(0, OLD_STATEMENTS)
    pq.write_table(statements.combine_chunks(), old / "statements.parquet")
    descriptor = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = OLD
    descriptor["citation"] = descriptor["citation"].replace(newest, OLD)
    for resource in descriptor["resources"]:
        parquet = old / resource["parquet"]["path"]
        resource["parquet"]["bytes"] = parquet.stat().st_size
        resource["parquet"]["hash"] = "sha256:" + _sha256(parquet.read_bytes())
    (old / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    files = [
        {"name": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p.read_bytes())}
        for p in sorted(old.iterdir())
    ]
    rows = {
        name: pq.ParquetFile(old / f"{name}.parquet").metadata.num_rows
        for name in document["releases"][0]["rows"]
    }
    document["releases"].append(
        {"version": OLD, "created": "2026-01-01T00:00:00Z", "files": files, "rows": rows}
    )
    index = root / "releases.json"
    index.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return FixtureRelease(index, {**folders, OLD: old})


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ReleaseServer:
    """Serves /data-v<version>/<file> and /plain/<version>/<file> from release folders.

    `faults[file name]` is a queue of faults, one used per request for that file:
    "truncate" (half the body, honest length), "short" (announces the full length, sends half,
    closes), "flip" (one bit flipped), "html" (an error page), "404", "503", "endless" (no
    length, a body that does not end), "redirect:<url>", "retry-after:<value>" (a 503 with
    that Retry-After), "trickle" (the full length announced, then one byte every `trickle`
    seconds), or "stall" (the full length announced, half the body, then nothing until the
    server stops).

    A request whose path is a whole URL (as a client sends it to a proxy) is served as if
    the server were that URL's host: the server doubles as an http proxy.
    """

    folders: dict[str, Path]
    faults: dict[str, list[str]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    """When each request arrived (time.monotonic()), in the order of `requests`."""
    headers: list[dict[str, str]] = field(default_factory=list)
    """The headers of each request, in the order of `requests`."""
    httpd: ThreadingHTTPServer | None = None
    scheme: str = "http"
    delay: float = 0.0
    """Seconds each response waits: makes concurrent downloads overlap."""
    trickle: float = 0.05
    login: tuple[str, str] | None = None
    """When set, every request without this HTTP Basic login is answered 401."""
    connections: int = 0
    """Connections accepted (a TLS handshake that fails still counts)."""
    stopped: threading.Event = field(default_factory=threading.Event)

    @property
    def origin(self) -> str:
        assert self.httpd is not None
        host, port = self.httpd.server_address[:2]
        return f"{self.scheme}://{host!s}:{port}"

    @property
    def url(self) -> str:
        """A CSTO_DATASET_URL for this server, in the "{version}" form."""
        return self.origin + "/data-v{version}/"

    def start(self, httpd: ThreadingHTTPServer | None = None) -> ReleaseServer:
        self.httpd = httpd or _CountingServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.release_server = self  # type: ignore[attr-defined]
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    def body(self, path: str) -> bytes | None:
        parts = urllib.parse.urlsplit(path).path.strip("/").split("/")
        if len(parts) == 2 and parts[0].startswith("data-v"):
            version, name = parts[0].removeprefix("data-v"), parts[1]
        elif len(parts) == 3 and parts[0] == "plain":
            version, name = parts[1], parts[2]
        else:
            return None
        folder = self.folders.get(version)
        if folder is None or not (folder / name).is_file():
            return None
        return (folder / name).read_bytes()

    def take_fault(self, path: str) -> str | None:
        queue = self.faults.get(urllib.parse.urlsplit(path).path.rsplit("/", 1)[-1])
        return queue.pop(0) if queue else None

    def authorized(self, header: str | None) -> bool:
        if self.login is None:
            return True
        expected = base64.b64encode(":".join(self.login).encode()).decode()
        return header == f"Basic {expected}"


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # one side hung up


class _CountingServer(ThreadingHTTPServer):
    def get_request(self) -> tuple[socket.socket, object]:
        self.release_server.connections += 1  # type: ignore[attr-defined]
        return super().get_request()

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is fine
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_CONNECT(self) -> None:
        """Be an https proxy: open a tunnel to the host:port asked for, and relay bytes."""
        server: ReleaseServer = self.server.release_server  # type: ignore[attr-defined]
        server.requests.append(f"CONNECT {self.path}")
        server.times.append(time.monotonic())
        server.headers.append(dict(self.headers.items()))
        host, _, port = self.path.rpartition(":")
        with socket.create_connection((host, int(port)), timeout=10) as upstream:
            self.send_response(200, "Connection established")
            self.end_headers()
            self.close_connection = True
            relay = threading.Thread(target=_pump, args=(upstream, self.connection), daemon=True)
            relay.start()
            _pump(self.connection, upstream)
            relay.join(10)

    def do_GET(self) -> None:
        server: ReleaseServer = self.server.release_server  # type: ignore[attr-defined]
        server.times.append(time.monotonic())
        server.requests.append(self.path)
        server.headers.append(dict(self.headers.items()))
        time.sleep(server.delay)
        if not server.authorized(self.headers.get("Authorization")):
            self._reply(401, b"login required", {"WWW-Authenticate": 'Basic realm="csto"'})
            return
        fault = server.take_fault(self.path)
        body = server.body(self.path)
        if fault is not None and fault.startswith("redirect:"):
            self._reply(302, b"", {"Location": fault.removeprefix("redirect:")})
        elif body is None or fault == "404":
            self._reply(404, b"not found")
        elif fault == "503":
            self._reply(503, b"busy", {"Retry-After": "0"})
        elif fault is not None and fault.startswith("retry-after:"):
            self._reply(503, b"busy", {"Retry-After": fault.removeprefix("retry-after:")})
        elif fault == "trickle":
            self._trickle(server, body)
        elif fault == "stall":
            self._stall(server, body)
        elif fault == "html":
            self._reply(200, b"<html><body>Rate limit exceeded</body></html>")
        elif fault == "truncate":
            self._reply(200, body[: len(body) // 2])
        elif fault == "short":
            self._reply(200, body[: len(body) // 2], {"Content-Length": str(len(body))})
            self.close_connection = True
        elif fault == "flip":
            self._reply(200, body[:100] + bytes([body[100] ^ 1]) + body[101:])
        elif fault == "endless":
            self._endless()
        else:
            self._reply(200, body)

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for _ in range(256):  # 16 MiB at most: bounded even if the client never stops
                self.wfile.write(b"x" * 65536)
        except OSError:
            pass

    def _trickle(self, server: ReleaseServer, body: bytes) -> None:
        self._start(body)
        try:
            for index in range(len(body)):
                if server.stopped.wait(server.trickle):
                    return
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
        except OSError:
            pass  # the client gave up

    def _stall(self, server: ReleaseServer, body: bytes) -> None:
        self._start(body)
        try:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        except OSError:
            return
        server.stopped.wait(60)

    def _start(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session", name="fixture_release")
def fixture_release_fixture(tmp_path_factory: pytest.TempPathFactory) -> FixtureRelease:
    return build_fixture_release(tmp_path_factory.mktemp("releases"))


@dataclass(frozen=True)
class Remote:
    """A running release server, an empty cache, and the package pointed at both."""

    server: ReleaseServer
    cache: Path
    release: FixtureRelease

    def folder(self, version: str = OLD) -> Path:
        return self.cache / "v1" / version

    def requested(self, version: str = OLD) -> list[str]:
        return [path for path in self.server.requests if f"/data-v{version}/" in path]


@pytest.fixture(name="remote")
def remote_fixture(
    fixture_release: FixtureRelease, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Remote]:
    server = ReleaseServer(dict(fixture_release.folders)).start()
    monkeypatch.setattr(_index, "INDEX_PATH", fixture_release.index)
    monkeypatch.setattr(_download, "SETTINGS", FAST)
    monkeypatch.setenv("CSTO_DATASET_URL", server.url)
    monkeypatch.setenv("CSTO_DATASET_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    for variable in (
        "CSTO_DATASET_OFFLINE",
        "CSTO_DATASET_TIMEOUT",
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
    ):
        monkeypatch.delenv(variable, raising=False)
    try:
        yield Remote(server, tmp_path / "cache", fixture_release)
    finally:
        server.stop()


@pytest.fixture(name="tls")
def tls_fixture(
    remote: Remote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ReleaseServer]:
    """An https twin of the remote's server, with a self-signed certificate the package trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    httpd = _CountingServer(("127.0.0.1", 0), _Handler)
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    server = ReleaseServer(remote.server.folders, scheme="https").start(httpd)
    client = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(_download, "SETTINGS", replace(_download.SETTINGS, ssl_context=client))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="silent_port")
def silent_port_fixture() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as listener:
        yield listener.getsockname()[1]


def assert_cache_clean(folder: Path, entry: ReleaseEntry) -> None:
    """The cache folder holds only files of the release, each verified; nothing partial."""
    if not folder.exists():
        return
    expected = {file.name: file for file in entry.files}
    for path in folder.iterdir():
        assert path.name in expected, f"unexpected file in the cache: {path.name}"
        data = path.read_bytes()
        found = (len(data), _sha256(data))
        assert file_state(found, expected[path.name]) == "verified", f"unverified: {path}"
