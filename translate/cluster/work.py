"""What a cluster worker does, without Ray: open the build's engine once, translate chunks with it.

A worker translates a chunk with the same layers as a local build (inline Markdown around
the glossary ladder around the engine), so the English is the same, byte for byte. It
opens the engine from the build's settings, which must find the same model as the driver
(a shared folder, or the same path in every node's image): the model id and options are
part of every memory key, and a worker that finds another model refuses to translate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from translate.cluster import ClusterError


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """The engine a build's workers open: what the driver opened, by name, with the settings it read."""

    settings: object
    """The build's :class:`~translate.settings.Settings` (its paths as the driver resolved them)."""
    name: str
    """The engine's name in the engine table as opened (``argos``, ``ct2``, ``gloss``: never ``auto``)."""
    model_id: str
    """The driver's model id: the worker's must be the same."""
    options: str
    """The driver's engine options: the worker's must be the same."""
    num_hypotheses: int
    """The glossary ladder's n-best."""
    threads: int = 1
    """CTranslate2 threads of one worker (its share of the node's cores)."""


class ChunkWorker:
    """One loaded engine; :meth:`translate` takes a chunk of sentences and the build's glossary."""

    def __init__(self, spec: EngineSpec):
        self.spec = spec
        self.engine = open_worker_engine(spec)
        self.sentences = 0

    def translate(self, chunk: list[str], glossary) -> list:
        """The inner layers' result for each sentence of ``chunk`` (``en``, ``raw``, ``rung``…).

        The glossary comes with each chunk (a restarted worker has nothing to fetch again); the layers
        around the engine hold nothing from one chunk to the next, so they are made for each.
        """
        from translate.translation.constraints import GlossaryLayer
        from translate.translation.inlinelayer import InlineLayer

        self.sentences += len(chunk)
        layer = InlineLayer(GlossaryLayer(self.engine, glossary, num_hypotheses=self.spec.num_hypotheses))
        return layer.translate(chunk)

    def pid(self) -> int:
        """This worker's process id (tests kill it)."""
        return os.getpid()


def open_worker_engine(spec: EngineSpec):
    """The engine ``spec`` names, opened here with ``spec.threads`` CTranslate2 threads; the driver's model or an error."""
    from translate.translation import ct2, open_engine

    # A worker owns its process: CTranslate2 takes its share of the cores, not every core of the node
    # (two workers on two cores with two threads each would fight). Outputs do not depend on it.
    ct2._threads = lambda: (max(1, spec.threads), 1)
    engine = open_engine(spec.settings, spec.name)
    if (engine.model_id, engine.options) != (spec.model_id, spec.options):
        raise ClusterError(f"a worker on {os.uname().nodename} opened {engine.name}:{engine.model_id} "
                           f"({engine.options}), not the build's {spec.model_id} ({spec.options}); install the same "
                           "model where every worker finds it (see docs/cluster.md)")
    return engine


#: This process's worker of each spec (an engine without an actor to hold it: a Dask worker's process).
_workers: dict[EngineSpec, ChunkWorker] = {}


def translate_chunk(spec: EngineSpec, chunk: list[str], glossary) -> list:
    """:meth:`ChunkWorker.translate` on this process's worker of ``spec``, opened on its first chunk and kept.

    For engines whose workers are plain processes that run functions (Dask's): the model is loaded
    once per process, as a Ray actor loads it once.
    """
    worker = _workers.get(spec)
    if worker is None:
        worker = _workers[spec] = ChunkWorker(spec)
    return worker.translate(chunk, glossary)
