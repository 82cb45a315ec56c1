"""Benchmark: the sentence aligner (issue 32) on the edition's own gold and on MAC-Test, and its speed.

Scoring is **strict F1 over exact beads with the null beads left out** (Bertalign, Liu & Zhu 2022,
after Vecalign): a predicted bead counts when both its Chinese and its English index sets equal a
gold bead's; beads with an empty side (1-0, 0-1) are dropped from the gold and from the prediction
before counting. Counts are pooled over all documents (micro average). With this scorer the
published systems' own outputs kept in the history of ``bfsujason/bertalign`` score Gale–Church
0.493, Hunalign 0.655, Bleualign 0.680, Vecalign 0.886, Bertalign 0.917: the figures the issue quotes.

1. **The edition's gold** — ``corpus/<slug>.en.po``: each segment's Chinese (msgid) and edited English
   (msgstr), the segment id in msgctxt (``bNNN.sM``; ``title`` counts as a paragraph of its own;
   the interview speakers' labels, ``bNNN.speaker``, are left out: they are names set apart from the
   sentences, not sentences of the running text). The English is joined with its segment boundaries
   removed and re-split with the aligner's own ``split_english``:

   - ``paragraphs``: the English of each paragraph (block) joined, the paragraph breaks kept: each
     paragraph is aligned with its own Chinese segments (the breaks are anchors the aligner is given);
   - ``breaks``: the whole article at once, each paragraph's English split on its own, and the
     paragraph of every sentence on both sides given to the aligner (``zh_paragraphs``,
     ``en_paragraphs``), as ``bitext align ARTICLE ENGLISH_FILE`` gives them;
   - ``article``: the whole article's English joined into one text, no breaks at all.

   Gold beads come from character offsets: every English sentence the splitter returns is located in
   the joined text (ignoring whitespace) and linked to each segment whose English it overlaps; the
   connected groups of segments and sentences are the gold beads (a segment whose English the
   splitter cuts in two gives a 1-2 bead, two segments whose English it does not cut give a 2-1
   bead, a segment with no English a 1-0 bead).
2. **MAC-Test** — 24 chapters of six novels, 4,875 Chinese and 6,610 English sentences, manually
   aligned. Read from the folder in ``BITEXT_MAC_TEST`` (``split/NNN.zh``, ``split/NNN.en``, one sentence
   a line, and ``gold/NNN.align``; optionally ``auto/<system>/NNN.align``, the published systems'
   outputs, scored beside it). The novels' text is never part of this repository; without the
   variable the row says so. ``BITEXT_MAC_DEV`` may name MAC-Dev (six more chapters in the same
   layout, from the same history): the set to tune on, so that MAC-Test stays a test.
3. **Held-out pairs** — ``tests/align/heldout/`` (written apart, with gold beads and paragraph
   indices): scored as found, never tuned on.
4. **Speed** — CPU seconds of this process (the machine may be shared), MAC-Test's chapters aligned as one book (the issue: "a 5,000-sentence book aligns in
   seconds"; the target here is 10 s), and sentences (Chinese + English) aligned per second on the same input as Gale–Church by
   NLTK (``nltk.translate.gale_church``, pure Python) and by the ``galechurch`` package (Rust), each
   given the same sentences; a baseline that is not installed is left out with a note.

Run alone: ``python -m bench align``.
"""

from __future__ import annotations

import ast
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from bench import REPO, Row, median, spread

#: Strict F1 the issue asks of MAC-Test (with no neural model); the edition's gold is held to the same figure
#: (the issue names one target for both: "the edition's gold and MAC-Test reach their targets").
TARGET_MAC = 0.85
#: Published strict F1 on MAC-Test (the systems' own outputs, the issue's figures).
PUBLISHED = {"Gale–Church": 0.49, "Hunalign": 0.66, "Bleualign": 0.68, "Vecalign": 0.89, "Bertalign": 0.92}
#: The ways the edition's English is given to the aligner (see the module's doc).
LABELS = {"paragraphs": "per paragraph", "breaks": "per article, paragraph breaks given",
          "article": "as one text per article"}
#: The environment variable naming the MAC-Test folder.
MAC_ENV = "BITEXT_MAC_TEST"
#: The environment variable naming MAC-Dev (6 more chapters, same layout): the set to tune on, not MAC-Test.
MAC_DEV_ENV = "BITEXT_MAC_DEV"

#: A bead as the scorer sees it: the Chinese indices and the English indices.
Pair = tuple[tuple[int, ...], tuple[int, ...]]


# ---------------------------------------------------------------------------------------------
# Scoring


def as_pair(bead) -> Pair:
    """``(zh, en)`` index tuples of a bead: the aligner's ``Bead`` (``.zh``, ``.en``) or a pair."""
    if hasattr(bead, "zh") and hasattr(bead, "en"):
        return tuple(bead.zh), tuple(bead.en)
    zh, en = bead
    return tuple(zh), tuple(en)


def bead_type(pair: Pair) -> str:
    """``"1-1"``, ``"2-1"``, ``"0-1"``: how many Chinese and English sentences a bead joins."""
    return f"{len(pair[0])}-{len(pair[1])}"


@dataclass(frozen=True, slots=True)
class Score:
    """Pooled counts of strict bead matching; null beads are never counted."""

    correct: int = 0
    """Predicted non-null beads equal to a gold bead."""
    predicted: int = 0
    """Predicted non-null beads."""
    gold: int = 0
    """Gold non-null beads."""

    def __add__(self, other: "Score") -> "Score":
        return Score(self.correct + other.correct, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def non_null(beads: Iterable) -> set[Pair]:
    """The beads with both sides non-empty, as a set of pairs."""
    return {pair for pair in map(as_pair, beads) if pair[0] and pair[1]}


def strict(gold: Iterable, predicted: Iterable) -> Score:
    """Strict counts of one document: exact non-null beads (Bertalign's and Vecalign's strict measure)."""
    gold_set, predicted_set = non_null(gold), non_null(predicted)
    return Score(len(gold_set & predicted_set), len(predicted_set), len(gold_set))


def by_type(gold: Iterable, predicted: Iterable) -> dict[str, tuple[int, int, int]]:
    """Per bead type: (gold beads of that type found exactly, gold beads of that type, predicted of that type).

    Null types count too (a gold 1-0 found means the aligner also left that sentence out), for
    diagnosis; they are not part of :func:`strict`.
    """
    gold_set = {as_pair(b) for b in gold}
    predicted_set = {as_pair(b) for b in predicted}
    found, total, made = Counter(), Counter(), Counter()
    for pair in gold_set:
        total[bead_type(pair)] += 1
        found[bead_type(pair)] += pair in predicted_set
    for pair in predicted_set:
        made[bead_type(pair)] += 1
    return {kind: (found[kind], total[kind], made[kind]) for kind in sorted(set(total) | set(made))}


def merge_types(tables: Iterable[dict[str, tuple[int, int, int]]]) -> dict[str, tuple[int, int, int]]:
    """The sum of several :func:`by_type` tables."""
    merged: dict[str, list[int]] = {}
    for table in tables:
        for kind, counts in table.items():
            merged.setdefault(kind, [0, 0, 0])
            for n, value in enumerate(counts):
                merged[kind][n] += value
    return {kind: tuple(counts) for kind, counts in sorted(merged.items())}  # type: ignore[misc]


def format_types(table: dict[str, tuple[int, int, int]]) -> str:
    """``1-1 612/640 (pred 700); 1-2 20/41 (pred 15)``: recall per gold bead type and how many were predicted."""
    return "; ".join(f"{kind} {found}/{total} (pred {made})" for kind, (found, total, made) in table.items())


_BEAD_LINE = re.compile(r"^\s*(\[[\d,\s]*\])\s*:\s*(\[[\d,\s]*\])\s*$")


def parse_beads(text: str, *, name: str = "<beads>") -> list[Pair]:
    """Beads in the research aligners' format, one a line: ``[0,1]:[0]``, ``[2]:[]``."""
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _BEAD_LINE.match(line)
        if not match:
            raise ValueError(f"{name}:{number}: not a bead line: {line.strip()[:80]!r}")
        zh, en = (tuple(int(i) for i in ast.literal_eval(side)) for side in match.groups())
        beads.append((zh, en))
    return beads


def format_bead(bead) -> str:
    """One bead in the research aligners' format: ``[0,1]:[2]``."""
    zh, en = as_pair(bead)
    return f"[{','.join(map(str, zh))}]:[{','.join(map(str, en))}]"


# ---------------------------------------------------------------------------------------------
# The edition's own gold


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    blocks: tuple[tuple[Segment, ...], ...]
    """The segments, paragraph by paragraph, in the article's order."""

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for block in self.blocks for s in block)


@dataclass(frozen=True, slots=True)
class Case:
    """One alignment problem with its gold: what the aligner is given and what it should return."""

    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    gold: tuple[Pair, ...]
    unlocated: int = 0
    """English sentences the splitter returned that could not be found in the joined text (placed by length)."""
    zh_paragraphs: tuple[int, ...] = ()
    """The paragraph of each sentence of ``zh`` (empty: not given to the aligner)."""
    en_paragraphs: tuple[int, ...] = ()
    """The paragraph of each sentence of ``en``."""


_SEGMENT_ID = re.compile(r"^(b\d+)\.s\d+$")


def read_article(path: Path, *, speakers: bool = False) -> Article:
    """An article's segments from its ``.en.po`` store, grouped into paragraphs by block id."""
    import polib

    blocks: dict[str, list[Segment]] = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgctxt:
            continue
        context = entry.msgctxt
        match = _SEGMENT_ID.match(context)
        if match:
            block = match.group(1)
        elif context == "title":
            block = "title"
        elif context.endswith(".speaker") and speakers:
            block = context.split(".")[0]
        else:
            continue
        blocks.setdefault(block, []).append(Segment(context, entry.msgid, entry.msgstr.strip()))
    return Article(path.name.removesuffix(".en.po"), tuple(tuple(b) for b in blocks.values()))


def edition_articles(corpus: Path | None = None) -> list[Article]:
    """The edition's articles with their edited English (``corpus/*.en.po``)."""
    return [read_article(path) for path in sorted((corpus or REPO / "corpus").glob("*.en.po"))]


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and the offset in ``text`` of each character kept."""
    kept, offsets = [], []
    for offset, char in enumerate(text):
        if not char.isspace():
            kept.append(char)
            offsets.append(offset)
    return "".join(kept), offsets


def gold_beads(segments: Sequence[str], sentences: Sequence[str]) -> tuple[list[Pair], int]:
    """Gold beads linking ``segments`` (the store's English of each Chinese segment) to ``sentences``.

    ``sentences`` is what a splitter made of the segments' English joined; each sentence is found
    in the joined text ignoring whitespace (a splitter may trim or fold spaces), from where the last
    one ended; one that cannot be found (a splitter that rewrote characters) is placed by its length
    and counted. Segments and sentences whose characters overlap form one bead; a segment with no
    English is a 1-0 bead. Returns the beads in order and the count of sentences placed by length.
    """
    spans, cursor = [], 0
    for text in segments:
        squeezed, _ = _squeeze(text)
        spans.append((cursor, cursor + len(squeezed)))
        cursor += len(squeezed)
    whole = "".join(_squeeze(t)[0] for t in segments)
    places, cursor, unlocated = [], 0, 0
    for sentence in sentences:
        squeezed, _ = _squeeze(sentence)
        at = whole.find(squeezed, cursor) if squeezed else cursor
        if at < 0 or (squeezed and at > cursor + 4 * len(squeezed) + 8):
            at, unlocated = cursor, unlocated + 1
        places.append((at, at + len(squeezed)))
        cursor = at + len(squeezed)
    # Union of segments and sentences that share characters; both lists are in text order, so each
    # group is a run of consecutive segments and a run of consecutive sentences.
    parent = list(range(len(segments) + len(sentences)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = 0
    for j, (start, end) in enumerate(places):
        if start == end:
            continue
        while first < len(spans) and spans[first][1] <= start:
            first += 1
        i = first
        while i < len(spans) and spans[i][0] < end:
            if spans[i][0] < spans[i][1]:
                parent[find(len(segments) + j)] = find(i)
            i += 1
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(segments)):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j in range(len(sentences)):
        groups.setdefault(find(len(segments) + j), ([], []))[1].append(j)
    beads = sorted(((tuple(zh), tuple(en)) for zh, en in groups.values()),
                   key=lambda pair: (spans[pair[0][0]][0] if pair[0] else places[pair[1][0]][0], bool(pair[0])))
    return beads, unlocated


def edition_cases(article: Article, setting: str, split: Callable[[str], Sequence[str]]) -> list[Case]:
    """The article's alignment problems in one ``setting``: ``paragraphs`` (one a block) or ``article`` (one)."""
    if setting == "paragraphs":
        groups = [(f"{article.slug}/{block[0].id.split('.')[0]}", [block]) for block in article.blocks]
    elif setting in ("article", "breaks"):
        groups = [(article.slug, list(article.blocks))]
    else:
        raise ValueError(f"unknown setting {setting!r} (paragraphs, breaks, article)")
    cases = []
    for name, blocks in groups:
        segments = [s for block in blocks for s in block]
        english = [s.en for s in segments]
        if setting == "breaks":  # each paragraph's English split on its own: no sentence runs across a break
            per_block = [[s for s in split(" ".join(x.en for x in block if x.en)) if s.strip()] for block in blocks]
            sentences = [s for block in per_block for s in block]
            en_paragraphs = tuple(k for k, block in enumerate(per_block) for _ in block)
            zh_paragraphs = tuple(k for k, block in enumerate(blocks) for _ in block)
        else:
            sentences = [s for s in split(" ".join(e for e in english if e)) if s.strip()]
            zh_paragraphs = en_paragraphs = ()
        gold, unlocated = gold_beads(english, sentences)
        cases.append(Case(name, tuple(s.zh for s in segments), tuple(sentences), tuple(gold), unlocated,
                          zh_paragraphs, en_paragraphs))
    return cases


# ---------------------------------------------------------------------------------------------
# MAC-Test


def mac_cases(folder: Path) -> list[Case]:
    """The MAC-Test chapters in ``folder`` (``split/NNN.zh``, ``split/NNN.en``, ``gold/NNN.align``)."""
    cases = []
    for gold_path in sorted((folder / "gold").glob("*.align")):
        name = gold_path.stem
        zh = (folder / "split" / f"{name}.zh").read_text(encoding="utf-8").splitlines()
        en = (folder / "split" / f"{name}.en").read_text(encoding="utf-8").splitlines()
        gold = parse_beads(gold_path.read_text(encoding="utf-8"), name=str(gold_path))
        cases.append(Case(name, tuple(zh), tuple(en), tuple(gold)))
    if not cases:
        raise FileNotFoundError(f"{folder}: no gold/*.align files (MAC-Test as extracted from bfsujason/bertalign)")
    return cases


#: Held-out pairs with gold beads (helper-written, never tuned on): NNN.zh, NNN.en, NNN.zh.para, NNN.en.para, NNN.align.
HELDOUT = REPO / "tests" / "align" / "heldout"


def heldout_cases(folder: Path = HELDOUT) -> list[Case]:
    """The held-out pairs, with their paragraph indices (the aligner is given them, as ``bitext align`` is)."""
    cases = []
    for gold_path in sorted(folder.glob("*.align")):
        name = gold_path.stem
        read = lambda suffix: (folder / f"{name}.{suffix}").read_text(encoding="utf-8").splitlines()  # noqa: E731
        zh, en = read("zh"), read("en")
        zh_para = tuple(int(x) for x in read("zh.para")) if (folder / f"{name}.zh.para").exists() else ()
        en_para = tuple(int(x) for x in read("en.para")) if (folder / f"{name}.en.para").exists() else ()
        gold = parse_beads(gold_path.read_text(encoding="utf-8"), name=str(gold_path))
        cases.append(Case(name, tuple(zh), tuple(en), tuple(gold), 0, zh_para, en_para))
    return cases


def published_outputs(folder: Path, cases: Sequence[Case]) -> dict[str, Score]:
    """Strict scores of the published systems' own outputs kept beside the gold (``auto/<system>/NNN.align``)."""
    scores = {}
    for system in sorted(p for p in (folder / "auto").glob("*") if p.is_dir()):
        total = Score()
        try:
            for case in cases:
                path = system / f"{case.name}.align"
                total += strict(case.gold, parse_beads(path.read_text(encoding="utf-8"), name=str(path)))
        except (OSError, ValueError):
            continue
        scores[system.name] = total
    return scores


# ---------------------------------------------------------------------------------------------
# Running an aligner over cases


@dataclass
class Result:
    """An aligner's outcome over a list of cases."""

    score: Score = field(default_factory=Score)
    per_case: dict[str, Score] = field(default_factory=dict)
    types: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    seconds: float = 0.0
    """CPU seconds of this process (the machine is shared: wall time says more about the neighbours)."""
    wall: float = 0.0
    sentences: int = 0

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds if self.seconds else float("inf")

    def worst(self, count: int = 3) -> str:
        """The cases with the lowest F1: ``003 0.71, 014 0.74``."""
        ranked = sorted(self.per_case.items(), key=lambda item: item[1].f1)[:count]
        return ", ".join(f"{name} {score.f1:.2f}" for name, score in ranked)


def run_cases(cases: Sequence[Case], aligner: Callable[..., Iterable]) -> Result:
    """Align every case with ``aligner(zh, en) -> beads`` and score it (strict, pooled); a case with paragraphs
    passes them too (``zh_paragraphs=``, ``en_paragraphs=``)."""
    result = Result()
    tables = []
    for case in cases:
        start, wall = time.process_time(), time.perf_counter()
        paragraphs = ({"zh_paragraphs": case.zh_paragraphs, "en_paragraphs": case.en_paragraphs}
                      if case.zh_paragraphs and case.en_paragraphs else {})
        predicted = [as_pair(b) for b in aligner(list(case.zh), list(case.en), **paragraphs)]
        result.seconds += time.process_time() - start
        result.wall += time.perf_counter() - wall
        result.sentences += len(case.zh) + len(case.en)
        score = strict(case.gold, predicted)
        result.per_case[case.name] = score
        result.score += score
        tables.append(by_type(case.gold, predicted))
    result.types = merge_types(tables)
    return result


def per_article(result: Result) -> dict[str, Score]:
    """Case scores pooled by article (the part of a case name before ``/``)."""
    pooled: dict[str, Score] = {}
    for name, score in result.per_case.items():
        slug = name.split("/")[0]
        pooled[slug] = pooled.get(slug, Score()) + score
    return pooled


def our_aligner(glossary=None) -> tuple[Callable, Callable]:
    """``(align, split_english)`` of ``translate.align``; ``align`` returns pairs for the scorer."""
    from translate.align import align, split_english

    def aligner(zh: Sequence[str], en: Sequence[str], **paragraphs) -> list[Pair]:
        return [as_pair(bead) for bead in align(zh, en, glossary=glossary, **paragraphs)]

    return aligner, split_english


def edition_glossary():
    """The edition's termbase (``glossary/terms.csv``), as ``bitext align ARTICLE`` would use it."""
    from translate.glossary.loaded import Glossary

    return Glossary.load(REPO / "glossary" / "terms.csv")


# ---------------------------------------------------------------------------------------------
# Gale–Church baselines (speed, and their strict F1 on the same input for reference)


def char_ratio(cases: Sequence[Case]) -> float:
    """English characters per Chinese character over the cases (Gale–Church's mean, learned from the data)."""
    zh = sum(len(s.replace(" ", "")) for case in cases for s in case.zh)
    en = sum(len(s.replace(" ", "")) for case in cases for s in case.en)
    return en / zh if zh else 1.0


def variance(mean: float) -> float:
    """Gale–Church's variance for a length ratio ``mean``: their 6.8 per character, scaled with the ratio.

    With the published 6.8 and a ratio of 3.4 English characters per Chinese one, the ``galechurch``
    package's costs overflow and it returns no beads at all.
    """
    return 6.8 * max(mean, 1.0)


def nltk_aligner(mean: float) -> Callable | None:
    """NLTK's Gale–Church (pure Python) as an aligner of sentence lists, or None when NLTK is missing."""
    try:
        from nltk.translate import gale_church
    except ImportError:
        return None

    class Params(gale_church.LanguageIndependent):
        AVERAGE_CHARACTERS = mean
        VARIANCE_CHARACTERS = variance(mean)

    def aligner(zh: Sequence[str], en: Sequence[str]) -> list[Pair]:
        links = gale_church.align_blocks([max(1, len(s.replace(" ", ""))) for s in zh],
                                         [max(1, len(s.replace(" ", ""))) for s in en], Params)
        return links_to_beads(links, len(zh), len(en))

    return aligner


def links_to_beads(links: Iterable[tuple[int, int]], zh_count: int, en_count: int) -> list[Pair]:
    """Sentence links ``(i, j)`` grouped into beads (connected runs); unlinked sentences as null beads."""
    zh_of: dict[int, set[int]] = {}
    en_of: dict[int, set[int]] = {}
    for i, j in links:
        zh_of.setdefault(i, set()).add(j)
        en_of.setdefault(j, set()).add(i)
    beads, seen_zh, seen_en = [], set(), set()
    for i in range(zh_count):
        if i in seen_zh:
            continue
        if i not in zh_of:
            beads.append(((i,), ()))
            seen_zh.add(i)
            continue
        zh_group, en_group, frontier = {i}, set(), [("zh", i)]
        while frontier:
            side, index = frontier.pop()
            for other in (zh_of if side == "zh" else en_of).get(index, ()):
                group = en_group if side == "zh" else zh_group
                if other not in group:
                    group.add(other)
                    frontier.append(("en" if side == "zh" else "zh", other))
        seen_zh |= zh_group
        seen_en |= en_group
        beads.append((tuple(sorted(zh_group)), tuple(sorted(en_group))))
    beads += [((), (j,)) for j in range(en_count) if j not in seen_en]
    return beads


def galechurch_aligner(mean: float) -> Callable | None:
    """The ``galechurch`` package (Rust) as an aligner of sentence lists, or None when it is missing."""
    try:
        import galechurch
    except ImportError:
        return None

    def aligner(zh: Sequence[str], en: Sequence[str]) -> list[Pair]:
        spread = variance(mean)
        block = galechurch.align(list(zh), list(en), mean_xy=mean, variance_xy=spread, max_block_size=200_000_000)
        while not block.beads and zh and en and spread < 1000:  # its costs overflowed: no beads at all
            spread *= 2
            block = galechurch.align(list(zh), list(en), mean_xy=mean, variance_xy=spread, max_block_size=200_000_000)
        return [(tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end)))
                for b in block.beads]

    return aligner


def timed_rates(cases: Sequence[Case], aligner: Callable, runs: int) -> list[float]:
    """Sentences aligned per second in each of ``runs`` passes over the cases."""
    return [run_cases(cases, aligner).rate for _ in range(runs)]


# ---------------------------------------------------------------------------------------------
# The rows


def mac_folder(variable: str = MAC_ENV) -> Path | None:
    """The MAC-Test folder named by ``BITEXT_MAC_TEST`` (or another variable), or None."""
    value = os.environ.get(variable, "").strip()
    return Path(value) if value else None


def edition_rows(aligner: Callable, split: Callable) -> tuple[list[Row], list[Case]]:
    rows, all_cases = [], []
    articles = edition_articles()
    for setting in ("paragraphs", "breaks", "article"):
        cases = [case for article in articles for case in edition_cases(article, setting, split)]
        all_cases += cases if setting == "article" else []
        result = run_cases(cases, aligner)
        articles_f1 = ", ".join(f"{slug[:3]} {score.f1:.3f}" for slug, score in per_article(result).items())
        unlocated = sum(c.unlocated for c in cases)
        rows.append(Row("align", f"edition gold, English joined {LABELS[setting]}: strict F1", f"{result.score.f1:.3f}",
                        f"≥ {TARGET_MAC:g}", result.score.f1 >= TARGET_MAC,
                        note=f"P {result.score.precision:.3f} R {result.score.recall:.3f}, "
                             f"{result.score.gold} gold beads; per article {articles_f1}; by gold type "
                             f"{format_types(result.types)}" + (f"; {unlocated} sentences placed by length"
                                                                if unlocated else "")))
    return rows, all_cases


def mac_rows(aligner: Callable, folder: Path) -> tuple[list[Row], list[Case], Result]:
    cases = mac_cases(folder)
    result = run_cases(cases, aligner)
    bertalign = PUBLISHED["Bertalign"]
    rows = [Row("align", "MAC-Test strict F1 (24 chapters, no neural model)", f"{result.score.f1:.3f}",
                f"≥ {TARGET_MAC:g}", result.score.f1 >= TARGET_MAC,
                f"P {result.score.precision:.3f} R {result.score.recall:.3f}; Bertalign {bertalign:.2f} "
                f"({result.score.f1 - bertalign:+.3f}); worst chapters {result.worst(4)}; by gold type "
                f"{format_types(result.types)}")]
    published = published_outputs(folder, cases)
    if published:
        names = {"galechurch": "Gale–Church", "hunalign": "Hunalign", "bleualign": "Bleualign",
                 "vecalign": "Vecalign", "mbert": "Bertalign"}
        rows.append(Row("align", "MAC-Test published outputs rescored", ", ".join(
            f"{names.get(k, k)} {v.f1:.3f}" for k, v in published.items()),
            note="the systems' own outputs from the bertalign repository's history, this scorer"))
    return rows, cases, result


def speed_rows(aligner: Callable, cases: Sequence[Case], source: str, first: Result | None = None) -> list[Row]:
    """Our rate (median of three passes, ``first`` one of them) against each Gale–Church baseline's."""
    rates = ([first.rate] if first else []) + timed_rates(cases, aligner, 3 - bool(first))
    ours = median(rates)
    rows = []
    mean = char_ratio(cases)
    for name, make in (("NLTK gale_church", nltk_aligner), ("galechurch (Rust)", galechurch_aligner)):
        baseline = make(mean)
        if baseline is None:
            rows.append(Row("align", f"speed vs {name}", "-", note=f"{name} not installed"))
            continue
        result = run_cases(cases, baseline)  # one pass for the pure-Python one: it is slow
        others = [result.rate] + (timed_rates(cases, baseline, 2) if "Rust" in name else [])
        rate = median(others)
        rows.append(Row("align", f"speed vs {name} ({source})", f"{ours / rate:.2f}×",
                        note=f"ours {ours:,.0f} sent/s ({spread(rates, 0)}), {name} {rate:,.0f} sent/s "
                             f"(Chinese + English sentences; its mean {mean:.2f} English characters a Chinese one, "
                             f"no paragraph anchors); its strict F1 on the same input {result.score.f1:.3f}",
                        number=ours / rate, unit="×"))
    return rows


#: "a 5,000-sentence book aligns in seconds" (issue 32): the seconds allowed for MAC-Test as one book.
TARGET_BOOK_S = 10.0


def as_book(cases: Sequence[Case]) -> Case:
    """All the cases as one document (indices shifted): MAC-Test as a 4,875 + 6,610-sentence book."""
    zh, en, gold = [], [], []
    for case in cases:
        gold += [(tuple(i + len(zh) for i in z), tuple(j + len(en) for j in e)) for z, e in case.gold]
        zh += case.zh
        en += case.en
    return Case("book", tuple(zh), tuple(en), tuple(gold))


def book_rows(aligner: Callable, cases: Sequence[Case]) -> list[Row]:
    """The chapters aligned as one book, no chapter breaks given: CPU seconds and strict F1, beside ``galechurch``.

    A latency (what ``bitext align --sentences`` makes a user wait for a book), so a target in seconds; the
    ratio to the Rust Gale–Church's full programme on the same input, measured in the same run, stands beside."""
    book = as_book(cases)
    result = run_cases([book], aligner)
    note = f"strict F1 {result.score.f1:.3f} with no chapter breaks; wall {result.wall:.1f} s"
    baseline = galechurch_aligner(char_ratio(cases))
    if baseline is not None:
        other = run_cases([book], baseline)
        note += (f"; galechurch (Rust, full DP) {other.seconds:.1f} s CPU (ours takes {result.seconds / other.seconds:.1f}× "
                 f"as long), strict F1 {other.score.f1:.3f}")
    return [Row("align", f"MAC-Test as one book ({len(book.zh):,} + {len(book.en):,} sentences), CPU",
                f"{result.seconds:.1f} s", f"≤ {TARGET_BOOK_S:g} s", result.seconds <= TARGET_BOOK_S, note,
                latency=True)]


def run() -> list[Row]:
    try:
        aligner, split = our_aligner()
    except ImportError as exc:
        return [Row("align", "(not run)", "-", note=f"translate.align not importable: {exc}")]
    rows, edition = edition_rows(our_aligner(edition_glossary())[0], split)
    folder = mac_folder()
    speed_cases, source, first = edition, "the edition's five articles, whole", None
    if folder is None:
        rows.append(Row("align", "MAC-Test strict F1", "-", f"≥ {TARGET_MAC:g}", None,
                        f"{MAC_ENV} not set: MAC-Test (bfsujason/bertalign history) is not part of the repository"))
    else:
        mac, cases, first = mac_rows(aligner, folder)
        rows += mac
        speed_cases, source = cases, "MAC-Test, 24 chapters"
        rows += book_rows(aligner, cases)
    dev = mac_folder(MAC_DEV_ENV)
    if dev is not None:
        result = run_cases(mac_cases(dev), aligner)
        rows.append(Row("align", f"MAC-Dev strict F1 ({len(result.per_case)} chapters, for tuning)",
                        f"{result.score.f1:.3f}", note=f"P {result.score.precision:.3f} R {result.score.recall:.3f}; "
                                                       f"by gold type {format_types(result.types)}"))
    held = heldout_cases()
    if held:
        result = run_cases(held, aligner)
        rows.append(Row("align", f"held-out pairs strict F1 ({len(held)} pairs, paragraphs given; never tuned on)",
                        f"{result.score.f1:.3f}", f"≥ {TARGET_MAC:g}", result.score.f1 >= TARGET_MAC,
                        f"P {result.score.precision:.3f} R {result.score.recall:.3f}; worst {result.worst(3)}; "
                        f"by gold type {format_types(result.types)}"))
    else:
        rows.append(Row("align", "held-out pairs strict F1", "-", note=f"no pairs in {HELDOUT.relative_to(REPO)}"))
    rows += speed_rows(aligner, speed_cases, source, first)
    return rows


if __name__ == "__main__":
    from bench.__main__ import format_table

    print(format_table(run()))
