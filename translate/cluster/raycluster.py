"""The Ray backend: translation actors (one model each) and PDF tasks on a Ray cluster.

Translation: one actor per CPU slot of the cluster (per GPU when ``translation.device`` asks
for CUDA, or is ``auto`` and the cluster has GPUs), each loading the model once; the chunks
go to whichever actor is free and come back in order (:class:`ray.util.ActorPool`). An actor
whose process dies is restarted and its chunks run again (``max_restarts``,
``max_task_retries``); the actors are let go when the last chunk is back, so the PDF tasks
get the slots. PDF parts: one task each (``max_retries``), setting the part as a local
worker does. Results come back to the driver, which writes everything.

Nothing connects until the build has something to do: a build that finds nothing changed
never touches the cluster.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Future

import ray
from ray.util import ActorPool

from translate.cluster import LOCAL, ClusterError, first_line
from translate.cluster.work import ChunkWorker, EngineSpec
from translate.errors import BitextError

#: Tries again for a chunk or a part whose worker died, and restarts of a translation actor.
RETRIES = 3


@ray.remote(max_restarts=RETRIES, max_task_retries=RETRIES)
class _Translator(ChunkWorker):
    """A :class:`ChunkWorker` as a Ray actor."""


@ray.remote(num_cpus=1, max_retries=RETRIES)
def _render(job):
    from translate.render.pdf.workers import render_document

    return render_document(job)


@ray.remote(num_cpus=1, max_retries=RETRIES)
def _call(function, *args):
    return function(*args)


class RayBackend:
    """A build's connection to a Ray cluster (made on first use)."""

    def __init__(self, address: str, settings):
        self.address = address
        self.settings = settings
        self._owned = False
        self._connected = False
        self.actors: list = []
        """The translation actors of the chunks in flight."""
        self.pids: list[int] = []
        """Their process ids (tests kill one)."""
        self.threads = 1
        """CTranslate2 threads of each translation worker (one CPU slot each: one thread)."""

    # -- the backend protocol ----------------------------------------------------------------

    def chunk_translator(self, engine, glossary, num_hypotheses: int):
        spec = EngineSpec(self.settings, engine.name, engine.model_id, engine.options, num_hypotheses,
                          threads=self.threads)

        def farm(chunks: list[list[str]]):
            self._connect()
            count, resources = self._slots(len(chunks))
            try:
                shared = ray.put(glossary)
                self.actors = [_Translator.options(**resources).remote(spec) for _ in range(count)]
                # Every worker has its model before any chunk goes (a worker that cannot open it says so now).
                self.pids = ray.get([actor.pid.remote() for actor in self.actors])
                pool = ActorPool(self.actors)
                for chunk in chunks:
                    pool.submit(lambda actor, sentences: actor.translate.remote(sentences, shared), chunk)
            except Exception as exc:
                self._let_go()
                raise self._error(exc, "could not start the translation workers") from None
            except BaseException:
                self._let_go()
                raise
            try:
                for number in range(len(chunks)):
                    results = self._wait(pool.get_next)
                    if number == len(chunks) - 1:
                        self._let_go()  # before the last yield: the PDF tasks need the slots now
                    yield results
            finally:
                self._let_go()

        return farm

    def open_workers(self, builder, settings):
        if builder.name != "pdf":
            return builder.open_workers(settings)
        self._connect()
        return _PdfWorkers(self)

    def close(self) -> None:
        self._let_go()
        if self._owned and ray.is_initialized():
            ray.shutdown()
        self._connected = self._owned = False

    # -- internals ---------------------------------------------------------------------------

    def _connect(self) -> None:
        if self._connected:
            return
        if not ray.is_initialized():
            options = dict(log_to_driver=False, logging_level=logging.WARNING)
            try:
                if self.address == LOCAL:
                    ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, **options)
                else:
                    ray.init(address=self.address, **options)
            except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError… for an address it cannot use
                raise ClusterError(f"cannot reach the Ray cluster at {self.address} ({first_line(exc)}); start it "
                                   f"(`ray start --head`) or check the address") from None
            self._owned = True
        self._connected = True

    def _slots(self, chunks: int) -> tuple[int, dict]:
        """How many translation actors, and the resources of each."""
        try:
            resources = ray.cluster_resources()
        except Exception as exc:
            raise self._error(exc, "could not read the cluster's resources") from None
        device = self.settings.device
        gpus, cpus = int(resources.get("GPU", 0)), int(resources.get("CPU", 0))
        if device.startswith("cuda") or (device == "auto" and gpus > 0):
            if gpus == 0:
                raise ClusterError(f"translation.device is {device} but the Ray cluster at {self.address} has no GPU; "
                                   "set it to auto or cpu, or add GPU workers")
            return max(1, min(gpus, chunks)), {"num_gpus": 1, "num_cpus": 1}
        if cpus == 0:
            raise ClusterError(f"the Ray cluster at {self.address} has no CPU slot for a worker; start workers with "
                               "`ray start --address … --num-cpus N`")
        return max(1, min(cpus, chunks)), {"num_cpus": 1}

    def _wait(self, get):
        try:
            return get()
        except Exception as exc:
            raise self._error(exc, "stopped answering mid-build") from None

    def _error(self, exc: BaseException, what: str) -> BitextError:
        return error_of(exc, self.address, what)

    def _let_go(self) -> None:
        actors, self.actors = self.actors, []
        for actor in actors:
            try:
                ray.kill(actor, no_restart=True)
            except Exception:  # the cluster is gone already: nothing to let go of
                pass


def error_of(exc: BaseException, address: str, what: str) -> BitextError:
    """The one-line error for what a worker or the cluster raised: a worker's own BitextError as it was."""
    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayTaskError) and isinstance(cause, BitextError):
        return cause
    if isinstance(exc, BitextError):
        return exc
    return ClusterError(f"the Ray cluster at {address} {what} ({first_line(exc, 160)}); what was translated so "
                        "far is kept in the translation memory: build again to go on from there")


class _PdfWorkers:
    """The PDF builder's workers on the cluster: ``submit(job)`` and ``call(function, *args)`` give futures."""

    def __init__(self, backend: RayBackend):
        self.backend = backend
        self._refs: list = []
        self._count: int | None = None

    @property
    def count(self) -> int:
        """Parts the cluster sets at once: its CPU slots (the builder queues the contents behind that many)."""
        if self._count is None:
            self.backend._connect()
            self._count = self.backend._slots(1 << 30)[0]
        return self._count

    def submit(self, job) -> Future:
        return self._future(_render.remote(job))

    def call(self, function, *args) -> Future:
        return self._future(_call.remote(function, *args))

    def close(self, *, cancel: bool = False) -> None:
        refs, self._refs = self._refs, []
        if cancel:
            for ref in refs:
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # done already, or the cluster is gone
                    pass

    def __enter__(self) -> "_PdfWorkers":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(cancel=kind is not None)

    def _future(self, ref) -> Future:
        self._refs.append(ref)
        out: Future = Future()

        def done(inner: Future) -> None:
            try:
                out.set_result(inner.result())
            except BaseException as exc:  # noqa: BLE001 (handed on to whoever waits for the part)
                out.set_exception(error_of(exc, self.backend.address, "failed to set a PDF part"))

        ref.future().add_done_callback(done)
        return out

