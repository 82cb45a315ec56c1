"""Local HTTP servers for the download tests: a file server (the Argos index and packages) and a fake Hub.

Both bind 127.0.0.1 on a free port, run in a thread for one test, record every request
(method, path, headers) and can misbehave on purpose: drop the connection half-way, ignore
``Range``, send other bytes than they announce, or never answer.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


@dataclass
class Served:
    """One file a server serves, and how it misbehaves."""

    data: bytes
    etag: str = ""
    """Its ``ETag`` (empty: none); also what ``If-Range`` must match for a ranged answer."""
    drops: int = 0
    """Answers still to cut off half-way (the connection closes after half the bytes)."""
    ranges: bool = True
    """Whether ``Range`` requests get a 206 (else the whole file, 200)."""
    length: bool = True
    """Whether the answer says its ``Content-Length``."""
    status: int = 200
    """Another status to answer with (404…), no body."""
    headers: dict = field(default_factory=dict)
    """More headers for the answer."""


@dataclass
class Request:
    method: str
    path: str
    headers: dict


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        self.server.owner.connections.append(self.connection)

    def _handle(self, method: str) -> None:
        server: LocalServer = self.server.owner
        server.requests.append(Request(method, self.path, {k.lower(): v for k, v in self.headers.items()}))
        if server.delay:
            time.sleep(server.delay)
        route = server.route(method, urlsplit(self.path).path, self)
        if route is None:
            self._status(404)
            return
        send_file(self, route, head=method == "HEAD")

    def _status(self, status: int, headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self._handle("GET")

    def do_HEAD(self):
        self._handle("HEAD")


def send_file(handler: BaseHTTPRequestHandler, served: Served, *, head: bool = False) -> None:
    """Answer with ``served``: a 206 for a ``Range`` it honours, its faults applied."""
    if served.status != 200:
        handler.send_response(served.status)
        for key, value in served.headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    data, start, status = served.data, 0, 200
    wanted = handler.headers.get("Range")
    if_range = handler.headers.get("If-Range")
    match = re.fullmatch(r"bytes=(\d+)-", wanted or "")
    if match and served.ranges and (not if_range or if_range == served.etag):
        start = int(match.group(1))
        if start >= len(data):
            handler.send_response(416)
            handler.send_header("Content-Range", f"bytes */{len(data)}")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        status = 206
    body = data[start:]
    handler.send_response(status)
    if status == 206:
        handler.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
    if served.etag:
        handler.send_header("ETag", served.etag)
    handler.send_header("Accept-Ranges", "bytes" if served.ranges else "none")
    for key, value in served.headers.items():
        handler.send_header(key, value)
    if served.length:
        handler.send_header("Content-Length", str(len(body)))
    else:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    if head:
        return
    if served.drops > 0 and not head:
        served.drops -= 1
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        return
    handler.wfile.write(body)


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that went away (the tests' timeouts) is expected
        pass


class LocalServer:
    """A threaded HTTP server on 127.0.0.1; ``route(method, path, handler)`` says what each path serves."""

    def __init__(self):
        self.requests: list[Request] = []
        self.connections: list = []
        self.delay = 0.0
        self._httpd = _Quiet(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def route(self, method: str, path: str, handler) -> Served | None:
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
        # Kept-alive connections would go on being served by this server's threads, even when a later
        # test's server gets the same port: close them.
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def gets(self, path_part: str) -> list[Request]:
        """The GET requests whose path holds ``path_part``."""
        return [r for r in self.requests if r.method == "GET" and path_part in r.path]


class FileServer(LocalServer):
    """Serves ``files`` (path → :class:`Served`)."""

    def __init__(self, files: dict[str, Served] | None = None):
        super().__init__()
        self.files: dict[str, Served] = dict(files or {})

    def route(self, method, path, handler):
        return self.files.get(unquote(path))


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(f"blob {len(data)}\0".encode() + data).hexdigest()


@dataclass
class HubRepo:
    """A repository of the fake Hub: one commit per revision name, the files, which of them are Git LFS."""

    files: dict[str, bytes]
    lfs: tuple[str, ...] = ("model.bin",)
    commits: dict[str, str] = field(default_factory=lambda: {"main": "a1" * 20})
    faults: dict[str, Served] = field(default_factory=dict)
    """Per file, how its download misbehaves (its ``data`` replaces the file's bytes when given)."""
    listed_sizes: dict[str, int] = field(default_factory=dict)
    """Sizes the listing gives instead of the real ones."""


class FakeHub(LocalServer):
    """Enough of the Hub's HTTP API for ``huggingface_hub``'s ``model_info`` and ``hf_hub_download``.

    ``GET /api/models/{repo}/revision/{rev}`` lists the files (sizes, blob ids, LFS SHA-256);
    ``HEAD``/``GET /{repo}/resolve/{rev}/{file}`` answer as the Hub does, with ``X-Repo-Commit``,
    ``ETag`` (the blob id, or for LFS ``X-Linked-Etag`` the SHA-256) and ``X-Linked-Size``.
    Unknown repositories, revisions and files get the Hub's 404s with ``X-Error-Code``.
    """

    def __init__(self, repos: dict[str, HubRepo]):
        super().__init__()
        self.repos = repos

    def _commit(self, repo: HubRepo, revision: str) -> str | None:
        if revision in repo.commits.values():
            return revision
        return repo.commits.get(revision)

    def route(self, method, path, handler):
        path = unquote(path)
        api = re.fullmatch(r"/api/models/([^/]+/[^/]+)/revision/(.+)", path)
        if api:
            repo = self.repos.get(api.group(1))
            if repo is None:
                return Served(b"", status=404, headers={"X-Error-Code": "RepoNotFound"})
            commit = self._commit(repo, api.group(2))
            if commit is None:
                return Served(b"", status=404, headers={"X-Error-Code": "RevisionNotFound"})
            siblings = []
            for name, data in repo.files.items():
                size = repo.listed_sizes.get(name, len(data))
                entry = {"rfilename": name, "size": size, "blobId": git_blob_id(data)}
                if name in repo.lfs:
                    entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": size, "pointerSize": 134}
                siblings.append(entry)
            body = json.dumps({"id": api.group(1), "modelId": api.group(1), "sha": commit, "private": False,
                               "siblings": siblings}).encode()
            return Served(body, headers={"Content-Type": "application/json"})
        resolve = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if resolve:
            repo = self.repos.get(resolve.group(1))
            if repo is None:
                return Served(b"", status=404, headers={"X-Error-Code": "RepoNotFound"})
            commit = self._commit(repo, resolve.group(2))
            if commit is None:
                return Served(b"", status=404, headers={"X-Error-Code": "RevisionNotFound"})
            name = resolve.group(3)
            fault = repo.faults.get(name)
            if name not in repo.files or (fault is not None and fault.status == 404):
                return Served(b"", status=404, headers={"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit})
            real = repo.files[name]
            data = fault.data if fault is not None and fault.data else real
            headers = {"X-Repo-Commit": commit}
            if name in repo.lfs:
                etag = f'"{hashlib.sha256(real).hexdigest()}"'
                headers.update({"X-Linked-Etag": etag, "X-Linked-Size": str(len(data))})
            else:
                etag = f'"{git_blob_id(real)}"'
            served = fault if fault is not None else Served(data)
            served.data, served.etag = data, etag
            served.headers = {**served.headers, **headers}
            return served
        return None
