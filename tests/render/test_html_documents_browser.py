"""The memo's tables, notes, lists and code in a real browser (Debian's headless Chromium), in every view.

What a parse cannot tell: that a table reads as a table in each of the reader's four views with the right
language showing in its cells, that no view makes the page wider than the screen, and that a footnote link
scrolls to the note in the reader's language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import memo_edition
from htmltools import make_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]

VIEWS = ("side-by-side", "interleaved", "zh", "en")
#: Which halves of a cell each view shows: (Chinese, English).
SHOWN = {"side-by-side": (True, True), "interleaved": (True, True), "zh": (True, False), "en": (False, True)}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def memo_page(tmp_path_factory) -> Path:
    from translate.render.html import render_html

    settings = make_settings(tmp_path_factory.mktemp("memo") / "build")
    render_html(memo_edition(), settings)
    return settings.build_dir / "html" / "memo.html"


@pytest.fixture
def open_page(browser, memo_page):
    contexts = []

    def _open(width: int, view: str):
        context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(memo_page.as_uri())
        page.wait_for_load_state("load")
        page.click(f'[data-set-view="{view}"]')
        return page, errors

    yield _open
    for context in contexts:
        context.close()


FACTS = """() => {
  const visible = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const table = document.querySelector('#t1 table');
  const cell = document.getElementById('b006');
  const box = table.getBoundingClientRect();
  const holder = table.parentElement;
  return {
    tableVisible: visible(table),
    rows: table.rows.length,
    zh: visible(cell.querySelector('.zh')),
    en: visible(cell.querySelector('.en')),
    zhAboveEn: cell.querySelector('.zh').getBoundingClientRect().top < cell.querySelector('.en').getBoundingClientRect().top,
    pageWidth: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    holderRight: holder.getBoundingClientRect().right,
    right: box.right,
    codeOnce: document.querySelectorAll('pre code').length,
    codeVisible: visible(document.querySelector('#b034 pre')),
    rightAligned: getComputedStyle(document.getElementById('b007')).textAlign,
  };
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("view", VIEWS)
def test_the_table_reads_as_a_table_in_every_view_and_never_widens_the_page(open_page, view, width):
    page, errors = open_page(width, view)
    facts = page.evaluate(FACTS)
    assert facts["tableVisible"] and facts["rows"] == 5
    assert (facts["zh"], facts["en"]) == SHOWN[view]
    if all(SHOWN[view]):
        assert facts["zhAboveEn"], "each cell's Chinese over its English"
    assert facts["pageWidth"] <= facts["viewport"], f"the page scrolls sideways ({facts})"
    assert facts["holderRight"] <= facts["viewport"] + 1
    assert facts["codeOnce"] == 2 and facts["codeVisible"]
    assert facts["rightAligned"] == "right"
    assert not errors, errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"memo-{view}-{width}.png"), full_page=True)


@pytest.mark.parametrize("view", ["zh", "en"])
def test_a_footnote_link_goes_to_the_visible_note_of_its_language(open_page, view):
    page, errors = open_page(1280, view)
    lang = view
    page.click(f'#b002 .{lang} sup.footnote-ref a')
    assert page.evaluate("location.hash") == f"#fn-1-{lang}"
    note = page.locator(f"#fn-1-{lang}")
    assert note.is_visible()
    assert page.evaluate(f"document.getElementById('fn-1-{lang}').getBoundingClientRect().top") < 900
    page.click(f"#b040 .{lang} a.footnote-back")
    assert page.evaluate("location.hash") == f"#fnref-1-{lang}"
    assert not errors, errors
