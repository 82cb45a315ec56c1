"""Assembling PDFs from parts set separately: folios stamped on, outline, page labels, contents links.

WeasyPrint sets every part of the book once (each article, the back matter, the
front matter) without folios; this module puts the pages together with pypdf
and stamps the page numbers on from a document whose page *k* shows only *k*.
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


def _reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def _stamp(page, folio_page) -> None:
    page.merge_page(folio_page, over=True)
    # merge_page leaves the joined content stream uncompressed: twice the file size otherwise.
    page.compress_content_streams()


def _y(page, top: float) -> float:
    return float(page.mediabox.top) - top


def assemble(sections: Sequence[Section], folios: bytes, *, unnumbered: Iterable[int] = (),
             bookmarks: Sequence[Bookmark] = (), links: Sequence[Link] = (), metadata: dict | None = None,
             language: str = "") -> bytes:
    """One PDF of the sections' pages in order, page *k* stamped with folio *k* (1-based) except ``unnumbered``.

    ``metadata``: the document information (``/Title``, ``/Author``, ``/Subject``, ``/Keywords``…);
    ``language``: the document's language (the catalog's ``/Lang``, e.g. ``en``).
    """
    from pypdf import PdfWriter
    from pypdf.annotations import Link as LinkAnnotation
    from pypdf.generic import Fit, NameObject, TextStringObject

    folio_pages = _reader(folios).pages
    skip = set(unnumbered)
    writer = PdfWriter()
    for section in sections:
        reader = _reader(section.pdf)
        for index in range(section.first, section.first + section.count):
            writer.add_page(reader.pages[index])
    total = len(writer.pages)
    if total > len(folio_pages):
        raise ValueError(f"{total} pages but only {len(folio_pages)} folios")
    for number, page in enumerate(writer.pages):
        if number not in skip:
            _stamp(page, folio_pages[number])
    parents: dict[int, object] = {}
    for mark in bookmarks:
        parent = next((parents[level] for level in range(mark.level - 1, 0, -1) if level in parents), None)
        page = writer.pages[mark.page]
        item = writer.add_outline_item(title=mark.label, page_number=mark.page, parent=parent,
                                       fit=Fit.xyz(left=0, top=_y(page, mark.top)))
        parents[mark.level] = item
        for deeper in [level for level in parents if level > mark.level]:
            del parents[deeper]
    for link in links:
        page = writer.pages[link.page]
        x1, y1, x2, y2 = link.rect
        rect = (x1, _y(page, y2), x2, _y(page, y1))
        writer.add_annotation(link.page, LinkAnnotation(
            rect=rect, target_page_index=link.target,
            fit=Fit.xyz(left=0, top=_y(writer.pages[link.target], link.top))))
    writer.set_page_label(0, total - 1, style="/D", start=1)
    writer.page_mode = "/UseOutlines"
    if metadata:
        writer.add_metadata(metadata)
    if language:
        writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def number_pages(pdf: bytes, folios: bytes) -> bytes:
    """``pdf`` with folio *k* stamped on page *k*; its outline and metadata kept."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=_reader(pdf))
    folio_pages = _reader(folios).pages
    for number, page in enumerate(writer.pages):
        _stamp(page, folio_pages[number])
    writer.set_page_label(0, len(writer.pages) - 1, style="/D", start=1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
