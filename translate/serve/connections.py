"""Connections of ``bitext serve``: every request has a deadline, and idle sockets cannot take its room.

uvicorn's ``limit_concurrency`` counts connections, and uvicorn gives a request
head no deadline: 130 sockets that sent only ``GET / HTTP/1.1`` held the limit
for as long as their client liked, and every real request got a 503. Instead:

- A request head must be complete :data:`HEAD_TIMEOUT` seconds after its
  connection opened or the previous response ended (bytes dribbled meanwhile do
  not extend it), and a request body :data:`BODY_TIMEOUT` seconds after its
  head; a connection past its deadline is closed (:func:`guarded_protocol`).
- At most :data:`MAX_WAITING` connections wait for a head (idle keep-alive ones
  included); a new one closes the one that has waited longest. A real request's
  head arrives with its connection, so idle sockets can only push out each other.
- At most :data:`MAX_REQUESTS` requests are answered at once, and
  :data:`MAX_STREAMS` event streams are open; past either a request gets a 503
  at once (:class:`RequestLimit`). Both count requests whose head was complete,
  which an idle socket never sends.

An event stream (``/_bitext/events``) is a request that is being answered, so no
deadline applies to it.
"""

from __future__ import annotations

import asyncio
import json

HEAD_TIMEOUT = 10.0
"""Seconds a request head may take, from its connection (or the previous response) to its blank line."""
BODY_TIMEOUT = 10.0
"""Seconds a request body (at most 64 KiB) may take after its head."""
MAX_WAITING = 64
"""Connections waiting for a request head; a new one closes the one that has waited longest."""
MAX_REQUESTS = 64
"""Requests answered at once (event streams apart); past it, 503."""
MAX_STREAMS = 64
"""Event streams open at once (one per open page); past it, 503."""
STREAM_PATH = "/_bitext/events"
"""The path of the event stream (counted under :data:`MAX_STREAMS`)."""


def guarded_protocol(*, head_timeout: float = HEAD_TIMEOUT, body_timeout: float = BODY_TIMEOUT,
                     max_waiting: int = MAX_WAITING) -> type:
    """uvicorn's h11 protocol with deadlines on request heads and bodies and a cap on connections waiting.

    Each call makes a class with its own set of waiting connections: one per server.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    # Connections waiting for a request head, the one waiting longest first (dicts keep insertion order).
    waiting: dict[H11Protocol, None] = {}

    class GuardedH11Protocol(H11Protocol):
        _phase = ""
        """``head`` (waiting for a request head), ``body`` (reading a body) or ``""`` (answering)."""
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._follow()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._follow()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._follow()

        def connection_lost(self, exc: Exception | None) -> None:
            waiting.pop(self, None)
            self._cancel()
            super().connection_lost(exc)

        def _follow(self) -> None:
            """Start the deadline of the phase the connection is in now, when that phase just began."""
            if self.transport.is_closing():
                waiting.pop(self, None)
                self._cancel()
                return
            state = self.conn.their_state
            phase = "head" if state is h11.IDLE else "body" if state is h11.SEND_BODY else ""
            if phase == self._phase:
                return
            self._phase = phase
            self._cancel()
            if phase == "head":
                waiting[self] = None
                self._deadline = self.loop.call_later(head_timeout, self._expire)
                while len(waiting) > max_waiting:
                    oldest = next(iter(waiting))
                    oldest._expire()
            else:
                waiting.pop(self, None)
                if phase == "body":
                    self._deadline = self.loop.call_later(body_timeout, self._expire)

        def _cancel(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            waiting.pop(self, None)
            self._cancel()
            self.transport.close()

    return GuardedH11Protocol


class RequestLimit:
    """ASGI middleware: at most so many requests answered at once, and so many event streams, else a 503."""

    def __init__(self, app, *, requests: int = MAX_REQUESTS, streams: int = MAX_STREAMS):
        self.app = app
        self.limits = {"requests": requests, "streams": streams}
        self.active = {"requests": 0, "streams": 0}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        kind = "streams" if scope.get("path") == STREAM_PATH else "requests"
        if self.active[kind] >= self.limits[kind]:
            body = json.dumps({"error": f"too many {kind} at once; try again in a moment"}).encode()
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                    (b"retry-after", b"1")]})
            await send({"type": "http.response.body", "body": body})
            return None
        self.active[kind] += 1
        try:
            return await self.app(scope, receive, send)
        finally:
            self.active[kind] -= 1
