"""The ``html`` and ``editorial`` rules: HTML remnants and editorial marks left in the text.

HTML remnants are tags (``<p>``, ``</p>``, ``<br/>``), tags that lost their ``<``
in a broken decoding (``/p>``) and character entities (``&nbsp;`` becomes a
space, ``&amp;`` an ampersand). Markdown autolinks (``<https://…>``) are not
tags. Editorial marks are reviewers' anchors such as ``[JJR1]`` or ``[a3]``: an
uppercase or lowercase code of letters and digits in square brackets that is not
a Markdown link.

An HTML ``<table>`` becomes a Markdown pipe table before the tags go (its cells would
otherwise fuse into one line of text): the first row is the header (whether or not it
has ``<th>``), a cell's inner tags are stripped, its entities decoded, its whitespace
collapsed and its ``|`` escaped. The conversion is conservative: a table nested in a
table, a cell spanning columns or rows, or a table of fewer than two rows or columns is
left to the tag stripping as before. The new table is held like a Markdown source's
(:func:`translate.corpus.structure.hold_span`). ``<script>`` and ``<style>`` elements go
whole: their content is code, not text. In a whole saved page (``<!DOCTYPE html>`` or
``<html>`` first) the ``<head>`` goes too, and a block-level tag (``</p>``, ``<br>``,
``</div>``, ``</h1>``…) becomes a line break, so that each block is a paragraph of its own
(an opening tag only where text stands before it on its line).

A file that *is* a web page (a saved page under any name: :func:`translate.corpus.sources.kind`)
no longer reaches this rule as HTML: :mod:`translate.corpus.webpage` converts it first, with a
main-content extractor. What is left here is HTML debris in scraped *text*, and pages whose
markup that converter left as text (a ``<p>`` written in prose).
"""

from __future__ import annotations

import html
import re

from translate.corpus.draft import Draft, Edit
from translate.corpus.spans import Spans

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(\s[^<>\n]*)?/?>")
_BROKEN_TAG = re.compile(r"(?<![<\w/])/(p|div|span|br|li|ul|ol|strong|em|b|i|a|h[1-6])>")
_ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,5});")
_DOCUMENT = re.compile(r"\A\s*(?:<!DOCTYPE\s+html|<html\b)", re.I)
_HEAD = re.compile(r"<!DOCTYPE[^<>]{0,200}>|<head\b[^<>]{0,500}>.{0,200000}?</head\s*>", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|section|article|header|footer|nav|aside|blockquote|br|hr|"
                        r"title|body|html|main|figure|figcaption|dl|dt|dd|pre)\b", re.I)
_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,500}>.{0,100000}?</\1\s*>", re.I | re.S)
_TABLE = re.compile(r"<table\b[^<>]{0,500}>(?P<body>.{0,1000000}?)</table\s*>", re.I | re.S)
_ROW = re.compile(r"<tr\b[^<>]{0,500}>", re.I)
_CELL = re.compile(r"<t([hd])\b(?P<attrs>[^<>]{0,500})>(?P<inner>.*?)(?=<t[hd]\b|</tr|$)", re.I | re.S)
_INNER_TAG = re.compile(r"<[^<>]{0,500}>")
#: A table wider or longer than this is left as it was (it is data, not an article's table).
TABLE_MAX_CELLS = 10_000
_MARK = re.compile(r" ?\[[A-Za-z]{1,5}\d{1,3}\](?![(\[:])")


def html_rule(draft: Draft) -> None:
    """Turn HTML tables into pipe tables; strip scripts, tags and tag debris; turn entities into characters."""
    _scripts(draft)
    _tables(draft)
    document = bool(_DOCUMENT.match(draft.text))
    edits = []
    tags = [(m.start(), m.end()) for m in _TAG.finditer(draft.text)]
    head: list[tuple[int, int]] = []
    if document:
        head = [(m.start(), m.end()) for m in _HEAD.finditer(draft.text)]
        edits += [Edit(a, b, "", "strip", "HTML page head") for a, b in head]
        heads = Spans(head)
        tags = [(a, b) for a, b in tags if not heads.overlaps(a, b)]
    # What the head's removal takes (its metas' entities, debris) is not edited again: edits may not overlap.
    taken = Spans(tags + head)
    debris = [(m.start(), m.end()) for m in _BROKEN_TAG.finditer(draft.text) if not taken.overlaps(m.start(), m.end())]
    for a, b in tags:
        block = document and _BLOCK_TAG.match(draft.text, a) and _breaks(draft.text, a, b)
        note = "HTML block tag → line break" if block else "HTML tag"
        edits.append(Edit(a, b, "\n" if block else "", "strip", note))
    edits += [Edit(a, b, "", "strip", "HTML tag debris") for a, b in debris]
    taken = Spans(tags + debris + head)
    for match in _ENTITY.finditer(draft.text):
        if taken.overlaps(match.start(), match.end()):
            continue
        char = html.unescape(match.group())
        edits.append(Edit(match.start(), match.end(), " " if char == "\xa0" else char, "replace", "HTML entity"))
    draft.apply("html", edits)


def text_of(line: str) -> str:
    """A line of a saved page without its tags (what a reader of the page sees of it)."""
    return _TAG.sub("", line) if "<" in line else line


def table_lines(text: str) -> set[int]:
    """The lines (0-based) that an HTML ``<table>`` element spans."""
    found: set[int] = set()
    if "<" not in text:
        return found
    for match in _TABLE.finditer(text):
        first = text.count("\n", 0, match.start())
        found.update(range(first, first + text.count("\n", match.start(), match.end()) + 1))
    return found


def _breaks(text: str, start: int, end: int) -> bool:
    """Does this block-level tag end a paragraph (a closing tag or ``<br>``), or open one after text on its line?"""
    if text[start + 1] == "/" or re.match(r"<(?:br|hr)\b", text[start:end], re.I):
        return True
    before = re.sub(r"<[^<>\n]*>|\s", "", text[text.rfind("\n", 0, start) + 1:start])
    return bool(before)


def _scripts(draft: Draft) -> None:
    """``<script>`` and ``<style>`` elements, content and all (only where the text has tags at all)."""
    if "<" not in draft.text:
        return
    draft.apply("html", [Edit(m.start(), m.end(), "", "strip", f"HTML {m.group(1).lower()} element")
                         for m in _SCRIPT.finditer(draft.text)])


def pipe_table(body: str) -> str | None:
    """The pipe table of an HTML table's inner HTML, or None when it is not a plain grid."""
    if re.search(r"<table\b", body, re.I):
        return None
    rows = []
    for piece in _ROW.split(body)[1:]:
        cells = []
        for cell in _CELL.finditer(piece):
            if re.search(r"\b(?:col|row)span\s*=\s*[\"']?(?:[2-9]|\d{2,})", cell["attrs"], re.I):
                return None
            text = html.unescape(_INNER_TAG.sub(" ", cell["inner"]))
            text = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
            cells.append(text.replace("\\", "\\\\").replace("|", "\\|"))
        if cells:
            rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    if len(rows) < 2 or width < 2 or len(rows) * width > TABLE_MAX_CELLS:
        return None
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _tables(draft: Draft) -> None:
    """Each plain HTML table → a pipe table, set off by blank lines and held against the structure rules."""
    from translate.corpus.structure import hold_span

    if "<" not in draft.text:
        return
    edits, spans, shift = [], [], 0
    for match in _TABLE.finditer(draft.text):
        table = pipe_table(match.group("body"))
        inside = draft.region is not None and draft.region[match.start()]  # a Markdown construct's raw HTML
        if table is None or inside:
            continue
        new = "\n\n" + table + "\n\n"
        edits.append(Edit(match.start(), match.end(), new, "restructure", "HTML table → pipe table"))
        spans.append((match.start() + shift + 2, match.start() + shift + 2 + len(table)))
        shift += len(new) - (match.end() - match.start())
    if draft.apply("html", edits) == len(edits):
        for start, end in spans:
            hold_span(draft, start, end)


def editorial_rule(draft: Draft) -> None:
    """Strip editors' comment anchors such as ``[JJR1]``."""
    edits = [Edit(m.start(), m.end(), "", "strip", "editorial mark") for m in _MARK.finditer(draft.text)]
    draft.apply("editorial", edits)
