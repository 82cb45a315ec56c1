"""Proofing a translator's English before it is used: glossary, leftover Chinese, inline Markdown.

The glossary check is the same honour rule the build applies (:func:`proof_terms`);
the rest catches slips a build would only flag: Chinese left in the English,
emphasis or links unbalanced against the Chinese, straight quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from translate.glossary.honour import GlossaryLike, proof_terms
from translate.markup import markup_problems
from translate.postedit.store import Edit, read_store

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one edited entry."""

    segment: str
    """Segment id."""
    line: int
    """Line of the entry in its file."""
    kind: str
    """``term``, ``chinese``, ``markup`` or ``quotes``."""
    detail: str
    """What is wrong, for the translator."""


def proof_edit(edit: Edit, glossary: GlossaryLike, slug: str = "") -> list[Problem]:
    """Every problem of one entry's English (none for an entry without English)."""
    if not edit.en.strip():
        return []
    problems = []
    _, violations = proof_terms(slug, edit.id.split(".")[0], edit.id, edit.zh, edit.en, glossary)
    for violation in violations:
        problems.append(Problem(edit.id, edit.line, "term", f"{violation.term} must come out as {violation.expected!r}"))
    leftover = "".join(_CJK.findall(edit.en))
    if leftover:
        problems.append(Problem(edit.id, edit.line, "chinese", f"Chinese left in the English: {leftover[:20]}"))
    for detail in markup_problems(edit.zh, edit.en):
        problems.append(Problem(edit.id, edit.line, "markup", detail))
    if '"' in edit.en.replace('\\"', "") or re.search(r"(?<![A-Za-z])'|'(?![A-Za-z])", edit.en):
        problems.append(Problem(edit.id, edit.line, "quotes", "straight quotes; use curly ones (“ ” ‘ ’)"))
    if re.search(r"\s[”’]|[“‘]\s", edit.en):
        problems.append(Problem(edit.id, edit.line, "quotes", "a space inside a quotation mark"))
    return problems


def proof_store(path: Path, glossary: GlossaryLike) -> list[Problem]:
    """Every problem of every translated entry of a PO store."""
    slug = Path(path).name.split(".")[0]
    return [p for edit in read_store(path) if not edit.obsolete for p in proof_edit(edit, glossary, slug)]


def format_problems(path: Path, problems: Iterable[Problem]) -> list[str]:
    """One line per problem: ``file:line: segment: detail``."""
    return [f"{path}:{p.line}: {p.segment}: {p.detail}" for p in problems]
