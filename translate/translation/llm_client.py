"""The LLM engine's HTTP side: one OpenAI-compatible ``chat/completions`` call, with its faults.

Built on httpx (imported here, and this module only when the ``llm`` engine
translates, so ``--help`` and other builds never load it). Faults end in one line:

- nothing listening at ``llm.base_url`` before any answer: how to start the
  server (``ollama serve``, ``ollama pull MODEL``);
- timeouts, HTTP 408, 429 (waiting as ``retry-after-ms``, ``Retry-After`` or OpenAI's
  "Please try again in 1.5s" says) and 5xx, or a server that went away mid-build: ``llm.http_retries`` tries again with doubling waits from
  ``llm.backoff``, then :class:`ServerFailed`;
- a refused key (401/403), an unknown model (404, or ``model_not_found`` and LM
  Studio's "No models loaded" with HTTP 400), an account whose quota is used up (429
  ``insufficient_quota``, 402), a request larger than the account's per-minute limit,
  a request or ``max_tokens`` that does not fit the server's context, any other 4xx:
  at once, in one line saying what to change.

Each server words its errors its own way (:class:`ServerError` reads them all: OpenAI's
``{"error": {"message", "type", "code", "param"}}``, vLLM's before 0.11 at the top
level, LM Studio's ``{"error": "…"}`` string, Ollama's message that quotes its
llama-server's own JSON error); the ``LLM servers`` section of ``docs/engines.md``
lists them and what each asks the user to change.

A server that refuses a JSON schema (an HTTP 400 or 422 to a request carrying one, or
a 5xx naming the schema, such as Ollama's 500 "invalid JSON schema in format", other
than a context overflow or an unknown model) is asked again with the next of
:data:`~translate.translation.llm_prompt.SCHEMA_DIALECTS` (the per-position schema,
then the older one-shape schema), and after the last without ``response_format``: from
then on the engine uses the numbered format.

A model that refuses ``max_tokens`` (OpenAI's reasoning models: 400 ``unsupported_parameter``,
"Use 'max_completion_tokens' instead") is asked again at once with ``max_completion_tokens``,
and so is every later request; one that refuses the temperature or the seed stops the build
naming the setting.

A server that cuts a prompt to fit its context without saying so (Ollama, when a
prompt is longer than ``num_ctx``) shows it only in ``usage.prompt_tokens``: an answer
counting fewer tokens than the request certainly holds (:func:`token_floor`), or fewer
than the previous turn of the same conversation, is marked :attr:`Reply.clipped`.

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
import dataclasses
import email.utils
import hashlib
import ipaddress
import json
import re
import threading
import time
import zlib
from collections import OrderedDict
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

#: Conversations whose reported prompt size is kept, to see a later turn counted shorter (Ollama dropping turns).
_TURNS_KEPT = 512
#: A token holds at most this many characters of Chinese, or of anything else (conservative for every tokenizer).
_CJK_PER_TOKEN = 4
_OTHER_PER_TOKEN = 12
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: OpenAI's "Please try again in 1.5s" / "in 20ms" when no header says how long to wait.
_TRY_AGAIN = re.compile(r"try again in (\d+(?:\.\d+)?)(ms|s)\b")


def answer_bytes_limit(max_tokens: int) -> int:
    """The most bytes (decoded) read of one answer asking for at most ``max_tokens`` tokens."""
    return ANSWER_BYTES_FLOOR + ANSWER_BYTES_PER_TOKEN * max_tokens


class ServerFailed(EngineError):
    """The LLM server kept failing (timeouts, 429, 5xx, connection lost) after every try again."""


class Unreachable(EngineError):
    """Nothing listens at the server's URL, and it never answered in this build (not started, wrong port)."""


class Cancelled(Exception):
    """Another request failed for good: this one stops before asking again."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One try that may succeed if asked again (a timeout, HTTP 408, 429 or 5xx, a lost connection)."""

    problem: str
    """What the server did, as an error line goes on after "the LLM server at URL"."""
    wait: float | None = None
    """Seconds the server asked to wait (``Retry-After``), or None when it did not say."""


class Dialects:
    """The JSON schema dialects still to try, shared by every server of a build (the prompt's format follows it).

    A block's prompt is written for JSON or for numbered lines before it is known which
    server answers it, so the servers step down together: a refusal by one is the next
    dialect for all.
    """

    def __init__(self):
        self.left: list[str] = list(SCHEMA_DIALECTS)
        """The dialects still to try, the one sent first (empty once a server refused them all)."""
        self.refusals: list[str] = []
        """What the server said when it refused a dialect, one line each."""
        self._lock = threading.Lock()

    def refuse(self, dialect: str, why: str) -> None:
        """``dialect`` was refused (``why``): step down to the next, unless another request already did."""
        with self._lock:
            if self.left and self.left[0] == dialect:
                self.refusals.append(f"{self.left.pop(0)}: {why}")


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
    clipped: str = ""
    """Why the server seems to have cut the request to fit its context (``usage.prompt_tokens`` below what
    was sent), one phrase; empty when it read it whole or did not say."""
    server: str = ""
    """The URL of the server that answered, as messages show it (no credentials)."""


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


#: The most servers ``llm.servers`` may list.
MAX_SERVERS = 64


def servers_problem(urls: Sequence[str]) -> str | None:
    """What is wrong with ``urls`` as ``llm.servers`` (never quoting credentials), or None."""
    if not urls:
        return "is empty; list at least one server, or remove it and set llm.base_url"
    if len(urls) > MAX_SERVERS:
        return f"lists {len(urls)} servers, more than {MAX_SERVERS}"
    seen: dict[str, int] = {}
    for number, url in enumerate(urls, 1):
        problem = base_url_problem(url)
        if problem:
            return f"item {number} {problem}; write each as \"http://host:port/v1\""
        same = shown_url(url).rstrip("/").lower()
        if same in seen:
            return f"item {number} repeats item {seen[same]} ({shown_url(url)}); list each server once"
        seen[same] = number
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


def token_floor(messages: Sequence[dict]) -> int:
    """Fewer tokens than any tokenizer makes of ``messages``' text: a server counting less did not read it all.

    A token is at most :data:`_CJK_PER_TOKEN` Chinese characters or :data:`_OTHER_PER_TOKEN`
    others (real tokenizers: about 1.4 and 4); the chat template's own tokens come on top.
    """
    cjk = other = 0
    for message in messages:
        text = message.get("content") if isinstance(message, dict) else None
        if isinstance(text, str):
            chinese = len(_CJK.findall(text))
            cjk += chinese
            other += len(text) - chinese
    return cjk // _CJK_PER_TOKEN + other // _OTHER_PER_TOKEN


@dataclass(frozen=True, slots=True)
class ServerError:
    """A server's error answer, read whichever way it words it.

    OpenAI, llama-server, Ollama's OpenAI endpoint and vLLM (0.11 on) send
    ``{"error": {"message", "type", "code", "param"}}``; vLLM before 0.11 the same fields at
    the top level; LM Studio often ``{"error": "…"}``; Ollama, when its llama-server runner
    failed, that runner's whole JSON body as its message (read through, once).
    """

    status: int
    message: str
    """The server's words: one printable line, at most 4,000 characters, without any secret of the client."""
    kinds: str = ""
    """The error's ``type`` and ``code`` (when they are words), lower case, space-separated."""
    param: str = ""
    """The request field the server blames (``model``, ``max_tokens``, ``response_format``…), if it says."""

    @classmethod
    def parse(cls, status: int, body: bytes, secrets: Sequence[str] = ()) -> "ServerError":
        """The error ``body`` (at most its first 64 KiB) of an answer with HTTP ``status``."""
        message: object = body[:65536].decode("utf-8", "replace")
        kinds: list[str] = []
        param = ""
        for _ in range(2):  # the body, then a JSON error quoted as its message (Ollama quoting llama-server)
            if not isinstance(message, str) or not message.lstrip().startswith("{"):
                break
            try:
                data = loads_bounded(message)
            except (ValueError, RecursionError):
                break
            if not isinstance(data, dict):
                break
            error = data.get("error", data)
            if isinstance(error, dict):
                kinds += [str(error[k]) for k in ("type", "code") if isinstance(error.get(k), str)]
                if isinstance(error.get("param"), str):
                    param = error["param"]
                message = error.get("message", error.get("detail", ""))
            else:
                message = error if isinstance(error, str) else json.dumps(error)[:4000]
        text = " ".join(printable(str(message)[:4000]).split())
        return cls(status, redact(text, secrets), " ".join(kinds).lower()[:200],
                   redact(printable(param)[:40], secrets))

    @property
    def shown(self) -> str:
        """``HTTP 400: the server's message`` as an error line quotes it (short)."""
        return f"HTTP {self.status}{': ' + self.message[:_MESSAGE_LIMIT] if self.message else ''}"

    def says(self, *phrases: str) -> bool:
        text = f"{self.kinds} {self.message}".lower()
        return any(phrase in text for phrase in phrases)

    @property
    def context_exceeded(self) -> bool:
        """The request (or the request and ``max_tokens``) does not fit the model's context."""
        if self.says("exceed_context_size_error", "context_length_exceeded", "maximum context length",
                      "exceeds the available context", "greater than the context length",
                      "longer than the context length", "exceeds the context length",
                      "context size has been exceeded", "when context the overflows", "context length of only",
                      ">= n_ctx"):
            return True
        text = f"{self.kinds} {self.message}".lower()
        return 400 <= self.status < 500 and "context" in text and any(
            word in text for word in ("exceed", "maximum", "too long"))

    @property
    def answer_budget(self) -> bool:
        """The context overflow counts ``max_tokens`` (vLLM: "'max_tokens' … is too large", "in the completion")."""
        return self.param == "max_tokens" or self.says("max_tokens' or 'max_completion_tokens' is too large",
                                                        "in the completion")

    @property
    def quota_used_up(self) -> bool:
        """The account may not ask for more until it is paid for (OpenAI's 429 ``insufficient_quota``, 402)."""
        return self.status == 402 or (self.status in (403, 429) and self.says(
            "insufficient_quota", "exceeded your current quota", "billing_hard_limit", "insufficient balance",
            "insufficient credits"))

    @property
    def over_rate_limit_size(self) -> bool:
        """One request is larger than the account's per-minute token limit: waiting never lets it through."""
        return self.status in (413, 429) and self.says("request too large")

    @property
    def unknown_model(self) -> bool:
        """The server has no such model, or none loaded (404, ``model_not_found``, LM Studio's own words)."""
        if self.status == 404:
            return True
        return self.status in (400, 422) and (self.says(
            "model_not_found", "no models loaded", "invalid model identifier", "failed to load model",
            "model is unloaded") or (self.param == "model" and self.says("not found", "does not exist")))

    @property
    def unsupported(self) -> str:
        """The request field the model does not take (OpenAI's 400 ``unsupported_parameter`` or ``unsupported_value``:
        ``max_tokens`` on its reasoning models, a temperature other than 1), or empty."""
        if self.status == 400 and self.says("unsupported_parameter", "unsupported_value", "unsupported parameter",
                                            "unsupported value"):
            return self.param
        return ""

    @property
    def names_schema(self) -> bool:
        """The message is about the JSON schema or the grammar made of it."""
        return self.param == "response_format" or self.says("schema", "grammar", "response_format")

    def model_advice(self, model: str) -> str:
        """What to do about an unknown model, in the words of the server that said so."""
        if self.says("lms load", "no models loaded", "invalid model identifier", "failed to load model",
                      "model is unloaded", "please specify a valid model"):
            return (f"load it in LM Studio (`lms load {model}`, or the Developer tab) or set llm.model to the "
                    f"identifier of a loaded model")
        if "notfounderror" in self.kinds:
            return (f"start vLLM with --served-model-name {model}, or set llm.model to the name it serves "
                    f"(GET /v1/models lists it)")
        if "model_not_found" in self.kinds and self.says("access"):
            return "set llm.model to a model the account may use (GET /v1/models lists them)"
        return f"pull it (Ollama: `ollama pull {model}`) or set llm.model to a model it serves"


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
                 backoff: float, concurrency: int, stop: threading.Event | None = None,
                 dialects: Dialects | None = None):
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
        self.schemas = dialects or Dialects()
        """The JSON schema dialects still to try (shared with the other servers of a :class:`~.llm_pool.ServerPool`)."""
        self.length_field = "max_tokens"
        """The field that carries ``llm.max_tokens``: ``max_completion_tokens`` once the server refused ``max_tokens``
        (OpenAI's reasoning models: 400 ``unsupported_parameter``)."""
        self.answered = 0
        """Requests the server answered."""
        self.requests = 0
        """Requests sent, tries again included."""
        self.retries = 0
        """Tries again after a timeout, 429, 5xx or lost connection."""
        self.clipped = 0
        """Answers whose server counted fewer prompt tokens than it was sent (:attr:`Reply.clipped`)."""
        self.clipped_example = ""
        """The first of them, as :attr:`Reply.clipped` says it."""
        self._turns: OrderedDict[str, int] = OrderedDict()
        """Prompt tokens the server counted, by the digest of the messages sent (the last few hundred)."""
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
    def dialects(self) -> list[str]:
        """The JSON schema dialects still to try, the one sent first (empty once the server refused them all)."""
        return self.schemas.left

    @property
    def refusals(self) -> list[str]:
        """What the server said when it refused a schema dialect, one line each."""
        return self.schemas.refusals

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
        attempt = 0
        while True:
            outcome = self.attempt(messages, schema=schema, temperature=temperature, seed=seed,
                                   max_tokens=max_tokens)
            if isinstance(outcome, Reply):
                return outcome
            if attempt >= self.http_retries:
                raise ServerFailed(f"the LLM server at {shown_url(self.base_url)} {outcome.problem}, {attempt + 1} "
                                   f"time{'s' if attempt else ''} in a row")
            attempt += 1
            self.count_retry()
            delay = outcome.wait if outcome.wait is not None else self.backoff * 2 ** (attempt - 1)
            if self.stop.wait(min(delay, MAX_RETRY_AFTER)):
                raise Cancelled()

    def attempt(self, messages: Sequence[dict], *, schema: Callable[[str], dict] | None, temperature: float,
                seed: int, max_tokens: int) -> Reply | Failure:
        """One try of a chat completion: the Reply, or the :class:`Failure` that may pass if asked again.

        A refused schema dialect or ``max_tokens`` is asked again at once, within this try;
        a fault no try again can mend raises :class:`EngineError` (:class:`Unreachable` for a
        server that never answered and refuses the connection).
        """
        payload = {"model": self.model, "messages": list(messages), "temperature": temperature, "seed": seed,
                   "stream": False}
        limit = answer_bytes_limit(max_tokens)
        while True:
            if self.stop.is_set():
                raise Cancelled()
            dialect = self.dialects[0] if schema is not None and self.dialects else None
            body = dict(payload)
            body[self.length_field] = max_tokens
            if dialect is not None:
                body["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "translations", "strict": True, "schema": schema(dialect)}}
            problem, wait = self._send(body, dialect, limit)
            if isinstance(problem, Reply):
                return self._gauged(payload["messages"], problem)
            if problem is None:  # the server refused this schema or max_tokens: ask again as it takes it, at once
                continue
            return Failure(problem, wait)

    def count_retry(self) -> None:
        """Count one try again (the progress bar's and the tests' ``retries``)."""
        with self._lock:
            self.retries += 1

    def _gauged(self, messages: list[dict], reply: Reply) -> Reply:
        """``reply``, marked :attr:`~Reply.clipped` when the server counted fewer prompt tokens than it was sent.

        Two signs, neither needing the server's context size: fewer tokens than :func:`token_floor`
        of the messages, or fewer than the server counted for the previous turn of the same
        conversation (whose messages this request repeats: Ollama drops the oldest turns of a
        conversation longer than ``num_ctx`` and keeps the system message and the last one).
        """
        counted = reply.prompt_tokens
        if not counted or reply.refused:  # None, or 0 from a server (or proxy) that does not count
            return reply
        turn = _digest(messages)
        earlier = _digest(messages[:-2]) if len(messages) > 2 else None
        with self._lock:
            before = self._turns.get(earlier) if earlier else None
            self._turns[turn] = counted
            while len(self._turns) > _TURNS_KEPT:
                self._turns.popitem(last=False)
        floor = token_floor(messages)
        if counted < floor:
            why = f"{counted:,} prompt tokens counted, at least {floor:,} sent"
        elif before is not None and counted < before:
            why = f"{counted:,} prompt tokens counted for a turn that repeats the previous one's {before:,}"
        else:
            return reply
        with self._lock:
            self.clipped += 1
            self.clipped_example = self.clipped_example or why
        return dataclasses.replace(reply, clipped=why)

    def _send(self, body: dict, dialect: str | None, limit: int) -> tuple[Reply | str | None, float | None]:
        """One POST: a Reply, or why to try again (and how long the server asked to wait), or None to drop the schema."""
        httpx = self._httpx
        with self._lock:
            self.requests += 1
        try:
            answer = self._post(body, limit)
        except httpx.ConnectError as exc:
            if not self.answered:
                raise Unreachable(self._not_running(exc)) from None
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
                return Reply("", False, refused=f"the answer was larger than {limit:,} bytes",
                             server=shown_url(self.base_url)), None
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
                         completion_tokens=_count(usage.get("completion_tokens")),
                         server=shown_url(self.base_url)), None
        error = ServerError.parse(status, answer.data, self._secrets)
        where = f"the LLM server at {shown_url(self.base_url)}"
        if error.context_exceeded:
            # llama-server's exceed_context_size_error, vLLM's and OpenAI's "maximum context length", LM Studio's
            # n_keep >= n_ctx, Ollama's "longer than the context length": never a refused schema, never better later.
            if error.answer_budget:
                raise EngineError(f"the request and the {body.get(self.length_field)} tokens llm.max_tokens keeps for "
                                  f"its answer do not fit the context of {where} ({error.shown}); lower "
                                  f"llm.max_tokens in edition.toml, or {CONTEXT_ADVICE}")
            raise EngineError(f"the request is longer than the context of {where} ({error.shown}); {CONTEXT_ADVICE}")
        if error.quota_used_up:
            raise EngineError(f"the account's quota is used up at {where} ({error.shown}); add credit or raise the "
                              f"limit in the provider's billing settings, then build again (every answer received "
                              f"is kept)")
        if error.over_rate_limit_size:
            raise EngineError(f"one request is larger than the per-minute token limit of the account at {where} "
                              f"({error.shown}); lower llm.max_tokens or set llm.context = \"sentence\" in "
                              f"edition.toml, or raise the account's limit")
        if error.unknown_model:
            if status == 404 and not error.says("model"):
                raise EngineError(f"{where} has no chat/completions endpoint ({error.shown}); set llm.base_url to "
                                  f"the server's OpenAI-compatible root, usually ending in /v1")
            raise EngineError(f"{where} has no model {self.model!r} ({error.shown}); {error.model_advice(self.model)}")
        if error.unsupported == "max_tokens" and body.get("max_tokens") is not None:
            with self._lock:  # OpenAI's newer models: "Use 'max_completion_tokens' instead"
                self.length_field = "max_completion_tokens"
            return None, None
        if error.unsupported in ("temperature", "seed"):
            raise EngineError(f"the model {self.model!r} at {where} does not take the {error.unsupported} bitext sends "
                              f"({error.shown}); set llm.{error.unsupported} in edition.toml to a value it takes "
                              f"(the next build then translates again), or choose another llm.model")
        if status in (401, 403):
            advice = ("check the API key in the environment variable llm.api_key_env names" if self._has_key else
                      "it wants an API key: put the key in an environment variable and set llm.api_key_env in "
                      "edition.toml to that variable's name")
            raise EngineError(f"{where} refused the request ({error.shown}); {advice}")
        if dialect is not None and (status in (400, 422) or (status >= 500 and error.names_schema)):
            # A refused schema: llama-server's 400, vLLM's 400 "not supported by xgrammar", Ollama's 500
            # "invalid JSON schema in format" (its Go runners), OpenAI's 400 naming response_format.
            self.schemas.refuse(dialect, error.shown)  # unless another request already stepped down
            return None, None
        if status in (408, 429) or status >= 500:
            return (f"answered HTTP {status}{' (' + error.message[:_MESSAGE_LIMIT] + ')' if error.message else ''}",
                    _retry_after(answer.headers, error.message))
        raise EngineError(f"{where} refused the request ({error.shown})")

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

    def _not_running(self, exc: Exception) -> str:
        return (f"cannot reach the LLM server at {shown_url(self.base_url)} "
                f"({redact(printable(_reason(exc)), self._secrets)}); start it (Ollama: "
                f"`ollama serve`, then `ollama pull {self.model}`) or set llm.base_url in edition.toml")


def _digest(messages: Sequence[dict]) -> str:
    """A short fingerprint of a conversation's messages."""
    data = json.dumps(list(messages), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]


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


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolve" in text:
        return "unknown host"
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


def _retry_after(headers, message: str = "") -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, ``Retry-After`` (seconds or an HTTP date), or
    OpenAI's "Please try again in 1.5s" in the message; None when it does not say."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, when.timestamp() - time.time())
    found = _TRY_AGAIN.search(message.lower())
    if found:
        return float(found.group(1)) / (1000 if found.group(2) == "ms" else 1)
    return None
