"""The document-constructs fixture: an article with every kind of block, loaded and translated.

``tests/fixtures/documents/memo.md`` holds a table (header, alignment, an empty cell, a footnote
reference in a cell), footnotes (one of two paragraphs), nested and ordered lists, a task list, a list
and an attribution inside a block quote, a figure, code blocks (one inside a list), a thematic break,
inline code, a link and emphasis. Its English is the dictionary gloss (tests of structure, never of
translation quality).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from translate.models import Article, BilingualArticle, Edition

MEMO = Path(__file__).parent / "fixtures" / "documents" / "memo.md"


def memo_article() -> Article:
    """The fixture article as the corpus loader reads it."""
    from translate.corpus.article import load_article

    return load_article(MEMO)


@lru_cache(maxsize=1)
def memo_translated() -> BilingualArticle:
    """The fixture article translated by the gloss engine, with the factories' glossary, no memory."""
    from factories import glossary
    from translate.translation.gloss import GlossEngine
    from translate.translation.translator import translate_articles

    [article] = translate_articles([memo_article()], GlossEngine(), glossary(), memory_path=None)
    return article


def memo_edition() -> Edition:
    """A one-article edition of the fixture, with its quality report."""
    from factories import TERMS
    from translate.quality import check_edition

    edition = Edition(title="文档结构", subtitle="Every construct", articles=(memo_translated(),), terms=TERMS,
                      glossary_version="abc123", engine="gloss", model="CC-CEDICT", build_date="2026-12-04",
                      script="source")
    return replace(edition, report=check_edition(edition))
