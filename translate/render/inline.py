"""Safe rendering of a block's or sentence's inline Markdown to HTML.

Used by both the HTML and the PDF renderers. Everything from the sources is
escaped; raw HTML is never passed through; links are kept only for http,
https and mailto (anything else, e.g. ``javascript:`` or ``file:``, renders
as plain text); damaged source spans (``⟦…⟧``) become a marked ``<span>``.
"""

from __future__ import annotations

import html
from typing import Callable

from markupsafe import Markup

from translate.markup import SAFE_SCHEMES, is_safe_url, parser as _parser, plain_text
from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN

__all__ = ["SAFE_SCHEMES", "is_safe_url", "plain_text", "render_inline"]

DAMAGED_HTML_OPEN = '<span class="damaged" title="Damaged in the source: shown as scraped, not translated">'
DAMAGED_HTML_CLOSE = "</span>"

#: Turns a run of plain text into HTML; must escape what it does not mark up.
Annotator = Callable[[str], str]


#: Turns a footnote reference's label into HTML (a link to the note); must escape the label.
NoteLinker = Callable[[str], str]


def footnote_mark(label: str) -> str:
    """A footnote reference as a bare superscript (no link): what an output shows without a linker."""
    return f'<sup class="footnote-ref">{html.escape(label)}</sup>'


def render_inline(markdown: str, annotate: Annotator | None = None, note_link: NoteLinker | None = None) -> Markup:
    """Render inline Markdown to safe HTML.

    ``annotate`` (optional) renders each plain-text run, e.g. to wrap glossary
    terms in ``<span>``s; it must escape everything it returns. ``note_link``
    (optional) renders each footnote reference (``[^1]``) from its label, e.g. as a
    link to the note; it must escape the label.
    """
    md = _parser()
    tokens = md.parseInline(markdown)
    text_rule = (lambda content: annotate(content)) if annotate else html.escape
    rendered = _render_tokens(md, tokens, text_rule, note_link or footnote_mark)
    return Markup(_mark_damaged(rendered))


def _render_tokens(md, tokens, text_rule, note_link) -> str:
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
            elif child.type == "footnote_ref":
                out.append(note_link(child.meta["label"]))
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
