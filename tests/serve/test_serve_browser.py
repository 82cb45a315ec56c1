"""The editor in a real browser: Debian's headless Chromium driven by Playwright, against a running bitext serve."""

from __future__ import annotations

import re

import pytest


from translate.postedit.store import read_store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RELOAD = 30_000  # ms a rebuild and the page's reload may take on a busy machine
#: The one failed request the browser reports in these tests: the conflict's answer.
EXPECTED = "status of 409 (Conflict)"




class Tab:
    """One browser tab on the served article, recording script errors and dialogs."""

    def __init__(self, browser, served):
        self.served = served
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and not m.text.endswith(EXPECTED) and
                     self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(f"{served.origin}/interview.html")
        self.page.wait_for_selector(".bitext-bar")

    def english(self, seg: str):
        return self.page.locator(f'.en .seg[data-seg="{seg}"]')

    def edit(self, seg: str):
        """Turn the edit view on (once) and open the editor on ``seg``."""
        if self.page.get_attribute(".bitext-edit-toggle", "aria-pressed") != "true":
            self.page.click(".bitext-edit-toggle")
        self.english(seg).click()
        self.page.wait_for_selector(f'.bitext-editor[data-for="{seg}"] textarea')
        return self.page.locator(f'.bitext-editor[data-for="{seg}"]')

    def close(self):
        assert not self.errors, self.errors  # a CSP violation or a script error shows here
        assert not self.dialogs
        self.context.close()


@pytest.fixture
def tab(browser, served):
    tabs = []

    def open_tab() -> Tab:
        tabs.append(Tab(browser, served))
        return tabs[-1]

    yield open_tab
    for t in tabs:
        t.close()
    served.settle()


def stored(served, seg: str) -> str:
    return {e.id: e.en for e in read_store(served.store)}[seg]


def test_an_edit_is_saved_to_the_po_store_and_persists(served, tab):
    t = tab()
    editor = t.edit("b001.s1")
    assert editor.locator(".bitext-zh").inner_text() == "周明创立了澜舟科技。"
    editor.locator("textarea").fill("Zhou Ming founded Langboat.")
    with t.page.expect_navigation(timeout=RELOAD):  # the rebuild reloads the page by itself
        editor.locator("textarea").press("Control+Enter")
    assert stored(served, "b001.s1") == "Zhou Ming founded Langboat."
    assert t.page.evaluate("document.activeElement.getAttribute('data-seg')") == "b001.s1"  # focus kept
    assert "Saved b001.s1" in t.page.locator(".bitext-message").inner_text()
    t.page.reload()
    span = t.english("b001.s1")
    assert span.inner_text() == "Zhou Ming founded Langboat."
    assert span.get_attribute("data-origin") == "edited"
    # The report's shares follow.
    _, _, report = served.request("GET", "/report.html")
    assert re.search(r"\b[1-9] of \d+ segments edited by the translators", report.decode())


def test_a_missing_glossary_term_is_marked_as_you_type(served, tab):
    t = tab()
    editor = t.edit("b004.s1")
    before = served.store.read_bytes()
    editor.locator("textarea").fill("Langboat serves companies.")
    editor.locator('.bitext-terms li.missing[data-term="大模型"]').wait_for()
    assert editor.locator('.bitext-terms li[data-term="澜舟科技"]').get_attribute("class") == "honoured"
    assert "large model" in editor.locator('li.missing[data-term="大模型"]').inner_text()
    editor.locator("textarea").fill("Langboat's large model serves companies.")
    editor.locator('.bitext-terms li.honoured[data-term="大模型"]').wait_for()
    editor.locator("textarea").press("Escape")
    t.page.wait_for_selector(".bitext-editor", state="detached")
    assert served.store.read_bytes() == before  # proofing writes nothing


def test_a_glossary_edit_on_disk_shows_in_the_open_page(served, tab):
    t = tab()
    assert "infrastructure" in t.english("b002.s1").inner_text()
    glossary = served.project / "glossary" / "terms.csv"
    original = glossary.read_text(encoding="utf-8")
    try:
        with t.page.expect_navigation(timeout=RELOAD):
            glossary.write_text(original.replace("基础设施,infrastructure", "基础设施,basic facilities"),
                                encoding="utf-8")
        assert "basic facilities" in t.english("b002.s1").inner_text()
    finally:
        generation = served.status()["generation"]
        glossary.write_text(original, encoding="utf-8")
        served.settle(after=generation)


def test_a_glossary_edit_reloads_the_glossary_page_once_it_is_written_after_the_article_pages(served, tab):
    article, glossary_page = tab(), tab()
    glossary_page.page.goto(f"{served.origin}/glossary.html")
    glossary_page.page.wait_for_selector(".bitext-bar")
    assert "infrastructure" in glossary_page.page.inner_text("body")
    loads: list[str] = []
    glossary_page.page.on("load", lambda _: loads.append(glossary_page.page.url))
    glossary = served.project / "glossary" / "terms.csv"
    original = glossary.read_text(encoding="utf-8")
    try:
        # The article page is told first (its page named, the glossary page still to come); the glossary page
        # waits for the status that says it is written, and reloads once, onto the new entry.
        with article.page.expect_navigation(timeout=RELOAD), glossary_page.page.expect_navigation(timeout=RELOAD):
            glossary.write_text(original.replace("基础设施,infrastructure", "基础设施,basic facilities"),
                                encoding="utf-8")
        glossary_page.page.wait_for_selector(".bitext-bar")
        assert "basic facilities" in glossary_page.page.inner_text("body")
        assert "basic facilities" in article.english("b002.s1").inner_text()
        served.settle()
        assert len(loads) == 1
    finally:
        generation = served.status()["generation"]
        glossary.write_text(original, encoding="utf-8")
        served.settle(after=generation)


def test_a_broken_glossary_is_shown_in_the_page_and_the_last_good_build_stays(served, tab):
    t = tab()
    glossary = served.project / "glossary" / "terms.csv"
    original = glossary.read_text(encoding="utf-8")
    try:
        glossary.write_text(original + "坏词,,,,,concept,\n", encoding="utf-8")
        banner = t.page.locator("#bitext-serve-status")
        banner.wait_for(state="visible", timeout=RELOAD)
        assert re.search(r"terms\.csv:6: ", banner.inner_text())
        assert t.english("b002.s1").is_visible()
        _, _, page = served.request("GET", "/interview.html")  # a page opened now says so too
        assert b'id="bitext-serve-status"' in page and "周明".encode() in page
    finally:
        generation = served.status()["generation"]
        glossary.write_text(original, encoding="utf-8")
        served.settle(after=generation)
    banner.wait_for(state="hidden", timeout=RELOAD)


def test_two_tabs_saving_the_same_segment_conflict_and_lose_nothing(served, tab):
    first, second = tab(), tab()
    one = first.edit("b003.s1")
    two = second.edit("b003.s1")
    one.locator("textarea").fill("The third paragraph has no term (first tab).")
    with first.page.expect_navigation(timeout=RELOAD):
        one.locator("textarea").press("Control+Enter")
    two.locator("textarea").fill("Paragraph three has no terms (second tab).")
    two.locator("textarea").press("Control+Enter")
    conflict = two.locator(".bitext-conflict")
    conflict.wait_for(state="visible")
    assert conflict.locator(".bitext-conflict-theirs").inner_text() == "The third paragraph has no term (first tab)."
    assert conflict.locator(".bitext-conflict-yours").inner_text() == "Paragraph three has no terms (second tab)."
    assert two.locator("textarea").input_value() == "Paragraph three has no terms (second tab)."
    assert stored(served, "b003.s1") == "The third paragraph has no term (first tab)."
    with second.page.expect_navigation(timeout=RELOAD):  # the reload waited for the open editor
        conflict.locator(".bitext-keep-mine").click()
    assert stored(served, "b003.s1") == "Paragraph three has no terms (second tab)."


def test_undo_of_the_last_save(served, tab):
    t = tab()
    editor = t.edit("b007.s1")
    editor.locator("textarea").fill("This paragraph is for the undo test.")
    with t.page.expect_navigation(timeout=RELOAD):
        editor.locator("textarea").press("Control+Enter")
    assert stored(served, "b007.s1") == "This paragraph is for the undo test."
    with t.page.expect_navigation(timeout=RELOAD):
        t.page.keyboard.press("u")
    assert stored(served, "b007.s1") == ""
    assert t.english("b007.s1").get_attribute("data-origin") == "gloss"
    t.page.keyboard.press("u")
    assert "Nothing to undo" in t.page.locator(".bitext-message").inner_text()


def test_edited_text_is_escaped(served, tab):
    t = tab()
    editor = t.edit("b001.s2")
    hostile = 'He thinks the large model <img src=x onerror="window.pwned=1"> & <script>window.pwned=2</script> matters.'
    editor.locator("textarea").fill(hostile)
    with t.page.expect_navigation(timeout=RELOAD):
        editor.locator("textarea").press("Control+Enter")
    span = t.english("b001.s2")
    assert span.inner_text() == hostile
    assert t.page.locator(".en img, .en script").count() == 0
    assert t.page.evaluate("window.pwned") is None


def test_keyboard_goes_to_the_next_sentence_to_check(served, tab):
    t = tab()
    t.page.click(".bitext-edit-toggle")
    t.page.keyboard.press("n")
    first = t.page.evaluate("document.activeElement.getAttribute('data-seg')")
    t.page.keyboard.press("n")
    second = t.page.evaluate("document.activeElement.getAttribute('data-seg')")
    order = t.page.evaluate("[...document.querySelectorAll('.en .seg[data-seg]')].map(s => s.getAttribute('data-seg'))")
    assert order.index(second) > order.index(first)
    for seg in (first, second):
        assert t.english(seg).get_attribute("data-origin") != "edited" or "violation" in t.english(seg).get_attribute("class")
    t.page.keyboard.press("Enter")
    t.page.wait_for_selector(f'.bitext-editor[data-for="{second}"] textarea')
    t.page.keyboard.press("Escape")
    t.page.wait_for_selector(".bitext-editor", state="detached")
    assert t.page.evaluate("document.activeElement.getAttribute('data-seg')") == second
