"""Several OpenAI-compatible servers used as one (``llm.servers``): vLLM replicas, or a few Ollama machines.

:class:`ServerPool` answers :meth:`~ServerPool.complete` like one
:class:`~translate.translation.llm_client.ChatClient`, sending each request to a server of
its own choosing:

- **the fewest in flight**: each request goes to the live server with the fewest
  requests outstanding (ties: the one picked longest ago), and each server holds at
  most ``llm.concurrency`` at once, so a slow server, which holds its requests longer,
  gets fewer of them. Requests in flight: ``llm.concurrency`` × the live servers.
- **a failing server taken out**: a try that fails (a timeout, HTTP 408, 429 or 5xx,
  a lost connection, connection refused) is sent again at once to another server
  with room, and the failing one waits (``Retry-After``, else ``llm.backoff``
  doubling) and gets one request at a time until it answers. Failing
  ``llm.http_retries`` + 1 times in a row takes it out (a server that refuses the
  connection and never answered, at once); after a while (:data:`COOLDOWN_FLOOR`
  seconds, or ``llm.backoff`` × 2^(``llm.http_retries`` + 1) when longer, doubling at each
  probe that fails, at most :data:`~translate.translation.llm_client.MAX_RETRY_AFTER`)
  one request probes it, and an answer puts it back. Tries that were already in flight
  when a fault was counted fail with it without counting again: "in a row" counts the
  server's faults, not its requests.
- **all out**: when every server is out (and none is being probed), the requests stop
  with one line naming each server and what it did; with one server, the line is
  the one the single client has always given.

Faults no try again can mend (a refused key, an unknown model, a request larger than
the context…) stop the build at once, naming the server that said so, as with one
server. A request that fails ``(llm.http_retries + 1)`` × the servers times, wherever it
went, stops too (a request that makes every server fail).

The JSON schema dialect is shared (:class:`~translate.translation.llm_client.Dialects`):
a block's prompt is written for a format before it is known which server answers.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

from translate.translation.llm_client import (
    MAX_RETRY_AFTER,
    Cancelled,
    ChatClient,
    Dialects,
    Failure,
    Reply,
    ServerFailed,
    Unreachable,
    shown_url,
)

#: The shortest time a server is out before a request probes it again, in seconds.
COOLDOWN_FLOOR = 1.0
#: How long a waiting request sleeps at most before it looks again (a build being stopped, a server's wait over).
_POLL = 0.05
#: Servers an error line names one by one (the rest are counted).
_NAMED = 8


@dataclass(slots=True, eq=False)
class Replica:
    """One server of the pool and what the pool knows of it (read and changed under the pool's lock)."""

    client: ChatClient
    url: str
    """Its URL as messages show it (no credentials)."""
    outstanding: int = 0
    """Requests sent to it and not yet settled."""
    fails: int = 0
    """Faults counted in a row (0 once it answers)."""
    epoch: int = 0
    """Bumped at each fault counted: a try sent before it that fails afterwards is the same fault."""
    not_before: float = 0.0
    """No request before this moment (``time.monotonic``): its wait after a fault, or the end of its time out."""
    out: bool = False
    """Taken out: it gets nothing but a probe until it answers again."""
    probing: bool = False
    """A probe of it (taken out) is in flight."""
    cooldown: float = 0.0
    """The length of its present time out."""
    problem: str = ""
    """What it did last time it failed (as a line goes on after its URL)."""
    unreachable: Unreachable | None = None
    """The error of its last fault when that was a connection refused before any answer."""
    faults: int = 0
    """Faults counted in this build (a fault failing several tries in flight counts once)."""
    outs: int = 0
    """Times it was taken out in this build."""
    returns: int = 0
    """Times it came back (a probe answered)."""
    answered: int = 0
    """Requests it answered."""
    picked: int = 0
    """When it was last given a request (a counter): ties go to the one picked longest ago."""
    models: Counter = field(default_factory=Counter)
    """The models its answers named, and how many answers named each."""


class ServerPool:
    """Sends chat requests to several servers of the same model; safe to share between threads."""

    def __init__(self, urls: Sequence[str], *, model: str, api_key: str | None, timeout: float, http_retries: int,
                 backoff: float, concurrency: int, stop: threading.Event | None = None):
        if not urls:
            raise ValueError("a pool needs at least one server")
        self.stop = stop or threading.Event()
        self.http_retries = http_retries
        self.backoff = backoff
        self.concurrency = concurrency
        self.schemas = Dialects()
        self.replicas = [Replica(ChatClient(url, model=model, api_key=api_key, timeout=timeout,
                                            http_retries=http_retries, backoff=backoff, concurrency=concurrency,
                                            stop=self.stop, dialects=self.schemas), shown_url(url.rstrip("/")))
                         for url in urls]
        self.retries = 0
        """Tries again after a fault, on whichever server."""
        self._cond = threading.Condition()
        self._picks = 0

    # --- what the engine reads, summed over the servers -------------------------------------------------------------

    @property
    def requests(self) -> int:
        """Requests sent, tries again included."""
        return sum(r.client.requests for r in self.replicas)

    @property
    def clipped(self) -> int:
        return sum(r.client.clipped for r in self.replicas)

    @property
    def clipped_example(self) -> str:
        return next((r.client.clipped_example for r in self.replicas if r.client.clipped_example), "")

    @property
    def dialects(self) -> list[str]:
        return self.schemas.left

    @property
    def refusals(self) -> list[str]:
        return self.schemas.refusals

    @property
    def json_schema(self) -> bool:
        """Whether requests carry ``response_format`` (False once a server refused every dialect)."""
        return bool(self.schemas.left)

    @property
    def live(self) -> int:
        """Servers not taken out."""
        with self._cond:
            return sum(1 for r in self.replicas if not r.out)

    def models(self) -> Counter:
        """``(model, server)`` → answers naming that model, over every server."""
        with self._cond:
            return Counter({(name, r.url): n for r in self.replicas for name, n in r.models.items()})

    def close(self) -> None:
        for replica in self.replicas:
            replica.client.close()

    # --- one request -------------------------------------------------------------------------------------------------

    def complete(self, messages: Sequence[dict], *, schema: Callable[[str], dict] | None, temperature: float,
                 seed: int, max_tokens: int) -> Reply:
        """One chat completion, from the server with the fewest in flight, sent again elsewhere on a fault."""
        failures = 0
        most = (self.http_retries + 1) * len(self.replicas)
        while True:
            replica, epoch = self._acquire()
            try:
                outcome = replica.client.attempt(messages, schema=schema, temperature=temperature, seed=seed,
                                                 max_tokens=max_tokens)
            except Unreachable as exc:
                outcome = exc
            except BaseException:
                self._settle(replica, epoch)
                raise
            if isinstance(outcome, Reply):
                self._answered(replica, epoch, outcome)
                return outcome
            self._failed(replica, epoch, outcome)
            failures += 1
            with self._cond:
                if all(r.out and not r.probing for r in self.replicas):
                    raise self._all_out()
                if failures >= most:
                    raise self._request_failed(replica, failures)
                self.retries += 1

    def _acquire(self) -> tuple[Replica, int]:
        """The server the next try goes to (counted in flight there), waiting while none has room."""
        with self._cond:
            while True:
                if self.stop.is_set():
                    raise Cancelled()
                if all(r.out and not r.probing for r in self.replicas):
                    raise self._all_out()
                now = time.monotonic()
                free = [r for r in self.replicas if now >= r.not_before and not r.probing
                        and r.outstanding < (1 if r.out or r.fails else self.concurrency)]
                if free:
                    replica = min(free, key=lambda r: (r.outstanding, r.picked))
                    self._picks += 1
                    replica.picked = self._picks
                    replica.outstanding += 1
                    replica.probing = replica.out
                    return replica, replica.epoch
                waits = [r.not_before - now for r in self.replicas if r.not_before > now]
                self._cond.wait(min([_POLL, *waits]))

    def _settle(self, replica: Replica, epoch: int) -> None:
        with self._cond:
            replica.outstanding -= 1
            if epoch == replica.epoch:  # the probe itself, not a try sent before the server was taken out
                replica.probing = False
            self._cond.notify_all()

    def _answered(self, replica: Replica, epoch: int, reply: Reply) -> None:
        with self._cond:
            replica.outstanding -= 1
            replica.answered += 1
            if reply.model:
                replica.models[reply.model] += 1
            if replica.out and epoch == replica.epoch:  # a probe, not a try sent before it was taken out
                replica.out = False
                replica.probing = False
                replica.returns += 1
            if not replica.out:
                replica.fails = 0
                replica.not_before = 0.0
            self._cond.notify_all()

    def _failed(self, replica: Replica, epoch: int, outcome: Failure | Unreachable) -> None:
        """Count a fault of ``replica`` (once per fault, however many tries in flight it failed)."""
        with self._cond:
            replica.outstanding -= 1
            if epoch == replica.epoch:
                replica.probing = False
                now = time.monotonic()
                replica.epoch += 1
                replica.fails += 1
                replica.faults += 1
                if isinstance(outcome, Unreachable):
                    replica.problem = "could not be reached (connection refused)"
                    replica.unreachable = outcome
                else:
                    replica.problem = outcome.problem
                    replica.unreachable = None
                if replica.out:  # a probe failed: out again, for twice as long
                    replica.cooldown = min(2 * replica.cooldown, MAX_RETRY_AFTER)
                    replica.not_before = now + replica.cooldown
                elif replica.fails > self.http_retries or isinstance(outcome, Unreachable):
                    replica.out = True
                    replica.outs += 1
                    replica.cooldown = min(max(COOLDOWN_FLOOR, self.backoff * 2 ** (self.http_retries + 1)),
                                           MAX_RETRY_AFTER)
                    replica.not_before = now + replica.cooldown
                else:
                    wait = outcome.wait if outcome.wait is not None else self.backoff * 2 ** (replica.fails - 1)
                    replica.not_before = now + min(wait, MAX_RETRY_AFTER)
            self._cond.notify_all()

    # --- the lines a fault ends in ------------------------------------------------------------------------------------

    def _all_out(self) -> ServerFailed | Unreachable:
        """Every server is out: one line naming each (called under the lock)."""
        if len(self.replicas) == 1:
            (only,) = self.replicas
            if only.unreachable is not None:
                return Unreachable(only.unreachable.message)
            return ServerFailed(f"the LLM server at {only.url} {only.problem}, {_in_a_row(only.fails)}")
        shown = self.replicas[:_NAMED]
        more = len(self.replicas) - len(shown)
        rest = f"; and {more} more" if more else ""
        if all(r.unreachable is not None and not r.answered for r in self.replicas):
            return Unreachable(f"cannot reach any of the {len(self.replicas)} LLM servers in llm.servers ("
                               + ", ".join(r.url for r in shown) + (f" and {more} more" if more else "")
                               + "; connection refused); start them or correct llm.servers in edition.toml")
        return ServerFailed(f"every LLM server of llm.servers failed: "
                            + "; ".join(f"{r.url} {r.problem}, {_in_a_row(r.fails)}" for r in shown) + rest)

    def _request_failed(self, replica: Replica, failures: int) -> ServerFailed:
        """One request failed on every try it was given, though not every server is out."""
        if len(self.replicas) == 1:
            return ServerFailed(f"the LLM server at {replica.url} {replica.problem}, {_in_a_row(failures)}")
        return ServerFailed(f"one request failed {failures} times on the {len(self.replicas)} LLM servers of "
                            f"llm.servers (the last: {replica.url} {replica.problem})")

    def report(self) -> list[str]:
        """Warnings for the build, with several servers: each server that failed, and whether it was taken out.

        (One server's faults that a try again mended show in the progress bar's retries, as they always did.)
        """
        lines = []
        with self._cond:
            if len(self.replicas) < 2:
                return lines
            for r in self.replicas:
                if r.outs:
                    back = (f"; it came back {_times(r.returns)}" if r.returns else "; it never came back")
                    lines.append(f"llm: the LLM server at {r.url} was taken out {_times(r.outs)} (last: it "
                                 f"{r.problem}){back}; its requests went to the other servers")
                elif r.faults:
                    lines.append(f"llm: the LLM server at {r.url} failed {_times(r.faults)} (last: it {r.problem}); "
                                 f"those requests were sent again to the other servers")
        return lines


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _in_a_row(n: int) -> str:
    """``3 times in a row``, as the single client has always said it."""
    return f"{n} time{'s' if n != 1 else ''} in a row"
