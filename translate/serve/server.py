"""Running ``bitext serve``: bind, build, watch, serve until Ctrl+C, stop everything it started."""

from __future__ import annotations

import errno
import socket
import threading
import webbrowser
from dataclasses import dataclass
from typing import Callable

from translate.serve import ServeError, require_serve
from translate.settings import Settings

#: Seconds open event streams get to close when the server stops.
SHUTDOWN_GRACE = 1


@dataclass(frozen=True, slots=True)
class Address:
    """Where the server listens."""

    host: str
    """The address bound (``127.0.0.1`` by default)."""
    port: int
    """The port bound (the one the OS chose, for ``--port 0``)."""

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; :class:`ServeError` saying what to do when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host!r} ({exc.strerror}); pass --host 127.0.0.1") from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use; pass another --port (or --port 0 for any free one)") from exc
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror}); pass another --host or --port") from exc
    return sock


def run_server(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
               pdf: bool = True, engine_name: str | None = None, log: Callable[[str], None] = print,
               warn: Callable[[str], None] = print) -> None:
    """Build the HTML, serve it with the editor, rebuild on every change, until interrupted."""
    require_serve()
    from translate.serve.security import is_loopback

    if not is_loopback(host):
        warn(f"--host {host}: the edition and its editor can be reached from other machines; anyone who opens a "
             "page can change the PO stores. Use this on a trusted network only (the default is 127.0.0.1).")
    sock = bind(host, port)
    try:
        _serve(settings, sock, Address(host, sock.getsockname()[1]), open_browser=open_browser, pdf=pdf,
               engine_name=engine_name, log=log, warn=warn)
    finally:
        sock.close()


def _serve(settings: Settings, sock: socket.socket, address: Address, *, open_browser: bool, pdf: bool,
           engine_name: str | None, log: Callable[[str], None], warn: Callable[[str], None]) -> None:
    import uvicorn

    from translate.serve.app import create_app
    from translate.serve.connections import RequestLimit, guarded_protocol
    from translate.serve.events import Broadcaster
    from translate.serve.rebuild import Rebuilder
    from translate.serve.security import Guard
    from translate.serve.watch import Inputs, Watcher

    guard = Guard.for_address(address.host, address.port)
    broadcaster = Broadcaster()
    rebuilder = Rebuilder(settings.root, publish=broadcaster.publish, log=log, background=pdf,
                          engine_name=engine_name)
    log("Building the HTML …")
    first = rebuilder.build_now()
    if first.error:
        warn(f"the first build failed: {first.error}")

    def changed(paths: list[str]) -> None:
        names = ", ".join(sorted({p.rsplit("/", 1)[-1] for p in paths}))
        log(f"Changed: {names}")
        rebuilder.request()

    watcher = Watcher(Inputs.of(settings), changed)

    def started() -> None:
        log(f"Serving {settings.build_dir / 'html'} at {address.url} (Ctrl+C to stop)")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(address.url,), daemon=True).start()

    app = RequestLimit(create_app(guard=guard, rebuilder=rebuilder, broadcaster=broadcaster,
                                  html_dir=lambda: rebuilder.settings.build_dir / "html", on_startup=started))

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None):
            broadcaster.close()  # event streams end now instead of holding the shutdown
            await super().shutdown(sockets)

    # No limit_concurrency: it counts connections, which idle sockets hold (see translate.serve.connections).
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", server_header=False,
                            timeout_graceful_shutdown=SHUTDOWN_GRACE, http=guarded_protocol(),
                            h11_max_incomplete_event_size=32 * 1024)
    try:
        watcher.start()
        rebuilder.start()
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl+C it handled: stopping is what was asked
        pass
    finally:
        watcher.stop()
        rebuilder.stop()
        log("Stopped.")
