"""The ``title`` rule: found, moved into the front matter, its duplicates dropped.

Markdown sources give it as the first ``# `` heading (sometimes twice). In plain text
the candidates are the lines above the article's first line of prose, and each is
scored: headline-shaped (8 to 48 characters, headline punctuation such as ：，「」 or a
space between two phrases), echoed elsewhere on the page, early; never page chrome (a
navigation bar, a login bar, a breadcrumb), never a byline, never a name that a header
line gives as the account, and not a subtitle (——…). What sites append to a title line
(`` [复制链接]``, ``- 知乎``) is not part of it. The ``chrome`` rule, which must keep
the title while it removes what surrounds it, asks :func:`find_title` first and leaves
the answer in ``draft.facts``. A source without a title gets one derived later from its
first section heading or first sentence (see :func:`derive_title`); a title already in
the front matter (an article being re-imported) always wins.
"""

from __future__ import annotations

import re
from collections import Counter

from translate.corpus.chinese import to_simplified
from translate.corpus.draft import Draft, Edit
from translate.corpus.lines import classify, edge_kinds, key, plain
from translate.corpus.vocabulary import chrome_vocabulary

_H1 = re.compile(r"^# (.+?)\s*#*$")
_HEADLINE_MARKS = re.compile(r"[：:，、？！?!「」『』“”《》|｜—]|[\u4e00-\u9fff] +[\u4e00-\u9fffA-Za-z0-9]")
#: A candidate must score at least this.
THRESHOLD = 0.5


def _norm(text: str) -> str:
    return re.sub(r"[\s#*「」“”\"]", "", to_simplified(text))


def strip_suffix(title: str) -> str:
    """The title without what a site appends to it."""
    for pattern in chrome_vocabulary().title_suffixes:
        title = pattern.sub("", title)
    return title.strip()


def _score(text: str, rank: int, echoes: int, account_names: set[str]) -> float | None:
    simple = strip_suffix(plain(text)).strip("*_ ")
    size = len(re.sub(r"\s", "", simple))
    if size < 4 or size > 64 or re.search(r"[。；;：:]$", simple) or "：**" in text:
        return None
    score = 0.0
    if 8 <= size <= 48:
        score += 1
    if _HEADLINE_MARKS.search(simple):
        score += 0.5
    if echoes:
        score += 1
    if simple.startswith(("——", "—", "--")):
        score -= 1.5
    if re.sub(r"\s", "", simple) in account_names:
        score -= 3
    return score - 0.2 * rank


def find_title(texts: list[str], kinds=None, *, markdown: bool = False, bylines: set[int] = frozenset()) -> int | None:
    """The index of the title line, or None when the page shows none."""
    if markdown:
        for index, text in enumerate(texts):
            if _H1.match(text):
                return index
        return None
    kinds = kinds if kinds is not None else classify(texts)
    from translate.corpus.bylines import parse_header

    account_names = {name for i in bylines for name in (parse_header(texts[i]) or {}).get("names", [])}
    keys = [key(t) for t in texts]
    counts = Counter(k for k in keys if k)
    best, best_score = None, THRESHOLD
    rank = 0
    for index, text in enumerate(texts):
        kind = kinds[index].kind
        if kind == "blank" or index in bylines:
            continue
        if kind == "content":
            # A headline may end with a question mark; a sentence that ends the page's head does not stop that.
            if not (re.search(r"[？?！!]$", plain(text)) and len(plain(text)) <= 40 and rank == 0):
                break
        if kind == "chrome" or text.lstrip().startswith(("![", "#", "- ", "* ")):
            continue
        echoes = counts[keys[index]] - 1 if keys[index] else 0
        score = _score(text, rank, echoes, account_names)
        rank += 1
        if score is not None and score > best_score:
            best, best_score = index, score
    return best


def rule(draft: Draft) -> None:
    """Move the title into the front matter; drop repeated copies of it next to it."""
    if "title" in draft.meta:
        return  # an article being cleaned again: its front matter has the title
    lines = draft.lines()
    texts = [t for _, _, t in lines]
    edits = []
    title_index = None
    if draft.facts.get("markdown"):
        # A '# ' line inside code (a comment) or another held construct is not the title.
        title_index = find_title([t if not draft.held(s, "title") else "" for s, _, t in lines], markdown=True)
        title = _H1.match(texts[title_index]).group(1).strip() if title_index is not None else ""
    elif draft.facts.get("pages"):
        headline = page_headline(texts)
        title_index = headline[0] if headline else None
        title = "".join(texts[i].strip() for i in headline)
        for extra in headline[1:]:
            start, end, _ = lines[extra]
            edits.append(Edit(start, min(end + 1, len(draft.text)), "", "move", "title's second line → front matter"))
    else:
        source_line = draft.facts.get("title_line")
        if source_line is not None:
            title_index = next((i for i, (s, e, t) in enumerate(lines)
                                if t.strip() and draft.line_at(s) == source_line), None)
        elif "title_line" not in draft.facts:
            from translate.corpus.bylines import header_lines

            kinds = edge_kinds(texts)
            title_index = find_title(texts, kinds, bylines=set(header_lines(texts, kinds)))
        title = strip_suffix(texts[title_index].strip()) if title_index is not None else ""
    if title_index is None:
        return
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


#: Words a headline's line cannot end on: a headline set in two lines goes on in the next.
_LINKING = "的地得之与和及在对从为把被向让给将于、：—"
_NUMBERED_HEADING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[一二三四五六七八九十]{1,3}、)\s*\S")


def page_headline(texts: list[str]) -> list[int]:
    """In a printed page's text (OCR, PDF), the lines of the headline: the first short line above the
    text that is no sentence, no numbered section heading and no credit (``文｜…``), with the next line
    too when the headline was set in two (``一块屏幕背后的`` ⏎ ``零售算法战争``: the first ends on a word
    that needs what follows)."""
    from translate.corpus.chinese import ends_sentence

    for index, text in enumerate(texts):
        stripped = text.strip()
        if not stripped:
            continue
        if len(stripped) > 40 or ends_sentence(stripped) or _NUMBERED_HEADING.match(stripped) \
                or re.search(r"[｜|／/]", stripped) or stripped.startswith(("#", "!", "|", "[")):
            return []
        following = texts[index + 1].strip() if index + 1 < len(texts) else ""
        if following and stripped[-1] in _LINKING and len(following) <= 24 and not ends_sentence(following) \
                and not re.search(r"[，。！？｜|]", following):
            return [index, index + 1]
        return [index]
    return []


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


__all__ = ["derive_title", "find_title", "page_headline", "rule", "strip_suffix"]
