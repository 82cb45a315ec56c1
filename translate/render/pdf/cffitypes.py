"""C types WeasyPrint asks cffi for, parsed once a process tree rather than once a document.

cffi parses each C type string the first time it is asked for (pycparser, about 6 ms a type) and keeps it. Two
costs follow in the workers that set the parts:

* WeasyPrint's font subsetting asks for an array type of the exact length it fills, ``hb_codepoint_t[87]``,
  ``hb_codepoint_t[20036]``…: a new type, so a new parse, for nearly every font of every document (some ten a
  part). The same array comes from the open type ``hb_codepoint_t[]`` with the same items, parsed once:
  :func:`install` gives WeasyPrint's ``ffi.new`` that answer for exactly those calls (a length that is the
  items' own), and passes every other call through.
* The types every first document asks for (a font map, Pango's rectangles and log attributes…) are parsed
  here, in the template process the workers are forked from (:data:`~translate.render.pdf.workers.PRELOAD`), so
  that each worker inherits them parsed. Parsing is plain Python: nothing of Pango or GLib is started.

Importing this module installs both (it imports WeasyPrint: only the template process, the workers and a
build that sets its PDF in-process do). The PDFs are byte for byte the same.
"""

from __future__ import annotations

import re

from weasyprint.text.ffi import ffi

#: The array calls answered with the open type (the element types WeasyPrint's subsetting fills).
_SIZED = re.compile(r"(hb_codepoint_t|hb_tag_t|unsigned int)\[(\d+)\]")
#: The types a worker's first document asks for (and the open arrays :func:`install` uses).
FIRST_TYPES = ("PangoFcFontMap *", "char[]", "PangoRectangle *", "PangoLogAttr[]", "unsigned int *",
               "hb_tag_t[100]", "char[4]", "hb_codepoint_t[]", "hb_tag_t[]", "unsigned int[]")


def install() -> None:
    """WeasyPrint's ``ffi.new`` answers a sized array of its own items from the open array type (once a process)."""
    if getattr(ffi.new, "bitext_open_arrays", False):
        return
    new = ffi.new

    def open_arrays(cdecl, init=None):
        if init is not None and isinstance(cdecl, str):
            sized = _SIZED.fullmatch(cdecl)
            if (sized is not None and hasattr(init, "__len__") and not isinstance(init, (bytes, str))
                    and len(init) == int(sized.group(2))):
                return new(f"{sized.group(1)}[]", init)
        return new(cdecl, init)

    open_arrays.bitext_open_arrays = True
    ffi.new = open_arrays


def _parse_first_types() -> None:
    for cdecl in FIRST_TYPES:
        try:
            ffi.typeof(cdecl)
        except Exception:  # a type this WeasyPrint does not declare: parsed by the first document that asks
            pass


install()
_parse_first_types()
