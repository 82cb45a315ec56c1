"""The one small protocol every translation engine speaks.

An engine turns batches of Chinese sentences into English. Layers wrap it
(argos-translate's ``ITranslation`` / ``CachedTranslation``): the glossary layer
(:mod:`translate.translation.constraints`) makes terms come out right, the inline
layer (:mod:`translate.translation.inlinelayer`) carries Markdown across, and the
translation memory (:mod:`translate.translation.memory`) skips what was done before.
Batch methods only: the Argos engine is fast because it sees every sentence at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

from translate.engines import Capability
from translate.models import Cell, TermMatch


@dataclass(frozen=True, slots=True)
class Alignment:
    """A translation with, for each English piece, the Chinese it attends to most.

    Rung 3 of the glossary ladder replaces the pieces aligned with a missing term.
    """

    text: str
    """The English sentence: ``"".join(pieces).strip()`` (up to the tokenizer's byte and unknown pieces)."""
    pieces: tuple[str, ...]
    """English pieces (subwords with their leading space) that concatenate to ``text``."""
    sources: tuple[tuple[int, int] | None, ...]
    """For each piece, the character span of the source it attends to most (None: none)."""
    first_options: tuple[tuple[int, int] | None, ...] = ()
    """Empty when every source is known. Otherwise the first piece's source is not known yet (``decode`` with
    ``first_step=False``): it is one of these spans, and the engine's ``first_sources`` tells which."""


@runtime_checkable
class Engine(Protocol):
    """Translates batches of Chinese sentences (plain text, no Markdown) into English."""

    name: str
    """Its name in the engine table (:data:`translate.engines.ENGINES`), or a test's fake's."""
    model_id: str
    """Model package name and version, or dictionary name and version."""
    options: str
    """Everything else that changes the output (beam size, …): part of the memory key."""
    warnings: list[str]
    """Things the user should know about this engine (shown by the CLI)."""
    calls: int
    """Batch calls made so far (a fully cached build makes none)."""
    capabilities: frozenset[Capability]
    """What it can do beyond this protocol: declared (its entry's in :data:`translate.engines.ENGINES`), never probed.

    ``DECODE``: ``decode(sentences, n, attention, first_step=True) -> list[list[Alignment]]``, hypotheses
    best first (rungs 1–3 of the glossary ladder from one decode; without ``attention`` their ``pieces`` and
    ``sources`` are empty); with ``first_step=False`` the first piece's source may be left open
    (:attr:`Alignment.first_options`), and ``first_sources(sentences) -> dict[int, span | None]`` settles it
    for the sentences that need it, in one more (short) pass. ``ALIGN``: ``align(sentences) -> list[Alignment]`` (rung 3). ``BLOCKS``:
    ``translate_blocks(blocks) -> Iterator[tuple[int, list[Constrained]]]`` takes :class:`SentenceBlock` s
    and yields, as each answer arrives and in any order, a block's index and one
    :class:`~translate.translation.constraints.Constrained` per sentence, so the translator commits
    every answer to the memory at once. ``OVERLAP``: calls from two threads at once, outside the GIL.
    ``WORD_BY_WORD``: runs of a sentence may be translated one by one.
    """

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """The best translation of each sentence."""
        ...

    def hypotheses(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """Up to ``n`` translations of each sentence, best first."""
        ...


@dataclass(frozen=True, slots=True)
class SentenceBlock:
    """One block's sentences, in reading order, for an engine that translates a block at a time."""

    kind: str
    """``title``, ``heading``, ``paragraph``, ``list_item``, ``quote``, ``image`` (a caption), ``footnote`` (a
    paragraph of a footnote) or ``table`` (every cell of one table, row by row, header first)."""
    sentences: tuple[str, ...]
    """The sentences (inline Markdown; damaged spans and footnote references already cut out), numbered 1… in
    the request."""
    matches: tuple[tuple[TermMatch, ...], ...]
    """For each sentence, the glossary terms found in its plain text: what the engine must honour."""
    cells: tuple[Cell | None, ...] = ()
    """For a ``table``: each sentence's cell (row, column, header); empty for every other kind."""
