"""Cells and footnotes are edited through ``bitext serve`` like any sentence (issue 28).

A real ``bitext serve`` runs on a temporary edition holding the memo fixture (a table, footnotes, lists, code):
the served page lays the table and the notes out as ``bitext build`` does, the editor's API saves a cell's and
a note's English by segment id, the rebuild shows the new English in that cell and that note, and
``corpus/memo.en.po`` holds it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from servetools import GLOSSARY, start, stop
from translate.postedit.store import read_store

MEMO = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "memo.md"
SLUG = "memo"
CELL = "b009.s1"       # 存储, the second body row's first cell
NOTE = "b040.s1"       # the second paragraph of note 1
HEADER = "b005.s1"     # 占比, a header cell
RELOAD = 30_000        # ms a rebuild and the page's reload may take on a busy machine


def _project(folder: Path) -> Path:
    (folder / "corpus").mkdir(parents=True)
    (folder / "glossary").mkdir()
    shutil.copyfile(MEMO, folder / "corpus" / f"{SLUG}.md")
    (folder / "glossary" / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    (folder / "edition.toml").write_text('[edition]\ntitle = "Memo"\n\n[translation]\nengine = "gloss"\n',
                                         encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def memo_served(tmp_path_factory):
    """A running server on the memo edition (its own, not the package's tiny one)."""
    served = start(_project(tmp_path_factory.mktemp("serve-documents") / "edition"))
    try:
        served.settle()
        yield served
    finally:
        stop(served)


def _page(served):
    import html5lib

    status, _, data = served.request("GET", f"/{SLUG}.html")
    assert status == 200, data[:500]
    return html5lib.parse(data.decode("utf-8"), namespaceHTMLElements=False)


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _english(page, segment: str):
    """The English ``.seg`` of ``segment`` and the element (``td``/``th`` or note row side) holding it."""
    parents = {child: parent for parent in page.iter() for child in parent}
    spans = [e for e in page.iter() if e.get("data-seg") == segment and e.get("data-origin")]
    assert len(spans) == 1, segment
    side = parents[spans[0]]
    while "en" not in _classes(side):
        side = parents[side]
    return spans[0], side, parents


def _edit(served, segment: str, english: str) -> dict:
    opened_status, _, body = served.request("GET", f"/_bitext/segment?slug={SLUG}&seg={quote(segment)}")
    assert opened_status == 200, body
    opened = json.loads(body)
    generation = served.status()["generation"]
    status, reply = served.post("/_bitext/save", {"slug": SLUG, "seg": segment, "zh": opened["zh"], "en": english,
                                                  "version": opened["version"]})
    assert status == 200, reply
    assert reply["written"] and reply["en"] == english
    served.settle(after=generation)
    return opened


def _stored(served, segment: str) -> str:
    return {e.id: e.en for e in read_store(served.project / "corpus" / f"{SLUG}.en.po")}[segment]


def test_the_served_page_has_the_table_and_notes_the_editor_looks_for(memo_served):
    page = _page(memo_served)
    assert len(page.findall(".//table")) == 1
    # The editor opens what is a .seg[data-seg] inside an .en: each cell and note paragraph has one.
    span, side, parents = _english(page, CELL)
    assert parents[side].tag == "td" and parents[side].get("id") == "b009"
    span, side, parents = _english(page, NOTE)
    assert "kind-footnote" in _classes(parents[side]) and parents[side].get("id") == "b040"
    status, _, body = memo_served.request("GET", f"/_bitext/segment?slug={SLUG}&seg={CELL}")
    assert status == 200 and json.loads(body)["zh"] == "存储"


def test_a_cells_english_is_saved_rebuilt_into_its_cell_and_kept_in_the_store(memo_served):
    english = "Storage (edited in the cell)"
    opened = _edit(memo_served, CELL, english)
    assert opened["zh"] == "存储"
    assert _stored(memo_served, CELL) == english
    span, side, parents = _english(_page(memo_served), CELL)
    cell = parents[side]
    assert cell.tag == "td" and cell.get("id") == "b009"
    assert "".join(span.itertext()) == english and span.get("data-origin") == "edited"
    row = parents[cell]
    assert [c.get("id") for c in row] == ["b009", "b010", "b011"], "the cell stays in its row and column"


def test_a_footnotes_english_is_saved_rebuilt_into_its_note_and_kept_in_the_store(memo_served):
    english = "The quotes date from January to March 2025."
    opened = _edit(memo_served, NOTE, english)
    assert "报价单" in opened["zh"]
    assert _stored(memo_served, NOTE) == english
    page = _page(memo_served)
    span, side, parents = _english(page, NOTE)
    assert "".join(span.itertext()) == english and span.get("data-origin") == "edited"
    note = parents[parents[side]]
    assert "note" in _classes(note)
    first = [e for e in note.iter() if e.get("id") == "fn-1-en"]
    assert first, "the edited paragraph stays in note 1"
    # Nothing else of the store changed its English: only the two segments edited in this module are edited.
    edited = {e.id for e in read_store(memo_served.project / "corpus" / f"{SLUG}.en.po") if e.en.strip()}
    assert edited <= {CELL, NOTE, HEADER}


@pytest.mark.slow
@pytest.mark.browser
def test_clicking_a_header_cell_in_the_browser_opens_the_editor_and_saves_into_the_cell(memo_served, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(f"{memo_served.origin}/{SLUG}.html")
        page.wait_for_selector(".bitext-bar")
        page.click(".bitext-edit-toggle")
        page.locator(f'th .en .seg[data-seg="{HEADER}"]').click()
        editor = page.locator(f'.bitext-editor[data-for="{HEADER}"]')
        editor.locator("textarea").wait_for()
        assert editor.locator(".bitext-zh").inner_text() == "占比"
        assert page.evaluate(f"document.querySelector('.bitext-editor[data-for=\"{HEADER}\"]').closest('th').id") == "b005"
        editor.locator("textarea").fill("Share")
        with page.expect_navigation(timeout=RELOAD):  # the rebuild reloads the page by itself
            editor.locator("textarea").press("Control+Enter")
        page.wait_for_selector(f'th .en .seg[data-seg="{HEADER}"][data-origin="edited"]')
        assert page.locator(f'th#b005 .en .seg[data-seg="{HEADER}"]').inner_text() == "Share"
        assert _stored(memo_served, HEADER) == "Share"
        assert not errors, errors
    finally:
        context.close()
