"""What a source file is: a web page, a Word file, a PDF, Markdown or plain text.

A file is judged by its content first and its name second: a ``.txt`` that holds a saved
web page is HTML, a ``.docx`` must be a zip with ``word/document.xml``, a PDF starts with
``%PDF-`` whatever it is called. :func:`kind` answers from the first bytes alone, so it is
cheap on any input; the readers of each kind (:mod:`translate.corpus.webpage`,
:mod:`translate.corpus.wordfile`) check the rest.
"""

from __future__ import annotations

import re
from pathlib import PurePath

#: The kinds of source, in the order the cleaner knows them.
KINDS = ("html", "docx", "pdf", "markdown", "text")

_ZIP = b"PK\x03\x04"
_PDF = b"%PDF-"
#: A whole page (doctype or ``<html>`` first) or a page's head.
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s{0,200}(?:<!--.{0,2000}?-->\s*)*"
                         rb"(?:<!DOCTYPE\s+html|<html[\s>]|<head[\s>])", re.I | re.S)
#: A fragment with the elements of a page body (enough of them to be more than a stray tag in prose).
_HTML_ELEMENT = re.compile(rb"<(?:p|div|body|article|section|table|span|h[1-6]|meta|title)\b[^<>]{0,500}>", re.I)
_WORD_SUFFIXES = (".docx", ".docm")


def kind(raw: bytes, filename: str) -> str:
    """The source's kind (one of :data:`KINDS`), from its content first and its name second."""
    suffix = PurePath(filename).suffix.lower()
    if raw.startswith(_PDF):
        return "pdf"
    if raw.startswith(_ZIP):
        return "docx"  # the Word reader says so in one line when the zip is no Word file
    head = raw[:4096]
    if _utf16(head):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if _HTML_START.match(head):
        return "html"
    if suffix in (".html", ".htm", ".xhtml") and _HTML_ELEMENT.search(head):
        return "html"
    if suffix in _WORD_SUFFIXES:
        return "docx"  # not a zip: the Word reader refuses it, naming the file
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def _utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))
