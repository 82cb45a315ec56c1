"""PDF sources (issue 29): the text layer read with pdfminer.six; bounded; no text layer is one clear line."""

from __future__ import annotations

import time

import pytest

from translate.corpus.pdftext import MAX_BYTES, is_pdf, text_layer
from translate.errors import CorpusError


def _weasy(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def _pages(count: int, text: str = "") -> bytes:
    """A PDF of ``count`` small pages written by hand (each with ``text`` in Helvetica, or empty)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = f"BT /F1 12 Tf 20 20 Td ({text}) Tj ET".encode() if text else b""
    objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode().decode() + stream.decode() + "\nendstream")
    kids = []
    for _ in range(count):
        kids.append(f"{len(objects) + 1} 0 R")
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {count} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_the_text_layer_is_read_page_after_page():
    pdf = _weasy("<body style='font-family: Noto Serif CJK SC'><p>燃料电池重卡正处在关键阶段。</p>"
                 "<p style='page-break-before: always'>第二页的文字。</p></body>")
    assert is_pdf(pdf)
    text = text_layer(pdf, "report.pdf")
    assert "燃料电池重卡正处在关键阶段。" in text and "第二页的文字。" in text
    assert text.index("燃料") < text.index("第二页") and "\f" not in text


def test_a_hand_written_pdf_is_read():
    assert "Hello page" in text_layer(_pages(2, "Hello page"), "hand.pdf")


def test_a_pdf_without_a_text_layer_is_refused_in_one_line():
    with pytest.raises(CorpusError) as error:
        text_layer(_pages(3), "scan.pdf")
    message = str(error.value)
    assert "scan.pdf" in message and "no text layer" in message and "OCR" in message and "\n" not in message


def test_a_damaged_pdf_is_one_line():
    with pytest.raises(CorpusError) as error:
        text_layer(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF", "broken.pdf")
    assert "broken.pdf" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.hostile("corpus")
def test_a_pdf_of_ten_thousand_pages_is_refused_quickly():
    pdf = _pages(10_000, "x")
    started = time.monotonic()
    with pytest.raises(CorpusError, match="more than 200 pages"):
        text_layer(pdf, "book.pdf")
    assert time.monotonic() - started < 30


@pytest.mark.hostile("corpus")
def test_a_fifty_megabyte_pdf_is_refused_before_it_is_parsed():
    pdf = b"%PDF-1.4\n" + b"%" * (50 * 1024 * 1024)
    assert len(pdf) > MAX_BYTES
    started = time.monotonic()
    with pytest.raises(CorpusError, match="MB"):
        text_layer(pdf, "huge.pdf")
    assert time.monotonic() - started < 5


@pytest.mark.hostile("corpus")
def test_reading_stops_at_the_time_limit():
    with pytest.raises(CorpusError, match="took more than"):
        text_layer(_pages(50, "slow"), "slow.pdf", max_seconds=-1)


def test_a_pdf_is_cleaned_as_printed_pages_running_heads_and_folios_lifted_out():
    from translate.corpus import clean

    sentence = "燃料电池重卡正处在从示范运营走向规模化应用的关键阶段，随着电堆成本下降和氢气供应体系完善，其经济性有望逐步改善。"
    pdf = _weasy("<html><head><style>@page { size: 120mm 160mm; margin: 20mm 12mm;"
                 " @top-center { content: '氢能交通发展观察 2024'; font-size: 8pt }"
                 " @bottom-center { content: counter(page); font-size: 8pt } }"
                 " body { font-family: 'Noto Serif CJK SC'; font-size: 10pt }</style></head><body>"
                 "<h1>燃料电池重卡的经济性</h1>" + f"<p>{sentence * 6}</p>" * 5 + "</body></html>")
    assert text_layer(pdf, "r.pdf").count("氢能交通发展观察") >= 3  # a head on every page, folios under them
    cleaned = clean(pdf, "report.pdf")
    assert cleaned.meta["title"] == "燃料电池重卡的经济性"
    paragraphs = [line for line in cleaned.body.split("\n") if line.strip()]
    assert paragraphs == [sentence * 6] * 5  # the sentences the page breaks split are whole again
    assert any(e.rule == "pages" and e.note == "page break inside a sentence" for e in cleaned.log)
    assert cleaned.conserved()
