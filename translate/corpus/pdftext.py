"""PDF sources: the text layer of a PDF, read with pdfminer.six, for the same rules as OCR and plain text.

A PDF that a publisher exports or scans-and-OCRs carries its text as a layer of positioned
glyphs; pdfminer.six lays them out into lines (``LAParams``), page after page. What comes out
is hard-wrapped text with each page's running heads and folios among its lines, which the
``pages`` rule lifts out (:mod:`translate.corpus.pages`). A PDF without a text layer (a scan
that was never OCR'd) is refused in one line: there is no OCR engine here.

A PDF is untrusted: its size, its number of pages and the time spent reading it are bounded,
and anything pdfminer cannot parse is one line naming the file.
"""

from __future__ import annotations

import io
import time

from translate.errors import CorpusError

MIB = 1024 * 1024
#: A PDF larger than this is refused (an article's pages are a few MB).
MAX_BYTES = 30 * MIB
#: A PDF with more pages than this is refused (an article, not a book).
MAX_PAGES = 200
#: Reading the text layer stops with an error after this many seconds.
MAX_SECONDS = 60.0
#: The signature every PDF starts with.
SIGNATURE = b"%PDF-"


def is_pdf(raw: bytes) -> bool:
    """True when the bytes are a PDF (whatever the file is called)."""
    return raw.startswith(SIGNATURE)


def text_layer(raw: bytes, filename: str, *, max_pages: int = MAX_PAGES, max_seconds: float = MAX_SECONDS) -> str:
    """The PDF's text, page after page (one blank line between pages); a one-line error naming the file."""
    if len(raw) > MAX_BYTES:
        raise CorpusError(f"the PDF is {len(raw) // MIB} MB, more than the {MAX_BYTES // MIB} MB an article's pages "
                          "take; split it or export the article alone", path=filename)
    if not is_pdf(raw):
        raise CorpusError("not a PDF (it does not start with %PDF-)", path=filename)
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    out = io.StringIO()
    resources = PDFResourceManager(caching=True)
    device = TextConverter(resources, out, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    started = time.monotonic()
    pages = 0
    try:
        for page in PDFPage.get_pages(io.BytesIO(raw), maxpages=max_pages + 1, caching=False):
            pages += 1
            if pages > max_pages:
                raise CorpusError(f"the PDF has more than {max_pages} pages; import the article's pages alone",
                                  path=filename)
            if time.monotonic() - started > max_seconds:
                raise CorpusError(f"reading the PDF's text took more than {max_seconds:.0f} s (page {pages}); "
                                  "import the article's pages alone", path=filename)
            interpreter.process_page(page)
    except CorpusError:
        raise
    except RecursionError:
        raise CorpusError("the PDF nests its objects too deeply to read", path=filename) from None
    except Exception as exc:  # pdfminer raises many kinds for a damaged file; the user needs one line
        raise CorpusError(f"the PDF cannot be read ({type(exc).__name__}: {str(exc)[:80]}); "
                          "re-export it", path=filename) from None
    finally:
        device.close()
    text = out.getvalue().replace("\f", "\n")
    if not text.strip():
        raise CorpusError("the PDF has no text layer (a scanned image); OCR it first and import the text "
                          "(there is no OCR engine here)", path=filename)
    return text
