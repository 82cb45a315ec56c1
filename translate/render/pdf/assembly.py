"""Assembling PDFs from parts set separately: folios stamped on, outline, page labels, contents links.

WeasyPrint sets every part of the book once (each article, the back matter, the
front matter) without folios; this module puts the pages together with pikepdf
(qpdf) and stamps the page numbers on from a document whose page *k* shows only *k*,
each folio drawn over its page as a form XObject.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Sequence

#: CSS pixels to PDF points.
PT_PER_PX = 0.75


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One outline entry: where it points in the book."""

    level: int
    """1 for an article or a part of the book, 2 and 3 for headings inside it."""
    label: str
    page: int
    """0-based page index in the assembled document."""
    top: float
    """Points from the top of that page."""


@dataclass(frozen=True, slots=True)
class Link:
    """A clickable rectangle (points from the page's top left) that leads to a page of the book."""

    page: int
    """0-based page the rectangle is on."""
    rect: tuple[float, float, float, float]
    """x1, y1, x2, y2 in points from the top left."""
    target: int
    """0-based page it leads to."""
    top: float
    """Points from the top of the target page."""


@dataclass(frozen=True, slots=True)
class Section:
    """A run of pages taken from one part's PDF."""

    pdf: bytes
    first: int
    """0-based first page taken."""
    count: int
    """Pages taken."""


def _open(data: bytes):
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def _stamp(page, folio_page) -> None:
    """Draw ``folio_page`` over ``page`` as a form XObject: neither content stream is parsed or re-encoded."""
    page.add_overlay(folio_page)


def _y(page, top: float) -> float:
    return float(page.mediabox[3]) - top


def _page_labels(pdf, count: int) -> None:
    """Pages labelled 1, 2, 3… (decimal from 1), as viewers show them."""
    from pikepdf import Array, Dictionary, Name

    if count:
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, St=1)]))


def _save(pdf) -> bytes:
    out = io.BytesIO()
    # The same parts give the same bytes: the file identifier is derived from the content.
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def assemble(sections: Sequence[Section], folios: bytes, *, unnumbered: Iterable[int] = (),
             bookmarks: Sequence[Bookmark] = (), links: Sequence[Link] = (), metadata: dict | None = None,
             language: str = "") -> bytes:
    """One PDF of the sections' pages in order, page *k* stamped with folio *k* (1-based) except ``unnumbered``.

    ``metadata``: the document information (``/Title``, ``/Author``, ``/Subject``, ``/Keywords``…);
    ``language``: the document's language (the catalog's ``/Lang``, e.g. ``en``).
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem, PageLocation

    folio_pdf = _open(folios)
    folio_pages = folio_pdf.pages
    skip = set(unnumbered)
    book = pikepdf.new()
    sources = []  # open until the book is saved: its pages are copied from them
    for section in sections:
        source = _open(section.pdf)
        sources.append(source)
        book.pages.extend(source.pages[section.first:section.first + section.count])
    total = len(book.pages)
    if total > len(folio_pages):
        raise ValueError(f"{total} pages but only {len(folio_pages)} folios")
    for number, page in enumerate(book.pages):
        if number not in skip:
            _stamp(page, folio_pages[number])
    if bookmarks:
        with book.open_outline() as outline:
            parents: dict[int, OutlineItem] = {}
            for mark in bookmarks:
                item = OutlineItem(mark.label, mark.page, PageLocation.XYZ, left=0,
                                   top=_y(book.pages[mark.page], mark.top))
                parent = next((parents[level] for level in range(mark.level - 1, 0, -1) if level in parents), None)
                (parent.children if parent is not None else outline.root).append(item)
                parents[mark.level] = item
                for deeper in [level for level in parents if level > mark.level]:
                    del parents[deeper]
    for link in links:
        page = book.pages[link.page]
        x1, y1, x2, y2 = link.rect
        target = book.pages[link.target]
        annotation = book.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([x1, _y(page, y2), x2, _y(page, y1)]),
            Border=Array([0, 0, 0]), Dest=Array([target.obj, Name.XYZ, 0, _y(target, link.top), None])))
        if Name.Annots not in page.obj:
            page.obj.Annots = Array()
        page.obj.Annots.append(annotation)
    _page_labels(book, total)
    book.Root.PageMode = Name.UseOutlines
    for key, value in (metadata or {}).items():
        book.docinfo[Name(key)] = pikepdf.String(value)
    if language:
        book.Root.Lang = pikepdf.String(language)
    return _save(book)


def number_pages(pdf: bytes, folios: bytes) -> bytes:
    """``pdf`` with folio *k* stamped on page *k*; its outline and metadata kept."""
    document = _open(pdf)
    folio_pdf = _open(folios)
    for number, page in enumerate(document.pages):
        _stamp(page, folio_pdf.pages[number])
    _page_labels(document, len(document.pages))
    return _save(document)
