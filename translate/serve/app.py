"""The ASGI app of ``bitext serve`` (Starlette): the built site, the editor's assets, events and the edit API.

========================  ======  ==================================================
path                      method  what
========================  ======  ==================================================
``/…``                    GET     a file of ``build/html`` (pages with the editor added)
``/_bitext/edit.js|css``  GET     the editor (served only here, never written to build/)
``/_bitext/events``       GET     server-sent events: each build's outcome
``/_bitext/status``       GET     the last build's outcome
``/_bitext/segment``      GET     one segment as the editor opens it (``?slug=…&seg=…``)
``/_bitext/proof``        POST    the proof of a draft
``/_bitext/save``         POST    save a segment's English
``/_bitext/undo``         POST    undo a save
========================  ======  ==================================================

Every request passes :class:`GuardMiddleware` first (host, origin, token, size:
:mod:`.security`); every response carries ``nosniff``, ``no-referrer``,
``no-store`` and a frame ban.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Awaitable, Callable

from translate.errors import BitextError, PostEditError
from translate.postedit.segmentsave import EditConflictError
from translate.serve.editing import EditDesk
from translate.serve.events import Broadcaster
from translate.serve.pages import header_policy, serve_page
from translate.serve.rebuild import Rebuilder
from translate.serve.security import CONTENT_TYPES, MAX_BODY_BYTES, TOKEN_HEADER, Guard, static_file

#: The editor's files, served at ``/_bitext/<name>``.
ASSETS = Path(__file__).parent / "assets"
ASSET_TYPES = {"edit.js": CONTENT_TYPES[".js"], "edit.css": CONTENT_TYPES[".css"]}
#: Headers on every response.
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
_ALLOWED_METHODS = {"GET", "HEAD", "POST"}


class GuardMiddleware:
    """Refuses what :class:`~translate.serve.security.Guard` does not allow, before any handler runs."""

    def __init__(self, app, guard: Guard):
        self.app = app
        self.guard = guard

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"].upper()
        refusal = self.refusal(method, headers)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *COMMON_HEADERS]}
            await send(message)

        if refusal is not None:
            status, message = refusal
            return await _send_json(send_with_headers, status, {"error": message})
        return await self.app(scope, _capped(receive), send_with_headers)

    def refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        """(status, reason) when the request is refused, else None."""
        if not self.guard.host_ok(headers.get("host")):
            return 421, "unknown Host: open the address bitext serve printed"
        if method not in _ALLOWED_METHODS:
            return 405, "method not allowed"
        if method in _STATE_CHANGING:
            if not self.guard.origin_ok(headers.get("origin"), headers.get("host")):
                return 403, "cross-origin request refused: the Origin must be this server"
            if not self.guard.token_ok(headers.get(TOKEN_HEADER)):
                return 403, "missing or wrong token: reload the page (each run of bitext serve has its own)"
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                return 411, "a request body needs a Content-Length"
            if int(length) > MAX_BODY_BYTES:
                return 413, f"request body larger than {MAX_BODY_BYTES // 1024} KiB"
        return None


class _BodyTooLarge(Exception):
    """A body grew past :data:`MAX_BODY_BYTES` whatever its Content-Length said."""


def _capped(receive):
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise _BodyTooLarge
        return message

    return wrapped


async def _send_json(send, status: int, data: dict) -> None:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(*, guard: Guard, rebuilder: Rebuilder, broadcaster: Broadcaster, html_dir: Callable[[], Path],
               on_startup: Callable[[], None] | None = None):
    """The app; ``html_dir`` names the folder to serve (it follows ``paths.build`` of the last build)."""
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    desk = EditDesk(rebuilder)

    def error(status: int, message: str, **extra: Any) -> JSONResponse:
        return JSONResponse({"error": message, **extra}, status_code=status)

    async def site(request: Request) -> Response:
        path = static_file(html_dir(), request.scope["path"])
        if path is None:
            if request.scope["path"] == "/favicon.ico":  # browsers ask for it; the edition has none
                return Response(status_code=204)
            return error(404, "not found")
        suffix = path.suffix.lower()
        data = await run_in_threadpool(path.read_bytes)
        headers = {}
        if suffix == ".html":
            page = data.decode("utf-8", "replace")
            status = broadcaster.latest
            headers["content-security-policy"] = header_policy(page)
            # A page the build under way has still to write is the last build's: it reloads when that one is done.
            generation = status.generation - 1 if path.name in status.pending else status.generation
            data = serve_page(page, token=guard.token, generation=generation, error=status.error).encode()
        else:
            headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'"
        return Response(data if request.method != "HEAD" else b"", media_type=CONTENT_TYPES[suffix],
                        headers={**headers, "content-length": str(len(data))})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSET_TYPES:
            return error(404, "not found")
        data = (ASSETS / name).read_bytes()
        return Response(data, media_type=ASSET_TYPES[name],
                        headers={"content-security-policy": "default-src 'none'; frame-ancestors 'none'"})

    async def events(request: Request) -> Response:
        return StreamingResponse(broadcaster.stream(), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    async def status(request: Request) -> Response:
        return JSONResponse(broadcaster.latest.to_json())

    async def api(call: Callable[[], Awaitable[dict]]) -> Response:
        try:
            return JSONResponse(await call())
        except EditConflictError as exc:
            return error(409, exc.message, conflict=exc.kind, current=exc.current, yours=exc.yours,
                         version=exc.version, zh=exc.zh)
        except PostEditError as exc:
            return error(422, exc.message)
        except BitextError as exc:
            return error(422, str(exc))
        except _BodyTooLarge:
            return error(413, f"request body larger than {MAX_BODY_BYTES // 1024} KiB")
        except _BadRequest as exc:
            return error(400, str(exc))
        except ClientDisconnect:  # the client left (or its body missed its deadline): nobody reads an answer
            return Response(status_code=400)

    async def segment(request: Request) -> Response:
        slug, seg = request.query_params.get("slug", ""), request.query_params.get("seg", "")
        return await api(lambda: run_in_threadpool(desk.segment, slug, seg))

    async def proof(request: Request) -> Response:
        async def call():
            body = await _json_body(request, "slug", "seg", "en")
            return await run_in_threadpool(desk.proof, body["slug"], body["seg"], body["en"])
        return await api(call)

    async def save(request: Request) -> Response:
        async def call():
            body = await _json_body(request, "slug", "seg", "zh", "en", "version")
            return await run_in_threadpool(lambda: desk.save(body["slug"], body["seg"], zh=body["zh"], en=body["en"],
                                                             version=body["version"]))
        return await api(call)

    async def undo(request: Request) -> Response:
        async def call():
            body = await _json_body(request, "undo")
            return await run_in_threadpool(desk.undo, body["undo"])
        return await api(call)

    async def not_found(request: Request) -> Response:
        return error(404, "not found")

    @asynccontextmanager
    async def lifespan(app):
        broadcaster.bind(asyncio.get_running_loop())
        if on_startup is not None:
            on_startup()
        yield

    routes = [
        Route("/_bitext/events", events, methods=["GET"]),
        Route("/_bitext/status", status, methods=["GET"]),
        Route("/_bitext/segment", segment, methods=["GET"]),
        Route("/_bitext/proof", proof, methods=["POST"]),
        Route("/_bitext/save", save, methods=["POST"]),
        Route("/_bitext/undo", undo, methods=["POST"]),
        Route("/_bitext/{name}", asset, methods=["GET", "HEAD"]),
        Route("/_bitext/{rest:path}", not_found, methods=["GET", "HEAD", "POST"]),
        Route("/{path:path}", site, methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    return GuardMiddleware(app, guard)


class _BadRequest(Exception):
    """A body that is not the JSON object an endpoint expects."""


async def _json_body(request, *fields: str) -> dict[str, str]:
    """The request's JSON object with ``fields``, each a string; :class:`_BadRequest` otherwise."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _BadRequest("send JSON (Content-Type: application/json)")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise _BodyTooLarge
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _BadRequest("the body is not JSON") from exc
    if not isinstance(body, dict):
        raise _BadRequest("the body must be a JSON object")
    for name in fields:
        if not isinstance(body.get(name), str):
            raise _BadRequest(f"field {name!r} must be a string")
    return body
