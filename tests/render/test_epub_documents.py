"""The EPUB of articles as they are written: tables, footnotes, nested lists, code, figures (issue 28).

The memo fixture (tests/fixtures/documents/memo.md) and the hand-made ledger of test_pdf_documents (a long
table, footnotes called from a paragraph and a cell, one note the English does not call, code, hostile text),
read back as XML and checked by epubcheck.
"""

from __future__ import annotations

import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from htmltools import make_settings
from test_epub import EPUB_TYPE, NS, XML_LANG, Book, classes, epubcheck, text_of
from test_pdf_documents import HOSTILE_CELL, HOSTILE_CODE, HOSTILE_LANG, HOSTILE_NOTE, LEDGER_CODE, ledger_edition
from translate.markup import plain_text
from translate.render.epub import BOOK, render_epub

X = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    """The memo and ledger edition as EPUBs, Chinese first (the default): its folder."""
    settings = make_settings(tmp_path_factory.mktemp("epub-documents") / "build", epub_embed_font=False)
    render_epub(ledger_edition(), settings)
    return settings.build_dir / "epub"


def page(books: Path, slug: str):
    return Book(books / BOOK).page(f"{slug}.xhtml")


def by_id(root) -> dict:
    return {e.get("id"): e for e in root.iter() if e.get("id")}


def text_without_noterefs(element) -> str:
    """The element's text less its footnote references (``<sup>`` numbers)."""
    out = [element.text or ""]
    for child in element:
        if child.tag != f"{X}sup":
            out.append(text_without_noterefs(child))
        out.append(child.tail or "")
    return "".join(out)


def lang_of(element, parents: dict) -> str:
    """The language an element is in: its own ``lang`` or its nearest ancestor's."""
    while element is not None:
        if element.get("lang"):
            return element.get("lang")
        element = parents.get(element)
    return ""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("epubcheck") is None,
                    reason="epubcheck not installed (Debian's epubcheck package; make test installs it)")
def test_the_documents_edition_passes_epubcheck(books):
    checked = [books / BOOK, books / "memo.epub"]
    with ThreadPoolExecutor(len(checked)) as pool:
        reports = list(pool.map(epubcheck, checked))
    for path, report in zip(checked, reports):
        assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, f"{path.name}:\n{report}"


@pytest.mark.parametrize("slug", ["memo", "ledger"])
def test_every_noteref_points_to_a_footnote_in_its_own_language_and_back(books, slug):
    root = page(books, slug)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    elements, parents = by_id(root), {child: parent for parent in root.iter() for child in parent}
    refs = [a for a in root.iter(f"{X}a") if a.get(EPUB_TYPE) == "noteref"]
    assert len(refs) >= 4  # each language calls each note
    for ref in refs:
        aside = elements[ref.get("href").removeprefix("#")]
        assert aside.tag == f"{X}aside" and aside.get(EPUB_TYPE) == "footnote"
        assert aside.get("lang") == aside.get(XML_LANG) == lang_of(ref, parents)
        assert text_of(ref) == text_of(aside).split()[0]  # the same number
    for aside in (e for e in root.iter(f"{X}aside") if e.get(EPUB_TYPE) == "footnote"):
        back = aside.find(".//x:a[@class='note-number']", NS)
        if back is not None:
            assert elements[back.get("href").removeprefix("#")].get(EPUB_TYPE) == "noteref"


def test_each_note_is_an_aside_per_language_with_its_text(books):
    root = page(books, "ledger")
    asides = {a.get("id"): a for a in root.iter(f"{X}aside")}
    assert set(asides) == {f"fn-{n}-{side}" for n in (1, 2, 3) for side in ("zh", "en")}
    assert "来自年报。" in text_of(asides["fn-1-zh"]) and "From the annual report." in text_of(asides["fn-1-en"])
    # The English lost its reference to note 3: its aside is still there, with nothing to link back to.
    lost = asides["fn-3-en"]
    assert "The English lost its reference." in text_of(lost)
    assert lost.find(".//x:a", NS) is None and asides["fn-3-zh"].find(".//x:a", NS) is not None
    # A two-paragraph note keeps both.
    memo = {a.get("id"): a for a in page(books, "memo").iter(f"{X}aside")}
    assert "数据来自 12 家供应商的报价单。" in text_of(memo["fn-1-zh"])
    assert "报价单为 2025 年 1 月至 3 月的数据。" in text_of(memo["fn-1-zh"])


@pytest.mark.parametrize("order, shown", [("en", ("en",)), ("zh", ("zh",)), ("en-first", ("en", "zh"))])
def test_a_book_in_one_language_or_the_other_order_has_that_languages_notes(tmp_path, order, shown):
    settings = make_settings(tmp_path / "build", epub_embed_font=False, epub_order=order)
    render_epub(ledger_edition(), settings)
    root = Book(settings.build_dir / "epub" / "ledger.epub").page("ledger.xhtml")
    elements = by_id(root)
    asides = sorted(a.get("id") for a in root.iter(f"{X}aside"))
    assert asides == sorted(f"fn-{n}-{side}" for n in (1, 2, 3) for side in shown)
    for ref in (a for a in root.iter(f"{X}a") if a.get(EPUB_TYPE) == "noteref"):
        assert ref.get("href").removeprefix("#") in elements


def test_a_table_is_a_table_and_each_cells_languages_are_tagged(books):
    edition = ledger_edition()
    memo = edition.articles[0]
    cells = {b.block.id: b for b in memo.blocks if b.block.kind == "cell"}
    root = page(books, "memo")
    [table] = root.iter(f"{X}table")
    header = table.findall("x:thead/x:tr/x:th", NS)
    rows = table.findall("x:tbody/x:tr", NS)
    assert len(header) == 3 and [len(r) for r in rows] == [3, 3, 3, 3]
    for cell in [*header, *(td for row in rows for td in row)]:
        zh, en = cell.findall("x:span", NS)
        assert (zh.get("lang"), zh.get(XML_LANG), en.get("lang"), en.get(XML_LANG)) == ("zh-Hans", "zh-Hans", "en", "en")
        block = cells[cell.get("id")]
        assert text_without_noterefs(zh) == plain_text(block.block.text)
        assert text_without_noterefs(en) == plain_text(block.en)
    assert [classes(th)[-1] for th in header] == ["align-left", "align-right", "align-center"]
    assert all(th.get("scope") == "col" for th in header)


def test_code_is_shown_once_verbatim_and_never_as_a_language(books):
    root = page(books, "memo")
    memo = ledger_edition().articles[0]
    codes = [b.block for b in memo.blocks if b.block.kind == "code"]
    pres = list(root.iter(f"{X}pre"))
    assert [text_of(p.find("x:code", NS)) for p in pres] == [c.text for c in codes]
    assert [p.get("data-lang") for p in pres] == ["python", "bash"]
    assert all(p.get("lang") is None for p in pres)
    assert sum(text_of(e).count("import csv") for e in root.iter() if e.tag == f"{X}code") == 1
    assert "import csv" not in "".join(text_of(p) for p in root.iter(f"{X}p"))


def test_lists_are_numbered_and_nested_and_rules_and_figures_are_kept(books):
    root = page(books, "memo")
    elements = by_id(root)
    assert (elements["b019"].tag, elements["b019"].get("start")) == (f"{X}ol", "1")
    assert elements["b023"].get("start") == "2" and elements["b025"].get("start") == "3"
    assert "depth-2" in classes(elements["b020"]) and "depth-3" in classes(elements["b022"])
    assert "continued" in classes(elements["b024"]) and "continued" in classes(elements["b036"])
    assert text_of(elements["b026"]).count("☑") == 2 and text_of(elements["b027"]).count("☐") == 2
    assert elements["b037"].tag == f"{X}hr"
    figure = elements["b032"]
    assert figure.tag == f"{X}figure"
    caption = figure.find("x:figcaption", NS)
    assert [s.get("lang") for s in caption] == ["zh-Hans", "en"]
    # Blocks a quote holds are in a quote.
    parents = {child: parent for parent in root.iter() for child in parent}
    assert parents[elements["b029"]].tag == f"{X}blockquote"


@pytest.mark.hostile("corpus")
def test_hostile_text_in_a_cell_code_and_a_note_is_escaped(books):
    book = Book(books / BOOK)
    root = book.page("ledger.xhtml")  # parses: nothing broke the XML
    assert not list(root.iter(f"{X}script"))
    text = text_of(root)
    for hostile in (HOSTILE_CELL, HOSTILE_NOTE):
        assert hostile in text
    assert [text_of(p) for p in root.iter(f"{X}code")] == [LEDGER_CODE] and HOSTILE_CODE in LEDGER_CODE
    assert [p.get("data-lang") for p in root.iter(f"{X}pre")] == [HOSTILE_LANG]
    assert "<script" not in book.text("EPUB/ledger.xhtml").replace("&lt;script", "")


def test_code_is_printed_as_written_when_the_chinese_is_shown_in_the_other_script(tmp_path):
    """Code is no Chinese text: a Traditional edition of a Simplified source does not convert its comments."""
    from dataclasses import replace

    from documents import memo_article, memo_edition

    code = next(b.text for b in memo_article().blocks if b.kind == "code")
    assert "导出成本数据" in code
    settings = make_settings(tmp_path / "build", epub_embed_font=False)
    render_epub(replace(memo_edition(), script="traditional"), settings)
    memo = Book(settings.build_dir / "epub" / BOOK).page("memo.xhtml")
    shown = ["".join(e.itertext()) for e in memo.iter(f"{X}code") if "import csv" in "".join(e.itertext())]
    assert shown == [code]
    assert "# 導出成本數據" not in "".join(memo.itertext())  # the prose before it is converted, the code not
