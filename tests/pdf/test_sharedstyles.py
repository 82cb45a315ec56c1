"""Pairs share their computed styles (issue 33): a part laid out inside ``sharedstyles.sharing`` is the part WeasyPrint sets.

Every pair has an ``id`` and each column a ``lang``, which WeasyPrint turns into declarations of the
element's own, so that no two pairs shared a style. :mod:`~translate.render.pdf.sharedstyles` has
elements alike but for their anchors share one and gives each its anchor apart. These tests lay the
same document out with and without it and compare the PDFs byte for byte, the anchors' places, and
how many styles were computed.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

from translate.render.pdf import sharedstyles

REPO = Path(__file__).resolve().parents[2]

CSS = """@page { size: A7; margin: 6mm; @top-center { content: string(title); font-size: 5pt } }
@page { @footnote { border-top: 0.5pt solid #ccc } }
body { font-size: 7pt; line-height: 1.4 }
.article { string-set: title attr(data-title) }
.pair { display: table; table-layout: fixed; width: 100%; border-collapse: collapse; margin: 0 0 1.5mm }
.pair > div { display: table-cell; vertical-align: top; text-align: justify }
.pair > .zh { width: 42%; padding-right: 2mm; border-right: 0.4pt solid #ccc; word-spacing: -0.25em }
.pair > .en { padding-left: 2mm; hyphens: auto }
.pair.kind-heading { bookmark-level: 2; bookmark-label: attr(data-bookmark); break-after: avoid }
.pair.kind-heading > div { font-weight: bold; text-align: left }
.pair.kind-list_item > .en::before { content: "• " }
.footnote { float: footnote; font-size: 5pt }
.footnote::footnote-call { content: attr(data-n); vertical-align: super; font-size: 0.7em }
.cell-table { width: 100%; border-collapse: collapse } .cell-table td { border: 0.3pt solid #999; padding: 1mm }
a { color: inherit }"""


def _html() -> str:
    pairs = []
    for n in range(40):
        kind = "heading" if n % 9 == 0 else "list_item" if n % 5 == 1 else "paragraph"
        note = (f'<span class="footnote" id="fn{n}" data-n="{n}">A note of pair {n}, at the foot of its page.</span>'
                if n % 7 == 3 else "")
        pairs.append(
            f'<div class="pair kind-{kind}" id="b{n:03}" data-bookmark="Section {n}">'
            f'<div class="zh" lang="zh-Hans">第 {n} 段 的 中 文 内 容 ， 大 模 型 的 训 练 数 据 与 开 源 社 区 。</div>'
            f'<div class="en" lang="en">The English of pair {n}{note}, long enough to run over a few lines of its '
            f'column: the model, the team and the company, research on large training data and open source.'
            f' <a href="#b{(n * 7) % 40:03}">See pair {(n * 7) % 40}</a>.</div></div>')
    rows = "".join(f'<tr><td id="c{n}" lang="zh-Hans">单 元 {n}</td><td lang="en">cell {n}</td></tr>' for n in range(8))
    return ("<!DOCTYPE html><html lang='en'><body>"
            f"<article class='article' id='a1' data-title='The running title'>{''.join(pairs)}"
            f"<table class='cell-table' id='t1'>{rows}</table></article></body></html>")


def _render(sharing: bool):
    from weasyprint import CSS as Sheet
    from weasyprint import HTML

    with sharedstyles.sharing() if sharing else nullcontext():
        return HTML(string=_html(), base_url=str(REPO)).render(stylesheets=[Sheet(string=CSS)])


def _styles(document) -> set[int]:
    """The distinct styles of the boxes that compute their own values (an anchor's style takes them from another)."""
    seen: set[int] = set()

    def walk(box):
        if type(box.style).__name__ != "AnchoredStyle":
            seen.add(id(box.style))
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return seen


@pytest.mark.slow
def test_a_document_whose_pairs_share_their_styles_is_the_same_pdf():
    shared, alone = _render(True), _render(False)
    assert len(shared.pages) > 4
    assert [page.anchors for page in shared.pages] == [page.anchors for page in alone.pages]
    assert [page.bookmarks for page in shared.pages] == [page.bookmarks for page in alone.pages]
    assert [[link[:3] for link in page.links] for page in shared.pages] == [
        [link[:3] for link in page.links] for page in alone.pages]
    assert shared.write_pdf(pdf_variant="pdf/ua-1") == alone.write_pdf(pdf_variant="pdf/ua-1")
    # The pairs' boxes share a few styles that compute, where each pair had its own.
    assert len(_styles(shared)) * 2 < len(_styles(alone))


@pytest.mark.slow
def test_each_element_keeps_its_own_anchor_and_its_copies_compute_as_weasyprint_copies_do():
    from weasyprint.formatting_structure import boxes

    document = _render(True)
    anchored = {}

    def walk(box):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) and element.get("id") and box.style["anchor"]:
            anchored[element.get("id")] = box.style
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    assert {f"b{n:03}" for n in range(40)} | {"a1", "t1"} <= set(anchored)
    assert all(style["anchor"] == name for name, style in anchored.items())
    style = anchored["b010"]
    copy = style.copy()
    copy["float"] = "left"  # a copy is changed and computes the rest from the element's whole cascade
    assert copy["anchor"] == "b010" and copy["font_size"] == style["font_size"]
    assert copy["display"] == style["display"] and type(copy).__name__ == "ComputedStyle"
    assert isinstance(document.pages[0]._page_box, boxes.PageBox)
