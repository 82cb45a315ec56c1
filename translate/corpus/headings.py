"""The ``headings`` rule: section headings.

* a whole-bold short line that does not end a sentence: ``**“…”**`` → ``## “…”``;
* a numbered line: ``01 普通人没感觉…``, ``01.为什么…`` → ``## 01 …``; a short line
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

MAX = 40
_BOLD_LINE = re.compile(r"^\*\*(?P<t>[^*\n]{2,40})\*\*$")
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})(?:[.、．]\s*|\s+)(?P<t>\S.{1,48})$")
_NUMBER = re.compile(r"^\d{1,2}$")
_LABEL_END = re.compile(r"[：:]$")


def _short(line: str) -> bool:
    text = line.strip()
    return 2 <= len(text) <= MAX and not ends_sentence(text) and not _LABEL_END.search(text)


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
    edits = []
    used: set[int] = set()
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
        numbered = _NUMBERED.match(text)
        if numbered and _short(numbered.group("t")) and standalone(texts, index) and \
                (nxt is None or not texts[nxt].startswith(("，", "、"))):
            edits.append(Edit(start, start, "## ", "mark", "numbered heading"))
            if plain and nxt == index + 1 and len(texts[nxt].strip()) <= 20 and _short(texts[nxt]) \
                    and not is_block_start(texts[nxt]):
                edits.append(Edit(end, lines[nxt][0], " ", "join", "heading's second line"))
                used.add(nxt)
            continue
        if plain and _short(text) and standalone(texts, index) and nxt is not None \
                and not is_block_start(text) and not text.startswith(("!", "**")) and index > 0:
            edits.append(Edit(start, start, "## ", "mark", "stand-alone short line → heading"))
    draft.apply("headings", edits)
