"""The one small protocol every translation engine speaks.

An engine turns batches of Chinese sentences into English. Layers wrap it
(argos-translate's ``ITranslation`` / ``CachedTranslation``): the glossary layer
(:mod:`translate.translation.constraints`) makes terms come out right, the inline
layer (:mod:`translate.translation.inline`) carries Markdown across, and the
translation memory (:mod:`translate.translation.memory`) skips what was done before.
Batch methods only: the Argos engine is fast because it sees every sentence at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

from translate.models import TermMatch


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


@runtime_checkable
class Engine(Protocol):
    """Translates batches of Chinese sentences (plain text, no Markdown) into English."""

    name: str
    """``argos`` or ``gloss`` (or a test's fake)."""
    model_id: str
    """Model package name and version, or dictionary name and version."""
    options: str
    """Everything else that changes the output (beam size, …): part of the memory key."""
    warnings: list[str]
    """Things the user should know about this engine (shown by the CLI)."""
    calls: int
    """Batch calls made so far (a fully cached build makes none)."""

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """The best translation of each sentence."""
        ...

    def hypotheses(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """Up to ``n`` translations of each sentence, best first."""
        ...


def can_align(engine: object) -> bool:
    """True when the engine offers ``align(sentences) -> list[Alignment]`` (rung 3)."""
    return callable(getattr(engine, "align", None))


def can_decode(engine: object) -> bool:
    """True when the engine offers ``decode(sentences, n, attention) -> list[list[Alignment]]``.

    One decode then gives the glossary ladder all it needs: the best hypothesis (rung 1),
    the n-best list (rung 2) and, with ``attention``, each hypothesis's alignment (rung 3),
    so a sentence missing a term costs one decode, not three. Hypotheses come best first;
    without ``attention`` their ``pieces`` and ``sources`` are empty.
    """
    return callable(getattr(engine, "decode", None))


def can_overlap(engine: object) -> bool:
    """True when the engine takes calls from two threads at once and works outside the GIL (CTranslate2).

    The translation memory then keeps two chunks in flight, so the engine's threads never wait
    for the end of a chunk (its last batch, the Python work between two calls).
    """
    return getattr(engine, "concurrent_calls", False) is True


@dataclass(frozen=True, slots=True)
class SentenceBlock:
    """One block's sentences, in reading order, for an engine that translates a block at a time."""

    kind: str
    """``title``, ``heading``, ``paragraph``, ``list_item``, ``quote`` or ``image`` (a caption)."""
    sentences: tuple[str, ...]
    """The sentences (inline Markdown; damaged spans already cut out), numbered 1… in the request."""
    matches: tuple[tuple[TermMatch, ...], ...]
    """For each sentence, the glossary terms found in its plain text: what the engine must honour."""


def can_translate_blocks(engine: object) -> bool:
    """True when the engine offers ``translate_blocks(blocks) -> Iterator[tuple[int, list[Constrained]]]``.

    Such an engine (the LLM engine) needs the block around each sentence and enforces
    the glossary itself: it gets :class:`SentenceBlock` s and yields, as each answer
    arrives and in any order, a block's index and one
    :class:`~translate.translation.constraints.Constrained` per sentence, so the
    translator commits every answer to the memory at once. The glossary and inline
    layers do not wrap it; the translator still proves every term.
    """
    return callable(getattr(engine, "translate_blocks", None))


def keeps_word_order(engine: object) -> bool:
    """True for word-by-word engines, whose runs of text may be translated one by one."""
    return bool(getattr(engine, "word_by_word", False))
