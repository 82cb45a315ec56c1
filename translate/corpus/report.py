"""``corpus_report``: the cleaning figures of every article, for ``bitext corpus check``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.corpus import cleaninglog, decisions, frontmatter
from translate.corpus.article import load_corpus
from translate.corpus.markdownchecks import Problem, problems
from translate.models import DAMAGED_OPEN, Article

PARAGRAPH_KINDS = ("paragraph", "list_item", "quote")
"""The blocks that count as paragraphs: every text block but headings and images (speaker turns are paragraphs)."""


def paragraph_count(article: Article) -> int:
    """The article's paragraphs, as ``bitext corpus check`` and ``bitext corpus import`` count them."""
    return sum(1 for block in article.blocks if block.kind in PARAGRAPH_KINDS)


@dataclass(frozen=True, slots=True)
class ArticleFigures:
    """What cleaning did to one article and what is left to a person."""

    slug: str
    """Article slug."""
    script: str
    """Source script."""
    paragraphs: int
    """Paragraphs (:func:`paragraph_count`)."""
    characters: int
    """Characters of text in the body, source script."""
    lines_removed: int
    """Whole source lines removed (chrome, spam, title and byline moved to the front matter)."""
    annotations: int
    """Pinyin annotations stripped."""
    repaired: int
    """Mojibake spans repaired."""
    flagged: int
    """Spans still flagged as damaged in the article."""
    logged: bool
    """Whether a cleaning log exists next to the article."""
    warnings: tuple[Problem, ...] = ()
    """What its Markdown does that its writer probably did not mean (:mod:`translate.corpus.markdownchecks`)."""
    source: str = ""
    """The source file its log names (empty without a log)."""
    cleaning: decisions.Report = decisions.Report((), 0, (), 0)
    """Prose its cleaning removed or moved, and its close calls (:mod:`translate.corpus.decisions`), from its log."""


def corpus_report(corpus_dir: Path) -> list[ArticleFigures]:
    """Figures for every article in ``corpus_dir``."""
    figures = []
    for article in load_corpus(corpus_dir):
        log_path = Path(corpus_dir) / f"{article.slug}.log"
        header, entries = cleaninglog.read(log_path) if log_path.exists() else ({}, [])
        figures.append(ArticleFigures(
            slug=article.slug,
            script=article.meta.script,
            paragraphs=paragraph_count(article),
            characters=sum(len(b.original) for b in article.blocks),
            lines_removed=sum(1 for e in entries if e.action in ("remove-line", "move")),
            annotations=sum(1 for e in entries if e.rule == "pinyin"),
            repaired=sum(1 for e in entries if e.rule == "mojibake" and e.action == "repair"),
            flagged=sum(b.original.count(DAMAGED_OPEN) for b in article.blocks),
            logged=log_path.exists(),
            warnings=tuple(_problems(Path(article.path))),
            source=header.get("source", "").rsplit(" (", 1)[0],
            cleaning=decisions.report(entries),
        ))
    return figures


def _problems(path: Path) -> list[Problem]:
    """The Markdown warnings of the article file at ``path`` (already read once by the loader)."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    _, body, first_line = frontmatter.split(text, str(path))
    return problems(body, first_line)
