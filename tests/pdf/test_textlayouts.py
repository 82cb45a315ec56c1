"""Text layouts made once (issue 33): a part laid out inside ``textlayouts.reusing`` is the part WeasyPrint sets.

:mod:`~translate.render.pdf.textlayouts` keeps WeasyPrint's answer for a line broken again, makes a
justified line's layout without Pango, and asks a style's font and strut once. These tests lay the
same document out with and without it and compare the PDFs byte for byte, and count the work it saves.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

from translate.render.pdf import linebreaking, tagging, textlayouts

REPO = Path(__file__).resolve().parents[2]

CSS = """@page { size: A7; margin: 6mm }
body { font-size: 8pt; line-height: 1.4 }
p { text-align: justify; margin: 0 0 2mm }
.en { hyphens: auto; hyphenate-limit-chars: 7 3 3 }
.zh { word-spacing: -0.25em }
.under { text-decoration: underline }
.pre { white-space: pre-line }
td { vertical-align: top; text-align: justify }"""

_WORDS = ("the model team company research large training data open source compute because intelligence "
          "language founder investors question answer technology efficient density parameters").split()


def _html() -> str:
    english = " ".join(_WORDS[(i * 7) % len(_WORDS)] for i in range(160))
    chinese = " ".join("大模型的训练数据与开源社区" * 6)
    rows = "".join(f"<tr><td>{english[:90]}</td><td lang='zh'>{chinese[:40]}</td></tr>" for _ in range(6))
    return ("<!DOCTYPE html><html lang='en'><body>"
            f"<p class='en' lang='en'>{english} <span class='under'>an underlined run of words</span> {english}</p>"
            f"<p class='zh' lang='zh'>{chinese}</p>"
            f"<p class='pre'>A first line\nand a second, kept apart by a preserved line break\n{english[:200]}</p>"
            f"<table><thead><tr><th>English header</th><th>中文</th></tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>")


def _pdf(reusing: bool) -> tuple[bytes, int]:
    from weasyprint import CSS as Sheet
    from weasyprint import HTML

    with textlayouts.reusing() if reusing else nullcontext(), linebreaking.deciding():
        document = HTML(string=_html(), base_url=str(REPO)).render(stylesheets=[Sheet(string=CSS)])
    return document.write_pdf(), len(document.pages)


@pytest.mark.slow
def test_a_document_laid_out_reusing_its_text_layouts_is_the_same_pdf():
    reused, pages = _pdf(True)
    assert pages > 3  # lines broken at the foot of a page are broken again on the next
    assert reused == _pdf(False)[0]
    assert reused == _pdf(True)[0]  # and a second time in the process (the kept answers went with the first)


@pytest.mark.slow
def test_reusing_makes_fewer_pango_layouts_and_breaks_fewer_lines():
    from weasyprint.text import line_break

    counts = {"setup": 0, "split": 0}
    setup, split = line_break.Layout.setup, line_break.split_first_line

    def counted_setup(self, style):
        counts["setup"] += 1
        return setup(self, style)

    def counted_split(*args, **kwargs):
        counts["split"] += 1
        return split(*args, **kwargs)

    textlayouts.install()
    line_break.Layout.setup = counted_setup
    linebreaking._originals["split_first_line"], kept = counted_split, linebreaking._originals["split_first_line"]
    try:
        seen = {}
        for reusing in (False, True):
            counts.update(setup=0, split=0)
            _pdf(reusing)
            seen[reusing] = dict(counts)
    finally:
        line_break.Layout.setup = setup
        linebreaking._originals["split_first_line"] = kept
    # Justified lines' layouts are made once, when drawn; a line broken again is not broken by WeasyPrint.
    assert seen[True]["setup"] < seen[False]["setup"]
    assert seen[True]["split"] < seen[False]["split"]


def test_pydyf_page_references_are_kept_until_a_page_is_added():
    import pydyf

    tagging.install()
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first is pdf.page_references and len(first) == 1
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 2 and pdf.page_references[0] == first[0]
