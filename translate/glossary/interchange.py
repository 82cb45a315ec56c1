"""Export the termbase (CSV, TSV, TBX) and import one, merging without overwriting anyone.

An import compares each incoming entry with the entry of the same term:

- *added*: the term is new (and none of its forms belongs to another entry);
- *changed*: only cells that were empty get filled, or new variants or alternates get added;
- *conflicting*: a cell would change from one non-empty value to another (a
  different target, note, kind, keep, case or pos), or a form belongs to another
  entry. Conflicts are reported with both files and lines and left alone,
  unless ``overwrite`` is given (then the incoming values win).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from translate.errors import GlossaryError
from translate.formats import format_for_name, format_named, formats
from translate.glossary.checks import file_errors
from translate.glossary.matcher import source_forms
from translate.glossary.termbase import empty_termbase, term_to_cells
from translate.glossary.termedits import open_termbase, refuse_missing_columns, replace_line
from translate.glossary.traditional import traditional_forms
from translate.inputs import quoted
from translate.models import Term
from translate.outputs import file_lock, write_atomic

Format = Literal["csv", "tsv", "tbx"]
FORMATS: tuple[str, ...] = tuple(f.name for f in formats("terms", writes="terms"))
"""Formats of ``export`` and ``import``: the format registry's for glossary entries."""

_COMPARED = ("en", "note", "kind", "keep", "case", "pos")


def export_glossary(path: Path, fmt: Format) -> str:
    """The termbase at ``path`` as CSV, TSV or TBX text (entries as typed, in file order)."""
    _, terms = file_errors(path)
    chosen = format_named(fmt, "terms")
    if chosen is None:
        raise GlossaryError(f"unknown format '{fmt}' (use one of: {', '.join(FORMATS)})")
    return chosen.store().write(terms)


def read_entries(source: Path) -> list[Term]:
    """The entries of a CSV, TSV or TBX file (by extension: :func:`translate.formats.format_for_name`), checked
    like a termbase; lines kept."""
    source = Path(source)
    chosen = format_for_name(source, "terms")
    if chosen is None:
        raise GlossaryError("cannot tell the format from the extension; name it .csv, .tsv or .tbx", path=source)
    return chosen.store().read(source)


@dataclass(frozen=True, slots=True)
class Change:
    """An entry the import completed."""

    term: Term
    """The entry after the merge (``line`` in the glossary)."""
    what: tuple[str, ...]
    """What changed, e.g. ``note filled in`` or ``variants + 瀾舟``."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """An incoming value that differs from the glossary's, left alone unless overwriting."""

    zh: str
    """The entry's term."""
    field: str
    """Which cell (``en``, ``note``, …) or ``source form``."""
    ours: str
    """The glossary's value."""
    theirs: str
    """The imported value."""
    line: int
    """Line of the entry in the glossary."""
    source_line: int
    """Line of the entry in the imported file."""
    overwritten: bool = False
    """True when ``overwrite`` let the import's value win."""


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What an import did (or, in a dry run, would do)."""

    glossary: Path
    """The termbase merged into."""
    source: Path
    """The imported file."""
    added: tuple[Term, ...]
    """New entries, with their new lines."""
    changed: tuple[Change, ...]
    """Entries completed by the import."""
    conflicts: tuple[Conflict, ...]
    """Differences left alone (or overwritten)."""
    unchanged: int
    """Incoming entries already in the glossary as they are."""
    written: bool
    """False for a dry run or when there was nothing to write."""


def import_glossary(path: Path, source: Path, *, overwrite: bool = False, dry_run: bool = False) -> MergeReport:
    """Merge the entries of ``source`` (CSV, TSV or TBX) into the termbase at ``path``.

    Unless ``dry_run``, the termbase is read and written back under its write
    lock, so an edit made meanwhile is merged with, not lost.
    """
    path, source = Path(path), Path(source)
    incoming = read_entries(source)
    if dry_run:
        return _merge_into(path, incoming, source, overwrite=overwrite, dry_run=True)
    with file_lock(path):
        return _merge_into(path, incoming, source, overwrite=overwrite, dry_run=False)


def _merge_into(path: Path, incoming: list[Term], source: Path, *, overwrite: bool, dry_run: bool) -> MergeReport:
    if path.exists() or not dry_run:
        termbase = open_termbase(path, create=True)
        _, current = file_errors(path)
    else:
        termbase, current = empty_termbase(path), []
    lines = list(termbase.lines)
    entries = _Entries(current)
    added: list[Term] = []
    changed: list[Change] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    for theirs in incoming:
        theirs = _without_derived(theirs)
        ours = entries.entry(theirs.zh)
        if ours is None:
            clash = next(((form, owner) for form in source_forms(theirs)
                          for owner in (entries.owner(form),) if owner is not None), None)
            if clash is not None:
                form, owner = clash
                conflicts.append(Conflict(theirs.zh, "source form", owner.zh, form, owner.line, theirs.line))
                continue
            refuse_missing_columns(termbase, theirs)
            line = len(lines) + 1
            if not lines[-1].endswith(("\n", "\r")):
                lines[-1] += termbase.newline
            lines.append(termbase.format_row(term_to_cells(theirs)))
            new = replace(theirs, line=line)
            entries.add(new)
            added.append(new)
            continue
        merged, what, differences = _merge(ours, theirs, entries, overwrite)
        conflicts += differences
        if merged != ours:
            replace_line(termbase, lines, merged)
            entries.replace(merged)
            changed.append(Change(merged, tuple(what)))
        elif not differences:
            unchanged += 1
    written = bool(added or changed) and not dry_run
    if written:
        write_atomic(path, termbase.render(lines))
    return MergeReport(path, source, tuple(added), tuple(changed), tuple(conflicts), unchanged, written)


class _Entries:
    """The termbase's entries during a merge, found by term and by source form without scanning them.

    (An import compares every incoming entry with the termbase and with the entries added before
    it: scanning the list each time made a TBX of 8,000 entries take two minutes.)
    """

    def __init__(self, terms: list[Term]):
        self._terms: list[Term] = []
        self._by_zh: dict[str, int] = {}  # term → position of its first entry
        self._by_form: dict[str, list[int]] = {}  # case-folded source form → positions of the entries with it
        for term in terms:
            self.add(term)

    def entry(self, zh: str) -> Term | None:
        """The first entry whose term is ``zh``."""
        position = self._by_zh.get(zh)
        return None if position is None else self._terms[position]

    def owner(self, form: str, *, besides: str = "") -> Term | None:
        """The first entry (other than the one of term ``besides``) that claims ``form``, case-insensitively
        (as :func:`~translate.glossary.termedits.owner_of`)."""
        for position in self._by_form.get(form.casefold(), ()):
            if self._terms[position].zh != besides:
                return self._terms[position]
        return None

    def add(self, term: Term) -> None:
        """A new entry, after the others."""
        self._terms.append(term)
        self._index(len(self._terms) - 1, term)

    def replace(self, term: Term) -> None:
        """The first entry of ``term.zh``, changed (an import only ever adds forms to it)."""
        position = self._by_zh[term.zh]
        self._terms[position] = term
        self._index(position, term)

    def _index(self, position: int, term: Term) -> None:
        self._by_zh.setdefault(term.zh, position)
        for form in source_forms(term):
            positions = self._by_form.setdefault(form.casefold(), [])
            if position not in positions:
                bisect.insort(positions, position)


def _without_derived(term: Term) -> Term:
    """``term`` without variants that OpenCC derives anyway (a TBX often lists Traditional forms)."""
    derived = {t for form in (term.zh, *term.variants) for t in traditional_forms(form)}
    typed = tuple(v for v in term.variants if v not in derived)
    return term if typed == term.variants else replace(term, variants=typed)


def _merge(ours: Term, theirs: Term, entries: _Entries, overwrite: bool) -> tuple[Term, list[str], list[Conflict]]:
    values: dict = {}
    what: list[str] = []
    conflicts: list[Conflict] = []
    our_cells, their_cells = term_to_cells(ours), term_to_cells(theirs)
    for field in _COMPARED:
        mine, other = our_cells[field].strip(), their_cells[field].strip()
        if mine == other or not other:
            continue
        if not mine:
            values[field] = getattr(theirs, field)
            what.append(f"{field} filled in")
            continue
        conflicts.append(Conflict(ours.zh, field, mine, other, ours.line, theirs.line, overwritten=overwrite))
        if overwrite:
            values[field] = getattr(theirs, field)
            what.append(f"{field} {quoted(mine)} → {quoted(other)}")
    new_forms = []
    derived = {t for form in source_forms(ours) for t in traditional_forms(form)}
    for form in theirs.variants:
        if form in source_forms(ours) or form in new_forms or form in derived:
            continue
        owner = entries.owner(form, besides=ours.zh)
        if owner is not None:
            conflicts.append(Conflict(ours.zh, "source form", owner.zh, form, owner.line, theirs.line))
        else:
            new_forms.append(form)
    if new_forms:
        values["variants"] = ours.variants + tuple(new_forms)
        what.append("variants + " + ", ".join(new_forms))
    target = values.get("en", ours.en)
    new_alternates = [a for a in dict.fromkeys(theirs.alternates) if a not in ours.alternates and a != target]
    if new_alternates:
        values["alternates"] = ours.alternates + tuple(new_alternates)
        what.append("alternates + " + ", ".join(new_alternates))
    return (replace(ours, **values) if values else ours), what, conflicts
