"""The ``export`` rule: what note apps (Notion above all) put around a page when they export it as Markdown.

* a source's own YAML front matter (``title:``, ``author:``, ``date:``, ``tags:``…): title,
  authors and date go to the article's front matter, the block goes;
* the properties block under the title (``创建时间: …``, ``状态: …``, ``标签: …``, ``Created: …``),
  two or more ``key: value`` lines most of whose keys are known properties: it goes, and its
  author and date go to the front matter;
* a table of contents: a list whose items are only links to ``#anchors`` of the page: it goes,
  and so does a heading right above it that says so (``目录``, ``Table of contents``);
* a callout, exported as ``<aside>`` … ``</aside>`` or as a quote opening with an icon
  (``> 💡 …``): it becomes a block quote without the icon.

Every removal is logged like any other; nothing here runs on a source that is not Markdown.
"""

from __future__ import annotations

import re
import unicodedata

from translate.corpus import frontmatter
from translate.corpus.bylines import first_date
from translate.corpus.draft import Draft, Edit

#: Property names a note app writes under a page's title (lower case).
PROPERTIES = {
    "创建时间", "创建日期", "创建者", "创建人", "最后编辑时间", "最后编辑者", "更新时间", "状态", "标签", "类型", "分类",
    "作者", "日期", "发布时间", "发布日期", "负责人", "链接", "来源", "优先级", "项目",
    "created", "created time", "created by", "last edited time", "last edited by", "status", "tags", "type",
    "author", "authors", "date", "url", "owner", "assignee", "category", "source", "priority", "project",
}
_AUTHOR_KEYS = {"作者", "创建者", "创建人", "author", "authors", "created by", "owner", "负责人"}
_DATE_KEYS = ("日期", "date", "发布时间", "发布日期", "创建时间", "创建日期", "created", "created time")
_PROPERTY = re.compile(r"^(?P<key>[^:：\n]{1,20}?)\s*[:：]\s*(?P<value>\S.{0,200})$")
_H1 = re.compile(r"^# \S")
_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"), 1)}
_ENGLISH_DATE = re.compile(r"(?P<month>[A-Za-z]{3,9})\.? (?P<d>\d{1,2}), (?P<y>(?:19|20)\d{2})")
_ASIDE_OPEN = re.compile(r"^[ \t]*<aside>[ \t]*$", re.I)
_ASIDE_CLOSE = re.compile(r"^[ \t]*</aside>[ \t]*$", re.I)
_ICON_IMAGE = re.compile(r"^[ \t]*<img\s[^<>\n]*/?>[ \t]*$", re.I)
_TOC_HEADING = re.compile(r"^(?:#{1,6}[ \t]+|\*\*)?(?:目录|目錄|本文目录|table of contents|contents|toc)(?:\*\*)?[ \t]*$",
                          re.I)
_TOC_ITEM = re.compile(r"^[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?\[[^\]\n]+\]\(#[^)\s]*\)[ \t]*$")


def iso_date(text: str) -> str | None:
    """The first date of ``text`` as YYYY-MM-DD (``2025年3月18日``, ``2025-03-18``, ``March 18, 2025``), or None."""
    found = first_date(text)
    if found:
        return found
    match = _ENGLISH_DATE.search(text)
    month = next((n for name, n in _MONTHS.items() if match and name.startswith(match["month"].lower())), None)
    if match and month and 1 <= int(match["d"]) <= 31:
        return f"{int(match['y']):04d}-{month:02d}-{int(match['d']):02d}"
    return None


def is_icon(char: str) -> bool:
    """An emoji or pictograph that a callout shows as its icon."""
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def rule(draft: Draft) -> None:
    """Remove a note app's export debris (front matter, properties, table of contents); callouts become quotes."""
    if not draft.facts.get("markdown"):
        return
    _source_front_matter(draft)
    lines = draft.lines()
    properties, found = _properties(lines)
    for name in found.get("authors", []):
        if name not in draft.meta.setdefault("authors", []):
            draft.meta["authors"].append(name)
    if found.get("date") and not draft.meta.get("date"):
        draft.meta["date"] = found["date"]
    draft.apply("export", properties + _table_of_contents(lines) + _callouts(lines))


def debris_lines(lines) -> set[int]:
    """The lines (indices into ``lines``, a draft's :meth:`~translate.corpus.draft.Draft.lines`) this rule
    removes or rewrites: the chrome rule, which runs first, leaves them to it."""
    from bisect import bisect_right

    starts = [start for start, _, _ in lines]
    edits, _ = _properties(lines)
    found: set[int] = set()
    for edit in edits + _table_of_contents(lines) + _callouts(lines):
        first = bisect_right(starts, edit.start) - 1
        last = bisect_right(starts, max(edit.start, edit.end - 1)) - 1
        found.update(range(max(first, 0), last + 1))
    return found


def _source_front_matter(draft: Draft) -> None:
    """A source's own YAML front matter: its title, authors and date go to the article's, the block goes."""
    if not draft.text.startswith("---"):
        return
    data, body, _ = frontmatter.split(draft.text, draft.filename)
    if data is None:
        return
    lowered = {str(k).lower(): v for k, v in data.items()}
    title = lowered.get("title")
    if isinstance(title, str) and title.strip() and "title" not in draft.meta:
        draft.meta["title"] = title.strip()
    authors = lowered.get("authors", lowered.get("author"))
    names = [authors] if isinstance(authors, str) else authors if isinstance(authors, list) else []
    for name in (str(n).strip() for n in names if isinstance(n, (str, int))):
        if name and name not in draft.meta.setdefault("authors", []):
            draft.meta["authors"].append(name)
    date = iso_date(str(lowered.get("date", "")))
    if date and not draft.meta.get("date"):
        draft.meta["date"] = date
    end = len(draft.text) - len(body)
    draft.apply("export", [Edit(0, end, "", "move", "the source's front matter → front matter")])


def _properties(lines) -> tuple[list[Edit], dict]:
    """The ``key: value`` lines under the title (or at the top), when most keys are known properties:
    their removal, and the authors and date they give."""
    index = 0
    while index < len(lines) and not lines[index][2].strip():
        index += 1
    if index < len(lines) and _H1.match(lines[index][2]):
        index += 1
        while index < len(lines) and not lines[index][2].strip():
            index += 1
    block = []
    while index < len(lines) and (match := _PROPERTY.match(lines[index][2].strip())):
        block.append((lines[index], match))
        index += 1
    known = [m for _, m in block if m["key"].strip().lower() in PROPERTIES]
    if len(block) < 2 or len(known) * 2 < len(block) or (index < len(lines) and lines[index][2].strip()):
        return [], {}
    values = {m["key"].strip().lower(): m["value"].strip() for _, m in block}
    date = next((iso_date(values[k]) for k in _DATE_KEYS if k in values and iso_date(values[k])), None)
    found: dict = {"authors": [], "date": date}
    edits = []
    end_of_text = lines[-1][1]
    for (start, end, _), match in block:
        key = match["key"].strip().lower()
        if key in _AUTHOR_KEYS:
            found["authors"] += [n for n in re.split(r"\s*[,，、]\s*", match["value"].strip()) if n]
            action, note = "move", "export property → front matter (authors)"
        elif key in _DATE_KEYS and date and iso_date(match["value"]) == date:
            action, note = "move", "export property → front matter (date)"
        else:
            action, note = "remove-line", f"export property ({match['key'].strip()})"
        edits.append(Edit(start, min(end + 1, end_of_text), "", action, note))
    return edits, found


def _table_of_contents(lines) -> list[Edit]:
    """Runs of two or more lines (list items, or paragraphs with a blank line between) that are each one link to an
    ``#anchor``, set off by blank lines."""
    edits = []
    index = 0
    while index < len(lines):
        run = index
        while run < len(lines) and _TOC_ITEM.match(lines[run][2]):
            run += 1
            if (run + 1 < len(lines) and not lines[run][2].strip() and run - index >= 1
                    and _TOC_ITEM.match(lines[run + 1][2]) and not lines[run + 1][2].lstrip()[:1] in "*+-"):
                run += 1  # a blank line between two link paragraphs (a note app's table of contents)
        before_blank = index == 0 or not lines[index - 1][2].strip()
        after_blank = run == len(lines) or not lines[run][2].strip()
        if run - index >= 2 and before_blank and after_blank:
            start, end = lines[index][0], lines[run - 1][1]
            heading = index - 1
            while heading >= 0 and not lines[heading][2].strip():
                heading -= 1
            if heading >= 0 and _TOC_HEADING.match(lines[heading][2]):
                edits.append(Edit(lines[heading][0], lines[heading][1] + 1, "", "remove-line",
                                  "the table of contents' heading"))
            edits.append(Edit(start, min(end + 1, lines[-1][1]), "", "remove-line",
                              "table of contents (links to the page's own headings)"))
        index = max(run, index + 1)
    return edits


def _callouts(lines) -> list[Edit]:
    """``<aside>`` … ``</aside>`` → a block quote; a quote's leading icon goes."""
    edits = []
    index = 0
    while index < len(lines):
        start, end, text = lines[index]
        if _ASIDE_OPEN.match(text):
            close = next((j for j in range(index + 1, min(len(lines), index + 200)) if _ASIDE_CLOSE.match(lines[j][2])),
                         None)
            if close is not None:
                edits += _aside(lines, index, close)
                index = close + 1
                continue
        if text.startswith(">"):
            quoted = re.match(r"^>[ \t]?", text)
            body = text[quoted.end():]
            if body and is_icon(body[0]):
                icon = re.match(r"^.[\ufe0f\u200d]*[ \t]*", body)
                edits.append(Edit(start + quoted.end(), start + quoted.end() + icon.end(), "", "remove",
                                  "callout icon"))
            while index + 1 < len(lines) and lines[index + 1][2].startswith(">"):
                index += 1
        index += 1
    return edits


def _aside(lines, first: int, close: int) -> list[Edit]:
    """The edits that make the lines between ``<aside>`` and ``</aside>`` one block quote."""
    edits = [Edit(lines[first][0], lines[first][1] + 1, "", "remove-line", "callout → block quote")]
    content = [j for j in range(first + 1, close) if lines[j][2].strip()]
    icon_done = False
    for j in range(first + 1, close):
        start, end, text = lines[j]
        if _ICON_IMAGE.match(text):
            edits.append(Edit(start, end + 1, "", "remove-line", "callout icon"))
            continue
        if not content or j > content[-1]:
            edits.append(Edit(start, end + 1, "", "remove", "blank line at the end of a callout"))
            continue
        stripped = len(text) - len(text.lstrip())
        icon = 0
        if not icon_done and text.strip():
            icon_done = True
            match = re.match(r"^.[\ufe0f\u200d]*[ \t]*", text[stripped:])
            if is_icon(text[stripped]) and match:
                icon = match.end()
        if stripped or icon:
            edits.append(Edit(start, start + stripped + icon, "", "remove", "callout icon" if icon else "indentation"))
        edits.append(Edit(start, start, "> " if text.strip() else ">", "mark", "callout → block quote"))
    close_start, close_end, _ = lines[close]
    edits.append(Edit(close_start, min(close_end + 1, lines[-1][1]), "", "remove-line", "callout → block quote"))
    return edits


__all__ = ["PROPERTIES", "debris_lines", "is_icon", "iso_date", "rule"]
