"""Telling open pages what the last build did: server-sent events, one stream per page.

The rebuild thread publishes; each page's ``EventSource`` on ``/_bitext/events``
gets the latest status as soon as it connects and every status after it, as
``event: build`` messages whose data is :meth:`BuildStatus.to_json`.
"""

from __future__ import annotations

import asyncio
import json
from typing import AsyncIterator

from translate.serve.rebuild import BuildStatus

#: Seconds between keep-alive comments on an idle stream (so a dead connection is noticed).
KEEPALIVE_SECONDS = 15.0
#: Messages a slow page may fall behind by before older ones are dropped (only the latest matters).
QUEUE_SIZE = 8


def sse(status: BuildStatus) -> str:
    """One server-sent event for a status."""
    return f"event: build\ndata: {json.dumps(status.to_json(), ensure_ascii=False)}\n\n"


class Broadcaster:
    """Fans each status out to every connected page; safe to publish from any thread."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queues: set[asyncio.Queue] = set()
        self.latest = BuildStatus()
        """The last status published."""
        self._closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver to streams served by ``loop`` (the server's event loop, once it runs)."""
        self._loop = loop

    def publish(self, status: BuildStatus) -> None:
        """Record ``status`` and send it to every page (from any thread)."""
        self.latest = status
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._deliver, status)
            except RuntimeError:  # the loop closed meanwhile
                pass

    def close(self) -> None:
        """End every stream (the server is stopping); call from the event loop."""
        self._closed = True
        for queue in list(self._queues):
            self._put(queue, None)

    def _deliver(self, status: BuildStatus | None) -> None:
        for queue in list(self._queues):
            self._put(queue, status)

    @staticmethod
    def _put(queue: asyncio.Queue, item: BuildStatus | None) -> None:
        while queue.full():
            queue.get_nowait()
        queue.put_nowait(item)

    async def stream(self) -> AsyncIterator[str]:
        """The events of one page: a retry hint, the latest status, then each new one; keep-alives between."""
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            yield "retry: 1000\n\n"
            yield sse(self.latest)
            while not self._closed:
                try:
                    status = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if status is None:
                    return
                yield sse(status)
        finally:
            self._queues.discard(queue)
