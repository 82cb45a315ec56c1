"""The gaps beside Latin words in the justified Chinese column, one span a chain (issue 33): fewer boxes, the same lines.

A gap is the Chinese face's space kept at its width (print.css.j2 ``.gap``) in a column whose
other spaces are only room to justify. ``可是 Gen AI 界`` had three gap spans around its two
words (five boxes for WeasyPrint to lay out and draw); the chain is now one span holding the
words. These tests set a column both ways and compare where every glyph falls.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest

from factories import print_fonts

from translate.render.pdf.printviews import GAP, chinese_spacing

REPO = Path(__file__).resolve().parents[2]

ZH = ("据 IT 桔子，截至 2022 年 11 月，中国 AI 领域一级市场融资总额比 2021 年同期下降 61%。他认为 Gen AI 的 "
      "open source 模型和 closed source 模型之间，差的是 transformer 以外的 know how 与 data flywheel，"
      "而不是 GPU 的数量；大模型 2C 创业是无止境的军备竞赛，2B 更务实，AGI 还很远。")


def _gap_spans(html: str) -> list[tuple[int, int]]:
    """(start, end) of each gap span in ``html``, nested spans and all."""
    found = []
    for start in (m.start() for m in re.finditer('<span class="gap">', html)):
        depth, position = 0, start
        for tag in re.finditer(r"<span\b[^>]*>|</span>", html[start:]):
            depth += -1 if tag[0] == "</span>" else 1
            if not depth:
                found.append((start, start + tag.end()))
                break
    return found


def _one_gap_a_space(html: str) -> str:
    """The markup as it was: each space of a gap's span a span of its own, the words between them outside."""
    for start, end in reversed(_gap_spans(html)):
        inner = html[start + len('<span class="gap">'):end - len("</span>")]
        words = re.split(r" (?![^<]*>)", inner.strip(" ")) if inner.strip(" ") else []  # not the spaces in tags
        html = html[:start] + GAP + GAP.join(words) + (GAP if words else "") + html[end:]
    return html


def test_a_chain_of_latin_words_and_gaps_is_one_span_with_the_same_text():
    html = chinese_spacing("可是 Gen AI 界", stretch=True)
    assert html.count('<span class="gap">') == 1
    assert re.sub(r"<[^>]+>", "", html) == re.sub(r"<[^>]+>", "", _one_gap_a_space(html))
    assert _one_gap_a_space(html).count(GAP) == 3


def test_a_gap_beside_chinese_or_a_long_word_keeps_what_it_holds():
    html = chinese_spacing("用 AGI 的 revenue 和 AI", stretch=True)
    assert '<span class="gap"> AGI </span>' in html
    assert '<span class="gap"> <span lang="en">revenue</span> </span>' in html  # it still hyphenates
    assert html.endswith(GAP + "AI")  # no gap after it: nothing to join
    assert all("\u00a0" not in html[start:end] for start, end in _gap_spans(html))  # no stretch space joined
    assert chinese_spacing("中 文", stretch=True) == "中" + GAP + "文"  # no Latin between: as before
    assert chinese_spacing("可是 Gen AI 界").count('class="sp"') == 3  # unjustified runs: fixed spaces, unjoined


FONTS = print_fonts()


@pytest.mark.slow
@pytest.mark.skipif(FONTS is None, reason="Noto Serif CJK SC not installed")
def test_the_joined_gaps_set_the_same_lines_within_a_fiftieth_of_a_point(tmp_path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar
    from weasyprint import CSS, HTML

    from translate.render.fonts import BASE_CHARS, subset_font
    from translate.render.pdf.edition import _template_env
    from translate.render.pdf.stylesheet import print_css
    from translate.settings import Settings

    chars = ZH + BASE_CHARS
    regular, bold = subset_font(FONTS.cjk_regular, chars, tmp_path), subset_font(FONTS.cjk_bold, chars, tmp_path)
    settings = Settings(root=REPO, templates_dir=REPO / "templates", build_dir=tmp_path / "build")
    css = CSS(string=print_css(_template_env(settings), settings, FONTS, (regular.as_uri(), bold.as_uri())))
    zh = chinese_spacing(ZH, stretch=True)
    assert zh.count('<span class="gap">') < _one_gap_a_space(zh).count('<span class="gap">') - 10

    def glyphs(markup: str, width: int) -> list[tuple[str, float, float]]:
        html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
                f'<div class="pair kind-paragraph"><div class="zh" lang="zh-Hans">{markup}</div>'
                f'<div class="en" lang="en">English.</div></div></body></html>')
        pdf = HTML(string=html, base_url=str(tmp_path)).write_pdf(
            stylesheets=[css, CSS(string=f"@page {{ size: {width}mm 280mm; margin: 10mm }}")])
        found = []

        def walk(item):
            if isinstance(item, LTChar) and item.get_text().strip():  # a joined gap draws its spaces, unseen
                found.append((item.get_text(), item.x0, round(item.y0, 2)))
            elif hasattr(item, "__iter__"):
                for child in item:
                    walk(child)

        for page in extract_pages(io.BytesIO(pdf)):
            walk(page)
        return found

    for width in (120, 150, 190):
        joined, apart = glyphs(zh, width), glyphs(_one_gap_a_space(zh), width)
        assert [(c, y) for c, _, y in joined] == [(c, y) for c, _, y in apart]  # the same glyphs on the same lines
        assert len({y for _, _, y in joined}) > 3  # justified lines to compare
        assert max(abs(a[1] - b[1]) for a, b in zip(joined, apart)) < 0.05
