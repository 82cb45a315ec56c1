"""``bitext glossary check``: an ordered list of named rules over the termbase file.

Each rule takes the file (and the entries of its well-formed rows) and yields
diagnostics. Errors make the glossary unusable (:meth:`Glossary.load` stops at
the first); warnings are worth a translator's look.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Iterator

from translate.errors import GlossaryError
from translate.glossary.diagnostics import Diagnostic, error, warning
from translate.glossary.matcher import cuts_word, source_forms
from translate.glossary.termbase import CASE_RULES, COLUMNS, Row, TermbaseFile, read_termbase, terms_of
from translate.glossary.traditional import traditional_forms
from translate.models import Term

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these would run as a formula when the file is opened in a spreadsheet.

A leading ``-`` is refused even before a letter: Excel and LibreOffice both try
to evaluate ``-abc`` (and show ``#NAME?``), so no exception would be safe.
"""


def _formula_cells(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    for row in file.rows:
        for name in file.header:
            cell = row.cells.get(name, "")
            if cell.startswith(FORMULA_STARTS):
                shown = repr(cell[0])[1:-1]
                yield error(file.path, row.line, (
                    f"cell would run as a spreadsheet formula: '{name}' starts with '{shown}'; "
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
            yield error(file.path, row.line, f"'keep' must be 'yes' or empty, not '{keep}'")
        case = row.cells.get("case", "").strip()
        if case.lower() not in (*CASE_RULES, ""):
            yield error(file.path, row.line, f"'case' must be 'insensitive', 'exact' or empty, not '{case}'")


def _form_key(form: str, term: Term) -> str:
    return form if term.case == "exact" else form.casefold()


def _same_form(a: str, term_a: Term, b: str, term_b: Term) -> bool:
    if term_a.case == "exact" and term_b.case == "exact":
        return a == b
    return a.casefold() == b.casefold()


def _sources_and_targets(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    """Same source twice (two targets: error; same target: warning), and variants claimed twice."""
    seen: dict[str, list[tuple[str, Term, Row]]] = defaultdict(list)
    rows = {row.line: row for row in file.rows}
    for term in terms:
        row = rows[term.line]
        for position, form in enumerate(source_forms(term)):
            earlier = next(((f, t, r) for f, t, r in seen[form.casefold()]
                            if t.line != term.line and _same_form(f, t, form, term)), None)
            if earlier is None:
                continue
            other_form, other, other_row = earlier
            if position == 0 and other_form == other.zh:
                if other.en.strip() != term.en.strip():
                    yield error(file.path, term.line, (
                        f"'{term.zh}' is already at line {other.line} with target '{other.en}'; "
                        f"one source has one target (merge the two lines)"))
                elif _cells_equal(row, other_row):
                    yield warning(file.path, term.line, f"exact duplicate of line {other.line}; delete one of them")
                else:
                    yield warning(file.path, term.line, (
                        f"same term and target as line {other.line}, other cells differ; merge the two lines"))
            elif position == 0:
                yield error(file.path, term.line, (
                    f"'{form}' is already a variant of '{other.zh}' (line {other.line}); "
                    "a source form belongs to one entry only (remove it there or merge the entries)"))
            else:
                what = "the term" if other_form == other.zh else "a variant"
                yield error(file.path, term.line, (
                    f"variant '{form}' collides with {what} '{other_form}' of line {other.line}; "
                    "a source form belongs to one entry only (remove one of them or merge the entries)"))
        for form in source_forms(term):
            seen[form.casefold()].append((form, term, row))


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
                        f"the Traditional form '{converted}' of '{form}' is also a source form of line "
                        f"{other.line} ('{other.zh}'); in Traditional text it matches the earlier entry"))


def _nested_terms(file: TermbaseFile, terms: list[Term]) -> Iterator[Diagnostic]:
    """Terms found inside longer terms: legitimate, but worth knowing (the longest match wins)."""
    forms = [(form.casefold(), term) for term in terms for form in source_forms(term)]
    for term in terms:
        own = {form.casefold() for form in source_forms(term)}
        outer: dict[str, Term] = {}
        shown: list[str] = []
        for inner in source_forms(term):
            folded = inner.casefold()
            for form, other in forms:
                if other.line == term.line or len(form) <= len(folded) or not _contains(form, folded):
                    continue
                if folded in {f.casefold() for f in source_forms(other)}:
                    continue  # both entries claim the form: an error reported elsewhere
                outer.setdefault(other.zh, other)
                if inner != term.zh and inner not in shown:
                    shown.append(inner)
        outer = {zh: o for zh, o in outer.items() if zh not in own}
        if outer:
            listed = ", ".join(f"'{o.zh}' (line {o.line})" for o in sorted(outer.values(), key=lambda t: t.line))
            as_written = f" (as {', '.join(repr(f) for f in shown)})" if shown else ""
            yield warning(file.path, term.line, (
                f"'{term.zh}'{as_written} is nested in {listed}; where both could match, the longer term wins"))


def _contains(text: str, part: str) -> bool:
    """True when ``part`` occurs in ``text`` without cutting a Latin word (as the matcher would find it)."""
    start = text.find(part)
    while start >= 0:
        if not cuts_word(text, start) and not cuts_word(text, start + len(part)):
            return True
        start = text.find(part, start + 1)
    return False


Rule = Callable[[TermbaseFile, list[Term]], Iterable[Diagnostic]]

RULES: list[tuple[str, Rule]] = [
    ("formula_cells", _formula_cells),
    ("empty_cells", _empty_cells),
    ("keep_and_case", _keep_and_case),
    ("sources_and_targets", _sources_and_targets),
    ("traditional_collisions", _traditional_collisions),
    ("nested_terms", _nested_terms),
]
"""The checks, in order; each is a function of the file and its entries."""


def _usable_terms(file: TermbaseFile) -> list[Term]:
    return terms_of(file) if file.header_ok else []


def _run(file: TermbaseFile, *, only_errors: bool = False) -> tuple[list[Diagnostic], list[Term]]:
    diagnostics = list(file.problems)
    terms = _usable_terms(file)
    if file.header_ok:
        for _name, rule in RULES:
            diagnostics += [d for d in rule(file, terms) if not only_errors or d.severity == "error"]
    diagnostics.sort(key=lambda d: d.line)
    return diagnostics, terms


def file_errors(path: Path, *, required: tuple[str, ...] = COLUMNS) -> tuple[TermbaseFile, list[Term]]:
    """Read a termbase, raising the first error; return the file and its entries (typed variants only)."""
    file = read_termbase(path, required=required)
    diagnostics, terms = _run(file, only_errors=True)
    for diagnostic in diagnostics:
        if diagnostic.severity == "error":
            raise diagnostic.to_error()
    return file, terms


def check_glossary(path: Path, corpus_texts: Iterable[str] | None = None) -> list[Diagnostic]:
    """Every error and warning in the termbase at ``path``, by line.

    With ``corpus_texts`` (the articles' block texts, any script), also warns
    about terms that never occur there, or occur only inside longer terms.
    """
    path = Path(path)
    try:
        file = read_termbase(path)
    except GlossaryError as exc:
        return [error(path, exc.line or 0, exc.message)]
    diagnostics, terms = _run(file)
    if corpus_texts is not None and terms:
        diagnostics += _absent_terms(file, terms, corpus_texts)
        diagnostics.sort(key=lambda d: d.line)
    return diagnostics


def _absent_terms(file: TermbaseFile, terms: list[Term], corpus_texts: Iterable[str]) -> Iterator[Diagnostic]:
    from translate.glossary.glossary import Glossary

    glossary = Glossary.from_terms(terms)
    texts = list(corpus_texts)
    matched = {m.term.line for text in texts for m in glossary.find(text)}
    folded = None
    for term in glossary.terms:
        if term.line in matched:
            continue
        if folded is None:
            folded = "\n".join(glossary._matcher.fold(text) for text in texts)
        keys = {glossary._matcher.fold(form) for form in source_forms(term)}
        if any(key in folded for key in keys):
            yield warning(file.path, term.line, (
                f"'{term.zh}' occurs in the corpus only inside longer terms or words, so it never applies"))
        else:
            yield warning(file.path, term.line, f"'{term.zh}' never occurs in the corpus")
