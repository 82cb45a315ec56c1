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
"""

from __future__ import annotations

import bisect
import itertools
import math
from typing import Sequence

from translate.align.bead import Bead
from translate.align.evidence import (ChineseEvidence, EnglishEvidence, chinese_evidence, english_evidence,
                                      glossary_targets)
from translate.align.length import LengthModel

#: Bead shapes (Chinese sentences, English sentences) and their prior probabilities.
SHAPES: dict[tuple[int, int], float] = {
    (1, 1): 0.82, (1, 2): 0.07, (2, 1): 0.04, (1, 0): 0.01, (0, 1): 0.01,
    (2, 2): 0.0005, (1, 3): 0.01, (3, 1): 0.003, (1, 4): 0.003,
}
_PRIOR = {shape: -math.log(p) for shape, p in SHAPES.items()}
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
_PRUNED = -_INF  # a bead cost the forward pass did not need
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
    zcount: dict[str, int] = {}
    ecount: dict[str, int] = {}
    both: dict[tuple[str, str], int] = {}
    for bead in beads:
        if not bead.zh or not bead.en:  # (only the sure ones: MAC-Dev 0.860 → 0.840)
            continue
        zwords = {w for i in bead.zh for w, _ in zev[i].words}
        ewords = {key[2:] for j in bead.en for token in eev[j].tokens for key in token if key[:2] == "l:"}
        for w in zwords:
            zcount[w] = zcount.get(w, 0) + 1
        for e in ewords:
            ecount[e] = ecount.get(e, 0) + 1
        for w in zwords:
            for e in ewords:
                both[(w, e)] = both.get((w, e), 0) + 1
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
        # key → English sentences holding it (ascending) and the bits of its tokens there.
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
        # A key in a large share of the English sentences (a stem like "make") says nothing about which one.
        common = set()
        if self.m >= COMMON_FROM:
            common = {key for key, (js, _) in postings.items() if len(js) > COMMON_SHARE * self.m}
            for key in common:
                del postings[key]
        self.postings = postings
        self.zunits = [sum(1 for unit in z.units if not unit <= common) for z in zev]
        self.etokens = [sum(1 for token in e.tokens if not token <= common) for e in eev]

    # -- first pass: anchors and the band ---------------------------------------------------------------------
    def anchors(self, window: tuple[list[int], list[int]] | None = None) -> list[tuple[int, int]]:
        """Pairs (Chinese i, English j) that rare evidence ties together, in order; ``window``: per row, the
        columns to look in (default: a wide strip around the diagonal)."""
        n, m = self.n, self.m
        rare = max(3, int(m * RARE_SHARE))
        wide = max(50, int(0.15 * max(n, m)))
        found = []
        for i, sentence in enumerate(self.zev):
            if window is None:
                centre = int(i * m / n)
                lo, hi = centre - wide, centre + wide
            else:
                lo, hi = window[0][i], window[1][i + 1]
            scores: dict[int, float] = {}
            for unit in set(sentence.units):
                hit: set[int] = set()
                weight = 0.0
                for key in unit:
                    entry = self.postings.get(key)
                    if entry is None or len(entry[0]) > rare:
                        continue
                    js = entry[0]
                    weight = max(weight, math.log(1 + m / len(js)))
                    hit.update(js[bisect.bisect_left(js, lo):bisect.bisect_right(js, hi)])
                for j in hit:
                    scores[j] = scores.get(j, 0.0) + weight
            if not scores:
                continue
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
            best_j, best = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else 0.0
            if best >= ANCHOR_SCORE and best >= ANCHOR_LEAD * second:
                found.append((i, best_j))
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

    # -- evidence shared by pairs in the band -----------------------------------------------------------------
    def pair_masks(self, lo: list[int], hi: list[int]) -> dict[tuple[int, int], tuple[int, int]]:
        """For each pair (Chinese i, English j) near the band: (units of i found in j, tokens of j explained by i)."""
        pairs: dict[tuple[int, int], tuple[int, int]] = {}
        for i, sentence in enumerate(self.zev):
            first = max(0, min(lo[i], lo[i + 1]) - 3)
            last = min(self.m - 1, max(hi[i], hi[i + 1]) + 3)
            zmask: dict[int, int] = {}
            emask: dict[int, int] = {}
            for u, unit in enumerate(sentence.units):
                for key in unit:
                    entry = self.postings.get(key)
                    if entry is None:
                        continue
                    js, masks = entry
                    for k in range(bisect.bisect_left(js, first), bisect.bisect_right(js, last)):
                        j = js[k]
                        zmask[j] = zmask.get(j, 0) | (1 << u)
                        emask[j] = emask.get(j, 0) | masks[k]
            for j, mask in zmask.items():
                pairs[(i, j)] = (mask, emask[j])
        return pairs

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
        self.length_costs: dict[tuple[int, int], float] = {}
        self.zsum = list(itertools.accumulate((z.length for z in self.zev), initial=0))
        self.esum = list(itertools.accumulate((e.length for e in self.eev), initial=0))
        margin = MARGIN
        self.bead_costs = None  # the previous run's, per row
        hot: set[int] = set()  # rows near which the band is widened (LOCAL_WIDENING)
        for attempt in range(widenings + 1):
            lo, hi = ([0] * (n + 1), [m] * (n + 1)) if full else self.band(anchors, MARGIN if hot else margin)
            if hot and not full:
                lo, hi = self.widened(lo, hi, hot, margin)
            self.pairs = self.pair_masks(lo, hi)
            cost, back = self.programme(lo, hi)
            touched = self.touched(back, lo, hi)
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
        self.cost, self.lo, self.hi = cost, lo, hi
        if not sure:
            return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0)
                    for (i0, j0), (i1, j1) in itertools.pairwise(self.path(back))]
        self.after = self.programme_after(lo, hi)
        return self.beads(back)

    def widened(self, lo: list[int], hi: list[int], hot: set[int], margin: int) -> tuple[list[int], list[int]]:
        """The band with ``margin`` more columns either side within 4 × ``margin`` rows of the ``hot`` rows."""
        n, m = self.n, self.m
        lo, hi = lo[:], hi[:]
        for row in hot:
            for i in range(max(0, row - 4 * margin), min(n, row + 4 * margin) + 1):
                lo[i] = max(0, lo[i] - margin)
                hi[i] = min(m, hi[i] + margin)
        return _monotone(lo, hi, m)

    def touched(self, back, lo: list[int], hi: list[int]) -> list[int]:
        """Rows where the best path runs along an edge of the band (not the grid's)."""
        rows = []
        i, j = self.n, self.m
        while i > 0 or j > 0:
            if (j - lo[i] < 2 and lo[i] > 0) or (hi[i] - j < 2 and hi[i] < self.m):
                rows.append(i)
            di, dj = back[i][j - lo[i]]
            i, j = i - di, j - dj
        return rows

    def programme(self, lo: list[int], hi: list[int]):
        """The dynamic programme in the band: each cell's least cost and the bead shape that reaches it.

        A bead whose least possible cost (its shape's prior, less a paragraph bonus) cannot beat the best way
        into the cell found so far is not costed (``_PRUNED``; the backward pass costs it if it needs it). A row
        whose columns are those of the previous run (a band widened elsewhere) reuses that run's bead costs."""
        n = self.n
        cost: list[list[float]] = []
        back: list[list[tuple[int, int] | None]] = []
        previous, previous_band = self.bead_costs, getattr(self, "band_rows", None)
        self.bead_costs = bead_costs = []  # per row, per cell, per shape: the bead's cost (for the backward pass)
        self.band_rows = list(zip(lo, hi))
        shapes = len(SHAPES)
        bonus = PARAGRAPH_BONUS if self.zbreaks and self.ebreaks else 0.0
        least = [_PRIOR[shape] - bonus for shape in SHAPES]
        steps = list(enumerate(SHAPES))
        bead_cost = self.bead_cost
        for i in range(n + 1):
            lo_i = lo[i]
            width = hi[i] - lo_i + 1
            row = [_INF] * width
            row_back: list[tuple[int, int] | None] = [None] * width
            row_beads = [_INF] * (width * shapes)
            known = previous[i] if previous is not None and previous_band[i] == (lo_i, hi[i]) else None
            bead_costs.append(row_beads)
            for j in range(lo_i, hi[i] + 1):
                if i == 0 and j == 0:
                    row[0] = 0.0
                    continue
                best, choice = _INF, None
                base = (j - lo_i) * shapes
                for s, shape in steps:
                    di, dj = shape
                    pi, pj = i - di, j - dj
                    if pi < 0 or pj < 0:
                        continue
                    if di == 0:
                        if pj < lo_i:
                            continue
                        before = row[pj - lo_i]
                    else:
                        if not lo[pi] <= pj <= hi[pi]:
                            continue
                        before = cost[pi][pj - lo[pi]]
                    if before == _INF:
                        continue
                    if before + least[s] >= best:
                        row_beads[base + s] = _PRUNED
                        continue
                    bead = known[base + s] if known is not None else _INF
                    if bead == _INF or bead == _PRUNED:
                        bead = bead_cost(pi, i, pj, j)
                    row_beads[base + s] = bead
                    total = before + bead
                    if total < best:
                        best, choice = total, shape
                row[j - lo_i] = best
                row_back[j - lo_i] = choice
            cost.append(row)
            back.append(row_back)
        return cost, back

    def programme_after(self, lo: list[int], hi: list[int]) -> list[list[float]]:
        """The least cost from each cell of the band to the end (the programme run backwards)."""
        n, m = self.n, self.m
        bead_costs, shapes = self.bead_costs, len(SHAPES)
        after: list[list[float]] = [[] for _ in range(n + 1)]
        for i in range(n, -1, -1):
            row = [_INF] * (hi[i] - lo[i] + 1)
            after[i] = row
            for j in range(hi[i], lo[i] - 1, -1):
                if i == n and j == m:
                    row[j - lo[i]] = 0.0
                    continue
                best = _INF
                for s, (di, dj) in enumerate(SHAPES):
                    ni, nj = i + di, j + dj
                    if ni > n or nj > m or not lo[ni] <= nj <= hi[ni]:
                        continue
                    rest = after[ni][nj - lo[ni]]
                    if rest == _INF:
                        continue
                    bead = bead_costs[ni][(nj - lo[ni]) * shapes + s]
                    if bead == _PRUNED:
                        bead = bead_costs[ni][(nj - lo[ni]) * shapes + s] = self.bead_cost(i, ni, j, nj)
                    total = rest + bead
                    if total < best:
                        best = total
                row[j - lo[i]] = best
        return after

    def boundary_margins(self, path: list[tuple[int, int]]) -> tuple[dict[int, float], dict[int, float]]:
        """For each row and column the best path crosses: how much more the best path through any other cell of
        that row (column) costs. A small margin: the boundary after that sentence could as well lie elsewhere."""
        lo, hi, cost, after = self.lo, self.hi, self.cost, self.after
        best = cost[self.n][self.m - lo[self.n]]
        on_path_rows: dict[int, set[int]] = {}
        on_path_cols: dict[int, set[int]] = {}
        for i, j in path:
            on_path_rows.setdefault(i, set()).add(j)
            on_path_cols.setdefault(j, set()).add(i)
        row_alt = {i: _INF for i in on_path_rows}
        col_alt = {j: _INF for j in on_path_cols}
        for i in range(self.n + 1):
            row_cost, row_after = cost[i], after[i]
            path_js = on_path_rows.get(i, ())
            for k in range(len(row_cost)):
                through = row_cost[k] + row_after[k]
                if through == _INF:
                    continue
                j = lo[i] + k
                if i in row_alt and j not in path_js and through < row_alt[i]:
                    row_alt[i] = through
                if j in col_alt and i not in on_path_cols[j] and through < col_alt[j]:
                    col_alt[j] = through
        return ({i: v - best for i, v in row_alt.items()}, {j: v - best for j, v in col_alt.items()})

    def path(self, back) -> list[tuple[int, int]]:
        """The best path's cells, from (0, 0) to (n, m)."""
        lo = self.lo
        path = [(self.n, self.m)]
        i, j = self.n, self.m
        while i > 0 or j > 0:
            shape = back[i][j - lo[i]]
            if shape is None:  # unreachable: the band lost the path; should not happen with a monotone band
                raise RuntimeError(f"no alignment path through ({i}, {j})")
            i, j = i - shape[0], j - shape[1]
            path.append((i, j))
        path.reverse()
        return path

    def beads(self, back) -> list[Bead]:
        path = self.path(back)
        rows, cols = self.boundary_margins(path)
        beads = []
        for (i0, j0), (i1, j1) in zip(path, path[1:]):
            margin = min(rows.get(i0, _INF) if i0 else _INF, rows.get(i1, _INF) if i1 < self.n else _INF,
                         cols.get(j0, _INF) if j0 else _INF, cols.get(j1, _INF) if j1 < self.m else _INF)
            beads.append(Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), self.confidence(i0, i1, j0, j1, margin)))
        return beads

    def missing(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Sum over the sentences of Chinese i0..i1-1 and English j0..j1-1 of the share of each one's own evidence
        not found on the other side (a sentence without evidence counts as a left-out one, 1 - SKIP_SHARE)."""
        pairs = self.pairs
        empty = (0, 0)
        missing = 0.0
        if i1 - i0 == 1 and j1 - j0 == 1:
            zmask, emask = pairs.get((i0, j0), empty)
            total = self.zunits[i0]
            missing += 1 - zmask.bit_count() / total if total else 1 - SKIP_SHARE
            total = self.etokens[j0]
            return missing + (1 - emask.bit_count() / total if total else 1 - SKIP_SHARE)
        for i in range(i0, i1):
            mask = 0
            for j in range(j0, j1):
                mask |= pairs.get((i, j), empty)[0]
            total = self.zunits[i]
            missing += _missing_in_merge(mask.bit_count(), total)
        for j in range(j0, j1):
            mask = 0
            for i in range(i0, i1):
                mask |= pairs.get((i, j), empty)[1]
            total = self.etokens[j]
            missing += _missing_in_merge(mask.bit_count(), total)
        return missing

    def bead_cost(self, i0: int, i1: int, j0: int, j1: int) -> float:
        shape = (i1 - i0, j1 - j0)
        extra = self.paragraph_cost(i0, i1, j0, j1) if self.zbreaks and self.ebreaks else 0.0
        if shape[0] == 0 or shape[1] == 0:
            return _PRIOR[shape] + _SKIP_LEXICAL * (shape[0] + shape[1]) + extra
        key = (self.zsum[i1] - self.zsum[i0], self.esum[j1] - self.esum[j0])
        length = self.length_costs.get(key)
        if length is None:
            length = self.length_costs[key] = LENGTH_WEIGHT * self.model.cost(*key)
        return _PRIOR[shape] + length + LEXICAL_WEIGHT * self.missing(i0, i1, j0, j1) + extra

    def paragraph_cost(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Paragraph breaks: a bead ending at a break on both sides saves PARAGRAPH_BONUS; one that runs across a
        break on one side only (a paired bead) pays PARAGRAPH_CROSS."""
        zb, eb = self.zbreaks, self.ebreaks
        cost = -PARAGRAPH_BONUS if i1 in zb and j1 in eb else 0.0
        if i1 - i0 > 1 or j1 - j0 > 1:
            zcross = any(k in zb for k in range(i0 + 1, i1))
            ecross = any(k in eb for k in range(j0 + 1, j1))
            if zcross != ecross and i1 > i0 and j1 > j0:
                cost += PARAGRAPH_CROSS
        return cost

    def confidence(self, i0: int, i1: int, j0: int, j1: int, margin: float) -> float:
        """From ``margin`` (how much more the best path costs that puts either end of the bead elsewhere) and the
        bead's own evidence; a left-out or added sentence is at most 0.5 sure."""
        sure = 1 - math.exp(-margin / MARGIN_SCALE) if margin < _INF else 1.0
        if i0 == i1 or j0 == j1:
            return round(min(sure, 0.5), 3)
        share = 1 - self.missing(i0, i1, j0, j1) / (i1 - i0 + j1 - j0)
        evidence = min(1.0, max(0.0, (share - LOW_SHARE) / (HIGH_SHARE - LOW_SHARE)))
        return round(min(sure, 0.3 + 0.7 * evidence), 3)


def _monotone(lo: list[int], hi: list[int], m: int) -> tuple[list[int], list[int]]:
    """A band's edges made monotone (no row's band starts before, or ends after, the next row's), in place, with
    the first row starting at column 0 and the last ending at ``m``, the grid's corners."""
    n = len(lo) - 1
    for i in range(1, n + 1):
        lo[i] = max(lo[i], lo[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = min(hi[i], hi[i + 1])
    lo[0], hi[n] = 0, m
    return lo, hi


def _missing_in_merge(found: int, total: int) -> float:
    """A sentence's missing share in a bead of several: one with evidence of its own, none of it found, is
    a stranger there and pays :data:`STRANGER` more (it is better left out than buried in a neighbour's bead)."""
    if not total:
        return 1 - SKIP_SHARE
    if found == 0 and total >= 3:
        return 1 + STRANGER
    return 1 - found / total


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
