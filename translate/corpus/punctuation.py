"""The ``punctuation`` and ``whitespace`` rules.

Half-width ``, : ; ? !`` inside Chinese text become full-width ``，：；？！``: when
the character before is Chinese (or Chinese punctuation), or when it is Latin
but Chinese follows. Numbers (``16:26``, ``1,000``), English and URLs keep
theirs. Spacing: no-break and ideographic spaces become plain spaces, runs of
spaces shrink to one, and spaces next to Chinese punctuation or between two
Chinese characters go; a space between Chinese and Latin (``AI 创投``) stays.
Damaged spans (⟦…⟧), URLs, Markdown link targets, code and HTML entities are never touched.
"""

from __future__ import annotations

import re

from translate.corpus.chinese import CJK_PUNCT, HAN_RE
from translate.corpus.draft import Draft, Edit
from translate.corpus.spans import Spans
from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_OPENERS = "“‘「『《（【"
_PROTECTED = re.compile(
    rf"{DAMAGED_OPEN}[^{DAMAGED_CLOSE}]*{DAMAGED_CLOSE}|https?://[A-Za-z0-9\-._~:/?#@$&'*+=%]+|\]\([^)\n]*\)|`[^`\n]*`"
)
#: An HTML character entity: a name (HTML5's longest is 31 characters) or a decimal or hexadecimal code point;
#: its ``;`` is never punctuation (``&ldquo;`` must not become ``&ldquo；``).
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")


def protected(text: str, *, entities: bool = True) -> Spans:
    """Spans no punctuation or spacing rule may change (damaged spans, URLs, link targets, code, entities)."""
    found = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    if entities and "&" in text:
        found += [(m.start(), m.end()) for m in ENTITY.finditer(text)]
    return Spans(sorted(found))


def _inside(spans: Spans, offset: int) -> bool:
    return offset in spans


def _chinese(char: str) -> bool:
    return bool(char) and (HAN_RE.match(char) is not None or char in CJK_PUNCT)


#: Marks English and Chinese share: their side is the side of the text they quote or join.
SHARED = "“”‘’—–…"


def _context(text: str, index: int, step: int) -> str:
    """The first character from ``index`` on (by ``step``) that is neither a shared mark nor a space."""
    while 0 <= index < len(text) and (text[index] in SHARED or text[index] in " \t"):
        index += step
    return text[index] if 0 <= index < len(text) else "\n"


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".,;:!?)]\"'%")


def _latin_quote(text: str, index: int) -> bool:
    """Is the mark at ``index`` after a closing quote that closes English (``“regional redundancy”,``)?"""
    before = _neighbour(text, index, -1)
    return before in "”’" and _latin(_context(text, text.rfind(before, 0, index) - 1, -1))


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] in " \t\u00a0\u3000":
        index += step
    return text[index] if 0 <= index < len(text) else "\n"


def punctuation_rule(draft: Draft) -> None:
    """Make half-width punctuation inside Chinese text full-width."""
    # A mark's neighbour may itself be a mark that becomes full-width ("?!"): repeat until stable.
    for _ in range(4):
        if not _punctuation_pass(draft):
            break


def _punctuation_pass(draft: Draft) -> int:
    text = draft.text
    spans = protected(text)
    edits = []
    chinese_lines: dict[int, bool] = {}
    for match in re.finditer(r"[,:;?!]", text):
        i = match.start()
        if _inside(spans, i):
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if before == "\n":
            continue
        chinese_before = (_chinese(before) or before in "”’」』》）*") and not _latin_quote(text, i)
        latin_before = before.isascii() and (before.isalnum() or before in ")]\"'%")
        chinese_after = _chinese(after) and after not in "”’」』》）" or after in _OPENERS
        if match.group() == ":" and before.isdigit() and after.isdigit():
            continue
        line_start = text.rfind("\n", 0, i) + 1
        if line_start not in chinese_lines:  # once per line, not once per mark
            line_end = text.find("\n", i)
            chinese_lines[line_start] = HAN_RE.search(text, line_start, line_end if line_end >= 0 else len(text)) is not None
        chinese_line = chinese_lines[line_start]
        question_end = match.group() in "?!" and (after == "\n" or after in "”’」』") and chinese_line
        if chinese_before:
            edits.append(Edit(i, i + 1, FULL_WIDTH[match.group()], "replace", "full-width punctuation"))
        elif latin_before and (chinese_after or question_end):
            edits.append(Edit(i, i + 1, FULL_WIDTH[match.group()], "replace", "full-width punctuation"))
    return draft.apply("punctuation", edits)


#: What may stand before a block's text on its line: indentation, list markers, quote marks, a task box.
_MARKERS_ONLY = re.compile(r"[ \t]*(?:(?:[*+\-]|\d{1,9}[.)]|>|\[[ xX]\])[ \t]*)*(?:[*+\-]|\d{1,9}[.)]|>|\[[ xX]\])")


def whitespace_rule(draft: Draft) -> None:
    """Normalise spaces: one plain space between Chinese and Latin, none around Chinese punctuation."""
    text = draft.text
    spans = protected(text)
    edits = []
    for match in re.finditer(r"[\u00a0\u3000\u2002-\u200b\t]", text):
        if not _inside(spans, match.start()):
            zero = match.group() == "\u200b"
            edits.append(Edit(match.start(), match.end(), "" if zero else " ", "replace", "odd space"))
    draft.apply("whitespace", edits)
    text = draft.text
    spans = protected(text)
    edits = []
    for match in re.finditer(r"(?m)^[ ]+(?![*+\-]\s|\d+[.)]\s)|[ ]+$| {2,}| ", text):
        start, end = match.start(), match.end()
        if _inside(spans, start):
            continue
        chunk = match.group()
        at_start = start == 0 or text[start - 1] == "\n"
        at_end = end == len(text) or text[end] == "\n"
        if at_start and not re.match(r"[*+\-]\s|\d+[.)]\s", text[end:end + 3]):
            edits.append(Edit(start, end, "", "remove", "indentation"))
            continue
        if at_start:
            continue
        if at_end:
            edits.append(Edit(start, end, "", "remove", "trailing space"))
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if _MARKERS_ONLY.fullmatch(text, line_start, start):
            continue  # the space after a list or quote marker is Markdown (``- 《…》``), not a space in Chinese
        if text.startswith("#", line_start):  # a heading's line: only repeated spaces go
            if len(chunk) > 1:
                edits.append(Edit(start + 1, end, "", "remove", "repeated space"))
            continue
        before, after = text[start - 1], text[end]
        if (before in SHARED and _latin(_context(text, start - 2, -1)) and _latin(after)) \
                or (after in SHARED and _latin(_context(text, end + 1, 1)) and _latin(before)):
            continue  # a quote or dash inside English keeps its spaces (``call “regional``, ``services — not``)
        if (before in CJK_PUNCT or after in CJK_PUNCT or (_chinese(before) and _chinese(after))) \
                and "*" not in (before, after):
            edits.append(Edit(start, end, "", "remove", "space inside Chinese text"))
        elif len(chunk) > 1:
            edits.append(Edit(start + 1, end, "", "remove", "repeated space"))
    draft.apply("whitespace", edits)
