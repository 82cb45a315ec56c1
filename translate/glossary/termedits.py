"""Editing the termbase in place: one entry added or removed is a one-line diff.

Edits work on the file's lines, not through a CSV writer: untouched lines keep
their bytes (quoting, spacing, line endings), the BOM stays, and a new entry is
written in the file's own column order, delimiter and line ending.

Every edit holds the folder's write lock (:func:`~translate.outputs.file_lock`)
from reading the file to writing it back, so edits made at the same moment
(two terminals, a script, ``serve``) queue instead of losing each other.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from translate.errors import GlossaryError
from translate.glossary.checks import FORMULA_STARTS, read_termbase_file, term_problems
from translate.glossary.matcher import source_forms
from translate.glossary.termbase import (
    TermbaseFile,
    delimiter_for,
    new_file_text,
    row_to_term,
    term_to_cells,
    terms_of,
)
from translate.inputs import control_characters, describe_control, excerpt, quoted
from translate.models import Term
from translate.outputs import file_lock, write_atomic


def validate_entry(term: Term, path: Path, line: int | None = None) -> None:
    """Raise :class:`GlossaryError` when ``term`` cannot go into a termbase as it is."""
    for problem in term_problems(term):  # first: the messages below quote the term, which may be 10,000 characters
        raise GlossaryError(problem, path=path, line=line)
    if not term.zh.strip():
        raise GlossaryError("empty source: the Chinese term is empty", path=path, line=line)
    if not term.en.strip():
        raise GlossaryError(f"empty target for {quoted(term.zh)}: give the English (for a term kept as is, repeat it)",
                            path=path, line=line)
    for name, cell in term_to_cells(term).items():
        if cell.startswith(FORMULA_STARTS):
            raise GlossaryError(
                f"{name} {quoted(cell)} would run as a spreadsheet formula (it starts with {quoted(cell[0])}); "
                "reword it so that it starts with another character", path=path, line=line)
        if "\n" in cell or "\r" in cell:
            raise GlossaryError(f"{name} of {quoted(term.zh)} contains a line break; cells are one line each",
                                path=path, line=line)
        found = control_characters(cell.replace("\t", " "))
        if found:
            raise GlossaryError(f"{name} contains the control character {describe_control(found[0][1])}, which a "
                                "terminal would obey; delete it", path=path, line=line)
    if any("|" in form for form in (term.zh, *term.variants)):
        raise GlossaryError(f"'|' separates variants and cannot be part of a source form ({quoted(term.zh)})",
                            path=path, line=line)


def open_termbase(path: Path, *, create: bool = False) -> TermbaseFile:
    """Read the termbase for editing; stop at a damaged header. With ``create``, start a new file.

    A caller that writes the file back holds :func:`~translate.outputs.file_lock` around both.
    """
    path = Path(path)
    if create and not path.exists() and not path.is_symlink():
        write_atomic(path, new_file_text(delimiter_for(path)))
    termbase = read_termbase_file(path)
    if not termbase.header_ok:
        first = next(p for p in termbase.problems if p.line == 1)
        raise first.to_error()
    return termbase


def entries(path: Path, grep: str | None = None) -> list[Term]:
    """The termbase's entries as typed (no derived forms), optionally only those containing ``grep``.

    ``grep`` is a case-insensitive substring of the term, a variant, the target, an alternate, the kind or the note.
    """
    termbase = open_termbase(path)
    terms = terms_of(termbase)
    if grep:
        needle = grep.casefold()
        terms = [t for t in terms
                 if any(needle in text.casefold() for text in (t.zh, *t.variants, t.en, *t.alternates, t.kind, t.note))]
    return terms


def owner_of(form: str, terms: list[Term]) -> Term | None:
    """The entry that already claims ``form`` as its term or a variant (case-insensitively)."""
    folded = form.casefold()
    for term in terms:
        if any(f.casefold() == folded for f in source_forms(term)):
            return term
    return None


def add_term(path: Path, term: Term) -> Term:
    """Append ``term`` as the last line of the termbase (created if missing); return it with its line.

    Refuses a term or variant that an entry already has: an edit never changes another entry.
    """
    path = Path(path)
    with file_lock(path):
        termbase = open_termbase(path, create=True)
        line = len(termbase.lines) + 1
        validate_entry(term, path, line)
        refuse_missing_columns(termbase, term)
        existing = terms_of(termbase)
        for form in source_forms(term):
            other = owner_of(form, existing)
            if other is not None:
                what = ("is already an entry" if form.casefold() == other.zh.casefold()
                        else f"is already a source form of {quoted(other.zh)}")
                raise GlossaryError(
                    f"{quoted(form)} {what} (→ {excerpt(other.en)}); edit that line, or remove it first with "
                    f"`bitext glossary remove {other.zh}`", path=path, line=other.line)
        lines = list(termbase.lines)
        if not lines[-1].endswith(("\n", "\r")):
            lines[-1] += termbase.newline
        lines.append(termbase.format_row(term_to_cells(term)))
        write_atomic(path, termbase.render(lines))
    return replace(term, line=line)


def remove_term(path: Path, zh: str) -> list[Term]:
    """Delete the line (or duplicate lines) whose term is ``zh``; return what was removed."""
    path = Path(path)
    zh = zh.strip()
    with file_lock(path):
        termbase = open_termbase(path)
        doomed = [row for row in termbase.rows if row.cells.get("zh", "").strip() == zh]
        if not doomed:
            terms = terms_of(termbase)
            other = owner_of(zh, terms)
            if other is not None:
                raise GlossaryError(
                    f"{quoted(zh)} is not an entry but a source form of {quoted(other.zh)}; remove {quoted(other.zh)} "
                    "or edit its variants", path=path, line=other.line)
            raise GlossaryError(f"{quoted(zh)} is not in the glossary; see `bitext glossary list --grep {excerpt(zh)}`", path=path)
        numbers = {row.line for row in doomed}
        lines = [line for number, line in enumerate(termbase.lines, start=1) if number not in numbers]
        write_atomic(path, termbase.render(lines))
    return [row_to_term(row) for row in doomed]


def refuse_missing_columns(termbase: TermbaseFile, term: Term) -> None:
    """Raise :class:`GlossaryError` when ``term`` has an ``alternates`` or ``pos`` the file has no column for.

    A termbase from before those columns loads as it is and is never rewritten for lacking them; writing
    such a term into it would silently drop the value, so the user adds the columns (or leaves the value out).
    """
    missing = termbase.lacks(term)
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        raise GlossaryError(
            f"the entry {quoted(term.zh)} has {names} but the termbase has no such column; add {names} at the end "
            f"of the header and one more empty cell to every line, or leave {names} out", path=termbase.path, line=1)


def replace_line(termbase: TermbaseFile, lines: list[str], term: Term) -> None:
    """Rewrite the line of ``term.line`` in ``lines`` with the term's cells, keeping its line ending."""
    refuse_missing_columns(termbase, term)
    old = lines[term.line - 1]
    ending = old[len(old.rstrip("\r\n")):]
    lines[term.line - 1] = termbase.format_row(term_to_cells(term)).rstrip("\r\n") + ending
