"""``bitext postedit status``: how far the translators have got, per article."""

from __future__ import annotations

from dataclasses import dataclass

from translate.postedit.apply import REUSED_NOTE, StaleEdit
from translate.postedit.session import CurrentEdition, current_edition
from translate.settings import Settings


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


def edition_status(current: CurrentEdition) -> tuple[ArticleStatus, ...]:
    """The status of every article, in edition order."""
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
        ))
    return tuple(out)


def postedit_status(settings: Settings, *, engine_name: str | None = None) -> tuple[ArticleStatus, ...]:
    """The status of every article of the project."""
    return edition_status(current_edition(settings, engine_name=engine_name))
