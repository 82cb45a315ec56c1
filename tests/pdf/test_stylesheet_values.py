"""The print stylesheet writes its faces and colours out (issue 33): no var() for WeasyPrint to resolve per element.

A ``var()`` is substituted and its declaration parsed again for every element whose style uses
it (the Chinese face on every Chinese block and span); the print's values are known when the
stylesheet is rendered, so print.css.j2 writes them where they are used. The pages are the
same as with the values behind custom properties.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from factories import print_fonts

from translate.render.pdf.edition import _template_env
from translate.render.pdf.printviews import chinese_spacing
from translate.render.pdf.stylesheet import CJK_FAMILY, print_css
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]
FONTS = print_fonts()
pytestmark = pytest.mark.skipif(FONTS is None, reason="Noto Serif CJK SC not installed")

#: The palette as the stylesheet had it, custom properties on the root.
PALETTE = {"ink": "#1a1a1a", "quiet": "#6b6b6b", "rule": "#c8c8c8", "accent": "#8a1c1c"}


def _css(tmp_path) -> str:
    settings = Settings(root=REPO, templates_dir=REPO / "templates", build_dir=tmp_path / "build")
    return print_css(_template_env(settings), settings, FONTS, None)


def _with_custom_properties(css: str) -> str:
    """``css`` with its faces and colours behind custom properties again (as print.css.j2 had them)."""
    cjk = re.search(r'\[lang\|="zh"\] \{ font-family: ([^;]+);', css)[1]
    latin = re.search(r"html \{ font-family: ([^;]+);", css)[1]
    values = {"latin": latin, "cjk": cjk, **PALETTE}
    for name, value in values.items():
        css = css.replace(f"font-family: {value};" if name in ("latin", "cjk") else value,
                          f"font-family: var(--{name});" if name in ("latin", "cjk") else f"var(--{name})")
    return ":root { " + " ".join(f"--{k}: {v};" for k, v in values.items()) + " }\n" + css


def test_the_print_stylesheet_has_no_custom_property_to_resolve(tmp_path):
    css = _css(tmp_path)
    assert "var(" not in css and not re.search(r"--[a-z]+\s*:", css)
    assert re.search(r'\[lang\|="zh"\] \{ font-family: "[^"]+", serif;', css)
    assert re.search(r"html \{ font-family: [^;]+;.* color: #1a1a1a;", css)
    assert _with_custom_properties(css).count("var(--") > 30


@pytest.mark.slow
def test_the_pages_are_those_the_custom_properties_gave(tmp_path):
    pikepdf = pytest.importorskip("pikepdf")
    from weasyprint import CSS, HTML

    css = _css(tmp_path)
    pair = ('<div class="pair kind-paragraph role-question"><div class="zh" lang="zh-Hans"><span class="speaker">晚点：'
            f'</span> {chinese_spacing("周明创立澜舟科技时，国内 AI 创投活动正处于冰点。", stretch=True)}</div>'
            '<div class="en" lang="en"><span class="speaker">LatePost:</span> When Zhou Ming founded Langboat, '
            'investment in AI was at freezing point.</div></div><hr class="rule">')
    html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><article class="article" '
            'data-title="T"><header class="article-head"><h1 class="title-zh" lang="zh-Hans">标题</h1></header>'
            f"{pair * 6}</article></body></html>")

    def pages(sheet: str) -> list[bytes]:
        pdf = HTML(string=html, base_url=str(tmp_path)).write_pdf(stylesheets=[CSS(string=sheet)])
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return [page.Contents.read_bytes() for page in document.pages]

    assert pages(css) == pages(_with_custom_properties(css))
