"""Inline Markdown as every stage reads it: one parser, one idea of a sentence's plain text.

The renderers turn inline Markdown into HTML (:mod:`translate.render.inline`); the
translation and post-editing stages locate glossary terms in its plain text. Both
use this parser, so a term's span computed once (``TermUse.zh_spans``/``en_spans``)
is where the renderers find it. :func:`markup_problems` is the rule that English must carry
the Chinese's markup over: the post-editing proof and import, the editor's save, the
machine-English screen and the LLM's corrections all apply it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from translate.models import DAMAGED_PLACEHOLDER

#: The only link schemes kept; anything else (``javascript:``, ``file:``) renders as text.
SAFE_SCHEMES = ("http://", "https://", "mailto:")
#: The inline marks whose counts must match between the Chinese and the English, by token and by name.
_MARKUP = (("strong_open", "bold"), ("em_open", "italic"), ("s_open", "strikethrough"),
           ("code_inline", "code"), ("link_open", "link"), ("footnote_ref", "footnote reference"))


def is_safe_url(url: str) -> bool:
    """True for http, https and mailto URLs only."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def parser():
    """The inline Markdown parser: emphasis, links, code, escapes, strikethrough; no raw HTML."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "backticks", "escape", "strikethrough"])
    md.inline.ruler.before("link", "footnote_ref", _footnote_ref)
    md.validateLink = is_safe_url
    return md


#: A footnote reference's label (``1`` of ``[^1]``), as the cleaner, the inline parser, the sentence splitter and
#: the inline layer all read it: one pattern, so a label the cleaner keeps is a label the translation keeps.
FOOTNOTE_LABEL = r"[^\]\s^]{1,64}"
#: A footnote reference, ``[^1]`` or ``[^note]``: a protected span, its label kept as written.
FOOTNOTE_REF = re.compile(rf"\[\^(?P<label>{FOOTNOTE_LABEL})\]")


def _footnote_ref(state, silent: bool) -> bool:
    """The inline rule that reads ``[^label]`` as a ``footnote_ref`` token (``meta["label"]``), defined or not."""
    match = FOOTNOTE_REF.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": match.group("label")}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def footnote_labels(markdown: str) -> list[str]:
    """The labels of the footnote references in inline Markdown, in order."""
    return [child.meta["label"] for token in parser().parseInline(markdown) for child in token.children or ()
            if child.type == "footnote_ref"]


#: Distinct texts whose reading is remembered (a build reads each sentence's Markdown several times, and
#: ``bitext serve`` reads the same sentences on every rebuild); a 500-article edition reads about 56,000.
READINGS_KEPT = 1 << 18


@lru_cache(maxsize=READINGS_KEPT)
def plain_text(markdown: str) -> str:
    """The text of inline Markdown without its markup: the text runs, in order, breaks as spaces."""
    md = parser()
    parts: list[str] = []
    for token in md.parseInline(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)


def markup_problems(zh: str, en: str) -> list[str]:
    """Inline Markdown (bold, italic, links, code) that the English does not carry over as the Chinese has it.

    Both sides are parsed with the renderers' parser (:func:`parser`), so
    what counts is what a reader would see: the same number of bold, italic,
    struck-out and code spans and of links, links to the same addresses, and no
    stray ``**`` left as text.
    """
    if _MARK_CHARACTERS.isdisjoint(zh) and _MARK_CHARACTERS.isdisjoint(en):
        return []  # no mark, link, footnote or stray on either side: nothing to compare
    return list(_markup_problems(zh, en))


#: The characters every mark, link and footnote reference of :func:`parser` (and the strays ``**`` and ``](``)
#: starts or ends with: text without them parses to plain text alone.
_MARK_CHARACTERS = frozenset("*_[]`~\\")


@lru_cache(maxsize=READINGS_KEPT)
def _markup_problems(zh: str, en: str) -> tuple[str, ...]:
    en = en.replace(DAMAGED_PLACEHOLDER, "")
    zh_marks, zh_links = _inline_marks(zh)
    en_marks, en_links = _inline_marks(en)
    problems = []
    for kind, name in _MARKUP:
        if kind == "em_open" and zh_marks[kind] < en_marks[kind] <= zh_marks[kind] + zh.count("《"):
            continue  # titles in 《》 are set in italics in English (glossary/STYLE.md)
        if zh_marks[kind] != en_marks[kind]:
            problems.append(f"{name} markup differs: {zh_marks[kind]} in the Chinese, {en_marks[kind]} in the English")
    if not problems and sorted(footnote_labels(zh)) != sorted(footnote_labels(en)):
        problems.append(f"footnote references differ: the Chinese refers to {', '.join(footnote_labels(zh)) or 'none'}, "
                        f"the English to {', '.join(footnote_labels(en)) or 'none'}")
    if not problems and sorted(zh_links) != sorted(en_links):
        problems.append(f"links differ: the Chinese links to {', '.join(zh_links) or 'nothing'}, "
                        f"the English to {', '.join(en_links) or 'nothing'}")
    for stray in ("**", "]("):
        if not problems and zh.count(stray) != en.count(stray):
            problems.append(f"stray {stray!r} (markup that is not bold or a link): {zh.count(stray)} in the Chinese, "
                            f"{en.count(stray)} in the English")
    return tuple(problems)


def _inline_marks(text: str) -> tuple[Counter, list[str]]:
    marks: Counter = Counter()
    links: list[str] = []
    for token in parser().parseInline(text):
        for child in token.children or ():
            marks[child.type] += 1
            if child.type == "link_open":
                links.append(str(child.attrs.get("href", "")))
    return marks, links
