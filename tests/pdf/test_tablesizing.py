"""Table cells whose text never sizes their column (issue 33): the glossary's auto layout measures the kinds alone.

The auto table layout measures every cell before it lays a table out; in the glossary only the
kind's column is sized by its text (the others take their share, the note the rest).
:mod:`~translate.render.pdf.tablesizing` has WeasyPrint count a cell of class ``unsized`` as its
padding alone. These tests lay tables out with and without the class and compare the columns.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

import pytest

from factories import print_fonts

from translate.render.pdf import tablesizing

REPO = Path(__file__).resolve().parents[2]

CSS = """@page { size: A6; margin: 8mm }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt }
td { padding: 1.2mm 2mm; vertical-align: top; border-bottom: 0.3pt solid #ccc }
.a { width: 22% } .b { width: 24% } .c { width: 12% }
.unsized, .sized { overflow-wrap: anywhere }"""


def _table(rows: int, cls: str, kind: str = "company") -> str:
    note = "A note long enough to run over more than one line of its column, as the glossary's notes do. " * 2
    body = "".join(f'<tr><td class="a {cls}">大模型{n}</td><td class="b {cls}">large model number {n}</td>'
                   f'<td class="c">{kind if n == rows // 2 else "concept"}</td><td class="{cls}">{note}</td></tr>'
                   for n in range(rows))
    return f"<!DOCTYPE html><html lang='en'><body><table>{body}</table></body></html>"


def _layout(html: str, css: str = CSS, *, sizing: bool = True):
    """The columns of each table (page by page) and the rows' tops: the layout, as far as these tests look."""
    from weasyprint import CSS as Sheet
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    with tablesizing.sizing() if sizing else nullcontext():
        document = HTML(string=html, base_url=str(REPO)).render(stylesheets=[Sheet(string=css)])
    columns, tops = [], []

    def walk(box):
        if isinstance(box, boxes.TableBox):
            columns.append(tuple(round(w, 6) for w in box.column_widths))
        if isinstance(box, boxes.TableRowBox):
            tops.append(round(box.position_y, 6))
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return len(document.pages), columns, tops


@pytest.fixture
def measured(monkeypatch) -> list[str]:
    """The classes of the cells WeasyPrint measures."""
    tablesizing.install()
    original = tablesizing._originals["table_cell_min_max_content_width"]
    seen: list[str] = []

    def counting(context, box, outer=True):
        seen.append(box.element.get("class") or "")
        return original(context, box, outer)

    monkeypatch.setitem(tablesizing._originals, "table_cell_min_max_content_width", counting)
    return seen


def test_unsized_cells_are_not_measured_and_the_columns_are_those_measuring_gives(measured):
    unsized = _layout(_table(30, "unsized"))
    assert measured and all(cls == "c" for cls in measured), set(measured)
    del measured[:]
    sized = _layout(_table(30, "sized"))
    assert len(measured) == 4 * 30
    assert unsized == sized
    pages, columns, _ = unsized
    assert pages > 1 and len(columns) == pages
    assert columns[0][2] > 0 and abs(sum(columns[0]) / columns[0][0] * 0.22 - 1) < 1e-6  # the share of 22 %


def test_outside_sizing_every_cell_is_measured_as_weasyprint_does(measured):
    assert _layout(_table(8, "unsized"), sizing=False) == _layout(_table(8, "sized"))
    assert len(measured) == 2 * 4 * 8  # plain WeasyPrint in the same process (the benchmark's baseline)


def test_a_kind_wider_than_its_share_still_widens_its_column(measured):
    short = _layout(_table(6, "unsized"))
    wide = _layout(_table(6, "unsized", kind="internationalisation-organisation"))
    assert wide == _layout(_table(6, "sized", kind="internationalisation-organisation"))
    assert wide[1][0][2] > short[1][0][2] * 1.5  # sized by its word, not its 12 %
    assert wide[1][0][3] < short[1][0][3]  # the note gives the room


def test_a_word_wider_than_an_unsized_column_breaks_inside_it():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    html = _table(3, "unsized").replace("large model number 1", word)
    _, columns, _ = _layout(html)
    assert columns[0] == _layout(_table(3, "unsized"))[1][0]  # the column kept its share


FONTS = print_fonts()


@pytest.mark.slow
@pytest.mark.skipif(FONTS is None, reason="Noto Serif CJK SC not installed")
def test_the_glossary_lays_out_as_when_every_cell_was_measured(tmp_path, measured):
    """The glossary's template and stylesheet: only the kinds (and the headings) are measured; same layout."""
    from bench.pdf import synthetic_edition
    from translate.models import Term
    from translate.render.pdf.edition import GLOSSARY, _template_env, plan_pdfs
    from translate.render.pdf.stylesheet import print_css
    from translate.settings import Settings

    kinds = ("concept", "person", "organisation", "university", "lab")
    terms = tuple(Term(zh=f"术语{n}号", en=f"term number {n}", kind=kinds[n % len(kinds)],
                       note="An explanation of the term, long enough to wrap. " * (n % 3), line=n + 2)
                  for n in range(70))
    edition = replace(synthetic_edition(), terms=terms)
    settings = Settings(root=REPO, build_dir=tmp_path / "build", templates_dir=REPO / "templates")
    plan = plan_pdfs(edition, settings)
    back = next(job for job in plan.parts if job.name == GLOSSARY)
    css = print_css(_template_env(settings), settings, plan.fonts, None)
    ours = _layout(back.html, css)
    assert measured and {cls for cls in measured if "g-" in cls} == {"g-kind"}
    everything = _layout(back.html.replace(f" {tablesizing.UNSIZED}\"", "\""), css)
    assert ours == everything
    assert ours[0] >= 2
