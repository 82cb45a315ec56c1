"""What ``bitext corpus check`` warns about in an article's Markdown: constructs that read otherwise than written.

* a table row with more or fewer cells than its header (the parser drops the extra cells and
  leaves the missing ones empty: text would be lost or misplaced without a word);
* a footnote reference without a definition (it stays literal text) and a definition that
  nothing refers to (the parser leaves it out: its text would be lost);
* a line that looks like a table row (``| a | b |``) but is read as a paragraph's text (a table
  needs a header row and a delimiter row such as ``|---|---|``);
* a code fence that is never closed (everything after it is code, never translated);
* lists or quotes nested deeper than the parser reads (the cleaner refuses such a source; an
  article edited by hand may still have them, and what is too deep would be lost).

The article is parsed as the loader parses it (:func:`translate.corpus.structure.parser`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.corpus.structure import FOOTNOTE_DEFINITION, FOOTNOTE_REF, PIPE, constructs, parser
from translate.errors import CorpusError

_ROW = re.compile(r"^\s*\|.*\|\s*$")
_FENCE_CLOSE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing an article's Markdown does that its writer probably did not mean."""

    line: int
    """Line of the article file."""
    message: str
    """What is wrong and how to fix it."""


def cells(row: str) -> int:
    """The number of cells of a pipe-table row (``\\|`` is a pipe inside a cell)."""
    parts = PIPE.split(row.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip() and row.rstrip().endswith("|") and not row.rstrip().endswith("\\|"):
        parts = parts[:-1]
    return len(parts)


def problems(body: str, first_line: int = 1) -> list[Problem]:
    """The warnings for an article body whose first line is line ``first_line`` of its file."""
    lines = body.split("\n")
    tokens = parser().parse(body)
    found: list[Problem] = []
    try:
        constructs(body)
    except CorpusError as exc:
        found.append(Problem(first_line - 1 + (exc.line or 1), f"{exc.message}; what is deeper is lost"))
    referenced: set[str] = set()
    definitions = _definition_lines(lines)
    line = 0
    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0]
        if token.type == "table_open" and token.map:
            found += _ragged(lines, token.map, first_line)
        elif token.type == "fence" and token.map and _unclosed(lines, token):
            found.append(Problem(first_line + token.map[0], "this code fence is never closed: everything after "
                                  "it is read as code and never translated; close it with a line of "
                                  f"{token.markup}"))
        elif token.type == "inline":
            opener = tokens[index - 1] if index else None
            for child in token.children or []:
                if child.type == "footnote_ref":
                    referenced.add(str(child.meta.get("label", "")))
                elif child.type == "text":
                    for ref in FOOTNOTE_REF.finditer(child.content):
                        found.append(Problem(first_line + line, f"footnote reference {ref.group()} has no "
                                              f"definition; add a line '{ref.group()}: …' at the end"))
            if opener is not None and opener.type == "paragraph_open" and token.map:
                for offset, text in enumerate(token.content.split("\n")):
                    if _ROW.match(text) and cells(text) >= 2:
                        found.append(Problem(first_line + token.map[0] + offset,
                                              "this line looks like a table row but is read as text; a table "
                                              "needs a header row, then a delimiter row such as |---|---|, "
                                              "and a blank line before it"))
    code = {n for t in tokens if t.type in ("fence", "code_block") and t.map for n in range(*t.map)}
    for label, at in definitions.items():
        if label not in referenced and at not in code:
            found.append(Problem(first_line + at, f"footnote [^{label}] is never referred to, so it is left out; "
                                 f"add [^{label}] where it belongs, or delete the note"))
    return sorted(found, key=lambda w: w.line)


def _ragged(lines: list[str], span: list[int], first_line: int) -> list[Problem]:
    header = cells(lines[span[0]])
    found = []
    for number in range(span[0] + 2, min(span[1], len(lines))):
        count = cells(lines[number])
        if count != header and lines[number].strip():
            effect = "the extra cells are dropped" if count > header else "the missing cells are left empty"
            found.append(Problem(first_line + number, f"table row has {count} cells, its header {header}: "
                                  f"{effect}; make every row as wide as the header"))
    return found


def _unclosed(lines: list[str], token) -> bool:
    last = token.map[1] - 1
    closing = _FENCE_CLOSE.match(lines[last]) if last > token.map[0] and last < len(lines) else None
    return not (closing and closing.group(1)[0] == token.markup[0] and len(closing.group(1)) >= len(token.markup))


def _definition_lines(lines: list[str]) -> dict[str, int]:
    """Footnote label → the line (0-based) of its definition."""
    found: dict[str, int] = {}
    for number, text in enumerate(lines):
        match = FOOTNOTE_DEFINITION.match(text)
        if match:
            found.setdefault(match.group("label"), number)
    return found


__all__ = ["Problem", "cells", "problems"]
