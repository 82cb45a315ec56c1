"""The book set as a designer would (issue 30): each typographic fault, measured on a small WeasyPrint render.

Every test sets a few lines with the print stylesheet and the PDF templates (the edition's fonts,
cut to the characters used), then reads the PDF back with pdfminer: glyph positions, font names,
lines per page. Nothing is compared byte for byte.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from factories import print_fonts

from translate.render.fonts import subset_font
from translate.render.pdf.printviews import chinese_spacing, english_run, half_width_marks, kept_words
from translate.render.pdf.stylesheet import print_css
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]

FONTS = print_fonts()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(FONTS is None, reason="Noto Serif CJK SC not installed")]

#: Text the fonts are cut for (every test's characters are in it).
SAMPLE_ZH = (
    "他笑着承认，“有2C志向的人，大概看不上做2B的人”。他认为大模型2C创业是无止境的“军备竞赛”，不确定性很大，2B更务实。"
    "周明创立澜舟科技时，国内AI创投活动正处于冰点。他庆幸自己没有再晚一年从微软出来。自2019年以来，中国AI领域的创投热度"
    "一直在下降，去年到了最低谷。据IT桔子，截至2022年11月，中国AI领域一级市场融资总额比2021年同期下降61%。"
    "我们（今天）「『测试』」：“好”，《书》。这个世界不愁钱，缺的是最好的创业者和最好的创业公司明年。"
    "最早出发的中国大模型创业者：“贫穷限制了我们的想象力”目录术语表版本说明作者编辑晚点"
)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """The PDF template environment, the print stylesheet with subset fonts, and a renderer to PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from translate.render.fonts import BASE_CHARS
    from translate.render.pdf.edition import _template_env

    folder = tmp_path_factory.mktemp("fonts")
    chars = SAMPLE_ZH + BASE_CHARS + "".join(chr(c) for c in range(0xA0, 0x250)) + "‐"
    regular = subset_font(FONTS.cjk_regular, chars, folder)
    bold = subset_font(FONTS.cjk_bold, chars, folder)
    settings = replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=folder / "build"))
    env = _template_env(settings)
    css_text = print_css(env, settings, FONTS, (regular.as_uri(), bold.as_uri()))
    config = FontConfiguration()
    css = CSS(string=css_text, font_config=config)

    def render(html: str, extra_css: str = "") -> bytes:
        sheets = [css] + ([CSS(string=extra_css, font_config=config)] if extra_css else [])
        return HTML(string=html, base_url=str(folder)).write_pdf(stylesheets=sheets, font_config=config)

    def layout(html: str, extra_css: str = ""):
        sheets = [css] + ([CSS(string=extra_css, font_config=config)] if extra_css else [])
        return HTML(string=html, base_url=str(folder)).render(stylesheets=sheets, font_config=config)

    return SimpleNamespace(env=env, render=render, layout=layout, css=css_text, folder=folder)


def chars_of(pdf: bytes) -> list[list]:
    """Per page: (char, x0, x1, baseline y, font name, size) of every glyph, in the PDF's order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    pages = []
    for page in extract_pages(io.BytesIO(pdf)):
        found = []

        def walk(item):
            if isinstance(item, LTChar):
                found.append((item.get_text(), item.x0, item.x1, round(item.y0, 1), item.fontname, item.size))
            elif hasattr(item, "__iter__"):
                for child in item:
                    walk(child)

        walk(page)
        pages.append(found)
    return pages


def lines_of(chars: list) -> list[list]:
    """Glyphs grouped into lines (the same baseline within 1 pt), top to bottom, each left to right."""
    rows: dict[float, list] = defaultdict(list)
    for char in chars:
        key = next((y for y in rows if abs(y - char[3]) < 1), char[3])
        rows[key].append(char)
    return [sorted(rows[y], key=lambda c: c[1]) for y in sorted(rows, reverse=True)]


def body(html: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>{html}</body></html>'


def pair(zh: str, en: str = "English.") -> str:
    return (f'<div class="pair kind-paragraph"><div class="zh" lang="zh-Hans">{chinese_spacing(zh, stretch=True)}</div>'
            f'<div class="en" lang="en">{en}</div></div>')


# --- b. CJK punctuation compressed between adjacent marks (clreq §3.1.6) ------------------------------------


def test_adjacent_marks_give_up_one_blank_half():
    marks = half_width_marks("承认，“有人”。我（（今「『测』」")
    halved = {i for i, half in enumerate(marks) if half}
    text = "承认，“有人”。我（（今「『测』」"
    assert {text[i] for i in halved} == {"，", "”", "』"} | {"（", "『"}
    assert text.index("，") in halved and text.index("“") not in halved  # the stop gives up its white, not the quote
    assert text.index("（") + 1 in halved and text.index("（") not in halved  # of two openings, the second


def test_a_comma_before_an_opening_quote_leaves_half_an_em_not_a_full_one(kit):
    pdf = kit.render(body('<div style="width:80mm">' + pair("他笑着承认，“有人”。") + "</div>"))
    glyphs = [c for c in chars_of(pdf)[0] if c[0] in "，“”。人"]
    comma, quote = next(c for c in glyphs if c[0] == "，"), next(c for c in glyphs if c[0] == "“")
    size = comma[5]
    assert (quote[1] - comma[1]) / size == pytest.approx(0.5, abs=0.05)  # it was 1.0 em: the gap of `，“`
    closing, stop = next(c for c in glyphs if c[0] == "”"), next(c for c in glyphs if c[0] == "。")
    assert (stop[1] - closing[1]) / size == pytest.approx(0.5, abs=0.05)


# --- c. The Chinese column is justified -----------------------------------------------------------------------


def test_the_chinese_column_is_justified_flush_on_both_sides(kit):
    zh = SAMPLE_ZH[:180]
    pdf = kit.render(body('<div style="width:150mm">' + pair(zh) + "</div>"))
    lines = [line for line in lines_of(chars_of(pdf)[0]) if any("\u4e00" <= c[0] <= "\u9fff" for c in line)]
    assert len(lines) >= 5
    rights = [max(c[2] for c in line) for line in lines[:-1]]  # the last line is set ragged, as it should be
    assert max(rights) - min(rights) < 1.0, f"right edges of the Chinese lines: {rights}"
    text = "".join(c[0] for line in lines for c in line if c[0].strip())
    assert text.startswith(re.sub(r"\s", "", zh)[:20])  # the stretch spaces add no visible character
    # A line that is not spread (a paragraph's last) is set solid: the stretch spaces take no width.
    short = chars_of(kit.render(body('<div style="width:150mm">' + pair("周明创立澜舟科技时国内创投") + "</div>")))[0]
    ideographs = [c for c in short if "\u4e00" <= c[0] <= "\u9fff"]
    pitches = [(b[1] - a[1]) / a[5] for a, b in zip(ideographs, ideographs[1:])]
    assert len(pitches) == 12 and all(abs(p - 1) < 0.01 for p in pitches), pitches


# --- f. Titles break between words -------------------------------------------------------------------------------


def test_a_title_breaks_between_words_never_inside_one(kit):
    from translate.dictionary import segment_words

    title = "这个世界不愁钱，缺的是最好的创业者和最好的创业公司明年"
    inside, position = set(), 0
    for word in segment_words(title):
        if len(word) >= 2:
            inside.update(range(position + 1, position + len(word)))
        position += len(word)
    assert {title.index("明年") + 1, title.index("创业者") + 1} <= inside
    breaks = 0
    for width in range(40, 125, 6):
        html = f'<h1 class="title-zh" lang="zh-Hans" style="width:{width}mm">{kept_words(title)}</h1>'
        lines = ["".join(c[0] for c in line) for line in lines_of(chars_of(kit.render(body(html)))[0])]
        assert "".join(lines) == title
        joints = [sum(map(len, lines[:k])) for k in range(1, len(lines))]
        breaks += len(joints)
        assert not inside & set(joints), f"{width} mm: a line breaks inside a word: {lines}"
    assert breaks >= 15


# --- g. No oblique CJK --------------------------------------------------------------------------------------------


def test_no_chinese_is_set_in_an_italic_or_oblique_face(kit):
    view = SimpleNamespace(anchor="article-x", lang="zh-Hans", title_zh_html=kept_words("最早出发的中国大模型创业者"),
                           title_en_html=Markup('The founder <span lang="zh-Hans">晚点</span> interview'),
                           sections=())
    html = kit.env.get_template("front.html.j2").render(
        edition=SimpleNamespace(title="目录", subtitle="作者 编辑", build_date="2026-12-05"), articles=[view],
        colophon=dict(translators=(), provenance="", is_gloss=False, has_edited=False), pages=defaultdict(int))
    byline = english_run("zh-Hans")("By 作者 · Edited by 编辑 · 晚点 LatePost")  # names the glossary does not romanise
    html = html.replace("</body>", f'<p class="byline byline-en" lang="en">{byline}</p>'
                        '<div class="pair kind-quote"><div class="en" lang="en">A quote, <span lang="zh-Hans">术语表</span>'
                        '</div></div><div class="pair role-question"><div class="en" lang="en">'
                        f'{english_run("zh-Hant")("Asked about 版本說明?")}</div></div></body>')
    glyphs = [c for page in chars_of(kit.render(html)) for c in page if "\u4e00" <= c[0] <= "\u9fff"]
    assert len(glyphs) > 20
    slanted = sorted({(c[0], c[4]) for c in glyphs if re.search("italic|oblique", c[4], re.I)})
    assert not slanted, f"CJK set in a slanted face: {slanted}"


# --- a. The contents never leave a page nearly empty -----------------------------------------------------------


def _contents(sections_per_article: list[int]):
    """Views shaped like the edition's: Chinese and English titles of real length, their sections under them."""
    articles = []
    for number, count in enumerate(sections_per_article):
        sections = tuple(SimpleNamespace(anchor=f"a{number}-s{k}", zh_html=kept_words(SAMPLE_ZH[k * 7:k * 7 + 14 + k % 9]),
                                         en="A section heading of some length, now and then long enough to wrap"
                                            + " onto a second line of the contents" * (k % 3 == 0))
                         for k in range(count))
        articles.append(SimpleNamespace(anchor=f"a{number}", lang="zh-Hans",
                                        title_zh_html=kept_words(SAMPLE_ZH[number * 11:number * 11 + 24]),
                                        title_en_html=Markup("The Chinese large-model entrepreneur who set out first: "
                                                             "“Poverty limited our imagination”"),
                                        sections=sections))
    return articles


#: The edition's contents: five articles with 3, 2, 3, 4 and 7 sections (issue 30: it ran over by one line).
EDITION = [3, 2, 3, 4, 7]


@pytest.mark.parametrize("extra", range(-4, 12))
def test_no_contents_page_is_nearly_empty(kit, extra):
    counts = list(EDITION)
    counts[-1] = max(0, counts[-1] + extra) if extra < 0 else counts[-1]
    counts[extra % 4] += max(extra, 0)
    html = kit.env.get_template("front.html.j2").render(
        edition=SimpleNamespace(title="中国大模型创业者", subtitle="", build_date="2026-12-05"),
        articles=_contents(counts), colophon=dict(translators=(), provenance="", is_gloss=False, has_edited=False),
        pages=defaultdict(lambda: 88))
    pages = chars_of(kit.render(html))[1:]  # the cover first
    assert pages, "no contents page"
    last = lines_of([c for c in pages[-1] if c[0].strip()])
    assert len(pages) == 1 or len(last) >= 8, (
        f"{sum(counts)} sections: the last of {len(pages)} contents pages holds {len(last)} lines")


# --- d. Hyphenation limited in the narrow justified English ------------------------------------------------------

ENGLISH = (
    "Resource constraints also came from customers’ habits: many large Chinese enterprises, especially central and "
    "state-owned enterprises, have a strong need to keep their data in-house. So after Zhou Ming had visited more "
    "than a hundred customers in China, the feedback he got was often: “You may build large models, but we can’t "
    "afford to use them.” Unlike some of the entrepreneurs who joined amid the frenzy and like to talk about the "
    "“endgame”, Zhou Ming stressed again and again in his interview that the company has to survive. Computing "
    "power is the only sector with certainty, and innovation in computing architecture is the bet; unprecedented "
    "variables are emerging, and large models are a superlative technological undertaking of humankind."
)


def _hyphenation(kit, extra_css: str = "") -> tuple[int, int, int]:
    """(lines, lines ending in a hyphen, longest run of them) of :data:`ENGLISH` in the English column of A4."""
    html = body('<div style="width:174mm">' + pair("中文。", ENGLISH) + "</div>")
    lines = ["".join(c[0] for c in line) for line in lines_of([c for c in chars_of(kit.render(html, extra_css))[0]
                                                              if c[1] > 300])]
    hyphens, run, longest = 0, 0, 0
    for line in lines:
        run = run + 1 if line.rstrip().endswith("\u2010") else 0
        hyphens += bool(run)
        longest = max(longest, run)
    return len(lines), hyphens, longest


def test_the_english_column_hyphenates_sparingly(kit):
    lines, hyphens, longest = _hyphenation(kit)
    assert lines >= 12
    assert hyphens <= lines // 4 and longest <= 2, f"{hyphens} of {lines} lines hyphenated, {longest} in a row"


def test_without_the_limits_the_same_text_hyphenates_heavily(kit):
    """The measure the test above holds to: the stylesheet before issue 30 broke many more words."""
    loose = ".pair > .en { hyphenate-limit-chars: auto; hyphenate-limit-zone: 0; }"
    assert _hyphenation(kit, loose)[1] > _hyphenation(kit)[1]


def _english_pages(pdf: bytes) -> list[list[str]]:
    """The English column's lines of each page (its glyphs: the Chinese column holds only 中文。), top to bottom."""
    return [["".join(c[0] for c in line) for line in lines_of([c for c in page if c[0] not in "中文。"])]
            for page in chars_of(pdf)]


def test_no_hyphen_at_a_page_foot_nor_a_third_in_a_row_after_the_second_layout(kit):
    from translate.render.pdf.hyphenation import HYPHEN, faults, settle

    html = body("".join(f'<div class="pair kind-paragraph" id="p{n}"><div class="zh" lang="zh-Hans">中文。</div>'
                        f'<div class="en" lang="en">{ENGLISH}</div></div>' for n in range(6)))
    seen = {"page end": 0, "run": 0}
    # Page sizes: some put a hyphen at a page's foot, some (narrow) three in a row.
    for width, height in [(100, h) for h in range(70, 130, 12)] + [(w, 200) for w in range(60, 96, 7)]:
        page = f"@page {{ size: {width}mm {height}mm; margin: 8mm }}"
        render = lambda markup: kit.layout(markup, page)  # noqa: E731
        found = faults(render(html))
        for fault in found:
            seen[fault.why] += 1
        if not found:
            continue
        document, settled_html, left = settle(render, html)
        assert not left, f"{width} × {height} mm: still {left}"
        assert settled_html.count('class="nohyphen"') >= 1
        pages = _english_pages(document.write_pdf())
        for number, lines in enumerate(pages[:-1]):
            assert lines and not lines[-1].endswith(HYPHEN), f"{width} × {height} mm, page {number + 1}: {lines[-1:]!r}"
        ends = [line.endswith(HYPHEN) for lines in pages for line in lines]
        assert not any(all(ends[i:i + 3]) for i in range(len(ends) - 2)), f"{width} × {height} mm: three in a row"
    assert seen["page end"] >= 1 and seen["run"] >= 1, seen  # both faults were there to be taken back


def test_a_long_latin_word_in_the_chinese_hyphenates_rather_than_spread_the_line_before_it(kit):
    zh = ("其实 2017 年 Google 的 Transformer 出来后，NLP（自然语言处理）领域立刻就转到 Transformer 上了。"
          "在 Transformer 基础上，大家做了 BERT 和 GPT，Baichuan 和 Langboat 都在做 Multimodal 的模型。")
    assert '<span lang="en">Transformer</span>' in chinese_spacing(zh, stretch=True)
    widest = 0.0
    for width in range(150, 190, 4):  # the column from 63 to 80 mm: lines end before a long word somewhere
        pdf = kit.render(body(f'<div style="width:{width}mm">' + pair(zh, "Quite.") + "</div>"))
        glyphs = chars_of(pdf)[0]
        right = min(c[1] for c in glyphs if c[0] == "Q")  # the English column's first letter
        lines = lines_of([c for c in glyphs if c[0].strip() and c[2] < right - 5])
        zh_lines = [line for line in lines if any("\u4e00" <= c[0] <= "\u9fff" for c in line)][:-1]
        gaps = [(b[1] - a[2]) / a[5] for line in zh_lines for a, b in zip(line, line[1:])]
        assert len(zh_lines) >= 3
        widest = max([widest, *gaps])
    assert widest < 1.0, f"a Chinese line spread by {widest:.2f} em"


def test_the_worker_sets_each_part_with_the_second_layout(kit, tmp_path):
    """The book's parts go through ``settle``: a part whose first layout leaves a hyphen at a page foot comes out without."""
    from translate.render.pdf.hyphenation import faults
    from translate.render.pdf.workers import PdfJob, render_document

    html = body("".join(f'<div class="pair kind-paragraph" id="p{n}"><div class="zh" lang="zh-Hans">中文。</div>'
                        f'<div class="en" lang="en">{ENGLISH}</div></div>' for n in range(6)))
    fonts = kit.folder
    for height in range(70, 130, 12):
        page = f"@page {{ size: 100mm {height}mm; margin: 8mm }}"
        if not faults(kit.layout(html, page)):
            continue
        job = PdfJob("part.pdf", html, kit.css + page, fonts.as_uri() + "/", (fonts, tmp_path), tagged=False)
        _, document = render_document(job, keep_document=True)
        assert not faults(document), f"100 × {height} mm"
        return
    pytest.fail("no page size put a hyphen at a page's foot: the test lost its case")
