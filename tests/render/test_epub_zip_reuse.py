"""An EPUB zipped again after an edit compresses only its changed files, and its bytes are zipfile's own."""

from __future__ import annotations

import io
import zipfile
import zlib

from translate.render import epub


def _zipfile_bytes(members: dict[str, bytes]) -> bytes:
    """The container as zipfile's writestr makes it (mimetype stored, the rest deflated at level 9)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, data in [("mimetype", b"application/epub+zip"), *members.items()]:
            info = zipfile.ZipInfo(name, date_time=epub.ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            book.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def test_a_changed_book_compresses_only_its_changed_files_into_the_same_bytes(monkeypatch):
    members = {"EPUB/ch1.xhtml": ("<p>第一章 chapter one</p>\n" * 4000).encode(),
               "EPUB/ch2.xhtml": ("<p>第二章 chapter two</p>\n" * 3000).encode(),
               "EPUB/glossary.xhtml": "<dl><dt>大模型</dt><dd>large model</dd></dl>".encode(),
               "EPUB/é.css": b""}
    assert epub.epub_bytes(members) == _zipfile_bytes(members)
    compressed = []
    real = zlib.compressobj

    class Counting:  # a compressor that notes the data it deflates
        def __init__(self, *args):
            self._inner = real(*args)

        def compress(self, data):
            compressed.append(data)
            return self._inner.compress(data)

        def flush(self, *args):
            return self._inner.flush(*args)

    monkeypatch.setattr(zlib, "compressobj", Counting)
    edited = {**members, "EPUB/glossary.xhtml": "<dl><dt>大模型</dt><dd>large model (ed.)</dd></dl>".encode()}
    data = epub.epub_bytes(edited)
    assert compressed == [edited["EPUB/glossary.xhtml"]]  # the chapters as the last build deflated them
    monkeypatch.setattr(zlib, "compressobj", real)
    assert data == _zipfile_bytes(edited)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.testzip() is None
        assert book.read("EPUB/glossary.xhtml") == edited["EPUB/glossary.xhtml"]
