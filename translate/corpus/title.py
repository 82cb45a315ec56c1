"""The ``title`` rule: found, moved into the front matter, its duplicates dropped.

Markdown sources give it as the first ``# `` heading (sometimes twice). In plain
text it is the first line when that line is short and does not end a sentence.
A source without one gets a title derived later from its first section heading
or first sentence (see :func:`derive_title`); a title already in the front matter
(an article being re-imported) always wins.
"""

from __future__ import annotations

import re

from translate.corpus.chinese import ends_sentence, to_simplified
from translate.corpus.draft import Draft, Edit

_H1 = re.compile(r"^# (.+?)\s*#*$")


def _norm(text: str) -> str:
    return re.sub(r"[\s#*「」“”\"]", "", to_simplified(text))


def rule(draft: Draft) -> None:
    """Move the title into the front matter; drop repeated copies of it next to it."""
    lines = draft.lines()
    edits = []
    title_index = None
    if draft.facts.get("markdown"):
        for index, (_, _, text) in enumerate(lines):
            match = _H1.match(text)
            if match:
                title_index, title = index, match.group(1).strip()
                break
    else:
        for index, (_, _, text) in enumerate(lines):
            if text.strip():
                stripped = text.strip()
                if len(stripped) <= 60 and not ends_sentence(stripped) and "：**" not in stripped:
                    title_index, title = index, stripped
                break
    if title_index is None:
        return
    if "title" not in draft.meta:
        draft.meta["title"] = title
    start, end, _ = lines[title_index]
    edits.append(Edit(start, min(end + 1, len(draft.text)), "", "move", "title → front matter"))
    # Copies of the title: any "# " heading with the same text, or the next line.
    for index in range(title_index + 1, len(lines)):
        text = lines[index][2]
        if not text.strip():
            continue
        h1 = _H1.match(text)
        candidate = h1.group(1) if h1 else text
        if _norm(candidate) == _norm(title) and (h1 or index == _next_content(lines, title_index)):
            s, e, _ = lines[index]
            edits.append(Edit(s, min(e + 1, len(draft.text)), "", "remove-line", "repeated title"))
    draft.apply("title", edits)


def _next_content(lines, index: int) -> int | None:
    for later in range(index + 1, len(lines)):
        if lines[later][2].strip():
            return later
    return None


def derive_title(body: str) -> str:
    """A title for a source that has none: its first section heading, else its first sentence."""
    for line in body.split("\n"):
        match = re.match(r"^#{2,6} (?:\d{1,2}[.、．]?\s*)?(.+)$", line)
        if match:
            return match.group(1).strip()
    for line in body.split("\n"):
        if line.strip() and not line.startswith(("!", "#", "-", "*")):
            sentence = re.split(r"(?<=[。！？])", line.strip())[0]
            return sentence if len(sentence) <= 40 else sentence[:40] + "…"
    return "Untitled"
