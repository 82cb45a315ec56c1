"""The HTML reader shows the document constructs of issue 28: tables, footnotes, nested and numbered lists, task
items, quotes holding blocks, figures, code and thematic breaks.

Two editions of the memo fixture (``tests/fixtures/documents/memo.md``): ``memo_edition()`` as the gloss engine
translates it, and :func:`exact_edition`, the same article with English made from the Chinese by a fixed rule
(glossary terms in English, every other run of Chinese a word, the inline Markdown and footnote references
kept). The exact one keeps the golden file independent of the engines.

The golden file ``golden/memo-article.html`` is the memo's article body (from ``<div class="bitext">`` to
``</article>``) rendered from :func:`exact_edition`. After a deliberate change, look at the diff the test prints,
then regenerate it with::

    BITEXT_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/render/test_html_documents.py -k golden
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from documents import memo_edition, memo_translated
from factories import HOSTILE, TERMS, glossary
from htmltools import by_class, classes, sides, text_of
from translate.glossary.honour import proof_terms
from translate.markup import plain_text
from translate.models import BilingualArticle, Edition
from translate.render import views

GOLDEN = Path(__file__).parent / "golden" / "memo-article.html"
PAGE = "memo.html"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PUNCTUATION = str.maketrans({"，": ", ", "。": ".", "：": ": ", "；": "; ", "、": ", ", "（": " (", "）": ") ",
                              "“": '"', "”": '"', "！": "!", "？": "?", "—": "-"})


def exact_english(zh: str) -> str:
    """English made from ``zh`` by a fixed rule: terms in English, other Chinese runs ``word``, Markdown kept."""
    for term in sorted(TERMS, key=lambda t: -len(t.zh)):
        zh = zh.replace(term.zh, f" {term.en} ")
    english = _CJK_RUN.sub(" word ", zh).translate(_PUNCTUATION)
    english = re.sub(r" +", " ", english).replace("[ ", "[").replace(" ]", "]").replace(" [^", "[^")
    english = re.sub(r"(\*+) word (\*+)", r"\1word\2", english)  # *摄像头* stays emphasis
    return re.sub(r" ([,.:;?!)])", r"\1", english).strip()


def _exact_article(article: BilingualArticle) -> BilingualArticle:
    def segment(seg, block_id):
        en = exact_english(seg.zh)
        terms, violations = proof_terms(article.slug, block_id, seg.id, seg.zh, en, glossary())
        return replace(seg, en=en, terms=terms, violations=violations, origin="edited")

    blocks = tuple(replace(b, segments=tuple(segment(s, b.block.id) for s in b.segments)) for b in article.blocks)
    return replace(article, blocks=blocks)


def _edition(article: BilingualArticle) -> Edition:
    from factories import TERMS
    from translate.quality import check_edition

    edition = Edition(title="文档结构", subtitle="Every construct", articles=(article,), terms=TERMS,
                      glossary_version="abc123", engine="gloss", model="CC-CEDICT", build_date="2026-12-04",
                      script="source")
    return replace(edition, report=check_edition(edition))


def exact_edition() -> Edition:
    """The memo with the exact English: footnote references on both sides, no engine involved."""
    return _edition(_exact_article(memo_translated()))


def _blocks(edition: Edition):
    return {b.block.id: b for b in edition.articles[0].blocks}


def _side(element, lang: str):
    """The element's child of class ``zh`` or ``en`` (a figure's, inside its figcaption)."""
    found = [c for c in sides(element) if lang in classes(c)]
    assert len(found) == 1, (element.get("id"), lang, [classes(c) for c in element])
    return found[0]


def _segs(element) -> list[str]:
    return [s.get("data-seg") for s in by_class(element, "seg")]


def _model(edition: Edition):
    edition = views.shown_edition(edition)
    return views.article_model(edition, edition.articles[0])


# --- tables ---------------------------------------------------------------------------------------------------------


def test_every_cell_sits_in_its_row_and_column_with_both_languages_paired(render):
    edition = memo_edition()
    page = render(edition).page(PAGE)
    [table_view] = [i for i in _model(edition).items if i.kind == "table"]
    tables = page.findall(".//table")
    assert len(tables) == 1, "one <table> per table, not one per language"
    table = tables[0]
    assert page.find(f".//*[@id='{table_view.id}']").find(".//table") is table
    header = table.findall("./thead/tr")
    body = table.findall("./tbody/tr")
    assert len(header) == 1 and len(body) == len(table_view.body) == 4
    html_rows = [header[0].findall("./th"), *[tr.findall("./td") for tr in body]]
    assert not header[0].findall("./td") and not any(tr.findall("./th") for tr in body)
    shown = views.shown_edition(edition)
    blocks = {b.block.id: b for b in shown.articles[0].blocks}
    for cells, view_row in zip(html_rows, table_view.rows, strict=True):
        assert [c.get("id") for c in cells] == [c.block.block.id for c in view_row]
        for cell in cells:
            bblock = blocks[cell.get("id")]
            if not bblock.segments:
                assert len(cell) == 0 and not text_of(cell).strip(), "an empty cell stays empty"
                continue
            zh, en = _side(cell, "zh"), _side(cell, "en")
            assert list(cell).index(zh) < list(cell).index(en), "the Chinese over the English"
            assert zh.get("lang") == "zh-Hans" and en.get("lang") == "en"
            assert _segs(zh) == _segs(en) == [s.id for s in bblock.segments]
            for seg in bblock.segments:
                for side, markdown in ((zh, seg.zh), (en, seg.en)):
                    assert _without_refs(plain_text(markdown)) in _text_without_refs(side), (seg.id, markdown)


def test_header_cells_are_column_headers_and_columns_keep_their_alignment(render):
    page = render(memo_edition()).page(PAGE)
    table = page.find(".//table")
    headers = table.findall("./thead/tr/th")
    assert [h.get("scope") for h in headers] == ["col", "col", "col"]
    assert ["部件" in text_of(h) for h in headers] == [True, False, False]
    wanted = ["align-left", "align-right", "align-center"]
    for tr in [*table.findall("./thead/tr"), *table.findall("./tbody/tr")]:
        cells = list(tr)
        assert [[c for c in classes(cell) if c.startswith("align-")] for cell in cells] == [[w] for w in wanted]


def test_a_table_scrolls_inside_its_own_box_instead_of_widening_the_page(render):
    site = render(memo_edition())
    table = site.page(PAGE).find(".//table")
    holder = [e for e in site.page(PAGE).iter() if table in list(e)][0]
    assert "table-scroll" in classes(holder) and holder.get("tabindex") == "0" and holder.get("role") == "region"
    css = site.text("edition.css")
    rule = re.search(r"\.table-scroll\s*\{([^}]*)\}", css).group(1)
    assert "overflow-x: auto" in rule


def test_every_view_shows_the_table_and_hides_only_the_other_language_in_cells(render):
    css = render(memo_edition()).text("edition.css")
    # One language views hide that language's half of each cell, and nothing else of the table.
    assert re.search(r'html\[data-view="zh"\] \.bitable \.en\b[^{]*\{[^}]*display: none', css)
    assert re.search(r'html\[data-view="en"\] \.bitable \.zh\b[^{]*\{[^}]*display: none', css)
    assert not re.search(r'html\[data-view="[^"]+"\] [^{]*(\.table-block|\.table-scroll|table)\s*[,{][^}]*display: none',
                         css)


# --- footnotes ------------------------------------------------------------------------------------------------------


def _refs(page):
    return [sup for sup in page.iter("sup") if "footnote-ref" in classes(sup)]


def _language_of(page, element):
    """``zh`` or ``en``: the side (a ``.zh``/``.en`` element) holding ``element``."""
    parents = {child: parent for parent in page.iter() for child in parent}
    node = element
    while node is not None:
        for lang in ("zh", "en"):
            if lang in classes(node):
                return lang
        node = parents.get(node)
    return None


def test_each_footnote_reference_links_to_its_note_in_the_same_language_and_back(render):
    edition = exact_edition()
    page = render(edition).page(PAGE)
    ids = {e.get("id"): e for e in page.iter() if e.get("id")}
    refs = _refs(page)
    # [^1] in a paragraph, [^2] in a table cell: each once in Chinese and once in English.
    assert len(refs) == 4
    seen = {}
    for sup in refs:
        [link] = sup.findall("./a")
        lang = _language_of(page, sup)
        number = text_of(link)
        assert link.get("href") == f"#fn-{number}-{lang}"
        note = ids[f"fn-{number}-{lang}"]
        assert _language_of(page, note) == lang
        assert link.get("id") == f"fnref-{number}-{lang}"  # each the first reference in its language
        seen[(number, lang)] = link
        backs = [a for a in note.iter("a") if "footnote-back" in classes(a)]
        # The back link sits at the end of the note's last paragraph: find it from the note's group.
        group = [g for g in by_class(page, "note") if note in list(g.iter())][0]
        backs = [a for a in group.iter("a") if "footnote-back" in classes(a) and _language_of(page, a) == lang]
        assert [a.get("href") for a in backs] == [f"#fnref-{number}-{lang}"]
    assert sorted(seen) == [("1", "en"), ("1", "zh"), ("2", "en"), ("2", "zh")]
    model = _model(edition)
    assert [n.number for n in model.notes] == [1, 2]
    cell = page.find(".//*[@id='b006']")
    assert [text_of(s) for s in _refs(cell)] == ["2", "2"], "the reference inside a table cell"


def test_the_notes_pair_their_chinese_and_english_paragraph_by_paragraph_in_order(render):
    edition = exact_edition()
    page = render(edition).page(PAGE)
    [section] = by_class(page, "footnotes")
    notes = by_class(section, "note")
    model = _model(edition)
    assert len(notes) == len(model.notes) == 2
    blocks = _blocks(edition)
    for note, view in zip(notes, model.notes):
        rows = by_class(note, "row")
        assert [r.get("id") for r in rows] == [p.block.block.id for p in view.blocks]
        for row in rows:
            zh, en = _side(row, "zh"), _side(row, "en")
            assert zh.get("lang") == "zh-Hans" and en.get("lang") == "en"
            assert _segs(zh) == _segs(en) == [s.id for s in blocks[row.get("id")].segments]
        first = rows[0]
        assert _side(first, "zh").get("id") == f"fn-{view.number}-zh"
        assert _side(first, "en").get("id") == f"fn-{view.number}-en"
        assert text_of(by_class(_side(first, "en"), "note-number")[0]) == str(view.number)
    # The notes come after the body, and nothing of a note is shown in the body.
    body = by_class(page, "bitext")[0]
    assert not [e for e in body.iter() if "b039" == e.get("id")]
    assert [r.get("id") for r in by_class(section, "row")] == ["b039", "b040", "b041"]


def test_a_reference_to_a_missing_note_is_plain_superscript_text(render):
    article = memo_translated()
    blocks = tuple(b for b in article.blocks if b.block.note != "2")  # note 2's definition is gone
    page = render(_edition(_exact_article(replace(article, blocks=blocks)))).page(PAGE)
    cell = page.find(".//*[@id='b006']")
    refs = _refs(cell)
    assert [text_of(r) for r in refs] == ["2", "2"]
    assert not [a for r in refs for a in r.iter("a")], "no link to a note that does not exist"
    hrefs = {a.get("href") for a in page.iter("a")}
    assert {"#fn-1-zh", "#fn-1-en"} <= hrefs and not {h for h in hrefs if h and h.startswith("#fn-2")}


# --- lists, quotes, figures, code, rules ------------------------------------------------------------------------


def _row(page, block_id):
    row = page.find(f".//*[@id='{block_id}']")
    assert row is not None, block_id
    return row


def _indent(element) -> int:
    found = [int(c.split("-")[1]) for c in classes(element) if re.fullmatch(r"indent-\d+", c)]
    return found[0] if found else 0


def test_nested_list_items_are_indented_by_their_depth(render):
    edition = memo_edition()
    page = render(edition).page(PAGE)
    for bblock in edition.articles[0].blocks:
        block = bblock.block
        if block.kind != "list_item" or block.quoted:
            continue
        for lang in ("zh", "en"):
            [listing] = [e for e in _side(_row(page, block.id), lang) if e.tag in ("ul", "ol")]
            assert _indent(listing) == block.depth - 1, (block.id, lang)
            assert len(listing.findall("./li")) == 1
    # b019 (depth 1), b020 (2), b022 (3)
    assert [_indent(_side(_row(page, b), "en")[0]) for b in ("b019", "b020", "b022")] == [0, 1, 2]


def test_ordered_items_show_their_numbers_in_both_languages(render):
    page = render(memo_edition()).page(PAGE)
    for block_id, number in (("b019", "1"), ("b023", "2"), ("b025", "3")):
        for lang in ("zh", "en"):
            [listing] = list(_side(_row(page, block_id), lang))
            assert listing.tag == "ol" and listing.get("start") == number, (block_id, lang)
    assert [e.tag for e in _side(_row(page, "b020"), "zh")] == ["ul"]


def test_a_paragraph_continuing_an_item_is_indented_without_a_bullet(render):
    page = render(memo_edition()).page(PAGE)
    for lang in ("zh", "en"):
        [paragraph] = list(_side(_row(page, "b024"), lang))
        assert paragraph.tag == "p" and _indent(paragraph) == 1
        assert not paragraph.findall(".//li")


def test_task_items_show_a_box_that_is_not_a_control(render):
    page = render(memo_edition()).page(PAGE)
    assert not page.findall(".//input")
    for block_id, glyph in (("b026", "☑"), ("b027", "☐")):
        for lang in ("zh", "en"):
            side = _side(_row(page, block_id), lang)
            boxes = by_class(side, "task-box")
            assert [text_of(b) for b in boxes] == [glyph], (block_id, lang)
            assert boxes[0].get("role") == "img" and boxes[0].get("aria-label")


def test_blocks_inside_a_quote_are_quoted_a_list_too(render):
    page = render(memo_edition()).page(PAGE)
    for block_id, inner in (("b028", "p"), ("b029", "ul"), ("b031", "p")):
        for lang in ("zh", "en"):
            [quote] = list(_side(_row(page, block_id), lang))
            assert quote.tag == "blockquote", (block_id, lang)
            assert [e.tag for e in quote] == [inner]
    assert not [e for e in _side(_row(page, "b019"), "zh").iter("blockquote")]


def test_a_figure_holds_the_placeholder_and_both_captions_and_loads_nothing(render):
    page = render(memo_edition()).page(PAGE)
    figure = _row(page, "b032")
    assert figure.tag == "figure"
    assert not page.findall(".//img")
    assert [a.get("href") for a in figure.iter("a")] == ["https://example.com/line.jpg"]
    assert "深圳" in text_of(_side(figure, "zh")) and _segs(_side(figure, "en")) == ["b032.s1"]


def test_code_is_shown_once_across_the_page_and_escaped(render):
    site = render(memo_edition())
    page = site.page(PAGE)
    codes = page.findall(".//pre/code")
    assert [c.get("class") for c in codes] == ["language-python", "language-bash"]
    assert text_of(codes[0]) == '# 导出成本数据\nimport csv\nrows = [("主控芯片", 1250)]'
    assert site.text(PAGE).count("import csv") == 1
    block = _row(page, "b034")
    assert "row" not in classes(block), "code is not a two-column row"
    assert not by_class(block, "zh") and not by_class(block, "en") and not by_class(block, "seg")
    nested = _row(page, "b036")
    assert _indent(nested.find(".//pre")) == 1, "code inside a list item is indented with it"


def test_a_thematic_break_is_a_rule(render):
    page = render(memo_edition()).page(PAGE)
    assert _row(page, "b037").tag == "hr"


def test_inline_code_and_links_stay(render):
    page = render(memo_edition()).page(PAGE)
    paragraph = _row(page, "b002")
    assert [text_of(c) for c in _side(paragraph, "zh").iter("code")] == ["cost_model.py"]
    assert "https://example.com/data" in [a.get("href") for a in _side(paragraph, "zh").iter("a")]


@pytest.mark.hostile("corpus")
def test_markup_in_code_and_cells_is_text(render):
    article = memo_translated()
    hostile_code = '</code></pre><script>alert("code")</script><img src=x onerror=alert(1)>'

    def block(b):
        if b.block.id == "b034":
            return replace(b, block=replace(b.block, text=hostile_code, original=hostile_code, lang='x" onclick="y'))
        if b.block.id == "b007":
            return replace(b, segments=tuple(replace(s, zh=HOSTILE, zh_original=HOSTILE, en=HOSTILE, origin="edited")
                                             for s in b.segments))
        return b

    site = render(_edition(replace(article, blocks=tuple(block(b) for b in article.blocks))))
    page = site.page(PAGE)
    assert not page.findall(".//script[@src]") or all(s.get("src") in ("words.js", "edition.js")
                                                       for s in page.findall(".//script"))
    assert all(not (s.text or "").strip() for s in page.findall(".//script"))
    assert not page.findall(".//b") and not page.findall(".//img")
    assert not [e for e in page.iter() if any(a.lower().startswith("on") for a in e.attrib)]
    code = _row(page, "b034").find(".//code")
    assert text_of(code) == hostile_code
    assert code.get("class") == "language-xonclicky"
    cell = _row(page, "b007")
    assert cell.tag == "td" and text_of(_side(cell, "zh")) == HOSTILE and text_of(_side(cell, "en")) == HOSTILE


# --- nothing lost, golden -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [memo_edition, exact_edition], ids=["gloss", "exact"])
def test_no_text_of_any_block_is_lost(render, make):
    edition = make()
    page = render(edition).page(PAGE)
    shown = views.shown_edition(edition)
    segments = 0
    for bblock in shown.articles[0].blocks:
        block = bblock.block
        element = _row(page, block.id)
        if block.kind == "code":
            assert text_of(element) == block.text
            continue
        for seg in bblock.segments:
            segments += 1
            for lang, markdown in (("zh", seg.zh), ("en", seg.en)):
                spans = [s for s in by_class(element, "seg") if s.get("data-seg") == seg.id
                         and _language_of(page, s) == lang]
                assert len(spans) == 1, (seg.id, lang)
                assert _without_refs(plain_text(markdown)) in _text_without_refs(spans[0]), (seg.id, lang)
    assert segments == len(shown.articles[0].segments) - 1  # every segment but the title


def _without_refs(text: str) -> str:
    """``text`` without footnote references (``[^1]``), its spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\[\^[^\]]+\]", "", text)).strip()


def _text_without_refs(element) -> str:
    """The text of ``element`` with the numbers of its footnote references left out, its spaces collapsed."""
    def walk(node) -> str:
        parts = [node.text or ""]
        for child in node:
            if not (child.tag == "sup" and "footnote-ref" in classes(child)):
                parts.append(walk(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return re.sub(r"\s+", " ", walk(element))


def _article_body(page_text: str) -> str:
    start = page_text.index('<div class="bitext">')
    end = page_text.index("</article>") + len("</article>")
    return page_text[start:end] + "\n"


def test_golden_html_of_the_memo(render):
    body = _article_body(render(exact_edition()).text(PAGE))
    if os.environ.get("BITEXT_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(body, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if body != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), body.splitlines(True),
                                            "golden/memo-article.html", "rendered", n=2))
        pytest.fail("the memo's HTML differs from the golden file (regenerate it as the module docstring says, "
                    "once the change is deliberate):\n" + diff[:20000])


def test_a_switchable_page_anchors_each_reference_once_in_the_script_shown_first(render):
    from translate.script import to_traditional

    article = _exact_article(memo_translated())
    meta = replace(article.article.meta, script="traditional")
    blocks = tuple(replace(b, segments=tuple(replace(s, zh_original=to_traditional(s.zh)) for s in b.segments))
                   for b in article.blocks)
    page = render(_edition(replace(article, article=replace(article.article, meta=meta), blocks=blocks))).page(PAGE)
    ids = [e.get("id") for e in page.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    parents = {child: parent for parent in page.iter() for child in parent}
    for number in ("1", "2"):
        anchor = [e for e in page.iter() if e.get("id") == f"fnref-{number}-zh"]
        assert len(anchor) == 1
        node = anchor[0]
        while "sc-t" not in classes(node) and "sc-s" not in classes(node):
            node = parents[node]
        assert "sc-t" in classes(node), "the anchor is in the Traditional text, shown by default"
        links = [a for a in page.iter("a") if a.get("href") == f"#fn-{number}-zh"]
        assert len(links) == 2  # one per script, both to the Chinese note
