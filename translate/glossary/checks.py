"""``bitext glossary check``: an ordered list of named rules over the termbase file.

Each rule takes the file (and the entries of its well-formed rows) and yields
diagnostics. Errors make the glossary unusable (:meth:`Glossary.load` stops at
the first, and runs only the rules that can find one); warnings are worth a
translator's look, and are counted by kind (:class:`Findings`).

Every rule takes time near-linear in the number of entries: a termbase of
50,000 entries is checked in seconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from translate.errors import GlossaryError
from translate.glossary.diagnostics import Diagnostic, error, warning
from translate.glossary.matcher import Matcher, cuts_word, source_forms
from translate.glossary.termbase import (CASE_RULES, POS_VALUES, REQUIRED_COLUMNS, Row, TermbaseFile, read_termbase,
                                        row_to_term, terms_of)
from translate.glossary.traditional import traditional_forms, with_traditional
from translate.inputs import check_regular_file, control_characters, describe_control, quoted
from translate.models import Term

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these would run as a formula when the file is opened in a spreadsheet.

A leading ``-`` is refused even before a letter: Excel and LibreOffice both try
to evaluate ``-abc`` (and show ``#NAME?``), so no exception would be safe.
"""


MAX_SOURCE_CHARS = 100
"""Longest term or variant, in characters. The shipped termbase's longest has 22; a longer one is a
sentence in the wrong cell, and would only cost every build (the matcher, the nested-term check)."""

MAX_TARGET_CHARS = 200
"""Longest target (``en``), in characters (the shipped longest has 58)."""

MAX_ALTERNATES = 24
"""Most alternates an entry has (the shipped most has 13, 落地's): each is tried wherever the term occurs."""

MAX_CELL_CHARS = {"kind": 100, "note": 2000}
"""Longest ``kind`` and ``note`` (a note is shown beside every occurrence of its term)."""

INVISIBLE_CHARACTERS = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]")
"""Characters nobody sees: every format character (Unicode category Cf: zero-width spaces and joiners,
bidirectional marks, overrides and isolates, the BOM, soft hyphens), line and paragraph separators, variation
selectors and the blank letters (Hangul fillers, the blank Braille pattern). A source form with one never
matches the text a reader sees, and a target with one is honoured by English nobody can read."""

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def term_problems(term: Term) -> Iterator[str]:
    """What makes an entry unusable whatever the rest of the termbase says: a source form or target too long,
    with an invisible character, or without a letter or digit (only spaces, punctuation, symbols).

    Empty cells are not reported here (the ``empty_cells`` rule says so); every way an entry arrives
    (the termbase file, ``glossary add``, ``glossary import``) runs this.
    """
    texts = [("the term ('zh')", term.zh, MAX_SOURCE_CHARS, "a term or variant"),
             *(("a variant", form, MAX_SOURCE_CHARS, "a term or variant") for form in term.variants),
             ("the target ('en')", term.en, MAX_TARGET_CHARS, "a target"),
             *(("an alternate", form, MAX_TARGET_CHARS, "a target") for form in term.alternates)]
    for what, text, limit, kind in texts:
        if not text:
            continue
        if len(text) > limit:
            yield (f"{what} is {len(text):,} characters long; {kind} has at most {limit}; shorten it "
                   "(a sentence in the wrong cell?)")
            continue
        invisible = INVISIBLE_CHARACTERS.search(text)
        if invisible:
            char = invisible.group()
            yield (f"{what} contains the invisible character U+{ord(char):04X} "
                   f"({unicodedata.name(char, 'unnamed')}), which no reader sees; delete it")
        elif not _LETTER_OR_DIGIT.search(text):
            yield f"{what} has no letter or digit (only spaces, punctuation or symbols); write the words"
    if len(term.alternates) > MAX_ALTERNATES:
        yield (f"{len(term.alternates):,} alternates; an entry has at most {MAX_ALTERNATES}; keep the forms a "
               "translator needs")
    for name, limit in MAX_CELL_CHARS.items():
        value = getattr(term, name)
        if len(value) > limit:
            yield f"the '{name}' is {len(value):,} characters long; a {name} has at most {limit:,}; shorten it"


def _refused_entries(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    for row in file.rows:
        if row.cells.get("zh", "").strip():
            for problem in term_problems(row_to_term(row)):
                yield error(file.path, row.line, problem)


def _control_characters(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    for row in file.rows:
        for name in file.header:
            found = control_characters(row.cells.get(name, "").replace("\t", " "))
            if found:
                yield error(file.path, row.line, (
                    f"{quoted(name)} contains the control character {describe_control(found[0][1])}, which a terminal "
                    "would obey; delete it"))


def _formula_cells(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    for row in file.rows:
        for name in file.header:
            cell = row.cells.get(name, "")
            if cell.startswith(FORMULA_STARTS):
                shown = repr(cell[0])[1:-1]
                yield error(file.path, row.line, (
                    f"cell would run as a spreadsheet formula: {quoted(name)} starts with {quoted(shown)}; "
                    "reword it so that it starts with another character"))


def _empty_cells(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    for row in file.rows:
        if not row.cells.get("zh", "").strip():
            yield error(file.path, row.line, "empty source: the 'zh' cell is empty; fill in the Chinese term or delete the line")
        elif not row.cells.get("en", "").strip():
            yield error(file.path, row.line, (
                "empty target: the 'en' cell is empty; fill in the English (for a term kept as is, repeat it)"))


def _keep_and_case(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    for row in file.rows:
        keep = row.cells.get("keep", "").strip()
        if keep.lower() not in ("yes", ""):
            yield error(file.path, row.line, f"'keep' must be 'yes' or empty, not {quoted(keep)}")
        case = row.cells.get("case", "").strip()
        if case.lower() not in (*CASE_RULES, ""):
            yield error(file.path, row.line, f"'case' must be 'insensitive', 'exact' or empty, not {quoted(case)}")
        pos = row.cells.get("pos", "").strip()
        if pos.lower() not in (*POS_VALUES, ""):
            yield error(file.path, row.line, (
                f"'pos' must be {', '.join(repr(v) for v in POS_VALUES)} or empty, not {quoted(pos)}"))


def _form_key(form: str, term: Term) -> str:
    return form if term.case == "exact" else form.casefold()


def _sources_and_targets(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    """Same source twice (two targets: error; same target: warning), and variants claimed twice.

    A form collides with the first earlier form that folds to it, unless both entries are case-exact:
    then only with one written the same. Three indexes find that form at once (scanning every earlier
    form that folds alike made 20,000 case variants of one word take a minute).
    """
    Seen = tuple[int, str, Term, Row]  # (order, form, entry, row)
    first: dict[str, Seen] = {}  # case-folded form → its first earlier occurrence
    first_loose: dict[str, Seen] = {}  # case-folded form → its first earlier occurrence in a case-insensitive entry
    first_written: dict[str, Seen] = {}  # form as written → its first earlier occurrence
    rows = {row.line: row for row in file.rows}
    order = 0
    for term in terms:
        row = rows[term.line]
        for position, form in enumerate(source_forms(term)):
            key = form.casefold()
            if term.case == "exact":
                found = [s for s in (first_loose.get(key), first_written.get(form)) if s is not None]
                earlier = min(found, key=lambda seen: seen[0]) if found else None
            else:
                earlier = first.get(key)
            if earlier is None:
                continue
            _, other_form, other, other_row = earlier
            if position == 0 and other_form == other.zh:
                if other.en.strip() != term.en.strip():
                    yield error(file.path, term.line, (
                        f"{quoted(term.zh)} is already at line {other.line} with target {quoted(other.en)}; "
                        f"one source has one target (merge the two lines)"))
                elif _cells_equal(row, other_row):
                    yield warning(file.path, term.line, f"exact duplicate of line {other.line}; delete one of them")
                else:
                    yield warning(file.path, term.line, (
                        f"same term and target as line {other.line}, other cells differ; merge the two lines"))
            elif position == 0:
                yield error(file.path, term.line, (
                    f"{quoted(form)} is already a variant of {quoted(other.zh)} (line {other.line}); "
                    "a source form belongs to one entry only (remove it there or merge the entries)"))
            else:
                what = "the term" if other_form == other.zh else "a variant"
                yield error(file.path, term.line, (
                    f"variant {quoted(form)} collides with {what} {quoted(other_form)} of line {other.line}; "
                    "a source form belongs to one entry only (remove one of them or merge the entries)"))
        for form in source_forms(term):  # only now: a term's own forms never collide with each other
            order += 1
            seen = (order, form, term, row)
            first.setdefault(form.casefold(), seen)
            first_written.setdefault(form, seen)
            if term.case != "exact":
                first_loose.setdefault(form.casefold(), seen)


def _cells_equal(a: Row, b: Row) -> bool:
    return {k: v.strip() for k, v in a.cells.items()} == {k: v.strip() for k, v in b.cells.items()}


def _traditional_collisions(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    """A derived Traditional form that is another entry's source form (the earlier entry wins)."""
    owner: dict[str, Term] = {}
    for term in terms:
        for form in source_forms(term):
            owner.setdefault(form, term)
    for term in terms:
        for form in source_forms(term):
            for converted in traditional_forms(form):
                other = owner.get(converted)
                if other is not None and other.zh != term.zh:
                    yield warning(file.path, term.line, (
                        f"the Traditional form {quoted(converted)} of {quoted(form)} is also a source form of line "
                        f"{other.line} ({quoted(other.zh)}); in Traditional text it matches the earlier entry"))


NESTED_SHOWN = 5
"""Longer terms a nested-term warning names (then ``and N more``)."""


def _nested_terms(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    """Terms found inside longer terms: legitimate, but worth knowing (the longest match wins).

    Every proper part of every source form is looked up among the forms, so the
    cost grows with the entries times the square of a form's length, never with
    the square of the entries.
    """
    owners: dict[str, list[Term]] = defaultdict(list)  # folded form → the entries that have it
    for term in terms:
        for form in source_forms(term):
            owners[form.casefold()].append(term)
    longest = max(map(len, owners), default=0)
    containers: dict[str, dict[int, Term]] = defaultdict(dict)  # folded form → {line: entry with a longer form}
    for outer in terms:
        for form in source_forms(outer):
            text = form.casefold()
            for start in range(len(text)):
                if cuts_word(text, start):
                    continue
                for end in range(start + 1, min(len(text), start + longest) + 1):
                    if end - start < len(text) and text[start:end] in owners and not cuts_word(text, end):
                        containers[text[start:end]][outer.line] = outer
    for term in terms:
        own = {form.casefold() for form in source_forms(term)}
        outer: dict[str, Term] = {}
        shown: list[str] = []
        for inner in source_forms(term):
            folded = inner.casefold()
            for line, other in sorted(containers.get(folded, {}).items()):
                if line == term.line or folded in {f.casefold() for f in source_forms(other)}:
                    continue  # both entries claim the form: an error reported elsewhere
                outer.setdefault(other.zh, other)
                if inner != term.zh and inner not in shown:
                    shown.append(inner)
        outer = {zh: o for zh, o in outer.items() if zh not in own}
        if outer:
            longer = sorted(outer.values(), key=lambda t: t.line)
            listed = ", ".join(f"{quoted(o.zh)} (line {o.line})" for o in longer[:NESTED_SHOWN])
            if len(longer) > NESTED_SHOWN:  # one line per warning, however many terms contain this one
                listed += f" and {len(longer) - NESTED_SHOWN:,} more"
            as_written = f" (as {', '.join(repr(f) for f in shown)})" if shown else ""
            yield warning(file.path, term.line, (
                f"{quoted(term.zh)}{as_written} is nested in {listed}; where both could match, the longer term wins"))


def _contains(text: str, part: str) -> bool:
    """True when ``part`` occurs in ``text`` without cutting a Latin word (as the matcher would find it)."""
    start = text.find(part)
    while start >= 0:
        if not cuts_word(text, start) and not cuts_word(text, start + len(part)):
            return True
        start = text.find(part, start + 1)
    return False


Check = Callable[[TermbaseFile, list[Term]], Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One named check of the termbase."""

    name: str
    """Its name (what ``bitext glossary check`` counts warnings under)."""
    check: Check
    """The function: file and entries in, diagnostics out."""
    warns: str = ""
    """The kind its warnings are counted as (a key of :data:`WARNING_KINDS`; "" when it finds none)."""
    errs: bool = True
    """Whether it can find errors (:meth:`Glossary.load` runs only these)."""


RULES: list[Rule] = [
    Rule("control_characters", _control_characters),
    Rule("formula_cells", _formula_cells),
    Rule("empty_cells", _empty_cells),
    Rule("keep_and_case", _keep_and_case),
    Rule("refused_entries", _refused_entries),
    Rule("sources_and_targets", _sources_and_targets, warns="duplicate"),
    Rule("traditional_collisions", _traditional_collisions, warns="traditional", errs=False),
    Rule("nested_terms", _nested_terms, warns="nested", errs=False),
]
"""The checks of the file, in order; each is a function of the file and its entries."""

ABSENT, SHADOWED = "absent", "shadowed"
"""Kinds of the two warnings about the corpus (:func:`glossary_findings` with corpus texts)."""

_STRUCTURE = "structure"

WARNING_KINDS: dict[str, tuple[str, str]] = {
    "duplicate": ("duplicate", "duplicates"),
    "traditional": ("Traditional form of another entry", "Traditional forms of other entries"),
    "nested": ("nested term", "nested terms"),
    ABSENT: ("term absent from the corpus", "terms absent from the corpus"),
    SHADOWED: ("term only inside longer terms", "terms only inside longer terms"),
    _STRUCTURE: ("problem with the file", "problems with the file"),
}
"""Each kind of warning as the summary line counts it: (one, several)."""


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything ``bitext glossary check`` found, errors apart from warnings, each warning with its kind."""

    errors: tuple[Diagnostic, ...]
    """Errors, by line."""
    warnings: tuple[tuple[str, Diagnostic], ...]
    """(kind, warning), by line; the kind is a rule's :attr:`Rule.warns` label."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Errors and warnings together, by line."""
        return sorted([*self.errors, *(d for _, d in self.warnings)], key=lambda d: d.line)

    def counts(self) -> dict[str, int]:
        """Number of warnings of each kind, most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for kind, _ in self.warnings:
            counts[kind] += 1
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def summary(self) -> str:
        """The warnings counted by kind, e.g. ``40 nested terms, 1 duplicate``."""
        return ", ".join(f"{count} {WARNING_KINDS[kind][count != 1]}" for kind, count in self.counts().items())


def _usable_terms(file: TermbaseFile) -> list[Term]:
    # An entry the refused_entries rule reports is left out of the other rules: a form of 10,000
    # characters would cost the nested-term check minutes, for an error already found.
    return [t for t in terms_of(file) if next(term_problems(t), None) is None] if file.header_ok else []


def _run(file: TermbaseFile, *, only_errors: bool = False) -> tuple[list[tuple[str, Diagnostic]], list[Term]]:
    found = [(_STRUCTURE, d) for d in file.problems]
    terms = _usable_terms(file)
    if file.header_ok:
        for rule in RULES:
            if only_errors and not rule.errs:
                continue
            found += [(rule.warns, d) for d in rule.check(file, terms) if not only_errors or d.severity == "error"]
    found.sort(key=lambda pair: pair[1].line)
    return found, terms


def read_termbase_file(path: Path, *, required: tuple[str, ...] = REQUIRED_COLUMNS) -> TermbaseFile:
    """:func:`read_termbase`, once ``path`` is known to be a regular file (a FIFO would block it forever)."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        check_regular_file(path, GlossaryError)
    return read_termbase(path, required=required)


def file_errors(path: Path, *, required: tuple[str, ...] = REQUIRED_COLUMNS) -> tuple[TermbaseFile, list[Term]]:
    """Read a termbase, raising the first error; return the file and its entries (typed variants only)."""
    file = read_termbase_file(path, required=required)
    found, terms = _run(file, only_errors=True)
    for _, diagnostic in found:
        if diagnostic.severity == "error":
            raise diagnostic.to_error()
    return file, terms


def glossary_findings(path: Path, corpus_texts: Iterable[str] | None = None) -> Findings:
    """Every error and warning in the termbase at ``path``, warnings with their kind.

    With ``corpus_texts`` (the articles' block texts, any script), also warns
    about terms that never occur there, or occur only inside longer terms.
    """
    path = Path(path)
    try:
        file = read_termbase_file(path)
    except GlossaryError as exc:
        return Findings((error(path, exc.line or 0, exc.message),), ())
    found, terms = _run(file)
    if corpus_texts is not None and terms:
        found += _absent_terms(file, terms, corpus_texts)
        found.sort(key=lambda pair: pair[1].line)
    return Findings(tuple(d for _, d in found if d.severity == "error"),
                    tuple((kind or _STRUCTURE, d) for kind, d in found if d.severity == "warning"))


def check_glossary(path: Path, corpus_texts: Iterable[str] | None = None) -> list[Diagnostic]:
    """Every error and warning in the termbase at ``path``, by line (see :func:`glossary_findings`)."""
    return glossary_findings(path, corpus_texts).diagnostics


def _absent_terms(file: TermbaseFile, terms: list[Term],
                  corpus_texts: Iterable[str]) -> Iterator[tuple[str, Diagnostic]]:
    completed = [with_traditional(t) for t in terms]
    matcher = Matcher(completed)
    texts = list(corpus_texts)
    matched = {m.term.line for text in texts for m in matcher.find(text)}
    folded = None
    for term in completed:
        if term.line in matched:
            continue
        if folded is None:
            folded = "\n".join(matcher.fold(text) for text in texts)
        keys = {matcher.fold(form) for form in source_forms(term)}
        if any(key in folded for key in keys):
            yield SHADOWED, warning(file.path, term.line, (
                f"{quoted(term.zh)} occurs in the corpus only inside longer terms or words, so it never applies"))
        else:
            yield ABSENT, warning(file.path, term.line, f"{quoted(term.zh)} never occurs in the corpus")
