"""The tagged PDF (issue 30): PDF/UA-1 parts, a book whose assembly keeps their tags, the PDF version.

Read back with pikepdf (veraPDF is not installed): the structure tree, each element's
language, the reading order of a pair, figures' alt text, the parent tree that maps each
page's marked content to its elements, the folios as artifacts, the catalog's entries.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from factories import sample_edition
from translate.render.pdf.assembly import OUTSIDE, Section, assemble, number_pages
from translate.render.pdf.edition import BOOK, PdfJob, render_document, render_pdf
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]

PART = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>一篇 · A part</title>
<style>@page { @top-center { content: "一篇 · A running head" } }</style></head><body>
<article id="art">
  <h1 lang="zh-Hans">标题</h1><p class="title-en" lang="en">The title</p>
  <div class="pair" id="pair"><div class="zh" lang="zh-Hans">我们先出发。</div><div class="en" lang="en">We set out first.</div></div>
  <div class="pair"><div class="zh" lang="zh-Hant"><div class="placeholder" role="img">圖片未收錄</div></div>
  <div class="en" lang="en"><div class="placeholder" role="img">Image not included</div></div></div>
  <p>See <a href="#elsewhere">the other part</a>.</p>
</article>
<section id="offprint-back" style="break-before: page"><p>Only in the offprint.</p></section>
</body></html>"""

FRONT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The book</title></head><body>
<nav id="contents"><h2>Contents · <span lang="zh-Hans">目录</span></h2>
<p><a href="#pair">The pair</a></p></nav></body></html>"""

FOLIOS = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>folios</title>
<style>@page { @bottom-center { content: counter(page) } }</style></head>
<body>""" + '<div style="break-after: page"></div>' * 4 + "</body></html>"


def job(name: str, html: str, **changes) -> PdfJob:
    return replace(PdfJob(name, html, "", REPO.as_uri() + "/", (REPO,)), **changes)


@pytest.fixture(scope="module")
def parts():
    """A two-page article part (its second page the offprint's), a front matter linking into it, folios."""
    return (render_document(job("part.pdf", PART, anchors=("art", "offprint-back"))),
            render_document(job("front.pdf", FRONT)),
            render_document(job("folios.pdf", FOLIOS, tagged=False)))


def open_pdf(data: bytes) -> pikepdf.Pdf:
    import io

    return pikepdf.open(io.BytesIO(data))


def kids(element) -> list:
    value = element.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def elements(pdf: pikepdf.Pdf):
    """(element, its language as inherited, depth) for every structure element, in the tree's order."""
    lang = str(pdf.Root.get("/Lang", ""))
    todo = [(kid, lang, 0) for kid in reversed(kids(pdf.Root.StructTreeRoot))]
    while todo:
        element, inherited, depth = todo.pop()
        own = str(element.get("/Lang", inherited))
        yield element, own, depth
        todo.extend((kid, own, depth + 1) for kid in reversed(kids(element))
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/OBJR", "/MCR"))


def marked_content_languages(pdf: pikepdf.Pdf) -> dict[str, int]:
    """How many pieces of marked content (text, images) each language holds."""
    counts: dict[str, int] = {}
    for element, lang, _ in elements(pdf):
        for kid in kids(element):
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Object) and not isinstance(kid, pikepdf.Dictionary)):
                counts[lang] = counts.get(lang, 0) + 1
    return counts


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def mcids(page: pikepdf.Page) -> set[int]:
    return {int(op.operands[1].MCID) for op in pikepdf.parse_content_stream(page)
            if str(op.operator) == "BDC" and isinstance(op.operands[1], pikepdf.Dictionary) and "/MCID" in op.operands[1]}


def assert_accessible_catalog(pdf: pikepdf.Pdf, title: str) -> None:
    assert pdf.pdf_version == "1.7"
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    from xml.etree import ElementTree

    xmp = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
    descriptions = xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    part = "{http://www.aiim.org/pdfua/ns/id/}part"
    assert any(d.get(part) == "1" or d.findtext(part) == "1" for d in descriptions)
    titles = [li.text for li in xmp.iterfind(".//{http://purl.org/dc/elements/1.1/}title//"
                                              "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")]
    assert titles == [title]


def assert_parent_tree_maps_every_page(pdf: pikepdf.Pdf) -> None:
    """Every page's marked content has its element in the parent tree, an element of that page in the tree.

    (Content in no element of the tree, such as WeasyPrint's running heads, would fail: it must be an artifact.)
    """
    tree = parent_tree(pdf)
    in_tree = {element.objgen for element, _, _ in elements(pdf)}
    for number, page in enumerate(pdf.pages):
        used = mcids(page)
        if not used:
            continue
        row = tree[int(page.obj.StructParents)]
        assert max(used) < len(row), number
        assert all(row[m].Pg.objgen == page.obj.objgen for m in used), number
        assert all(row[m].objgen in in_tree for m in used), number


def drawn(page: pikepdf.Page):
    """Each drawing operator of a page's content stream as (operator, operands, inside ``/Artifact`` content)."""
    depth, artifact = 0, None
    for op in pikepdf.parse_content_stream(page):
        name = str(op.operator)
        if name in ("BDC", "BMC"):
            depth += 1
            if str(op.operands[0]) == "/Artifact" and artifact is None:
                artifact = depth
        elif name == "EMC":
            if depth == artifact:
                artifact = None
            depth -= 1
        else:
            yield name, op.operands, artifact is not None


def artifact_texts(page: pikepdf.Page) -> int:
    """How many text-showing operators a page draws inside ``/Artifact`` marked content."""
    return sum(1 for name, _, artifact in drawn(page) if name in ("Tj", "TJ") and artifact)


def test_a_part_is_pdf_ua_with_each_columns_language_in_reading_order_and_alt_text(parts):
    part = open_pdf(parts[0].pdf)
    assert_accessible_catalog(part, "一篇 · A part")
    found = list(elements(part))
    divs = [(str(e.get("/Lang")), depth) for e, _, depth in found if e.get("/S") == "/Div" and "/Lang" in e]
    # each pair: its Chinese, then its English, side by side in the tree as on the page
    assert divs[:2] == [("zh-Hans", divs[0][1]), ("en", divs[0][1])]
    assert ("zh-Hant", divs[0][1]) in divs
    figures = [e for e, _, _ in found if e.get("/S") == "/Figure"]
    assert [str(f.Alt) for f in figures] == ["圖片未收錄", "Image not included"]
    languages = marked_content_languages(part)
    assert languages.get("zh-Hans", 0) >= 2 and languages.get("en", 0) >= 3  # the title, the pair
    assert_parent_tree_maps_every_page(part)
    assert all(artifact_texts(page) for page in part.pages)  # the running head


def test_a_link_out_of_the_part_is_written_for_the_assembly_to_point(parts):
    part = open_pdf(parts[0].pdf)
    links = [a for a in part.pages[0].obj.Annots if "/A" in a]
    assert [str(a.A.URI) for a in links] == [OUTSIDE + "elsewhere"]
    assert parts[0].links and parts[0].links[0][1] == "elsewhere"


@pytest.fixture(scope="module")
def book(parts):
    part, front, folios = parts
    keep = part.anchors["offprint-back"][0]
    return assemble([Section(front.pdf, 0, front.pages), Section(part.pdf, 0, keep)], folios.pdf, unnumbered=(0,),
                    targets={"pair": (front.pages + part.anchors["art"][0], 40.0)},
                    metadata={"/Title": "The book", "/Author": "Ada"}, language="en")


def test_the_assembled_book_declares_pdf_1_7_and_is_tagged(book):
    pdf = open_pdf(book)
    assert book.startswith(b"%PDF-1.7")
    assert_accessible_catalog(pdf, "The book")
    document = kids(pdf.Root.StructTreeRoot)[0]
    assert document.S == "/Document"
    assert [str(p.S) for p in kids(document)] == ["/Part", "/Part"]  # the front, then the article


def test_the_book_keeps_each_parts_elements_and_only_those_of_the_pages_it_takes(book, parts):
    pdf = open_pdf(book)
    pages = {page.obj.objgen for page in pdf.pages}
    found = list(elements(pdf))
    assert all(e.Pg.objgen in pages for e, _, _ in found if "/Pg" in e)  # not the offprint's page
    assert len(pdf.pages) == parts[1].pages + parts[0].anchors["offprint-back"][0]
    languages = marked_content_languages(pdf)
    assert languages.get("zh-Hans", 0) >= 3 and languages.get("zh-Hant", 0) >= 1 and languages.get("en", 0) >= 4
    assert sorted(str(e.Alt) for e, _, _ in found if e.get("/S") == "/Figure") == ["Image not included", "圖片未收錄"]
    assert_parent_tree_maps_every_page(pdf)
    tree = pdf.Root.StructTreeRoot
    assert int(tree.ParentTreeNextKey) > max(parent_tree(pdf))


def test_the_contents_link_leads_to_its_page_and_stays_in_the_structure_tree(book, parts):
    pdf = open_pdf(book)
    links = [a for a in pdf.pages[0].obj.get("/Annots", ()) if a.get("/Subtype") == "/Link"]
    assert links and all("/A" not in a for a in links)
    target = parts[1].pages + parts[0].anchors["art"][0]
    assert {a.Dest[0].objgen for a in links} == {pdf.pages[target].obj.objgen}
    tree = parent_tree(pdf)
    for annotation in links:
        element = tree[int(annotation.StructParent)]
        assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen == annotation.objgen
                   for k in kids(element))


def test_folios_are_pagination_artifacts_and_the_cover_has_none(book):
    pdf = open_pdf(book)
    for number, page in enumerate(pdf.pages):
        folios = [artifact for name, operands, artifact in drawn(page)
                  if name == "Do" and str(operands[0]).startswith("/BitextFolio")]
        assert folios == ([] if number == 0 else [True]), number


def test_the_same_parts_give_the_same_book(parts, book):
    part, front, folios = parts
    keep = part.anchors["offprint-back"][0]
    again = assemble([Section(front.pdf, 0, front.pages), Section(part.pdf, 0, keep)], folios.pdf, unnumbered=(0,),
                     targets={"pair": (front.pages + part.anchors["art"][0], 40.0)},
                     metadata={"/Title": "The book", "/Author": "Ada"}, language="en")
    assert again == book


def test_an_offprint_keeps_its_tags_and_loses_its_links_out(parts):
    part, _, folios = parts
    offprint = open_pdf(number_pages(part.pdf, folios.pdf))
    assert_accessible_catalog(offprint, "一篇 · A part")
    assert all("/A" not in a for page in offprint.pages for a in page.obj.get("/Annots", ()))
    assert not any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                   for e, _, _ in elements(offprint) for k in kids(e))
    assert_parent_tree_maps_every_page(offprint)


# ---------------------------------------------------------------------------
# The sample edition, as a build writes it


@pytest.fixture(scope="module")
def edition_pdfs(tmp_path_factory):
    settings = Settings(root=REPO, templates_dir=REPO / "templates", build_dir=tmp_path_factory.mktemp("tags") / "build",
                        jobs=1)
    return render_pdf(sample_edition(), settings)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdfinfo_says_the_book_and_every_offprint_are_tagged_pdf_1_7(edition_pdfs):
    for path in edition_pdfs:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Tagged:\s+yes", info), path.name
        assert re.search(r"PDF version:\s+1\.7", info), path.name


@pytest.mark.slow
def test_the_books_tree_speaks_simplified_traditional_and_english_and_its_figures_have_alt_text(edition_pdfs):
    book = pikepdf.open(edition_pdfs[0])
    assert edition_pdfs[0].name == BOOK
    assert_accessible_catalog(book, sample_edition().title)
    languages = marked_content_languages(book)
    # the interview is Simplified, the essay Traditional (script = "source"); the English column en
    assert languages.get("zh-Hans", 0) > 0 and languages.get("zh-Hant", 0) > 0 and languages.get("en", 0) > 0
    figures = [e for e, _, _ in elements(book) if e.get("/S") == "/Figure"]
    assert figures and all(str(f.get("/Alt", "")).strip() for f in figures)  # the image's placeholders
    assert_parent_tree_maps_every_page(book)
