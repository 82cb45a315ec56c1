"""The ``images`` and ``lists`` rules.

Images keep their URL (nothing is ever fetched) and take their caption into the
alt text: ``![](url)_澜舟科技创始人兼 CEO 周明_`` becomes ``![澜舟科技创始人兼 CEO 周明](url)``.
A plain-text caption with an image credit (``…视频|图片来源：OpenAI 官网``) marks
an image the scrape lost: it becomes ``![caption | credit]()``, a captioned
placeholder. Highlight lists written ``* _1_ …`` become ordered lists.
"""

from __future__ import annotations

import re

from translate.corpus.draft import Draft, Edit

_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]\n]*)\]\((?P<url>[^)\s]*)\)(?P<caption>[ ]?(?P<mark>[_*])(?P<text>[^_*\n]+(?:\n[^_*\n]+)?)(?P=mark))?"
)
_CREDIT = re.compile(
    r"^(?P<caption>[^|｜\n]{2,80}?)\s*[|｜]\s*(?P<credit>(?:图片来源|圖片來源|图源|圖源|来源|來源|图|圖|摄影|攝影|photo|image)\s*[:：].{1,40})$",
    re.IGNORECASE,
)
_NUMBERED_ITEM = re.compile(r"^[ \t]*[*+-][ \t]+_(?P<n>\d{1,3})_[ \t]+", re.M)
_ITEM = re.compile(r"^[ \t]+[*+-][ \t]+(?!_\d)", re.M)


def _join(caption: str) -> str:
    parts = caption.split("\n")
    joined = parts[0]
    for part in parts[1:]:
        space = " " if joined[-1:].isascii() or part[:1].isascii() else ""
        joined += space + part
    return joined.strip()


def images_rule(draft: Draft) -> None:
    """Give images their captions as alt text; turn credited caption lines into image placeholders."""
    edits = []
    for match in _IMAGE.finditer(draft.text):
        if match.group("caption"):
            caption = _join(match.group("text")).replace("]", "\\]")
            alt = match.group("alt") or caption
            new = f"![{alt}]({match.group('url')})"
            edits.append(Edit(match.start(), match.end(), new, "restructure", "caption → image alt text"))
    draft.apply("images", edits)
    edits = []
    for start, end, text in draft.lines():
        match = _CREDIT.match(text.strip())
        if match and not text.startswith(("!", "#")):
            caption = match.group("caption").strip()
            edits.append(Edit(start, start, "![", "mark", "image caption without image"))
            sep_start = start + text.index(caption) + len(caption)
            sep_end = start + text.index(match.group("credit").strip())
            if text[sep_start - start:sep_end - start] != " | ":
                edits.append(Edit(sep_start, sep_end, " | ", "normalize", "caption | credit"))
            edits.append(Edit(end, end, "]()", "mark", "image caption without image"))
    draft.apply("images", edits)


def lists_rule(draft: Draft) -> None:
    """``* _1_ text`` → ``1. text``; indented bullets → ``- text``."""
    edits = [Edit(m.start(), m.end(), f"{m.group('n')}. ", "restructure", "numbered highlight")
             for m in _NUMBERED_ITEM.finditer(draft.text)]
    edits += [Edit(m.start(), m.end(), "- ", "restructure", "list bullet")
              for m in _ITEM.finditer(draft.text)]
    draft.apply("lists", edits)
