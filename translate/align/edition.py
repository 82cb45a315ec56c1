"""An article's existing English, aligned into its post-editing store: ``bitext align ARTICLE ENGLISH_FILE``.

The article's segments (its title and sentences; speaker labels keep the glossary's English)
are aligned with the English file's sentences (:func:`translate.align.align`, with the
paragraphs of both sides as evidence), and each bead becomes store entries
(``corpus/<slug>.en.po``, :mod:`translate.postedit.store`) of origin *aligned*:

- a bead of one Chinese sentence (1-1, 1-2, 1-n): its English, the English sentences joined
  with a space, flag ``aligned``, comment ``aligned (0.62): <the English>``;
- a bead of several (2-1, n-m): the English on the first segment, the *carrier*; the others
  get an empty English, the flag, and ``aligned (0.62): joined with <carrier id>``: the build
  shows the English once and translates nothing for them;
- 1-0 (the English leaves the sentence out): no English, the comment ``aligned: not in the
  English``; the build translates the sentence as usual and ``bitext postedit status`` lists it;
- 0-1 (the English adds a sentence): the sentence goes to the previous bead that pairs
  sentences (the next one at the start), whose confidence is halved from the smaller of the
  two, so it is listed for review (:data:`ADDED_FACTOR`): nothing of the English is lost.

Writing follows the import's rules (:mod:`translate.postedit.merge`): under the build folder's
lock and the store's, the store re-read under the lock, written atomically. An entry a
translator wrote (English that is not the aligned English of its comment) or marked fuzzy is a
**conflict**, not overwritten, unless ``force``; a bead with a conflict is written not at all.
Re-running over English aligned before and not yet confirmed replaces it. The engine's English
of the article, where the store already holds it as the machine draft of every sentence (the
last build's), is given to the aligner (Bleualign's idea); nothing is translated for it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from translate.align.bead import Bead
from translate.errors import BitextError
from translate.models import ALIGN_REVIEW_BELOW, Article
from translate.postedit.merge import Outcome, OutcomeKind
from translate.postedit.store import (ALIGNED_FLAG, JOINED_WITH, NOT_IN_ENGLISH, Edit, Placement, StoreSegment,
                                      aligned_comment)
from translate.settings import Settings

#: An added English sentence (a 0-1 bead) joins its neighbour's English; the neighbour's confidence becomes this
#: share of the smaller of the two confidences (the aligner's null beads are at most 0.5 sure): under the review
#: threshold, so a translator checks where the sentence went.
ADDED_FACTOR = 0.5
#: Bead shapes reported one by one; the rest are counted as ``n-m``.
KINDS = ("1-1", "1-2", "2-1", "1-0", "0-1")
#: Most known slugs an unknown article's error names.
SLUGS_NAMED = 12
_SPEAKER_LABEL = re.compile(r"^\**(?P<label>[^\s:：*][^:：*]{0,30}?)\**\s*[:：]\s*\**\s+")


@dataclass(frozen=True, slots=True)
class Unit:
    """A Chinese segment the English is aligned with."""

    id: str
    """Segment id (``title``, ``b003.s2``)."""
    zh: str
    """Its Chinese (inline Markdown, working script)."""
    paragraph: int
    """Its paragraph: 0 for the title, then one per block."""
    speaker: str = ""
    """For the first sentence of a block opened by a speaker label: the label's English (its own segment's)."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A bead as the store receives it: which segments, which English sentences, how sure."""

    zh: tuple[int, ...]
    """Indices of the Chinese segments (into the units)."""
    en: tuple[int, ...]
    """Indices of the English sentences, the added ones included."""
    confidence: float
    """The bead's confidence, lowered where an added sentence joined it."""


@dataclass(frozen=True, slots=True)
class AlignResult:
    """What aligning one article's English did (or, in a dry run, would do)."""

    slug: str
    """The article."""
    store: Path
    """Its PO store."""
    english: Path
    """The English file."""
    kind: str
    """How the English file was read: ``text``, ``markdown``, ``html``, ``docx``."""
    beads: dict[str, int]
    """The aligner's beads by shape (``1-1``, ``1-2``, ``2-1``, ``1-0``, ``0-1``, ``n-m``)."""
    placed: tuple[Placed, ...]
    """The beads as written, added sentences attached."""
    uncertain: tuple[tuple[str, ...], ...]
    """Segment ids of the beads under the threshold and of the sentences the English leaves out."""
    outcomes: tuple[Outcome, ...]
    """One per segment aligned, in article order."""
    written: bool
    """True when the store changed on disk."""
    dry_run: bool = False
    """True when nothing was written."""
    machine_english: bool = False
    """True when the engine's English (the store's machine drafts) was given to the aligner."""
    confidences: dict[str, float] = field(default_factory=dict)
    """Segment id → its bead's confidence (two decimals), for every segment with aligned English."""

    def count(self, kind: OutcomeKind) -> int:
        """How many segments had this outcome."""
        return sum(1 for o in self.outcomes if o.kind == kind)


def article_path(settings: Settings, name: str) -> Path:
    """The cleaned article that ``name`` (a slug, or a ``corpus/<slug>.md`` path) names; else a one-line error."""
    from translate.corpus import slugs

    corpus = Path(settings.corpus_dir)
    given = Path(name)
    if name.endswith(".md") and given.is_file():
        try:
            inside = given.resolve().parent == corpus.resolve()
        except OSError:
            inside = False
        if inside and given.name.lower() != "readme.md":
            return corpus / given.name
    if slugs.is_safe(name) and (corpus / f"{name}.md").is_file():
        return corpus / f"{name}.md"
    known = sorted(p.stem for p in corpus.glob("*.md") if p.name.lower() != "readme.md") if corpus.is_dir() else []
    listed = ", ".join(known[:SLUGS_NAMED]) + (f", … ({len(known)} in all)" if len(known) > SLUGS_NAMED else "")
    from translate.inputs import quoted

    raise BitextError(f"no article {quoted(name)} in {corpus}; give a slug (the name of a corpus/*.md file"
                      + (f": {listed}" if known else ", and there are none yet: import sources with "
                                                     "`bitext corpus import`") + ")")


def article_units(article: Article, glossary=None) -> tuple[list[Unit], list[tuple[str, str, str]]]:
    """The article's aligned segments (title, sentences), and every segment in store order as (id, Chinese, block
    id): the title, then per block its speaker label and its sentences, as a build lists them."""
    from translate.glossary.labels import SPEAKER_SUFFIX, speaker_english
    from translate.translation.translator import TITLE_ID, plan_block

    units = [Unit(TITLE_ID, article.meta.title, 0)]
    every = [(TITLE_ID, article.meta.title, TITLE_ID)]
    for number, block in enumerate(article.blocks, 1):
        if block.speaker:
            every.append((f"{block.id}{SPEAKER_SUFFIX}", block.speaker, block.id))
        for index, planned in enumerate(plan_block(block)):
            label = speaker_english(block.speaker, glossary) if block.speaker and index == 0 and glossary else ""
            units.append(Unit(planned.id, planned.zh, number, speaker=label))
            every.append((planned.id, planned.zh, block.id))
    return units, every


def attach_added(beads: Sequence[Bead]) -> list[Placed]:
    """The beads with every 0-1 bead's English given to the previous bead that pairs sentences (the next one when
    none comes before; any bead with Chinese when none pairs), its confidence lowered (:data:`ADDED_FACTOR`)."""
    placed = [[list(b.zh), list(b.en), b.confidence] for b in beads if b.zh]
    if not placed:
        return []
    order = [i for i, b in enumerate(beads) if b.zh]
    for position, bead in enumerate(beads):
        if bead.zh or not bead.en:
            continue
        before = [k for k, i in enumerate(order) if i < position]
        after = [k for k, i in enumerate(order) if i > position]
        paired = [k for k in before if placed[k][1]] or [k for k in after if placed[k][1]]
        target = (paired[-1] if paired and paired[-1] in before else paired[0]) if paired else \
            (before[-1] if before else after[0])
        host = placed[target]
        host[1] = sorted(host[1] + list(bead.en))
        host[2] = min(host[2], bead.confidence) * ADDED_FACTOR
    return [Placed(tuple(zh), tuple(en), confidence) for zh, en, confidence in placed]


def bead_kinds(beads: Sequence[Bead]) -> dict[str, int]:
    """The beads by shape: :data:`KINDS`, and ``n-m`` for every other."""
    counts = Counter(b.kind if b.kind in KINDS else "n-m" for b in beads)
    return {kind: counts.get(kind, 0) for kind in (*KINDS, "n-m")}


def _english(sentences: Sequence[str], speaker: str) -> str:
    from translate.translation.untrusted import printable

    text = " ".join(printable(" ".join(sentences)).split())
    found = _SPEAKER_LABEL.match(text) if speaker else None
    if found and (found.group("label").strip().lower() == speaker.lower() or _name_like(found.group("label"))):
        # The speaker label is a segment of its own (the glossary's English): the English's "Reporter:" goes.
        text = text[found.end():] or text
    return text


def _name_like(label: str) -> bool:
    """A label such as ``Q``, ``Reporter``, ``Zhou Ming``: one to three words, each capitalised."""
    words = label.split()
    return 0 < len(words) <= 3 and all(w[:1].isupper() for w in words)


def planned_entries(units: Sequence[Unit], sentences: Sequence[str], placed: Sequence[Placed]) \
        -> list[list[tuple[str, str, bool, str]]]:
    """Per bead, per segment: (segment id, English, flagged ``aligned``, aligned comment)."""
    out = []
    for bead in placed:
        confidence = round(bead.confidence, 2)
        ids = [units[i].id for i in bead.zh]
        if not bead.en:
            out.append([(i, "", False, aligned_comment(None, NOT_IN_ENGLISH)) for i in ids])
            continue
        english = _english([sentences[j] for j in bead.en], units[bead.zh[0]].speaker)
        entries = [(ids[0], english, True, aligned_comment(confidence, english))]
        entries += [(i, "", True, aligned_comment(confidence, f"{JOINED_WITH}{ids[0]}")) for i in ids[1:]]
        out.append(entries)
    return out


def _protected(edit: Edit | None) -> bool:
    """True when the entry holds a person's work the alignment must not replace: their English, or a fuzzy mark."""
    return edit is not None and (edit.fuzzy or bool(edit.en.strip()) and not edit.aligned)


def decide(beads: Sequence[list[tuple[str, str, bool, str]]], placed: dict[str, Placement], zh: dict[str, str],
           *, force: bool) -> tuple[dict[str, Placement], list[Outcome]]:
    """Each bead's entries against the store's (see the module docstring): the placements to write, and an outcome
    per segment."""
    placed = dict(placed)
    outcomes: list[Outcome] = []
    for entries in beads:
        planned = []
        for segment, english, flagged, note in entries:
            current = placed[segment].edit if segment in placed else None
            flags = tuple(f for f in (current.flags if current else ()) if f != ALIGNED_FLAG)
            new = Edit(segment, zh[segment], english, comment=current.comment if current else "",
                       flags=flags + ((ALIGNED_FLAG,) if flagged else ()), line=current.line if current else 0,
                       aligned_note=note)
            planned.append((segment, current, new))
        conflicts = {segment for segment, current, new in planned
                     if _protected(current) and new.en.strip() and " ".join(current.en.split()) != new.en
                     or _protected(current) and not new.en.strip() and any(n.en for _, _, n in planned)}
        for segment, current, new in planned:
            line = current.line if current else 0

            def outcome(kind: OutcomeKind, detail: str = "") -> None:
                outcomes.append(Outcome(kind, segment, segment, line, detail))

            if conflicts and not force:
                if segment in conflicts:
                    now = f" (now: {current.en})" if current.en.strip() else ""
                    why = "marked fuzzy" if current.fuzzy else "already edited"
                    outcome("conflict", f"the segment is {why}{now}; --force overwrites it")
                else:
                    outcome("skipped", "in a bead with a conflict")
                continue
            left_out = not new.en and ALIGNED_FLAG not in new.flags
            if _protected(current) and (not force or left_out):
                if new.en and " ".join(current.en.split()) == new.en and not current.fuzzy:
                    outcome("unchanged", "a translator's English, the same as the aligned one")
                elif left_out or not new.en:
                    outcome("skipped", "the English leaves it out; a translator's English stays")
                else:
                    outcome("skipped", "marked fuzzy with this English: left for the translator's review")
                continue
            if current is not None and (current.en, current.fuzzy, set(current.flags), current.aligned_note) == \
                    (new.en, False, set(new.flags), new.aligned_note):
                outcome("unchanged")
                continue
            previous = placed.get(segment)
            placed[segment] = Placement(new, previous.moved_from if previous is not None else "")
            outcome("applied", "overwrote a translator's entry (--force)" if _protected(current) else "")
    return placed, outcomes


def align_article(settings: Settings, name: str, english_path: Path | str, *, force: bool = False,
                  dry_run: bool = False, below: float = ALIGN_REVIEW_BELOW) -> AlignResult:
    """Align the English file with the article ``name`` and write it into the article's store (see the module
    docstring); with ``dry_run`` nothing is written."""
    from translate.align import align
    from translate.align.englishfile import read_english
    from translate.corpus import load_article
    from translate.glossary import Glossary
    from translate.glossary.honour import proof_terms
    from translate.markup import plain_text
    from translate.postedit.store import store_path, sync_store, term_line

    path = article_path(settings, name)
    article = load_article(path)
    english = read_english(english_path)
    glossary = Glossary.load(settings.glossary_path)
    units, every = article_units(article, glossary)
    store = store_path(settings.corpus_dir, article.slug)
    drafts = _store_drafts(store)
    segments = []
    for segment_id, zh, block_id in every:
        terms, _ = proof_terms(article.slug, block_id, segment_id, zh, "", glossary)
        draft, origin = drafts.get((segment_id, zh), ("", "mt"))
        segments.append(StoreSegment(segment_id, zh, draft, tuple(term_line(t.zh, t.en, t.alternates) for t in terms),
                                     origin))
    machine = [drafts.get((u.id, u.zh), ("", ""))for u in units]
    translations = [plain_text(d) for d, _ in machine] if all(d and o == "mt" for d, o in machine) else None
    sentences = english.sentences
    beads = align([plain_text(u.zh) for u in units], [plain_text(s) for s in sentences], glossary=glossary,
                  dictionary=True, translations=translations, zh_paragraphs=[u.paragraph for u in units],
                  en_paragraphs=english.paragraph_of)
    placed = attach_added(beads)
    entries = planned_entries(units, sentences, placed)
    zh = {segment_id: text for segment_id, text, _ in every}
    decided: list[list[Outcome]] = []

    def revise(current: dict[str, Placement]) -> dict[str, Placement] | None:
        revised, outcomes = decide(entries, current, zh, force=force)
        decided.append(outcomes)
        return revised if any(o.kind == "applied" for o in outcomes) else None

    if dry_run:
        result = sync_store(store, article.slug, segments, write=False, revise=revise)
    else:
        from translate.outputs import build_lock

        with build_lock(settings.build_dir, wait=True):  # no build fingerprints a store that changes under it
            result = sync_store(store, article.slug, segments, revise=revise)
    uncertain = tuple(tuple(units[i].id for i in bead.zh) for bead in placed
                      if not bead.en or round(bead.confidence, 2) < below)
    confidences = {units[bead.zh[0]].id: round(bead.confidence, 2) for bead in placed if bead.en}
    return AlignResult(article.slug, store, english.path, english.kind, bead_kinds(beads), tuple(placed), uncertain,
                       tuple(decided[-1]), result.written, dry_run, translations is not None, confidences)


def _store_drafts(store: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(segment id, Chinese) → (machine draft, its origin) as the store's extracted comments hold them (the last
    build's engine English); empty when there is no store yet."""
    from translate.postedit.segmentsave import written_segments
    from translate.postedit.store import load_po

    if not store.exists():
        return {}
    _, po = load_po(store)
    segments, _ = written_segments(po)
    return {(s.id, s.zh): (s.draft, s.draft_origin) for s in segments if s.draft}
