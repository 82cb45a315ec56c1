"""What goes out to a translator's CAT tool and what comes back, whatever the file format.

An export is one :class:`ExportArticle` per article: a :class:`ExportUnit` per
segment with the current English as its target and where that English came
from (``edited``, ``reused``, ``stale``, ``aligned`` or ``machine``), the glossary entries and
the machine draft. Aligned English (``bitext align``: an existing translation, not yet
confirmed) goes out as a target to review, never as a confirmed one; a segment joined to
another's English (a 2-1 bead) goes out with an empty target and a note naming its carrier, so
an import neither adds its English twice nor breaks the join. Each unit carries a :class:`Stamp`, so an import can tell
what the translator changed from what changed in the store meanwhile. The Chinese goes out as the article was
written (:func:`source_text`: Traditional for a Traditional article, tagged
``zh-TW``), the one rule every interchange format (PO, XLIFF, TMX) follows.

An import reads each file into :class:`UnitFile` s (one per article it holds):
the units with their target, their state (confirmed, unconfirmed, needs work)
and the line they start on. :mod:`.pofile`, :mod:`.xliff` and :mod:`.tmx` write and read the
formats, each a store of the format registry (:mod:`translate.formats`); :mod:`.merge` decides
what an import applies.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Sequence

from translate.errors import PostEditError
from translate.inputs import quoted
from translate.glossary.concordance import block_places
from translate.models import BilingualArticle, Segment
from translate.postedit.apply import REUSED_NOTE
from translate.postedit.session import CurrentEdition
from translate.postedit.store import DRAFT_LABELS, MAX_STORE_BYTES, Edit, read_bounded

#: Largest file an import reads: the same bound as a store's.
MAX_IMPORT_BYTES = MAX_STORE_BYTES
#: The language tag of the Chinese as written, by the article's script: what PO, XLIFF and TMX files say.
SIMPLIFIED_TAG = "zh-CN"
TRADITIONAL_TAG = "zh-TW"

Exported = Literal["edited", "reused", "stale", "aligned", "machine"]
"""Where an exported target came from: the article's store, a 100 % match elsewhere, a stale edit, an existing
translation aligned with the Chinese (not yet confirmed), the machine."""
UnitState = Literal["confirmed", "unconfirmed", "needs-work"]
"""A unit as the translator left it: done (translated, final, approved; PO without fuzzy), not yet
confirmed (XLIFF ``initial``, ``new``, ``needs-…``), or explicitly not ready (PO ``fuzzy``)."""


def source_language(script: str) -> str:
    """The language tag of an article's Chinese as written: ``zh-TW`` for a Traditional one, else ``zh-CN``."""
    return TRADITIONAL_TAG if script == "traditional" else SIMPLIFIED_TAG


def source_text(segment: Segment, script: str) -> tuple[str, str]:
    """The language tag and Chinese of a segment as its article was written."""
    from translate.script import to_simplified, to_traditional

    if script != "traditional":
        return SIMPLIFIED_TAG, segment.zh
    original = segment.zh_original
    if original and original != segment.zh and to_simplified(original) == segment.zh:
        return TRADITIONAL_TAG, original
    # Speaker labels and sentences whose source could not be aligned carry the working script only.
    return TRADITIONAL_TAG, to_traditional(segment.zh)


def digest(text: str) -> str:
    """A short content hash of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def entry_key(edit: Edit | None) -> str:
    """The hash of what a store entry holds for the build: its English and whether it is fuzzy."""
    if edit is None or not edit.en.strip():
        return digest("")
    return digest(("fuzzy:" if edit.fuzzy else "") + normalise(edit.en))


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a unit was at export: so an import tells the translator's changes from the store's."""

    exported: Exported
    """Where the exported target came from."""
    target: str
    """Hash of the exported target."""
    store: str
    """Hash of the store's entry at export (:func:`entry_key`)."""

    def __str__(self) -> str:
        return f"exported={self.exported} target={self.target} store={self.store}"

    @classmethod
    def parse(cls, text: str) -> Stamp | None:
        """The stamp written by :meth:`__str__`, or None when ``text`` is not one (a tool changed it)."""
        found = _STAMP.fullmatch(text.strip())
        if not found:
            return None
        return cls(found.group("exported"), found.group("target"), found.group("store"))  # type: ignore[arg-type]


_STAMP = re.compile(r"exported=(?P<exported>edited|reused|stale|aligned|machine) target=(?P<target>[0-9a-f]{12}) "
                    r"store=(?P<store>[0-9a-f]{12})")


@dataclass(frozen=True, slots=True)
class ExportUnit:
    """One segment as a translator gets it."""

    id: str
    """Segment id: the unit id in every format."""
    zh: str
    """The Chinese, working script (the store's msgid)."""
    source: str
    """The Chinese as the article was written (:func:`source_text`): the source a translator sees."""
    en: str
    """The target: the edited English, else the machine draft (a stale edit's English for a stale one)."""
    exported: Exported
    """Where the target came from."""
    draft: str
    """The machine (or gloss) English."""
    draft_origin: str = "mt"
    """What wrote the draft: ``mt`` (a model) or ``gloss`` (the dictionary gloss)."""
    terms: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    """The glossary entries that apply, as (Chinese, English, the other English forms the check accepts)."""
    previous_zh: str = ""
    """For a stale edit: the Chinese its English was written for, in the script of ``source``."""
    note: str = ""
    """For a reused 100 % match: where its English comes from."""
    comment: str = ""
    """The translator's comment in the store."""
    stamp: Stamp | None = None
    """What the unit was at export."""
    context: str = ""
    """Where the segment sits when that is not a plain paragraph (:func:`segment_contexts`): a table cell,
    a footnote, a list item, a quotation, a caption. PO writes it as ``#. context:``, XLIFF as a note."""
    confidence: float | None = None
    """For aligned English: the aligner's confidence in its bead (0 to 1)."""
    joined: str = ""
    """For a segment joined to another's English (a 2-1 bead): the carrier's id; the target is then empty."""

    @property
    def aligned_note(self) -> str:
        """What every format notes on aligned English (PO ``#. alignment: …``, XLIFF a note of category ``aligned``
        or ``joined``): its confidence, or the carrier of a joined segment's English; empty for any other unit.

        Never worded like the store's own ``aligned (0.62): <English>`` comment, which a file read back must not
        pass for."""
        if self.exported != "aligned":
            return ""
        sure = f"confidence {self.confidence:.2f}; " if self.confidence is not None else ""
        if self.joined:
            return (f"joined with {self.joined} ({sure}the English of {self.joined} translates this sentence too): "
                    "leave this target empty to keep them joined")
        return (f"{sure}an existing English translation matched to this sentence by bitext align, not yet checked: "
                "confirm or correct it")

    @property
    def draft_label(self) -> str:
        """``machine`` or ``gloss``: how every format labels the draft (:data:`~translate.postedit.store.DRAFT_LABELS`)."""
        return DRAFT_LABELS.get(self.draft_origin, DRAFT_LABELS["mt"])

    @property
    def provenance(self) -> str:
        """Where the target came from, a draft by its label: ``edited``, ``reused``, ``stale``, ``aligned``,
        ``machine``, ``gloss``."""
        return self.draft_label if self.exported == "machine" else self.exported

    @property
    def confirmed(self) -> bool:
        """True when the target is a translator's English in use: shown as translated/final."""
        return self.exported in ("edited", "reused")


@dataclass(frozen=True, slots=True)
class ExportArticle:
    """One article's units, in reading order."""

    slug: str
    """Article slug: the file id, and the PO header's ``Project-Id-Version``."""
    title: str
    """The Chinese title, for the file's description."""
    script: str
    """``simplified`` or ``traditional``: the script the article was written in."""
    units: tuple[ExportUnit, ...]
    """Title, speaker labels and sentences."""

    @property
    def language(self) -> str:
        """The language tag of the sources (:func:`source_language`)."""
        return source_language(self.script)


def export_articles(current: CurrentEdition, slugs: Sequence[str] = ()) -> list[ExportArticle]:
    """The articles (all, or those named) as a translator gets them; an unknown slug is an error."""
    known = [a.slug for a in current.articles]
    for slug in slugs:
        if slug not in known:
            raise PostEditError(f"no article {quoted(slug)} in the corpus; known: {', '.join(known)}")
    out = []
    for article in current.articles:
        if slugs and article.slug not in slugs:
            continue
        drafts = current.drafts(article.slug)
        placements = current.placements(article.slug)
        script = article.article.meta.script
        contexts = segment_contexts(article)
        units = []
        for segment in article.segments:
            machine = drafts.get(segment.id, segment)
            placement = placements.get(segment.id)
            entry = placement.edit if placement is not None else None
            previous = note = ""
            if segment.origin == "aligned":  # the build's word: an aligned entry, whatever the store calls it
                exported, english = "aligned", segment.en
            elif entry is not None and entry.edited:
                exported, english = "edited", entry.en
            elif entry is not None and entry.stale:
                exported, english, previous = "stale", entry.en, _as_written(entry.previous_zh, script)
            elif segment.origin == "edited":
                exported, english, note = "reused", segment.en, segment.note
            else:
                exported, english = "machine", machine.en
            units.append(ExportUnit(
                id=segment.id, zh=segment.zh, source=source_text(segment, script)[1], en=english, exported=exported,
                draft=machine.en, draft_origin="gloss" if machine.origin == "gloss" else "mt",
                terms=tuple((t.zh, t.en, t.alternates) for t in machine.terms), previous_zh=previous,
                note=note if note.startswith(REUSED_NOTE) else "",
                comment=entry.comment if entry is not None else "",
                stamp=Stamp(exported, digest(normalise(english)), entry_key(entry)),
                context=contexts.get(segment.id, ""),
                confidence=segment.confidence if exported == "aligned" else None,
                joined=segment.joined if exported == "aligned" and not segment.en else "",
            ))
        out.append(ExportArticle(article.slug, article.article.meta.title, script, tuple(units)))
    return out


def segment_contexts(article: BilingualArticle) -> dict[str, str]:
    """Segment id → where it sits (:func:`~translate.glossary.concordance.block_places`), for the segments of
    table cells, footnotes, lists, quotations and captions; the running text's have none."""
    places = block_places([b.block for b in article.blocks])
    return {segment.id: places[b.block.id] for b in article.blocks if places.get(b.block.id) for segment in b.segments}


def _as_written(zh: str, script: str) -> str:
    from translate.script import to_traditional

    return to_traditional(zh) if script == "traditional" else zh


def in_working_script(unit_file: UnitFile, segments: Sequence[Segment], script: str) -> UnitFile:
    """``unit_file`` with every source in the working script, as the store matches it.

    A source as written (:func:`source_text`) becomes its segment's working Chinese;
    one that is no segment's (the article changed since) is converted to Simplified.
    """
    if script != "traditional":
        return unit_file
    from translate.script import to_simplified

    working = {normalise(source_text(s, script)[1]): s.zh for s in segments}
    working.update((normalise(s.zh), s.zh) for s in segments)
    units = tuple(replace(u, zh=working.get(normalise(u.zh)) or to_simplified(u.zh)) for u in unit_file.units)
    return replace(unit_file, units=units)


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of an imported file."""

    id: str
    """The unit's segment id."""
    zh: str
    """Its source: the Chinese as exported (or as the translator's tool kept it)."""
    en: str
    """Its target, whitespace normalised; empty when there is none."""
    state: UnitState
    """How the translator left it."""
    line: int
    """Line of the unit in its file."""
    draft: str = ""
    """The machine draft the file carries, if any."""
    stamp: Stamp | None = None
    """What the unit was at export, when the file kept the stamp."""


@dataclass(frozen=True, slots=True)
class UnitFile:
    """The units of one article in an imported file."""

    path: Path
    """The file."""
    slug: str
    """The article, as the file names it."""
    units: tuple[Unit, ...]
    """In file order."""
    format: str
    """``po``, ``xliff`` (2.x) or ``xliff12``."""
    line: int = 0
    """Line where the article's part of the file starts."""


_SPACE = re.compile(r"[ \t\r\n]+")


def normalise(text: str) -> str:
    """A target or source as compared and stored: runs of spaces, tabs and line breaks as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def control_character(text: str) -> str | None:
    """The first control character in ``text`` as ``U+001B``, or None."""
    from translate.inputs import CONTROL_CHARACTERS

    found = CONTROL_CHARACTERS.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def slug_from_name(name: str) -> str:
    """An article slug from a file name or ``original`` attribute: ``corpus/001-x.md`` → ``001-x``."""
    base = re.split(r"[\\/]", name.strip())[-1]
    for suffix in (".en.po", ".po", ".xliff12.xlf", ".xlf", ".xliff", ".md"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base
