"""The ``figures``, ``images`` and ``lists`` rules.

An HTML ``<img>`` left in a text source keeps its alt text as its caption: ``<img src="…/a.jpg"
alt="灵巧智能在嘉兴的试产线">`` becomes ``![灵巧智能在嘉兴的试产线](…/a.jpg)``, a figure, on a
line of its own. This must happen before the html rule strips tags (it would take the caption
with the tag); an alt text that only says "picture" (``图片``, ``image``) or repeats the file name
is no caption, and such a tag is left to the html rule.
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
_IMG_TAG = re.compile(r"<img\b(?P<attrs>[^<>\n]{0,2000})>", re.I)
_ATTRIBUTE = re.compile(r"\b(?P<name>alt|src|data-src)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>\"']+))",
                        re.I)
#: Alt texts that say only that there is a picture.
NO_CAPTION = frozenset({"图片", "圖片", "图", "圖", "配图", "配圖", "image", "img", "photo", "picture", "pic"})
_BARE_IMAGE = re.compile(r"!\[\]\([^)\s]*\)")
#: A caption line under a picture: 图：…, 图1：…, 圖 2．…, Figure 3: …
_CAPTION_LINE = re.compile(r"^(?:图|圖|图片|圖片|Figure|Fig\.)\s*\d{0,3}\s*[:：．.|｜丨]\s*\S.{0,80}$")
_NUMBERED_ITEM = re.compile(r"^[ \t]*[*+-][ \t]+_(?P<n>\d{1,3})_[ \t]+", re.M)
_ITEM = re.compile(r"^[ \t]+[*+-][ \t]+(?!_\d)", re.M)


def _join(caption: str) -> str:
    parts = caption.split("\n")
    joined = parts[0]
    for part in parts[1:]:
        space = " " if joined[-1:].isascii() or part[:1].isascii() else ""
        joined += space + part
    return joined.strip()


def figure_of(tag: str) -> str | None:
    """The Markdown figure of an ``<img>`` tag whose alt text is a caption, or None."""
    import html

    match = _IMG_TAG.fullmatch(tag)
    if not match:
        return None
    attributes: dict[str, str] = {}
    for attribute in _ATTRIBUTE.finditer(match.group("attrs")):
        value = next(v for v in (attribute.group("dq"), attribute.group("sq"), attribute.group("bare")) if v is not None)
        attributes.setdefault(attribute.group("name").lower(), html.unescape(value))
    alt = re.sub(r"\s+", " ", attributes.get("alt", "")).strip()
    src = attributes.get("src") or attributes.get("data-src") or ""
    name = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not alt or alt.lower() in NO_CAPTION or (name and alt == name) or len(alt) > 300:
        return None
    url = src.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    if url.lower().startswith(("javascript:", "data:")):
        url = ""
    return f"![{alt.replace(chr(92), chr(92) * 2).replace('[', chr(92) + '[').replace(']', chr(92) + ']')}]({url})"


def figures_rule(draft: Draft) -> None:
    """An HTML ``<img>`` with alt text becomes a figure with that caption (before the html rule strips tags)."""
    if "<img" not in draft.text and "<IMG" not in draft.text:
        return
    edits = []
    for match in _IMG_TAG.finditer(draft.text):
        figure = figure_of(match.group())
        if figure is None:
            continue
        line_start = draft.text.rfind("\n", 0, match.start()) + 1
        line_end = draft.text.find("\n", match.end())
        line_end = len(draft.text) if line_end < 0 else line_end
        before = "\n\n" if draft.text[line_start:match.start()].strip() else ""
        after = "\n\n" if draft.text[match.end():line_end].strip() else ""
        edits.append(Edit(match.start(), match.end(), before + figure + after, "restructure",
                          "HTML image → figure, its alt text the caption"))
    draft.apply("figures", edits)


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
    _captions_below(draft)
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


def _captions_below(draft: Draft) -> None:
    """An image without alt text takes the caption line right below it (``图：…``, ``图1：…``, ``Figure 2.``)."""
    lines = draft.lines()
    edits = []
    for index, (start, end, text) in enumerate(lines):
        image = _BARE_IMAGE.fullmatch(text.strip())
        if not image:
            continue
        below = index + 1
        while below < len(lines) and not lines[below][2].strip() and below - index <= 3:
            below += 1
        if below >= len(lines) or not _CAPTION_LINE.match(lines[below][2].strip()):
            continue
        caption = lines[below][2].strip()
        alt = start + text.index("![") + 2
        edits.append(Edit(alt, alt, caption.replace("]", "\\]"), "restructure", "caption → image alt text"))
        edits.append(Edit(end, lines[below][1], "", "move", "caption → its picture"))
    draft.apply("images", edits)


def lists_rule(draft: Draft) -> None:
    """``* _1_ text`` → ``1. text``; indented bullets → ``- text``."""
    edits = [Edit(m.start(), m.end(), f"{m.group('n')}. ", "restructure", "numbered highlight")
             for m in _NUMBERED_ITEM.finditer(draft.text)]
    edits += [Edit(m.start(), m.end(), "- ", "restructure", "list bullet")
              for m in _ITEM.finditer(draft.text)]
    draft.apply("lists", edits)
