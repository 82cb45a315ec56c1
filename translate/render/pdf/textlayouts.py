"""Text layouts WeasyPrint makes and throws away, while a part is laid out: made once, or not at all.

Wrappers installed once per process and active only inside :func:`reusing` (:func:`.hyphenation.settle`
lays a part out in it), as :mod:`.linebreaking` and :mod:`.tablesizing` are:

* **a line broken again** (``layout.inline.split_first_line``): WeasyPrint breaks the same text, in the
  same style and width, more than once in a part: the lines of a page's last block are broken, found
  not to fit and broken again at the top of the next page (and so are a table's repeated header and the
  glossary's rows). The function's answer depends only on its arguments (the style's values, which do
  not change once computed), so the first answer is kept for the part and each later call gets a copy
  of it (its Pango layout, deactivated: text and spacing only, is copied, so that no two boxes share one).
* **a justified line's layout** (``layout.inline.create_layout`` as ``add_word_spacing`` calls it): to
  justify a line, WeasyPrint makes a new Pango layout for each text box with spaces, only to deactivate
  it at once and keep its text and spacing; drawing makes the Pango layout again
  (``Layout.reactivate``). Where that deactivated layout is the text and spacing alone (the text has
  no line break, is not a lone space, and has no over- or underline, whose metrics the drawing reads
  before it reactivates), WeasyPrint's :class:`Layout` is made without its Pango layout.

* **a style's font and strut** (``text.line_break.get_font_description``, as every new Pango layout
  asks for it, and ``layout.inline.strut``, the line height and baseline of a style, asked for every
  line and text box, which builds a key of fourteen values to find it in WeasyPrint's own cache):
  both depend only on the style's values, which do not change once computed; each is asked once per
  style in a part. A Pango font description is copied by the layout it is given to, so one serves all.

WeasyPrint's functions are called, never copied: a kept answer is what WeasyPrint gave, and a layout
made without Pango is made as WeasyPrint's own constructor leaves it after ``deactivate``. The pages,
their text and glyphs are those WeasyPrint sets without the wrappers (tests/pdf/test_textlayouts.py).
"""

from __future__ import annotations

import copy
from typing import ContextManager

from translate.render.pdf import linebreaking
from translate.render.pdf.switch import Switch, Wrappers


class _Local(Switch):
    """Per thread: on inside :func:`reusing`; the lines broken so far in this part, the styles' fonts and struts."""

    lines: dict
    fonts: dict
    struts: dict

    def __init__(self):
        self.lines, self.fonts, self.struts = {}, {}, {}

    def forget(self) -> None:
        for kept in (self.lines, self.fonts, self.struts):
            kept.clear()  # the part's styles and layouts go with it


_local = _Local()
_wrappers = Wrappers(_local)
_originals = _wrappers.originals


def reusing() -> ContextManager[None]:
    """While inside: a line broken again is taken from the first breaking, a justified line's layout made without Pango."""
    return _wrappers.active(install)


def install() -> None:
    """Wrap WeasyPrint's line splitter and layout maker as ``layout.inline`` calls them, once per process."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    linebreaking.install()  # beneath this module's wrapper: a line broken whole is told apart by the key
    _wrappers.install((inline, "split_first_line", _split_first_line), (inline, "create_layout", _create_layout),
                      (line_break, "get_font_description", _font_description), (inline, "strut", _strut))


def _split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
    """WeasyPrint's ``split_first_line``; inside :func:`reusing`, the first answer for the same arguments, copied."""
    original = _originals["split_first_line"]
    if not _local.active:
        return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    key = (text, id(style), id(context), max_width, justification_spacing, is_line_start, minimum,
           linebreaking.breaking_whole())
    known = _local.lines.get(key)
    if known is None or known[0] is not style or known[1] is not context:
        answer = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        _local.lines[key] = known = (style, context, answer)
        return answer
    layout, *rest = known[2]
    return (copy.copy(layout), *rest)


def _create_layout(text, style, context, max_width, justification_spacing):
    """WeasyPrint's ``create_layout``; inside :func:`reusing`, a justified text box's layout without its Pango layout.

    ``layout.inline`` calls it only to justify a line (``add_word_spacing``), with no width, and
    deactivates the layout at once; drawing reactivates it (a new Pango layout, the text set again).
    """
    original = _originals["create_layout"]
    if (not _local.active or max_width is not None or "\n" in text or text == " "
            or style["text_decoration_line"] != "none"):
        return original(text, style, context, max_width, justification_spacing)
    from weasyprint.text.line_break import Layout

    layout = Layout.__new__(Layout)
    layout.justification_spacing = justification_spacing
    layout.max_width = max_width
    layout.first_line_direction = 0
    layout.ascent = layout.underline_position = layout.strikethrough_position = None
    layout.text = text
    layout.layout = layout.language = layout.style = None  # what add_word_spacing's deactivate() lets go
    return layout


def _per_style(kept: dict, function: str, style):
    """``function(style)``, WeasyPrint's, once per style while :func:`reusing`."""
    if not _local.active:
        return _originals[function](style)
    known = kept.get(id(style))
    if known is None or known[0] is not style:
        known = kept[id(style)] = (style, _originals[function](style))
    return known[1]


def _font_description(style):
    """WeasyPrint's ``get_font_description`` (a Pango font description for a new layout), once per style."""
    return _per_style(_local.fonts, "get_font_description", style)


def _strut(style):
    """WeasyPrint's ``strut`` (the line height and baseline of a style), once per style."""
    return _per_style(_local.struts, "strut", style)
