"""What the sentences of a band share, counted for all of its pairs at once with numpy.

:class:`Index` numbers the keys of the English sentences (:mod:`translate.align.evidence`) and keeps,
per key, the English sentences holding it and the bits of their tokens it names; per Chinese sentence,
its units' keys. From it, for the columns near each row of a band (:meth:`Index.shared`): how many units
of a Chinese sentence a run of one to four English sentences holds, and how many tokens of an English
sentence a run of one to three Chinese sentences explains (:class:`Shared`); and the anchor scores
(:meth:`Index.anchor_scores`). A pair outside the columns looked at shares nothing, as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from translate.align.evidence import ChineseEvidence, EnglishEvidence

#: Columns of room left of each Chinese sentence's window (a run of English sentences may start there and end in it).
PAD = 3
#: The longest runs counted: English sentences against a Chinese one, Chinese sentences against an English one.
ENGLISH_RUN = 4
CHINESE_RUN = 3
_WORD = 64
_ONES = (1 << _WORD) - 1


def _words(values: Sequence[int], count: int) -> np.ndarray:
    """Python ints as ``count`` rows of 64-bit words, lowest first."""
    return np.array([[(v >> (_WORD * w)) & _ONES for v in values] for w in range(count)], dtype=np.uint64
                    ).reshape(count, len(values))


if hasattr(np, "bitwise_count"):
    def _popcount(words: np.ndarray) -> np.ndarray:
        return np.bitwise_count(words).sum(axis=0, dtype=np.int64)
else:  # numpy < 2
    _BYTE_BITS = np.array([bin(k).count("1") for k in range(256)], dtype=np.int64)

    def _popcount(words: np.ndarray) -> np.ndarray:
        as_bytes = np.ascontiguousarray(words).view(np.uint8).reshape(*words.shape, 8)
        return _BYTE_BITS[as_bytes].sum(axis=(0, -1))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending (numpy's own unique hashes, and is many times slower on millions)."""
    values = np.sort(values, kind="stable")  # runs already sorted: the postings come key by key
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _expand(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``starts[k]..ends[k]`` (exclusive): the range of each position, and the positions."""
    counts = np.maximum(ends - starts, 0)
    owner = np.repeat(np.arange(len(starts)), counts)
    return owner, np.arange(int(counts.sum())) + (starts - (np.cumsum(counts) - counts))[owner]


class Index:
    """The keys of both sides, as arrays; keys in more than ``common_share`` of the English sentences (from
    ``common_from`` sentences on) are left out (a stem like "make" says nothing about which sentence)."""

    def __init__(self, zev: Sequence[ChineseEvidence], eev: Sequence[EnglishEvidence], common_from: int,
                 common_share: float):
        self.n, self.m = n, m = len(zev), len(eev)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for j, sentence in enumerate(eev):
            bits: dict[str, int] = {}
            for t, keys in enumerate(sentence.tokens):
                for key in keys:
                    bits[key] = bits.get(key, 0) | (1 << t)
            for key, mask in bits.items():
                js, masks = postings.setdefault(key, ([], []))
                js.append(j)
                masks.append(mask)
        common: set[str] = set()
        if m >= common_from:
            common = {key for key, (js, _) in postings.items() if len(js) > common_share * m}
            for key in common:
                del postings[key]
        self.zunits = [sum(1 for unit in z.units if not unit <= common) for z in zev]
        """Per Chinese sentence, its units with a key that is not common."""
        self.etokens = [sum(1 for token in e.tokens if not token <= common) for e in eev]
        """Per English sentence, its tokens with a key that is not common."""
        ids = {key: k for k, key in enumerate(postings)}
        self.count = np.array([len(js) for js, _ in postings.values()], dtype=np.int64)
        """Per key, the English sentences holding it."""
        self.weight = [math.log(1 + m / len(js)) for js, _ in postings.values()]
        """Per key, how rare it is (an anchor's score adds these)."""
        self.sentence = np.array([j for js, _ in postings.values() for j in js], dtype=np.int64)
        """The postings, key by key, each key's in ascending order: the English sentence."""
        self.place = self.sentence + np.repeat(np.arange(len(ids), dtype=np.int64), self.count) * (m + 1)
        """The postings' order: key × (m + 1) + sentence, ascending."""
        self.where = np.concatenate(([0], np.cumsum(self.count)))
        """Where each key's postings start (and the last end)."""
        masks = [mask for _, ms in postings.values() for mask in ms]
        self.ewords = 1 + max((len(e.tokens) for e in eev), default=0) // _WORD
        self.bits = _words(masks, self.ewords)
        """Per posting, the tokens of its sentence that hold the key (64 a word)."""
        # Each distinct unit's keys found in the English once (a book repeats its units), then spread.
        numbers: dict[frozenset, int] = {}
        keys_of: list[list[int]] = []
        zs, us, which = [], [], []
        for a, sentence in enumerate(zev):
            for u, unit in enumerate(sentence.units):
                number = numbers.get(unit)
                if number is None:
                    number = numbers[unit] = len(keys_of)
                    keys_of.append([k for k in map(ids.get, unit) if k is not None])
                if keys_of[number]:
                    zs.append(a)
                    us.append(u)
                    which.append(number)
        sizes = np.array([len(keys) for keys in keys_of], dtype=np.int64)
        flat = np.array([k for keys in keys_of for k in keys], dtype=np.int64)
        owner, at = _expand(np.cumsum(sizes)[np.array(which, dtype=np.int64)] - sizes[which], np.cumsum(sizes)[which])
        zs, us, ks = np.array(zs, dtype=np.int64)[owner], np.array(us, dtype=np.int64)[owner], flat[at]
        order = np.lexsort((zs, ks))  # key by key: the postings are searched in order
        self.unit_of = (zs[order], us[order], ks[order])
        """Per key of a Chinese unit found in the English, by key: the sentence, the unit's place in it, the key."""
        self.zwords = 1 + max((len(z.units) for z in zev), default=0) // _WORD
        self._ids = ids
        self._zev = zev

    def _hits(self, sentences: np.ndarray, keys: np.ndarray, first: np.ndarray, last: np.ndarray):
        """For each (Chinese sentence, key) given, the postings of the key in columns ``first..last`` of the
        sentence: which of the given pairs each hit comes from, and the posting."""
        base = keys * (self.m + 1)
        first, last = np.maximum(first, 0), np.minimum(last, self.m - 1)  # not into the next key's postings
        starts = np.searchsorted(self.place, base + first[sentences])
        ends = np.searchsorted(self.place, base + np.maximum(last[sentences] + 1, first[sentences]))
        return _expand(starts, ends)

    def shared(self, lo: Sequence[int], hi: Sequence[int]) -> "Shared":
        """Counts for the band ``lo``/``hi`` (rows 0..n): Chinese sentence a looks at the English sentences
        from three before the band's start to three after its end in rows a and a + 1. Each sentence's columns
        lie end to end (with PAD empty columns either side), so the counts take the band's room, whatever the
        widest row."""
        n, m = self.n, self.m
        lo, hi = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
        first = np.maximum(0, np.minimum(lo[:-1], lo[1:]) - 3)
        last = np.minimum(m - 1, np.maximum(hi[:-1], hi[1:]) + 3)
        width = np.maximum(last - first + 1, 0) + 2 * PAD
        start = np.concatenate(([0], np.cumsum(width)))
        size = int(start[-1])
        a, u, k = self.unit_of
        hit, posting = self._hits(a, k, first, last)
        a, u, b = a[hit], u[hit], self.sentence[posting]
        place = start[a] + b - first[a] + PAD
        found = np.zeros((self.zwords, size), dtype=np.uint64)
        np.bitwise_or.at(found, (u // _WORD, place), np.left_shift(np.uint64(1), (u % _WORD).astype(np.uint64)))
        explained = np.zeros((self.ewords, size), dtype=np.uint64)
        for w in range(self.ewords):
            np.bitwise_or.at(explained[w], place, self.bits[w, posting])
        # Runs of English sentences against each Chinese one: units found in any of them (a run past the end
        # of a sentence's columns reads the next one's empty columns).
        zcount = np.zeros((ENGLISH_RUN + 1, size), dtype=np.int32)
        run = found.copy()
        zcount[1] = _popcount(run)
        for length in range(2, ENGLISH_RUN + 1):
            run[:, :size - length + 1] |= found[:, length - 1:]
            zcount[length] = _popcount(run)
        # Runs of Chinese sentences against each English one (in the first one's columns): tokens explained.
        ecount = np.zeros((CHINESE_RUN + 1, size), dtype=np.int32)
        run = explained.copy()
        ecount[1] = _popcount(run)
        row = np.repeat(np.arange(n, dtype=np.int64), width)
        column = np.arange(size, dtype=np.int64) - start[row]
        for length in range(2, CHINESE_RUN + 1):
            later = np.minimum(row + length - 1, n - 1)
            at = column - (first[later] - first[row])  # the same English sentence in the later one's columns
            inside = (row + length - 1 < n) & (at >= 0) & (at < width[later])
            source = start[later] + np.clip(at, 0, None)
            run |= np.where(inside[None], explained[:, np.minimum(source, size - 1)], np.uint64(0))
            ecount[length] = _popcount(run)
        return Shared(first, width, start, zcount, ecount)

    def anchor_scores(self, lo: np.ndarray, hi: np.ndarray,
                      rare: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per Chinese sentence a: the English sentence in columns ``lo[a]..hi[a]`` its rare units point at
        most, the score there (the sum of those units' weights) and the runner-up's (0 if none). A unit counts
        once per sentence (its copies too), with the weight of its rarest key found in the English at all;
        keys in more than ``rare`` English sentences are left out."""
        n, m = self.n, self.m
        sentences, units, place, unit_sentence, weight = self._rare_units(rare)
        first, last = np.maximum(lo, 0), np.minimum(hi, m - 1)
        base = units * (m + 1)
        hit, at = _expand(np.searchsorted(place, base + first[sentences]),
                          np.searchsorted(place, base + np.maximum(last[sentences] + 1, first[sentences])))
        rows, cols, weights = sentences[hit], unit_sentence[at], weight[units[hit]]
        width = max(int((last - first).max()) + 1, 1) if n else 1
        best_col = np.zeros(n, dtype=np.int64)
        best, second = np.zeros(n), np.zeros(n)
        # Scores in a dense table some rows at a time; a sum adds the units in the order they came.
        chunk = max(1, (1 << 16) // width)
        bounds = np.searchsorted(rows, np.arange(0, n + chunk, chunk))
        for k, a0 in enumerate(range(0, n, chunk)):
            r0, r1 = bounds[k], bounds[k + 1]
            count = min(chunk, n - a0)
            cell = (rows[r0:r1] - a0) * width + cols[r0:r1] - first[rows[r0:r1]]
            table = np.bincount(cell, weights[r0:r1], minlength=count * width).reshape(count, width)
            top = table.argmax(axis=1)
            lines = np.arange(count)
            best_col[a0:a0 + count] = first[a0:a0 + count] + top
            best[a0:a0 + count] = table[lines, top]
            table[lines, top] = 0.0  # the runner-up: the best of the rest (as good, where two are)
            second[a0:a0 + count] = table.max(axis=1)
        return best_col, best, second

    def _rare_units(self, rare: int):
        """The distinct units of each Chinese sentence with a key in at most ``rare`` English sentences: per
        (sentence, unit) the sentence and the unit's number; per unit the English sentences holding any of those
        keys (``place``: unit × (m + 1) + sentence, ascending, and the sentence) and its weight (its rarest key's)."""
        cached = getattr(self, "_rare", None)
        if cached is not None and cached[0] == rare:
            return cached[1]
        numbers: dict[frozenset, int] = {}
        sentences, units, keys_of, weights = [], [], [], []
        for a, sentence in enumerate(self._zev):
            for unit in dict.fromkeys(sentence.units):
                number = numbers.get(unit)
                if number is None:
                    keys = [k for k in map(self._ids.get, unit) if k is not None and self.count[k] <= rare]
                    number = numbers[unit] = len(keys_of)
                    keys_of.append(keys)
                    weights.append(max((self.weight[k] for k in keys), default=0.0))
                if keys_of[number]:
                    sentences.append(a)
                    units.append(number)
        owner = np.array([u for u, keys in enumerate(keys_of) for _ in keys], dtype=np.int64)
        key = np.array([k for keys in keys_of for k in keys], dtype=np.int64)
        which, posting = _expand(self.where[key], self.where[key + 1])
        place = _distinct(owner[which] * (self.m + 1) + self.sentence[posting])
        result = (np.array(sentences, dtype=np.int64), np.array(units, dtype=np.int64), place,
                  place % (self.m + 1), np.array(weights))
        self._rare = (rare, result)
        return result


@dataclass(frozen=True, eq=False)
class Shared:
    """Counts of what runs of sentences share, for one band (see :meth:`Index.shared`)."""

    first: np.ndarray
    """Per Chinese sentence, the first English sentence looked at."""
    width: np.ndarray
    """Per Chinese sentence, its columns (those looked at, and PAD either side)."""
    start: np.ndarray
    """Where each Chinese sentence's columns start."""
    zcount: np.ndarray
    """[run length, column]: units of the column's Chinese sentence found in the English run starting there."""
    ecount: np.ndarray
    """[run length, column]: tokens of the column's English sentence explained by the run of Chinese sentences
    starting with the column's."""

    def _place(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        column = b - self.first[a] + PAD
        inside = (column >= 0) & (column < self.width[a])
        return inside, self.start[a] + np.where(inside, column, 0)

    def found(self, a: np.ndarray, b: np.ndarray, length: int) -> np.ndarray:
        """Units of Chinese sentences ``a`` found in English sentences ``b``..``b + length - 1``."""
        inside, place = self._place(a, b)
        return np.where(inside, self.zcount[length, place], 0)

    def explained(self, a: np.ndarray, b: np.ndarray, length: int) -> np.ndarray:
        """Tokens of English sentences ``b`` explained by Chinese sentences ``a``..``a + length - 1``."""
        inside, place = self._place(a, b)
        return np.where(inside, self.ecount[length, place], 0)
