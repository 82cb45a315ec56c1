"""The edition's English as a build would have it now, without rendering anything.

Export, import, status and TMX all start here: the corpus and the glossary are
loaded, every article is translated the way a build translates it (engine,
glossary layer, translation memory in ``build/memory.sqlite``, so after a build
nothing is re-translated), and the stores' edits are put in place without
writing the stores: what ``translated_edition`` in :mod:`translate.pipeline`
does before it checks, keeping the machine English and each segment's store
entry besides.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Mapping

from translate.models import BilingualArticle, Segment
from translate.outputs import build_lock
from translate.postedit.apply import PostEditResult, apply_edits
from translate.postedit.store import Placement
from translate.settings import Settings

if TYPE_CHECKING:
    from translate.glossary import Glossary


@dataclass(frozen=True, slots=True)
class CurrentEdition:
    """The machine English and the translators' English of every article, as of now."""

    machine: tuple[BilingualArticle, ...]
    """The articles as the engine (or the gloss) translated them, before any edit."""
    edits: PostEditResult
    """The same articles with the stores' edits in place, the stale edits and each segment's store entry."""
    glossary: Glossary
    """The loaded :class:`~translate.glossary.Glossary`."""
    engine: str
    """Engine name: ``argos`` or ``gloss``."""
    model: str
    """Model id or dictionary name."""
    warnings: tuple[str, ...] = ()
    """What the engine warned about (a dictionary-gloss fallback)."""

    @property
    def articles(self) -> tuple[BilingualArticle, ...]:
        """The articles as a build would render them: edited English where there is some."""
        return self.edits.articles

    def placements(self, slug: str) -> Mapping[str, Placement]:
        """Segment id → the store entry it took, for one article."""
        return self.edits.placements.get(slug, {})

    def drafts(self, slug: str) -> dict[str, Segment]:
        """Segment id → the machine segment, for one article."""
        for article in self.machine:
            if article.slug == slug:
                return {s.id: s for s in article.segments}
        return {}


def translate_current(settings: Settings, engine, *, use_cache: bool = True,
                      write_stores: bool = False) -> CurrentEdition:
    """Translate the corpus as a build does and put the stores' edits in place; the caller holds the build lock.

    The stores are synced on disk only when ``write_stores`` (a build); otherwise
    they are read, never written.
    """
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.translation import gloss_warning, translate_articles
    from translate.translation.translator import edition_model

    glossary = Glossary.load(settings.glossary_path)
    machine = translate_articles(load_corpus(settings.corpus_dir), engine, glossary,
                                 memory_path=settings.build_dir / "memory.sqlite" if use_cache else None)
    edits = apply_edits(machine, glossary, settings.corpus_dir, write=write_stores)
    notice = gloss_warning(engine, sum(s.origin == "gloss" for a in edits.articles for s in a.segments))
    return CurrentEdition(machine, edits, glossary, engine.name, edition_model(machine, engine.model_id),
                          (*engine.warnings, *((notice,) if notice else ())))


@contextmanager
def held_edition(settings: Settings, *, engine_name: str | None = None) -> Iterator[CurrentEdition]:
    """The current edition, with the build folder locked until the block ends (no build runs meanwhile).

    An import writes the stores inside the block, so a build never fingerprints
    stores that changed under it.
    """
    from translate.translation import open_engine

    engine = open_engine(settings, engine_name)
    with build_lock(settings.build_dir, wait=True):
        yield translate_current(settings, engine)


def current_edition(settings: Settings, *, engine_name: str | None = None) -> CurrentEdition:
    """The current edition (see the module docstring); waits for a running build to finish first."""
    with held_edition(settings, engine_name=engine_name) as current:
        return current
