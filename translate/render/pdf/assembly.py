"""Assembling PDFs from parts set separately: folios stamped on, outline, page labels, contents links, tags.

WeasyPrint sets every part of the book once (each article, the back matter, the
front matter) without folios; this module puts the pages together with pikepdf
(qpdf) and stamps the page numbers on from a document whose page *k* shows only *k*,
each folio drawn over its page as a form XObject, marked as a pagination artifact.

The parts are tagged (PDF/UA-1, :mod:`.workers`); so is the book: each part's structure
tree (its ``/Document`` element, made a ``/Part``) goes under the book's ``/Document`` in
the order of the pages, with the elements of the pages the book leaves out dropped, and
the parent tree that maps each page's marked content to its elements is numbered anew.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence
from xml.etree import ElementTree

#: CSS pixels to PDF points.
PT_PER_PX = 0.75
#: The URI a part's link to an anchor outside it is written with (then the anchor): pointed at its page when
#: the book is assembled, taken out of an offprint.
OUTSIDE = "bitext-outside:"
#: The version the book and the offprints declare: embedded OpenType fonts need 1.6, PDF/UA-1 is 1.7.
PDF_VERSION = "1.7"


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
class Section:
    """A run of pages taken from one part's PDF."""

    pdf: "bytes | object"
    """The part's PDF, or the part opened ahead of time (:func:`opened`)."""
    first: int
    """0-based first page taken."""
    count: int
    """Pages taken."""


def _open(data: bytes):
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def opened(data: bytes):
    """A part opened ahead of time (while the last one is set), for one :func:`assemble` (which changes it)."""
    return _open(data)


def _source(pdf):
    return _open(pdf) if isinstance(pdf, (bytes, bytearray)) else pdf


def _stamp(page, folio_page, number: int) -> None:
    """Draw ``folio_page`` over ``page`` as a form XObject, a pagination artifact (not read out as text).

    Neither content stream is parsed or re-encoded: the page's gets ``q`` … ``Q`` streams around it.
    The form is named after the page ``number`` (not at random: the same parts give the same bytes).
    """
    from pikepdf import Name, Rectangle

    formx = folio_page.as_form_xobject()
    name = page.add_resource(formx, Name.XObject, Name(f"/BitextFolio{number}"))
    placed = page.calc_form_xobject_placement(formx, name, Rectangle(page.trimbox))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n/Artifact <</Type /Pagination>> BDC\n" + placed + b"\nEMC\n", prepend=False)


def _y(page, top: float) -> float:
    return float(page.mediabox[3]) - top


def _page_labels(pdf, count: int) -> None:
    """Pages labelled 1, 2, 3… (decimal from 1), as viewers show them."""
    from pikepdf import Array, Dictionary, Name

    if count:
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, St=1)]))


def _save(pdf) -> bytes:
    import pikepdf

    out = io.BytesIO()
    # The same parts give the same bytes: the file identifier is derived from the content. The structure
    # tree's many small objects go into compressed object streams (the book would be twice as large).
    pdf.save(out, deterministic_id=True, min_version=PDF_VERSION,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def assemble(sections: Sequence[Section], folios: bytes, *, unnumbered: Iterable[int] = (),
             bookmarks: Sequence[Bookmark] = (), targets: Mapping[str, tuple[int, float]] | None = None,
             metadata: dict | None = None, language: str = "") -> bytes:
    """One PDF of the sections' pages in order, page *k* stamped with folio *k* (1-based) except ``unnumbered``.

    ``folios`` and each section's PDF: bytes, or opened ahead of time (:func:`opened`).

    ``targets``: anchor → (0-based book page, points from its top), where the parts' links to
    anchors outside them lead (the contents); ``metadata``: the document information (``/Title``,
    ``/Author``, ``/Subject``, ``/Keywords``…), also written as XMP; ``language``: the document's
    language (the catalog's ``/Lang``, e.g. ``en``). The parts' structure trees are merged.
    """
    import pikepdf
    from pikepdf import Name, OutlineItem, PageLocation

    folio_pdf = _source(folios)
    folio_pages = folio_pdf.pages
    skip = set(unnumbered)
    book = pikepdf.new()
    sources = []  # open until the book is saved: its pages are copied from them
    taken = []  # (source, its pages taken)
    for section in sections:
        source = _source(section.pdf)
        sources.append(source)
        pages = list(source.pages[section.first:section.first + section.count])
        taken.append((source, pages))
        book.pages.extend(pages)
    total = len(book.pages)
    if total > len(folio_pages):
        raise ValueError(f"{total} pages but only {len(folio_pages)} folios")
    _merge_structure(book, taken)
    for number, page in enumerate(book.pages):
        if number not in skip:
            _stamp(page, folio_pages[number], number)
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
    _outside_links(book, targets or {})
    _page_labels(book, total)
    book.Root.PageMode = Name.UseOutlines
    for key, value in (metadata or {}).items():
        book.docinfo[Name(key)] = pikepdf.String(value)
    if language:
        book.Root.Lang = pikepdf.String(language)
    if Name.StructTreeRoot in book.Root:
        _accessible(book, metadata or {})
    return _save(book)


def number_pages(pdf: bytes, folios: bytes) -> bytes:
    """``pdf`` with folio *k* stamped on page *k*; its outline, metadata and tags kept, outside links taken out."""
    document = _open(pdf)
    folio_pdf = _open(folios)
    for number, page in enumerate(document.pages):
        _stamp(page, folio_pdf.pages[number], number)
    _outside_links(document, {})
    _page_labels(document, len(document.pages))
    return _save(document)


# ---------------------------------------------------------------------------
# Tags


def _kids(element) -> list:
    """An element's ``/K`` as a list (it may be one kid or an array)."""
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _number_tree(tree) -> dict:
    """A number tree's entries (``/Nums``, and ``/Kids`` at any depth up to 32)."""
    entries, todo = {}, [(tree, 0)]
    while todo:
        node, depth = todo.pop()
        nums = node.get("/Nums")
        if nums is not None:
            for index in range(0, len(nums) - 1, 2):
                entries[int(nums[index])] = nums[index + 1]
        if depth < 32:
            todo.extend((kid, depth + 1) for kid in node.get("/Kids", ()))
    return entries


def _merge_structure(book, taken) -> None:
    """One structure tree for ``book`` from its sources' (``taken``: (source, its pages in the book, in order)).

    Each source's ``/Document`` becomes a ``/Part`` under the book's ``/Document``, keeping the
    elements on the pages taken (WeasyPrint starts the elements of every page afresh, each with
    that page's ``/Pg``). The parent tree is numbered anew: page *k*'s marked content under key
    *k*, then the annotations. A source without tags adds its pages untagged.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    if not any(Name.StructTreeRoot in source.Root for source, _ in taken):
        return
    root = book.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = book.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    root.K = Array([document])
    nums = Array()
    annotations = []  # (book annotation, copied element)
    number = 0
    for source, pages in taken:
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            number += len(pages)
            continue
        parents = _number_tree(tree.ParentTree) if "/ParentTree" in tree else {}
        wanted = {page.obj.objgen for page in pages}
        for top in _kids(tree):
            if top.get("/S") != Name.Document:
                continue
            kept = Array([kid for kid in _kids(top)
                          if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Pg") is None
                          or kid.Pg.objgen in wanted])
            # The part's Document, cut off from the pages left out and from the part's root, is copied
            # whole (elements WeasyPrint left out of the tree, a margin box's, still name it their parent).
            top.S, top.K = Name.Part, kept
            del top.P
            copied = book.copy_foreign(top)
            copied.P = document
            document.K.append(copied)
        for page in pages:
            book_page = book.pages[number]
            key = page.obj.get("/StructParents")
            if key is not None and int(key) in parents:
                nums.append(number)
                nums.append(_copy(book, parents[int(key)]))
                book_page.obj.StructParents = number
            elif Name.StructParents in book_page.obj:
                del book_page.obj.StructParents
            for annotation in book_page.obj.get("/Annots", ()):
                key = annotation.get("/StructParent")
                if key is not None and int(key) in parents:
                    annotations.append((annotation, _copy(book, parents[int(key)])))
            number += 1
    for key, (annotation, element) in enumerate(annotations, start=len(book.pages)):
        annotation.StructParent = key
        nums.append(key)
        nums.append(element)
    root.ParentTree = book.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(book.pages) + len(annotations)
    book.Root.StructTreeRoot = root


def _copy(book, value):
    """``value`` of another PDF in ``book``: indirect objects copied once (pages and elements already copied are
    reused), a direct array of them copied item by item."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(book, item) for item in value])
    return value


def _outside_links(pdf, targets: Mapping[str, tuple[int, float]]) -> None:
    """Links to :data:`OUTSIDE` + anchor pointed at the anchor's page; those to an anchor not in ``targets`` taken out."""
    from pikepdf import Array, Name, String

    parents: dict | None = None  # the parent tree's entries, read once (an offprint takes out every outside link)
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = Array()
        for annotation in annotations:
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(OUTSIDE):
                kept.append(annotation)
                continue
            target = targets.get(uri[len(OUTSIDE):])
            if target is None:
                if parents is None:
                    parents = _parent_tree(pdf)
                _untag_annotation(annotation, parents)
                continue
            page_index, top = target
            destination = pdf.pages[page_index]
            del annotation.A
            annotation.Dest = Array([destination.obj, Name.XYZ, 0, _y(destination, top), None])
            annotation.Contents = String(f"Go to page {page_index + 1}")
            kept.append(annotation)
        page.obj.Annots = kept


def _parent_tree(pdf) -> dict:
    """The entries of ``pdf``'s parent tree (structure parent key → element); empty when it has none."""
    tree = pdf.Root.get("/StructTreeRoot")
    return _number_tree(tree.ParentTree) if tree is not None and "/ParentTree" in tree else {}


def _untag_annotation(annotation, parents: dict) -> None:
    """Take ``annotation`` out of the structure tree (its link element keeps its text); ``parents``: :func:`_parent_tree`."""
    import pikepdf

    key = annotation.get("/StructParent")
    if key is None:
        return
    element = parents.get(int(key))
    if isinstance(element, pikepdf.Dictionary):
        element.K = pikepdf.Array([kid for kid in _kids(element)
                                   if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") is not None
                                           and kid.Obj.objgen == annotation.objgen)])


def _accessible(pdf, metadata: dict) -> None:
    """The catalog entries of a tagged PDF (PDF/UA-1): marked, title shown, XMP metadata with the title and the claim."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.Root.Metadata = pikepdf.Stream(pdf, xmp(metadata), Type=Name.Metadata, Subtype=Name.XML)


def xmp(metadata: dict) -> bytes:
    """XMP metadata (PDF/UA-1 wants ``dc:title`` and ``pdfuaid:part``) from the document information."""
    ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
          "pdf": "http://ns.adobe.com/pdf/1.3/", "xmp": "http://ns.adobe.com/xap/1.0/",
          "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}
    for prefix, uri in ns.items():
        ElementTree.register_namespace(prefix, uri)

    def tag(name: str) -> str:
        prefix, local = name.split(":")
        return f"{{{ns[prefix]}}}{local}"

    rdf = ElementTree.Element(tag("rdf:RDF"))
    about = ElementTree.SubElement(rdf, tag("rdf:Description"), {tag("rdf:about"): "", tag("pdfuaid:part"): "1"})

    def alternative(name: str, text: str) -> None:
        item = ElementTree.SubElement(ElementTree.SubElement(ElementTree.SubElement(about, tag(name)),
                                                             tag("rdf:Alt")), tag("rdf:li"))
        item.set("xml:lang", "x-default")
        item.text = text

    if metadata.get("/Title"):
        alternative("dc:title", metadata["/Title"])
    if metadata.get("/Subject"):
        alternative("dc:description", metadata["/Subject"])
    if metadata.get("/Author"):
        sequence = ElementTree.SubElement(ElementTree.SubElement(about, tag("dc:creator")), tag("rdf:Seq"))
        ElementTree.SubElement(sequence, tag("rdf:li")).text = metadata["/Author"]
    if metadata.get("/Keywords"):
        ElementTree.SubElement(about, tag("pdf:Keywords")).text = metadata["/Keywords"]
    if metadata.get("/Creator"):
        ElementTree.SubElement(about, tag("xmp:CreatorTool")).text = metadata["/Creator"]
    packet = ElementTree.tostring(rdf, encoding="unicode")
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            f"{packet}</x:xmpmeta>\n<?xpacket end=\"r\"?>").encode("utf-8")
