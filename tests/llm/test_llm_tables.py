"""Tables, footnotes and protected spans through the LLM engine, against the chat server on 127.0.0.1.

A table goes as one request of numbered cells (row by row, header first); a footnote's paragraphs go
as footnotes; code never goes, nor a footnote reference (it is put back in the English).
"""

from __future__ import annotations

import re

import pytest
from chatserver import fake_english
from documents import memo_article
from llmtools import Response, engine, glossary

from translate.markup import footnote_labels, markup_problems
from translate.models import Cell
from translate.translation.inlinelayer import without_notes
from translate.translation.translator import translate_articles

#: What the model says for each cell of the memo's table (the Chinese as the request gives it).
CELLS = {
    "部件": "Component", "单机成本（元）": "Unit cost (yuan)", "占比": "Share",
    "主控芯片": "Main controller chip", "1,250": "1,250", "41.7%": "41.7%",
    "存储": "Storage", "480": "480", "16.0%": "16.0%",
    "传感器与*摄像头*": "Sensors and *cameras*", "360": "360", "12.0%": "12.0%",
    "3,000": "3,000", "100%": "100%",
}


def is_table(request) -> bool:
    return request.first_user.startswith("Translate the cells of this table")


def linking_english(zh: str, entries: list[dict]) -> str:
    """The chat server's placeholder English, its links and italics kept (inline code it loses, as models do)."""
    english = fake_english(zh, entries)
    for text, url in re.findall(r"\[([^\]]+)\]\(([^)]+)\)", zh):
        english = english.replace(url, f"[the data]({url})", 1)
    for word in re.findall(r"(?<!\*)\*([A-Za-z]+)\*(?!\*)", zh):
        english = english.replace(word, f"*{word}*", 1)
    return english


def cell_model(request) -> Response:
    """Cells from the table above, everything else the chat server's placeholder English."""
    entries = request.glossary
    return request.reply({n: CELLS.get(request.sentences[n]) or linking_english(request.sentences[n], entries)
                          for n in request.asked})


def short_model(request) -> Response:
    """Gives one item fewer than a table request asks for, every time; single cells right."""
    english = cell_model(request)
    if is_table(request) and len(request.asked) > 1:
        asked = request.asked[:-1]
        return request.reply({n: CELLS.get(request.sentences[n], "Lorem") for n in asked})
    return english


def _memo(server, model):
    server.model = model
    llm = engine(server)
    [memo] = translate_articles([memo_article()], llm, glossary(), memory_path=None)
    return llm, memo


def _cells(memo):
    return [(b.block, b.segments) for b in memo.blocks if b.block.kind == "cell"]


def test_the_table_is_one_request_of_numbered_cells_row_by_row(server):
    _, memo = _memo(server, cell_model)
    tables = [r for r in server.requests if is_table(r)]
    assert len(tables) == 1
    request = tables[0]
    cells = [b for b, segments in _cells(memo) if segments]
    assert list(request.sentences.values()) == [without_notes(b.text) for b in cells]
    prompt = request.first_user
    assert "table cells, given row by row, the header row first" in prompt
    assert "Keep every number, unit, percentage" in prompt
    assert "Row 1 (header):\n1. 部件\n2. 单机成本（元）\n3. 占比\nRow 2:\n4. 主控芯片" in prompt
    # No other request carries a cell.
    others = [s for r in server.requests if not is_table(r) for s in r.sentences.values()]
    assert not set(others) & {"部件", "主控芯片", "1,250"}


def test_cells_answered_in_order_land_in_their_cells(server):
    _, memo = _memo(server, cell_model)
    for block, segments in _cells(memo):
        for segment in segments:
            expected = CELLS[without_notes(segment.zh)]
            assert without_notes(segment.en) == expected, (block.cell, segment.zh, segment.en)
            assert markup_problems(segment.zh, segment.en) == []
    by_cell = {(b.cell.row, b.cell.column): s for b, s in _cells(memo)}
    assert by_cell[(1, 0)][0].en == "Main controller chip[^2]"  # the reference put back after the cell's text
    assert by_cell[(4, 0)] == ()  # the empty cell: nothing asked, nothing answered


def test_a_short_answer_never_puts_english_in_the_wrong_cell(server):
    llm, memo = _memo(server, short_model)
    assert llm.counts.fallbacks >= 1  # asked again cell by cell, as any short answer of a block is
    for block, segments in _cells(memo):
        for segment in segments:
            assert without_notes(segment.en) == CELLS[without_notes(segment.zh)], (block.cell, segment.en)
    singles = [r for r in server.requests if is_table(r) and len(r.sentences) == 1]
    assert len(singles) == sum(len(s) for _, s in _cells(memo))
    assert all(re.search(r"^Row \d+( \(header\))?:$", r.first_user, re.M) for r in singles)


def test_footnotes_go_as_footnotes_and_code_and_references_never_go(server):
    _, memo = _memo(server, cell_model)
    notes = [r for r in server.requests if r.first_user.startswith("Translate this footnote") and r.turn == 1]
    assert sorted(r.sentences[1] for r in notes) == sorted(
        s.zh for b in memo.blocks if b.block.kind == "footnote" for s in b.segments)
    everything = "\n".join(m["content"] for r in server.requests for m in r.messages)
    assert "[^" not in everything
    assert "import csv" not in everything and "--year 2025" not in everything
    for segment in (s for b in memo.blocks for s in b.segments):
        assert footnote_labels(segment.en) == footnote_labels(segment.zh), (segment.id, segment.en)
        assert re.findall("`[^`]+`", segment.en) == re.findall("`[^`]+`", segment.zh), (segment.id, segment.en)
        assert markup_problems(segment.zh, segment.en) == [], (segment.id, segment.en)


def test_the_prompt_places_each_sentence_of_a_table_in_its_cell():
    from translate.resources import default_templates
    from translate.translation.llm_prompt import Prompt

    prompt = Prompt(default_templates(), "translate.j2")
    text = prompt.user("table", ["部件", "成本", "主控芯片"], [], "numbered",
                       cells=[Cell("t1", 0, 0, True), Cell("t1", 0, 1, True), Cell("t1", 1, 0)])
    assert "Row 1 (header):\n1. 部件\n2. 成本\nRow 2:\n3. 主控芯片" in text
    plain = prompt.user("paragraph", ["部件"], [], "numbered")
    assert "Row" not in plain and plain.startswith("Translate this paragraph")


@pytest.mark.hostile("llm")
def test_references_and_code_a_model_invents_or_moves_are_not_kept(server):
    """A model that adds a reference of its own, moves one and wraps a word in code gets the source's back."""
    def inventing(request):
        english = {n: CELLS.get(request.sentences[n]) or linking_english(request.sentences[n], request.glossary)
                   for n in request.asked}
        return request.reply({n: f"[^9]{en} `rm -rf /`[^evil]" for n, en in english.items()})

    _, memo = _memo(server, inventing)
    for segment in (s for b in memo.blocks for s in b.segments):
        assert footnote_labels(segment.en) == footnote_labels(segment.zh), (segment.id, segment.en)
        assert "`rm -rf /`" not in segment.en or segment.screened, (segment.id, segment.en)
    cell = next(s for b, segs in _cells(memo) for s in segs if s.zh == "主控芯片[^2]")
    assert cell.en.endswith("[^2]") and "[^9]" not in cell.en


def test_a_reference_after_the_full_stop_stays_with_its_sentence_and_is_never_asked(server):
    from llmtools import article

    llm = engine(server)
    [out] = translate_articles([article("a", "大模型很重要。[^1]")], llm, glossary(), memory_path=None)
    [segment] = [s for b in out.blocks for s in b.segments]
    assert segment.zh == "大模型很重要。[^1]" and footnote_labels(segment.en) == ["1"], segment.en
    asked = [zh for r in server.requests for zh in r.sentences.values()]
    assert "大模型很重要。" in asked and not [zh for zh in asked if not zh.strip() or "[^" in zh]
