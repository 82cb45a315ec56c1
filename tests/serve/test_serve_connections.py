"""``bitext serve`` under idle and slow connections (issue 26 §7): a local editor stays usable.

130 sockets that sent only ``GET / HTTP/1.1`` used to hold uvicorn's
connection limit, so every real request got a 503 for at least a minute. Now a
request head and a request body each have a deadline, and connections waiting
for a head are capped (the oldest is closed first), so idle sockets cannot
exhaust anything a real request needs. Every loop here is bounded by a count
or a deadline: the tests stop by themselves.
"""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from translate.serve.connections import BODY_TIMEOUT, HEAD_TIMEOUT, MAX_WAITING


def idle_sockets(port: int, count: int, first: bytes = b"GET / HTTP/1.1\r\n") -> list[socket.socket]:
    """``count`` connections that each send ``first`` and then nothing."""
    sockets = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(first)
        sockets.append(connection)
    return sockets


def closed_by_server(connection: socket.socket, within: float) -> bool:
    """True when the server closes ``connection`` (EOF or reset) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        connection.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            if connection.recv(4096) == b"":
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
    return False


def get(port: int, path: str = "/", timeout: float = 5) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.hostile("serve")
def test_two_hundred_idle_connections_leave_room_for_a_real_request(served):
    idle = idle_sockets(served.port, 200)
    try:
        started = time.monotonic()
        assert get(served.port) == 200  # within the client's 5 s timeout, not after a minute of 503s
        assert get(served.port, "/_bitext/status") == 200
        assert time.monotonic() - started < 5
        open_now = sum(not closed_by_server(s, 0.05) for s in idle)
        assert open_now <= MAX_WAITING, f"{open_now} idle connections still held"
    finally:
        for connection in idle:
            connection.close()


@pytest.mark.hostile("serve")
def test_a_request_head_or_body_that_never_completes_is_closed_at_its_deadline(served):
    # One socket sends half a head, one dribbles a head a byte at a time, one sends a head and half its body;
    # an event stream opened at the same time outlives them all (its request was complete).
    half_head = idle_sockets(served.port, 1, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")[0]
    dribble = idle_sockets(served.port, 1, b"G")[0]
    half_body = idle_sockets(served.port, 1, (
        f"POST /_bitext/proof HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nOrigin: {served.origin}\r\n"
        f"X-Bitext-Token: {served.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        '{"slug": ').encode())[0]
    stream = socket.create_connection(("127.0.0.1", served.port), timeout=5)
    stream.sendall(f"GET /_bitext/events HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
    assert b"200" in stream.recv(4096).split(b"\r\n", 1)[0]
    try:
        started = time.monotonic()
        for byte in b"ET / HTTP/1.1\r\n"[: int(HEAD_TIMEOUT) + 3]:  # one byte a second does not extend the deadline
            time.sleep(1)
            try:
                dribble.sendall(bytes([byte]))
            except OSError:
                break
        limit = max(HEAD_TIMEOUT, BODY_TIMEOUT) + 5 - (time.monotonic() - started)
        assert closed_by_server(half_head, limit), "half a request head was held open past its deadline"
        assert closed_by_server(dribble, 2), "a head dribbled a byte a second was held open past its deadline"
        assert closed_by_server(half_body, 5), "half a request body was held open past its deadline"
        assert not closed_by_server(stream, 0.5), "the event stream was closed with the idle connections"
        assert get(served.port) == 200
        assert "Traceback" not in "".join(served.output), "".join(served.output)[-3000:]
    finally:
        for connection in (half_head, dribble, half_body, stream):
            connection.close()


@pytest.mark.hostile("serve")
def test_requests_past_the_limits_get_a_503_and_streams_have_their_own():
    import asyncio

    from translate.serve.connections import STREAM_PATH, RequestLimit

    async def scenario():
        release = asyncio.Event()

        async def app(scope, receive, send):  # answers after the test says so
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        limited = RequestLimit(app, requests=2, streams=1)

        async def call(path):
            sent = []

            async def send(message):
                sent.append(message)

            await limited({"type": "http", "path": path}, None, send)
            return sent[0]["status"]

        held = [asyncio.create_task(call(p)) for p in ("/a", "/b", STREAM_PATH)]
        await asyncio.sleep(0.01)
        refused = [await call("/c"), await call(STREAM_PATH)]
        release.set()
        answered = await asyncio.gather(*held)
        return refused, answered, await call("/d")

    refused, answered, after = asyncio.run(asyncio.wait_for(scenario(), 10))
    assert refused == [503, 503] and answered == [200, 200, 200] and after == 200
