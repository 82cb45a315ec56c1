"""The print stylesheet: page geometry per page size, font faces, and the template that sets them."""

from __future__ import annotations

from translate.render.fonts import FontChoice
from translate.settings import Settings

#: The family name the CJK subset is declared under.
CJK_FAMILY = "bitext CJK"

#: Page geometry and type sizes per page size.
_GEOMETRY = {
    "A4": dict(margin_top="22mm", margin_bottom="20mm", margin_inner="18mm", margin_outer="18mm",
               cjk_size="10.5pt", latin_size="10pt", gutter_half="4mm", pair_gap="2.6mm"),
    "Letter": dict(margin_top="0.85in", margin_bottom="0.8in", margin_inner="0.75in", margin_outer="0.75in",
                   cjk_size="10.5pt", latin_size="10pt", gutter_half="4mm", pair_gap="2.6mm"),
    "A5": dict(margin_top="16mm", margin_bottom="15mm", margin_inner="13mm", margin_outer="13mm",
               cjk_size="9.5pt", latin_size="9pt", gutter_half="3mm", pair_gap="2mm"),
}


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
        font_faces=faces, cjk_stack=f"{cjk}, serif", latin_stack=latin, page_size=settings.page_size,
        zh_width="44%", back_title="Appendix · 附录", folio="counter(page)" if folios else "none", **geometry,
    )
