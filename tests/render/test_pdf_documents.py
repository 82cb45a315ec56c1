"""The PDF of articles as they are written: tables, footnotes, nested lists, code, figures (issue 28).

One build (module fixture) of the memo fixture (tests/fixtures/documents/memo.md, dictionary gloss) and of a
hand-made ledger with exact English: a 60-row table that runs over pages, footnotes called from a paragraph and
from a cell, a long unbreakable run in a cell and in code, and hostile text. Checked through text and geometry
(poppler's word boxes), never byte for byte.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from documents import memo_edition
from test_pdf import bbox_words, make_settings, page_count, pdftotext
from translate.markup import plain_text
from translate.models import (Article, ArticleMeta, BilingualArticle, BilingualBlock, Block, Cell, Segment,
                              TranslationStats)
from translate.render.pdf.edition import render_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

PT_PER_MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 595.28, 841.89
#: The A4 page's side margins (translate/render/pdf/stylesheet.py).
SIDE_MARGIN = 18 * PT_PER_MM

#: A run a line cannot break at a space: it must wrap inside its cell or code block, not overflow the page.
LONG_RUN = "https://example.com/" + "quarterly-revenue-figures-" * 6 + "end"
HOSTILE_CELL = '<script>alert("cell")</script>'
HOSTILE_CODE = '<script>alert("code")</script>'
HOSTILE_NOTE = '<script>alert("note")</script>'
LEDGER_CODE = f'print("{LONG_RUN * 2}")\n# {HOSTILE_CODE}\n'
#: A code fence's language is the source's too (```` ```py"><script>… ````): it must stay an attribute's value.
HOSTILE_LANG = 'python"><script>alert("lang")</script>'
ROWS = 60


def _block(block_id: str, kind: str, zh: str, en: str, **fields) -> BilingualBlock:
    """A block with one segment whose English is exactly ``en`` (a translator's: shown as written)."""
    block = Block(id=block_id, kind=kind, text=zh, original=zh, **fields)
    if not block.translatable:
        return BilingualBlock(block, ())
    return BilingualBlock(block, (Segment(id=f"{block_id}.s1", zh=zh, zh_original=zh, en=en, engine="gloss",
                                          origin="edited"),))


def ledger_article() -> BilingualArticle:
    """A hand-made article: a long table with a header row, footnotes from a paragraph and a cell, code, hostile text."""
    blocks = [
        _block("b001", "heading", "季度账目", "Quarterly ledger", level=2),
        _block("b002", "paragraph", "营收数据见附注[^src]。", "Revenue figures are in the note[^src]."),
    ]
    header = (("季度", "Quarter"), ("营收（万元）", "Revenue (10k yuan)"), ("备注", "Remarks"))
    for column, (zh, en) in enumerate(header):
        blocks.append(_block(f"b{len(blocks) + 1:03d}", "cell", zh, en,
                             cell=Cell("t1", 0, column, header=True, align="right" if column == 1 else "")))
    for row in range(1, ROWS + 1):
        remark = {5: ("见附注[^cell]", "See the note[^cell]"), 6: ("同上[^cell]", "As above[^cell]"),
                  7: (HOSTILE_CELL, HOSTILE_CELL), 3: (LONG_RUN, LONG_RUN)}.get(row, ("无", "None"))
        for column, (zh, en) in enumerate(((f"第{row}季", f"Quarter {row}"), (f"{row * 37:,}", f"{row * 37:,}"),
                                           remark)):
            blocks.append(_block(f"b{len(blocks) + 1:03d}", "cell", zh, en,
                                 cell=Cell("t1", row, column, align="right" if column == 1 else "")))
    blocks.append(_block(f"b{len(blocks) + 1:03d}", "code", LEDGER_CODE, "", lang=HOSTILE_LANG))
    # The English lost this reference (as an engine may): its note must still be printed, at the article's end.
    blocks.append(_block(f"b{len(blocks) + 1:03d}", "paragraph", "账目到此为止[^lost]。", "The ledger ends here."))
    blocks.append(_block(f"b{len(blocks) + 1:03d}", "footnote", "来自年报。", "From the annual report.", note="src"))
    blocks.append(_block(f"b{len(blocks) + 1:03d}", "footnote", f"单元格的附注{HOSTILE_NOTE}",
                         f"A note from a cell {HOSTILE_NOTE}", note="cell"))
    blocks.append(_block(f"b{len(blocks) + 1:03d}", "footnote", "译文丢了引用。", "The English lost its reference.",
                         note="lost"))
    meta = ArticleMeta(title="季度账目", title_original="季度账目", source_file="ledger.md", script="simplified")
    article = Article(slug="ledger", meta=meta, blocks=tuple(b.block for b in blocks), path="corpus/ledger.md")
    title = Segment(id="title", zh="季度账目", zh_original="季度账目", en="The quarterly ledger", engine="gloss",
                    origin="edited")
    return BilingualArticle(article=article, title_en="The quarterly ledger", blocks=tuple(blocks), engine="gloss",
                            model="CC-CEDICT", stats=TranslationStats(), title=title)


def ledger_edition():
    """The memo and the ledger, one edition with its quality report."""
    from translate.quality import check_edition

    edition = memo_edition()
    edition = replace(edition, articles=(*edition.articles, ledger_article()))
    return replace(edition, report=check_edition(edition))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:
    """The edition set once: its PDF folder (memo.pdf, ledger.pdf, edition.pdf)."""
    settings = make_settings(tmp_path_factory.mktemp("documents") / "build")
    render_pdf(ledger_edition(), settings)
    return settings.build_dir / "pdf"


def pages(pdf: Path) -> list[str]:
    """Each page's text."""
    return pdftotext(pdf).split("\f")[:page_count(pdf)]


def squeezed(text: str) -> str:
    """``text`` without white space: a cell's text wraps where its column ends."""
    return "".join(text.split())


def unhyphenated(text: str) -> str:
    """``text`` without white space or hyphens: poppler joins a line ending in a hyphen to the next without it."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


def words_with(pdf: Path, page: int, text: str) -> list[tuple]:
    return [w for w in bbox_words(pdf, page) if text in w[4]]


def page_of(pdf: Path, text: str) -> int:
    """The (1-based) page whose text holds ``text`` (white space ignored); fails when none or several do."""
    found = [n for n, page in enumerate(pages(pdf), 1) if squeezed(text) in squeezed(page)]
    assert len(found) == 1, f"{text!r} on pages {found}"
    return found[0]


def _cells(article: BilingualArticle):
    return [b for b in article.blocks if b.block.kind == "cell"]


@pytest.mark.slow
def test_every_cell_prints_its_chinese_and_its_english(pdfs):
    edition = ledger_edition()
    for article in edition.articles:
        text = unhyphenated(pdftotext(pdfs / f"{article.slug}.pdf"))
        cells = _cells(article)
        assert len(cells) >= 15
        for cell in cells:
            for side in (cell.block.text, cell.en):
                assert unhyphenated(plain_text(side)) in text, f"{article.slug} {cell.block.id}: {side!r}"


@pytest.mark.slow
def test_a_table_runs_across_the_full_measure_each_cell_its_chinese_over_its_english(pdfs):
    memo = pdfs / "memo.pdf"
    page = page_of(memo, "单机成本（元）")
    words = bbox_words(memo, page)
    [part_zh], [part_en], [share_zh] = ([w for w in words if w[4] == text] for text in ("部件", "Part", "占比"))
    # The first column starts at the margin, the last lies in what is the English column of a pair.
    assert part_zh[0] < SIDE_MARGIN + 8
    assert share_zh[0] > A4_WIDTH * 0.6
    # A cell's English sits under its Chinese, in the same column.
    assert part_en[1] > part_zh[3] - 1 and abs(part_en[0] - part_zh[0]) < 2
    cost_zh = next(w for w in words if w[4] == "1,250")
    assert cost_zh[0] > A4_WIDTH * 0.3  # a column of its own, right-aligned, not squeezed into the Chinese half


@pytest.mark.slow
def test_a_long_table_repeats_its_header_row_on_every_page_it_runs_onto(pdfs):
    ledger = pdfs / "ledger.pdf"
    texts = [squeezed(t) for t in pages(ledger)]
    with_rows = [n for n, text in enumerate(texts) if any(f"第{row}季" in text for row in range(10, ROWS + 1))]
    assert len(with_rows) >= 2, "the 60-row table should run over pages"
    for n in with_rows:
        assert "营收（万元）" in texts[n] and squeezed("Revenue (10k yuan)") in texts[n], f"page {n + 1}"
        # and the header is at the top of the table on that page
        words = bbox_words(ledger, n + 1)
        header_top = min(w[1] for w in words if "营收（万元）" in w[4])
        first_row = min(w[1] for w in words if re.fullmatch(r"第\d+季", w[4]))
        assert header_top < first_row
    assert all(f"第{row}季" in "".join(texts) for row in range(1, ROWS + 1))


@pytest.mark.slow
def test_no_text_lies_outside_the_margins(pdfs):
    for name in ("memo.pdf", "ledger.pdf", "edition.pdf"):
        pdf = pdfs / name
        for page in range(1, page_count(pdf) + 1):
            for x0, y0, x1, y1, word in bbox_words(pdf, page):
                assert x0 >= SIDE_MARGIN - 1 and x1 <= A4_WIDTH - SIDE_MARGIN + 1, f"{name} p{page}: {word!r} at {x0:.0f}–{x1:.0f}"
                assert 0 <= y0 and y1 <= A4_HEIGHT, f"{name} p{page}: {word!r}"
    # The long runs wrapped, whole: none was cut to fit.
    text = unhyphenated(pdftotext(pdfs / "ledger.pdf"))
    assert unhyphenated(LONG_RUN) in text and unhyphenated(LEDGER_CODE.splitlines()[0]) in text


@pytest.mark.slow
def test_each_footnote_is_at_the_foot_of_the_page_that_calls_it_in_each_language(pdfs):
    ledger = pdfs / "ledger.pdf"
    for call, note in (("营收数据见附注", "来自年报。"), ("Revenue figures are in the note", "From the annual report."),
                       ("第5季", "单元格的附注"), ("Quarter 5", "A note from a cell")):
        page = page_of(ledger, note)  # on one page, once: no copy at the article's end nor for a second reference
        assert squeezed(pdftotext(ledger)).count(squeezed(note)) == 1
        assert squeezed(call) in squeezed(pages(ledger)[page - 1]), f"{note!r} is not on the page calling it"
        calling = min(w[1] for w in words_with(ledger, page, call.split()[0]))
        noted = min(w[1] for w in words_with(ledger, page, note.split()[0]))
        assert noted > calling and noted > A4_HEIGHT * 0.5, f"{note!r} is not at the foot of page {page}"
    memo = pdfs / "memo.pdf"
    assert page_of(memo, "数据来自 12 家供应商的报价单。") == page_of(memo, "根据我们的测算")


@pytest.mark.slow
def test_a_note_a_language_does_not_call_is_printed_at_the_articles_end_in_that_language(pdfs):
    ledger = pdfs / "ledger.pdf"
    text = squeezed(pdftotext(ledger))
    end = text.index(squeezed("注释 · Notes"))
    assert text.count(squeezed("The English lost its reference.")) == 1
    assert text.index(squeezed("The English lost its reference.")) > end > text.index(squeezed("The ledger ends here."))
    # The Chinese calls it: its note is at the foot of that page, and not again at the end.
    assert page_of(ledger, "译文丢了引用。") == page_of(ledger, "账目到此为止")
    assert text.count("译文丢了引用。") == 1
    # Only the uncalled note is there.
    assert "来自年报" not in text[end:] and "From the annual report" not in text[end:]


@pytest.mark.slow
def test_code_is_printed_once_in_a_monospaced_face(pdfs):
    memo = squeezed(pdftotext(pdfs / "memo.pdf"))
    for line in ("import csv", 'rows = [("主控芯片", 1250)]', "python cost_model.py --year 2025"):
        assert memo.count(squeezed(line)) == 1, line
    if subprocess.run(["fc-list", "DejaVu Sans Mono"], capture_output=True, text=True).stdout.strip():
        fonts = subprocess.run(["pdffonts", str(pdfs / "memo.pdf")], capture_output=True, text=True).stdout
        assert "Mono" in fonts


@pytest.mark.slow
def test_nested_lists_are_indented_by_depth_and_ordered_items_show_their_numbers(pdfs):
    memo = pdfs / "memo.pdf"
    page = page_of(memo, "供应商集中度高。")
    for texts in (("供应商集中度高", "前三家供应商", "一家已经在越南建厂"), ("Supplier", "Front", "Group")):
        starts = [min(w[0] for w in words_with(memo, page, t)) for t in texts]
        assert starts[0] < starts[1] < starts[2], (texts, starts)
    text = squeezed(pages(memo)[page - 1])
    assert "1.供应商集中度高。" in text and "2.交付周期变长。" in text and "1.Supplier" in text


@pytest.mark.slow
def test_task_items_show_a_ticked_or_an_open_box(pdfs):
    text = squeezed(pdftotext(pdfs / "memo.pdf"))
    assert "✓完成供应商访谈" in text and "✓Complete" in text
    assert "✓整理成本模型" not in text and "整理成本模型" in text


@pytest.mark.slow
@pytest.mark.hostile("corpus")
def test_hostile_text_in_cells_code_and_notes_is_printed_as_text(pdfs):
    text = pdftotext(pdfs / "ledger.pdf")
    for hostile in (HOSTILE_CELL, HOSTILE_CODE, HOSTILE_NOTE):
        assert hostile in text


@pytest.mark.hostile("corpus")
def test_a_hostile_code_language_stays_an_attributes_value(tmp_path):
    import html5lib

    from translate.render.pdf.edition import plan_pdfs

    plan = plan_pdfs(ledger_edition(), make_settings(tmp_path / "build"))
    [job] = [job for job in plan.parts if job.name == "ledger.pdf"]
    document = html5lib.parse(job.html, namespaceHTMLElements=False)
    assert not list(document.iter("script"))
    [pre] = document.iter("pre")
    assert pre.get("data-lang") == HOSTILE_LANG
    assert "".join(pre.itertext()) == LEDGER_CODE


def test_the_first_reference_in_each_language_carries_the_note_and_a_later_one_is_its_number():
    from translate.render.pdf.printviews import article_view

    edition = ledger_edition()
    view = article_view(edition.articles[1], edition)
    [table] = [item for item in view.items if item.kind == "table"]
    fifth, sixth = table.body[4][2], table.body[5][2]
    for first, later, note in ((fifth.zh, sixth.zh, "单元格的附注"), (fifth.en, sixth.en, "A note from a cell")):
        assert first.count('class="footnote" data-n="2"') == 1 and note in first
        assert '<sup class="fn-ref">2</sup>' in later and note not in later
    # Footnote paragraphs are not laid out in the body: each is set where it is called.
    assert not [item for item in view.items if item.kind == "footnote"]
    assert [(n.number, bool(n.zh), bool(n.en)) for n in view.endnotes] == [(3, False, True)]


def test_column_widths_follow_the_longest_text_and_a_long_run_does_not_take_the_measure():
    from translate.render import views
    from translate.render.pdf.printviews import column_widths

    edition = ledger_edition()
    [table] = [item for item in views.article_model(edition, edition.articles[1]).items if item.kind == "table"]
    quarter, revenue, remarks = column_widths(table)
    assert round(quarter + revenue + remarks) == 100
    assert quarter < revenue < remarks < 75  # the URL column is the widest, not the whole measure
    assert quarter >= 100 * 4 / (4 + 30 + 30)  # even the narrowest column holds a short word
