"""``bitext postedit status``: how far the translators have got, per article."""

from __future__ import annotations

from dataclasses import dataclass

from translate.models import ALIGN_REVIEW_BELOW
from translate.postedit.apply import REUSED_NOTE, StaleEdit
from translate.postedit.session import CurrentEdition, current_edition
from translate.settings import Settings


@dataclass(frozen=True, slots=True)
class UncertainBead:
    """An aligned bead a translator should check: unsure, or a Chinese sentence the English leaves out."""

    segments: tuple[str, ...]
    """The bead's segment ids: the carrier of the English first, then the segments joined with it."""
    confidence: float | None
    """The bead's confidence; None for a sentence the English leaves out (machine-translated meanwhile)."""
    zh: str
    """The first segment's Chinese."""
    en: str
    """The bead's English (empty when the English leaves the sentence out)."""


@dataclass(frozen=True, slots=True)
class ArticleStatus:
    """One article's segments by where their English comes from."""

    slug: str
    """Article slug."""
    segments: int
    """Translatable segments: title, speaker labels, sentences."""
    edited: int
    """Segments with a translator's English (their own, or a 100 % match elsewhere)."""
    reused: int
    """Of those, the 100 % matches."""
    stale: tuple[StaleEdit, ...]
    """Edits whose Chinese changed since: machine English shown until reviewed."""
    machine: int
    """Segments with machine English."""
    gloss: int
    """Segments with a dictionary gloss."""
    aligned: int = 0
    """Segments whose English is a publisher's existing English, aligned and not yet confirmed (joined ones too)."""
    uncertain: tuple[UncertainBead, ...] = ()
    """The aligned beads under the review threshold and the sentences the English leaves out, in article order."""


def edition_status(current: CurrentEdition, *, below: float = ALIGN_REVIEW_BELOW) -> tuple[ArticleStatus, ...]:
    """The status of every article, in edition order; aligned beads under ``below`` are listed."""
    out = []
    for article in current.articles:
        segments = article.segments
        out.append(ArticleStatus(
            slug=article.slug,
            segments=len(segments),
            edited=sum(1 for s in segments if s.origin == "edited"),
            reused=sum(1 for s in segments if s.origin == "edited" and s.note.startswith(REUSED_NOTE)),
            stale=tuple(s for s in current.edits.stale if s.article == article.slug),
            machine=sum(1 for s in segments if s.origin == "mt"),
            gloss=sum(1 for s in segments if s.origin == "gloss"),
            aligned=sum(1 for s in segments if s.origin == "aligned"),
            uncertain=uncertain_beads(segments, current.placements(article.slug), below),
        ))
    return tuple(out)


def uncertain_beads(segments, placements, below: float = ALIGN_REVIEW_BELOW) -> tuple[UncertainBead, ...]:
    """The beads of an article's aligned English a translator should check, in reading order.

    A bead whose confidence is under ``below`` (its carrier and the segments joined with it), and a segment the
    English leaves out (``aligned: not in the English`` in the store) that no translator has written yet.
    """
    joined: dict[str, list[str]] = {}
    for segment in segments:
        if segment.origin == "aligned" and segment.joined:
            joined.setdefault(segment.joined, []).append(segment.id)
    out = []
    for segment in segments:
        if segment.origin == "aligned" and not segment.joined:
            if segment.confidence is not None and segment.confidence < below:
                out.append(UncertainBead((segment.id, *joined.get(segment.id, ())), segment.confidence, segment.zh,
                                         segment.en))
        elif segment.origin in ("mt", "gloss"):
            placement = placements.get(segment.id)
            if placement is not None and placement.edit.omitted:
                out.append(UncertainBead((segment.id,), None, segment.zh, ""))
    return tuple(out)


def postedit_status(settings: Settings, *, engine_name: str | None = None,
                    below: float = ALIGN_REVIEW_BELOW) -> tuple[ArticleStatus, ...]:
    """The status of every article of the project."""
    return edition_status(current_edition(settings, engine_name=engine_name), below=below)
