"""The English column's hyphens decided while WeasyPrint breaks its lines, so that a part is laid out once.

WeasyPrint breaks a block's lines one by one (``layout.inline.iter_line_boxes``, which
``layout.block`` consumes line by line and stops once a line overflows the page). This module
wraps that iterator, for blocks whose lines may hyphenate (``hyphens: auto``: the English column),
and looks at each line that ends in a hyphen before WeasyPrint takes it:

* the third hyphenated line in a row, or
* the line that will be the last on its page (the line after it overflows, counting the lines
  the widows rule then moves to the next page, see :func:`_last_on_page`),

is broken again with hyphenation off for that one line (WeasyPrint's ``split_first_line`` is
given a copy of the style whose ``hyphens`` is ``manual``); the lines after it are broken anew
from where it now ends. WeasyPrint's functions are called, never copied.

Nothing changes outside :func:`deciding`: the wrappers are installed once per process (the
first time it is entered) and hand WeasyPrint's own iterator back untouched while it is not.
What the hook cannot see (a row a table pushes to the next page, footnotes, a block the orphans
rule moves whole) is left to :func:`.hyphenation.settle`, which checks the layout afterwards and
falls back to protecting the words and laying out again.
"""

from __future__ import annotations

from typing import ContextManager

from translate.render.pdf.switch import Switch, Wrappers

#: WeasyPrint's hyphenation character (``hyphenate-character``'s default).
HYPHEN = "\u2010"
#: The most hyphenated lines in a row a column may have (issue 30).
MOST_IN_A_ROW = 2


class _Local(Switch):
    """Per thread: on inside :func:`deciding`; breaking a line whole."""

    whole = 0
    manual_styles: dict[int, tuple]

    def __init__(self):
        self.manual_styles = {}

    def forget(self) -> None:
        self.manual_styles.clear()


_local = _Local()
_wrappers = Wrappers(_local)
_originals = _wrappers.originals


def deciding() -> ContextManager[None]:
    """While inside: the hyphens of ``hyphens: auto`` blocks are decided as their lines are broken."""
    return _wrappers.active(install)


def install() -> None:
    """Wrap WeasyPrint's line iterator (as ``layout.block`` calls it) and its line splitter, once per process."""
    from weasyprint.layout import block, inline

    _wrappers.install((block, "iter_line_boxes", _iter_line_boxes), (inline, "split_first_line", _split_first_line))


def breaking_whole() -> bool:
    """Whether this thread is breaking a line again with hyphenation off (a wrapper above keys its answers by it)."""
    return bool(_local.whole)


def _split_first_line(text, style, *args, **kwargs):
    """WeasyPrint's ``split_first_line``; with hyphenation off while a line is broken whole."""
    if _local.whole and style["hyphens"] == "auto":
        style = _manual(style)
    return _originals["split_first_line"](text, style, *args, **kwargs)


def _manual(style):
    """A copy of ``style`` that does not hyphenate (kept while :func:`deciding`: a block's text boxes share a few)."""
    known = _local.manual_styles.get(id(style))
    if known is None or known[0] is not style:
        manual = style.copy()
        manual["hyphens"] = "manual"
        known = _local.manual_styles[id(style)] = (style, manual)
    return known[1]


def _iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block,
                     absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
    """WeasyPrint's ``iter_line_boxes``; for a block that may hyphenate, while :func:`deciding`, hyphens decided."""
    original = _originals["iter_line_boxes"]
    if not _local.active or box.style["hyphens"] != "auto":
        return original(context, box, position_y, bottom_space, skip_stack, containing_block,
                        absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
    return _decided(original, context, box, position_y, bottom_space, skip_stack, containing_block,
                    absolute_boxes, fixed_boxes, first_letter_style, first_line_style)


def _decided(original, context, box, position_y, bottom_space, skip_stack, containing_block,
             absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
    from weasyprint.layout.block import remove_placeholders

    def lines_from(y, skip, first_line: bool):
        return original(context, box, y, bottom_space, skip, containing_block, absolute_boxes, fixed_boxes,
                        first_letter_style if first_line else None, first_line_style if first_line else None)

    lines = lines_from(position_y, skip_stack, True)
    ahead: list[tuple] = []  # lines taken from ``lines`` to look ahead, not yet given to WeasyPrint
    index, run, whole = 0, 0, False  # lines given; hyphenated lines in a row before the next; it was broken whole
    start_y, start_skip = position_y, skip_stack  # where the next line starts
    widows, orphans = containing_block.style["widows"], containing_block.style["orphans"]

    def peek(offset: int):
        while len(ahead) <= offset:
            taken = next(lines, None)
            if taken is None:
                return None
            ahead.append(taken)
        return ahead[offset]

    def forget_ahead() -> None:
        # Lines WeasyPrint never sees: what their layout registered (absolutes, floats) goes, as block.py does.
        for line, _ in ahead:
            remove_placeholders(context, line.children, absolute_boxes, fixed_boxes)
        ahead.clear()

    try:
        while True:
            taken = peek(0)
            if taken is None:
                return
            line, resume_at = taken
            hyphenated = _ends_in_hyphen(line)
            if hyphenated and not whole and (run >= MOST_IN_A_ROW or _last_on_page(
                    context, containing_block, bottom_space, index, peek, widows, orphans)):
                # Break this line again, whole; the lines after it follow from where it now ends.
                forget_ahead()
                lines = lines_from(start_y, start_skip, index == 0)
                _local.whole += 1
                try:
                    taken = next(lines, None)
                finally:
                    _local.whole -= 1
                if taken is None:  # cannot happen: the same text, less hyphenation
                    return
                ahead.append(taken)
                whole = True
                continue
            ahead.pop(0)
            run = run + 1 if hyphenated else 0
            whole = False
            index += 1
            start_y, start_skip = line.position_y + line.height, resume_at
            yield line, resume_at
            if resume_at is None:
                return
    finally:
        forget_ahead()  # looked ahead past the page's end


def _last_on_page(context, block, bottom_space, index: int, peek, widows: int, orphans: int) -> bool:
    """Whether the line ``peek(0)`` (the ``index``-th this call gives) will end its page, as ``layout.block`` decides.

    The first line that overflows (``k``) goes to the next page, with as many lines before it as
    the widows rule needs (``needed``, up to ``widows - 1``: fewer lines than ``widows`` left after
    it); the page then ends at line ``k - 1 - needed``. If that leaves fewer than ``orphans`` lines,
    the whole block moves on and no line of it ends the page.
    """
    def overflows(offset: int) -> bool:
        line, resume_at = peek(offset)
        bottom = line.position_y + line.height
        if resume_at is None:
            bottom += block.border_bottom_width + block.padding_bottom
        return context.overflows_page(bottom_space, bottom)

    if overflows(0):
        return False
    for ahead in range(1, widows + 1):
        if peek(ahead) is None:
            return False  # the block ends on this page
        if overflows(ahead):
            break
    else:
        return False  # the page ends further on
    after = 0
    while after < widows - 1 and peek(ahead + 1 + after) is not None:
        after += 1
    needed = max(0, widows - 1 - after)
    first_over = index + ahead
    if first_over - orphans < 0 or needed > first_over - orphans:
        return False  # the orphans rule moves the whole block (or the page is empty: checked afterwards)
    return ahead - 1 == needed


def _ends_in_hyphen(line) -> bool:
    """Whether the line's text ends in WeasyPrint's hyphenation character (as :func:`.hyphenation.faults` reads it)."""
    box = line
    while True:
        children = getattr(box, "children", None)
        if not children:
            break
        box = children[-1]
    text = getattr(box, "text", None)
    if text is None or not text.strip():
        return _text(line).rstrip().endswith(HYPHEN)
    return text.rstrip().endswith(HYPHEN)


def _text(box) -> str:
    text = getattr(box, "text", None)
    if text is not None:
        return text
    return "".join(_text(child) for child in getattr(box, "children", ()))
