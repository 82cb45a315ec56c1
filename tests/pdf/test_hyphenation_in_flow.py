"""Hyphens decided while the lines are broken (issue 33): a part with a hyphen at a page's foot is set in one layout.

Each test sets a few bilingual pairs with the print stylesheet (the edition's fonts cut to the
characters used) on page sizes where WeasyPrint's own line breaking puts a hyphen at a page's foot
or three in a row, and counts the layouts :func:`~translate.render.pdf.hyphenation.settle` makes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from factories import print_fonts

from translate.render.fonts import BASE_CHARS, subset_font
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]

FONTS = print_fonts()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(FONTS is None, reason="Noto Serif CJK SC not installed")]

ENGLISH = (
    "Computing infrastructure determines what an organisation can experiment with: the founders interviewed "
    "here repeatedly emphasised that understanding customers’ requirements, particularly in manufacturing, "
    "telecommunications and government administration, matters considerably more than demonstrating "
    "extraordinary benchmark performance. Several entrepreneurs acknowledged that commercialisation remains "
    "uncertain, notwithstanding enthusiastic investment announcements; nevertheless they anticipate that "
    "specialised applications, documentation assistants and multilingual translation, will generate dependable "
    "revenue. Interoperability between heterogeneous accelerators, standardisation of evaluation methodologies "
    "and responsible deployment were mentioned as unavoidable preconditions for sustainable development."
)
#: Page sizes (mm): each lays a hyphen at a page's foot (and the narrow ones three in a row) where nothing decides them.
SIZES = [(100, 76), (100, 88), (100, 100), (100, 112), (65, 200), (80, 200), (95, 200)]


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """The print stylesheet with subset fonts, and a layout counting its calls."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from translate.render.pdf.edition import _template_env
    from translate.render.pdf.stylesheet import print_css

    folder = tmp_path_factory.mktemp("fonts")
    chars = "中文。" + BASE_CHARS + "".join(chr(c) for c in range(0xA0, 0x250)) + "‐’"
    regular = subset_font(FONTS.cjk_regular, chars, folder)
    bold = subset_font(FONTS.cjk_bold, chars, folder)
    settings = replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=folder / "build"))
    css_text = print_css(_template_env(settings), settings, FONTS, (regular.as_uri(), bold.as_uri()))
    config = FontConfiguration()
    css = CSS(string=css_text, font_config=config)
    calls: list[str] = []

    def layout(html: str, page: str):
        calls.append(html)
        return HTML(string=html, base_url=str(folder)).render(
            stylesheets=[css, CSS(string=page, font_config=config)], font_config=config)

    return SimpleNamespace(layout=layout, calls=calls, css=css_text, folder=folder)


def _html(pairs: int = 3) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
            + "".join(f'<div class="pair kind-paragraph" id="p{n}"><div class="zh" lang="zh-Hans">中文。</div>'
                      f'<div class="en" lang="en">{ENGLISH}</div></div>' for n in range(pairs))
            + "</body></html>")


def _page(width: int, height: int) -> str:
    return f"@page {{ size: {width}mm {height}mm; margin: 8mm }}"


@pytest.fixture(scope="module")
def faulty(kit) -> dict[str, list[tuple[int, int]]]:
    """The page sizes whose plain layout (nothing decided) has each kind of fault."""
    from translate.render.pdf.hyphenation import faults

    found: dict[str, list[tuple[int, int]]] = {"page end": [], "run": []}
    for width, height in SIZES:
        for why in {fault.why for fault in faults(kit.layout(_html(), _page(width, height)))}:
            found[why].append((width, height))
    assert found["page end"] and found["run"], found  # the cases are there to be taken back
    return found


def test_a_hyphen_that_would_end_a_page_is_taken_back_in_one_layout(kit, faulty):
    from translate.render.pdf.hyphenation import faults, settle

    html = _html()
    one_layout = 0
    cases = sorted(set(faulty["page end"] + faulty["run"]))
    for width, height in cases:
        kit.calls.clear()
        document, settled_html, left = settle(lambda markup: kit.layout(markup, _page(width, height)), html,
                                              in_flow=True)
        assert not left and not faults(document), f"{width} × {height} mm: {left}"
        if len(kit.calls) == 1:
            one_layout += 1
            assert settled_html == html  # nothing protected: decided in the line breaking
    assert one_layout == len(cases), f"{one_layout} of {len(cases)} faulty page sizes set in one layout"


def test_outside_settle_the_line_breaking_is_weasyprints(kit, faulty):
    """The hook, once installed, changes nothing while no settling asks for it: the same faults as before."""
    from translate.render.pdf import linebreaking
    from translate.render.pdf.hyphenation import faults

    width, height = faulty["page end"][0]
    before = faults(kit.layout(_html(), _page(width, height)))
    linebreaking.install()
    assert before and faults(kit.layout(_html(), _page(width, height))) == before
    with linebreaking.deciding():
        assert not faults(kit.layout(_html(), _page(width, height)))
    assert faults(kit.layout(_html(), _page(width, height))) == before


def test_without_the_hook_the_words_are_protected_and_laid_out_again(kit, faulty):
    """Today's path, the fallback: the faults' words are protected and the part laid out again.

    (On pages this small protecting a word may make a new fault, and three rounds do not always settle them all.)
    """
    from translate.render.pdf.hyphenation import faults, settle

    before = after = settled = 0
    for width, height in [size for size in faulty["page end"] if size[0] == 100]:
        before += len(faults(kit.layout(_html(), _page(width, height))))
        kit.calls.clear()
        document, settled_html, left = settle(lambda markup: kit.layout(markup, _page(width, height)), _html())
        assert left == faults(document)
        assert len(kit.calls) >= 2 and 'class="nohyphen"' in settled_html
        after += len(left)
        settled += not left
    assert settled and after < before, (before, after)


def test_a_fault_the_hook_leaves_falls_back_to_protecting_the_word(kit, faulty, monkeypatch):
    """What the line breaking cannot see (here: it sees nothing) is still settled by the check after the layout."""
    from translate.render.pdf import linebreaking
    from translate.render.pdf.hyphenation import faults, settle

    monkeypatch.setattr(linebreaking, "_last_on_page", lambda *args: False)
    monkeypatch.setattr(linebreaking, "MOST_IN_A_ROW", 10**6)
    width, height = faulty["page end"][0]
    first = faults(kit.layout(_html(), _page(width, height)))
    kit.calls.clear()
    document, settled_html, left = settle(lambda markup: kit.layout(markup, _page(width, height)), _html(),
                                          in_flow=True)
    assert first and left == faults(document) and not set(first) & set(left)  # the first layout's taken back
    assert len(kit.calls) >= 2 and 'class="nohyphen"' in settled_html


def test_the_worker_sets_a_part_with_a_hyphen_at_a_page_foot_in_one_layout(kit, faulty, tmp_path, monkeypatch):
    import weasyprint

    from translate.render.pdf.hyphenation import faults
    from translate.render.pdf.workers import PdfJob, render_document

    width, height = faulty["page end"][0]
    layouts: list[int] = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render", lambda self, *a, **k: (layouts.append(1), render(self, *a, **k))[1])
    job = PdfJob("part.pdf", _html(), kit.css + _page(width, height), kit.folder.as_uri() + "/",
                 (kit.folder, tmp_path), tagged=False)
    result, document = render_document(job, keep_document=True)
    assert not faults(document) and len(layouts) == 1 and result.pdf.startswith(b"%PDF")
