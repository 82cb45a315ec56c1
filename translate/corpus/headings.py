"""The ``headings`` rule: section headings.

* a whole-bold short line that does not end a sentence: ``**“…”**`` → ``## “…”``;
* a numbered line: ``01 普通人没感觉…``, ``01.为什么…`` → ``## 01 …`` (not an ordered list's item:
  ``1. 购票上车`` in a Markdown source, or next to ``2. 系好安全带`` in plain text); a short line
  right after it that does not end a sentence is its second line (``02.中国不缺技术人才``
  ⏎ ``缺的是优秀的企业家``);
* a number alone followed by a title line: ``1`` ⏎ ``AI 资本寒冬的亲历者`` → ``## 1 AI 资本寒冬的亲历者``;
* in plain text only, a short stand-alone line without sentence punctuation
  between paragraphs (``通往 AGI 有多条路径，最看好万亿参数多模态大模型``).
"""

from __future__ import annotations

import re

from translate.corpus.chinese import ends_sentence
from translate.corpus.draft import Draft, Edit
from translate.corpus.layout import SPEAKER_LINE, is_block_start, standalone
from translate.corpus.lines import continues, display_width, wrap_width

MAX = 40
_BOLD_LINE = re.compile(r"^\*\*(?P<t>[^*\n]{2,40})\*\*$")
_NUMBERED = re.compile(r"^(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3}(?=、))(?:[.、．]\s*|\s+)(?P<t>\S.{1,48})$")
_NUMBER = re.compile(r"^\d{1,2}$")
_ORDERED_ITEM = re.compile(r"^\d{1,9}[.)] ")
_LABEL_END = re.compile(r"[：:]$")
#: A source credit or a note is not a heading (资料来源：IDC, 注：…).
_CREDIT = re.compile(r"^(?:资料|數據|数据|圖片|图片|圖表|图表)?(?:来源|來源|出处|出處)[:：]|^注[:：]")


def _list_item(texts: list[str], index: int, *, markdown: bool) -> bool:
    """Is this numbered line an ordered list's item (``1. 购票上车`` ⏎ ``2. 系好安全带``), not a heading?

    In a Markdown source ``1. text`` is a list item; in plain text, when the line next to it is one too.
    """
    if not _ORDERED_ITEM.match(texts[index]):
        return False
    if markdown:
        return True
    return any(0 <= j < len(texts) and _ORDERED_ITEM.match(texts[j]) for j in (index - 1, index + 1))


def _short(line: str) -> bool:
    text = line.strip()
    return 2 <= len(text) <= MAX and not ends_sentence(text) and not _LABEL_END.search(text)


def _evidence(texts: list[str], index: int, nxt: int | None, width: int | None, marked: set[int]) -> bool:
    """Is the short line at ``index`` shaped and placed as a heading (see the module docstring)?"""
    text = texts[index].strip()
    if re.search(r"[。！？!?]", text) or re.search(r"[，、,]$", text) or nxt is None or _CREDIT.match(text):
        return False
    if width is not None and display_width(text) >= 0.85 * width:
        return False
    return _placed(texts, index, width, marked) and _body(texts[nxt], width)


def _placed(texts: list[str], index: int, width: int | None, marked: set[int]) -> bool:
    """Does the line start a block: after a paragraph's end, a heading, or (hard-wrapped) a line not cut at the width?"""
    previous = _previous(texts, index)
    if standalone(texts, index) or previous in marked:
        return True
    return width is not None and previous >= 0 and not continues(texts[previous], texts[index], width)


def _body(line: str, width: int | None) -> bool:
    """Is ``line`` body text (or the next heading), as what follows a heading must be?"""
    line = line.strip()
    return (ends_sentence(line) or len(line) > MAX or is_block_start(line) or bool(_NUMBERED.match(line))
            or (width is not None and display_width(line) >= 0.5 * width))


def _previous(texts: list[str], index: int) -> int:
    previous = index - 1
    while previous >= 0 and not texts[previous].strip():
        previous -= 1
    return previous


def _next(lines, index):
    for later in range(index + 1, len(lines)):
        if lines[later][2].strip():
            return later
    return None


def rule(draft: Draft) -> None:
    """Mark section headings as ``## `` Markdown headings."""
    lines = draft.lines()
    texts = [t for _, _, t in lines]
    plain = not draft.facts.get("markdown")
    width = wrap_width(texts)
    edits = []
    used: set[int] = set()
    marked: set[int] = set()
    for index, (start, end, text) in enumerate(lines):
        if index in used or not text.strip() or text.startswith("#"):
            continue
        nxt = _next(lines, index)
        bold = _BOLD_LINE.match(text)
        if bold and _short(bold.group("t")) and standalone(texts, index) and not SPEAKER_LINE.match(text):
            edits.append(Edit(start, start + 2, "## ", "restructure", "bold line → heading"))
            edits.append(Edit(end - 2, end, "", "restructure", "bold line → heading"))
            continue
        if _NUMBER.match(text.strip()) and nxt is not None and _short(texts[nxt]) \
                and not is_block_start(texts[nxt]) and standalone(texts, index):
            edits.append(Edit(start, start, "## ", "mark", "numbered heading"))
            edits.append(Edit(end, lines[nxt][0], " ", "join", "number and title line"))
            used.add(nxt)
            continue
        numbered = None if _list_item(texts, index, markdown=not plain) else _NUMBERED.match(text)
        placed = _placed(texts, index, width, marked)
        if numbered and _short(numbered.group("t")) and placed and (width is None or _evidence(
                texts, index, nxt, width, marked)) and (nxt is None or not texts[nxt].startswith(("，", "、"))):
            edits.append(Edit(start, start, "## ", "mark", "numbered heading"))
            marked.add(index)
            if plain and nxt == index + 1 and len(texts[nxt].strip()) <= 20 and _short(texts[nxt]) \
                    and not is_block_start(texts[nxt]) and not _NUMBERED.match(texts[nxt]):
                edits.append(Edit(end, lines[nxt][0], " ", "join", "heading's second line"))
                used.add(nxt)
            continue
        if plain and _short(text) and _evidence(texts, index, nxt, width, marked) \
                and not is_block_start(text) and not text.startswith(("!", "**")) and index > 0:
            edits.append(Edit(start, start, "## ", "mark", "stand-alone short line → heading"))
            marked.add(index)
    draft.apply("headings", edits)
