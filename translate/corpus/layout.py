"""What kind of text a source is, and what its lines are, for the structure rules."""

from __future__ import annotations

import re

from translate.corpus.chinese import ends_sentence
from translate.markup import FOOTNOTE_LABEL

_MARKDOWN = re.compile(rf"^(#{{1,6}} |\*\*|!\[|\s*[*+-] |> |\s*(?:```|~~~)|\[\^{FOOTNOTE_LABEL}\]:|\s*\|.*\|\s*$)")
SPEAKER_LINE = re.compile(r"^\*\*[^*\n]{1,14}：\*\*")
BLOCK_START = re.compile(r"^(#{1,6} |!\[|\s*[*+-] |\d{1,2}\. |> |\*\*[^*\n]{1,14}：\*\*)")


def is_markdown(text: str) -> bool:
    """True when the source already uses Markdown structure (headings, bold, images, lists, quotes, code
    fences, footnote definitions, pipe-table rows)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return sum(bool(_MARKDOWN.match(line)) for line in lines) >= max(2, len(lines) // 50)


def blank_line_paragraphs(text: str) -> bool:
    """True when paragraphs are separated by blank lines (else every line is a paragraph)."""
    lines = text.split("\n")
    blank = sum(1 for line in lines if not line.strip())
    return blank >= 0.2 * (len(lines) - blank)


def is_block_start(line: str) -> bool:
    """True for a line that opens its own block: heading, image, list item, quote, speaker turn."""
    return bool(BLOCK_START.match(line))


def standalone(lines: list[str], index: int) -> bool:
    """True when the line before is blank or ends a sentence (the line starts a paragraph)."""
    if index == 0:
        return True
    before = lines[index - 1]
    return not before.strip() or ends_sentence(before) or is_block_start(before)
