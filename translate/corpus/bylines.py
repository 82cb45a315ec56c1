"""The ``bylines`` rule: 文丨…, 编辑丨…, 作者 …, 本文作者: … 2025-03-04, 出品丨… go to the front matter.

Only a line made of nothing but credits (and perhaps a date) near the top of the
article is a byline; ``作者认为……`` in the middle of prose is not. Writers become
``authors``, editors and producers ``editors``, a date ``date`` (ISO). The
publication is read from the standard phrases that name it (以下是…和《晚点》的对话,
经《深网》编辑整理, 对话经极客公园整理).
"""

from __future__ import annotations

import re

from translate.corpus.chinese import to_simplified
from translate.corpus.draft import Draft, Edit

AUTHOR_ROLES = ("本文作者", "撰文", "作者", "记者", "記者", "采写", "採寫", "文")
EDITOR_ROLES = ("责任编辑", "責任編輯", "编辑", "編輯", "责编", "責編", "出品人", "出品", "监制", "監製")
_ROLE = "|".join(sorted(AUTHOR_ROLES + EDITOR_ROLES, key=len, reverse=True))
_SEP = r"\s*[丨|｜:：/]\s*"
_NAME = r"[^\s丨|｜:：，。,]{1,20}(?:[、,，/][^\s丨|｜:：，。,]{1,20})*"
_CREDIT = re.compile(rf"(?P<role>{_ROLE})(?P<sep>{_SEP}|\s+)(?P<names>{_NAME})")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
#: Lines near the top that are searched for bylines.
TOP_LINES = 12

_PUBLICATION = [
    re.compile(r"以下(?:是|为).{0,20}?(?:和|与|跟|对)《(?P<name>[^》]{1,20})》"),
    re.compile(r"经《(?P<name>[^》]{1,20})》(?:编辑)?整理"),
    re.compile(r"对话经(?P<name>[^\s，。,]{2,10}?)整理"),
    re.compile(r"(?:来源|来自)[:：]\s*(?P<name>[^\s，。,]{2,12})$"),
]


def parse_byline(line: str) -> dict | None:
    """The credits of a byline line, or None when the line is anything else."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return None
    found: dict = {"authors": [], "editors": [], "date": None}
    pos = 0
    credits = 0
    while pos < len(stripped):
        if stripped[pos].isspace():
            pos += 1
            continue
        credit = _CREDIT.match(stripped, pos)
        date = _DATE.match(stripped, pos)
        if credit and not (credit.group("role") == "文" and credit.group("sep").strip() == ""):
            names = re.split(r"[、,，/]", credit.group("names"))
            role = credit.group("role")
            names_clean = [n for n in (n.strip() for n in names) if n]
            if _DATE.match(credit.group("names")):
                names_clean = []
            key = "authors" if role in AUTHOR_ROLES else "editors"
            found[key].extend(names_clean)
            credits += 1
            pos = credit.end() if names_clean else credit.start("names")
        elif date:
            found["date"] = f"{int(date.group('y')):04d}-{int(date.group('m')):02d}-{int(date.group('d')):02d}"
            pos = date.end()
        else:
            return None
    return found if credits else None


def rule(draft: Draft) -> None:
    """Move byline lines near the top into the front matter."""
    edits = []
    seen = 0
    for start, end, text in draft.lines():
        if not text.strip():
            continue
        seen += 1
        if seen > TOP_LINES:
            break
        credits = parse_byline(text)
        if credits is None:
            continue
        for key in ("authors", "editors"):
            for name in credits[key]:
                draft.meta.setdefault(key, [])
                if name not in draft.meta[key]:
                    draft.meta[key].append(name)
        if credits["date"] and not draft.meta.get("date"):
            draft.meta["date"] = credits["date"]
        edits.append(Edit(start, min(end + 1, len(draft.text)), "", "move", "byline → front matter"))
    draft.apply("bylines", edits)
    if not draft.meta.get("publication"):
        for _, _, text in draft.lines():
            simple = to_simplified(text)
            for pattern in _PUBLICATION:
                match = pattern.search(simple)
                if match and len(simple) == len(text):
                    draft.meta["publication"] = text[match.start("name"):match.end("name")].strip()
                    return
