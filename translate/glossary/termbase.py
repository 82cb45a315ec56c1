"""The termbase file: CSV or TSV, UTF-8 (a BOM tolerated and kept), one entry a line.

Columns (header row, any order; the first seven required, ``alternates`` and ``pos`` optional, so that
a termbase written before they existed loads unchanged and is never rewritten for lacking them):

``zh``
    The Chinese term in Simplified script: the entry's key. Traditional forms
    are derived with OpenCC (s2t, s2tw, s2hk) and need not be typed.
``en``
    The English target the translation must contain.
``variants``
    Extra source forms separated by ``|`` (abbreviations, Latin names, other
    spellings; a Traditional form only when OpenCC does not derive it).
``keep``
    ``yes`` when the term stays as it is (e.g. ``Densing Law``): the target must
    survive exactly, case and all. Empty otherwise.
``case``
    ``insensitive`` (the default when empty): Latin source forms match in any
    case. ``exact``: Latin source forms match only as written and the target
    is checked case-sensitively.
``kind``
    Free-text category: concept, person, company, organisation, lab, product,
    model, publication, event, book, place, …
``note``
    A note for translators and readers.
``alternates``
    Other English forms the honour rule also accepts, separated by ``|``
    (``deploy|put into practice`` beside ``deployment``). Engines are still
    given ``en``; alternates are what a person may write instead.
``pos``
    Part of speech of ``en``: ``noun``, ``verb``, ``adjective``, ``name`` or
    empty. It decides which inflections of the last word count as the term
    (:data:`translate.glossary.honour.INFLECTIONS`, the one statement of the rule).

Rules the reader enforces here (the checker in :mod:`checks` adds the rest):
a line is one entry (line breaks inside cells are not allowed, so that an
edit is always a one-line diff); quoting is standard CSV; blank lines are
ignored; every row has as many cells as the header (empty ones may be empty,
never missing: a short row is a line that lost cells). Spaces around a cell
are trimmed, with a warning, since a target ``large model `` would otherwise
look honoured when it is not what the file says.

:func:`term_from_cells` and :func:`term_to_cells` are the one conversion
between an entry and its cells: CSV, TSV, TBX and the import's comparisons all
use them.

Edits work line by line on :attr:`TermbaseFile.lines`, so the lines an edit
does not touch keep their bytes, quoting and line endings.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from translate.errors import GlossaryError
from translate.glossary.diagnostics import Diagnostic, error, warning
from translate.inputs import quoted, read_input
from translate.models import Term

REQUIRED_COLUMNS = ("zh", "en", "variants", "keep", "case", "kind", "note")
"""The columns every termbase has (a file from before ``alternates`` and ``pos`` has only these)."""

OPTIONAL_COLUMNS = ("alternates", "pos")
"""Columns a termbase may lack: a missing one reads as empty everywhere."""

COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
"""The termbase's columns, in the order new files get them."""

POS_VALUES = ("noun", "verb", "adjective", "name")
"""Values of the ``pos`` column (empty: the regular inflections, see :mod:`translate.glossary.honour`)."""

VARIANT_SEPARATOR = "|"
"""Separates the forms in the ``variants`` cell."""

CASE_RULES = ("insensitive", "exact")
"""Values of the ``case`` column (empty means ``insensitive``)."""

KEEP_VALUES = ("yes", "")
"""Values of the ``keep`` column."""


@dataclass(frozen=True, slots=True)
class Row:
    """One entry line of the termbase, as written."""

    line: int
    """1-based line number in the file."""
    cells: dict[str, str]
    """Cell text by column name (missing trailing cells are empty); not stripped."""


@dataclass(frozen=True, slots=True)
class TermbaseFile:
    """A termbase file read line by line, enough to check it and to edit it in place."""

    path: Path
    """Where it was read from."""
    bom: bool
    """Whether the file starts with a UTF-8 byte order mark (kept on writing)."""
    delimiter: str
    """``,`` for CSV, a tab for TSV."""
    newline: str
    """The line ending the file uses (new lines get the same)."""
    header: tuple[str, ...]
    """Column names in file order (stripped)."""
    lines: tuple[str, ...]
    """Every physical line, line ending included; ``lines[0]`` is the header."""
    rows: tuple[Row, ...]
    """Entry lines that parsed, in file order."""
    problems: tuple[Diagnostic, ...]
    """Findings about the file's structure: errors (header, quoting, cell counts), warnings (cells trimmed)."""

    def lacks(self, term: Term) -> tuple[str, ...]:
        """The optional columns ``term`` has a value for that this file's header does not have.

        Writing such a term into the file would drop the value; editors refuse instead
        (adding a column means adding a cell to every line, which is the user's call).
        """
        cells = term_to_cells(term)
        return tuple(name for name in OPTIONAL_COLUMNS if cells[name] and name not in self.header)

    @property
    def header_ok(self) -> bool:
        """True when the header names every required column and nothing else."""
        return not any(p.line == 1 and p.severity == "error" for p in self.problems)

    def render(self, lines: list[str] | tuple[str, ...] | None = None) -> bytes:
        """The file's bytes for ``lines`` (default: unchanged), BOM kept."""
        text = "".join(self.lines if lines is None else lines)
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")

    def format_row(self, cells: dict[str, str]) -> str:
        """One entry line in this file's column order, delimiter and line ending (minimal quoting)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([cells.get(name, "") for name in self.header])
        return buffer.getvalue()


def delimiter_for(path: Path, first_line: str = "") -> str:
    """Tab for ``.tsv`` (or a header with tabs and no commas), comma otherwise."""
    if path.suffix.lower() == ".tsv" or path.suffix.lower() == ".tab":
        return "\t"
    if path.suffix.lower() != ".csv" and "\t" in first_line and "," not in first_line:
        return "\t"
    return ","


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings (``\\n``, ``\\r\\n`` or ``\\r``), nothing else splits."""
    return io.StringIO(text, newline="").readlines()


def read_termbase(path: Path, *, required: tuple[str, ...] = REQUIRED_COLUMNS) -> TermbaseFile:
    """Read a termbase file; structural problems are collected, not raised.

    Raises :class:`GlossaryError` only when the file cannot be read at all:
    missing, not UTF-8, or empty.
    """
    path = Path(path)
    try:
        data = read_input(path, GlossaryError)
    except FileNotFoundError:
        raise GlossaryError("no glossary here; start one with `bitext glossary add ZH EN`", path=path) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read the glossary ({exc.strerror})", path=path) from exc
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise GlossaryError(
            f"not UTF-8 (byte 0x{body[exc.start]:02x}); save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
            path=path,
            line=line,
        ) from None
    lines = split_lines(text)
    if not lines or not lines[0].strip():
        raise GlossaryError(f"no header row; the first line must be: {','.join(COLUMNS)}", path=path, line=1)
    delimiter = delimiter_for(path, lines[0])
    newline = _line_ending(lines[0]) or "\n"
    problems: list[Diagnostic] = []

    header_cells, problem = _parse_line(lines[0], delimiter, path, 1)
    header = tuple(c.strip().lstrip("\ufeff") for c in header_cells or ())
    if problem:
        problems.append(problem)
    else:
        problems += _header_problems(header, path, required)

    rows: list[Row] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells, problem = _parse_line(line, delimiter, path, number)
        if problem:
            problems.append(problem)
            continue
        if len(cells) > len(header):
            problems.append(error(path, number, (
                f"{len(cells)} cells but the header has {len(header)}; "
                f"put a cell that contains '{_shown(delimiter)}' in double quotes")))
            continue
        if len(cells) < len(header):
            problems.append(error(path, number, (
                f"{len(cells)} cell{'s' * (len(cells) != 1)} but the header has {len(header)}; give the line "
                f"all {len(header)}, empty ones included ({len(header) - 1} '{_shown(delimiter)}' in all)")))
            continue
        for name, cell in zip(header, cells):
            if cell != cell.strip():
                problems.append(warning(path, number, (
                    f"spaces around the '{name}' cell ({quoted(cell)}) are ignored; delete them")))
        rows.append(Row(number, dict(zip(header, cells))))
    return TermbaseFile(path, bom, delimiter, newline, header, tuple(lines), tuple(rows), tuple(problems))


def _shown(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


def _line_ending(line: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if line.endswith(ending):
            return ending
    return ""


def _parse_line(line: str, delimiter: str, path: Path, number: int) -> tuple[list[str] | None, Diagnostic | None]:
    content = line[: len(line) - len(_line_ending(line))]
    try:
        return next(csv.reader([content], delimiter=delimiter, strict=True)), None
    except csv.Error as exc:
        if "unexpected end of data" in str(exc) or "new-line" in str(exc):
            message = ("broken quoting: a quote opened in this line is never closed "
                       "(line breaks inside cells are not allowed)")
        elif "expected after" in str(exc):
            message = ("broken quoting: text follows a closing quote; "
                       'write a quote inside a quoted cell as two quotes ("")')
        else:
            message = f"broken quoting ({exc})"
        return None, error(path, number, message)


def _header_problems(header: tuple[str, ...], path: Path, required: tuple[str, ...]) -> list[Diagnostic]:
    problems = []
    known = ", ".join(COLUMNS)
    if not set(header) & set(COLUMNS):
        # Not a termbase at all (a credentials file, /proc/self/environ): quote none of it.
        return [error(path, 1, f"the first line is not a header row (no cell of it is a column name); "
                               f"is this a termbase? The first line must be: {','.join(COLUMNS)}")]
    for name in header:
        if name not in COLUMNS:
            problems.append(error(path, 1, f"unknown column {quoted(name)} (the columns are: {known})"))
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(error(path, 1, f"column {quoted(name)} appears twice in the header"))
        seen.add(name)
    missing = [name for name in required if name not in header]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        optional = " and ".join(OPTIONAL_COLUMNS)
        problems.append(error(path, 1, f"missing column{'s' if len(missing) > 1 else ''} {names} "
                                       f"(the header must be: {','.join(COLUMNS)}; {optional} may be left out)"))
    return problems


def split_variants(cell: str) -> tuple[str, ...]:
    """The forms in a ``variants`` (or ``alternates``) cell, stripped, empty ones dropped, order kept."""
    forms: list[str] = []
    for form in cell.split(VARIANT_SEPARATOR):
        form = form.strip()
        if form and form not in forms:
            forms.append(form)
    return tuple(forms)


def term_from_cells(cells: Mapping[str, str], line: int = 0) -> Term:
    """The entry that cells by column name describe, with only its typed variants (no derived Traditional forms).

    Cells are trimmed; a missing cell reads as empty; unknown ``keep``/``case``/``pos``
    values read as the defaults (the checker reports them); other keys are ignored.
    """
    zh = cells.get("zh", "").strip()
    en = cells.get("en", "").strip()
    case = cells.get("case", "").strip().lower()
    pos = cells.get("pos", "").strip().lower()
    return Term(
        zh=zh,
        en=en,
        variants=tuple(v for v in split_variants(cells.get("variants", "")) if v != zh),
        note=cells.get("note", "").strip(),
        keep=cells.get("keep", "").strip().lower() == "yes",
        case="exact" if case == "exact" else "insensitive",
        kind=cells.get("kind", "").strip(),
        line=line,
        alternates=tuple(a for a in split_variants(cells.get("alternates", "")) if a != en),
        pos=pos if pos in POS_VALUES else "",
    )


def row_to_term(row: Row) -> Term:
    """The entry a row describes (see :func:`term_from_cells`)."""
    return term_from_cells(row.cells, row.line)


def terms_of(file: TermbaseFile) -> list[Term]:
    """The entries of the rows that have a term, in file order (typed variants only)."""
    return [row_to_term(row) for row in file.rows if row.cells.get("zh", "").strip()]


def term_to_cells(term: Term) -> dict[str, str]:
    """The cells a term is written as, by column name (typed variants only; empty defaults stay empty)."""
    return {
        "zh": term.zh,
        "en": term.en,
        "variants": VARIANT_SEPARATOR.join(term.variants),
        "keep": "yes" if term.keep else "",
        "case": "exact" if term.case == "exact" else "",
        "kind": term.kind,
        "note": term.note,
        "alternates": VARIANT_SEPARATOR.join(term.alternates),
        "pos": term.pos,
    }


def empty_termbase(path: Path) -> TermbaseFile:
    """The termbase a new file at ``path`` would start as (header only), without writing it."""
    delimiter = delimiter_for(Path(path))
    return TermbaseFile(Path(path), False, delimiter, "\n", COLUMNS, (new_file_text(delimiter),), (), ())


def new_file_text(delimiter: str = ",", newline: str = "\n") -> str:
    """The header line of a new termbase."""
    return delimiter.join(COLUMNS) + newline


def write_terms(terms: list[Term] | tuple[Term, ...], delimiter: str = ",") -> str:
    """A whole termbase (header and entries) as CSV or TSV text, for export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for term in terms:
        cells = term_to_cells(term)
        writer.writerow([cells[name] for name in COLUMNS])
    return buffer.getvalue()
