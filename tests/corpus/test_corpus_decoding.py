"""The decoding rule: every supported encoding decodes; undecodable bytes name the file and offset."""

from __future__ import annotations

import codecs

import pytest

from translate.corpus.decoding import decode
from translate.errors import DecodeError

TEXT = "周明創立了澜舟科技，他說：「大模型會成為基礎設施。」"


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ("AI 大模型 GPT-4 and more text".encode("utf-16-le"), "utf-16-le"),
    ("周明创立了澜舟科技，他说大模型会成为基础设施。".encode("gb18030"), "gb18030"),
    ("周明创立了澜舟科技，他说大模型会成为基础设施。".encode("utf-16-be"), "utf-16-be"),
    ("周明創立了瀾舟科技，他說大模型會成為基礎設施。".encode("big5"), "big5"),
])
def test_decodes(data, encoding):
    text, found = decode(data, "a.txt")
    assert found == encoding
    assert "大模型" in text or "GPT-4" in text


def test_undecodable_bytes_name_file_and_offset():
    data = "好".encode("utf-8") + b"\xff\xff\xff"
    with pytest.raises(DecodeError) as info:
        decode(data, "bad.txt")
    assert str(info.value).startswith("bad.txt: bytes at offset 3 decode under no supported encoding")


def test_an_empty_source_is_an_error():
    from translate.corpus import clean
    from translate.errors import CorpusError

    with pytest.raises(CorpusError, match="the source has no text"):
        clean(b"  \n\n", "empty.txt")
