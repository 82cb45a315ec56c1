"""Where a term lands: every occurrence in the corpus, and whether the English honoured it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from translate.corpus.sentences import split_sentences
from translate.errors import GlossaryError
from translate.glossary.loaded import Glossary
from translate.glossary.honour import term_honoured
from translate.inputs import excerpt, quoted
from translate.models import Article, Term


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a term occurs in the corpus."""

    article: str
    """Article slug."""
    block: str
    """Block (paragraph) id."""
    line: int
    """Line of the block in the cleaned corpus file."""
    segment: str | None
    """Segment id once translated, else ``None``."""
    zh: str
    """The Chinese sentence."""
    surface: str
    """The term as it appears there (maybe a variant or a Traditional form)."""
    start: int
    """Offset of the term in ``zh``."""
    en: str | None
    """The English sentence, or ``None`` when not translated yet."""
    honoured: bool | None
    """Whether the English kept the glossary's target (``None`` when not translated yet)."""


def resolve_term(glossary: Glossary, query: str) -> Term:
    """The entry a user means by ``query``: its term, a variant, a Traditional form or its target."""
    term = glossary.lookup(query.strip())
    if term is None:
        folded = query.strip().casefold()
        term = next((t for t in glossary.terms if t.en.casefold() == folded), None)
    if term is None:
        raise GlossaryError(f"{quoted(query)} is not in the glossary; add it with `bitext glossary add {excerpt(query)} EN`",
                            path=glossary.path)
    return term


def concordance(glossary: Glossary, term_zh: str, articles: Iterable[Article],
                translations_dir: Path | None) -> list[Occurrence]:
    """Every occurrence of the entry ``term_zh`` in ``articles``, in reading order.

    Sentences come from ``translations_dir/<slug>.json`` when a build wrote it,
    else from the block text, cut into sentences the way the translator cuts them.
    """
    term = resolve_term(glossary, term_zh)
    occurrences: list[Occurrence] = []
    for article in articles:
        translated = _translated_blocks(translations_dir, article.slug)
        for block in article.blocks:
            segments = translated.get(block.id)
            if segments is None and block.translatable:
                for sentence in split_sentences(block.text):
                    for match in glossary.find(sentence):
                        if match.term.zh == term.zh:
                            occurrences.append(Occurrence(article.slug, block.id, block.line, None, sentence,
                                                          match.surface, match.start, None, None))
                continue
            for segment in segments:
                zh = str(segment.get("zh", ""))
                en = str(segment.get("en", ""))
                for match in glossary.find(zh):
                    if match.term.zh == term.zh:
                        occurrences.append(Occurrence(article.slug, block.id, block.line, segment.get("id"), zh,
                                                      match.surface, match.start, en, _honoured(term, segment, en)))
    return occurrences


def _honoured(term: Term, segment: dict, en: str) -> bool:
    """The translator's verdict recorded in the segment, else its rule applied to the English.

    (The rule is the glossary's honour rule, so that ``show`` and the build never disagree.)
    """
    verdicts = [use.get("honoured") for use in segment.get("terms") or () if use.get("zh") == term.zh]
    if verdicts and all(isinstance(v, bool) for v in verdicts):
        return all(verdicts)
    return term_honoured(term, en)


def _translated_blocks(translations_dir: Path | None, slug: str) -> dict[str, list[dict]]:
    if translations_dir is None:
        return {}
    path = Path(translations_dir) / f"{slug}.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GlossaryError(f"cannot read the translation file ({exc}); build again", path=path) from exc
    try:
        return {block["id"]: list(block["segments"]) for block in data["blocks"]}
    except (KeyError, TypeError) as exc:
        raise GlossaryError(f"this translation file has an unexpected shape ({exc!r}); build again",
                            path=path) from exc
