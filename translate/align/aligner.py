"""Sentence alignment: dynamic programming over beads, in a band around anchors.

First, *anchors*: Chinese sentences whose rare evidence (figures, names, glossary
terms, uncommon dictionary senses) points at one English sentence far more than at
any other. A first look in a wide strip around the diagonal keeps those that a
neighbour confirms on the same diagonal, in order (the longest increasing chain); a
second look searches only between them, and finds more. Then the dynamic programme
over beads (1-1, 1-2, 2-1, 1-0, 0-1, 2-2, 1-3, 3-1, 1-4) runs only in the boxes between
consecutive anchors (widened by a margin; in a book, along their diagonals), so a book
of thousands of sentences costs about as much as its length. Where the best path runs
along the band's edge, the anchors there misled it: they are dropped and the programme
rerun. A backward pass over the same band gives each bead's confidence: how much more
the best path costs that puts either end of the bead elsewhere.

A bead's cost adds its shape's prior, the Gale–Church length cost and, per sentence,
the share of the sentence's own evidence not found on the other side of the bead
(Chinese units not found in the English, English tokens the Chinese does not explain).
Leaving a sentence out costs, lexically, as much as pairing it with a side that holds
:data:`SKIP_SHARE` of its evidence: so an unrelated sentence is left out, not merged.
Paragraph breaks, when both sides' are given, are evidence too: a bead ending where both
sides end a paragraph costs less, one running across a break on one side only more.

All this runs twice: the first pass's beads teach the document's own word pairs (a
Chinese word and an English word found together in its beads far more than apart: the
names a translator chose, 韦小宝 ~ Trinket, and the translator's habits), which the second
pass counts as evidence beside the dictionary's (:func:`associated`).

The programme itself, and what the sentences of a band share, run in numpy, a band at once
(:mod:`translate.align.programme`, :mod:`translate.align.overlap`); this module decides what
the beads cost and where the band lies.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from typing import Sequence

import numpy as np

from translate.align.bead import Bead
from translate.align.evidence import (ChineseEvidence, EnglishEvidence, chinese_evidence, english_evidence,
                                      glossary_targets)
from translate.align.length import LengthModel
from translate.align.overlap import Index, _distinct
from translate.align.programme import Band, backward, forward, margins, path, steps

#: Bead shapes (Chinese sentences, English sentences) and their prior probabilities.
SHAPES: dict[tuple[int, int], float] = {
    (1, 1): 0.82, (1, 2): 0.07, (2, 1): 0.04, (1, 0): 0.01, (0, 1): 0.01,
    (2, 2): 0.0005, (1, 3): 0.01, (3, 1): 0.003, (1, 4): 0.003,
}
_PRIOR = {shape: -math.log(p) for shape, p in SHAPES.items()}
STEPS = list(SHAPES)
#: Weight of the lexical cost, per sentence of a bead.
LEXICAL_WEIGHT = 5.0
#: Weight of the length cost.
LENGTH_WEIGHT = 0.5
#: Leaving a sentence out costs as much, lexically, as sharing this share of evidence.
SKIP_SHARE = 0.3
#: The cost margin (of the best path against the best that places a bead's end elsewhere) at which a bead is
#: 63 % sure.
MARGIN_SCALE = 2.0
#: A paired bead whose sentences share less evidence than LOW_SHARE on average is unsure; HIGH_SHARE and more, sure.
LOW_SHARE = 0.1
HIGH_SHARE = 0.4
#: What a sentence with evidence of its own, none of it found, pays beyond the whole missing share in a bead of several.
STRANGER = 0.3
#: From this many English sentences on, keys found in more than COMMON_SHARE of them are not evidence.
COMMON_FROM = 50
COMMON_SHARE = 0.2
#: Inputs up to this many cells (Chinese × English sentences) are aligned without a band.
FULL_CELLS = 40_000
#: Columns added on each side of the boxes between anchors.
MARGIN = 12
#: A first-look anchor counts when another lies this many rows away or fewer, on about the same diagonal.
CONFIRM_ROWS = 8
#: In a book (over 16 × FULL_CELLS cells), the band between anchors far apart follows the diagonal of their box
#: this many columns either side, not the whole box.
BOX_HALF = 40
#: How many times the band is widened where the best path runs along its edge.
WIDENINGS = 2
#: A key found in more English sentences than this share (and at least 3) is too common to anchor.
RARE_SHARE = 0.02
#: The least anchor score (sum of the idf of the rare keys shared) and how far it must lead the runner-up.
ANCHOR_SCORE = 5.0
ANCHOR_LEAD = 2.0
#: Passes with the document's own word pairs (see :func:`associated`) after the first, when either side has
#: ASSOCIATE_FROM sentences or more (a third pass adds nothing: MAC-Dev 0.860 → 0.859).
ASSOCIATE = 1
ASSOCIATE_FROM = 20
#: A pair counts when its words share this many paired beads of the first pass, with this Dice coefficient at least.
ASSOCIATE_COUNT = 2
ASSOCIATE_DICE = 0.5
#: Where the band must widen and no anchor is to blame, widen it only near the rows where the path ran along its
#: edge (not everywhere: the same beads on MAC-Dev and MAC-Test as one book, a quarter less time).
LOCAL_WIDENING = True
#: How many times the first pass (which only teaches the second) may widen its band.
FIRST_WIDENINGS = 2
#: What a bead saves when it ends where both sides end a paragraph (paragraphs given): corresponding breaks are
#: strong evidence, yet less than a sentence's evidence (a skipped sentence costs about 8), so a missing or moved
#: paragraph is left out, not forced into pairs.
PARAGRAPH_BONUS = 3.0
#: What a bead pays that runs across a paragraph break on one side only.
PARAGRAPH_CROSS = 1.5

_INF = float("inf")
#: Relative slack in comparing sums of floats that are equal in exact arithmetic.
_ROUNDING = 1e-9
#: The most cells of a table of length costs by Chinese and English length (beyond, a sorted list: a little slower).
LENGTH_TABLE = 1 << 23
_SKIP_LEXICAL = LEXICAL_WEIGHT * (1 - SKIP_SHARE)


def align(zh: Sequence[str], en: Sequence[str], *, glossary=None, dictionary: bool = True,
          translations: Sequence[str] | None = None, zh_paragraphs: Sequence[int] | None = None,
          en_paragraphs: Sequence[int] | None = None) -> list[Bead]:
    """Align Chinese sentences with English ones; the beads cover both sides in order, each index once.

    ``glossary``: a :class:`~translate.glossary.Glossary` whose targets count as evidence;
    ``dictionary``: use CC-CEDICT senses; ``translations``: an engine's English of each
    Chinese sentence, whose words count as the Chinese sentence's own. ``zh_paragraphs`` and
    ``en_paragraphs``: the paragraph (any label, e.g. its index) of each sentence; given both, a
    bead that ends where both sides end a paragraph costs less, and one that runs across a break
    on one side only costs more. They are evidence, not constraints: a paragraph missing from the
    English or paragraphs in another order still align sentence by sentence (null beads, low
    confidence), never forced together.
    """
    zh, en = list(zh), list(en)
    if translations is not None and len(translations) != len(zh):
        raise ValueError(f"{len(translations)} translations for {len(zh)} Chinese sentences")
    for name, labels, side in (("zh_paragraphs", zh_paragraphs, zh), ("en_paragraphs", en_paragraphs, en)):
        if labels is not None and len(labels) != len(side):
            raise ValueError(f"{name}: {len(labels)} paragraph labels for {len(side)} sentences")
    if not zh or not en:
        return [Bead((i,), (), 1.0) for i in range(len(zh))] + [Bead((), (j,), 1.0) for j in range(len(en))]
    zev = chinese_evidence(zh, glossary, dictionary)
    if translations is not None:
        extra = english_evidence(translations)
        zev = [ChineseEvidence(z.units + x.tokens, z.length) for z, x in zip(zev, extra)]
    eev = english_evidence(en, glossary_targets(glossary, zh))
    breaks = None
    if zh_paragraphs is not None and en_paragraphs is not None:
        breaks = (_breaks(zh_paragraphs), _breaks(en_paragraphs))
    passes = ASSOCIATE if max(len(zh), len(en)) >= ASSOCIATE_FROM else 0
    # A pass that only teaches the next one its word pairs needs no confidence (a backward pass) nor widenings.
    beads = _Aligner(zev, eev, breaks).run(sure=not passes, widenings=FIRST_WIDENINGS if passes else WIDENINGS)
    for _ in range(passes):
        beads = _Aligner(*associated(zev, eev, beads), breaks).run()
    return beads


def associated(zev: list[ChineseEvidence], eev: list[EnglishEvidence],
               beads: Sequence[Bead]) -> tuple[list[ChineseEvidence], list[EnglishEvidence]]:
    """The evidence again, with the document's own word pairs: a Chinese word and an English word that the
    first pass's beads put together often (Dice coefficient over paired beads) explain each other, as a
    dictionary sense would. Names the dictionary does not know (韦小宝 ~ Trinket) and a translator's habits."""
    zcount: Counter[str] = Counter()
    ecount: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    zwords_of = [{w for w, _ in z.words} for z in zev]
    ewords_of = [{key[2:] for token in e.tokens for key in token if key[:2] == "l:"} for e in eev]
    for bead in beads:
        if not bead.zh or not bead.en:  # (only the sure ones: MAC-Dev 0.860 → 0.840)
            continue
        zwords = set().union(*(zwords_of[i] for i in bead.zh))
        ewords = set().union(*(ewords_of[j] for j in bead.en))
        zcount.update(zwords)
        ecount.update(ewords)
        both.update(itertools.product(zwords, ewords))
    pairs: dict[str, set[str]] = {}  # English word → Chinese words it goes with
    for (w, e), count in both.items():
        if count >= ASSOCIATE_COUNT and 2 * count >= ASSOCIATE_DICE * (zcount[w] + ecount[e]):
            pairs.setdefault(e, set()).add(w)
    known = {w for ws in pairs.values() for w in ws}
    if not known:
        return zev, eev
    zout = []
    for z in zev:
        units = list(z.units)
        for word, indices in z.words:
            if word not in known:
                continue
            key = f"a:{word}"
            if indices:
                for k in indices:
                    units[k] = units[k] | {key}
            else:
                units.append(frozenset({key}))
        zout.append(ChineseEvidence(tuple(units), z.length, z.words))
    eout = []
    for e in eev:
        tokens = []
        for token in e.tokens:
            extra = {f"a:{w}" for key in token if key[:2] == "l:" for w in pairs.get(key[2:], ())}
            tokens.append(token | extra if extra else token)
        eout.append(EnglishEvidence(tuple(tokens), e.length))
    return zout, eout


def _breaks(labels: Sequence[int]) -> frozenset[int]:
    """The sentence indices where a new paragraph starts (0 and the end aside)."""
    return frozenset(k for k in range(1, len(labels)) if labels[k] != labels[k - 1])


class _Aligner:
    def __init__(self, zev: list[ChineseEvidence], eev: list[EnglishEvidence],
                 breaks: tuple[frozenset[int], frozenset[int]] | None = None):
        self.zev, self.eev = zev, eev
        self.n, self.m = len(zev), len(eev)
        self.zbreaks, self.ebreaks = breaks or (frozenset(), frozenset())
        # A key in a large share of the English sentences (a stem like "make") says nothing about which one.
        self.index = Index(zev, eev, COMMON_FROM, COMMON_SHARE)
        self.zunits = np.array(self.index.zunits, dtype=np.int64)
        self.etokens = np.array(self.index.etokens, dtype=np.int64)

    # -- first pass: anchors and the band ---------------------------------------------------------------------
    def anchors(self, window: tuple[list[int], list[int]] | None = None) -> list[tuple[int, int]]:
        """Pairs (Chinese i, English j) that rare evidence ties together, in order; ``window``: per row, the
        columns to look in (default: a wide strip around the diagonal)."""
        n, m = self.n, self.m
        rare = max(3, int(m * RARE_SHARE))
        wide = max(50, int(0.15 * max(n, m)))
        if window is None:
            centre = (np.arange(n, dtype=np.int64) * m / n).astype(np.int64)
            lo, hi = centre - wide, centre + wide
        else:
            lo, hi = np.asarray(window[0][:n], dtype=np.int64), np.asarray(window[1][1:], dtype=np.int64)
        cols, best, second = self.index.anchor_scores(lo, hi, rare)
        # A score is a sum of floats: a best exactly twice the runner-up (the same units, each found twice) is a tie
        # the order of the sum would decide by its last bit. It counts, as the arithmetic says.
        keep = (best >= ANCHOR_SCORE * (1 - _ROUNDING)) & (best >= ANCHOR_LEAD * second * (1 - _ROUNDING))
        found = list(zip(np.flatnonzero(keep).tolist(), cols[keep].tolist()))
        # In the wide first look a rare word meets chance matches: only anchors that others confirm count.
        return _increasing_chain(_confirmed(found, m / n) if window is None else found)

    def band(self, anchors: list[tuple[int, int]], margin: int = MARGIN) -> tuple[list[int], list[int]]:
        """For each row i of the programme (i Chinese sentences consumed), the columns allowed: lo[i]..hi[i]:
        the boxes between consecutive anchors, widened by ``margin``."""
        n, m = self.n, self.m
        points = [(0, 0), *((i, j) for i, j in anchors), (n, m)]
        lo, hi = [0] * (n + 1), [m] * (n + 1)
        k = 0
        for i in range(n + 1):
            while k + 1 < len(points) - 1 and points[k + 1][0] <= i:
                k += 1
            (ai, aj), (bi, bj) = points[k], points[k + 1]
            # The box between the anchors, but no wider than BOX_HALF (and the margin) either side of its diagonal.
            centre = aj + (i - ai) * (bj - aj) / max(1, bi - ai)
            half = max(BOX_HALF, 3 * margin) if n * m > 16 * FULL_CELLS else m  # a chapter keeps whole boxes
            lo[i] = max(0, aj - margin, int(centre) - half)
            hi[i] = min(m, bj + 1 + margin, int(centre) + 1 + half)
        return _monotone(lo, hi, m)

    # -- second pass: the programme ------------------------------------------------------------------------------
    def run(self, sure: bool = True, widenings: int = WIDENINGS) -> list[Bead]:
        """The beads; ``sure``: with their confidence (else 0, and no backward pass); ``widenings``: how many
        times the band may be widened where the path runs along its edge."""
        n, m = self.n, self.m
        full = n * m <= FULL_CELLS
        # The length model comes from the anchors, found with this pass's evidence. (Fitted on the first pass's
        # sure 1-1 beads, or on its anchors, it weighs length too much: MAC-Dev 0.864 → 0.859, 0.855.)
        anchors = self.anchors()
        if not full:  # anchors again, each looked for only between its neighbours of the first pass: more of them
            anchors = self.anchors(self.band(anchors, 4 * MARGIN))
        self.model = LengthModel.fitted(sum(z.length for z in self.zev), sum(e.length for e in self.eev),
                                                 [(self.zev[i].length, self.eev[j].length) for i, j in anchors])
        # Length costs by the lengths of both sides: a table, or where that would be large, pairs and their costs.
        longest = (max(z.length for z in self.zev) * max(di for di, _ in STEPS) + 1,
                   max(e.length for e in self.eev) * max(dj for _, dj in STEPS) + 1)
        self.length_costs = (np.full(longest, np.nan) if longest[0] * longest[1] <= LENGTH_TABLE
                             else (np.zeros(0, dtype=np.int64), np.zeros(0)))
        self.zsum = np.array(list(itertools.accumulate((z.length for z in self.zev), initial=0)), dtype=np.int64)
        self.esum = np.array(list(itertools.accumulate((e.length for e in self.eev), initial=0)), dtype=np.int64)
        margin = MARGIN
        hot: set[int] = set()  # rows near which the band is widened (LOCAL_WIDENING)
        for attempt in range(widenings + 1):
            lo, hi = ([0] * (n + 1), [m] * (n + 1)) if full else self.band(anchors, MARGIN if hot else margin)
            if hot and not full:
                lo, hi = self.widened(lo, hi, hot, margin)
            self.programme(lo, hi)
            touched = self.touched(lo, hi)
            if not touched or full:
                break
            # The best path runs along the band's edge: the anchors there misled it. Drop them and widen.
            kept = [(i, j) for i, j in anchors if all(abs(i - t) > 4 * margin for t in touched)]
            if len(kept) == len(anchors):
                margin *= 3
                if LOCAL_WIDENING:
                    hot.update(touched)
            anchors = kept
            full = attempt + 1 == widenings and n * m <= 16 * FULL_CELLS
        cells = path(self.grid, self.choice, STEPS)
        if not sure:
            return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0)
                    for (i0, j0), (i1, j1) in itertools.pairwise(cells)]
        after = backward(self.grid, self.before, self.bead_costs, self.cost, STEPS)
        return self.beads(cells, margins(self.grid, self.cost, after, cells))

    def widened(self, lo: list[int], hi: list[int], hot: set[int], margin: int) -> tuple[list[int], list[int]]:
        """The band with ``margin`` more columns either side within 4 × ``margin`` rows of the ``hot`` rows."""
        n, m = self.n, self.m
        lo, hi = lo[:], hi[:]
        for row in hot:
            for i in range(max(0, row - 4 * margin), min(n, row + 4 * margin) + 1):
                lo[i] = max(0, lo[i] - margin)
                hi[i] = min(m, hi[i] + margin)
        return _monotone(lo, hi, m)

    def touched(self, lo: list[int], hi: list[int]) -> list[int]:
        """Rows where the best path runs along an edge of the band (not the grid's)."""
        rows = []
        i, j = self.n, self.m
        choice, cell = self.choice, self.grid.cell
        while i > 0 or j > 0:
            if (j - lo[i] < 2 and lo[i] > 0) or (hi[i] - j < 2 and hi[i] < self.m):
                rows.append(i)
            shape = choice[cell(i, j)]
            if shape < 0:  # unreachable: the band lost the path (_monotone keeps it connected)
                raise RuntimeError(f"no alignment path through ({i}, {j})")
            di, dj = STEPS[shape]
            i, j = i - di, j - dj
        return rows

    def programme(self, lo: list[int], hi: list[int]) -> None:
        """The dynamic programme in the band: each cell's least cost (:attr:`cost`) and the bead shape that
        reaches it (:attr:`choice`), every bead in the band costed at once (:attr:`bead_costs`)."""
        self.grid = grid = Band.of(lo, hi)
        self.before = steps(grid, STEPS)
        self.shared = self.index.shared(lo, hi)
        self.bead_costs, self.missing = self.costs(grid, self.before)
        self.cost, self.choice = forward(grid, self.before, self.bead_costs, STEPS)

    def costs(self, grid: Band, before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per shape and cell, the cost of the bead ending in the cell (0 where it would start outside the band),
        and for beads pairing sentences the sum of their missing shares (:meth:`missing_shares`)."""
        costs = np.zeros((len(STEPS), grid.size))
        missing = np.zeros((len(STEPS), grid.size))
        paragraphs = bool(self.zbreaks and self.ebreaks)
        if paragraphs:
            zbreak = np.zeros(self.n + 1, dtype=bool)
            zbreak[list(self.zbreaks)] = True
            ebreak = np.zeros(self.m + 1, dtype=bool)
            ebreak[list(self.ebreaks)] = True
        for s, shape in enumerate(STEPS):
            cells = np.flatnonzero(before[s] < grid.size)
            i1, j1 = grid.rows[cells], grid.cols[cells]
            i0, j0 = i1 - shape[0], j1 - shape[1]
            if shape[0] == 0 or shape[1] == 0:
                cost = np.full(len(cells), _PRIOR[shape] + _SKIP_LEXICAL * (shape[0] + shape[1]))
            else:
                length = self.length_cost(self.zsum[i1] - self.zsum[i0], self.esum[j1] - self.esum[j0])
                missing[s, cells] = share = self.missing_shares(shape, i0, j0)
                cost = _PRIOR[shape] + length + LEXICAL_WEIGHT * share
            if paragraphs:
                cost = cost + self.paragraph_costs(shape, i0, i1, j0, j1, zbreak, ebreak)
            costs[s, cells] = cost
        return costs, missing

    def length_cost(self, zh: np.ndarray, en: np.ndarray) -> np.ndarray:
        """LENGTH_WEIGHT × the length model's cost of each pair of lengths; each distinct pair is computed once
        a run (by :meth:`LengthModel.cost`, in Python: its ``erfc`` and ``log`` are the math module's), and kept in
        a table by both lengths (or, were that table too large, in a sorted list of pairs)."""
        table = self.length_costs
        if isinstance(table, np.ndarray):
            values = table[zh, en]
            unknown = np.flatnonzero(np.isnan(values))
            if len(unknown):
                span = table.shape[1]
                for key in _distinct(zh[unknown] * span + en[unknown]).tolist():
                    table[key // span, key % span] = LENGTH_WEIGHT * self.model.cost(key // span, key % span)
                values[unknown] = table[zh[unknown], en[unknown]]
            return values
        span = int(self.esum[-1]) + 1
        pairs = zh * span + en
        order = np.argsort(pairs, kind="stable")
        ordered = pairs[order]
        heads = np.ones(len(ordered), dtype=bool)
        heads[1:] = ordered[1:] != ordered[:-1]
        keys = ordered[heads]
        known_keys, known_values = table
        at = np.minimum(np.searchsorted(known_keys, keys), max(len(known_keys) - 1, 0))
        found = known_keys[at] == keys if len(known_keys) else np.zeros(len(keys), dtype=bool)
        values = np.empty(len(keys))
        values[found] = known_values[at[found]]
        new = keys[~found]
        values[~found] = [LENGTH_WEIGHT * self.model.cost(key // span, key % span) for key in new.tolist()]
        if len(new):
            where = np.searchsorted(known_keys, new)
            self.length_costs = (np.insert(known_keys, where, new), np.insert(known_values, where, values[~found]))
        out = np.empty(len(pairs))
        out[order] = values[np.cumsum(heads) - 1]
        return out

    def missing_shares(self, shape: tuple[int, int], i0: np.ndarray, j0: np.ndarray) -> np.ndarray:
        """Sum over the sentences of beads of ``shape`` from Chinese ``i0`` and English ``j0`` of the share of each
        one's own evidence not found on the other side (a sentence without evidence counts as a left-out one,
        1 - SKIP_SHARE; in a bead of several, a stranger pays more: :func:`_missing_in_merge`)."""
        di, dj = shape
        shared = self.shared
        if di == 1 and dj == 1:
            total = self.zunits[i0]
            zh = np.where(total > 0, 1 - shared.found(i0, j0, 1) / np.maximum(total, 1), 1 - SKIP_SHARE)
            total = self.etokens[j0]
            return zh + np.where(total > 0, 1 - shared.explained(i0, j0, 1) / np.maximum(total, 1), 1 - SKIP_SHARE)
        missing = None
        for k in range(di):
            share = _missing_in_merges(shared.found(i0 + k, j0, dj), self.zunits[i0 + k])
            missing = share if missing is None else missing + share
        for k in range(dj):
            missing = missing + _missing_in_merges(shared.explained(i0, j0 + k, di), self.etokens[j0 + k])
        return missing

    def paragraph_costs(self, shape: tuple[int, int], i0: np.ndarray, i1: np.ndarray, j0: np.ndarray,
                        j1: np.ndarray, zbreak: np.ndarray, ebreak: np.ndarray) -> np.ndarray:
        """Paragraph breaks: a bead ending at a break on both sides saves PARAGRAPH_BONUS; one that runs across a
        break on one side only (a paired bead) pays PARAGRAPH_CROSS."""
        di, dj = shape
        cost = np.where(zbreak[i1] & ebreak[j1], -PARAGRAPH_BONUS, 0.0)
        if (di > 1 or dj > 1) and di and dj:
            zcross = np.zeros(len(i0), dtype=bool)
            for k in range(1, di):
                zcross |= zbreak[i0 + k]
            ecross = np.zeros(len(j0), dtype=bool)
            for k in range(1, dj):
                ecross |= ebreak[j0 + k]
            cost = cost + np.where(zcross != ecross, PARAGRAPH_CROSS, 0.0)
        return cost

    def beads(self, cells: list[tuple[int, int]], margins: tuple[dict[int, float], dict[int, float]]) -> list[Bead]:
        rows, cols = margins
        beads = []
        for (i0, j0), (i1, j1) in zip(cells, cells[1:]):
            margin = min(rows.get(i0, _INF) if i0 else _INF, rows.get(i1, _INF) if i1 < self.n else _INF,
                         cols.get(j0, _INF) if j0 else _INF, cols.get(j1, _INF) if j1 < self.m else _INF)
            beads.append(Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), self.confidence(i0, i1, j0, j1, margin)))
        return beads

    def confidence(self, i0: int, i1: int, j0: int, j1: int, margin: float) -> float:
        """From ``margin`` (how much more the best path costs that puts either end of the bead elsewhere) and the
        bead's own evidence; a left-out or added sentence is at most 0.5 sure."""
        sure = 1 - math.exp(-margin / MARGIN_SCALE) if margin < _INF else 1.0
        if i0 == i1 or j0 == j1:
            return round(min(sure, 0.5), 3)
        missing = float(self.missing[STEPS.index((i1 - i0, j1 - j0)), self.grid.cell(i1, j1)])
        share = 1 - missing / (i1 - i0 + j1 - j0)
        evidence = min(1.0, max(0.0, (share - LOW_SHARE) / (HIGH_SHARE - LOW_SHARE)))
        return round(min(sure, 0.3 + 0.7 * evidence), 3)


def _monotone(lo: list[int], hi: list[int], m: int) -> tuple[list[int], list[int]]:
    """A band's edges made monotone (no row's band starts before, or ends after, the next row's), in place, with
    the first row starting at column 0 and the last ending at ``m``, the grid's corners; and connected: a row
    that would start past the previous row's end and the next column (a box between anchors far apart, steeper
    than the band is wide) starts at the previous row's end, so some path always leads through."""
    n = len(lo) - 1
    for i in range(1, n + 1):
        lo[i] = max(lo[i], lo[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = min(hi[i], hi[i + 1])
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):
        if lo[i] > hi[i] or lo[i] > hi[i - 1] + 1:
            lo[i] = hi[i - 1]
    return lo, hi


def _missing_in_merges(found: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Sentences' missing shares in beads of several: one with evidence of its own, none of it found, is a
    stranger there and pays :data:`STRANGER` more (it is better left out than buried in a neighbour's bead)."""
    return np.where(total == 0, 1 - SKIP_SHARE,
                    np.where((found == 0) & (total >= 3), 1 + STRANGER, 1 - found / np.maximum(total, 1)))


def _confirmed(points: list[tuple[int, int]], slope: float) -> list[tuple[int, int]]:
    """The points with a neighbour within CONFIRM_ROWS rows that lies on about the same diagonal: a true anchor
    comes with others (the translation runs on), a chance match of a rare word alone."""
    kept = []
    for k, (i, j) in enumerate(points):
        for i2, j2 in points[max(0, k - CONFIRM_ROWS):k + CONFIRM_ROWS + 1]:
            if 0 < abs(i2 - i) <= CONFIRM_ROWS and abs((j2 - j) - (i2 - i) * slope) <= 2 + abs(i2 - i) * slope / 2:
                kept.append((i, j))
                break
    return kept


def _increasing_chain(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of points increasing strictly in both coordinates (points come sorted by the first)."""
    tails: list[int] = []  # tails[k]: smallest second coordinate ending a chain of length k+1
    tail_index: list[int] = []
    parent = [-1] * len(points)
    for index, (_, j) in enumerate(points):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
        parent[index] = tail_index[k - 1] if k else -1
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(points[index])
        index = parent[index]
    return chain[::-1]
