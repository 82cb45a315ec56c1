"""Hyphens no stylesheet can forbid: none at the foot of a page, never more than two lines in a row.

CSS limits hyphenation by the length of a word and the white it saves
(``hyphenate-limit-chars``, ``hyphenate-limit-zone``, print.css.j2); WeasyPrint has no
``hyphenate-limit-lines`` and nothing that knows where a page ends. So the English column is
decided while its lines are broken (:mod:`.linebreaking`: the line that would end a page or be the
third hyphenated in a row is broken again without hyphenation), and checked after the layout
(:func:`faults`): a word still hyphenated on the last line of a page, or on the third of three
hyphenated lines in a row, is protected (set in a ``<span class="nohyphen">``, which the print
stylesheet does not hyphenate) and the document is laid out again, at most a few times.

:func:`settle` is the whole of it; the worker that sets a part calls it in place of one layout.
"""

from __future__ import annotations

import html as _html
import re
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable

from translate.render.pdf import linebreaking, sharedstyles, tablesizing, textlayouts
from translate.render.pdf.linebreaking import HYPHEN, MOST_IN_A_ROW

#: Layouts after the first, at most: protecting a word moves lines, which may make a new fault.
ROUNDS = 3
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f'’]+")


@dataclass(frozen=True, slots=True)
class Fault:
    """A hyphenated word to keep whole: the block it is in (the id of the nearest element with one) and why."""

    element_id: str
    word: str
    why: str
    """``page end`` or ``run``."""


def _lines(document) -> list[tuple[str, int, list[str]]]:
    """Per English column fragment, in document order: (element id, page index, its lines' text)."""
    from weasyprint.formatting_structure import boxes

    found: list[tuple[str, int, list[str]]] = []

    def text_of(box) -> str:
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text_of(child) for child in getattr(box, "children", ()))

    def lines_in(box, into: list[str]) -> None:
        if isinstance(box, boxes.LineBox):
            into.append(text_of(box))
            return
        for child in getattr(box, "children", ()):
            lines_in(child, into)

    def walk(box, page: int, owner: str) -> None:
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) and element.get("id"):
            owner = element.get("id")
        if element is not None and element.get("lang") == "en" and "en" in (element.get("class") or "").split():
            lines: list[str] = []
            lines_in(box, lines)
            if lines:
                found.append((owner, page, lines))
            return
        for child in getattr(box, "children", ()):
            walk(child, page, owner)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number, "")
    return found


def faults(document) -> list[Fault]:
    """The hyphens to take back: at the foot of a page, and the third (and later) of a run in one column."""
    columns: dict[str, list[tuple[int, str, bool]]] = {}
    for owner, page, lines in _lines(document):
        column = columns.setdefault(owner, [])
        for index, line in enumerate(lines):
            column.append((page, line, index == len(lines) - 1))
    out: list[Fault] = []
    for owner, column in columns.items():
        run = 0
        for index, (page, line, last_here) in enumerate(column):
            if not line.rstrip().endswith(HYPHEN):
                run = 0
                continue
            run += 1
            following = column[index + 1][1] if index + 1 < len(column) else ""
            word = _joined(line, following)
            if not word:
                continue
            page_end = last_here and index + 1 < len(column) and column[index + 1][0] != page
            if page_end:
                out.append(Fault(owner, word, "page end"))
            elif run > MOST_IN_A_ROW:
                out.append(Fault(owner, word, "run"))
    return out


def _joined(line: str, following: str) -> str:
    """The word a hyphen broke: the end of ``line`` (less the hyphen) and the start of the next line."""
    head = _WORD.findall(line.rstrip().removesuffix(HYPHEN)[-60:])
    tail = _WORD.findall(following.lstrip()[:60])
    if not head or not tail or not line.rstrip().removesuffix(HYPHEN).endswith(head[-1]):
        return ""
    if not following.lstrip().startswith(tail[0]):
        return ""
    return head[-1] + tail[0]


def protect(html: str, found: list[Fault]) -> str:
    """``html`` with each fault's word set whole in its block (every occurrence there, outside tags)."""
    for fault in found:
        marker = f'id="{_html.escape(fault.element_id, quote=True)}"'
        start = html.find(marker)
        if start < 0 or not fault.element_id:
            continue
        end = html.find('<div class="pair', start + len(marker))
        end = len(html) if end < 0 else end
        word = re.compile(rf"(?<![\w\u2010-]){re.escape(_html.escape(fault.word, quote=False))}(?![\w\u2010-])")
        parts = re.split(r"(<[^>]*>)", html[start:end])
        inside_kept = False
        for index, part in enumerate(parts):
            if part.startswith("<"):
                if part.startswith('<span class="nohyphen"'):
                    inside_kept = True
                elif inside_kept and part == "</span>":
                    inside_kept = False
                continue
            if not inside_kept:
                parts[index] = word.sub(lambda m: f'<span class="nohyphen">{m[0]}</span>', part)
        html = html[:start] + "".join(parts) + html[end:]
    return html


def settle(render: Callable[[str], object], html: str, rounds: int = ROUNDS, *, in_flow: bool = False):
    """Lay out ``html`` with ``render`` until no hyphen is at a page's foot or third in a row (at most ``rounds`` more).

    ``in_flow``: decide the hyphens while the lines are broken (:mod:`.linebreaking`), so that the
    first layout usually has no fault; the check after it, and the layouts again with the words
    protected, are then the fallback for what the line breaker could not see.
    Returns the document, the HTML it was set from and the faults left (empty when it settled).
    """
    with (tablesizing.sizing(), textlayouts.reusing(), sharedstyles.sharing(),
          linebreaking.deciding() if in_flow else nullcontext()):
        document = render(html)
        left = faults(document)
        for _ in range(rounds):
            if not left:
                break
            protected = protect(html, left)
            if protected == html:
                break
            html = protected
            document = render(html)
            left = faults(document)
    return document, html, left
