"""Safe rendering of a block's or sentence's inline Markdown to HTML.

Used by both the HTML and the PDF renderers. Everything from the sources is
escaped; raw HTML is never passed through; links are kept only for http,
https and mailto (anything else, e.g. ``javascript:`` or ``file:``, renders
as plain text); damaged source spans (``⟦…⟧``) become a marked ``<span>``.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Callable

from markupsafe import Markup

from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN

SAFE_SCHEMES = ("http://", "https://", "mailto:")

DAMAGED_HTML_OPEN = '<span class="damaged" title="Damaged in the source: shown as scraped, not translated">'
DAMAGED_HTML_CLOSE = "</span>"

#: Turns a run of plain text into HTML; must escape what it does not mark up.
Annotator = Callable[[str], str]


def is_safe_url(url: str) -> bool:
    """True for http, https and mailto URLs only."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "backticks", "escape", "strikethrough"])
    md.validateLink = is_safe_url
    return md


def render_inline(markdown: str, annotate: Annotator | None = None) -> Markup:
    """Render inline Markdown to safe HTML.

    ``annotate`` (optional) renders each plain-text run, e.g. to wrap glossary
    terms in ``<span>``s; it must escape everything it returns.
    """
    md = _parser()
    tokens = md.parseInline(markdown)
    text_rule = (lambda content: annotate(content)) if annotate else html.escape
    rendered = _render_tokens(md, tokens, text_rule)
    return Markup(_mark_damaged(rendered))


def _render_tokens(md, tokens, text_rule) -> str:
    out: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                out.append(text_rule(child.content))
            elif child.type == "link_open":
                href = child.attrGet("href") or ""
                out.append(f'<a href="{html.escape(href, quote=True)}" rel="noopener noreferrer">')
            elif child.type == "code_inline":
                out.append(f"<code>{text_rule(child.content)}</code>")
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
            else:
                out.append(md.renderer.renderToken([child], 0, md.options, {}))
    return "".join(out)


def _mark_damaged(rendered: str) -> str:
    opens, closes = rendered.count(DAMAGED_OPEN), rendered.count(DAMAGED_CLOSE)
    if opens == 0 and closes == 0:
        return rendered
    if opens == closes:
        return rendered.replace(DAMAGED_OPEN, DAMAGED_HTML_OPEN).replace(DAMAGED_CLOSE, DAMAGED_HTML_CLOSE)
    return rendered  # unbalanced marks are shown as they are, still escaped


def plain_text(markdown: str) -> str:
    """The text of inline Markdown without its markup (for titles, search, lengths)."""
    md = _parser()
    parts: list[str] = []
    for token in md.parseInline(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)
