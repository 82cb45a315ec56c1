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

from translate.markup import READINGS_KEPT, SAFE_SCHEMES, is_safe_url, parser as _parser, plain_text
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
    text_rule = annotate or html.escape
    note_link = note_link or footnote_mark
    out: list[str] = []
    for kind, value in _pieces(markdown):
        if kind is _TEXT:
            out.append(text_rule(value))
        elif kind is _CODE:
            out.append(f"<code>{text_rule(value)}</code>")
        elif kind is _NOTE:
            out.append(note_link(value))
        else:
            out.append(value)
    return Markup(_mark_damaged("".join(out)))


#: What a piece of a parsed text is: a plain-text run, the text of a code span, a footnote reference's label,
#: or HTML that does not depend on the caller (a link's or an emphasis's tags).
_TEXT, _CODE, _NOTE, _HTML = "text", "code", "note", "html"


@lru_cache(maxsize=READINGS_KEPT)
def _pieces(markdown: str) -> tuple[tuple[str, str], ...]:
    """``markdown`` parsed once into pieces, remembered by text: a build renders each sentence for every
    output (HTML, EPUB, the PDF's print views) and ``bitext serve`` renders the same sentences on every rebuild."""
    md = _parser()
    pieces: list[tuple[str, str]] = []
    for token in md.parseInline(markdown):
        for child in token.children or ():
            if child.type == "text":
                pieces.append((_TEXT, child.content))
            elif child.type == "link_open":
                href = child.attrGet("href") or ""
                pieces.append((_HTML, f'<a href="{html.escape(href, quote=True)}" rel="noopener noreferrer">'))
            elif child.type == "code_inline":
                pieces.append((_CODE, child.content))
            elif child.type in ("softbreak", "hardbreak"):
                pieces.append((_HTML, " "))
            elif child.type == "footnote_ref":
                pieces.append((_NOTE, child.meta["label"]))
            else:
                pieces.append((_HTML, md.renderer.renderToken([child], 0, md.options, {})))
    return tuple(pieces)


def _mark_damaged(rendered: str) -> str:
    opens, closes = rendered.count(DAMAGED_OPEN), rendered.count(DAMAGED_CLOSE)
    if opens == 0 and closes == 0:
        return rendered
    if opens == closes:
        return rendered.replace(DAMAGED_OPEN, DAMAGED_HTML_OPEN).replace(DAMAGED_CLOSE, DAMAGED_HTML_CLOSE)
    return rendered  # unbalanced marks are shown as they are, still escaped
