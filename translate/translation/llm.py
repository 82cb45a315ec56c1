"""The ``llm`` engine: any OpenAI-compatible chat server (Ollama, llama.cpp, vLLM…), glossary enforced.

A request is one block: its sentences numbered, and only the glossary entries
found in them (``llm.context = "sentence"`` sends one sentence per request).
The answer must give one English sentence per number, so segment alignment
holds. Each block then climbs its own ladder:

1. **first answer** — the answer as it came, when every sentence carries its
   terms and passes the checks (:func:`~translate.translation.llm_prompt.sentence_problems`);
2. **after correction** — the sentences that miss a term or fail a check are sent
   back, naming what is wrong, up to ``llm.retries`` times; a correction is kept only
   when it has fewer problems than what it replaces;
3. **violation** — a term still missing; the translator's proof reports it. Never silent.

An answer that cannot be read (not the JSON or numbered lines asked for, a wrong
sentence count, lost numbers, cut off at ``max_tokens``) is sent back the same
way; if it still cannot be read, the block is asked again sentence by sentence.

Requests run ``llm.concurrency`` at a time on threads, per server: with
``llm.servers`` (several servers of the same model) ``llm.concurrency`` × the live
servers, each request going to the one with the fewest in flight and a failing
server taken out a while (:mod:`~translate.translation.llm_pool`). Each block's
sentences are yielded as its answer arrives, and the translator commits them to the memory
there and then, so a build that stops (a fault, Ctrl-C, SIGKILL) keeps every
answer it received and the next build asks only for the rest.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shlex
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ThreadPoolExecutor, wait
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from translate import progress
from translate.engines import ENGINES
from translate.errors import EngineError, SettingsError
from translate.models import Cell, TermMatch
from translate.translation.constraints import (
    RUNG_AFTER_CORRECTION,
    RUNG_FIRST_ANSWER,
    RUNG_NONE,
    RUNG_VIOLATION,
    Constrained,
)
from translate.translation.engine import SentenceBlock
from translate.translation.llm_client import (
    CONTEXT_ADVICE,
    Cancelled,
    base_url_problem,
    leaves_machine_warning,
    servers_problem,
    shown_url,
    url_credentials,
)
from translate.translation.llm_pool import ServerPool
from translate.translation.llm_prompt import (
    AnswerError,
    Problem,
    Prompt,
    answer_limit,
    clean,
    json_schema,
    parse_answer,
    salvage,
    sentence_problems,
)

#: Bump when the engine's ladder changes what it keeps (part of the memory key).
ENGINE_VERSION = "2"
#: The most requests in flight at once, over every server (each holds a thread, and one more while it reads).
MAX_IN_FLIGHT = 512


@dataclass(slots=True)
class _Draft:
    """One sentence on its way up the ladder."""

    zh: str
    matches: tuple[TermMatch, ...]
    cell: Cell | None = None
    """For a sentence of a table: its cell (the prompt places it)."""
    first: str = ""
    """The first answer's English (the memory's ``raw``)."""
    english: str = ""
    problem: Problem | None = None
    corrected: bool = False
    flagged: bool = False
    """True when its English was salvaged from an answer that never took the format."""
    model: str = ""
    """The model the server said answered (its last answer that settled this sentence)."""

    def score(self) -> tuple[int, int]:
        if self.problem is None:
            return (0, 0)
        return (len(self.problem.missing_terms), len(self.problem.messages))


@dataclass(slots=True)
class _Counts:
    """What the engine did, for the progress bar, the bench and the tests."""

    blocks: int = 0
    sentences: int = 0
    corrections: int = 0
    fallbacks: int = 0
    flagged: int = 0
    cut: int = 0
    """Answers cut off at ``llm.max_tokens``."""
    failed: int = 0
    """Sentences whose English may not be kept (never took the format, or empty): never remembered."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **amounts: int) -> None:
        with self.lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)


class LLMEngine:
    """Translates blocks through an OpenAI-compatible ``chat/completions`` server."""

    name = "llm"
    capabilities = ENGINES["llm"].capabilities
    """Blocks: it gets a block at a time (``translate_blocks``) and enforces the glossary itself."""

    def __init__(self, *, base_url: str, model: str, api_key: str | None = None, temperature: float = 0.0,
                 seed: int = 0, max_tokens: int = 4096, timeout: float = 300.0, concurrency: int = 1,
                 retries: int = 1, http_retries: int = 3, backoff: float = 1.0, context: str = "paragraph",
                 prompt: Prompt, servers: Sequence[str] = ()):
        if context not in ("paragraph", "sentence"):
            raise EngineError(f"llm.context must be paragraph or sentence, not {context!r}")
        problem = base_url_problem(base_url) if not servers else servers_problem(servers)
        if problem:
            raise EngineError(f"llm.base_url {problem}; write it as http://host:port/v1" if not servers else
                              f"llm.servers {problem}")
        if api_key is not None and not all("!" <= c <= "~" for c in api_key):
            # Never quoted: a header cannot carry it, and the error would have printed it.
            raise EngineError("the API key in the environment variable llm.api_key_env names holds characters an "
                              "HTTP header cannot carry (a space, a line break, a control character or a non-ASCII "
                              "letter); set it again to the key exactly as the server issued it")
        self.base_url = base_url
        self.servers: tuple[str, ...] = tuple(servers) or (base_url,)
        """The servers requests go to: ``llm.servers``, or ``llm.base_url`` alone."""
        self.model_id = model
        self._api_key = api_key
        self.temperature = temperature
        self.seed = seed
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.concurrency = concurrency
        self.retries = retries
        self.http_retries = http_retries
        self.backoff = backoff
        self.context = context
        self.prompt = prompt
        # What changes the English, and nothing else: never the host or the key.
        self.options = (f"llm-v{ENGINE_VERSION};prompt={prompt.version};style={_digest(prompt.style)};"
                        f"temperature={temperature:g};seed={seed};max_tokens={max_tokens};context={context};"
                        f"retries={retries}")
        self.warnings: list[str] = []
        setting = "llm.servers" if servers else "llm.base_url"
        for url in self.servers:
            warning = leaves_machine_warning(url)
            if warning:
                self.warnings.append(warning.replace("llm.base_url", setting, 1))
            if api_key and url_credentials(url):
                self.warnings.append(f"{setting} holds a user name and password ({shown_url(url)}) and "
                                     f"llm.api_key_env is set: only the API key is sent (Authorization: Bearer); "
                                     f"remove the credentials from {setting}")
        self.calls = 0
        self.counts = _Counts()
        self.client: ServerPool | None = None
        """The servers of the last :meth:`translate_blocks` (their request counts stay readable)."""

    @property
    def requests(self) -> int:
        """Chat requests sent so far, tries again included."""
        return self.client.requests if self.client is not None else 0

    def __repr__(self) -> str:  # never the key
        return f"LLMEngine(model={self.model_id!r}, options={self.options!r})"

    # --- the sentence protocol (Engine): a block of one sentence each, no glossary -----------------------------

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """The English of each sentence, each sent on its own (the glossary is the caller's business)."""
        blocks = [SentenceBlock("paragraph", (sentence,), ((),)) for sentence in sentences]
        english = [""] * len(blocks)
        for index, results in self.translate_blocks(blocks):
            english[index] = results[0].en
        return english

    def hypotheses(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """One hypothesis per sentence: a chat answer is not an n-best list."""
        return [[english] for english in self.translate(sentences)]

    # --- the block protocol (Capability.BLOCKS) -------------------------------------------------------------------

    def translate_blocks(self, blocks: Sequence[SentenceBlock]) -> Iterator[tuple[int, list[Constrained]]]:
        """Yield ``(index, results)`` for each block as its answer arrives; stop with one line on a lasting fault."""
        if not blocks:
            return
        self.calls += 1
        stop = threading.Event()
        client = ServerPool(self.servers, model=self.model_id, api_key=self._api_key, timeout=self.timeout,
                            http_retries=self.http_retries, backoff=self.backoff, concurrency=self.concurrency,
                            stop=stop)
        self.client = client
        schema_at_start = client.json_schema
        total = sum(len(b.sentences) for b in blocks)
        answered = 0
        failure: EngineError | None = None
        # llm.concurrency per server: the pool lets each server hold that many, so while some are out the
        # threads beyond what the live ones hold wait (in flight: llm.concurrency × the live servers, at most
        # MAX_IN_FLIGHT).
        pool = ThreadPoolExecutor(max_workers=min(self.concurrency * len(self.servers), MAX_IN_FLIGHT),
                                  thread_name_prefix="bitext-llm")
        try:
            with progress.progress(f"Translating with {self.model_id}", total) as advance:
                pending: dict[Future, int] = {pool.submit(self._translate_block, client, block): i
                                              for i, block in enumerate(blocks)}
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        index = pending.pop(future)
                        try:
                            results = future.result()
                        except (Cancelled, CancelledError):
                            continue
                        except EngineError as exc:
                            # Stop asking; the requests in flight still finish and their answers are kept.
                            if failure is None:
                                failure = exc
                                stop.set()
                                for other in pending:
                                    other.cancel()
                            continue
                        answered += 1
                        self.counts.add(blocks=1, sentences=len(results))
                        yield index, results
                        advance(len(results), self._status())
        except BaseException:
            # Ctrl-C, or the caller stopped reading: do not wait for answers nobody will keep.
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            client.close()
            raise
        pool.shutdown(wait=True)
        client.close()
        self.warnings += client.report()
        self._warn_mixed_models(client)
        if schema_at_start and not client.json_schema:
            self.warnings.append("the LLM server does not take JSON schemas (response_format): answers were "
                                 "asked for as numbered lines")
        elif client.refusals:
            self.warnings.append(f"the LLM server refused the per-position JSON schema ({client.refusals[0]}): "
                                 f"answers were asked for with the older schema, which some models number wrongly")
        if client.clipped:
            self.warnings.append(f"llm: the LLM server read {client.clipped} request(s) shorter than they were sent "
                                 f"({client.clipped_example}): it cut them to fit its context, so the model did not "
                                 f"see all of the instructions or the sentences (Ollama does this without an error "
                                 f"when a prompt is longer than num_ctx); {CONTEXT_ADVICE}")
        if self.counts.cut:
            self.warnings.append(f"llm: {self.counts.cut} answer(s) were cut off at llm.max_tokens = "
                                 f"{self.max_tokens}: raise llm.max_tokens in edition.toml")
        if self.counts.failed:
            self.warnings.append(f"llm: {self.counts.failed} sentence(s) got no English that could be kept ("
                                 f"{self.counts.flagged} never took the format asked for, the rest came back empty): "
                                 f"shown with the report's engine_failed flag, never remembered (the next build asks "
                                 f"again)")
        if failure is not None:
            kept = (f"the {answered} block{'s' if answered != 1 else ''} answered before are kept in the translation "
                    f"memory: build again to resume" if answered else "no block was answered")
            raise type(failure)(f"{failure.message}; {kept} ({len(blocks) - answered} of {len(blocks)} blocks "
                                f"left)") from failure

    def _status(self) -> str:
        client = self.client
        if client is None:
            return ""
        servers = f" · {client.live}/{len(self.servers)} servers" if len(self.servers) > 1 else ""
        return (f"{client.requests} requests · {client.retries} retries · {self.counts.corrections} corrections"
                f"{servers}")

    def _warn_mixed_models(self, client: ServerPool) -> None:
        """Say so when the answers named more than one model (two replicas serving different models)."""
        named = client.models()
        models = Counter()
        where: dict[str, list[str]] = {}
        for (model, server), count in named.items():
            models[model] += count
            where.setdefault(model, []).append(server)
        if len(models) < 2:
            return
        listed = "; ".join(f"{model!r}: {count} answer{'s' if count != 1 else ''}, from {', '.join(where[model])}"
                           for model, count in models.most_common(8))
        self.warnings.append(f"llm: the servers answered with {len(models)} different models ({listed}); each "
                             f"sentence records the model of its own answer, but the translation memory keeps them "
                             f"all under llm.model = {self.model_id!r}, so later builds reuse either's English: serve "
                             f"the same model on every server of llm.servers")

    # --- one block -------------------------------------------------------------------------------------------------

    def _translate_block(self, client: ServerPool, block: SentenceBlock) -> list[Constrained]:
        cells = block.cells or (None,) * len(block.sentences)
        drafts = [_Draft(zh, tuple(matches), cell) for zh, matches, cell in zip(block.sentences, block.matches, cells)]
        groups = [list(range(len(drafts)))] if self.context == "paragraph" else [[i] for i in range(len(drafts))]
        try:
            for group in groups:
                self._ask(client, block.kind, drafts, group)
        except EngineError:
            client.stop.set()  # before this thread takes the next block
            raise
        settled = [_settled(d) for d in drafts]
        self.counts.add(failed=sum(1 for result in settled if result.failed))
        return settled

    def _ask(self, client: ServerPool, kind: str, drafts: list[_Draft], group: list[int]) -> None:
        """Translate the sentences ``group`` of a block together, correcting the answer up to ``retries`` times."""
        format = "json" if client.json_schema else "numbered"
        numbers = list(range(1, len(group) + 1))
        chinese = [drafts[i].zh for i in group]
        messages = [
            {"role": "system", "content": self.prompt.system(format)},
            {"role": "user", "content": self.prompt.user(kind, [drafts[i].zh for i in group],
                                                         [m for i in group for m in drafts[i].matches], format,
                                                         cells=[drafts[i].cell for i in group])},
        ]
        answer, content, model = self._answer(client, messages, numbers, chinese)
        tries = 0
        while isinstance(answer, AnswerError) and tries < self.retries:
            tries += 1
            self.counts.add(corrections=1)
            format = "json" if client.json_schema else "numbered"
            messages += [{"role": "assistant", "content": content},
                         {"role": "user", "content": self.prompt.correction([Problem(None, (str(answer),))],
                                                                            numbers, format)}]
            answer, content, model = self._answer(client, messages, numbers, chinese)
        if isinstance(answer, AnswerError):
            if len(group) > 1:
                self.counts.add(fallbacks=1)
                for i in group:
                    self._ask(client, kind, drafts, [i])
                return
            answer = {1: salvage(content)}
            drafts[group[0]].flagged = True
            self.counts.add(flagged=1)
        for n, i in zip(numbers, group):
            draft = drafts[i]
            draft.first = draft.english = answer[n]
            draft.model = model
            draft.problem = sentence_problems(n, draft.zh, draft.english, draft.matches)

        for _ in range(self.retries):
            failing = [(n, i) for n, i in zip(numbers, group) if drafts[i].problem is not None]
            if not failing:
                break
            self.counts.add(corrections=1)
            format = "json" if client.json_schema else "numbered"
            asked = [n for n, _ in failing]
            messages += [{"role": "assistant", "content": content},
                         {"role": "user", "content": self.prompt.correction([drafts[i].problem for _, i in failing],
                                                                            asked, format)}]
            corrected, content, corrected_by = self._answer(client, messages, asked, chinese, extra_ok=True)
            if isinstance(corrected, AnswerError):
                continue
            for n, i in failing:
                draft = drafts[i]
                problem = sentence_problems(n, draft.zh, corrected[n], draft.matches)
                candidate = _Draft(draft.zh, draft.matches, problem=problem)
                if candidate.score() < draft.score():
                    draft.english, draft.problem, draft.corrected = corrected[n], problem, True
                    draft.model = corrected_by

    def _answer(self, client: ServerPool, messages: list[dict], numbers: list[int], zh: list[str], *,
                extra_ok: bool = False) -> tuple[dict | AnswerError, str, str]:
        """Ask, and read the answer for ``numbers`` of the Chinese ``zh``: the English by number, or why not, the
        text to send back or salvage, and the model the answering server named (empty when it named none).

        An answer longer than :func:`~translate.translation.llm_prompt.answer_limit` of the
        Chinese is refused (and only its first characters are kept, to be sent back or salvaged).
        """
        schema = (lambda dialect: json_schema(numbers, dialect)) if client.json_schema else None
        limit = answer_limit(zh)
        reply = client.complete(messages, schema=schema, temperature=self.temperature, seed=self.seed,
                                max_tokens=self.max_tokens)
        if reply.refused:
            return (AnswerError(f"{reply.refused}: give only the {len(numbers)} sentence(s), nothing else"), "",
                    reply.model)
        if reply.truncated:
            return (*self._cut(reply, numbers, limit, extra_ok), reply.model)
        content = reply.content
        length = len(clean(content))
        if length > limit:
            # Longer than any translation of the request: refused, and never sent back or checked whole.
            return (AnswerError(f"the answer was {length:,} characters long, far longer than a translation of the "
                                f"{len(numbers)} sentence(s): give only their English"), content[:limit], reply.model)
        try:
            return parse_answer(content, numbers, extra_ok=extra_ok), content, reply.model
        except AnswerError as exc:
            return exc, content, reply.model


    def _cut(self, reply, numbers: list[int], limit: int, extra_ok: bool) -> tuple[dict | AnswerError, str]:
        """An answer the server stopped with ``finish_reason: "length"``: read whole, a full context, or cut off.

        A complete answer marked ``length`` (the limit fell just after its last brace) is
        read like any other. One that stopped before ``llm.max_tokens`` ran out stopped
        because the server's context was full (llama-server: usage 501 + 11 tokens in a
        512-token slot, content ``{``): no correction can fix that, so the build stops in one
        line saying what to change. Otherwise it ran past ``llm.max_tokens``.
        """
        content = reply.content
        if len(clean(content)) <= limit:
            try:
                return parse_answer(content, numbers, extra_ok=extra_ok), content
            except AnswerError:
                pass
        if reply.completion_tokens is not None and reply.completion_tokens < self.max_tokens:
            used = (f" ({reply.prompt_tokens} tokens of request and {reply.completion_tokens} of answer)"
                    if reply.prompt_tokens is not None else "")
            where = reply.server or shown_url(self.base_url)
            raise EngineError(f"the LLM server at {where} ran out of context before its answer "
                              f"was complete{used}; {CONTEXT_ADVICE}")
        self.counts.add(cut=1)
        return AnswerError(f"the answer ran past {self.max_tokens} tokens and was cut off: give only the "
                           f"{len(numbers)} sentence(s), nothing else"), content[:limit]


def _settled(draft: _Draft) -> Constrained:
    """The sentence's English, the rung that settled it, and why it may not be remembered."""
    failed = ""
    if draft.flagged:
        failed = "the LLM's answers never took the format asked for"
    elif not draft.english.strip():
        failed = "the LLM's answer was empty"
    if not draft.matches:
        rung = RUNG_NONE
    elif draft.problem is not None and draft.problem.missing_terms:
        rung = RUNG_VIOLATION
    elif draft.corrected:
        rung = RUNG_AFTER_CORRECTION
    else:
        rung = RUNG_FIRST_ANSWER
    return Constrained(draft.english, rung, draft.first, failed=failed, model=draft.model)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12] if text else ""


def require_httpx() -> None:
    """Raise :class:`EngineError` with the install command when httpx (the ``llm`` extra) is missing."""
    if importlib.util.find_spec("httpx") is None:
        raise EngineError(f"the llm engine needs httpx, which is not installed; install it with "
                          f"`{shlex.quote(sys.executable)} -m pip install 'httpx>=0.27'`")


def open_llm_engine(settings) -> LLMEngine:
    """The ``llm`` engine as ``edition.toml`` sets it up (no socket is opened until it translates)."""
    from translate.settings import SETTINGS, SETTINGS_FILE

    servers = tuple(settings.llm_servers)
    problem = base_url_problem(settings.llm_base_url)
    if problem and not servers:
        raise SettingsError(f"'llm.base_url' {problem}; write it as http://host:port/v1",
                            path=settings.root / SETTINGS_FILE)
    problem = servers_problem(servers) if servers else None
    if problem:
        raise SettingsError(f"'llm.servers' {problem}", path=settings.root / SETTINGS_FILE)
    require_httpx()
    api_key = None
    if settings.llm_api_key_env:
        api_key = os.environ.get(settings.llm_api_key_env)
        if not api_key:
            raise EngineError(f"llm.api_key_env names {settings.llm_api_key_env}, which is not set in the "
                              f"environment; export {settings.llm_api_key_env}=… or remove llm.api_key_env")
    prompt = Prompt(settings.templates_dir, settings.llm_prompt, settings.llm_style)
    engine = LLMEngine(
        base_url=settings.llm_base_url,
        servers=servers,
        model=settings.llm_model,
        api_key=api_key,
        temperature=settings.llm_temperature,
        seed=settings.llm_seed,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        concurrency=settings.llm_concurrency,
        retries=settings.llm_retries,
        http_retries=settings.llm_http_retries,
        backoff=settings.llm_backoff,
        context=settings.llm_context,
        prompt=prompt,
    )
    default = next(s.default for s in SETTINGS if s.attribute == "llm_base_url")
    listed = {shown_url(url).rstrip("/").lower() for url in servers}
    unused = shown_url(settings.llm_base_url).rstrip("/").lower() not in listed
    if servers and settings.llm_base_url != default and unused:
        engine.warnings.append(f"llm.base_url {shown_url(settings.llm_base_url)} is not used: llm.servers lists the "
                               f"servers requests go to (add it there, or remove llm.base_url)")
    return engine
