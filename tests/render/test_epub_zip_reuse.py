"""An EPUB zipped again after an edit compresses only its changed files, and its bytes are zipfile's own."""

from __future__ import annotations

import io
import zipfile
import zlib

from translate.render import epub


def _zipfile_bytes(members: dict[str, bytes]) -> bytes:
    """The container as zipfile's writestr makes it (mimetype stored, the rest deflated at level 9)."""
    return _zipfile_levels(members, {})


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


def _zipfile_levels(members: dict[str, bytes], levels: dict[str, int]) -> bytes:
    """The container as zipfile's writestr makes it, each member at its level."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, data in [("mimetype", b"application/epub+zip"), *members.items()]:
            info = zipfile.ZipInfo(name, date_time=epub.ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            book.writestr(info, data, compresslevel=levels.get(name, 9))
    return buffer.getvalue()


def test_the_font_is_deflated_at_its_own_level_even_when_a_text_member_has_its_bytes():
    font = bytes(range(256)) * 64 + b"OTTO" * 5000  # (bytes that levels 1 and 9 deflate differently)
    assert zlib.compress(font, 1) != zlib.compress(font, 9)
    name = f"EPUB/{epub.FONT_FILE}"
    members = {"EPUB/copy.xhtml": font, name: font, "EPUB/ch.xhtml": "<p>第一章</p>".encode()}
    levels = {name: epub.FONT_LEVEL}
    assert epub.epub_bytes(members) == _zipfile_levels(members, levels)
    # the other way round: the font's deflate, cached first, is not taken for the text member
    epub._DEFLATED.clear()
    assert epub.epub_bytes({name: font, "EPUB/copy.xhtml": font}) == _zipfile_levels({name: font, "EPUB/copy.xhtml": font},
                                                                                     levels)
    with zipfile.ZipFile(io.BytesIO(epub.epub_bytes(members))) as book:
        assert book.testzip() is None and book.read(name) == font
