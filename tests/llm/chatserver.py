"""A real OpenAI-compatible chat server on 127.0.0.1, playing a model the test controls.

``ChatServer(model)`` listens on a free loopback port (``server.url`` is its
``base_url``) and answers ``POST /v1/chat/completions`` by calling ``model(request)``
with a :class:`ChatRequest`; the model returns a :class:`Response`. The default
model, :func:`right_model`, follows the prompt: one English sentence per number,
every glossary target of the sentence in it, numbers, Latin names and URLs kept,
in JSON when the request carries a schema and numbered lines otherwise. Tests
wrap it to misbehave (drop a term, comment, miscount, time out, answer 500…).

Every request is recorded (headers and body) in ``server.requests``. The bench
(``bench/llm.py``) uses the same server with a latency per request.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_URL = re.compile(r"https?://[^\s)）\]】>\"']+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.+\-]*[A-Za-z0-9+]|[A-Za-z]")
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万亿|亿|万|千|百)?")
_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3, "百": 10**2}
_ENTRY = re.compile(r"^- (?P<surface>.+?)(?: \(= (?P<zh>.+?)\))? → (?P<en>.+?)(?: \((?:keep exactly|exact capitals)\))?"
                    r"(?: — .*)?$")
_SENTENCE = re.compile(r"^(\d+)\. (.*)$")
#: Words a placeholder sentence is padded with (never four of one phrase in a row: that is a loop).
_FILLER = "ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt".split()


@dataclass
class Response:
    """What the fake server does with one request."""

    content: str | None = None
    """The assistant message (a 200 answer)."""
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    """A raw body instead of a chat completion (errors, broken JSON)."""
    delay: float = 0.0
    """Seconds to wait before answering (a slow model, a timeout)."""
    finish_reason: str = "stop"
    usage: dict | None = None
    """The ``usage`` the answer reports (default: the request's and answer's sizes / 4; an answer cut at
    ``length`` used all of the request's ``max_tokens``, as a server that hit its limit says)."""
    model: str | None = None
    """The ``model`` the answer names (default: the model the request asked for)."""
    drop: bool = False
    """Close the connection without answering."""
    stream: Callable[[Callable[[bytes], None]], None] | None = None
    """Write the whole HTTP answer yourself, status line and headers included, through the function given
    (a dribble, an endless stream, a gzip bomb); it raises ``ConnectionError`` once the client has gone."""


@dataclass
class ChatRequest:
    """One chat request as the model sees it, with helpers to answer it."""

    number: int
    """1 for the server's first chat request, 2 for the next…"""
    headers: dict
    body: dict

    @property
    def messages(self) -> list[dict]:
        return self.body["messages"]

    @property
    def first_user(self) -> str:
        return next(m["content"] for m in self.messages if m["role"] == "user")

    @property
    def last_user(self) -> str:
        return [m["content"] for m in self.messages if m["role"] == "user"][-1]

    @property
    def turn(self) -> int:
        """1 for a first request, 2 after one correction…"""
        return sum(1 for m in self.messages if m["role"] == "user")

    @property
    def json(self) -> bool:
        """Whether the request asked for JSON with a schema."""
        return "response_format" in self.body

    @property
    def sentences(self) -> dict[int, str]:
        """The numbered Chinese sentences of the block."""
        text = self.first_user.split("Chinese:", 1)[1]
        return {int(m.group(1)): m.group(2) for m in map(_SENTENCE.match, text.strip().splitlines()) if m}

    @property
    def glossary(self) -> list[dict]:
        """The glossary entries the prompt lists: surface, zh, en."""
        if "Glossary" not in self.first_user:
            return []
        text = self.first_user.split("Glossary", 1)[1].split("Chinese:", 1)[0]
        entries = []
        for line in text.splitlines():
            match = _ENTRY.match(line.strip())
            if match:
                entries.append({"surface": match.group("surface"), "zh": match.group("zh") or match.group("surface"),
                                "en": match.group("en")})
        return entries

    @property
    def asked(self) -> list[int]:
        """The sentence numbers this request wants: all of them, or those a correction names."""
        if self.turn > 1:
            found = re.search(r"English of sentences? ([\d, ]+) only", self.last_user)
            if found:
                return [int(n) for n in found.group(1).replace(" ", "").split(",") if n]
        return sorted(self.sentences)

    def right(self) -> dict[int, str]:
        """The English a model following the prompt gives for the sentences asked."""
        entries = self.glossary
        return {n: fake_english(self.sentences[n], entries) for n in self.asked}

    def reply(self, english: dict[int, str], **response) -> Response:
        """A Response giving ``english`` in the format the request asked for."""
        return Response(content=format_answer(english, self.json), **response)


def fake_english(zh: str, entries: list[dict]) -> str:
    """Placeholder English for ``zh`` that a checker cannot fault: the terms' targets, numbers, names, URLs kept."""
    words = ["Lorem"]
    rest = zh
    for entry in sorted(entries, key=lambda e: -len(e["surface"])):
        for form in (entry["surface"], entry["zh"]):
            if form in rest:
                words.append(entry["en"])
                rest = rest.replace(form, " ")
    words += _URL.findall(rest)
    rest = _URL.sub(" ", rest)
    words += _LATIN.findall(rest)
    rest = _LATIN.sub(" ", rest)
    for match in _AMOUNT.finditer(rest):
        number, magnitude = match.groups()
        if magnitude:
            value = float(number.replace(",", "")) * _MAGNITUDES[magnitude]
            words.append(f"{value:.0f}" if value == int(value) else f"{value:g}")
        else:
            words.append(number)
    plain_length = len(_CJK.findall(zh)) + len(re.findall(r"[A-Za-z0-9]", zh)) / 4
    filler = 0
    while len(" ".join(words)) < 1.6 * plain_length + 6:
        words.append(_FILLER[filler % len(_FILLER)])
        filler += 1
    english = " ".join(words) + "."
    for _ in range(zh.count("**") // 2):
        english = "**Lorem** " + english[len("Lorem "):] if english.startswith("Lorem ") else "**x** " + english
    return english


def format_answer(english: dict[int, str], as_json: bool) -> str:
    """Sentences in the JSON or numbered format the engine asks for."""
    if as_json:
        return json.dumps({"translations": [{"n": n, "en": en} for n, en in english.items()]}, ensure_ascii=False)
    return "\n".join(f"{n}. {en}" for n, en in english.items())


def right_model(request: ChatRequest) -> Response:
    """A model that always does as the prompt says."""
    return request.reply(request.right())


class ChatServer:
    """The fake server; use as a context manager, or call ``start()`` and ``stop()``."""

    def __init__(self, model: Callable[[ChatRequest], Response] = right_model, *, latency: float = 0.0,
                 port: int = 0):
        self.model = model
        self.latency = latency
        self.requests: list[ChatRequest] = []
        self.sent_bytes = 0
        """Bytes written by streamed answers (:attr:`Response.stream`)."""
        self.dead = False
        self._port = port
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The ``base_url`` to give the engine."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> int:
        return len(self.requests)

    def start(self) -> "ChatServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # one answer, one segment: no 40 ms wait for a delayed ACK

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, json.dumps({"object": "list", "data": [{"id": "fake", "object": "model"}]}).encode())
                else:
                    self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if server.dead:
                    self.close_connection = True
                    return
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, b'{"error": {"message": "not found"}}')
                    return
                with server._lock:
                    request = ChatRequest(len(server.requests) + 1, dict(self.headers.items()), json.loads(raw))
                    server.requests.append(request)
                response = server.model(request)
                if server._closing.wait(server.latency + response.delay) or server.dead:
                    self.close_connection = True
                    return
                if response.drop:
                    self.close_connection = True
                    return
                if response.stream is not None:
                    self.close_connection = True

                    def write(data: bytes) -> None:
                        if server._closing.is_set():
                            raise ConnectionAbortedError("the server is stopping")
                        self.wfile.write(data)
                        self.wfile.flush()
                        with server._lock:
                            server.sent_bytes += len(data)

                    try:
                        response.stream(write)
                    except (ConnectionError, OSError):
                        pass
                    return
                body = response.body
                if body is None:
                    usage = response.usage or {
                        "prompt_tokens": len(raw) // 4,
                        "completion_tokens": (request.body.get("max_tokens", 0) if response.finish_reason == "length"
                                              else len(response.content or "") // 4)}
                    body = json.dumps({
                        "id": f"chatcmpl-{request.number}", "object": "chat.completion",
                        "model": response.model or request.body["model"],
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": response.content},
                                     "finish_reason": response.finish_reason}],
                        "usage": usage,
                    }, ensure_ascii=False).encode("utf-8")
                self._send(response.status, body, response.headers)

            def _send(self, status: int, body: bytes, headers: dict | None = None):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._httpd = Server(("127.0.0.1", self._port), Handler)
        self.port = self._httpd.server_address[1]
        self.dead = False
        self._closing.clear()
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def kill(self) -> None:
        """Die like a crashed server: refuse new connections and drop the ones open (safe from a handler)."""
        self.dead = True
        if self._httpd is not None:
            httpd, self._httpd = self._httpd, None
            httpd.socket.close()  # connections are refused from now on
            threading.Thread(target=httpd.shutdown, daemon=True).start()

    def stop(self) -> None:
        """Stop serving and wake every sleeping answer."""
        self._closing.set()
        self.kill()

    def restart(self) -> "ChatServer":
        """Listen again on the same port (after :meth:`kill`)."""
        self._port = self.port
        return self.start()

    def __enter__(self) -> "ChatServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
