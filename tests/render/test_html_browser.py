"""The HTML edition in a real browser: Debian's headless Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


from htmltools import REPO, corpus_edition, make_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (1280, 390)
SCREENSHOTS = REPO / "build" / "screenshots"


@pytest.fixture(scope="module")
def edition():
    """The first blocks of the five real articles, glossed, plus the sample's awkward articles."""
    return corpus_edition(limit_blocks=40)


@pytest.fixture(scope="module")
def site(tmp_path_factory, edition) -> Path:
    """The edition rendered once."""
    from translate.render.html import render_html

    settings = make_settings(tmp_path_factory.mktemp("browser") / "build")
    render_html(edition, settings)
    return settings.build_dir / "html"


@pytest.fixture(scope="module")
def real_pages(edition) -> list[str]:
    """Page names of the real articles, the first Simplified one first, then the first Traditional one."""
    from translate.render.html import article_file

    real = [a for a in edition.articles if a.slug not in ("interview", "essay")]
    simplified = [a for a in real if a.article.meta.script == "simplified"]
    traditional = [a for a in real if a.article.meta.script == "traditional"]
    ordered = simplified[:1] + traditional[:1] + [a for a in real if a not in simplified[:1] + traditional[:1]]
    return [article_file(a.slug) for a in ordered]




class Visit:
    """A page opened from disk, recording every request, console error and dialog."""

    def __init__(self, browser, width: int):
        height = 900 if width > 600 else 844
        self.context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def open(self, path: Path):
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    visits = []

    def _visit(width: int = 1280) -> Visit:
        visits.append(Visit(browser, width))
        return visits[-1]

    yield _visit
    for v in visits:
        v.close()


PAGES = ("index.html", "interview.html", "essay.html", "glossary.html", "report.html")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow_and_nothing_remote(visit, site, real_pages, width):
    v = visit(width)
    for name in (*PAGES, *real_pages):
        page = v.open(site / name)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} overflows by {overflow}px at {width}px"
        wide = page.evaluate("""w => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > w + 1 && getComputedStyle(e).display !== 'none')
            .slice(0, 3).map(e => e.tagName + '.' + e.className)""", width)
        assert not wide, f"{name}: elements wider than the screen: {wide}"
    assert v.requests and all(url.startswith("file://") for url in v.requests), [
        u for u in v.requests if not u.startswith("file://")]
    assert not v.errors, v.errors  # a CSP violation or a script error would show here
    assert not v.dialogs


def test_scripts_run_under_the_content_security_policy(visit, site):
    v = visit()
    page = v.open(site / "interview.html")
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert page.evaluate("typeof window.BITEXT_WORDS === 'object' && Object.keys(window.BITEXT_WORDS).length > 0")
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert not v.errors


def _tops(page):
    return page.evaluate("""() => [...document.querySelectorAll('.row')].map(row => {
        const zh = row.querySelector(':scope > .zh, :scope > .captions > .zh').getBoundingClientRect();
        const en = row.querySelector(':scope > .en, :scope > .captions > .en').getBoundingClientRect();
        return [row.id, zh.top, en.top, zh.bottom];
    })""")


def test_side_by_side_rows_start_level(visit, site, real_pages):
    v = visit(1280)
    for name in ("interview.html", "essay.html", *real_pages[:2]):
        rows = _tops(v.open(site / name))
        assert rows
        for row_id, zh_top, en_top, _ in rows:
            assert abs(zh_top - en_top) < 1, f"{name} row {row_id}: Chinese at {zh_top}, English at {en_top}"


def test_narrow_screens_stack_each_chinese_block_above_its_english(visit, site, real_pages):
    page = visit(390).open(site / real_pages[0])
    for row_id, zh_top, en_top, zh_bottom in _tops(page):
        assert en_top >= zh_bottom - 1, row_id


def test_pointing_at_or_focusing_a_sentence_highlights_its_counterpart(visit, site):
    page = visit().open(site / "interview.html")
    zh = page.locator('.zh .seg[data-seg="b002.s1"]')
    en = page.locator('.en .seg[data-seg="b002.s1"]')
    zh.hover()
    assert "linked" in en.get_attribute("class")
    assert "linked" not in page.locator('.en .seg[data-seg="b002.s2"]').get_attribute("class")
    page.locator('.en .seg[data-seg="b003.s1"]').hover()
    assert "linked" in page.locator('.zh .seg[data-seg="b003.s1"]').get_attribute("class")
    assert "linked" not in en.get_attribute("class")
    page.mouse.move(0, 0)
    # keyboard: Tab reaches sentences, and focus links them too
    page.locator('.zh .seg[data-seg="b004.s1"]').focus()
    assert "linked" in page.locator('.en .seg[data-seg="b004.s1"]').get_attribute("class")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('data-seg')")
    assert focused and page.locator(f'.zh .seg[data-seg="{focused}"]').get_attribute("class").count("linked") == 1


def test_view_switch_is_remembered(visit, site):
    v = visit()
    page = v.open(site / "interview.html")
    page.click('button[data-set-view="en"]')
    assert not page.locator('.zh .seg[data-seg="b002.s1"]').is_visible()
    assert page.locator('.en .seg[data-seg="b002.s1"]').is_visible()
    page = v.open(site / "essay.html")  # another page remembers the choice
    assert page.evaluate("document.documentElement.dataset.view") == "en"
    assert page.locator('button[data-set-view="en"]').get_attribute("aria-pressed") == "true"
    page.click('button[data-set-view="interleaved"]')
    rows = _tops(page)
    assert all(en_top >= zh_bottom - 1 for _, _, en_top, zh_bottom in rows)
    page.click('button[data-set-view="zh"]')
    assert not page.locator('.en .seg[data-seg="b001.s1"]').is_visible()
    page.click('button[data-set-view="side-by-side"]')
    assert all(abs(z - e) < 1 for _, z, e, _ in _tops(page))


def test_script_switch_shows_the_other_script(visit, site):
    v = visit()
    page = v.open(site / "essay.html")
    seg = page.locator('.zh .seg[data-seg="b001.s1"]')
    assert seg.inner_text() == "瀾舟科技很重要。"
    page.click('button[data-set-script="simplified"]')
    assert seg.inner_text() == "澜舟科技很重要。"
    assert page.locator(".title-zh").inner_text() == "为什么中国没有诞生ChatGPT"
    page = v.open(site / "essay.html")  # remembered
    assert page.locator('.zh .seg[data-seg="b001.s1"]').inner_text() == "澜舟科技很重要。"


def test_glossary_terms_show_their_entry_on_hover_or_tap(visit, site):
    page = visit().open(site / "interview.html")
    popup = page.locator("#popup")
    page.locator('.en [data-seg="b002.s1"] .term[data-term="澜舟科技"]').hover()
    popup.wait_for(state="visible")
    assert "Langboat" in popup.inner_text()
    page.keyboard.press("Escape")
    assert not popup.is_visible()
    page.locator('.zh [data-seg="b002.s1"] .term[data-term="周明"]').click()
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert 'Founder of Langboat; "quoted" <note>' in text and "Zhou Ming" in text
    assert page.evaluate("document.querySelectorAll('#popup note, #popup script').length") == 0
    href = popup.locator("a").get_attribute("href")
    assert href.startswith("glossary.html#term-")


def test_chinese_words_show_pinyin_and_senses(visit, site):
    page = visit(390).open(site / "interview.html")
    word = page.locator('.zh [data-seg="b003.s1"] .w', has_text="创业")
    word.click()
    popup = page.locator("#popup")
    popup.wait_for(state="visible")
    assert "chuàng yè" in popup.inner_text() and "venture" in popup.inner_text()
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.mouse.click(5, 5)
    assert not popup.is_visible()
    page.click("button[data-toggle-wordhelp]")  # off: words stay quiet, terms still help
    word.click()
    assert not popup.is_visible()
    page.click("button[data-toggle-wordhelp]")


def test_hostile_article_cannot_run_script(visit, site):
    v = visit()
    page = v.open(site / "interview.html")
    for selector in ('.zh [data-seg="b007.s1"]', '.en [data-seg="b007.s1"]'):
        page.locator(selector).hover()
        page.locator(selector).click()
    page.goto((site / "essay.html").as_uri())
    page.get_by_text("there", exact=False).first.click()  # the javascript: link is only text
    assert not v.dialogs and not v.errors
    assert page.evaluate("[...document.links].every(a => /^(https?:|mailto:|file:)/.test(a.href))")


def test_print_stylesheet_hides_the_controls(visit, site):
    page = visit().open(site / "interview.html")
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    assert all(abs(z - e) < 1 for _, z, e, _ in _tops(page))


def test_screenshots_for_people_to_look_at(visit, site, real_pages):
    from translate.outputs import BUILD_MARKER, claim_build_folder

    # Into the project's build folder, claimed as one: `make edition` after `make test` on a fresh
    # clone refused a build folder that held only these screenshots.
    claim_build_folder(SCREENSHOTS.parent)
    assert (SCREENSHOTS.parent / BUILD_MARKER).is_file()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        v = visit(width)
        for name, label in ((real_pages[0], "article"), (real_pages[1], "article-traditional"),
                            ("interview.html", "interview")):
            page = v.open(site / name)
            path = SCREENSHOTS / f"{label}-{width}.png"
            page.screenshot(path=str(path), full_page=False)
            assert path.stat().st_size > 10_000
        if os.environ.get("BITEXT_FULL_SCREENSHOTS"):
            for name in ("index.html", "glossary.html", "report.html", "essay.html"):
                page = v.open(site / name)
                page.screenshot(path=str(SCREENSHOTS / f"{name[:-5]}-{width}.png"), full_page=True)


CONTRAST = """selector => {
  const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const parse = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = e => {
    for (; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll(selector)].filter(e => e.offsetParent !== null).slice(0, 20).map(e => {
    const a = luminance(parse(getComputedStyle(e).color).slice(0, 3)), b = luminance(background(e));
    return [e.className || e.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_text_has_sufficient_contrast(visit, site):
    page = visit().open(site / "interview.html")
    page.locator('.zh .seg[data-seg="b002.s1"]').hover()  # the highlight counts too
    selectors = (".zh p", ".en p", ".speaker", ".caption", ".placeholder", ".banner", ".flag", ".byline",
                 ".switch button", ".masthead a", ".seg.linked", ".damaged", ".colophon")
    low = [(s, name, round(ratio, 2)) for s in selectors for name, ratio in page.evaluate(CONTRAST, s) if ratio < 4.5]
    assert not low, low
    page = visit().open(site / "index.html")
    low = [(name, round(ratio, 2)) for name, ratio in page.evaluate(CONTRAST, ".contents-meta, .contents-en, .subtitle")
           if ratio < 4.5]
    assert not low, low
