"""The LLM engine's HTTP side: one OpenAI-compatible ``chat/completions`` call, with its faults.

Built on httpx (imported here, and this module only when the ``llm`` engine
translates, so ``--help`` and other builds never load it). Faults end in one line:

- nothing listening at ``llm.base_url`` before any answer: how to start the
  server (``ollama serve``, ``ollama pull MODEL``);
- timeouts, HTTP 429 (its ``Retry-After`` honoured) and 5xx, or a server that went
  away mid-build: ``llm.http_retries`` tries again with doubling waits from
  ``llm.backoff``, then :class:`ServerFailed`;
- a refused key (401/403), an unknown model (404), any other 4xx: at once.

A server that refuses ``response_format`` (HTTP 400 naming it, or any 400 to a
request carrying it) is asked again without it, and from then on the engine uses
the numbered format. The API key goes only into the ``Authorization`` header.
"""

from __future__ import annotations

import email.utils
import ipaddress
import threading
import time
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urlsplit, urlunsplit

from translate.errors import EngineError

#: Longest wait a server's Retry-After may impose, in seconds.
MAX_RETRY_AFTER = 120.0


class ServerFailed(EngineError):
    """The LLM server kept failing (timeouts, 429, 5xx, connection lost) after every try again."""


class Cancelled(Exception):
    """Another request failed for good: this one stops before asking again."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer of the server."""

    content: str
    """The message text (may be empty)."""
    truncated: bool
    """True when the server stopped at ``max_tokens`` (``finish_reason == "length"``)."""


def shown_url(url: str) -> str:
    """``url`` without any user name or password, as messages show it."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    return urlunsplit(parts._replace(netloc=netloc + (f":{parts.port}" if parts.port else "")))


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is this machine (``localhost``, 127.0.0.0/8, ``::1``); no name is looked up."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def leaves_machine_warning(url: str) -> str | None:
    """The warning for a ``base_url`` that is not on this machine, or None."""
    if is_loopback(url):
        return None
    parts = urlsplit(url)
    how = " unencrypted (http)" if parts.scheme == "http" else ""
    return (f"llm.base_url {shown_url(url)} is not on this machine: the articles' text is sent to "
            f"{parts.hostname}{how} to be translated")


class ChatClient:
    """Sends chat requests to one server; safe to share between threads."""

    def __init__(self, base_url: str, *, model: str, api_key: str | None, timeout: float, http_retries: int,
                 backoff: float, concurrency: int, stop: threading.Event | None = None):
        import httpx

        self._httpx = httpx
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.http_retries = http_retries
        self.backoff = backoff
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self.json_schema = True
        """Whether to send ``response_format`` (False once the server refused it)."""
        self.answered = 0
        """Requests the server answered."""
        self.requests = 0
        """Requests sent, tries again included."""
        self.retries = 0
        """Tries again after a timeout, 429, 5xx or lost connection."""
        self._lock = threading.Lock()
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            trust_env=False,  # no proxy from the environment: a loopback server stays loopback
        )

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def complete(self, messages: Sequence[dict], *, schema: dict | None, temperature: float, seed: int,
                 max_tokens: int) -> Reply:
        """One chat completion, tried again on timeouts, 429, 5xx and lost connections."""
        payload = {"model": self.model, "messages": list(messages), "temperature": temperature, "seed": seed,
                   "max_tokens": max_tokens, "stream": False}
        attempt = 0
        while True:
            if self.stop.is_set():
                raise Cancelled()
            with_schema = schema is not None and self.json_schema
            body = dict(payload)
            if with_schema:
                body["response_format"] = {"type": "json_schema",
                                           "json_schema": {"name": "translations", "strict": True, "schema": schema}}
            problem, wait = self._send(body, with_schema)
            if isinstance(problem, Reply):
                return problem
            if problem is None:  # the server refused response_format: ask again without it, at once
                continue
            if attempt >= self.http_retries:
                raise ServerFailed(f"the LLM server at {shown_url(self.base_url)} {problem}, {attempt + 1} "
                                   f"time{'s' if attempt else ''} in a row")
            attempt += 1
            with self._lock:
                self.retries += 1
            delay = wait if wait is not None else self.backoff * 2 ** (attempt - 1)
            if self.stop.wait(min(delay, MAX_RETRY_AFTER)):
                raise Cancelled()

    def _send(self, body: dict, with_schema: bool) -> tuple[Reply | str | None, float | None]:
        """One POST: a Reply, or why to try again (and how long the server asked to wait), or None to drop the schema."""
        httpx = self._httpx
        with self._lock:
            self.requests += 1
        try:
            response = self._http.post("chat/completions", json=body)
        except httpx.ConnectError as exc:
            if not self.answered:
                raise EngineError(self._not_running(exc)) from None
            return "stopped answering (connection refused)", None
        except httpx.TimeoutException:
            return f"gave no answer within {self.timeout:g} s (llm.timeout)", None
        except httpx.TransportError as exc:
            return f"dropped the connection ({type(exc).__name__})", None
        status = response.status_code
        if status == 200:
            try:
                data = response.json()
                choice = data["choices"][0]
                content = choice["message"].get("content") or ""
                truncated = choice.get("finish_reason") == "length"
            except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                return "sent a reply that is not a chat completion", None
            with self._lock:
                self.answered += 1
            return Reply(str(content), truncated), None
        message = _error_message(response)
        if status == 400 and with_schema:
            self.json_schema = False
            return None, None
        if status in (401, 403):
            raise EngineError(f"the LLM server at {shown_url(self.base_url)} refused the request (HTTP {status}"
                              f"{': ' + message if message else ''}); check the API key in the environment "
                              f"variable llm.api_key_env names")
        if status == 404:
            raise EngineError(f"the LLM server at {shown_url(self.base_url)} has no model {self.model!r} "
                              f"(HTTP 404{': ' + message if message else ''}); pull it (Ollama: `ollama pull "
                              f"{self.model}`) or set llm.model to a model it serves")
        if status == 429 or status >= 500:
            return f"answered HTTP {status}{' (' + message + ')' if message else ''}", _retry_after(response)
        raise EngineError(f"the LLM server at {shown_url(self.base_url)} refused the request (HTTP {status}"
                          f"{': ' + message if message else ''})")

    def _not_running(self, exc: Exception) -> str:
        return (f"cannot reach the LLM server at {shown_url(self.base_url)} ({_reason(exc)}); start it (Ollama: "
                f"`ollama serve`, then `ollama pull {self.model}`) or set llm.base_url in edition.toml")


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolve" in text:
        return "unknown host"
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


def _error_message(response) -> str:
    """The server's own error text, shortened to one line."""
    try:
        data = response.json()
        error = data.get("error", data) if isinstance(data, dict) else data
        text = error.get("message", "") if isinstance(error, dict) else str(error)
    except ValueError:
        text = response.text
    return " ".join(str(text).split())[:160]


def _retry_after(response) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), if any."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
