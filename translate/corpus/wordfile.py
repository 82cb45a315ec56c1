"""Word files (``.docx``): the document's HTML through mammoth, then the web page converter.

mammoth reads the document's own structure: headings from the Heading styles, lists from the
numbering, tables, footnotes and pictures; bold runs stay bold, so a speaker label written
``**记者：**`` reaches the speakers rule. What the user gave is a zip of XML, which no person
reads; the text a person reads in it is the HTML mammoth writes, so that HTML is "the source
as the user gave it" that the cleaning log accounts for, character by character (the zip's
XML markup is not text of the article). Headers, footers and the file's properties
(``docProps/core.xml``, often a template's title and "Administrator") are not part of it.

A ``.docx`` is untrusted: the zip is checked before mammoth opens it (its size, its number of
members, what they unpack to, how much they compress, and member names that would climb out
of the archive), as :mod:`translate.translation.packages` checks a model's archive.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from translate.errors import CorpusError

MIB = 1024 * 1024
#: A Word file larger than this is refused (an article with its pictures is a few MB).
MAX_BYTES = 50 * MIB
#: Members of the zip at most (a document has a few dozen parts and its pictures).
MAX_MEMBERS = 2000
#: What all members may unpack to, together.
MAX_UNPACKED = 200 * MIB
#: Unpacked over packed size beyond which a member is a zip bomb (XML compresses ~10×, not 100×).
MAX_RATIO = 100
#: Members unpacking to less than this are not held to :data:`MAX_RATIO`.
RATIO_FLOOR = 1 * MIB

#: Word's paragraph styles that mammoth does not know by name, mapped to what they are.
STYLE_MAP = "\n".join((
    "p[style-name='Title'] => h1.doc-title:fresh",
    "p[style-name='Subtitle'] => p.doc-subtitle:fresh",
    "p[style-name='Caption'] => p.caption:fresh",
    "p[style-name='caption'] => p.caption:fresh",
    "p[style-name='Quote'] => blockquote > p:fresh",
    "p[style-name='Intense Quote'] => blockquote > p:fresh",
))


def to_html(raw: bytes, filename: str) -> str:
    """The document's HTML (as mammoth writes it), after checking the zip; a one-line error naming the file."""
    check(raw, filename)
    import mammoth

    counter = iter(range(1, 10_000))

    def image(picture) -> dict:
        # A picture's bytes are not text: it is named, not embedded (mammoth would inline it as base64).
        extension = (picture.content_type or "image/png").rsplit("/", 1)[-1].split("+")[0]
        attributes = {"src": f"image{next(counter)}.{extension}"}
        if picture.alt_text:
            attributes["alt"] = picture.alt_text
        return attributes

    try:
        result = mammoth.convert_to_html(io.BytesIO(raw), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(image))
    except (KeyError, ValueError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise CorpusError(f"the Word file cannot be read ({type(exc).__name__}: {str(exc)[:80]}); "
                          "open it in Word and save it again as .docx", path=filename) from exc
    except Exception as exc:  # mammoth's own parse errors have no common base class
        raise CorpusError(f"the Word file cannot be read ({type(exc).__name__}: {str(exc)[:80]}); "
                          "open it in Word and save it again as .docx", path=filename) from exc
    return result.value


def check(raw: bytes, filename: str) -> None:
    """Refuse a ``.docx`` that is too large, not a Word zip, a zip bomb, or names a member outside the archive."""
    if len(raw) > MAX_BYTES:
        raise CorpusError(f"the Word file is {len(raw) / MIB:,.0f} MiB, more than {MAX_BYTES // MIB} MiB; "
                          "save the article without its pictures", path=filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise CorpusError("not a Word file (.docx is a zip archive, and this is none); "
                          "save it from Word as .docx", path=filename) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise CorpusError(f"the Word file has {len(members):,} parts, more than {MAX_MEMBERS:,}; "
                              "it is not a document", path=filename)
        names = set()
        for member in members:
            pure = PurePosixPath(member.filename)
            if "\\" in member.filename or pure.is_absolute() or ".." in pure.parts:
                raise CorpusError(f"unsafe part name in the Word file: {member.filename[:80]!r}; it is refused",
                                  path=filename)
            names.add(member.filename)
        if "word/document.xml" not in names:
            raise CorpusError("not a Word file (the zip has no word/document.xml); save it from Word as .docx",
                              path=filename)
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED:
            raise CorpusError(f"the Word file unpacks to {unpacked / MIB:,.0f} MiB, more than "
                              f"{MAX_UNPACKED // MIB} MiB; it is refused (a zip bomb?)", path=filename)
        for member in members:
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                times = member.file_size / max(member.compress_size, 1)
                raise CorpusError(f"{member.filename[:80]} unpacks {times:,.0f} times larger than it is packed; "
                                  "a document does not compress like that (a zip bomb?), so it is refused",
                                  path=filename)
