"""Content-likeness: is a line of a page article text or page chrome? (jusText is the model.)

Every line is scored on its own first: its length, its share of Chinese, whether it ends
a sentence, how much of it is digits and separators, whether it is made of UI words or
says what only page furniture says (:mod:`translate.corpus.vocabulary`). Then on the
page: a line that recurs three times or more (running heads, page footers) is furniture,
and so is a run of short lines that all come again later (a table of contents). In a
hard-wrapped source the lines of one paragraph are scored together, so a wrapped
disclaimer is one unit.

A chrome phrase in a line shaped as prose is noted (``prose``): the ``chrome`` rule keeps
such a line inside the article (``用户扫码即可取餐。`` is a sentence about QR codes).

The kinds: ``content`` (prose: long, ends a sentence), ``near`` (shorter text with
sentence punctuation: a dek, a last short sentence, a related title), ``short`` (a short
line without it: a name, a tag, a heading), ``chrome`` (with a reason), ``blank``.
What is done with them (removed at the edges, kept inside) is the ``chrome`` rule's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from translate.corpus.chinese import CLOSERS, HAN_RE, TONED, to_simplified
from translate.corpus.vocabulary import chrome_vocabulary

#: A unit of at most this many characters that a chrome phrase matches is chrome (longer is prose).
PHRASE_MAX = 120
#: Prose: at least this many characters, ending a sentence (shorter sentences are ``near``).
CONTENT_MIN = 25
#: A line that recurs this many times on a page is furniture.
REPEATED = 3
#: A table of contents: at least this many short lines in a row that all come again later.
TOC_MIN = 3

_ANNOTATION = re.compile(rf"[(（?][a-zü{TONED}]*[{TONED}][a-zü{TONED}]*[)）]")
_SEPARATORS = re.compile(r"[\s|｜/／·•・,，、:：>›»<‹«\-—–]+")
_NUMBER = re.compile(r"^[+\-]?\d[\d,.]*[万亿wWkK]?\+?$|^\d{1,2}:\d{2}$")
_SENTENCE_END = "。！？!?…"
_INNER = re.compile(r"[，、；：;,。！？]")
_SPAM_SPLIT = re.compile(r"[|｜]")


@dataclass(frozen=True, slots=True)
class LineKind:
    """What one line of a page is."""

    kind: str
    """``content``, ``near``, ``short``, ``chrome`` or ``blank``."""
    reason: str = ""
    """Why it is chrome (the log's note)."""
    prose: bool = False
    """Chrome by a phrase, but shaped as prose: inside the article it is kept ("用户扫码即可取餐。")."""


def strip_annotations(line: str) -> str:
    """The line without tone-marked pinyin annotations (chrome is scored before the pinyin rule runs)."""
    return _ANNOTATION.sub("", line)


def plain(line: str) -> str:
    """The line as the vocabulary sees it: Simplified, tone-marked annotations out, stripped."""
    return to_simplified(strip_annotations(line.strip().strip("\u200b\ufeff")))


def display_width(text: str) -> int:
    """Width in terminal cells: Chinese characters and full-width punctuation count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def closes_sentence(text: str) -> bool:
    """True when the text ends with a full stop, question or exclamation mark or ellipsis (closing
    quotes and emphasis aside); unlike :func:`translate.corpus.chinese.ends_sentence`, a colon or a
    semicolon does not count: a label is not prose."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _letters(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def is_spam(line: str) -> bool:
    """Keyword spam: four or more short ``|``-separated phrases, none of them a sentence."""
    stripped = line.strip()
    if stripped.startswith("|") or re.search(r"[。！？；]", stripped):
        return False
    parts = [p.strip() for p in _SPAM_SPLIT.split(stripped) if p.strip()]
    return len(parts) >= 4 and all(len(p) <= 25 for p in parts)


def phrase_reason(simple: str) -> str | None:
    """The reason a chrome phrase gives for this (Simplified) text, or None."""
    if len(simple) > PHRASE_MAX:
        return None
    for reason, pattern in chrome_vocabulary().phrases:
        if pattern.search(simple):
            return reason
    return None


def tokens(simple: str) -> list[str]:
    """The words of a short line, split at spaces and separators."""
    return [t for t in _SEPARATORS.split(simple) if t]


def is_widget(simple: str) -> bool:
    """A short line made of UI words and numbers (three quarters of them, when there are three or more)."""
    if len(simple) > 40 or re.search(r"[。！？]", simple):
        return False
    words = tokens(simple.rstrip(":："))
    if not words:
        return bool(simple) and not re.search(r"\w", simple)
    widgets = chrome_vocabulary().widgets
    known = sum(1 for w in words if w.lower() in widgets or _NUMBER.match(w))
    return known == len(words) or (len(words) >= 3 and known >= 0.75 * len(words))


def is_counter(simple: str) -> bool:
    """A number alone (a counter, a page number), perhaps between dashes."""
    return bool(re.fullmatch(r"[-—–\s]*\d{1,6}[-—–\s]*", simple))


def is_navigation(simple: str) -> bool:
    """A menu or breadcrumb: three or more short items, or items between ``>``, ``›``, ``»`` signs."""
    if re.search(r"[。！？]", simple):
        return False
    crumbs = [c.strip() for c in re.split(r"\s[>›»]\s|[›»]", simple) if c.strip()]
    if len(crumbs) >= 3 and all(len(c) <= 12 for c in crumbs[:-1]):
        return True
    items = simple.split()
    if re.search(r"[，：]", simple):
        return False
    if len(items) >= 4 and all(len(i) <= 4 for i in items):
        return True
    # A site menu: five or more short items, mostly Chinese (CSDN首页 博客 下载 学习 社区 GitCode 云服务).
    return len(items) >= 5 and all(len(i) <= 8 for i in items) and sum(bool(HAN_RE.search(i)) for i in items) * 2 >= len(items)


def own_kind(text: str) -> LineKind:
    """A line's kind from the line alone (the page-level reasons come from :func:`classify`)."""
    if not text.strip() or not text.strip("\u200b\ufeff \t\u3000"):
        return LineKind("blank")
    simple = plain(text)
    bare = simple.strip("*_ ")
    if is_spam(text):
        return LineKind("chrome", "keyword spam")
    reason = phrase_reason(bare)
    if reason:
        return LineKind("chrome", reason, prose=_text_kind(bare) == "content")
    if is_counter(bare):
        return LineKind("chrome", "counter")
    if is_widget(bare):
        return LineKind("chrome", "widget")
    if is_navigation(bare):
        return LineKind("chrome", "navigation")
    return LineKind(_text_kind(bare))


def _text_kind(simple: str) -> str:
    size = _letters(simple)
    han = len(HAN_RE.findall(simple))
    inner = len(_INNER.findall(simple.rstrip("".join(_SENTENCE_END) + CLOSERS)))
    if closes_sentence(simple) and size >= CONTENT_MIN and han >= 0.3 * size:
        return "content"
    if size >= 50 and inner >= 2:
        return "content"
    if (size >= 10 and inner >= 1) or (size >= 8 and closes_sentence(simple)):
        return "near"
    return "short"


#: Reasons that say nothing against the line itself (it was removed for its neighbours).
NEIGHBOURS_ONLY = ("between page chrome", "")


def prose_likeness(text: str, *, chrome_reason: str = "") -> float:
    """How much a line reads as article prose, from 0 (chrome) to 1 (prose): the scorer's kinds, made continuous.

    Its length (against twice :data:`CONTENT_MIN`), whether it ends a sentence, its inner
    punctuation, and, when the chrome rule gave a reason of its own (a widget, a phrase,
    repetition), that evidence against it. 0.5 is where the verdict turns: the review of
    close calls (:mod:`translate.corpus.decisions`) measures each decision from there.
    """
    simple = plain(text).strip("*_# ")
    if not simple:
        return 0.0
    size = _letters(simple)
    inner = len(_INNER.findall(simple.rstrip(_SENTENCE_END + CLOSERS)))
    score = 0.4 * min(1.0, size / (2 * CONTENT_MIN)) + 0.4 * closes_sentence(simple) + 0.2 * min(1.0, inner / 2)
    if chrome_reason not in NEIGHBOURS_ONLY:
        score -= 0.3
    return max(0.0, min(1.0, score))


def wrap_width(texts: list[str]) -> int | None:
    """The width a hard-wrapped source was wrapped at, or None when its lines are not wrapped.

    Wrapped: many lines (eight or more, and half the longer lines) end within a few cells
    of one width, as a PDF's text layer or a fixed-width export does; paragraphs kept one
    a line spread their widths instead.
    """
    widths = sorted(display_width(t.rstrip()) for t in texts if t.strip())
    if len(widths) < 8:
        return None
    width = widths[int(len(widths) * 0.9)]
    at_width = sum(1 for w in widths if width - 4 <= w <= width + 3)
    longer = sum(1 for w in widths if w >= 0.5 * width)
    if width < 20 or at_width < 8 or at_width < 0.5 * longer:
        return None
    return width


def continues(here: str, there: str, width: int | None) -> bool:
    """In a hard-wrapped source, does ``here`` go on in ``there`` (cut at the wrap width mid-sentence)?"""
    if width is None or not here.strip() or not there.strip():
        return False
    return display_width(here.rstrip()) >= 0.85 * width and not closes_sentence(here)


def units(texts: list[str], width: int | None, kinds: list[LineKind]) -> list[int]:
    """For each line, the index of the first line of its unit (its wrapped paragraph).

    A line that is chrome on its own (a page footer between two lines of a paragraph)
    does not continue a paragraph of text; it may start a unit (a wrapped disclaimer).
    """
    first = list(range(len(texts)))
    for index in range(1, len(texts)):
        start = first[index - 1]
        if continues(texts[index - 1], texts[index], width) and (
                kinds[index].kind != "chrome" or kinds[start].kind == "chrome"):
            first[index] = start
    return first


def key(text: str) -> str:
    """What two lines must share to be the same line of the page."""
    return re.sub(r"[\s#*]", "", plain(text))


def classify(texts: list[str]) -> list[LineKind]:
    """The kind of every line of a page."""
    kinds = [own_kind(t) for t in texts]
    width = wrap_width(texts)
    first = units(texts, width, kinds)
    # The lines of a wrapped paragraph are scored together: a disclaimer wrapped over three
    # lines is chrome as a whole, and the short last line of a paragraph is prose.
    for start in sorted(set(first)):
        end = _unit_end(first, start)
        if end == start:
            continue
        joined = "".join(plain(t) for t in texts[start:end + 1])
        reason = phrase_reason(joined)
        prose = None  # scored once per unit, not once per line (a unit may be thousands of lines)
        for member in range(start, end + 1):
            if reason:
                kinds[member] = LineKind("chrome", reason)
            elif kinds[member].kind in ("near", "short"):
                prose = _text_kind(joined) == "content" if prose is None else prose
                if prose:
                    kinds[member] = LineKind("content")
    # Running heads and page footers: a short line that recurs three times, or twice right
    # next to a page number.
    counts = Counter(key(t) for t in texts if t.strip())
    for index, text in enumerate(texts):
        k = key(text)
        if kinds[index].kind not in ("short", "near") or len(k) > 40 or counts[k] < 2:
            continue
        beside_number = any(0 <= j < len(texts) and kinds[j].reason == "counter" for j in (index - 1, index + 1))
        if counts[k] >= REPEATED or beside_number:
            kinds[index] = LineKind("chrome", "repeated page furniture")
    _tables_of_contents(texts, kinds)
    return kinds


def edge_kinds(texts: list[str]) -> list[LineKind]:
    """Each line's own kind from the top down to the first prose line and from the bottom up to the last;
    the lines between count as prose. For rules that look only at a page's head and foot."""
    kinds = [LineKind("content")] * len(texts)
    for order in (range(len(texts)), range(len(texts) - 1, -1, -1)):
        for index in order:
            kinds[index] = own_kind(texts[index])
            if kinds[index].kind == "content":
                break
    return kinds


def _unit_end(first: list[int], start: int) -> int:
    end = start
    while end + 1 < len(first) and first[end + 1] == start:
        end += 1
    return end


def _tables_of_contents(texts: list[str], kinds: list[LineKind]) -> None:
    """Mark runs of short lines that all come again later, each as a line of its own."""
    keys = [key(t) for t in texts]
    last_seen = {k: i for i, k in enumerate(keys)}
    index = 0
    while index < len(texts):
        run = []
        probe = index
        while probe < len(texts) and kinds[probe].kind in ("short", "near") and keys[probe]:
            run.append(probe)
            probe += 1
        if len(run) >= TOC_MIN:
            repeated = [i for i in run if last_seen[keys[i]] > run[-1]]
            if len(repeated) >= TOC_MIN and len(repeated) >= 0.75 * len(run):
                for i in repeated:
                    kinds[i] = LineKind("chrome", "table of contents")
        index = probe + 1 if probe == index else probe
