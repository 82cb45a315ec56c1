"""The ``html`` and ``editorial`` rules: HTML remnants and editorial marks left in the text.

HTML remnants are tags (``<p>``, ``</p>``, ``<br/>``), tags that lost their ``<``
in a broken decoding (``/p>``) and character entities (``&nbsp;`` becomes a
space, ``&amp;`` an ampersand). Markdown autolinks (``<https://…>``) are not
tags. Editorial marks are reviewers' anchors such as ``[JJR1]`` or ``[a3]``: an
uppercase or lowercase code of letters and digits in square brackets that is not
a Markdown link.
"""

from __future__ import annotations

import html
import re

from translate.corpus.draft import Draft, Edit
from translate.corpus.spans import Spans

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(\s[^<>\n]*)?/?>")
_BROKEN_TAG = re.compile(r"(?<![<\w/])/(p|div|span|br|li|ul|ol|strong|em|b|i|a|h[1-6])>")
_ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,5});")
_MARK = re.compile(r" ?\[[A-Za-z]{1,5}\d{1,3}\](?![(\[:])")


def html_rule(draft: Draft) -> None:
    """Strip HTML tags and tag debris; turn character entities into characters."""
    edits = []
    tags = [(m.start(), m.end()) for m in _TAG.finditer(draft.text)]
    taken = Spans(tags)
    debris = [(m.start(), m.end()) for m in _BROKEN_TAG.finditer(draft.text) if not taken.overlaps(m.start(), m.end())]
    edits += [Edit(a, b, "", "strip", "HTML tag") for a, b in tags]
    edits += [Edit(a, b, "", "strip", "HTML tag debris") for a, b in debris]
    taken = Spans(tags + debris)
    for match in _ENTITY.finditer(draft.text):
        if taken.overlaps(match.start(), match.end()):
            continue
        char = html.unescape(match.group())
        edits.append(Edit(match.start(), match.end(), " " if char == "\xa0" else char, "replace", "HTML entity"))
    draft.apply("html", edits)


def editorial_rule(draft: Draft) -> None:
    """Strip editors' comment anchors such as ``[JJR1]``."""
    edits = [Edit(m.start(), m.end(), "", "strip", "editorial mark") for m in _MARK.finditer(draft.text)]
    draft.apply("editorial", edits)
