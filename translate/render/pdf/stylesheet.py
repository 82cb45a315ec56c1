"""The print stylesheet: page geometry per page size, font faces, and the template that sets them."""

from __future__ import annotations

from translate.render.fonts import FontChoice, space_advance
from translate.settings import Settings

#: The family name the CJK subset is declared under.
CJK_FAMILY = "bitext CJK"

#: The smaller type of tables, code and footnotes on the larger pages.
_SMALL_TYPE = dict(table_cjk_size="9pt", table_latin_size="8.5pt", code_size="8pt", note_size="8pt")
#: Code's faces: a monospaced Latin face where one is installed, the CJK subset for the Chinese of comments.
_MONOSPACE = ('"DejaVu Sans Mono"', '"Noto Sans Mono"', '"Liberation Mono"')

#: Page geometry and type sizes per page size.
_GEOMETRY = {
    "A4": dict(page_width="210mm", margin_top="22mm", margin_bottom="20mm", margin_inner="18mm", margin_outer="18mm",
               cjk_size="10.5pt", latin_size="10pt", gutter_half="4mm", pair_gap="2.6mm", head_size="7.5pt",
               **_SMALL_TYPE),
    "Letter": dict(page_width="8.5in", margin_top="0.85in", margin_bottom="0.8in", margin_inner="0.75in",
                   margin_outer="0.75in", cjk_size="10.5pt", latin_size="10pt", gutter_half="4mm", pair_gap="2.6mm",
                   head_size="7.5pt", **_SMALL_TYPE),
    "A5": dict(page_width="148mm", margin_top="16mm", margin_bottom="15mm", margin_inner="13mm", margin_outer="13mm",
               cjk_size="9.5pt", latin_size="9pt", gutter_half="3mm", pair_gap="2mm", head_size="7.5pt",
               table_cjk_size="8.5pt", table_latin_size="8pt", code_size="7.5pt", note_size="7.5pt"),
}
#: The Chinese column's share of the measure, set by measuring the edition (issue 30): the white left under the
#: shorter side of each pair, summed over its five articles, was 1519 cm² under the Chinese and 544 cm² under the
#: English at 44 % (2063 cm² in all); at 42 % it is 945 and 927 cm² (1872). 41 % left a little less in all
#: but moved it under the English (704 and 1102 cm²); 40 % and 48 % leave more (2117, 3461 cm²).
ZH_WIDTH = "42%"
#: The running head's letter-spacing, in em (print.css.j2 sets it from here).
HEAD_TRACKING = 0.02
_MM = {"mm": 1.0, "in": 25.4, "pt": 25.4 / 72}


def _mm(length: str) -> float:
    return float(length[:-2]) * _MM[length[-2:]]


def running_head_width(page_size: str) -> float:
    """How wide a running head may be, in ems of its own type: the measure, less a tenth for the estimate's error."""
    geometry = _GEOMETRY.get(page_size, _GEOMETRY["A4"])
    measure = _mm(geometry["page_width"]) - _mm(geometry["margin_inner"]) - _mm(geometry["margin_outer"])
    return 0.9 * measure / (_mm(geometry["head_size"]) * (1 + HEAD_TRACKING))


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def print_css(env, settings: Settings, fonts: FontChoice, font_urls: tuple[str, str] | None, *,
              folios: bool = False) -> str:
    """The print stylesheet; ``font_urls`` are the regular and bold subset files (None: system fonts).

    Parts are set without folios; ``folios`` sets them, for the pages that are stamped on.
    """
    geometry = _GEOMETRY.get(settings.page_size, _GEOMETRY["A4"])
    if font_urls:
        faces = [dict(family=CJK_FAMILY, url=font_urls[0], weight="normal"),
                 dict(family=CJK_FAMILY, url=font_urls[1], weight="bold")]
        cjk = f'"{CJK_FAMILY}"'
    else:
        faces = []
        cjk = f'"{_css_string(fonts.cjk_regular.family)}"'
    latin = f'"{_css_string(fonts.latin_family)}", {cjk}, serif' if fonts.latin_family else f"{cjk}, serif"
    return env.get_template("print.css.j2").render(
        font_faces=faces, cjk_stack=f"{cjk}, serif", latin_stack=latin, mono_stack=", ".join((*_MONOSPACE, cjk, "monospace")), page_size=settings.page_size,
        zh_width=ZH_WIDTH, back_title="Appendix · 附录", folio="counter(page)" if folios else "none",
        head_tracking=f"{HEAD_TRACKING}em", cjk_space=f"{space_advance(fonts.cjk_regular.path, fonts.cjk_regular.index):.4f}em",
        **geometry,
    )
