"""Spans of a text that a rule must leave alone, asked about in logarithmic time.

Rules ask, for every punctuation mark, space, tag or question mark they consider,
whether it lies in a protected span (a URL, a Markdown link, a flagged damaged span,
a tag already taken). Asking a list costs the number of spans each time, which made
cleaning quadratic in the article's size (a 10 MB article took 45 times as long as a
1 MB one); :class:`Spans` keeps them merged and sorted and answers with a bisection.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable


class Spans:
    """A set of half-open ``[start, end)`` spans of a text, merged where they overlap."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            self._append(start, end)

    def _append(self, start: int, end: int) -> None:
        if end <= start:
            return
        if self._ends and start <= self._ends[-1]:
            self._ends[-1] = max(self._ends[-1], end)
        else:
            self._starts.append(start)
            self._ends.append(end)

    def __contains__(self, offset: int) -> bool:
        """True when ``offset`` lies inside a span."""
        index = bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._ends[index]

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with a span."""
        index = bisect_right(self._starts, end - 1) - 1
        return index >= 0 and self._ends[index] > start

    def __iter__(self):
        return iter(zip(self._starts, self._ends))

    def __len__(self) -> int:
        return len(self._starts)
