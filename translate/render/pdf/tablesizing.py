"""Table cells whose text never sizes their column: the auto table layout measures only the cells that may.

WeasyPrint's auto table layout finds every cell's min- and max-content width before it lays a
table out (``layout.preferred.table_cell_min_max_content_width``): each line broken at every
opportunity, which in Chinese is every character. In the glossary (glossary.html.j2) only the kind's
column is sized by its text; the term's and the English's take the share their cells' width
gives them (22 %, 24 %) and the note takes the rest, whatever their text. Their cells are of
class :data:`UNSIZED`: this module wraps WeasyPrint's measure so that such a cell counts as its
padding and borders alone (as a cell whose text is narrower than its share), and the auto layout
gives the columns the widths it gave them when it measured all (a word wider than its share
breaks, ``overflow-wrap``, rather than widening the column). Measuring every cell was half the
back matter's layout. WeasyPrint's functions are called, never copied.

Only inside :func:`sizing` (:func:`.hyphenation.settle` lays a part out in it): the wrapper is
installed once per process and hands WeasyPrint's own measure back untouched outside it, so a
plain WeasyPrint render in the same process (the benchmark's baseline) measures every cell.
"""

from __future__ import annotations

from typing import ContextManager

from translate.render.pdf.switch import Switch, Wrappers

#: The class of a table cell whose content never widens its column.
UNSIZED = "unsized"

_local = Switch()
"""On inside :func:`sizing`."""
_wrappers = Wrappers(_local)
_originals = _wrappers.originals


def sizing() -> ContextManager[None]:
    """While inside: a table cell of class :data:`UNSIZED` is not measured by the auto table layout."""
    return _wrappers.active(install)


def install() -> None:
    """Wrap WeasyPrint's cell measure (as the auto table layout calls it), once per process."""
    from weasyprint.layout import preferred

    _wrappers.install((preferred, "table_cell_min_max_content_width", _cell_min_max_content_width))


def unsized(box) -> bool:
    """Whether ``box`` is a table cell of class :data:`UNSIZED`."""
    element = getattr(box, "element", None)
    return (element is not None and getattr(box, "element_tag", None) in ("td", "th")
            and UNSIZED in (element.get("class") or "").split())


def _cell_min_max_content_width(context, box, outer=True):
    """WeasyPrint's measure of a cell; for a cell of class :data:`UNSIZED`, its padding and borders alone."""
    if _local.active and unsized(box):
        from weasyprint.layout.preferred import adjust

        width = adjust(box, outer, 0)
        return width, width
    return _originals["table_cell_min_max_content_width"](context, box, outer)
