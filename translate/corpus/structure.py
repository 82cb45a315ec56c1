"""The ``structure`` rule: a Markdown source is parsed, not guessed, and its constructs are held.

A source that is Markdown (a ``.md`` file, or text that :func:`translate.corpus.layout.is_markdown`
recognises) is parsed with markdown-it-py and mdit-py-plugins — the parser the loader
(:mod:`translate.corpus.article`) reads cleaned articles with, plus front matter. Each construct
the later rules must not join, re-level or flatten is held on the draft
(:meth:`translate.corpus.draft.Draft.hold`), one region per top-level construct:

* code (fenced or indented), thematic breaks and front matter: every character locked, no rule runs;
* tables: the repair rules (mojibake, html, editorial, pinyin, punctuation, whitespace) run on
  the cells' text; the pipes and the delimiter row (``|:--|--:|``) are locked;
* footnote definitions: repaired like text; ``[^1]:`` is locked (its colon stays ASCII);
* lists and block quotes: repaired like text, and the ``lists`` rule may still normalise a
  top-level item's marker; the indentation and the markers of nested items, continuation lines
  and quoted lines are locked, so nesting survives.

Footnote references (``[^1]``) are locked wherever they are. The structure rules (headings,
wraps, paragraphs, speakers, images, bylines) never edit inside a region, nor join a line into
or out of one; what they would have done there is logged as kept. Lists and quotes nested
deeper than :data:`MAX_DEPTH` are refused with the line where the nesting goes too deep: the
parser stops reading there, and what it stops reading would be lost.
"""

from __future__ import annotations

import re

from translate.corpus.article import markdown_parser, nesting_limit
from translate.corpus.draft import Draft
from translate.markup import FOOTNOTE_LABEL
from translate.errors import CorpusError

#: The rules that repair text and may run inside tables, footnotes, lists and quotes.
REPAIR = frozenset({"mojibake", "html", "editorial", "pinyin", "punctuation", "whitespace"})
#: Which rules may edit each kind of construct (beyond locked characters, which none may).
ALLOWED = {
    "table": REPAIR,
    "footnote": REPAIR,
    "quote": REPAIR,
    "list": REPAIR | {"lists"},
    "code": frozenset(),
    "rule": frozenset(),
    "front_matter": frozenset(),
}
#: Lists and quotes nested deeper than this are refused (markdown-it stops reading at 20 token levels).
MAX_DEPTH = 8
#: A container's marks at the start of a line: indentation, ``>``, list markers, a task box.
PREFIX = re.compile(r"^(?:[ \t]*(?:>[ \t]?|(?:[*+-]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?(?=[ \t]|$)))*[ \t]*")
#: A footnote definition's label at the start of a line (``[^1]: ``).
FOOTNOTE_DEFINITION = re.compile(rf"^[ \t]{{0,3}}\[\^(?P<label>{FOOTNOTE_LABEL})\]:[ \t]*")
#: A footnote reference (``[^1]``), not a definition.
FOOTNOTE_REF = re.compile(rf"\[\^{FOOTNOTE_LABEL}\](?!:)")
#: A table's cell separator (``\|`` is a pipe inside a cell).
PIPE = re.compile(r"(?<!\\)\|")
_PIPE_SPACED = re.compile(r"[ \t]*(?<!\\)\|[ \t]*")

_KINDS = {
    "table_open": "table",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "fence": "code",
    "code_block": "code",
    "hr": "rule",
    "front_matter": "front_matter",
}


def parser():
    """markdown-it as the loader configures it (:func:`translate.corpus.article.markdown_parser`), plus front matter."""
    return markdown_parser(front_matter=True)


def constructs(text: str, filename: str = "") -> list[tuple[str, int, int, list]]:
    """The top-level constructs of ``text``: (kind, first line, end line, their tokens), lines 0-based.

    :class:`CorpusError` names the line where lists or quotes nest deeper than :data:`MAX_DEPTH`.
    """
    tokens = parser().parse(text)
    limit = nesting_limit()
    found: list[list] = []
    current: list | None = None
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0]
        if token.level >= limit:
            raise CorpusError(f"lists or block quotes nested more than {MAX_DEPTH} levels deep; flatten them "
                              "(deeper levels cannot be read)", path=filename, line=line + 1)
        if token.type in ("footnote_open", "footnote_close"):
            current = ["footnote", None, None, [token]] if token.type == "footnote_open" else None
            if current:
                found.append(current)
        elif current is not None and current[0] == "footnote":
            current[3].append(token)
            if token.map:
                current[1] = token.map[0] if current[1] is None else min(current[1], token.map[0])
                current[2] = token.map[1] if current[2] is None else max(current[2], token.map[1])
        elif token.level == 0:
            current = [_KINDS[token.type], token.map[0], token.map[1], [token]] \
                if token.type in _KINDS and token.map else None
            if current:
                found.append(current)
        elif current is not None:
            current[3].append(token)
    return [tuple(c) for c in found if c[1] is not None]


def construct_lines(text: str, filename: str = "") -> set[int]:
    """The lines (0-based) of ``text`` that belong to a table, list, quote, footnote, code block or break."""
    found: set[int] = set()
    for _, first, end, _ in constructs(text, filename):
        found.update(range(first, end))
    return found


def rule(draft: Draft) -> None:
    """Parse a Markdown source and hold its tables, footnotes, lists, quotes and code against the structure rules."""
    if not draft.facts.get("markdown"):
        return
    hold_span(draft, 0, len(draft.text))
    draft.lock([(m.start(), m.end()) for m in FOOTNOTE_REF.finditer(draft.text)])


def hold_span(draft: Draft, start: int, end: int) -> None:
    """Hold the constructs of ``draft.text[start:end]`` (whole lines: the whole text, or a table a rule wrote)."""
    lines = draft.lines()
    base = draft.text.count("\n", 0, start)
    for kind, first, stop, tokens in constructs(draft.text[start:end], draft.filename):
        first, stop = first + base, min(stop + base, len(lines))
        while stop > first + 1 and not lines[stop - 1][2].strip():
            stop -= 1
        locked = list(_locks(kind, first, stop, tokens, lines, base))
        draft.hold(lines[first][0], lines[stop - 1][1], ALLOWED[kind], locked)


def _locks(kind: str, first: int, end: int, tokens: list, lines, base: int):
    """The spans of the construct's lines that no rule may change (token lines are ``base`` lines off)."""
    code_lines: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block", "hr", "front_matter") and token.map:
            code_lines.update(range(token.map[0] + base, min(token.map[1] + base, len(lines))))
    if kind in ("code", "rule", "front_matter"):
        code_lines.update(range(first, end))
    tables = [(t.map[0] + base, t.map[1] + base) for t in tokens if t.type == "table_open" and t.map]
    delimiters = {a + 1 for a, _ in tables}
    top_items = {t.map[0] + base for t in tokens if t.type == "list_item_open" and t.level == 1 and t.map} \
        if kind == "list" else set()
    for index in range(first, end):
        start, stop, line = lines[index]
        if index in code_lines or index in delimiters:
            yield start, stop
            continue
        label = FOOTNOTE_DEFINITION.match(line) if kind == "footnote" and index == first else None
        if label:
            yield start, start + label.end()
        elif index not in top_items:
            prefix = PREFIX.match(line)
            if prefix and prefix.end():
                yield start, start + prefix.end()
        if "|" in line and any(a <= index < b for a, b in tables):
            for pipe in _PIPE_SPACED.finditer(line):
                yield start + pipe.start(), start + pipe.end()


__all__ = ["ALLOWED", "FOOTNOTE_DEFINITION", "FOOTNOTE_REF", "MAX_DEPTH", "PIPE", "REPAIR", "construct_lines",
           "constructs", "hold_span", "parser", "rule"]
