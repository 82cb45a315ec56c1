"""What WeasyPrint's PDF tags leave out, added while it writes them: the language of each element, and figures.

WeasyPrint 70 writes a structure tree (``pdf_variant="pdf/ua-1"``) whose elements follow the
HTML, but it gives only the document its language (``<html lang>``, the catalog's ``/Lang``).
A bilingual page needs each element's own: the Chinese ``zh-Hans`` or ``zh-Hant``, the English
``en``, so that a screen reader reads each column in its voice. WeasyPrint has no hook for
this; :func:`install` wraps its private ``pdf.tags._build_box_tree``, which builds the element
of one box (and recursively its children), and sets on each element:

- ``/Lang``, where the box's HTML element carries a ``lang`` attribute (children inherit it
  in the PDF as in HTML);
- for an HTML element with ``role="img"`` (the placeholder of an image the edition leaves
  out), ``/S /Figure`` with ``/Alt``: its ``aria-label``, else its text.

WeasyPrint also marks the text of the page margins (running heads) as content of elements
that it leaves out of the tree (an artifact there needs PDF 2.0, it says), so a reader would
find content in no element; :func:`mark_margins` makes it an artifact instead (``/Artifact``
marked content, no element), as PDF/UA-1 asks of running heads: ``Stream.marked`` is wrapped
too, and the tree builder skips those boxes.

The tree builder asks pydyf for a page's reference once per element (``PDF.page_references``, a
property that makes the tuple of every page's reference each time it is read: a part's 17,000 reads
of 20 pages' references); :func:`install` keeps the tuple until a page is added.

Runs only in the process that writes PDFs (a worker, or the build process when it sets a
document itself). Should WeasyPrint rename the function, nothing is wrapped and the tags
are WeasyPrint's own; the tests then fail (tests/render/test_pdf_tags.py).
"""

from __future__ import annotations

_WRAPPED = "_bitext_wrapped"
#: Set on the boxes of a page's margins (:func:`mark_margins`): drawn as artifacts, left out of the tree.
_ARTIFACT = "_bitext_artifact"
#: Where a pydyf PDF keeps its pages' references (:func:`_keep_page_references`): (count of ``Kids``, references).
_PAGE_REFERENCES = "_bitext_page_references"


def install() -> bool:
    """Wrap WeasyPrint's tag builder once per process; False when WeasyPrint has none to wrap."""
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    original = getattr(tags, "_build_box_tree", None)
    marked = getattr(Stream, "marked", None)
    if original is None or marked is None or not hasattr(Stream, "artifact"):
        return False
    if getattr(original, _WRAPPED, False):
        return True

    def build_box_tree(box, parent, pdf, *args, **kwargs):
        if getattr(box, _ARTIFACT, False):
            return
        for element in original(box, parent, pdf, *args, **kwargs):
            _annotate(element, box)
            yield element

    def marked_or_artifact(self, box, tag):
        # The context manager itself, not one wrapped in another (called for every box drawn).
        return self.artifact() if getattr(box, _ARTIFACT, False) else marked(self, box, tag)

    setattr(build_box_tree, _WRAPPED, True)
    tags._build_box_tree = build_box_tree
    Stream.marked = marked_or_artifact
    _keep_page_references()
    return True


def _keep_page_references() -> None:
    """pydyf's ``PDF.page_references``, read once per count of pages (it only grows, by ``add_page``)."""
    import pydyf

    made = pydyf.PDF.page_references
    if getattr(made.fget, _WRAPPED, False):
        return

    def page_references(self):
        count = len(self.pages["Kids"])
        kept = self.__dict__.get(_PAGE_REFERENCES)
        if kept is None or kept[0] != count:
            kept = self.__dict__[_PAGE_REFERENCES] = (count, made.fget(self))
        return kept[1]

    setattr(page_references, _WRAPPED, True)
    pydyf.PDF.page_references = property(page_references, doc=made.__doc__)


def mark_margins(document) -> None:
    """Mark every box in the margins of ``document``'s pages (running heads, folios) as an artifact."""
    from weasyprint.formatting_structure import boxes

    for page in document.pages:
        for box in getattr(page, "_page_box").children:
            if isinstance(box, boxes.MarginBox):
                for descendant in box.descendants():
                    setattr(descendant, _ARTIFACT, True)


def _annotate(element, box) -> None:
    import pydyf

    html = getattr(box, "element", None)
    if html is None or not hasattr(html, "get"):
        return
    lang = html.get("lang")
    if lang and "Lang" not in element:
        element["Lang"] = pydyf.String(lang)
    if html.get("role") == "img" and element.get("S") != "/Figure":
        alt = html.get("aria-label") or " ".join("".join(html.itertext()).split())
        element["S"] = "/Figure"
        element["Alt"] = pydyf.String(alt)
        x1, y1 = box.content_box_x(), box.content_box_y()
        element["A"] = pydyf.Dictionary({"O": "/Layout", "BBox": pydyf.Array((x1, y1, x1 + box.width,
                                                                                 y1 + box.height))})
