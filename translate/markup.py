"""Inline Markdown as every stage reads it: one parser, one idea of a sentence's plain text.

The renderers turn inline Markdown into HTML (:mod:`translate.render.inline`); the
translation and post-editing stages locate glossary terms in its plain text. Both
use this parser, so a term's span computed once (``TermUse.zh_spans``/``en_spans``)
is where the renderers find it.
"""

from __future__ import annotations

from functools import lru_cache

#: The only link schemes kept; anything else (``javascript:``, ``file:``) renders as text.
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def is_safe_url(url: str) -> bool:
    """True for http, https and mailto URLs only."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def parser():
    """The inline Markdown parser: emphasis, links, code, escapes, strikethrough; no raw HTML."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "backticks", "escape", "strikethrough"])
    md.validateLink = is_safe_url
    return md


def plain_text(markdown: str) -> str:
    """The text of inline Markdown without its markup: the text runs, in order, breaks as spaces."""
    md = parser()
    parts: list[str] = []
    for token in md.parseInline(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)
