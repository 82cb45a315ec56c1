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

Runs only in the process that writes PDFs (a worker, or the build process when it sets a
document itself). Should WeasyPrint rename the function, nothing is wrapped and the tags
are WeasyPrint's own; the tests then fail (tests/render/test_pdf_tags.py).
"""

from __future__ import annotations

_WRAPPED = "_bitext_wrapped"


def install() -> bool:
    """Wrap WeasyPrint's tag builder once per process; False when WeasyPrint has none to wrap."""
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        return False
    if getattr(original, _WRAPPED, False):
        return True

    def build_box_tree(box, parent, pdf, *args, **kwargs):
        for element in original(box, parent, pdf, *args, **kwargs):
            _annotate(element, box)
            yield element

    setattr(build_box_tree, _WRAPPED, True)
    tags._build_box_tree = build_box_tree
    return True


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
