"""The EPUBs' accessibility metadata (EPUB Accessibility 1.1, issue 30), held against what the books contain.

epubcheck's run over books with this metadata is tests/render/test_epub.py's.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import pytest

from factories import sample_edition
from htmltools import make_settings
from translate.render.epub import render_epub

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def package_metadata(path) -> dict[str, list[str]]:
    """The package document's ``<meta property=…>`` values, by property."""
    with zipfile.ZipFile(path) as book:
        package = ElementTree.fromstring(book.read("EPUB/package.opf"))
    found: dict[str, list[str]] = {}
    for meta in package.iter(f"{OPF}meta"):
        if meta.get("property") and not meta.get("refines"):
            found.setdefault(meta.get("property"), []).append((meta.text or "").strip())
    return found


def documents(path):
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith(".xhtml"):
                yield name, ElementTree.fromstring(book.read(name))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    zh_first = render_epub(sample_edition(), make_settings(folder / "zh", epub_embed_font=False))
    english_only = render_epub(sample_edition(), make_settings(folder / "en", epub_order="en", epub_embed_font=False))
    return zh_first, english_only


def test_every_book_states_its_access_modes_features_hazards_and_a_summary(books):
    for path in [*books[0], *books[1]]:
        meta = package_metadata(path)
        assert meta["schema:accessMode"] == ["textual"], path.name
        assert meta["schema:accessModeSufficient"] == ["textual"], path.name
        assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(meta["schema:accessibilityFeature"])
        assert meta["schema:accessibilityHazard"] == ["none"], path.name
        assert len(meta["schema:accessibilitySummary"]) == 1 and meta["schema:accessibilitySummary"][0]


def test_the_summary_names_the_order_the_book_gives_its_languages(books):
    zh_first, english_only = books
    assert "in Chinese, then in English" in package_metadata(zh_first[0])["schema:accessibilitySummary"][0]
    assert "in English only" in package_metadata(english_only[0])["schema:accessibilitySummary"][0]


def test_the_claims_hold_for_the_books_contents(books):
    for path in books[0]:
        meta = package_metadata(path)
        pages = dict(documents(path))
        images = [img for page in pages.values() for img in page.iter(f"{XHTML}img")]
        # alternativeText and a visual mode are claimed exactly when there are pictures to describe
        assert ("alternativeText" in meta["schema:accessibilityFeature"]) == bool(images)
        assert all(img.get("alt") for img in images)
        assert "dcterms:conformsTo" not in meta  # nothing here evaluates the books against WCAG
        # structural navigation and a table of contents: headings in every chapter, a toc nav
        nav = pages["EPUB/nav.xhtml"]
        assert any(n.get("{http://www.idpf.org/2007/ops}type") == "toc" for n in nav.iter(f"{XHTML}nav"))
        chapters = [page for name, page in pages.items() if "/article" in name or name.endswith(tuple(
            f"{a.slug}.xhtml" for a in sample_edition().articles))]
        assert chapters and all(any(True for _ in page.iter(f"{XHTML}h1")) for page in chapters)
        # every paragraph of either language carries its language
        for page in chapters:
            for p in page.iter(f"{XHTML}p"):
                if p.get("class") in ("zh", "en"):
                    assert p.get("lang") and p.get("{http://www.w3.org/XML/1998/namespace}lang"), path.name
