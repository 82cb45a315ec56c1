"""A bead: which Chinese sentences an English stretch translates, and how sure the aligner is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Bead:
    """Consecutive Chinese sentences aligned with consecutive English sentences (0-based indices).

    Either side may be empty: ``zh=(3,), en=()`` says the English leaves Chinese
    sentence 3 out (1-0); ``zh=(), en=(4,)`` says the English adds sentence 4 (0-1).
    """

    zh: tuple[int, ...]
    """Indices of the Chinese sentences, ascending and consecutive."""
    en: tuple[int, ...]
    """Indices of the English sentences, ascending and consecutive."""
    confidence: float
    """How sure the aligner is of this bead, 0 (a guess) to 1."""

    @property
    def kind(self) -> str:
        """The bead's shape, e.g. ``"1-2"`` (one Chinese sentence, two English ones)."""
        return f"{len(self.zh)}-{len(self.en)}"

    def __str__(self) -> str:
        return f"[{','.join(map(str, self.zh))}]:[{','.join(map(str, self.en))}]"


def format_beads(beads: Iterable[Bead]) -> str:
    """The beads one per line in the research aligners' format: ``[0,1]:[0]``, ``[3]:[]``."""
    return "".join(f"{bead}\n" for bead in beads)
