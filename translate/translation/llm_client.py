"""The LLM engine's HTTP side: one OpenAI-compatible ``chat/completions`` call, with its faults.

Built on httpx (imported here, and this module only when the ``llm`` engine
translates, so ``--help`` and other builds never load it). Faults end in one line:

- nothing listening at ``llm.base_url`` before any answer: how to start the
  server (``ollama serve``, ``ollama pull MODEL``);
- timeouts, HTTP 429 (its ``Retry-After`` honoured) and 5xx, or a server that went
  away mid-build: ``llm.http_retries`` tries again with doubling waits from
  ``llm.backoff``, then :class:`ServerFailed`;
- a refused key (401/403), an unknown model (404), any other 4xx: at once.

A server that refuses a JSON schema (any HTTP 400 to a request carrying one, other
than a context overflow) is asked again with the next of
:data:`~translate.translation.llm_prompt.SCHEMA_DIALECTS` (the per-position schema,
then the older one-shape schema), and after the last without ``response_format``: from
then on the engine uses the numbered format.

A server's answer is untrusted input, and so is what it says about itself:

- **time**: one request, from connecting to the last byte, ends at ``llm.timeout``
  however the server dribbles its headers or body (an endless event stream too);
- **size**: at most :func:`answer_bytes_limit` bytes are read, counted *decoded*: a
  gzip or deflate body is inflated in bounded steps, so a bomb stops at the cap,
  and no other content coding is accepted; a larger answer is refused (the engine
  asks again, as for an answer cut off at ``max_tokens``);
- **depth**: JSON nested deeper than
  :data:`~translate.translation.untrusted.MAX_JSON_DEPTH` is refused before it is parsed;
- **secrets**: an error line quotes the server's message only after removing
  whatever matches the API key or the URL's credentials (plain, percent-decoded, or
  base64 as a Basic header carries them), and any word sharing eight characters with one.

Credentials: the API key (``llm.api_key_env``) goes only into an
``Authorization: Bearer`` header. A user name and password in ``llm.base_url`` are
sent as ``Authorization: Basic`` only when there is no API key; with both, the
Bearer header alone is sent (the key is the setting made for this), and the engine
warns that the URL's credentials are not used. Credentials never appear in a
message (:func:`shown_url`).
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Callable, Sequence
from urllib.parse import unquote, urlsplit, urlunsplit

from translate.errors import EngineError
from translate.translation.llm_prompt import SCHEMA_DIALECTS
from translate.translation.untrusted import encodable, loads_bounded, printable

#: Longest wait a server's Retry-After may impose, in seconds.
MAX_RETRY_AFTER = 120.0

#: What an answer may weigh, decoded: this floor, plus this many bytes per token of ``max_tokens``
#: (a token is a few characters; JSON escapes and the server's own fields take the rest).
ANSWER_BYTES_FLOOR = 256 * 1024
ANSWER_BYTES_PER_TOKEN = 32
#: Bytes taken from the connection at a time (a compressed piece is inflated at most to what is left of the cap).
_READ_CHUNK = 16 * 1024
#: The content codings a server may use (and the only ones asked for).
_CODINGS = ("identity", "gzip", "x-gzip", "deflate")
#: The longest piece of a server's message an error line quotes.
_MESSAGE_LIMIT = 160
#: Shared runs this long (or a whole secret when shorter) make a word of a server's message a secret's.
_SECRET_PIECE = 8


#: What to change when a request or its answer does not fit the server's context, in each server's words.
CONTEXT_ADVICE = ("give the server a larger context (llama-server -c N, Ollama num_ctx, vLLM --max-model-len, "
                  "LM Studio's context length) or set llm.context = \"sentence\" in edition.toml")


def answer_bytes_limit(max_tokens: int) -> int:
    """The most bytes (decoded) read of one answer asking for at most ``max_tokens`` tokens."""
    return ANSWER_BYTES_FLOOR + ANSWER_BYTES_PER_TOKEN * max_tokens


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
    refused: str = ""
    """Why the answer was not read (larger than :func:`answer_bytes_limit`); empty for an answer read."""
    model: str = ""
    """The model the server says answered (its ``model`` field: printable, at most 80 characters), or empty."""
    prompt_tokens: int | None = None
    """The request's tokens, as the server counted them (``usage``), if it said."""
    completion_tokens: int | None = None
    """The answer's tokens, as the server counted them (``usage``), if it said."""


def base_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as ``llm.base_url`` (never quoting it: it may hold credentials), or None."""
    if not isinstance(url, str) or not url:
        return "is empty"
    if any(not c.isprintable() or c.isspace() for c in url):
        return "holds a control character or a space"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number in range)
    except ValueError as exc:
        return f"is not a URL ({str(exc)[:60]})"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host"
    try:
        ipaddress.ip_address(parts.hostname.partition("%")[0])
    except ValueError:
        try:
            parts.hostname.encode("idna")
        except UnicodeError as exc:
            return f"has a host name that cannot be looked up ({str(exc)[:60]})"
    return None


def shown_url(url: str) -> str:
    """``url`` without any user name or password, as messages show it."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def url_credentials(url: str) -> tuple[str, str] | None:
    """The user name and password in ``url`` (percent-decoded), or None."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return None
    return unquote(parts.username or ""), unquote(parts.password or "")


def secrets_of(url: str, api_key: str | None) -> tuple[str, ...]:
    """Every form in which the key or the URL's credentials could come back in a server's message."""
    found: list[str] = []
    if api_key:
        found += [api_key, f"Bearer {api_key}"]
    parts = urlsplit(url)
    for raw in (parts.username, parts.password):
        if raw:
            found += [raw, unquote(raw)]
    credentials = url_credentials(url)
    if credentials:
        pair = f"{credentials[0]}:{credentials[1]}"
        found += [pair, base64.b64encode(pair.encode("utf-8")).decode("ascii"),
                  base64.b64encode(pair.encode("latin-1", "replace")).decode("ascii")]
    return tuple(sorted({s for s in found if s}, key=len, reverse=True))


def redact(text: str, secrets: Sequence[str], *, words: bool = True) -> str:
    """``text`` with every secret, and every word sharing a run of eight characters with one, as ``[redacted]``.

    A word sharing a shorter run is kept (a one-letter user name would redact every word),
    unless the secret is that short and the word is it. With ``words`` False (an answer's
    text, where a common word may be a password's), only secrets of six characters or
    more are replaced, where they occur whole.
    """
    for secret in secrets:
        if len(secret) >= (3 if words else 6):
            text = text.replace(secret, "[redacted]")
    if not words:
        return text
    pieces = {secret[i:i + _SECRET_PIECE] for secret in secrets if len(secret) >= _SECRET_PIECE
              for i in range(len(secret) - _SECRET_PIECE + 1)}
    short = {secret for secret in secrets if len(secret) < _SECRET_PIECE}
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        if token in short or token.strip(".,;:'\"()[]{}") in short or any(piece in token for piece in pieces):
            tokens[i] = "[redacted]"
    return " ".join(tokens)


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


class _Unreadable(Exception):
    """An answer whose bytes cannot be read (a content coding not asked for, broken gzip)."""


@dataclass(frozen=True, slots=True)
class _Answer:
    """The bytes of one HTTP answer, read within the bounds."""

    status: int
    headers: object
    data: bytes
    """The body, decoded, at most the cap."""
    too_large: bool
    """True when the body went past the cap (``data`` is its first bytes)."""


class _Inflater:
    """A gzip or deflate body inflated piece by piece, each piece at most as large as the caller allows."""

    def __init__(self, coding: str):
        self.coding = coding
        self._z = None if coding == "deflate" else zlib.decompressobj(zlib.MAX_WBITS | 32)

    def __call__(self, data: bytes, room: int) -> bytes:
        if self._z is None and data:
            # "deflate" is zlib-wrapped by the standard, raw in some servers: the first two bytes tell.
            wrapped = len(data) > 1 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            return self._z.decompress(data, room) if data else b""
        except zlib.error as exc:
            raise _Unreadable(f"its {self.coding} body is broken ({exc})") from None


def _inflater(coding: str) -> _Inflater | None:
    """The decoder of a ``Content-Encoding`` (None for identity); :class:`_Unreadable` for any other."""
    codings = [c.strip() for c in coding.lower().split(",") if c.strip()] or ["identity"]
    if len(codings) > 1 or codings[0] not in _CODINGS:
        raise _Unreadable(f"it used a content coding not asked for ({printable(coding)[:40]})")
    return None if codings[0] == "identity" else _Inflater("gzip" if codings[0] == "x-gzip" else codings[0])


class ChatClient:
    """Sends chat requests to one server; safe to share between threads."""

    def __init__(self, base_url: str, *, model: str, api_key: str | None, timeout: float, http_retries: int,
                 backoff: float, concurrency: int, stop: threading.Event | None = None):
        import httpx

        problem = base_url_problem(base_url)
        if problem:
            raise EngineError(f"llm.base_url {problem}; write it as http://host:port/v1")
        self._httpx = httpx
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.http_retries = http_retries
        self.backoff = backoff
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self.dialects: list[str] = list(SCHEMA_DIALECTS)
        """The JSON schema dialects still to try, the one sent first (empty once the server refused them all)."""
        self.refusals: list[str] = []
        """What the server said when it refused a schema dialect, one line each."""
        self.answered = 0
        """Requests the server answered."""
        self.requests = 0
        """Requests sent, tries again included."""
        self.retries = 0
        """Tries again after a timeout, 429, 5xx or lost connection."""
        self._lock = threading.Lock()
        self._secrets = secrets_of(base_url, api_key)
        self._has_key = bool(api_key)
        # The key wins over the URL's credentials (see the module's docstring); the URL itself never carries them.
        headers = {"Accept-Encoding": "gzip, deflate"}
        auth = None
        credentials = url_credentials(base_url)
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        elif credentials:
            auth = httpx.BasicAuth(*credentials)
        self._http = httpx.Client(
            base_url=shown_url(self.base_url) + "/",
            headers=headers,
            auth=auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            # Twice the requests in flight: a request abandoned at its deadline may hold its connection a moment.
            limits=httpx.Limits(max_connections=2 * concurrency, max_keepalive_connections=concurrency),
            trust_env=False,  # no proxy from the environment: a loopback server stays loopback
        )

    @property
    def json_schema(self) -> bool:
        """Whether requests carry ``response_format`` (False once the server refused every dialect)."""
        return bool(self.dialects)

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def complete(self, messages: Sequence[dict], *, schema: Callable[[str], dict] | None, temperature: float,
                 seed: int, max_tokens: int) -> Reply:
        """One chat completion, tried again on timeouts, 429, 5xx and lost connections.

        ``schema`` gives the JSON schema of the answer in a dialect (None: no schema asked).
        """
        payload = {"model": self.model, "messages": list(messages), "temperature": temperature, "seed": seed,
                   "max_tokens": max_tokens, "stream": False}
        limit = answer_bytes_limit(max_tokens)
        attempt = 0
        while True:
            if self.stop.is_set():
                raise Cancelled()
            dialect = self.dialects[0] if schema is not None and self.dialects else None
            body = dict(payload)
            if dialect is not None:
                body["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "translations", "strict": True, "schema": schema(dialect)}}
            problem, wait = self._send(body, dialect, limit)
            if isinstance(problem, Reply):
                return problem
            if problem is None:  # the server refused this schema: ask again with the next dialect or none, at once
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

    def _send(self, body: dict, dialect: str | None, limit: int) -> tuple[Reply | str | None, float | None]:
        """One POST: a Reply, or why to try again (and how long the server asked to wait), or None to drop the schema."""
        httpx = self._httpx
        with self._lock:
            self.requests += 1
        try:
            answer = self._post(body, limit)
        except httpx.ConnectError as exc:
            if not self.answered:
                raise EngineError(self._not_running(exc)) from None
            return "stopped answering (connection refused)", None
        except httpx.TimeoutException:
            answer = None
        except httpx.TransportError as exc:
            return f"dropped the connection ({type(exc).__name__})", None
        except _Unreadable as exc:
            return f"sent a reply that cannot be read: {exc}", None
        except (httpx.InvalidURL, UnicodeError) as exc:  # a host name the resolver's IDNA rules refuse
            raise EngineError(f"llm.base_url cannot be used ({printable(str(exc))[:80]}); write it as "
                              f"http://host:port/v1") from None
        if answer is None:
            return f"gave no answer within {self.timeout:g} s (llm.timeout)", None
        status = answer.status
        if status == 200:
            if answer.too_large:
                with self._lock:
                    self.answered += 1
                return Reply("", False, refused=f"the answer was larger than {limit:,} bytes"), None
            try:
                data = loads_bounded(answer.data.decode("utf-8"))
                choice = data["choices"][0]
                content = _text_of(choice["message"].get("content"))
                truncated = choice.get("finish_reason") == "length"
                usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
            except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
                return "sent a reply that is not a chat completion", None
            with self._lock:
                self.answered += 1
            # Lone surrogates can be written nowhere (not even to the memory); the key never goes into a book.
            return Reply(redact(encodable(content), self._secrets, words=False), truncated,
                         model=self._model_named(data.get("model")),
                         prompt_tokens=_count(usage.get("prompt_tokens")),
                         completion_tokens=_count(usage.get("completion_tokens"))), None
        message = self._error_message(answer)
        if status == 400 and _context_exceeded(answer, message):
            # llama-server's exceed_context_size_error, vLLM's "maximum context length": not a refused schema.
            raise EngineError(f"the request is longer than the context of the LLM server at "
                              f"{shown_url(self.base_url)} (HTTP 400: {message}); {CONTEXT_ADVICE}")
        if status == 400 and dialect is not None:
            with self._lock:
                if self.dialects and self.dialects[0] == dialect:  # not yet stepped down by another request
                    self.refusals.append(f"{self.dialects.pop(0)}: HTTP 400{': ' + message if message else ''}")
            return None, None
        if status in (401, 403):
            advice = ("check the API key in the environment variable llm.api_key_env names" if self._has_key else
                      "it wants an API key: put the key in an environment variable and set llm.api_key_env in "
                      "edition.toml to that variable's name")
            raise EngineError(f"the LLM server at {shown_url(self.base_url)} refused the request (HTTP {status}"
                              f"{': ' + message if message else ''}); {advice}")
        if status == 404:
            raise EngineError(f"the LLM server at {shown_url(self.base_url)} has no model {self.model!r} "
                              f"(HTTP 404{': ' + message if message else ''}); pull it (Ollama: `ollama pull "
                              f"{self.model}`) or set llm.model to a model it serves")
        if status == 429 or status >= 500:
            return f"answered HTTP {status}{' (' + message + ')' if message else ''}", _retry_after(answer.headers)
        raise EngineError(f"the LLM server at {shown_url(self.base_url)} refused the request (HTTP {status}"
                          f"{': ' + message if message else ''})")

    def _post(self, body: dict, limit: int) -> _Answer | None:
        """The answer to one POST, or None when it is not complete by ``llm.timeout`` (from now, all of it).

        The read runs on a thread of its own, so the deadline holds whatever the server
        does; a read abandoned at the deadline stops at its next piece (or its socket's
        timeout) and closes its connection.
        """
        deadline = time.monotonic() + self.timeout
        done = threading.Event()
        abandoned = threading.Event()
        outcome: dict = {}

        def read() -> None:
            try:
                outcome["answer"] = self._read(body, limit, deadline, abandoned)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc
            finally:
                done.set()

        threading.Thread(target=read, name="bitext-llm-read", daemon=True).start()
        if not done.wait(self.timeout):
            abandoned.set()
            return None
        if "error" in outcome:
            raise outcome["error"]
        return outcome["answer"]

    def _read(self, body: dict, limit: int, deadline: float, abandoned: threading.Event) -> _Answer | None:
        """POST ``body`` and read at most ``limit`` bytes of the answer, decoded, until ``deadline``."""
        with self._http.stream("POST", "chat/completions", json=body) as response:
            inflate = _inflater(response.headers.get("content-encoding", ""))
            data = bytearray()
            for piece in response.iter_raw(_READ_CHUNK):
                if abandoned.is_set() or time.monotonic() > deadline:
                    return None
                data += inflate(piece, limit + 1 - len(data)) if inflate else piece
                if len(data) > limit:
                    return _Answer(response.status_code, response.headers, bytes(data[:limit]), True)
            return _Answer(response.status_code, response.headers, bytes(data), False)

    def _model_named(self, value) -> str:
        """The model an answer names, as the memory and the colophon may show it (empty when it names none)."""
        if not isinstance(value, str):
            return ""
        return redact(" ".join(printable(value[:200]).split()), self._secrets)[:80]

    def _error_message(self, answer: _Answer) -> str:
        """The server's own error text: one line, printable, short, without any secret of this client."""
        text = answer.data[:65536].decode("utf-8", "replace")
        try:
            data = loads_bounded(text)
            error = data.get("error", data) if isinstance(data, dict) else data
            text = error.get("message", "") if isinstance(error, dict) else str(error)
        except (ValueError, RecursionError):
            pass
        text = " ".join(printable(str(text)[:4000]).split())
        return redact(text, self._secrets)[:_MESSAGE_LIMIT]

    def _not_running(self, exc: Exception) -> str:
        return (f"cannot reach the LLM server at {shown_url(self.base_url)} "
                f"({redact(printable(_reason(exc)), self._secrets)}); start it (Ollama: "
                f"`ollama serve`, then `ollama pull {self.model}`) or set llm.base_url in edition.toml")


def _text_of(content) -> str:
    """The text of a message's ``content``: a string, nothing, or a list of ``{"type": "text", "text": …}`` parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(part, dict) for part in content):
        return "".join(part["text"] for part in content if isinstance(part.get("text"), str))
    raise TypeError("content is neither text nor text parts")


def _count(value) -> int | None:
    """A token count from a server's ``usage``: a non-negative integer, or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9 else None


def _context_exceeded(answer: _Answer, message: str) -> bool:
    """True when an HTTP 400 says the request does not fit the model's context."""
    try:
        error = loads_bounded(answer.data[:65536].decode("utf-8", "replace")).get("error")
    except (ValueError, RecursionError, AttributeError):
        error = None
    kinds = " ".join(str(error.get(k, "")) for k in ("type", "code")) if isinstance(error, dict) else ""
    text = f"{kinds} {message}".lower()
    return "context" in text and any(word in text for word in ("exceed", "maximum", "too long"))


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolve" in text:
        return "unknown host"
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


def _retry_after(headers) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), if any."""
    value = headers.get("retry-after")
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
