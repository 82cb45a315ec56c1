"""The edition as EPUB 3 for e-readers: ``build/epub/edition.epub`` and one ``<slug>.epub`` per article.

Side-by-side columns fail on a phone, so each block is set as a Chinese paragraph
followed by its English one, each tagged with its language (``lang`` and
``xml:lang``); ``epub.order`` puts the English first or keeps one language only.
A table is a table whose every cell holds its languages one over the other, each
tagged; a footnote is an EPUB 3 footnote in each language shown (``<aside
epub:type="footnote">``), which that language's references (``epub:type="noteref"``)
point to; code is shown once, as written; lists keep their numbers and nesting.
Each book has a cover page, a navigation document naming every article in both
languages (and its top-level sections), the articles, a glossary appendix whose
entries link back to every sentence using the term (the term's spans,
``TermUse.zh_spans``, mark it in the text and link it to its entry), and a
colophon. What a reader sees — script, speaker and byline labels, typography,
provenance, term rates — comes from :mod:`translate.render.views`, as in the
HTML and the PDF. An offprint carries the glossary entries its article uses,
so editing another article's term leaves it unchanged.

The writer is a small one over :mod:`zipfile` and Jinja2 templates
(``templates/epub/``, overridable file by file like the HTML and PDF ones),
not ebooklib: ebooklib stamps every zip entry with the current time (the same
input would give different bytes, and every build would rewrite every book),
generates its own navigation and package document from Python objects where
ours are templates a publisher can edit in the same sandbox as the others, and
would be one more dependency for about forty lines of zip writing. The
``mimetype`` entry comes first and is stored; every entry has a fixed
timestamp, so identical input gives identical bytes and an unchanged book is
not rewritten.
"""

from __future__ import annotations

import hashlib
import html as _html
import io
import uuid
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from translate.errors import RenderError
from translate.inputs import excerpt
from translate.markup import plain_text
from translate.models import BilingualArticle, Edition, Segment, Term
from translate.outputs import write_if_changed
from translate.render import views
from translate.render.builders import Written
from translate.render.fonts import FontFile, FontLookup, choose_fonts, edition_chars, fc_list, subset_font
from translate.render.html import article_file
from translate.render.inline import footnote_mark, render_inline
from translate.resources import default_templates
from translate.settings import Settings

#: The project's own templates, used for any template the publisher has not overridden.
DEFAULT_TEMPLATES = default_templates() / "epub"
BOOK = "edition.epub"
#: Where the subset fonts are cut (one folder per book: a folder keeps one subset per face).
FONTS = ".fonts"
#: The font file's name inside the book.
FONT_FILE = "fonts/cjk.otf"
#: The family the embedded subset is declared under in the stylesheet.
CJK_FAMILY = "bitext CJK"
#: The zip timestamp of every entry (the earliest a zip can hold): same input, same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: The EPUB's fixed namespace for identifiers derived from the edition's title.
_NAMESPACE = uuid.UUID("0f6c8a52-5d1e-4b4e-9a57-1d1b2c6c7e10")
_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


# --- what the templates show ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    """One language of a block: a paragraph (or heading line) of Chinese or English."""

    lang: str
    """``zh-Hans``, ``zh-Hant`` or ``en``."""
    side: str
    """``zh`` or ``en`` (the CSS class)."""
    text: Markup
    """The sentences, each a ``<span class="seg">``; terms linked to the glossary."""
    speaker: str = ""
    """Speaker label in this language, with its colon."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One block, its languages in the order the edition asks for."""

    id: str
    """Block id, the anchor."""
    kind: str
    """heading, paragraph, list_item, quote, image, cell, footnote, code or rule."""
    level: int
    """XHTML heading level (2–6) for headings, without gaps; 0 otherwise."""
    role: str
    """``question`` or ``answer`` in interviews."""
    sides: tuple[Side, ...]
    """The languages shown (an image's caption; empty when its alt text was a placeholder; empty for code and rules)."""
    place: views.Placement = views.Placement()
    """Where the block sits (lists, quotes, table cell) and its code (shown once, in no language of its own):
    the page model's (:attr:`views.PairedBlock.place`)."""


@dataclass(frozen=True, slots=True)
class NoteSide:
    """A footnote in one language: an EPUB footnote (``<aside epub:type="footnote">``) that this language's references point to."""

    id: str
    """The aside's id (``fn-1-zh``): the href of this language's references."""
    back: str
    """The id of this language's first reference to it, for the link back; empty when its text calls it nowhere."""
    side: Side
    """Its paragraphs in this language, each a ``<span class="seg">`` run (joined by ``<br/>``)."""


@dataclass(frozen=True, slots=True)
class Note(views.RenderedNote):
    """One footnote: its languages, each an aside of its own."""

    sides: tuple[NoteSide, ...]
    """One aside per language shown (a language whose paragraphs are all hidden has none)."""


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level heading, listed in the navigation document."""

    id: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Chapter:
    """One article as an XHTML content document."""

    slug: str
    file: str
    """``<slug>.xhtml`` inside the book."""
    item: str
    """Manifest id (an XML name: slugs may start with a digit)."""
    lang: str
    """Language tag of the Chinese as shown."""
    title_zh: str
    title_en: str
    credits: tuple
    """The byline (:class:`translate.render.views.Credit`)."""
    source: views.SourceLine
    english: str
    """What the English is (:func:`translate.render.views.english_label`)."""
    gloss: bool
    """True when some of the English is still dictionary gloss."""
    paragraphs: tuple[Paragraph, ...]
    """Every block, in reading order (table cells and footnote paragraphs too)."""
    sections: tuple[Section, ...]
    uses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(term zh, ids of the sentences using it, in reading order): where the glossary links back to."""
    items: tuple = ()
    """The body as it is laid out: :class:`Paragraph` and tables of them (:class:`views.RenderedTable`), footnote
    paragraphs left out (they are :attr:`notes`)."""
    notes: tuple[Note, ...] = ()
    """The footnotes, numbered as the page model numbers them."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A sentence using a glossary term: the glossary links back to it."""

    href: str
    number: int
    """1, 2, 3… within the article."""


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    anchor: str
    term: Term
    pinyin: str
    occurrences: tuple[tuple[str, tuple[Occurrence, ...]], ...]
    """(article title, its occurrences) per article using the term."""


def term_anchor(zh: str) -> str:
    """A glossary entry's anchor, the same in every book (so an article's chapter is set once for all of them)."""
    return "term-" + hashlib.sha256(zh.encode("utf-8")).hexdigest()[:10]


# --- the renderer ----------------------------------------------------------------------------------------------


def start(edition: Edition, settings: Settings, *, workers=None) -> Written:
    """The EPUB builder: the books, written at once (see :mod:`translate.render.builders`)."""
    return Written(render_epub(edition, settings))


def render_epub(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list) -> list[Path]:
    """Write ``build/epub/edition.epub`` and ``build/epub/<slug>.epub``; return every path (written or unchanged)."""
    from jinja2 import TemplateError

    edition = views.shown_edition(edition)
    out_dir = Path(settings.build_dir) / "epub"
    env = _environment(Path(settings.templates_dir))
    books: dict[str, dict[str, bytes]] = {}
    try:
        # Each article's chapter is set once, for the edition and for its offprint.
        sides, known = _sides(settings.epub_order), {t.zh for t in edition.terms}
        chapters = tuple(_chapter(edition, article, sides, known) for article in edition.articles)
        books[BOOK] = _book_members(env, edition, settings, edition.articles, chapters, None)
        for article, chapter in zip(edition.articles, chapters):
            books[_epub_file(article.slug)] = _book_members(env, edition, settings, (article,), (chapter,), article)
    except TemplateError as exc:
        raise RenderError(f"EPUB template error: {excerpt(str(exc), 400)}; fix the template (or delete it to use the default)",
                          path=getattr(exc, "filename", None) or getattr(exc, "name", None),
                          line=getattr(exc, "lineno", None)) from exc
    if settings.epub_embed_font:
        face = _cjk_face(settings, lookup)  # once for every book (fontconfig is asked in a subprocess)
        for name, members in books.items():
            members[f"EPUB/{FONT_FILE}"] = _font_subset(face, members, out_dir / FONTS / Path(name).stem)
    # Written last, all together; a book whose bytes are unchanged is left as it is.
    paths = [write_if_changed(out_dir / name, _zipped(out_dir / name, members)) for name, members in books.items()]
    for stale in out_dir.glob("*.epub"):  # an article that left the edition
        if stale.name not in books:
            stale.unlink(missing_ok=True)
    return paths


#: The books this process zipped last, by path: (hash of their members, the zip). A build after an edit
#: zips again only the books whose members changed (compressing is most of an unchanged book's time).
_ZIPPED: dict[str, tuple[str, bytes]] = {}
_ZIPPED_MAX = 64


def _zipped(path: Path, members: dict[str, bytes]) -> bytes:
    """:func:`epub_bytes` of ``members``, taken from the last build in this process when they are the same."""
    digest = hashlib.sha256()
    for name, data in members.items():
        for value in (name.encode("utf-8"), data):
            digest.update(len(value).to_bytes(8, "big"))
            digest.update(value)
    key, hexdigest = str(path), digest.hexdigest()
    kept = _ZIPPED.get(key)
    if kept is not None and kept[0] == hexdigest:
        return kept[1]
    data = epub_bytes(members)
    _ZIPPED.pop(key, None)
    while len(_ZIPPED) >= _ZIPPED_MAX:
        _ZIPPED.pop(next(iter(_ZIPPED)))
    _ZIPPED[key] = (hexdigest, data)
    return data


def epub_bytes(members: dict[str, bytes]) -> bytes:
    """The EPUB container of ``members`` (path in the zip → bytes): ``mimetype`` first and stored, fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, data in [("mimetype", b"application/epub+zip"), *members.items()]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if info.compress_type == zipfile.ZIP_STORED:
                book.writestr(info, data)
                continue
            info.file_size = len(data)  # as writestr sets it
            with book.open(info, "w") as entry:
                # zipfile's own headers, CRC and sizes around the data
                entry._compressor = _Deflated(data, FONT_LEVEL if name == f"EPUB/{FONT_FILE}" else TEXT_LEVEL)
                entry.write(data)
    return buffer.getvalue()


#: The zlib level of the text members (XHTML, CSS, the package): zipfile's ZIP_DEFLATED at its maximum.
TEXT_LEVEL = 9
#: The zlib level of the embedded font. Its CFF outlines deflate at level 1 to within 0.6 % of level 9's size
#: (a cold build's six books: 3,645,175 bytes against 3,624,490) for half the CPU (0.095 s against 0.18 s, the
#: most of an EPUB's zipping); the members are the same bytes, and a reader inflates any level alike.
FONT_LEVEL = 1

#: Deflated member data (raw deflate as zipfile writes it) by the SHA-256 of the data and the level: after an
#: edit a book is zipped again with only its changed files compressed (a chapter is compressed for the book and
#: again for its offprint, and the unchanged ones were compressed by the last build).
_DEFLATED: dict[tuple[bytes, int], bytes] = {}
_DEFLATED_MAX = 512


class _Deflated:
    """A compressor for one member (zipfile's ``_compressor``): ``data`` deflated at ``level``, from the cache if there."""

    def __init__(self, data: bytes, level: int = TEXT_LEVEL):
        self._key = (hashlib.sha256(data).digest(), level)

    def compress(self, data: bytes) -> bytes:
        deflated = _DEFLATED.get(self._key)
        if deflated is None:
            import zlib

            compressor = zlib.compressobj(self._key[1], zlib.DEFLATED, -15)  # as zipfile's ZIP_DEFLATED at that level
            deflated = compressor.compress(data) + compressor.flush()
            while len(_DEFLATED) >= _DEFLATED_MAX:
                _DEFLATED.pop(next(iter(_DEFLATED)))
            _DEFLATED[self._key] = deflated
        return deflated

    def flush(self) -> bytes:
        return b""


def _epub_file(slug: str) -> str:
    """An article's book name (``<slug>.epub``; checked and renamed as its HTML page is)."""
    return Path(article_file(slug)).with_suffix(".epub").name


@lru_cache(maxsize=8)
def _environment(templates_dir: Path):
    from jinja2 import StrictUndefined

    from translate.templating import sandboxed_environment, template_loader

    folders = [f for f in (templates_dir / "epub", DEFAULT_TEMPLATES) if f.is_dir()]
    if not folders:
        raise RenderError("no EPUB templates found; restore templates/epub from the project", path=templates_dir / "epub")
    # Sandboxed and bounded like the HTML and PDF templates: a cloned edition's templates must not run code.
    return sandboxed_environment(
        loader=template_loader(*folders),
        autoescape=lambda name: (name or "").endswith((".xhtml.j2", ".opf.j2", ".xml.j2")),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def _book_members(env, edition: Edition, settings: Settings, articles: tuple[BilingualArticle, ...],
                  chapters: tuple[Chapter, ...], offprint: BilingualArticle | None) -> dict[str, bytes]:
    """Every file of one book but the font, rendered in memory."""
    if offprint is None:
        terms = views.glossary_order(edition.terms)
    else:  # an offprint's glossary: the entries its article uses, so other articles' edits leave it alone
        used = {use.zh for segment in offprint.segments for use in segment.terms}
        terms = views.glossary_order(t for t in edition.terms if t.zh in used)
    entries = _glossary(terms, chapters)
    sides = _sides(settings.epub_order)
    languages = _languages(sides, chapters)
    if offprint is None:
        title, key = edition.title, edition.title
    else:
        chapter = chapters[0]
        title, key = f"{chapter.title_zh} · {chapter.title_en}", f"{edition.title}\0{offprint.slug}"
    colophon = views.colophon(edition, offprint)
    # The colophon's facts under the names the templates used before there was one colophon (a project's own copy).
    context = dict(
        edition=edition, title=title, chapters=chapters, glossary=entries, languages=languages,
        lang=languages[0], identifier=f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}",
        modified=f"{edition.build_date}T00:00:00Z", date=edition.build_date, offprint=offprint is not None,
        translators=colophon.translators, creators=_creators(chapters) if offprint is not None else (),
        provenance=colophon.shares, term_rate=colophon.term_rate, colophon=colophon,
        gloss=colophon.is_gloss, model=colophon.model, engine=colophon.engine,
        font=FONT_FILE if settings.epub_embed_font else "", cjk_family=CJK_FAMILY, font_name=settings.cjk_font,
        order=settings.epub_order, order_note=_order_note(sides), cedict=colophon.dictionary_licence,
        glossary_version=edition.glossary_version if offprint is None else _terms_fingerprint(terms),
        accessibility=accessibility(sides),
    )
    members = {"META-INF/container.xml": env.get_template("container.xml.j2").render(context)}
    pages = {"EPUB/cover.xhtml": "cover.xhtml.j2", "EPUB/nav.xhtml": "nav.xhtml.j2"}
    for name, template in pages.items():
        members[name] = env.get_template(template).render(context)
    article_template = env.get_template("article.xhtml.j2")
    for chapter in chapters:
        members[f"EPUB/{chapter.file}"] = article_template.render(context, chapter=chapter)
    members["EPUB/glossary.xhtml"] = env.get_template("glossary.xhtml.j2").render(context)
    members["EPUB/colophon.xhtml"] = env.get_template("colophon.xhtml.j2").render(context)
    members["EPUB/edition.css"] = env.get_template("edition.css.j2").render(context)
    members["EPUB/package.opf"] = env.get_template("package.opf.j2").render(context)
    return {name: text.encode("utf-8") for name, text in members.items()}


@dataclass(frozen=True, slots=True)
class Accessibility:
    """What the package document states about a book's accessibility (EPUB Accessibility 1.1, schema.org terms)."""

    modes: tuple[str, ...]
    """``schema:accessMode``: how the content is perceived."""
    sufficient: tuple[str, ...]
    """``schema:accessModeSufficient``: modes that are enough to read all of it."""
    features: tuple[str, ...]
    """``schema:accessibilityFeature``."""
    hazards: tuple[str, ...]
    """``schema:accessibilityHazard``."""
    summary: str
    """``schema:accessibilitySummary``: the same in words."""


def accessibility(sides: tuple[str, ...]) -> Accessibility:
    """A book's accessibility metadata.

    Every book is text only: the source's pictures are left out, each replaced by a text
    placeholder and its caption, so there is no image to describe (no ``alternativeText``
    is claimed, nor a ``visual`` mode). No conformance (``dcterms:conformsTo``) is claimed:
    nothing here evaluates the books against WCAG (Ace by DAISY is not run).
    """
    order = ("Each paragraph is given in Chinese, then in English" if sides == ("zh", "en") else
             "Each paragraph is given in English, then in Chinese" if sides == ("en", "zh") else
             f"The text is given in {_LANGUAGE_NAMES[sides[0]]} only (titles, glossary and colophon in both languages)")
    summary = (f"Reflowable text. {order}, every passage marked with its language (Simplified or Traditional "
               "Chinese, English) so that a reading system can voice each in its own. Headings structure each "
               "article; a table of contents lists every article and its sections, and landmarks mark the cover, "
               "contents, the articles and the glossary. Footnotes and glossary terms are linked to and from the text. "
               "The pictures of the "
               "sources are not included: each is a text placeholder with its caption. No colour carries meaning. "
               "Not evaluated against WCAG.")
    return Accessibility(modes=("textual",), sufficient=("textual",),
                         features=("structuralNavigation", "tableOfContents", "readingOrder",
                                   "displayTransformability"),
                         hazards=("none",), summary=summary)


def _sides(order: str) -> tuple[str, ...]:
    return {"zh-first": ("zh", "en"), "en-first": ("en", "zh"), "zh": ("zh",), "en": ("en",)}[order]


def _order_note(sides: tuple[str, ...]) -> str:
    if len(sides) == 1:
        return f"{_LANGUAGE_NAMES[sides[0]]} only"
    return f"each paragraph in {_LANGUAGE_NAMES[sides[0]]}, then in {_LANGUAGE_NAMES[sides[1]]}"


def _languages(sides: tuple[str, ...], chapters: tuple[Chapter, ...]) -> tuple[str, ...]:
    """The book's languages, the first shown first: the Chinese tags of its articles, and English."""
    chinese = tuple(dict.fromkeys(c.lang for c in chapters)) or ("zh-Hans",)
    # A one-language book still names the other: its titles, glossary and colophon carry both.
    return chinese + ("en",) if sides[0] == "zh" else ("en",) + chinese


def _creators(chapters: tuple[Chapter, ...]) -> tuple[str, ...]:
    names = []
    for credit in chapters[0].credits:
        if credit.label_en == "By":
            names += [en if en == zh else f"{en} ({zh})" for en, zh in zip(credit.names_en, credit.names_zh)]
    return tuple(names)


def _terms_fingerprint(terms) -> str:
    entries = "\n".join(f"{t.zh}\t{t.en}" for t in sorted(terms, key=lambda t: t.zh))
    return hashlib.sha256(entries.encode("utf-8")).hexdigest()[:12]


# --- chapters --------------------------------------------------------------------------------------------------


class _NoteRefs:
    """A chapter's footnote references as EPUB 3 noterefs, each language's pointing to that language's aside.

    Every reference gets an id of its own (``ref-1-zh``, ``ref-1-zh-2``…); the first in each
    language is where the aside links back to. A label no note defines stays a bare mark.
    """

    def __init__(self, model: views.ArticleModel):
        self.numbers = {note.label: note.number for note in model.notes}
        self.refs: dict[tuple[int, str], list[str]] = {}
        """(note number, side) → the ids of its references, in reading order."""

    def linker(self, side: str, *, linkable: bool = True):
        """The ``note_link`` of :func:`render_inline` for one language (``linkable``: False inside a link's text)."""
        def link(label: str) -> str:
            number = self.numbers.get(label)
            if number is None:
                return footnote_mark(label)
            if not linkable:
                return f'<sup class="noteref">{number}</sup>'
            ids = self.refs.setdefault((number, side), [])
            ref = f"ref-{number}-{side}" + (f"-{len(ids) + 1}" if ids else "")
            ids.append(ref)
            return (f'<sup><a class="noteref" epub:type="noteref" role="doc-noteref" id="{ref}" '
                    f'href="#{note_id(number, side)}">{number}</a></sup>')
        return link

    def first(self, number: int, side: str) -> str:
        """The id of the first reference to note ``number`` in ``side``'s text; empty when there is none."""
        return (self.refs.get((number, side)) or [""])[0]


def note_id(number: int, side: str) -> str:
    """The id of a footnote's aside in one language (``fn-1-zh``)."""
    return f"fn-{number}-{side}"


def _chapter(edition: Edition, article: BilingualArticle, sides: tuple[str, ...], known: set[str]) -> Chapter:
    """An article's chapter (its page model laid out); ``known``: the terms the glossary appendix has an entry for (linked in the text)."""
    model = views.article_model(edition, article)
    file = Path(article_file(article.slug)).with_suffix(".xhtml").name
    refs = _NoteRefs(model)
    paragraphs: dict[str, Paragraph] = {}
    uses: dict[str, list[str]] = {}
    for paired in model.blocks:  # in reading order: the footnotes' paragraphs come last, after every reference
        block = paired.block.block
        shown_sides = ()
        if paired.shown and block.translatable:
            shown_sides = tuple(_side(known, paired, side, model.lang, first=side == sides[0], refs=refs)
                                for side in sides)
            for segment in paired.block.segments:  # the first side shown carries the sentences' anchors
                for zh in dict.fromkeys(use.zh for use in segment.terms if use.zh in known):
                    uses.setdefault(zh, []).append(segment.id)
        paragraphs[block.id] = Paragraph(block.id, block.kind, paired.level, block.role or "", shown_sides,
                                         paired.place)

    def paragraph(paired: views.PairedBlock) -> Paragraph:
        return paragraphs[paired.block.block.id]

    # A table: rows of cells, each cell a Paragraph whose languages are tagged on each half.
    items = views.laid_out(model.items, paragraph, lambda table: views.RenderedTable.of(table, paragraph))
    notes = tuple(_note(note, paragraphs, refs, sides) for note in model.notes)
    return Chapter(
        slug=article.slug, file=file, item=f"article-{article.slug}", lang=model.lang,
        title_zh=plain_text(model.title_zh), title_en=plain_text(article.title_en), credits=model.credits,
        source=model.source, english=views.english_label(article),
        gloss=views.gloss_count(article) > 0, paragraphs=tuple(paragraphs.values()),
        sections=tuple(Section(s.heading.block.block.id, s.title_zh, s.title_en) for s in model.sections),
        uses=tuple((zh, tuple(ids)) for zh, ids in uses.items()), items=items, notes=notes,
    )


def _note(note: views.NoteView, paragraphs: dict[str, Paragraph], refs: _NoteRefs, sides: tuple[str, ...]) -> Note:
    """A footnote as one aside per language shown, its paragraphs joined by line breaks."""
    out = []
    for index, side in enumerate(sides):
        shown = [p.sides[index] for p in (paragraphs[b.block.block.id] for b in note.blocks) if p.sides]
        if not shown:
            continue
        text = Markup("<br/>").join(s.text for s in shown)
        out.append(NoteSide(note_id(note.number, side), refs.first(note.number, side), replace(shown[0], text=text)))
    return Note(note, tuple(out))


def _side(known: set[str], paired: views.PairedBlock, side: str, lang: str, *, first: bool,
          refs: _NoteRefs | None = None) -> Side:
    """One language of a block. The first side shown carries the sentence anchors the glossary links back to.

    ``refs`` links its footnote references to this language's notes (a note's own references are its numbers).
    """
    in_note = paired.block.block.kind == "footnote"
    parts, anchors = [], []
    for segment in paired.segments:
        if side == "zh":
            # Term spans are offsets in the Simplified text; a conversion that keeps the length keeps them.
            parts.append(_segment(known, segment.segment, segment.zh, list(segment.shown_zh_spans), anchor=first,
                                  refs=refs, side=side, in_note=in_note))
        elif segment.joined:  # its English stands once, in its carrier's: only the anchor, without a space
            if first:
                anchors.append(Markup('<span class="seg" id="{}"></span>').format(segment.segment.id))
        else:
            parts.append(_segment(known, segment.segment, segment.segment.en, list(segment.en_spans), anchor=first,
                                  refs=refs, side=side, in_note=in_note))
    if side == "zh":
        return Side(lang, "zh", Markup("").join(parts), f"{paired.speaker_zh}：" if paired.speaker_zh else "")
    text = Markup("").join(anchors) + Markup(" ").join(parts)  # sentences take a space; empty anchors none
    return Side("en", "en", text, f"{paired.speaker_en}:" if paired.speaker_en else "")


def _segment(known: set[str], segment: Segment, markdown: str, spans: list, *, anchor: bool,
             refs: _NoteRefs | None = None, side: str = "zh", in_note: bool = False) -> Markup:
    """A sentence's XHTML: its terms linked to their glossary entries, its footnote references to ``side``'s notes
    (``in_note``: a note's own references are its numbers, unlinked); the anchor the glossary links back to."""
    # A link inside a link is not allowed: a sentence with a link of its own keeps its terms and references unlinked.
    linkable = "](" not in markdown
    marks = sorted((a, b, term_anchor(zh)) for a, b, zh in spans if zh in known and linkable)
    offset = 0

    def annotate(run: str) -> str:
        nonlocal offset
        here = [(a - offset, b - offset, target) for a, b, target in marks if a >= offset and b <= offset + len(run)]
        offset += len(run)
        out, position = [], 0
        for start, end, target in here:
            if start < position:
                continue
            out.append(_html.escape(run[position:start]))
            out.append(f'<a class="term" epub:type="glossref" href="glossary.xhtml#{target}">'
                       f"{_html.escape(run[start:end])}</a>")
            position = end
        out.append(_html.escape(run[position:]))
        return "".join(out)

    note_link = refs.linker(side, linkable=linkable and not in_note) if refs is not None else None
    body = _xhtml(render_inline(markdown, annotate, note_link))
    ident = f' id="{_html.escape(segment.id, quote=True)}"' if anchor else ""
    return Markup(f'<span class="seg"{ident}>{body}</span>')


def _xhtml(rendered: Markup) -> str:
    """Inline HTML as EPUB's XHTML takes it (the web-only link types go)."""
    return str(rendered).replace(' rel="noopener noreferrer"', "")


# --- glossary and font -----------------------------------------------------------------------------------------


def _glossary(terms: tuple[Term, ...], chapters: tuple[Chapter, ...]) -> tuple[GlossaryEntry, ...]:
    """The appendix: each entry with the sentences of each chapter that use it."""
    from translate.render.wordhelp import WordHelp

    words = WordHelp()
    uses = {(c.file, zh): ids for c in chapters for zh, ids in c.uses}
    entries = []
    for term in terms:
        groups = []
        for chapter in chapters:
            segment_ids = uses.get((chapter.file, term.zh))
            if segment_ids:
                groups.append((chapter.title_en or chapter.title_zh,
                               tuple(Occurrence(f"{chapter.file}#{sid}", n) for n, sid in enumerate(segment_ids, 1))))
        entries.append(GlossaryEntry(term_anchor(term.zh), term, words.pinyin(term.zh), tuple(groups)))
    return tuple(entries)


def _cjk_face(settings: Settings, lookup: FontLookup) -> FontFile:
    """The CJK face the books embed (the PDF's regular face)."""
    try:
        return choose_fonts(settings.cjk_font, settings.latin_font, lookup).cjk_regular
    except RenderError as exc:
        raise type(exc)(f"{exc.message}; or set epub.embed_font = false in edition.toml") from None


def _font_subset(face: FontFile, members: dict[str, bytes], folder: Path) -> bytes:
    """``face`` cut to the characters of this book (the PDF's subsetting)."""
    texts = (data.decode("utf-8") for name, data in members.items() if name.endswith(".xhtml"))
    return subset_font(face, edition_chars(texts), folder).read_bytes()
