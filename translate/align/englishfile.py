"""An article's existing English as ``bitext align`` reads it: paragraphs of sentences, from text, Markdown,
a web page or a Word file.

The file is judged the way a Chinese source is (:func:`translate.corpus.sources.kind`: content
first, name second). A web page goes through the cleaner's converter with its main-content
extractor (:func:`translate.corpus.webpage.convert`: navigation, share bars, comments and footers
left out), a Word file through mammoth and the same converter (:mod:`translate.corpus.wordfile`,
which checks the zip first); both then read as Markdown. In Markdown every heading, paragraph,
list item, quote paragraph, table cell and picture caption is a paragraph; code is left out and
inline Markdown (bold, links) is kept, as the edition's English is inline Markdown. In plain text a
blank line ends a paragraph, and so does every line break when the file has no blank line at all
(one paragraph a line); characters that Markdown would read as marks are escaped. The headline,
which the converter takes for the document's title rather than its text, heads the English. Each paragraph
is split into sentences by :func:`translate.align.english.split_english`.

Refused with one line naming the file: anything but a regular file (a folder, a FIFO, a path
under ``/proc``), a file over :data:`MAX_BYTES`, an empty one, a binary one (a NUL byte), one
that is not UTF-8, a PDF, and one in which no English sentence is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from translate.errors import BitextError

#: The largest English file read: an article is a few kilobytes, a Word file with pictures a few megabytes.
MAX_BYTES = 50 * 1024 * 1024
#: The longest paragraph taken (characters): longer, it is no paragraph of an article.
MAX_PARAGRAPH_CHARS = 200_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_MARKDOWN_MARKS = re.compile(r"([\\`*_\[\]~<])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class EnglishText:
    """An English file read into paragraphs of sentences."""

    path: Path
    """The file."""
    kind: str
    """What it was read as: ``text``, ``markdown``, ``html`` or ``docx``."""
    paragraphs: tuple[tuple[str, ...], ...]
    """Each paragraph's sentences, in order (inline Markdown)."""

    @property
    def sentences(self) -> list[str]:
        """Every sentence, in order."""
        return [s for paragraph in self.paragraphs for s in paragraph]

    @property
    def paragraph_of(self) -> list[int]:
        """The paragraph index of each sentence (what the aligner takes as ``en_paragraphs``)."""
        return [n for n, paragraph in enumerate(self.paragraphs) for _ in paragraph]


def read_english(path: Path | str) -> EnglishText:
    """The English of ``path`` as paragraphs of sentences (see the module docstring); one-line errors name it."""
    from translate.corpus import sources
    from translate.inputs import check_regular_file, read_input

    path = Path(path)
    check_regular_file(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BitextError(f"is {size:,} bytes; an English file may have at most {MAX_BYTES // 1024 // 1024} MB",
                          path=path)
    try:
        data = read_input(path)
    except FileNotFoundError:
        raise BitextError("no such file", path=path) from None
    if len(data) > MAX_BYTES:
        raise BitextError(f"grew past {MAX_BYTES // 1024 // 1024} MB while it was read", path=path)
    if not data.strip():
        raise BitextError("is empty; give the article's English (text, Markdown, HTML or Word)", path=path)
    kind = sources.kind(data, path.name)
    if kind == "pdf":
        raise BitextError("is a PDF, which is not read here; save the English as text, Markdown, HTML or Word",
                          path=path)
    if kind == "docx":
        markdown = _converted(_word_html(data, path), path, main_content=False)
        kind_read = "docx"
    else:
        text = _decoded(data, path)
        if kind == "html":
            markdown, kind_read = _converted(text, path, main_content=True), "html"
        elif kind == "markdown":
            markdown, kind_read = text, "markdown"
        else:
            markdown, kind_read = None, "text"
    if markdown is not None:
        blocks = markdown_paragraphs(markdown)
    else:
        blocks = text_paragraphs(text)
    paragraphs = []
    for block in blocks:
        if len(block) > MAX_PARAGRAPH_CHARS:
            raise BitextError(f"a paragraph of {len(block):,} characters is no paragraph of an article (at most "
                              f"{MAX_PARAGRAPH_CHARS:,}); is this the English of an article?", path=path)
        sentences = tuple(s for s in _split(block) if re.search(r"[A-Za-z0-9]", s))
        if sentences:
            paragraphs.append(sentences)
    if not paragraphs:
        raise BitextError("holds no English sentences; give the article's English (text, Markdown, HTML or Word)",
                          path=path)
    return EnglishText(path, kind_read, tuple(paragraphs))


def _split(paragraph: str) -> list[str]:
    from translate.align.english import split_english

    return split_english(paragraph)


def _decoded(data: bytes, path: Path) -> str:
    from translate.align.files import decode_text

    text = decode_text(data, path, "an English text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _word_html(data: bytes, path: Path) -> str:
    from translate.corpus import wordfile
    from translate.errors import CorpusError

    try:
        return wordfile.to_html(data, str(path))
    except CorpusError as exc:
        raise BitextError(exc.message, path=path) from None


def _converted(html: str, path: Path, *, main_content: bool) -> str:
    """A page's (or a Word file's) HTML as the cleaner's converter writes it in Markdown."""
    from translate.corpus import webpage
    from translate.corpus.draft import Draft
    from translate.errors import CorpusError

    draft = Draft.from_text(html, path.name)
    try:
        page = webpage.convert(draft, main_content=main_content)
    except CorpusError as exc:
        raise BitextError(exc.message, path=path, line=exc.line) from None
    title = " ".join(page.title.split())
    if title and title not in draft.text[:2 * len(title) + 200]:
        # The converter takes the headline (a page's, a Word file's Title) for the title, not for body text.
        return f"# {title}\n\n{draft.text}"
    return draft.text


def text_paragraphs(text: str) -> list[str]:
    """Plain text's paragraphs: blank lines end them (every line break, when there is no blank line); Markdown
    marks escaped, so the English reads as written."""
    text = _CONTROL.sub(" ", text).strip()
    pieces = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    out = []
    for piece in pieces:
        piece = " ".join(piece.split())
        if piece:
            out.append(_escaped(piece))
    return out


def _escaped(text: str) -> str:
    from translate.markup import plain_text

    return _MARKDOWN_MARKS.sub(r"\\\1", text) if plain_text(text) != text else text


def markdown_paragraphs(markdown: str) -> list[str]:
    """Markdown's paragraphs: every heading, paragraph, list item, quote paragraph, table cell and picture caption
    (its inline Markdown as written, pictures by their captions); code and raw HTML left out."""
    from translate.corpus.article import markdown_parser

    markdown = _CONTROL.sub(" ", markdown)
    tokens = markdown_parser(front_matter=True).parse(markdown)
    out = []
    for token in tokens:
        if token.type != "inline":
            continue
        pieces, source = [], token.content
        images = [child for child in token.children or () if child.type == "image"]
        for image in images:
            caption = " ".join("".join(c.content for c in image.children or ()).split())
            if caption:
                pieces.append(caption)
        if images:
            source = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", source)
        text = " ".join(source.split())
        if text:
            pieces.insert(0, text)
        out += pieces
    return out
