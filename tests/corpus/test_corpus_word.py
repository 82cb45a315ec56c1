"""Word files (issue 29): a .docx is read through mammoth into the same converter as a web page.

Headings come from the Heading styles, lists from the numbering, the table as cells, the footnote as a
Markdown footnote, the picture with its caption paragraph, bold speaker labels as ``**韩立新：**`` for the
speakers rule, and the Title-styled (or bold first) paragraph as the title. The log accounts for every
character of the document's text as mammoth gives it (its HTML): the zip's XML is not text a person
gave. A hostile .docx (a zip bomb, a member climbing out of the archive, no Word file at all) is refused
with one line naming the file.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from heldout2_cases import HELDOUT2, _blocks, _structure_missing, kind_of
from heldout_cases import measure, read_cases
from translate.corpus import clean
from translate.corpus.wordfile import to_html
from translate.errors import CorpusError

WORD = {c.name: c for c in read_cases(HELDOUT2) if kind_of(c) == "docx"}
REPORT = WORD["word-report-battery-recycling"]
INTERVIEW = WORD["word-interview-drone-logistics"]


@pytest.fixture(scope="module")
def report():
    return clean(REPORT.source.read_bytes(), REPORT.source.name)


@pytest.fixture(scope="module")
def interview():
    return clean(INTERVIEW.source.read_bytes(), INTERVIEW.source.name)


@pytest.mark.parametrize("name", sorted(WORD))
def test_each_word_file_is_cleaned_conserved_and_keeps_its_structure(name):
    case = WORD[name]
    cleaned = clean(case.source.read_bytes(), case.source.name)
    assert cleaned.conserved()
    figures = measure(case, cleaned)
    assert figures.recall >= 0.98, figures.missing
    assert figures.title_right, figures.title
    assert not _structure_missing(case, _blocks(cleaned.markdown))


def test_the_log_refers_to_the_documents_text_as_mammoth_gives_it(report):
    assert report.source_text == to_html(REPORT.source.read_bytes(), REPORT.source.name)
    assert report.source_text.startswith("<p>") and "<table>" in report.source_text
    assert report.encoding == "utf-8"


def test_headings_lists_table_footnote_and_captioned_picture(report):
    body = report.body
    assert "## 一、行业概况" in body and "### 1.1 退役规模进入快速增长期" in body
    assert "1. 梯次利用：" in body and "- 金属价格大幅波动，影响再生利用的盈利水平；" in body
    assert "| 年份 | 退役量（万吨） | 同比增长 |\n|---|---|---|\n| 2021 | 18.6 | — |" in body
    assert "较上年增长约三成。[^1]" in body and "[^1]: 数据来源：行业协会公开资料，经本院整理测算。" in body
    assert "![图1：动力电池回收产业链示意](image1.png)" in body
    assert "base64" not in report.source_text  # a picture is named, not inlined
    assert any(e.note == "caption → its picture" for e in report.log)


def test_the_title_styled_paragraph_is_the_title_not_the_files_properties(report):
    assert report.meta["title"] == "2025年动力电池回收行业研究报告"  # not docProps' 行业研究报告模板
    assert "Administrator" not in report.markdown
    cover = next(e for e in report.log if "华衡产业研究院 · 行业研究" in e.removed)
    assert cover.note == "above the document's title (a cover line)" and "华衡产业研究院" not in report.body


def test_a_bold_first_paragraph_is_the_title_and_speaker_labels_stay_bold(interview):
    assert interview.meta["title"] == "低空物流的账，要一单一单算"
    assert "**韩立新：**最关键的是单架次的配送量上来了。" in interview.body or \
        "**韩立新：** 最关键的是单架次的配送量上来了。" in interview.body
    assert "去年你们第一次实现单月盈亏平衡，转折点是什么？" in interview.body


# Hostile Word files.

def _docx(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refused(raw: bytes, name: str) -> str:
    started = time.perf_counter()
    with pytest.raises(CorpusError) as error:
        clean(raw, name)
    assert time.perf_counter() - started < 10
    message = str(error.value)
    assert "\n" not in message and name in message
    return message


@pytest.mark.hostile("corpus")
def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked():
    raw = _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 30_000_000})
    assert len(raw) < 100_000
    assert "zip bomb" in _refused(raw, "bomb.docx")


@pytest.mark.hostile("corpus")
def test_a_docx_with_a_member_climbing_out_of_the_archive_is_refused():
    raw = _docx({"word/document.xml": b"<w:document/>", "../../etc/evil.sh": b"echo"})
    assert "unsafe part name" in _refused(raw, "traversal.docx")


@pytest.mark.hostile("corpus")
def test_a_docx_that_is_no_word_file_is_refused():
    assert "not a Word file" in _refused(b"this is plain text saved as .docx", "fake.docx")
    assert "word/document.xml" in _refused(_docx({"content.xml": b"<x/>"}), "odt.docx")
    broken = _docx({"word/document.xml": b"<not-xml"})
    assert "cannot be read" in _refused(broken, "broken.docx")


@pytest.mark.hostile("corpus")
def test_a_docx_with_too_many_parts_is_refused():
    raw = _docx({f"word/media/p{i}.bin": b"" for i in range(2001)} | {"word/document.xml": b"<x/>"},
                compression=zipfile.ZIP_STORED)
    assert "parts" in _refused(raw, "many.docx")
