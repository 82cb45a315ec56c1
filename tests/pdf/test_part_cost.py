"""What a part costs to write (issue 33): its streams deflated at zlib's default level, the same pages and text.

pydyf deflates every stream at level 9, a third of a part's PDF-writing CPU for streams about
1.5 % smaller than level 6 gives; :func:`~translate.render.pdf.workers.deflate_streams` sets
the level the parts are written with. The tagged structure (marked content of every box) is
checked in tests/render/test_pdf_tags.py.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from translate.render.pdf.workers import STREAM_LEVEL, PdfJob, render_document

pikepdf = pytest.importorskip("pikepdf")

REPO = Path(__file__).resolve().parents[2]
TEXT = " ".join(f"Paragraph {n}: the model, the team and the company kept training on open data." for n in range(60))
HTML = f"<!DOCTYPE html><html lang='en'><body>{''.join(f'<p>{TEXT[:400 + n]}</p>' for n in range(40))}</body></html>"


def _streams(pdf: bytes) -> list[tuple[bytes, bytes]]:
    """(raw, decoded) of each deflated stream object long enough to tell the levels apart."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == "/FlateDecode":
                raw = obj.read_raw_bytes()
                if len(raw) > 2000:
                    found.append((raw, obj.read_bytes()))
    return found


def test_part_streams_are_deflated_at_the_stream_level_not_pydyfs_nine():
    result = render_document(PdfJob("cost.pdf", HTML, "@page { size: A5 }", REPO.as_uri() + "/", (REPO,)))
    streams = _streams(result.pdf)
    assert streams, "no deflated stream long enough in the part"
    told_apart = 0
    for raw, data in streams:
        ours = zlib.compressobj(STREAM_LEVEL)
        nine = zlib.compressobj(9)
        ours_bytes, nine_bytes = ours.compress(data) + ours.flush(), nine.compress(data) + nine.flush()
        assert raw == ours_bytes
        told_apart += ours_bytes != nine_bytes
    assert told_apart, "level 9 and the stream level gave the same bytes for every stream: nothing checked"


def test_the_deflate_level_leaves_the_content_as_it_was():
    import pydyf

    from translate.render.pdf import workers

    job = PdfJob("cost.pdf", HTML, "@page { size: A5 }", REPO.as_uri() + "/", (REPO,))
    ours = render_document(job)
    shim = pydyf.zlib
    try:
        pydyf.zlib = zlib  # pydyf as it comes: level 9
        workers_deflate = workers.deflate_streams
        workers.deflate_streams = lambda: None
        try:
            nine = render_document(job)
        finally:
            workers.deflate_streams = workers_deflate
    finally:
        pydyf.zlib = shim
    assert ours.pages == nine.pages
    assert ours.pdf != nine.pdf
    with pikepdf.open(io.BytesIO(ours.pdf)) as a, pikepdf.open(io.BytesIO(nine.pdf)) as b:
        assert [page.Contents.read_bytes() for page in a.pages] == [page.Contents.read_bytes() for page in b.pages]
