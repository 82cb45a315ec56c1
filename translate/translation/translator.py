"""The translation stage: articles in, aligned bilingual articles out.

Every block is cut into sentences; every sentence not in the translation memory,
from every article, goes through the engine in one sorted stream of batches
(glossary layer and inline layer around it); results are committed to the memory
batch by batch; then the articles are put back together, sentence by sentence,
with each glossary term checked in the English.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from translate import progress
from translate.models import (
    DAMAGED_CLOSE,
    DAMAGED_OPEN,
    DAMAGED_PLACEHOLDER,
    Article,
    BilingualArticle,
    BilingualBlock,
    Block,
    Segment,
    TranslationStats,
)
from translate.engines import Capability
from translate.rebuild import folded, keeping_pieces, same, same_each, term_changes
from translate.glossary.honour import GlossaryLike, proof_terms
from translate.glossary.labels import SPEAKER_SUFFIX, speaker_english
from translate.translation.constraints import LADDER_VERSION, RUNG_NONE, GlossaryLayer
from translate.translation.engine import Engine, SentenceBlock
from translate.translation.inlinelayer import InlineLayer, carry_protected, memory_options, only_protected, plain_text, without_notes
from translate.translation.memory import MemoryLayer, Remembered, TranslationMemory, memory_key
from translate.translation.untrusted import screen_english
from translate.corpus.sentences import balance_markers, sentence_spans

DAMAGED_NOTE = "A damaged span of the source was not translated."
TITLE_ID = "title"

#: Sentences translated between two commits to the memory (the engine batches within it).
CHUNK = 256


@dataclass(frozen=True, slots=True)
class _PlannedSegment:
    id: str
    zh: str
    zh_original: str
    units: tuple[str | None, ...]
    """Pieces to translate; None where a damaged span sits."""


def plan_block(block: Block) -> list[_PlannedSegment]:
    """The sentences of a block, with the same spans of the source-script text; none for code and rules."""
    if not block.translatable:
        return []
    spans = sentence_spans(block.text)
    zh = balance_markers([block.text[s:e] for s, e in spans])
    if len(block.original) == len(block.text):
        original = balance_markers([block.original[s:e] for s, e in spans])
    else:
        own = sentence_spans(block.original)
        if len(own) == len(spans):
            original = balance_markers([block.original[s:e] for s, e in own])
        else:
            original = [block.original] + [""] * (len(spans) - 1)
    return [
        _PlannedSegment(f"{block.id}.s{n}", text, source, _units(text))
        for n, (text, source) in enumerate(zip(zh, original), 1)
    ]


def _units(sentence: str) -> tuple[str | None, ...]:
    """Split a sentence around damaged spans: only the undamaged text goes to the engine."""
    if DAMAGED_OPEN not in sentence:
        return (sentence,)
    units: list[str | None] = []
    rest = sentence
    while DAMAGED_OPEN in rest:
        before, _, after = rest.partition(DAMAGED_OPEN)
        if before.strip():
            units.append(before.strip())
        units.append(None)
        _, closed, rest = after.partition(DAMAGED_CLOSE)
        if not closed:
            rest = ""
    if rest.strip():
        units.append(rest.strip())
    return tuple(units)


def translate_articles(
    articles: Sequence[Article],
    engine: Engine,
    glossary: GlossaryLike,
    *,
    memory_path: Path | None,
    num_hypotheses: int | None = None,
    backend=None,
) -> tuple[BilingualArticle, ...]:
    """Translate every article, batching all uncached sentences of all articles together.

    ``backend``: where the uncached chunks are translated (:class:`translate.cluster.Backend`; None: here).
    Engines that translate whole blocks (the LLM engine, whose servers do the work) always run here.
    In a long-lived process an article whose last result came whole from the memory is reused while
    its inputs compare equal (:func:`_kept_result`).
    """
    engine_key = _engine_key(engine, num_hypotheses)
    memory_before = _memory_signature(memory_path)
    reused = {index: kept for index, article in enumerate(articles)
              if (kept := _kept_result(article, engine_key, glossary, memory_before)) is not None}
    _SEGMENTS.keep(articles, reused, glossary)
    everything, articles = articles, [a for index, a in enumerate(articles) if index not in reused]
    plans: list[tuple[_PlannedSegment, list[tuple[Block, list[_PlannedSegment]]]]] = []
    for article in articles:
        title = _PlannedSegment(TITLE_ID, article.meta.title, article.meta.title_original, _units(article.meta.title))
        plans.append((title, [(block, _PLANS.plan(article.slug, block)) for block in article.blocks]))

    sources = list(dict.fromkeys(
        unit
        for title, blocks in plans
        for segment in [title, *(s for _, segs in blocks for s in segs)]
        for unit in segment.units
        if unit is not None
    ))
    terms_of = {source: [m.term for m in glossary.find(plain_text(source))] for source in sources}
    options = f"{engine.options};ladder-v{LADDER_VERSION}"
    keys = {source: memory_key(engine.name, engine.model_id, memory_options(options, source), source, terms_of[source])
            for source in sources}

    memory = TranslationMemory(memory_path) if memory_path is not None else None
    try:
        if Capability.BLOCKS in engine.capabilities:
            remembered = memory.get_many(list(keys.values())) if memory is not None else {}
            missing = [source for source in sources if keys[source] not in remembered]
            fresh = _translate_blocks(plans, missing, engine, glossary, memory, keys)
            translated = {source: remembered.get(keys[source]) or fresh[source] for source in sources}
            cached = {source for source in sources if keys[source] in remembered}
        else:
            translated, cached = _translate_layered(sources, engine, glossary, memory, keys, num_hypotheses, backend)
    except sqlite3.Error as exc:
        from translate.translation.memory import memory_error  # the one wording of a memory's failures

        raise memory_error(exc, memory_path) from exc
    finally:
        if memory is not None:
            memory.close()

    label = engine.name if engine.name == "gloss" else f"{engine.name}:{engine.model_id}"
    out = []
    fresh_kept: dict[str, _Kept] = {}
    for article, (title, blocks) in zip(articles, plans):
        units = [u for seg in [title, *(s for _, segs in blocks for s in segs)] for u in seg.units if u is not None]
        model = _most_named((translated[u].model for u in units if u in translated), engine.model_id)
        segment = _SEGMENTS.maker(article.slug, translated, cached, glossary, label)
        title_segment = segment(TITLE_ID, title)
        bilingual_blocks = tuple(
            BilingualBlock(block, tuple(segment(block.id, s) for s in segments),
                           speaker_segment(article.slug, block, glossary, label))
            for block, segments in blocks
        )
        _SEGMENTS.made(article.slug, glossary)
        hits = sum(1 for u in units if u in cached)
        stats = TranslationStats(
            segments=sum(len(b.segments) for b in bilingual_blocks) + 1, cache_hits=hits, cache_misses=len(units) - hits
        )
        out.append(BilingualArticle(article, title_segment.en, bilingual_blocks, engine.name, model, stats,
                                    title_segment))
        if memory is not None and hits == len(units):  # what a build in this process would make again
            fresh_kept[article.slug] = _Kept(article, engine_key, glossary, None,
                                             folded(glossary, _chinese(title, blocks)), out[-1])
    return _keep(everything, out, reused, fresh_kept, glossary, memory_path)


@dataclass(frozen=True, slots=True)
class _Kept:
    """An article's last result in this process, and what it was made from."""

    article: Article
    engine: tuple
    glossary: object
    memory: tuple | None
    """:func:`_memory_signature` after that build."""
    folded: str | None
    """Its Chinese as the glossary's matcher folds it (:func:`translate.rebuild.folded`)."""
    result: BilingualArticle


#: By slug, the last build's results that came whole from the memory (``bitext serve`` builds again and again).
_KEPT: dict[str, _Kept] = {}


def _engine_key(engine: Engine, num_hypotheses: int | None) -> tuple:
    return (engine.name, engine.model_id, str(engine.options), tuple(sorted(map(str, engine.capabilities))),
            num_hypotheses)


def _memory_signature(path: Path | None) -> tuple | None:
    """The memory's files as they are (identity, size, time, SQLite's change counter); None: no memory to trust."""
    if path is None:
        return None
    signature: list = [str(path)]
    for name in (path, path.with_name(path.name + "-wal")):
        try:
            stat = name.stat()
        except FileNotFoundError:
            signature.append(None)
            continue
        except OSError:
            return None
        signature.append((stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    try:
        with open(path, "rb") as handle:
            signature.append(handle.read(100))  # the header: the file change counter at bytes 24–27
    except OSError:
        return None
    return tuple(signature)


def _kept_result(article: Article, engine_key: tuple, glossary, memory: tuple | None) -> _Kept | None:
    """The article's last result, when its source, the engine, the memory's rows and its glossary entries are equal.

    Only a result whose every sentence the memory answered is kept, so it is what the memory answers
    again; the memory must be untouched since (nothing else wrote it), and no glossary entry changed
    that its Chinese holds (:mod:`translate.rebuild`): its keys, terms and proofs are the same.
    """
    kept = _KEPT.get(article.slug)
    if kept is None or memory is None or kept.memory != memory or kept.engine != engine_key:
        return None
    if not same(kept.article, article):
        return None
    if term_changes(kept.glossary, glossary).touches(kept.folded):
        return None
    return kept


def _keep(articles, out, reused: dict[int, _Kept], fresh: dict[str, _Kept], glossary, memory_path: Path | None):
    """The results in article order; what this build made or reused is kept for the next, with the memory as it is now.

    The memory's rows that a kept result read are not among those this build wrote (it writes only keys it
    did not find), so the signature taken after the build stands for them.
    """
    memory = _memory_signature(memory_path)
    made = iter(out)
    results = []
    _KEPT.clear()
    for index, article in enumerate(articles):
        if index in reused:
            kept = reused[index]
            result = kept.result
        else:
            result = next(made)
            kept = fresh.get(article.slug)
        results.append(result)
        if kept is not None and memory is not None and kept.result is result:
            _KEPT[article.slug] = replace(kept, article=article, glossary=glossary, memory=memory)
    return tuple(results)


def _chinese(title: _PlannedSegment, blocks) -> list[str]:
    """Every Chinese text of an article that the glossary is matched against: sentences, their pieces, speakers."""
    texts = [title.zh, *(u for u in title.units if u is not None)]
    for block, segments in blocks:
        texts.append(block.speaker or "")
        for segment in segments:
            texts.append(segment.zh)
            texts += [u for u in segment.units if u is not None]
    return texts


def _translate_layered(sources, engine, glossary, memory, keys, num_hypotheses, backend=None):
    """Memory → inline Markdown → glossary ladder → engine: each layer wraps the next and speaks its protocol.

    With a ``backend``, the memory layer sends its chunks there, where the same inner layers translate them.
    """
    n = num_hypotheses if num_hypotheses is not None else getattr(engine, "num_hypotheses", 4)
    inner = InlineLayer(GlossaryLayer(engine, glossary, num_hypotheses=n))
    farm = backend.chunk_translator(engine, glossary, n) if backend is not None else None
    layer = MemoryLayer(inner, memory, keys, engine=engine.name, model=engine.model_id, chunk=CHUNK,
                        overlap=Capability.OVERLAP in engine.capabilities, farm=farm)
    known = layer.remembered(sources)
    with progress.progress("Translating sentences", len(set(sources)) - len(known)) as advance:
        layer.on_chunk = advance
        results = layer.translate(sources, known)
    return dict(zip(sources, results)), layer.hits


def _translate_blocks(plans, missing, engine, glossary, memory, keys) -> dict[str, Remembered]:
    """Engines that need the block (the LLM engine): every block with a missing sentence goes whole.

    Each missing sentence belongs to the first block that has it; the block's other
    sentences go along as context, and only the sentences it owns are kept. A table goes
    as one block of kind ``table`` (its cells' sentences, row by row, each with its cell);
    a footnote's paragraph as kind ``footnote``; code never goes. Footnote references never
    go either: the engine gets each sentence without them, and they are put back in its
    English (:func:`~translate.translation.inlinelayer.carry_protected`), as is any inline code
    it lost. Every answer is committed to the memory as it arrives.
    """
    fresh: dict[str, Remembered] = {unit: Remembered(unit.strip(), unit.strip(), RUNG_NONE)
                                    for unit in missing if only_protected(unit)}
    wanted = set(missing) - set(fresh)
    owner: dict[str, int] = {}
    blocks: list[SentenceBlock] = []
    units_of: list[tuple[str, ...]] = []
    for title, article_blocks in plans:
        for kind, members in _request_groups(title, article_blocks):
            units = [unit for block, segment in members for unit in segment.units
                     if unit is not None and unit not in fresh]
            owned = [unit for unit in units if unit in wanted and unit not in owner]
            if not owned:
                continue
            for unit in owned:
                owner[unit] = len(blocks)
            cells = tuple(block.cell if block is not None else None
                          for block, segment in members for unit in segment.units
                          if unit is not None and unit not in fresh)
            matches = tuple(tuple(glossary.find(plain_text(unit))) for unit in units)
            sent = tuple(without_notes(unit) for unit in units)
            blocks.append(SentenceBlock(kind, sent, matches, cells if kind == "table" else ()))
            units_of.append(tuple(units))
    for index, results in engine.translate_blocks(blocks):
        rows = []
        for unit, result in zip(units_of[index], results):
            if owner.get(unit) == index and unit not in fresh:
                english = carry_protected(unit, result.en, glossary)
                fresh[unit] = Remembered(english, result.raw, result.rung, result.model, result.failed)
                if not result.failed:  # shown once, flagged, and asked again next build: never remembered
                    rows.append((keys[unit], engine.name, engine.model_id, unit, fresh[unit]))
        if memory is not None and rows:
            memory.put_many(rows)
    return fresh


def edition_model(articles: Sequence[BilingualArticle], configured: str) -> str:
    """The model that answered for most articles (an LLM server names it), else the configured one."""
    return _most_named((a.model for a in articles), configured)


def _most_named(models, configured: str) -> str:
    """The model named most often among ``models`` (empty names aside), else the configured one."""
    named = Counter(model for model in models if model)
    return named.most_common(1)[0][0] if named else configured


def _request_groups(title, article_blocks):
    """What goes to a block engine together: the title, each block, and each table's cells as one ``table``."""
    groups: list[tuple[str, str, list]] = [("title", "", [(None, title)])]
    for block, segments in article_blocks:
        members = [(block, segment) for segment in segments]
        table = block.cell.table if block.cell is not None else ""
        if table and groups[-1][:2] == ("table", table):
            groups[-1][2].extend(members)
        else:
            groups.append(("table" if table else block.kind, table, members))
    return [(kind, members) for kind, _, members in groups if members]


class _Plans:
    """The last plan of each block (by article slug and block id), made again only for another block."""

    def __init__(self) -> None:
        self._last: dict[str, dict[str, tuple[Block, list[_PlannedSegment]]]] = {}

    def plan(self, slug: str, block: Block) -> list[_PlannedSegment]:
        """:func:`plan_block`, the last plan when the block is equal to the one it was made for."""
        if not keeping_pieces():
            return plan_block(block)
        blocks = self._last.setdefault(slug, {})
        last = blocks.get(block.id)
        if last is not None and same(last[0], block):
            return list(last[1])
        plan = plan_block(block)
        blocks[block.id] = (block, plan)
        if len(self._last) > 4096:  # one edition's articles, more or less
            del self._last[next(iter(self._last))]
        return list(plan)


class _Segments:
    """Each article's segments as last made in this process, reused while what made them is equal.

    A segment is made from its planned sentence, the memory's answers for its pieces (whether they
    were cached too), the engine's label and the glossary; it is reused when the first are equal and no
    entry changed that its Chinese may hold (:mod:`translate.rebuild`): its proof of the terms is the same.
    An article whose result is reused whole keeps its segments with the glossary it was reused under.
    """

    def __init__(self) -> None:
        self._last: dict[str, tuple[object, dict]] = {}
        self._making: dict = {}
        self._changes: dict[int, object] = {}

    def keep(self, articles, reused: dict, glossary) -> None:
        """Start a build: forget removed articles; those reused whole hold for ``glossary`` too (none of their
        Chinese holds a changed entry)."""
        self._changes = {}
        slugs = {a.slug for a in articles}
        for slug in [s for s in self._last if s not in slugs]:
            del self._last[slug]
        for kept in reused.values():
            last = self._last.get(kept.article.slug)
            if last is not None:
                if last[0] is kept.glossary:
                    self._last[kept.article.slug] = (glossary, last[1])
                else:
                    del self._last[kept.article.slug]

    def maker(self, slug: str, translated, cached, glossary, label):
        """``make(block_id, planned)``: the article's segment (:func:`_segment`), the last one where it holds."""
        if not keeping_pieces():
            return lambda block_id, planned: _segment(slug, block_id, planned, translated, cached, glossary, label)
        last_glossary, last = self._last.get(slug, (None, {}))
        changes = None
        if last_glossary is not None:
            changes = self._changes.get(id(last_glossary))
            if changes is None:
                changes = self._changes[id(last_glossary)] = term_changes(last_glossary, glossary)
        made = self._making = {}

        def make(block_id: str, planned: _PlannedSegment) -> Segment:
            units = tuple(u for u in planned.units if u is not None)
            inputs = (planned, tuple(translated[u] for u in units), tuple(u in cached for u in units), label)
            key = (block_id, planned.id)
            kept = last.get(key)
            reusable = (kept is not None and changes is not None and changes.forms is not None
                        and same_each(kept[0], inputs))
            if reusable and changes.forms:  # its Chinese folded as the glossary it was made with folds it
                reusable = not changes.touches(folded(last_glossary, (planned.zh, *units)))
            if reusable:
                segment = kept[1]
            else:
                segment = _segment(slug, block_id, planned, translated, cached, glossary, label)
            made[key] = (inputs, segment)
            return segment

        return make

    def made(self, slug: str, glossary) -> None:
        """The article's segments made now are those to reuse next time."""
        if keeping_pieces():
            self._last[slug] = (glossary, self._making)
        self._making = {}


#: This process's last plans and segments (``bitext serve`` builds again and again).
_PLANS = _Plans()
_SEGMENTS = _Segments()


def _segment(slug, block_id, planned: _PlannedSegment, translated, cached, glossary, label) -> Segment:
    # Whatever the engine wrote (or the memory kept from an engine) is screened here, on its way into the edition.
    screened = [None if unit is None else screen_english(unit, translated[unit].en) for unit in planned.units]
    pieces = [DAMAGED_PLACEHOLDER if s is None else s.en for s in screened]
    english = " ".join(p for p in pieces if p)
    terms, violations = proof_terms(slug, block_id, planned.id, planned.zh, english, glossary)
    units = [u for u in planned.units if u is not None]
    failed = "; ".join(dict.fromkeys(translated[u].failed for u in units if translated[u].failed))
    models = {translated[u].model for u in units if translated[u].model}
    if label != "gloss" and len(models) == 1:
        label = f"{label.partition(':')[0]}:{models.pop()}"
    return Segment(
        id=planned.id,
        zh=planned.zh,
        zh_original=planned.zh_original,
        en=english,
        engine=label,
        terms=terms,
        violations=violations,
        note=DAMAGED_NOTE if None in planned.units else "",
        cached=bool(units) and all(u in cached for u in units),
        origin="gloss" if label == "gloss" else "mt",
        screened=tuple(change for s in screened if s is not None for change in s.changes),
        failed=failed,
    )


def speaker_segment(slug: str, block: Block, glossary: GlossaryLike, label: str) -> Segment | None:
    """The block's speaker label as a segment: the glossary's English, else the name in pinyin."""
    if not block.speaker:
        return None
    english = speaker_english(block.speaker, glossary)
    segment_id = f"{block.id}{SPEAKER_SUFFIX}"
    terms, violations = proof_terms(slug, block.id, segment_id, block.speaker, english, glossary)
    return Segment(id=segment_id, zh=block.speaker, zh_original=block.speaker, en=english, engine=label,
                   terms=terms, violations=violations, origin="gloss" if label == "gloss" else "mt")
