"""The corpus stage: raw scraped sources → clean, structured articles.

Public API (see docs/corpus.md)::

    clean(raw, filename, *, disabled=frozenset()) -> Cleaned
    import_sources(paths, corpus_dir, *, force=False, disabled=frozenset()) -> list[ImportResult]
    load_article(path) -> Article
    load_corpus(corpus_dir) -> tuple[Article, ...]
    corpus_report(corpus_dir) -> list[ArticleFigures]
    RULES: the ordered (name, function) cleaning rules
"""

from __future__ import annotations

from translate.corpus.article import load_article, load_corpus
from translate.corpus.cleaning import Cleaned, clean
from translate.corpus.importer import ImportResult, import_sources
from translate.corpus.report import ArticleFigures, corpus_report
from translate.corpus.rules import RULE_NAMES, RULES

__all__ = [
    "RULES",
    "RULE_NAMES",
    "ArticleFigures",
    "Cleaned",
    "ImportResult",
    "clean",
    "corpus_report",
    "import_sources",
    "load_article",
    "load_corpus",
]
