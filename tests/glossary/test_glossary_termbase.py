"""The termbase file: every row has all its cells, cells are trimmed with a warning, and one
conversion between an entry and its cells serves CSV, TBX and the import."""

import pytest

from translate.errors import GlossaryError
from translate.glossary import Glossary
from translate.glossary.interchange import export_glossary, import_glossary, read_entries
from translate.glossary.tbx import read_tbx, write_tbx
from translate.glossary.termbase import read_termbase, term_from_cells, term_to_cells, terms_of
from translate.models import Term

HEADER = "zh,en,variants,keep,case,kind,note\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_short_row_is_an_error_naming_its_line(tmp_path):
    path = write(tmp_path / "terms.csv", HEADER + "周明,Zhou Ming,,,,person,\n大模型,large model\n")
    with pytest.raises(GlossaryError) as raised:
        Glossary.load(path)
    assert str(raised.value) == (f"{path}:3: 2 cells but the header has 7; give the line all 7, "
                                 "empty ones included (6 ',' in all)")


def test_a_short_tsv_row_counts_tabs(tmp_path):
    path = write(tmp_path / "terms.tsv", HEADER.replace(",", "\t") + "大模型\tlarge model\n")
    [problem] = read_termbase(path).problems
    assert str(problem) == f"{path}:2: 2 cells but the header has 7; give the line all 7, empty ones included (6 '\\t' in all)"


def test_trimmed_cells_load_trimmed_with_a_warning(tmp_path):
    path = write(tmp_path / "terms.csv", HEADER + "大模型 ,large model ,,,,concept,\n")
    file = read_termbase(path)
    assert [(p.severity, p.line, p.message) for p in file.problems] == [
        ("warning", 2, "spaces around the 'zh' cell ('大模型 ') are ignored; delete them"),
        ("warning", 2, "spaces around the 'en' cell ('large model ') are ignored; delete them"),
    ]
    assert file.header_ok
    [term] = Glossary.load(path).terms
    assert (term.zh, term.en) == ("大模型", "large model")


def test_cells_round_trip_and_are_trimmed():
    term = Term(zh="密度法则", en="Densing Law", variants=("Densing", "密度定律"), note="a note", keep=True,
                case="exact", kind="concept", line=7)
    assert term_to_cells(term) == {"zh": "密度法则", "en": "Densing Law", "variants": "Densing|密度定律",
                                   "keep": "yes", "case": "exact", "kind": "concept", "note": "a note",
                                   "alternates": "", "pos": ""}
    assert term_from_cells(term_to_cells(term), 7) == term
    assert term_from_cells({"zh": " 大模型 ", "en": "large model ", "keep": "YES", "case": "Exact ", "x": "?"}) == Term(
        zh="大模型", en="large model", keep=True, case="exact")


def test_tbx_and_csv_give_the_same_entries(tmp_path):
    path = write(tmp_path / "terms.csv", HEADER + '密度法则,Densing Law,Densing|密度定律,yes,exact,concept,"a note, quoted"\n'
                 "大模型,large model,,,,concept,\n")
    csv_terms = terms_of(read_termbase(path))  # as typed, without derived Traditional forms
    tbx = write(tmp_path / "terms.tbx", export_glossary(path, "tbx"))
    tbx_terms = read_tbx(tbx)
    assert [term_to_cells(t) for t in tbx_terms] == [term_to_cells(t) for t in csv_terms]
    assert write_tbx(tbx_terms) == tbx.read_text(encoding="utf-8")
    assert [term_to_cells(t) for t in read_entries(tbx)] == [term_to_cells(t) for t in csv_terms]


def test_an_import_compares_cells_keep_and_case_included(tmp_path):
    ours = write(tmp_path / "terms.csv", HEADER + "密度法则,Densing Law,,,,concept,\n")
    theirs = write(tmp_path / "vendor.csv", HEADER + "密度法则,Densing Law,,yes,exact,concept,\n")
    report = import_glossary(ours, theirs)
    assert [change.what for change in report.changed] == [("keep filled in", "case filled in")]
    assert report.conflicts == ()
    assert ours.read_text(encoding="utf-8") == HEADER + "密度法则,Densing Law,,yes,exact,concept,\n"
