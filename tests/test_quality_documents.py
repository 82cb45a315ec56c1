"""The quality report on table cells and footnotes: numbers in cells, and cells and notes counted like sentences."""

from __future__ import annotations

import pytest
from documents import memo_edition
from factories import _seg

from translate.models import ArticleMeta, Article, BilingualArticle, BilingualBlock, Block, Cell
from translate.quality import check_article, segment_flags


def cell_segment(zh: str, en: str):
    return _seg("b007", 1, zh, en, slug="memo")


def kinds(zh: str, en: str) -> list[str]:
    return sorted(f["kind"] for f in segment_flags(cell_segment(zh, en)))


@pytest.mark.parametrize(("zh", "en", "expected"), [
    ("1,250", "1,250", []),
    ("1,250", "1250", []),
    ("3,000", "3 thousand", []),
    ("41.7%", "41.7%", []),
    ("41.7%", "41.7 percent", []),
    ("16.0%", "16%", []),  # the same value
    ("100%", "100%", []),
    ("单机成本 1,250 元", "Unit cost 1,250 yuan", []),
    ("1,250", "1.250", ["number_lost"]),  # a decimal point for the thousands separator: 1.25
    ("1.250", "1,250", ["number_lost"]),
    ("1,250", "12,50", ["number_lost"]),  # a separator in the wrong place is no thousands separator
    ("1,250", "Main chip", ["number_lost"]),
    ("1,250", "", ["empty"]),
    ("41.7%", "41,7%", ["number_lost"]),
    ("41.7%", "41.7", ["number_lost"]),  # the percent sign lost: a share became an amount
    ("41.7%", "0.417", ["number_lost"]),
    ("截至2022年11月，融资总额下降61%。", "By November 2022, total funding fell 61 per cent.", []),
])
def test_numbers_in_a_cell(zh, en, expected):
    assert kinds(zh, en) == expected


def test_a_lost_percent_names_the_share():
    [flag] = segment_flags(cell_segment("41.7%", "41.7"))
    assert (flag["segment"], flag["detail"]) == ("b007.s1", "41.7%")


def _table_article() -> BilingualArticle:
    cells = [("b001", Cell("t1", 0, 0, True), "部件", "Component"),
             ("b002", Cell("t1", 1, 0), "大模型", "Big model"),  # the term not honoured, in a cell
             ("b003", Cell("t1", 1, 1), "1,250", "1.250")]
    blocks = [BilingualBlock(Block(id=b, kind="cell", text=zh, original=zh, cell=cell), (_seg(b, 1, zh, en, slug="t"),))
              for b, cell, zh, en in cells]
    note = Block(id="b004", kind="footnote", text="周明说的。", original="周明说的。", note="1")
    blocks.append(BilingualBlock(note, (_seg("b004", 1, "周明说的。", "As Zhou Ming said.", slug="t"),)))
    meta = ArticleMeta(title="表", title_original="表", source_file="t.md", script="simplified")
    return BilingualArticle(Article("t", meta, tuple(b.block for b in blocks)), "Table", tuple(blocks), "gloss")


def test_cells_and_notes_count_like_sentences_in_the_report_and_the_glossary_proof():
    report = check_article(_table_article())
    assert report.segments == 4
    # 大模型 in a cell (not honoured), 周明 in a note
    assert (report.terms.pairs, report.terms.honoured) == (2, 1)
    assert [(v["segment"], v["term"]) for v in report.violations] == [("b002.s1", "大模型")]
    assert [(f["segment"], f["kind"]) for f in report.flags] == [("b003.s1", "number_lost")]


def test_the_memo_report_counts_every_cell_and_note():
    edition = memo_edition()
    [row] = edition.report.articles
    [memo] = edition.articles
    cells = [s for b in memo.blocks if b.block.kind == "cell" for s in b.segments]
    notes = [s for b in memo.blocks if b.block.kind == "footnote" for s in b.segments]
    assert len(cells) == 14 and len(notes) == 3  # 15 cells, one empty
    assert row.segments == len(memo.segments) >= 1 + len(cells) + len(notes)
    cell_ids = {s.id for s in cells}
    # The gloss keeps every number of the table: no cell is flagged for one.
    assert not [f for f in row.flags if f["segment"] in cell_ids and f["kind"] == "number_lost"]
