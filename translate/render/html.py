"""The translated edition as a static website: ``build/html/index.html`` and its pages.

Gather first, write last: every page is rendered in memory from Jinja2
templates (``<templates>/html``, falling back to the project's own), then
written atomically, skipping files whose bytes are unchanged. The pages load
nothing remote: the stylesheet, the script and the word-help data sit next to
them, and a Content-Security-Policy meta tag lets only those run.

Each sentence is a ``<span class="seg" data-seg="b002.s1">`` on both sides
(the alignment key links them); each Chinese word the dictionary knows is a
``<span class="w">``; each glossary term is a ``<span class="term"
data-term="…">`` on both sides.

Tables, footnotes and the other document constructs are laid out from the page
model (:mod:`translate.render.views`): a table is one ``<table>`` whose cells each
hold their Chinese over their English (``.zh`` and ``.en``, sentences as
everywhere); a footnote reference links to its note in the same language
(``#fn-1-zh``, ``#fn-1-en``) and the note back to the first reference
(``#fnref-1-zh``); code is shown once, never in two columns.
"""

from __future__ import annotations

import html as _html
import itertools
import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from markupsafe import Markup

from translate.errors import RenderError
from translate.inputs import excerpt
from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN, BilingualArticle, Edition, Segment, Term
from translate.outputs import file_state, write_if_changed
from translate.rebuild import folded, keeping_pieces, same, same_each, term_changes
from translate.render import reuse, views
from translate.render.builders import Written
from translate.render.inline import footnote_mark, plain_text, render_inline
from translate.render.wordhelp import WordHelp
from translate.resources import default_templates
from translate.script import to_traditional
from translate.settings import Settings

#: The project's own templates, used for any template the publisher has not overridden.
DEFAULT_TEMPLATES = default_templates() / "html"
#: Static files copied from the templates folder into ``build/html``.
ASSETS = ("edition.css", "edition.js")
#: Page names an article slug must not take.
RESERVED = {"index", "glossary", "report", "words", "edition"}

#: Reading speeds for the index: Chinese characters and English words per minute.
ZH_CHARS_PER_MINUTE = 400
EN_WORDS_PER_MINUTE = 230

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_CODE_LANG = re.compile(r"[^A-Za-z0-9_+#.-]")
#: Indentation steps the stylesheet draws (``indent-1`` …); deeper lists stay at the last one.
MAX_INDENT = 6
_DAMAGED_RUN = re.compile(re.escape(DAMAGED_OPEN) + r"[^" + DAMAGED_OPEN + DAMAGED_CLOSE + r"]*" + re.escape(DAMAGED_CLOSE))


@dataclass(frozen=True, slots=True)
class Row:
    """One aligned pair of blocks as the article template shows it."""

    id: str
    """Block id, the row's anchor."""
    kind: str
    """Block kind (``models.BlockKind``): heading, paragraph, list_item, quote, image, cell, footnote, code or rule."""
    level: int
    """HTML heading level (2–6) for headings, in order without gaps; 0 otherwise."""
    zh: Markup
    """The Chinese sentences, each a ``.seg``."""
    en: Markup
    """The English sentences, each a ``.seg``."""
    role: str = ""
    """``question`` or ``answer`` in interviews."""
    speaker_zh: str = ""
    """Speaker label on the Chinese side."""
    speaker_en: str = ""
    """Speaker label on the English side."""
    image_url: str = ""
    """Image source, only when it is http or https."""
    image_host: str = ""
    """Host name of the image source, for the placeholder's link text."""
    image_alt: str = ""
    """Plain-text caption for the image's ``alt``."""
    flagged: bool = False
    """True when a sentence of the row has a glossary violation."""
    machine: bool = False
    """True when a sentence of the row is machine English (translation or gloss), not a translator's."""
    place: views.Placement = views.Placement()
    """Where the block sits (lists, quotes, table cell) and its code: the page model's (:attr:`views.PairedBlock.place`)."""

    @property
    def indent(self) -> int:
        """Indentation steps from list nesting: an item's depth less one; a paragraph or code continuing an item,
        its depth (the stylesheet draws up to :data:`MAX_INDENT`)."""
        depth = self.place.depth
        return min(depth - 1 if depth and self.kind == "list_item" else depth, MAX_INDENT)

    @property
    def quotes(self) -> int:
        """How many block quotes the block is set in (a ``quote`` paragraph is in at least one)."""
        return max(self.place.quoted, 1) if self.kind == "quote" else self.place.quoted

    @property
    def code_class(self) -> str:
        """A code block's language reduced to characters safe in a class name (``language-<it>``)."""
        return _CODE_LANG.sub("", self.place.code_lang)[:40]

    @property
    def empty(self) -> bool:
        """True when neither language has text (an empty table cell)."""
        return not self.zh and not self.en


@dataclass(frozen=True, slots=True)
class Table(views.RenderedTable):
    """A table as the article template lays it out: the page model's table with each cell a :class:`Row`."""

    number: int
    """Its number in the article, from 1 (``Table 1``)."""

    @property
    def indent(self) -> int:
        """Indentation steps when the table sits in a list."""
        return min(self.place.depth, MAX_INDENT)


@dataclass(frozen=True, slots=True)
class Note(views.RenderedNote):
    """One footnote: its paragraphs as rows, and which languages have a reference to link back to."""

    rows: tuple[Row, ...]
    """The note's paragraphs, in order."""
    back_zh: bool
    """True when the Chinese text refers to the note (its back link goes to ``#fnref-<number>-zh``)."""
    back_en: bool
    """True when the English text refers to the note."""


@dataclass(slots=True)
class _NoteLinks:
    """Footnote references of one article: each links to its note in its language; the first in each language
    carries the id the note links back to."""

    numbers: dict[str, int]
    anchored: set[tuple[str, str]] = field(default_factory=set)

    def linker(self, lang: str, anchor: bool):
        """The ``note_link`` of :func:`render_inline` for the ``zh`` or ``en`` side.

        ``anchor`` is False for renderings that are not the page's primary one (the second script of a
        switchable page): those link to the note but take no id.
        """
        def link(label: str) -> str:
            number = self.numbers.get(label)
            if number is None:
                return footnote_mark(label)  # no such note: plain superscript text, no broken link
            ref_id = ""
            if anchor and (label, lang) not in self.anchored:
                self.anchored.add((label, lang))
                ref_id = f' id="fnref-{number}-{lang}"'
            name = f"注 {number}" if lang == "zh" else f"Note {number}"
            return (f'<sup class="footnote-ref"><a href="#fn-{number}-{lang}"{ref_id} role="doc-noteref" '
                    f'aria-label="{name}">{number}</a></sup>')

        return link


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """One article, ready for the templates."""

    slug: str
    """Article slug."""
    file: str
    """Page file name, e.g. ``interview.html``."""
    title_zh: Markup
    """Chinese title (both scripts when switchable)."""
    title_zh_text: str
    """Chinese title as plain text in the shown script (``<title>``, index)."""
    title_en: Markup
    """English title."""
    title_en_text: str
    """English title as plain text."""
    zh_lang: str
    """``zh-Hans`` or ``zh-Hant``: the script shown by default."""
    script: str
    """``simplified`` or ``traditional``: the script shown by default."""
    switchable: bool
    """True when both scripts are embedded and the reader can switch."""
    meta: dict
    """Byline and source facts: authors, editors, publication, date, source_file, engine, model."""
    rows: tuple[Row, ...]
    """Every block as a row, in source order (cells and footnote paragraphs included): what older templates loop over."""
    zh_chars: int
    """Chinese characters in the body."""
    en_words: int
    """English words in the body."""
    minutes: int
    """Reading time of the Chinese, in minutes."""
    violations: int
    """Glossary violations in the article."""
    report: dict = field(default_factory=dict)
    """The article's row of the quality report."""
    credits: tuple = ()
    """The byline (:class:`translate.render.views.Credit`), English labels and names."""
    provenance: object = None
    """Where the English came from (:class:`translate.render.views.Provenance`)."""
    english: str = ""
    """What the English is: ``edited by the translators``, machine translation, gloss, or a mix."""
    gloss_segments: int = 0
    """Segments of dictionary gloss on the page (the banner says so)."""
    source: views.SourceLine | None = None
    """Where the article was published (the header's Source line; never the scrape's file name)."""
    items: tuple = ()
    """The body as laid out: :class:`Row` for each block, :class:`Table` for each table; footnotes left out."""
    notes: tuple[Note, ...] = ()
    """The footnotes, numbered, for the notes section at the article's end."""


@dataclass(slots=True)
class _Gatherer:
    """State shared while rendering one edition: word help, terms, occurrences."""

    edition: Edition
    settings: Settings
    words: WordHelp
    term_index: dict[str, int]
    by_zh: dict[str, Term]
    occurrences: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    report_rows: dict[str, dict] = field(default_factory=dict)
    """Each article's row of the quality report by slug (made once: each page shows its own)."""


def start(edition: Edition, settings: Settings, *, workers=None) -> Written:
    """The HTML builder: the website, written at once (see :mod:`translate.render.builders`)."""
    return Written(render_html(edition, settings))


def render_html(edition: Edition, settings: Settings) -> list[Path]:
    """Write the edition's website into ``settings.build_dir / "html"``; return the files (written or unchanged).

    Within :func:`announcing`, the article pages, the word help they load and the assets are written first and
    announced, and the edition-wide pages (:data:`EDITION_PAGES`) are rendered and written right after; the
    files written are the same either way.
    """
    from jinja2 import TemplateError

    out_dir = Path(settings.build_dir) / "html"
    env = _environment(Path(settings.templates_dir))
    files: dict[str, str | None] = {}
    edition = views.shown_edition(edition)
    listener = _LISTENER[0]
    written: dict[str, Path] = {}
    try:
        gather = _Gatherer(
            edition=edition,
            settings=settings,
            words=WordHelp(),
            term_index={t.zh: i for i, t in enumerate(edition.terms)},
            by_zh={t.zh: t for t in edition.terms},
            report_rows={r.slug: r.to_json() for r in (edition.report.articles if edition.report else ())},
        )
        pages = [_PAGES.page(gather, article) for article in edition.articles]
        common = _common_context(edition, settings)
        _PAGES.renders.begin(env, "article.html", common)
        rows = _row_setup(env)
        article_template = env.get_template("article.html")  # once: each lookup checks the file again
        for number, page in enumerate(pages):
            previous = pages[number - 1] if number > 0 else None
            following = pages[number + 1] if number + 1 < len(pages) else None
            inputs = (page, _PAGES.renders.narrowed("previous", previous), _PAGES.renders.narrowed("next", following))
            files[page.file] = _PAGES.renders.rendered(page.file, inputs, lambda: article_template.render(
                common, page=page, article=page, previous=previous, next=following, page_kind="article",
                gloss_segments=page.gloss_segments,
                page_title=f"{page.title_en_text} · {page.title_zh_text}", **_rows(env, common, page, rows),
            ))
        _PAGES.end(pages)
        files.update(dict.fromkeys(EDITION_PAGES))  # their place in the list of files; rendered below
        files["words.js"] = gather.words.script() + _terms_script(gather)
        for asset in ASSETS:
            files[asset] = env.loader.get_source(env, asset)[0]
        if listener is not None:
            rewritten: list[Path] = []
            written = _write_all(out_dir, {name: content for name, content in files.items() if content is not None},
                                 rewritten)
            listener(rewritten)
        files["index.html"] = env.get_template("index.html").render(
            common, articles=pages, page_kind="index", page_title=edition.title
        )
        entries = _glossary_entries(gather, pages)
        files["glossary.html"] = env.get_template("glossary.html").render(
            common, entries=entries, **_glossary_rows(env, common, entries), page_kind="glossary",
            page_title="Glossary"
        )
        files["report.html"] = env.get_template("report.html").render(
            common, report=_report_view(edition, pages), page_kind="report", page_title="Quality report"
        )
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or getattr(exc, "name", None)
        raise RenderError(
            f"HTML template error: {excerpt(str(exc), 400)}; fix the template (or delete it to use the default)",
            path=where, line=getattr(exc, "lineno", None),
        ) from exc
    written.update(_write_all(out_dir, {name: content for name, content in files.items() if name not in written}))
    paths = [written[name] for name in files]
    for path in [p for p in _WRITTEN if p.parent != out_dir or p.name not in files]:  # one folder's, no more
        del _WRITTEN[path]
    return paths


#: Each file of the site this process last wrote or found current: its text, and the file's (inode, mtime, size)
#: then. A long-lived process (``bitext serve``) renders again and again, most pages the very text of last time.
_WRITTEN: dict[Path, tuple[str, tuple[int, int, int] | None]] = {}


#: Threads that write the changed files of a render (each mostly waits for its file to reach the disk).
WRITERS = 4


def _write_all(out_dir: Path, files: dict[str, str], rewritten: list[Path] | None = None) -> dict[str, Path]:
    """Each file written unless it holds these bytes (:func:`write_if_changed`), several at once; a file this
    process last wrote (or found) with this very text, untouched since, is not even read again. ``rewritten``, when
    given, gets the files written now (those whose state changed: an atomic write is a new file)."""
    due = []
    before = []
    for name, content in files.items():
        path = out_dir / name
        last = _WRITTEN.get(path)
        signature = file_state(path)
        if last is None or signature is None or last[1] != signature or not same(last[0], content):
            due.append((path, content))
            before.append(signature)
    if len(due) > 1:
        with ThreadPoolExecutor(min(WRITERS, len(due)), thread_name_prefix="bitext-html-write") as pool:
            list(pool.map(lambda item: write_if_changed(*item), due))
    else:
        for path, content in due:
            write_if_changed(path, content)
    for (path, content), signature in zip(due, before):
        _WRITTEN[path] = (content, file_state(path))
        if rewritten is not None and _WRITTEN[path][1] != signature:
            rewritten.append(path)
    return {name: out_dir / name for name in files}


#: By page file, the last render of each of its rows (``article_row.html``): row id → (the row, what the row
#: template read of the page and the shared context, its HTML).
_ROWS: dict[str, dict[str, tuple]] = {}
#: Items of a page that article.html lays out itself rather than as a row.
_NOT_ROWS = ("table", "code", "rule")


def _row_setup(env) -> tuple | None:
    """(the row template, what it reads) for :func:`_rows`, found once per render (after the article pages'
    :meth:`~translate.render.reuse.Renders.begin`); None when pages get no rows: a one-off build (article.html lays
    its rows out itself), or an article template that does not read ``rows`` (a project's own older one)."""
    if not keeping_pieces():
        return None
    reads = _PAGES.renders.reads  # article.html's, as begin() found them
    if reads is None or "rows" not in reads.names:
        return None
    return env.get_template("article_row.html"), reuse.template_reads(env, "article_row.html")


def _rows(env, common: dict, page: ArticlePage, setup: tuple | None) -> dict:
    """``{"rows": {row id: HTML}}`` for an article template that reads ``rows`` (``setup``: :func:`_row_setup`;
    None: nothing is added).

    Each row is rendered alone by ``article_row.html`` (the same macro article.html calls), or is the last
    render's while the row, the row templates, and what they read of the page and of the shared context are
    equal: a term edit sets again only the rows of a page that show it.
    """
    if setup is None:
        return {}
    template, row_reads = setup
    shared = reuse.context_key(row_reads, {**common, "article": page}) if row_reads is not None else None
    last = _ROWS.get(page.file, {})
    made = {}
    for row in page.items:
        if row.kind in _NOT_ROWS:
            continue
        kept = last.get(row.id)
        if shared is not None and kept is not None and same(kept[0], row) and same(kept[1], shared):
            made[row.id] = kept
        else:
            made[row.id] = (row, shared, Markup(template.render(common, row=row, article=page)))
    _ROWS[page.file] = made
    return {"rows": {row_id: kept[2] for row_id, kept in made.items()}}


#: The pages made from the whole edition (every article's figures, titles and terms): within :func:`announcing`
#: they are written after the article pages have been announced.
EDITION_PAGES = ("index.html", "glossary.html", "report.html")

#: The listener of :func:`announcing` (one at a time: the builds of a process run one after another).
_LISTENER: list = [None]


@contextmanager
def announcing(listener: Callable[[list[Path]], None]) -> Iterator[None]:
    """Within: every render calls ``listener`` with the files of the article pages, the word help and the assets it
    has just rewritten (those whose bytes changed), as soon as they are written, before the edition-wide pages
    (:data:`EDITION_PAGES`) are rendered (``bitext serve`` tells open pages to reload then)."""
    _LISTENER[0] = listener
    try:
        yield
    finally:
        _LISTENER[0] = None


def article_file(slug: str) -> str:
    """The page file name of an article (``<slug>.html``, renamed if it would clash with a site page)."""
    if not _SLUG.match(slug) or ".." in slug:
        raise RenderError(f"article slug {slug!r} is not a safe file name; rename the corpus file to ASCII letters, digits, - and _")
    return f"{slug}-article.html" if slug.lower() in RESERVED else f"{slug}.html"


# --- templates -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _environment(templates_dir: Path):
    """The Jinja2 environment for a templates folder (cached; edited templates are reloaded)."""
    from jinja2 import StrictUndefined

    from translate.templating import sandboxed_environment, template_loader

    folders = [templates_dir / "html"]
    if DEFAULT_TEMPLATES.is_dir() and DEFAULT_TEMPLATES.resolve() != folders[0].resolve():
        folders.append(DEFAULT_TEMPLATES)
    folders = [f for f in folders if f.is_dir()]
    if not folders:
        raise RenderError("no HTML templates found; restore templates/html from the project", path=templates_dir / "html")
    # Sandboxed and bounded: a cloned edition's templates must not run code (no __globals__, no os), nor forever.
    env = sandboxed_environment(
        loader=template_loader(*folders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["percent"] = lambda value: f"{float(value):.1%}"
    env.filters["thousands"] = lambda value: f"{int(value):,}"
    return env


def _common_context(edition: Edition, settings: Settings) -> dict:
    img = "'self' data:" + (" https: http:" if settings.remote_images else "")
    csp = (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; font-src 'self'; base-uri 'none'; form-action 'none'"
    )
    shares, _ = views.edition_figures(edition)
    return {
        "edition": edition,
        "gloss_segments": shares.gloss,
        "provenance": shares,
        "colophon": views.colophon(edition),
        "csp": csp,
        "default_view": settings.html_view,
        "remote_images": settings.remote_images,
        "totals": edition.report.to_json()["edition"] if edition.report is not None else {},
    }


# --- articles --------------------------------------------------------------------------------------------------


class _Pages:
    """The article pages of the last render in this process, reused where made from equal inputs (:mod:`.reuse`).

    A page's model is made from its (shown) article, the edition's script, its row of the
    report, the glossary entries of the terms it holds and its byline and source line as the
    glossary names them; the words and term occurrences it records for the edition's word
    help and glossary page are kept with it and recorded again when it is reused.
    """

    def __init__(self) -> None:
        self.models: dict[str, tuple[tuple, ArticlePage, frozenset[str], dict]] = {}
        self.renders = reuse.Renders()
        self.bylines: dict[str, tuple] = {}
        """By slug: (metadata, glossary, its names folded, (credits, source line)) of :func:`_byline`."""

    def page(self, gather: _Gatherer, article: BilingualArticle) -> ArticlePage:
        """The article's page model: the last one when its inputs are equal, else made now."""
        kept = self.models[article.slug] = _replayed(gather, self.models.get(article.slug),
                                                     _model_inputs(gather, article),
                                                     lambda: _article_page(gather, article))
        return kept[1]

    def end(self, pages: list[ArticlePage]) -> None:
        """Forget the articles this render did not show."""
        slugs = {page.slug for page in pages}
        for slug in [s for s in self.models if s not in slugs]:
            del self.models[slug]
        for slug in [s for s in self.bylines if s not in slugs]:
            del self.bylines[slug]
        for slug in [s for s in _SENTENCES if s not in slugs]:
            del _SENTENCES[slug]
        for slug in [s for s in _NAMES if s not in slugs]:
            del _NAMES[slug]
        files = {page.file for page in pages}
        for file in [f for f in _ROWS if f not in files]:
            del _ROWS[file]
        self.renders.end(page.file for page in pages)


def _model_inputs(gather: _Gatherer, article: BilingualArticle) -> tuple:
    """Everything :func:`_article_page` reads for ``article`` (compared with ``==`` to the last render's)."""
    glossary = views.edition_glossary(gather.edition)
    names = _term_names(article)
    return (article, gather.edition.script, gather.report_rows.get(article.slug),
            tuple((zh, gather.by_zh.get(zh)) for zh in names), *_byline(article, glossary))


def _term_names(article: BilingualArticle) -> list[str]:
    """The glossary terms the article's segments hold (sorted): found again only for another article object."""
    kept = _NAMES.get(article.slug)
    if kept is None or kept[0] is not article:
        kept = (article, sorted({use.zh for segment in article.segments for use in segment.terms}))
        if keeping_pieces():
            _NAMES[article.slug] = kept
    return kept[1]


#: By slug, the last article whose term names were found, and those names.
_NAMES: dict[str, tuple[BilingualArticle, list[str]]] = {}


def _byline(article: BilingualArticle, glossary) -> tuple:
    """(credits, source line) of the article (:func:`views.credits`, :func:`views.source_line`): the last render's
    while its metadata is equal and the glossary changed no entry its names may hold (:mod:`translate.rebuild`)."""
    meta = article.article.meta
    last = _PAGES.bylines.get(article.slug)
    if last is not None and same(last[0], meta) and not term_changes(last[1], glossary).touches(last[2]):
        names, value = last[2], last[3]
    else:
        names = folded(glossary, (*meta.authors, *meta.editors, meta.publication or ""))
        value = (views.credits(meta, glossary), views.source_line(meta, glossary))
    _PAGES.bylines[article.slug] = (meta, glossary, names, value)
    return value


#: This process's last render of the article pages.
_PAGES = _Pages()



def _article_page(gather: _Gatherer, article: BilingualArticle) -> ArticlePage:
    model = views.article_model(gather.edition, article)
    meta = article.article.meta
    # Traditional sources shown as written can be switched to Simplified in the page.
    switchable = gather.edition.script == "source" and meta.script == "traditional"
    zh_lang = model.lang
    slug = article.slug
    file = article_file(slug)
    rows = []
    zh_chars = en_words = 0
    notes = _NoteLinks({note.label: note.number for note in model.notes})
    # Without notes a sentence's HTML is made from its view and terms alone (a note link depends on the others).
    keep = keeping_pieces() and not notes.numbers
    last = _SENTENCES.get(slug, {}) if keep else {}
    made: dict[tuple[str, str], tuple] = {}
    for paired in model.blocks:
        zh_parts, en_parts = [], []
        for view in paired.segments:
            seg = view.segment
            if not keep:
                zh_parts.append(_zh_segment(gather, slug, view, zh_lang, switchable, notes))
                if not view.joined:  # a joined segment's English stands once, in its carrier's
                    en_parts.append(_en_segment(gather, slug, view, notes))
            else:
                terms = tuple((use.zh, term.keep if (term := gather.by_zh.get(use.zh)) is not None else None)
                              for use in seg.terms)
                zh_parts.append(_sentence(gather, last, made, ("zh", seg.id), (view, terms, zh_lang, switchable),
                                          lambda: _zh_segment(gather, slug, view, zh_lang, switchable, notes)))
                if not view.joined:
                    en_parts.append(_sentence(gather, last, made, ("en", seg.id), (view, terms),
                                              lambda: _en_segment(gather, slug, view, notes)))
            chars, words = _counts(seg)
            zh_chars += chars
            en_words += words
        # Chinese sentences follow each other without a space; English ones take one.
        zh, en = Markup("".join(zh_parts)), Markup(" ".join(en_parts))  # every part is Markup: nothing to escape
        if not paired.shown:
            zh = en = Markup("")  # the alt text was a placeholder (图片, "Picture"), not a caption
        rows.append(_row(paired, zh, en))
    if keep:
        _SENTENCES[slug] = made
    else:
        _SENTENCES.pop(slug, None)
    by_id = {row.id: row for row in rows}
    title_zh_shown = model.title_zh
    if switchable:
        title_zh = Markup('<span class="sc-t" lang="zh-Hant">{}</span><span class="sc-s" lang="zh-Hans">{}</span>').format(
            meta.title_original, meta.title
        )
    else:
        title_zh = Markup("{}").format(title_zh_shown)
    return ArticlePage(
        slug=slug,
        file=file,
        title_zh=title_zh,
        title_zh_text=title_zh_shown,
        title_en=render_inline(article.title_en),
        title_en_text=plain_text(article.title_en),
        zh_lang=zh_lang,
        script=model.script,
        switchable=switchable,
        meta={
            "authors": meta.authors, "editors": meta.editors, "publication": meta.publication or "",
            "date": meta.date or "", "source_file": meta.source_file, "interviewers": meta.interviewers,
            "engine": article.engine, "model": article.model, "source_script": meta.script,
        },
        rows=tuple(rows),
        zh_chars=zh_chars,
        en_words=en_words,
        minutes=max(1, math.ceil(zh_chars / ZH_CHARS_PER_MINUTE)) if zh_chars else 0,
        violations=len(article.violations),
        report=gather.report_rows.get(slug, {}),
        credits=model.credits,
        provenance=views.provenance(article.segments),
        english=views.english_label(article),
        gloss_segments=views.gloss_count(article),
        source=model.source,
        items=_items(model.items, by_id),
        notes=tuple(Note(note, tuple(by_id[p.block.block.id] for p in note.blocks),
                         (note.label, "zh") in notes.anchored, (note.label, "en") in notes.anchored)
                    for note in model.notes),
    )


def _counts(segment) -> tuple[int, int]:
    """(Chinese characters, English words) of a segment, for the page's reading time; counted once per text pair
    in a process that builds again and again (the last render's counts are kept, :data:`_COUNTED`)."""
    key = (segment.zh, segment.en)
    found = _COUNTED.get(key)
    if found is None:
        found = (len(_CJK.findall(segment.zh)), len(_EN_WORD.findall(_LINK_TARGET.sub("]", segment.en))))
        if keeping_pieces():
            if len(_COUNTED) >= 1 << 18:  # an edition's sentences, several times over
                _COUNTED.clear()
            _COUNTED[key] = found
    return found


#: (Chinese, English) → :func:`_counts` of it.
_COUNTED: dict[tuple[str, str], tuple[int, int]] = {}


#: By article slug, the last render's HTML of each side of each sentence ((side, segment id) → (what it was made
#: from, the HTML, the words it wrapped, the term occurrences it recorded)), for articles without notes.
_SENTENCES: dict[str, dict[tuple[str, str], tuple]] = {}


def _sentence(gather: _Gatherer, last: dict, made: dict, name: tuple[str, str], inputs: tuple, make) -> Markup:
    """One side of a sentence: the last render's when made from equal ``inputs`` (the sentence's view — its
    segment, terms, spans, ids —, what its terms mark, the page's script), else ``make()`` (:func:`_replayed`)."""
    kept = made[name] = _replayed(gather, last.get(name), inputs, make)
    return kept[1]


def _replayed(gather: _Gatherer, last: tuple | None, inputs: tuple, make) -> tuple:
    """``(inputs, value, words, term occurrences)``: ``last`` when it was made from equal ``inputs``, else
    ``make()`` with the words and term occurrences it records into ``gather`` caught; those go into ``gather``
    either way, in reading order."""
    if last is not None and same_each(last[0], inputs):
        _, value, words, occurrences = last
    else:
        outer_words, outer_occurrences = gather.words.words, gather.occurrences
        gather.words.words, gather.occurrences = set(), {}
        try:
            value = make()
            words, occurrences = frozenset(gather.words.words), gather.occurrences
        finally:
            gather.words.words, gather.occurrences = outer_words, outer_occurrences
    gather.words.words.update(words)
    for zh, found in occurrences.items():
        gather.occurrences.setdefault(zh, []).extend(found)
    return inputs, value, words, occurrences


def _items(items, by_id: dict[str, Row]) -> tuple:
    """The page model's items as the template lays them out: rows, and tables of rows (numbered from 1)."""
    tables = itertools.count(1)

    def cell(paired: views.PairedBlock) -> Row:
        return by_id[paired.block.block.id]

    return views.laid_out(items, cell, lambda table: Table.of(table, cell, number=next(tables)))


def _row(paired: views.PairedBlock, zh: Markup, en: Markup) -> Row:
    bblock, block = paired.block, paired.block.block
    image_url = image_host = ""
    if block.kind == "image" and block.url and block.url.strip().lower().startswith(("http://", "https://")):
        image_url = block.url.strip()
        image_host = re.sub(r"^[a-z]+://", "", image_url, flags=re.I).split("/", 1)[0]
    return Row(
        id=block.id,
        kind=block.kind,
        level=paired.level,
        zh=zh,
        en=en,
        role=block.role or "",
        speaker_zh=paired.speaker_zh,
        speaker_en=paired.speaker_en,
        image_url=image_url,
        image_host=image_host,
        image_alt=(plain_text(bblock.en) or plain_text(block.text)) if views.image_caption(bblock) else "",
        flagged=paired.flagged,
        machine=paired.machine,
        place=paired.place,
    )


def _zh_segment(gather: _Gatherer, slug: str, view: views.SegmentView, zh_lang: str, switchable: bool,
                notes: _NoteLinks) -> Markup:
    seg = view.segment
    key = _attr(seg.id)
    pairs = _attr(view.pairs_with)  # a joined segment pairs with its carrier's English
    if switchable:
        runs: list[str] = []
        simplified = _zh_inline(gather, slug, seg, seg.zh, record=False, runs=runs, notes=notes)
        traditional = _zh_inline(gather, slug, seg, seg.zh_original, record=True, guide=runs, notes=notes)
        inner = f'<span class="sc-t" lang="zh-Hant">{traditional}</span><span class="sc-s" lang="zh-Hans">{simplified}</span>'
    elif zh_lang == "zh-Hant":
        runs = []
        _zh_inline(gather, slug, seg, seg.zh, record=False, runs=runs)
        inner = _zh_inline(gather, slug, seg, view.zh, record=True, guide=runs, notes=notes)
    else:
        inner = _zh_inline(gather, slug, seg, seg.zh, record=True, notes=notes)
    return Markup(f'<span class="seg" data-seg="{pairs}" id="{key}" tabindex="0">{inner}</span>')


def _zh_inline(gather: _Gatherer, slug: str, seg: Segment, text: str, *, record: bool,
               runs: list[str] | None = None, guide: list[str] | None = None,
               notes: _NoteLinks | None = None) -> Markup:
    """A Chinese sentence's HTML with terms and words marked.

    Terms are marked where the translation stage found them (``TermUse.zh_spans``, offsets in
    the sentence's plain text); ``runs`` collects the plain-text runs; ``guide`` gives the runs
    of the same sentence in Simplified script, whose word boundaries a Traditional rendering follows.
    Footnote references link to the Chinese notes; only the ``record`` rendering anchors them.
    """
    pending = list(guide or ())
    spans = sorted((start, end, gather.by_zh[use.zh]) for use in seg.terms for start, end in use.zh_spans
                   if use.zh in gather.by_zh)
    if record:
        for use in seg.terms:
            gather.occurrences.setdefault(use.zh, []).append((slug, seg.id, use.surface))
    offset = 0

    def annotate(run: str) -> str:
        nonlocal offset
        if runs is not None:
            runs.append(run)
        like = pending.pop(0) if pending else ""
        if len(like) != len(run):
            like = ""
        here = [(start - offset, end - offset, term) for start, end, term in spans
                if start >= offset and end <= offset + len(run)]
        offset += len(run)
        out: list[str] = []
        position = 0
        for damaged in _DAMAGED_RUN.finditer(run):
            out.append(_annotate_zh(gather, run, position, damaged.start(), here, like))
            out.append(_html.escape(damaged.group(0)))
            position = damaged.end()
        out.append(_annotate_zh(gather, run, position, len(run), here, like))
        return "".join(out)

    return render_inline(text, annotate, notes.linker("zh", record) if notes is not None else None)


def _annotate_zh(gather: _Gatherer, run: str, begin: int, end: int, spans, like: str = "") -> str:
    """``run[begin:end]`` with its terms (``spans`` in run offsets) and dictionary words marked."""
    out: list[str] = []
    position = begin
    for start, stop, term in spans:
        if start < position or stop > end:
            continue
        out.append(gather.words.wrap(run[position:start], like[position:start]))
        out.append(_term_span(term, run[start:stop]))
        position = stop
    out.append(gather.words.wrap(run[position:end], like[position:end]))
    return "".join(out)


def _attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute (or text)."""
    return _html.escape(value, quote=True)


def _term_span(term: Term, surface: str) -> str:
    return f'<span class="term{" keep" if term.keep else ""}" data-term="{_attr(term.zh)}">{_html.escape(surface)}</span>'


def _en_segment(gather: _Gatherer, slug: str, view: views.SegmentView, notes: _NoteLinks | None = None) -> Markup:
    seg = view.segment
    spans = sorted((start, end, gather.by_zh[use.zh]) for use in seg.terms for start, end in use.en_spans
                   if use.zh in gather.by_zh)
    classes = f"seg origin-{seg.origin}"
    if seg.stale:
        classes += " stale"
    if view.uncertain:
        classes += " uncertain"  # for serve's n/p: readers are not shown a bead's confidence
    if seg.violations:
        classes += " violation"
    if seg.note:
        classes += " noted"
    offset = 0

    def annotate(run: str) -> str:
        nonlocal offset
        here = [(start - offset, end - offset, term) for start, end, term in spans
                if start >= offset and end <= offset + len(run)]
        offset += len(run)
        return _annotate_en(run, here)

    body = render_inline(seg.en, annotate if spans else None, notes.linker("en", True) if notes is not None else None)
    title = seg.note
    if seg.violations:
        wanted = "; ".join(f"{v.term} should read “{v.expected}”" for v in seg.violations)
        title = f"Glossary: {wanted}" + (f" — {seg.note}" if seg.note else "")
    origin = view.provenance
    title = f"{origin}. {title}" if title else origin
    title_attr = f' title="{_attr(title)}"'
    span = (f'<span class="{classes}" data-seg="{_attr(seg.id)}" data-origin="{seg.origin}" tabindex="0"'
            f'{title_attr}>{body}</span>')
    if seg.violations:
        label = _attr(f"Glossary violation: {wanted}. See the report.")
        span += f'<a class="flag" href="report.html#v-{_attr(slug)}-{_attr(seg.id)}" aria-label="{label}">!</a>'
    return Markup(span)


def _annotate_en(text: str, spans: list[tuple[int, int, Term]]) -> str:
    out: list[str] = []
    position = 0
    for start, end, term in spans:
        if start < position:
            continue
        out.append(_html.escape(text[position:start]))
        out.append(_term_span(term, text[start:end]))
        position = end
    out.append(_html.escape(text[position:]))
    return "".join(out)


# --- glossary and report ---------------------------------------------------------------------------------------


def _glossary_entries(gather: _Gatherer, pages: list[ArticlePage]) -> list[dict]:
    titles = {p.slug: (p.file, p.title_en_text) for p in pages}
    entries = []
    # A reader's order (by the English); the anchors stay the termbase's, which the articles link to.
    for term in views.glossary_order(gather.edition.terms):
        by_article: dict[str, list[dict]] = {}
        seen: set[tuple[str, str]] = set()
        for slug, seg_id, surface in gather.occurrences.get(term.zh, []):
            if (slug, seg_id) in seen:  # one link per sentence, however often the term occurs in it
                continue
            seen.add((slug, seg_id))
            links = by_article.setdefault(slug, [])
            links.append({"href": f"{titles[slug][0]}#{seg_id}", "segment": seg_id, "surface": surface,
                          "number": len(links) + 1})
        entries.append({
            "anchor": f"term-{gather.term_index[term.zh] + 1}",
            "term": term,
            "pinyin": gather.words.pinyin(term.zh) if _CJK.search(term.zh) else "",
            "occurrences": [{"slug": slug, "file": titles[slug][0], "title": titles[slug][1], "links": links}
                            for slug, links in by_article.items()],
            "count": len(seen),
        })
    return entries


#: This process's last render of each glossary entry (``glossary_entry.html``), by its anchor.
_GLOSSARY_ROWS = reuse.Renders()


def _glossary_rows(env, common: dict, entries: list[dict]) -> dict:
    """``{"rows": …}``, each entry rendered by ``glossary_entry.html``, for a glossary page that reads ``rows``
    (a project's own older ``glossary.html`` loops over ``entries`` itself: nothing is added for it).

    An entry's row is the last render's while the entry (its term, pinyin, anchor and occurrences), the
    row template and the context it reads are equal: a term edit renders again only the rows it changed.
    """
    reads = reuse.template_reads(env, "glossary.html")
    if reads is not None and "rows" not in reads.names:  # not analysable (a dynamic include): rows given anyway
        return {}
    template = env.get_template("glossary_entry.html")
    _GLOSSARY_ROWS.begin(env, "glossary_entry.html", common)
    try:
        rows = [Markup(_GLOSSARY_ROWS.rendered(entry["anchor"], (entry,),
                                               lambda entry=entry: template.render(common, entry=entry)))
                for entry in entries]
    except BaseException:
        _GLOSSARY_ROWS.clear()
        raise
    _GLOSSARY_ROWS.end(entry["anchor"] for entry in entries)
    return {"rows": rows}


def _terms_script(gather: _Gatherer) -> str:
    terms = {
        t.zh: {"en": t.en, "note": t.note, "kind": t.kind, "keep": t.keep,
               "pinyin": gather.words.pinyin(t.zh) if _CJK.search(t.zh) else "",
               "href": f"glossary.html#term-{gather.term_index[t.zh] + 1}"}
        for t in gather.edition.terms
    }
    return f"window.BITEXT_TERMS = {json.dumps(terms, ensure_ascii=False, sort_keys=True, separators=(',', ':'))};\n"


def _report_view(edition: Edition, pages: list[ArticlePage]) -> dict:
    files = {p.slug: p.file for p in pages}
    rows = []
    report = edition.report.to_json() if edition.report is not None else {"edition": {}, "articles": []}
    articles = {a.slug: a for a in edition.articles}
    for row in report["articles"]:
        article = articles.get(row["slug"])
        rows.append({**row, "file": files.get(row["slug"], ""), "shares": origin_shares(row.get("segments_by_origin")),
                     "to_check": aligned_to_check(article) if article is not None else ()})
    from translate.models import ALIGN_REVIEW_BELOW

    return {"totals": report["edition"], "articles": rows, "review_below": ALIGN_REVIEW_BELOW,
            "shares": origin_shares(report["edition"].get("segments_by_origin"))}


#: How the report page names each origin of English, in the order of :data:`translate.models.ORIGINS`.
ORIGIN_NAMES = {"edited": "edited by the translators", "aligned": "aligned from an existing translation",
                "mt": "machine translation", "gloss": "dictionary gloss"}


def origin_shares(counts) -> tuple[dict, ...]:
    """The report page's share of each origin (``{"name", "count", "share"}``) from a ``segments_by_origin``
    count; the origins with no segment are left out (all of them when the count is missing)."""
    from translate.models import ORIGINS

    if not isinstance(counts, dict):
        return ()
    numbers = {o: counts.get(o, 0) if isinstance(counts.get(o, 0), int) else 0 for o in ORIGINS}
    total = sum(numbers.values())
    return tuple({"origin": o, "name": ORIGIN_NAMES[o], "count": n, "share": n / total}
                 for o, n in numbers.items() if n)


def aligned_to_check(article: BilingualArticle) -> tuple[dict, ...]:
    """The article's aligned English a translator should check (a bead less sure than
    :data:`~translate.models.ALIGN_REVIEW_BELOW`), with its confidence: one row per bead, at its carrier."""
    from translate.models import ALIGN_REVIEW_BELOW

    carriers = views.english_carriers(article)
    joined: dict[str, list[str]] = {}
    for segment_id, carrier in carriers.items():
        joined.setdefault(carrier, []).append(segment_id)
    out = []
    for segment in article.segments:
        if segment.origin != "aligned" or segment.id in carriers or segment.confidence is None:
            continue
        if segment.confidence < ALIGN_REVIEW_BELOW:
            out.append({"segment": segment.id, "joined": tuple(joined.get(segment.id, ())),
                        "confidence": f"{segment.confidence:.2f}", "en": plain_text(segment.en)})
    return tuple(out)
