"""Translators' English over machine English: the post-editing step of a build.

After the machine (or gloss) translation, every article's store
(``corpus/<slug>.en.po``) is synced with its current segments, and each
edited entry replaces the machine English of its segment (origin
``edited``), proven against the glossary with the same honour rule as
machine output. A stale edit leaves the machine English in place and marks
the segment ``stale``. Last, a Chinese sentence identical to an edited one
elsewhere in the edition takes that English too (a 100 % memory match),
with a note naming where it came from.

English aligned into a store by ``bitext align`` and not yet confirmed is put in
place the same way with origin ``aligned`` and its bead's confidence. A segment
whose English stands in another's (the bead's first segment, its *carrier*: one
English sentence for two Chinese ones) gets ``en`` empty and ``joined`` set to
the carrier's id, and its glossary terms are proven against the carrier's English
(the bead's English). It stays joined only while the carrier's English is in use
(the carrier's edit is not stale); else it takes the machine's English.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

from translate.glossary.honour import GlossaryLike, proof_terms
from translate.models import BilingualArticle, Segment
from translate.postedit.store import (Placement, StoreSegment, store_path, store_text, sync_store, syncing,
                                     term_line)
from translate.rebuild import folded, same, term_changes


@dataclass(frozen=True, slots=True)
class StaleEdit:
    """An edit whose Chinese changed since the translator wrote it."""

    article: str
    """Article slug."""
    segment: str
    """Segment id."""
    zh: str
    """The Chinese now."""
    previous_zh: str
    """The Chinese the edit was written for."""
    en: str
    """The translator's English (not used until reviewed)."""


@dataclass(frozen=True, slots=True)
class PostEditResult:
    """The edition's articles with the translators' English, and what the stores said."""

    articles: tuple[BilingualArticle, ...]
    """Articles with edited segments in place."""
    stale: tuple[StaleEdit, ...]
    """Stale edits, in edition order."""
    stores: tuple[Path, ...]
    """The PO stores read (and written when they changed)."""
    placements: Mapping[str, Mapping[str, Placement]] = field(default_factory=dict)
    """Per article slug, segment id → the store entry it took (what an export shows a translator)."""


def store_segments(article: BilingualArticle) -> list[StoreSegment]:
    """The article's segments as its store records them, with terms and the machine (or gloss) draft."""
    return [
        StoreSegment(s.id, s.zh, s.en if s.origin != "edited" else "",
                     tuple(term_line(t.zh, t.en, t.alternates) for t in s.terms), s.origin if s.origin == "gloss" else "mt")
        for s in article.segments
    ]


def apply_edits(articles: Sequence[BilingualArticle], glossary: GlossaryLike, corpus_dir: Path, *,
                write: bool = True) -> PostEditResult:
    """Sync every article's store and put its edited English in place (see the module docstring).

    In a long-lived process an article whose machine English, store text and glossary entries are
    those of the last build is not synced again: its last result is reused (:func:`_kept_sync`).
    """
    synced = []
    stale: list[StaleEdit] = []
    stores: list[Path] = []
    placements: dict[str, Mapping[str, Placement]] = {}
    done_all: list[_Synced] = []
    with syncing(corpus_dir) if write else nullcontext():  # the stores written by a few threads at once
        for article in articles:
            path = store_path(corpus_dir, article.slug)
            done = _kept_sync(article, path, glossary, write)
            if done is None:
                done = _sync(article, path, glossary, write)
            done_all.append(done)
            stores.append(path)
            placements[article.slug] = done.placed
            stale += done.stale
            synced.append(done.result)

    # 100 % matches: a sentence edited in one place is edited wherever it recurs.
    known: dict[str, tuple[str, str]] = {}
    for done in done_all:
        for zh, en, where in done.edited:
            known.setdefault(zh, (en, where))
    out = []
    for index, (article, done) in enumerate(zip(synced, done_all)):
        # An aligned segment keeps the publisher's English (a bead is never split by a match elsewhere).
        reuse = {}
        if not known.keys().isdisjoint(done.chinese):
            reuse = {s.id: _Use(known[s.zh][0], f"{REUSED_NOTE} {known[s.zh][1]}")
                     for s in article.segments if s.origin not in ("edited", "aligned") and s.zh in known}
        if not reuse:
            out.append(article)
        elif done.matched is not None and done.matched[0] == reuse:
            out.append(done.matched[1])
        else:
            out.append(_with_edits(article, reuse, set(), glossary))
            done_all[index] = replace(done, matched=(reuse, out[-1]))
    _KEPT.clear()
    _KEPT.update((done.result.slug, done) for done in done_all)
    return PostEditResult(tuple(out), tuple(stale), tuple(stores), placements)


@dataclass(frozen=True, slots=True)
class _Synced:
    """One article's store synced: what it placed, the article with its edits, and what that was made from."""

    machine: BilingualArticle
    path: Path
    text: str | None
    """The store's text after the sync."""
    settled: bool
    """Whether a sync allowed to write leaves ``text`` as it is (:attr:`SyncResult.settled`)."""
    glossary: object
    folded: str | None
    placed: Mapping[str, Placement]
    stale: tuple[StaleEdit, ...]
    result: BilingualArticle
    edited: tuple[tuple[str, str, str], ...]
    """(Chinese, English, where) of every edited segment that others with the same Chinese take."""
    chinese: frozenset[str]
    """The Chinese of its segments."""
    matched: tuple[dict, BilingualArticle] | None = None
    """The 100 % matches last put on it, and the article they made."""


#: By slug, the last build's synced stores in this process (``bitext serve`` builds again and again).
_KEPT: dict[str, _Synced] = {}


def _kept_sync(article: BilingualArticle, path: Path, glossary: GlossaryLike, write: bool) -> _Synced | None:
    """The last sync of the article's store, when the machine English, the store's text and the glossary entries
    its Chinese holds are all as they were (:mod:`translate.rebuild`), and, when this sync may write the store, a sync
    that may would leave it as it is (a check's sync, which may not, can have left it behind the article)."""
    kept = _KEPT.get(article.slug)
    if kept is None or kept.path != path or (write and not kept.settled):
        return None
    if not same(kept.machine, article):
        return None
    if store_text(path) != kept.text:  # UNREADABLE is never equal: the sync names the problem
        return None
    if term_changes(kept.glossary, glossary).touches(kept.folded):
        return None
    return replace(kept, glossary=glossary)


def _sync(article: BilingualArticle, path: Path, glossary: GlossaryLike, write: bool) -> _Synced:
    """Sync the article's store and put its edits in place."""
    result = sync_store(path, article.slug, store_segments(article), write=write)
    stale: list[StaleEdit] = []
    edits: dict[str, _Use] = {}
    for segment_id, placement in result.placed.items():
        edit = placement.edit
        if edit.aligned:
            edits[segment_id] = _Use(edit.en, "", edit.comment, "aligned", edit.confidence, edit.joined)
        elif edit.edited:
            edits[segment_id] = _Use(edit.en, "", edit.comment)
        elif edit.stale:
            stale.append(StaleEdit(article.slug, segment_id, edit.zh, edit.previous_zh, edit.en))
    for segment_id, use in list(edits.items()):
        carrier = edits.get(use.joined)
        if use.joined and (carrier is None or carrier.joined or not carrier.en.strip()):
            del edits[segment_id]  # its carrier's English is not in use: the machine's English stands
    synced = _with_edits(article, edits, {s.segment for s in stale}, glossary)
    segments = synced.segments
    edited = tuple((s.zh, s.en, f"{synced.slug} {s.id}") for s in segments
                   if s.origin == "edited" and not s.note.startswith(REUSED_NOTE))
    return _Synced(article, path, result.text, result.settled, glossary, folded(glossary, (s.zh for s in segments)),
                   result.placed, tuple(stale), synced, edited, frozenset(s.zh for s in segments))


#: Note on a segment whose English is a translator's edit of the same Chinese elsewhere.
REUSED_NOTE = "Same Chinese as"


@dataclass(frozen=True, slots=True)
class _Use:
    """The English a store entry puts on its segment."""

    en: str
    note: str = ""
    comment: str = ""
    origin: str = "edited"
    confidence: float | None = None
    joined: str = ""


def _with_edits(article: BilingualArticle, edits: Mapping[str, _Use], stale: set[str],
                glossary: GlossaryLike) -> BilingualArticle:
    def edited(segment: Segment | None, block_id: str) -> Segment | None:
        if segment is None:
            return None
        if segment.id in edits:
            use = edits[segment.id]
            # A joined segment's terms are proven against the bead's English, which its carrier holds.
            proven = edits[use.joined].en if use.joined else use.en
            terms, violations = proof_terms(article.slug, block_id, segment.id, segment.zh, proven, glossary)
            segment = replace(segment, en="" if use.joined else use.en, terms=terms, violations=violations,
                              origin=use.origin, stale=False, engine=use.origin, note=use.note or segment.note,
                              cached=False, comment=use.comment, confidence=use.confidence, joined=use.joined)
            # What the screen of the machine's English found is no flag of the publisher's English.
            return replace(segment, screened=(), failed="") if use.origin == "aligned" else segment
        if segment.id in stale:
            return replace(segment, stale=True)
        return segment

    blocks = tuple(
        replace(b, segments=tuple(edited(s, b.block.id) for s in b.segments), speaker=edited(b.speaker, b.block.id))
        for b in article.blocks
    )
    title = edited(article.title, "title")
    return replace(article, blocks=blocks, title=title, title_en=title.en if title is not None else article.title_en)
