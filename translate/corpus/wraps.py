"""The ``wraps`` and ``paragraphs`` rules: hard wraps and paragraphs.

A line broken in the middle of a sentence (``2020`` ⏎ ``年底``) is joined to the
next, with a space only where the article spaces Chinese from Latin or between
two Latin words. A real paragraph break stays, and so does Markdown structure:
headings, images, list items and speaker turns each start their own block. In a
source whose paragraphs are separated by blank lines, a line that ends a
sentence inside a paragraph ends that paragraph. In a hard-wrapped source with no
blank lines (a PDF's text layer: most lines end within a few cells of one width,
:func:`translate.corpus.lines.wrap_width`), a line is a wrap when it reaches that width
mid-sentence, and a shorter line ends its paragraph. In a source with one paragraph
per line, only a long line cut mid-sentence is a wrap. Finally every block is
separated from the next by exactly one blank line.
"""

from __future__ import annotations

import re

from translate.corpus.chinese import HAN, ends_sentence, is_han
from translate.corpus.draft import Draft, Edit
from translate.corpus.layout import blank_line_paragraphs, is_block_start
from translate.corpus.lines import continues, wrap_width

_PANGU = re.compile(rf"{HAN} [A-Za-z0-9]|[A-Za-z0-9] {HAN}")
_TIGHT = re.compile(rf"{HAN}[A-Za-z0-9]|[A-Za-z0-9]{HAN}")


def _spaced(text: str) -> bool:
    return len(_PANGU.findall(text)) > len(_TIGHT.findall(text))


def _glue(left: str, right: str, spaced: bool) -> str:
    """What replaces the line break: a space between Latin words (or Latin and Chinese when the article spaces them)."""
    a, b = left[-1:], right[:1]
    latin_a = a.isascii() and a.isalnum()
    latin_b = b.isascii() and b.isalnum()
    if latin_b and (latin_a or a in ",.;:!?)"):
        return " "
    if spaced and ((latin_a and is_han(b)) or (is_han(a) and latin_b)):
        return " "
    return ""


def _list_item(line: str) -> bool:
    return bool(re.match(r"^(\s*[*+-] |\d{1,3}\. )", line))


def rule(draft: Draft) -> None:
    """Join lines broken mid-sentence; keep one block per paragraph."""
    lines = draft.lines()
    texts = [t for _, _, t in lines]
    by_blank = blank_line_paragraphs(draft.text) or draft.facts.get("markdown", False)
    spaced = _spaced(draft.text)
    longest = sorted(len(t) for t in texts if t.strip())
    long_line = longest[int(len(longest) * 0.9)] if longest else 0
    hard_width = None if by_blank else wrap_width(texts)
    edits = []
    for index in range(len(lines) - 1):
        here, there = texts[index], texts[index + 1]
        if not here.strip() or not there.strip():
            continue
        newline_at = lines[index][1]
        if _list_item(here) and _list_item(there):
            continue
        if is_block_start(there) or here.startswith(("#", "![")):
            edits.append(Edit(newline_at, newline_at, "\n", "mark", "block boundary"))
            continue
        mid_sentence = not ends_sentence(here)
        if hard_width is not None:
            wrapped = continues(here, there, hard_width)
        else:
            wrapped = mid_sentence and (by_blank or len(here) >= 0.6 * long_line)
        if wrapped:
            glue = _glue(here.rstrip(), there.lstrip(), spaced)
            edits.append(Edit(newline_at, newline_at + 1, glue, "join", "hard wrap"))
        else:
            edits.append(Edit(newline_at, newline_at, "\n", "mark", "paragraph break"))
    draft.apply("wraps", edits)


def paragraphs_rule(draft: Draft) -> None:
    """Exactly one blank line between blocks, none at the start, one newline at the end."""
    edits = []
    lead = re.match(r"\s*", draft.text)
    if lead and lead.end():
        edits.append(Edit(0, lead.end(), "", "remove", "blank lines before the article"))
    for match in re.finditer(r"\n{3,}", draft.text):
        if match.start() >= (lead.end() if lead else 0):
            edits.append(Edit(match.start() + 2, match.end(), "", "remove", "extra blank lines"))
    trail = re.search(r"\s*$", draft.text)
    if trail and draft.text[trail.start():] != "\n" and trail.start() > (lead.end() if lead else 0):
        edits = [e for e in edits if e.start < trail.start()]
        edits.append(Edit(trail.start(), len(draft.text), "\n", "normalize", "one newline at the end"))
    draft.apply("paragraphs", edits)
