"""Every check a request to ``bitext serve`` passes, in one place.

* **Host** (every request): the ``Host`` header must name this server — a
  loopback name or the address it was bound to, with its port — so a page on
  another site whose domain is re-pointed at 127.0.0.1 (DNS rebinding) reads
  nothing.
* **Origin and token** (every state-changing request): ``Origin`` must be this
  server, and ``X-Bitext-Token`` the per-run token that only pages served by
  this run carry (CSRF).
* **Size**: request bodies are capped (:data:`MAX_BODY_BYTES`), before they are read.
* **Paths**: only files inside ``build/html`` (and the server's own assets) are
  served: no ``..``, no hidden files, no symbolic link out, only known types.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

#: Largest request body accepted (bytes): a segment's English and a few fields.
MAX_BODY_BYTES = 64 * 1024
#: The header a state-changing request carries its token in.
TOKEN_HEADER = "x-bitext-token"
#: Files served from ``build/html``, by suffix.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """True when ``host`` (a name or an address) only reaches this machine."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh per-run token: 32 random bytes, hex."""
    return secrets.token_hex(32)


@dataclass(frozen=True, slots=True)
class Guard:
    """The host names, origins and token one run of the server accepts."""

    port: int
    """The port the server listens on."""
    token: str = field(default_factory=new_token, repr=False)
    """What every state-changing request must carry in ``X-Bitext-Token``."""
    hosts: frozenset[str] = frozenset()
    """Accepted ``Host`` header values, each ``name:port``."""

    @classmethod
    def for_address(cls, host: str, port: int, token: str | None = None) -> Guard:
        """The guard of a server bound to ``host``: loopback names always, and the bound address's names."""
        names = set(LOOPBACK_NAMES)
        if not is_loopback(host):
            names |= _names_of(host)
        hosts = frozenset(f"{name}:{port}" for name in names)
        return cls(port=port, token=token or new_token(), hosts=hosts)

    def host_ok(self, host_header: str | None) -> bool:
        """True when the ``Host`` header names this server."""
        return bool(host_header) and host_header.lower() in self.hosts

    def origin_ok(self, origin: str | None, host_header: str | None) -> bool:
        """True when ``Origin`` is this server as the request's ``Host`` names it (http, same host and port)."""
        if not origin or not self.host_ok(host_header):
            return False
        parts = urlsplit(origin)
        return parts.scheme == "http" and parts.netloc.lower() == host_header.lower() and not parts.path.strip("/")

    def token_ok(self, token: str | None) -> bool:
        """True when ``token`` is this run's (compared in constant time)."""
        return bool(token) and hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode())


def _names_of(host: str) -> set[str]:
    """The names a browser may use for a non-loopback bind: the address itself, else this machine's names."""
    names: set[str] = set()
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return {host.lower()}
    if not address.is_unspecified:
        return {f"[{address}]" if address.version == 6 else str(address)}
    hostname = socket.gethostname().lower()
    names |= {hostname, f"{hostname}.local"}
    try:
        names |= set(socket.gethostbyname_ex(hostname)[2])
    except OSError:
        pass
    return names


def static_file(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or None when it names nothing servable.

    ``url_path`` is the decoded path of the request. Refused: NUL, backslashes,
    ``.`` and ``..`` segments, hidden names (lock files, temporaries), a path
    that resolves outside ``root`` (a symbolic link), folders without an
    ``index.html``, and file types not in :data:`CONTENT_TYPES`.
    """
    if "\x00" in url_path or "\\" in url_path or len(url_path) > 1024:
        return None
    parts = [part for part in url_path.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        return None
    try:
        base = root.resolve(strict=True)
        resolved = base.joinpath(*parts).resolve()
        if resolved.is_dir():
            resolved = (resolved / "index.html").resolve()
        if not resolved.is_relative_to(base) or not resolved.is_file():
            return None
    except (OSError, RuntimeError, ValueError):  # a loop of links, a name the OS refuses
        return None
    if resolved.suffix.lower() not in CONTENT_TYPES:
        return None
    return resolved
