"""The PDF edition: one bilingual book and one PDF per article, set by WeasyPrint.

Every page is laid out once. Each article is set alone, in parallel processes
(``layout.jobs``), together with the back matter (glossary and colophon); those
are the parts. The article's PDF ends with a page of its own (edition line and
colophon), which the offprint keeps and the book leaves out. The front matter
(cover and contents) is set last, when the book page of every entry is known.
:mod:`translate.render.pdf.assembly` then puts the book together with pikepdf and stamps
the folios on: parts are set without page numbers, so an article's pages do not
depend on where it falls in the book. Offprints are numbered from 1.

Parts whose inputs did not change since the last build (same content hash in
``build/pdf/.hashes.json``) are taken from ``build/pdf/.parts/``; the book is
assembled again (well under a second) when any part changed. After an edit the
contents is queued with the changed parts, on the last build's page numbers, and set
again once they are done only when a page moved. The glossary, a part of its own made from the
glossary alone, goes to the workers while the articles are translated (:func:`prepare`); each other part
as soon as its HTML is made (the articles, longest first, then the colophon), its CJK faces cut from the
characters known before the articles' views are made. In a cold build the folios go right behind the
first part, counted generously from the edition (the other worker would wait for the plan's first
article), and the contents is laid out with provisional page numbers (for its length) as soon as the
plan is made, ahead of the last parts; the real contents is set once every part is laid out, while the
last is still being written. Files are written atomically at the end. A process that builds again and
again keeps its workers started between builds inside :func:`keep_workers`.

The modules of :mod:`translate.render.pdf`: :mod:`.printviews` (what the templates show),
:mod:`.stylesheet` (the print stylesheet), :mod:`.urlguard` (what may be loaded),
:mod:`.workers` (setting documents in workers), :mod:`.tagging` (what WeasyPrint's PDF/UA tags
leave out: each element's language, figures), this module (the plan, the part cache, the
front matter) and :mod:`.assembly` (the book put together from its parts, their structure
trees merged into one).

Where the time went: WeasyPrint loaded and measured the 26 MB Noto Serif CJK
collection for every document, so the edition's characters are cut from the
CJK faces once (:mod:`translate.render.fonts`); the book laid out every article
a second time (~0.19 s CPU a page), so it is now assembled from the parts. Outside the
parts (issue 33, a cold edition: ~4.7 s of 15.7 s CPU), each worker started an interpreter
and imported WeasyPrint (now forked from a template process that did so once), the
provisional contents was written as a PDF (now laid out only): ~3.7 s. The folios (~3 ms of CPU a
page) are counted from the edition, never from the parts already done (their number, and the
cached folios' bytes, would depend on which part finished first). The workers sat
idle for the first 1.7 s of 7 (started at the first submit, the plan and the fonts' cut made before
any part was set): now they start at once and set the back matter while the articles are planned.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import re
import threading
import time
from collections import defaultdict
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from functools import cache
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Callable

from translate.errors import RenderError
from translate.inputs import excerpt
from translate.models import Edition
from translate.outputs import write_atomic
from translate.render.fonts import FontChoice, FontLookup, choose_fonts, edition_chars, fc_list, subset_font
from translate.render.pdf.workers import (LaidOut, PdfJob, PdfResult, Workers, announced, count_pages, forward,
                                          render_document, start_workers)
from translate.render import views as shared_views
from translate.render.pdf.printviews import (ArticleView, article_view, colophon_view, edition_keywords,
                                             edition_texts, weasyprint_version)
from translate.render.pdf.stylesheet import print_css, running_head_width
from translate.render.pdf.urlguard import check_url
from translate.resources import default_templates
from translate.settings import Settings

__all__ = ["BOOK", "PdfJob", "Workers", "check_url", "keep_workers", "plan_pdfs", "print_css", "render_document",
           "render_pdf", "start_pdf", "start_workers"]

log = logging.getLogger(__name__)

BOOK = "edition.pdf"
HASHES = ".hashes.json"
#: Parts of the book as set, without folios, with where their anchors fell (reused while unchanged).
PARTS = ".parts"
BACK = "back.pdf"
#: The glossary, a part of its own (``glossary.html.j2``), set before the articles are translated (:func:`prepare`):
#: the back matter (:data:`BACK`) is then the colophon. Not a name an article's part can take (a slug starts with a
#: letter or digit).
GLOSSARY = "_glossary.pdf"
#: The parts of the book that are no article's (and have no offprint).
BACK_MATTER = (GLOSSARY, BACK)
#: The cover and contents, and the pages that carry only folios: set again only when what they show changes.
FRONT, FOLIOS = "front.pdf", "folios.pdf"
#: The id of the offprint's last page (edition line and colophon), which the book leaves out.
OFFPRINT_BACK = "offprint-back"
FONTS = ".fonts"
#: Bump when the renderer changes in a way the templates and inputs do not show.
RENDERER_VERSION = "9"  # 3: tagged PDF/UA-1 parts, outside links as OUTSIDE URIs; 4: the second layout (hyphens); 5: hyphens decided in the line breaking, one layout; 6: streams deflated at level 6; 7: a gap span and the Latin words it joins set as one span (chinese_spacing); 8: the CJK faces cut from the characters known before the views (glyph ids); 9: the glossary a part of its own, its faces cut from what it prints

BUILTIN_TEMPLATES = default_templates() / "pdf"


# ---------------------------------------------------------------------------
# Templates


def _template_env(settings: Settings):
    """The PDF templates' environment: the edition's folder (when it has one), then the defaults."""
    own = Path(settings.templates_dir) / "pdf"
    return _environment(own, own.is_dir())


@cache
def _environment(own: Path, has_own: bool):
    """(Cached, as the HTML's and the EPUB's are: the plan, the fonts and the glossary set ahead use it in one build,
    and a server builds again and again; an edited template is loaded again.)"""
    from jinja2 import StrictUndefined

    from translate.templating import sandboxed_environment, template_loader

    folders = ([own] if has_own else []) + [BUILTIN_TEMPLATES]
    # HTML is escaped; the stylesheet is not HTML (its values are quoted with _css_string).
    # Sandboxed and bounded: a cloned edition's templates must not run code (no __globals__, no os), nor forever.
    return sandboxed_environment(loader=template_loader(*folders), autoescape=lambda name: (name or "").endswith(".html.j2"),
                                 undefined=StrictUndefined, keep_trailing_newline=True)


# ---------------------------------------------------------------------------
# The edition


@dataclass(frozen=True, slots=True)
class PdfPlan:
    """Every part of the edition, ready to set: jobs, content hashes, fonts, and what the front matter needs."""

    parts: tuple[PdfJob, ...]
    """One job per article (``<slug>.pdf``: its pages, then the offprint's colophon page) and the back matter's: the
    glossary's (when a part of its own, :func:`glossary_apart`) and the colophon's."""
    digests: dict
    """Part name → content hash; ``edition.pdf`` → hash of everything the book is assembled from."""
    fonts: FontChoice
    chars: str
    front: Callable[[dict], str]
    """Book page numbers by anchor → the HTML of the cover and contents."""
    articles: tuple[ArticleView, ...]

    @property
    def back(self) -> tuple[str, ...]:
        """The parts of the back matter in book order: the glossary (when a part of its own) and the colophon."""
        return tuple(job.name for job in self.parts if job.name in BACK_MATTER)


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _where(settings: Settings) -> tuple[str, tuple[Path, ...]]:
    """The parts' base URL and the folders they may load files from."""
    out_dir = Path(settings.build_dir) / "pdf"
    return out_dir.resolve().as_uri() + "/", (Path(settings.root).resolve(), Path(settings.build_dir).resolve())


def _common_digest(env, settings: Settings, fonts: FontChoice) -> str:
    """What every part's content hash starts from: the stylesheet, the fonts, WeasyPrint's and the renderer's versions.

    The hash names the source font files, not the subsets: a subset changes whenever any article gains a
    character, but the glyphs an unchanged article uses do not.
    """
    css_for_hash = print_css(env, settings, fonts, ("cjk-regular", "cjk-bold"))
    return _digest(css_for_hash, fonts.identity(), weasyprint_version(), RENDERER_VERSION)


_GLOSSARY_ID = re.compile(r"""\bid\s*=\s*["']?glossary\b""")


def glossary_apart(env) -> bool:
    """Whether the glossary is a part of its own (``glossary.html.j2``): unless the edition's own ``back.html.j2``
    still prints it, as the back matter's one template did before (then the back matter is one part, as it was)."""
    return not _GLOSSARY_ID.search(env.loader.get_source(env, "back.html.j2")[0])


def glossary_job(env, title: str, subtitle: str, terms, glossary_version: str, script: str,
                 settings: Settings) -> PdfJob:
    """The glossary part: made from what is known before the articles are translated, so that it can be set while
    they are (:func:`prepare`); its template sees an edition without articles."""
    known = Edition(title=title, subtitle=subtitle, articles=(), terms=tuple(terms), glossary_version=glossary_version,
                    engine="", model="", build_date="", script=script)
    html = env.get_template("glossary.html.j2").render(edition=known, glossary=shared_views.glossary_order(known.terms))
    return PdfJob(GLOSSARY, html, "", *_where(settings), ("glossary",))


def glossary_css(env, settings: Settings, fonts: FontChoice, job: PdfJob) -> str:
    """The stylesheet the glossary part is set with: its CJK faces cut from what it prints (its HTML and the
    stylesheet's own text), into their own folder, whether it is set ahead or with the other parts."""
    bare = print_css(env, settings, fonts, ("", ""))
    folder = Path(settings.build_dir) / "pdf" / FONTS / _GLOSSARY_FONTS
    return print_css(env, settings, fonts, _cut(fonts, edition_chars([job.html, bare]), folder))


@dataclass(frozen=True, slots=True)
class Prepared:
    """The glossary part set ahead of the translation (:func:`prepare`): its content hash and the worker's result;
    the plan takes it when its own glossary part has the same hash."""

    digest: str
    result: Future
    laid: Future
    """Its pages and anchors, as soon as it is laid out."""


def prepare(glossary, settings: Settings, *, workers: Workers | None = None,
            lookup: FontLookup = fc_list) -> "Future[Prepared | None] | None":
    """Before the edition is translated: the glossary part goes to the workers (the PDF builder's ``prepare``).

    It needs only the glossary and the settings; the workers would otherwise idle until the first article's view
    is made. The fonts are chosen, its faces cut (HarfBuzz lets this thread go meanwhile) and the job queued on a
    thread, while this one translates. The value resolves to None when the last build's glossary part is current
    (or the edition's templates keep the glossary in the back matter); None at once without workers of this
    process (``layout.jobs`` = 1, or a cluster's).
    """
    if not isinstance(workers, Workers):
        return None
    out_dir = Path(settings.build_dir) / "pdf"
    terms, version = tuple(glossary.terms), glossary.version
    done: Future = Future()

    def ahead() -> None:
        try:
            env = _template_env(settings)
            if not glossary_apart(env):
                done.set_result(None)
                return
            fonts = choose_fonts(settings.cjk_font, settings.latin_font, lookup)
            job = glossary_job(env, settings.title, settings.subtitle, terms, version, settings.script, settings)
            digest = _digest(_common_digest(env, settings, fonts), job.html)
            if _load_hashes(out_dir / HASHES).get(GLOSSARY) == digest and _cached_part(out_dir / PARTS, GLOSSARY):
                done.set_result(None)
                return
            job = replace(job, css=glossary_css(env, settings, fonts, job))
            done.set_result(Prepared(digest, *announced(workers, job)))
        except BaseException as exc:  # the plan makes the part again and meets the error itself
            log.debug("the glossary part was not set ahead: %s", exc)
            done.set_result(None)

    threading.Thread(target=ahead, name="bitext-pdf-glossary", daemon=True).start()
    return done


def plan_pdfs(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list,
              ready: Callable[[PdfJob, str], None] | None = None) -> PdfPlan:
    """Build the HTML of every part; CSS names the fonts by their source files for now.

    ``ready(job, digest)``: told of each part (and its content hash) as soon as its HTML is made, so that
    it can be set while the others are made: the glossary first (it needs no article's view), then the
    articles, longest first, then the colophon (a page or two; first, with the glossary, where the edition's
    back.html.j2 prints both). The plan is the same whatever the order the parts are made in.
    """
    fonts = choose_fonts(settings.cjk_font, settings.latin_font, lookup)
    env = _template_env(settings)
    edition = shared_views.shown_edition(edition)
    head = running_head_width(settings.page_size)
    colophon = colophon_view(edition, fonts)
    base_url, allowed = _where(settings)
    common = _common_digest(env, settings, fonts)
    digests: dict[str, str] = {}

    def made(job: PdfJob) -> PdfJob:
        digests[job.name] = _digest(common, job.html)
        if ready is not None:
            ready(job, digests[job.name])
        return job

    apart = glossary_apart(env)
    glossary = made(glossary_job(env, edition.title, edition.subtitle, edition.terms, edition.glossary_version,
                                 edition.script, settings)) if apart else None

    def back_matter() -> PdfJob:
        return made(PdfJob(BACK, env.get_template("back.html.j2").render(
            edition=edition, glossary=shared_views.glossary_order(edition.terms), colophon=colophon), "", base_url,
            allowed, ("colophon",) if apart else ("glossary", "colophon")))

    back = None if apart else back_matter()  # with the glossary: first; the colophon alone (a page or two): last
    article = env.get_template("article.html.j2")
    views: dict[int, ArticleView] = {}
    jobs: dict[int, PdfJob] = {}
    for index in sorted(range(len(edition.articles)), key=lambda i: -_length(edition.articles[i])):
        bilingual = edition.articles[index]
        view = views[index] = article_view(bilingual, edition, head)
        jobs[index] = made(PdfJob(f"{view.slug}.pdf", article.render(
            edition=edition, a=view, colophon=colophon_view(edition, fonts, bilingual)), "", base_url, allowed,
            (view.anchor, OFFPRINT_BACK, *(s.anchor for s in view.sections))))
    back = back or back_matter()
    in_order = tuple(views[index] for index in range(len(edition.articles)))
    parts = (*(jobs[index] for index in range(len(edition.articles))), *((glossary,) if glossary else ()), back)
    front = env.get_template("front.html.j2")

    def front_html(pages: dict) -> str:
        return front.render(edition=edition, articles=in_order, colophon=colophon, pages=pages)

    digests[BOOK] = _digest(common, front_html(defaultdict(int)), env.get_template("folios.html.j2").render(count=0),
                            *(digests[job.name] for job in parts))
    chars = edition_chars(edition_texts(edition, in_order, colophon))
    return PdfPlan(parts, digests, fonts, chars, front_html, in_order)


def _length(bilingual) -> int:
    """About how much an article prints (its Chinese and English), to make the longest parts first."""
    return sum(len(b.block.text) + sum(len(s.en) for s in b.segments) for b in bilingual.blocks)


def known_chars(edition: Edition, fonts: FontChoice, env=None) -> str:
    """The characters the parts print as far as they are known before the articles' views are made: every string
    of the edition (its articles, glossary and facts), the colophon, the text of the templates (``env``'s HTML
    ones), :data:`BASE_CHARS`.

    The fonts are cut from these at once, so that a part can be set as soon as its HTML is made; the views
    seldom add a character (:func:`_submit` checks, and cuts them again).
    """
    strings: list[str] = []
    _strings(edition, strings, 0)
    if env is not None:
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html.j2")):
            strings.append(env.loader.get_source(env, name)[0])
    return edition_chars([*strings, *edition_texts(edition, (), colophon_view(edition, fonts))])


def _strings(value, into: list[str], depth: int) -> None:
    """Every string held in ``value`` (frozen dataclasses, tuples, lists, dicts), bounded in depth."""
    if isinstance(value, str):
        into.append(value)
    elif depth > 32:
        return
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _strings(item, into, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(key, into, depth + 1)
            _strings(item, into, depth + 1)
    elif is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            _strings(getattr(value, item.name), into, depth + 1)


def _load_hashes(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _cached_part(parts_dir: Path, name: str) -> PdfResult | None:
    try:
        facts = json.loads((parts_dir / f"{name}.json").read_text(encoding="utf-8"))
        return PdfResult.cached((parts_dir / name).read_bytes(), facts)
    except (OSError, ValueError, KeyError):
        return None


def _front(plan: PdfPlan, parts: "dict[str, PdfResult | LaidOut]", css: str, job: PdfJob, setter: "_Setter",
           guess: int = 2, meanwhile: Callable[[], None] = lambda: None) -> tuple[PdfResult, dict]:
    """Set the cover and contents with the book page of every entry; return them and the page starts.

    ``guess``: how many pages the front matter takes (the last build's count); set again when wrong.
    ``meanwhile``: called once the contents is queued, before waiting for it.
    """
    for view in plan.articles:
        if OFFPRINT_BACK not in parts[f"{view.slug}.pdf"].anchors:
            raise RenderError(f'{view.slug}.pdf has no element id="{OFFPRINT_BACK}": templates/pdf/article.html.j2 '
                              "must end with the offprint's own page (see the built-in template)")
    front_pages = guess
    for _attempt in range(3):
        starts = _starts(plan, parts, front_pages)
        future = setter.get(replace(job, html=plan.front(_page_numbers(plan, parts, starts)), css=css))
        if _attempt == 0:
            meanwhile()
        front = future.result()
        if front.pages == front_pages:
            return front, starts
        front_pages = front.pages
    raise RenderError(f"the contents do not settle on a length ({front_pages} pages); shorten the titles")


def _page_numbers(plan: PdfPlan, parts: dict, starts: dict[str, int]) -> dict[str, int]:
    """The book page (1-based) of every entry of the contents, by anchor."""
    numbers = {}
    for view in plan.articles:
        part = parts[f"{view.slug}.pdf"]
        for anchor in (view.anchor, *(s.anchor for s in view.sections)):
            numbers[anchor] = starts[view.slug] + part.anchors[anchor][0] + 1
    for name in plan.back:
        for anchor in ("glossary", "colophon"):
            if anchor in parts[name].anchors:
                numbers[anchor] = starts[name] + parts[name].anchors[anchor][0] + 1
    return numbers


def _starts(plan: PdfPlan, parts: "dict[str, PdfResult | LaidOut]", front_pages: int) -> dict[str, int]:
    """The 0-based book page each article and each part of the back matter start on, after ``front_pages``."""
    starts, page = {}, front_pages
    for view in plan.articles:
        starts[view.slug] = page
        page += parts[f"{view.slug}.pdf"].anchors[OFFPRINT_BACK][0]
    for name in plan.back:
        starts[name] = page
        page += parts[name].pages
    return starts


class _Setter:
    """Sets documents in the workers (or here), reusing a cached one whose content hash is unchanged.

    ``digests`` collects the hash of every document it was asked for, for ``.hashes.json``;
    ``submitted`` the documents it set (the last one of each name), to be cached.
    """

    def __init__(self, parts_dir: Path, old: dict, workers: Workers | None):
        self.parts_dir = parts_dir
        self.old = old
        self.workers = workers
        self.digests: dict[str, str] = {}
        self.submitted: dict[str, Future] = {}
        self._ahead: dict[str, tuple[PdfJob, Future]] = {}

    def ahead(self, job: PdfJob) -> None:
        """Queue ``job`` now, on a guess that :meth:`get` will ask for exactly it (the last build's page numbers)."""
        if self.workers is not None:
            self._ahead[job.name] = (job, self.workers.submit(job))

    def get(self, job: PdfJob, *, digest: str | None = None, enough=lambda cached: True) -> "Future[PdfResult]":
        """The set ``job``: from the cache when its hash matches and ``enough(cached)``, else set now.

        ``digest``: what the document depends on, when not exactly its HTML and CSS.
        """
        digest = digest or _digest(job.css, job.html, RENDERER_VERSION, weasyprint_version())
        self.digests[job.name] = digest
        self.submitted.pop(job.name, None)
        if self.old.get(job.name) == digest:
            cached = _cached_part(self.parts_dir, job.name)
            if cached is not None and enough(cached):
                return _done(cached)
        guessed, future = self._ahead.pop(job.name, (None, None))
        if guessed != job:  # no guess, or a wrong one (its result is dropped)
            future = self.workers.submit(job) if self.workers is not None else _done(render_document(job))
        self.submitted[job.name] = future
        return future

    def fresh(self) -> dict[str, PdfResult]:
        """The documents set (not taken from the cache), by name."""
        return {name: future.result() for name, future in self.submitted.items()}


def _done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def _queued(pool: Workers, make: Callable[[], PdfJob]) -> "tuple[Future[PdfResult], Future[LaidOut]]":
    """:func:`~translate.render.pdf.workers.announced` for ``make()``, run on a thread (a part whose faces are cut
    for it: HarfBuzz lets go of the GIL while the plan goes on here): the set part, and its layout."""
    result: Future = Future()
    laid: Future = Future()

    def run() -> None:
        try:
            inner = announced(pool, make())
        except BaseException as exc:
            result.set_exception(exc)
            laid.set_exception(exc)
            return
        forward(inner[0], result)
        forward(inner[1], laid)

    threading.Thread(target=run, name="bitext-pdf-part", daemon=True).start()
    return result, laid


def _book(plan: PdfPlan, parts: dict[str, PdfResult], front: PdfResult, starts: dict, folios: bytes,
          edition: Edition, ahead: dict | None = None) -> bytes:
    """Front, articles (without their offprint page), back matter (glossary, colophon): numbered, outlined, linked.

    ``ahead``: parts (by name) and the folios (:data:`FOLIOS`) already opened (:func:`~translate.render.pdf.assembly.opened`).
    """
    from translate.render.pdf.assembly import Bookmark, Section, assemble

    ahead = ahead or {}

    sections = [Section(front.pdf, 0, front.pages)]
    bookmarks = [Bookmark(level, label, page, top) for level, label, page, top in front.bookmarks]
    targets = {}
    for view in plan.articles:
        part = parts[f"{view.slug}.pdf"]
        keep = part.anchors[OFFPRINT_BACK][0]
        sections.append(Section(ahead.get(f"{view.slug}.pdf", part.pdf), 0, keep))
        bookmarks += [Bookmark(level, label, starts[view.slug] + page, top)
                      for level, label, page, top in part.bookmarks if page < keep]
        targets.update({a: (starts[view.slug] + p, top) for a, (p, top) in part.anchors.items()})
    for name in plan.back:
        back = parts[name]
        sections.append(Section(ahead.get(name, back.pdf), 0, back.pages))
        bookmarks += [Bookmark(level, label, starts[name] + page, top) for level, label, page, top in back.bookmarks]
        targets.update({a: (starts[name] + p, top) for a, (p, top) in back.anchors.items()})
    metadata = {"/Title": edition.title, "/Creator": "bitext",
                "/CreationDate": f"D:{edition.build_date.replace('-', '')}000000Z",
                "/Subject": edition.subtitle or "A bilingual Chinese–English edition",
                "/Keywords": ", ".join(edition_keywords(edition, edition.articles))}
    if edition.translators:
        metadata["/Author"] = ", ".join(edition.translators)
    return assemble(sections, ahead.get(FOLIOS, folios), unnumbered=(0,), bookmarks=bookmarks, targets=targets, metadata=metadata,
                    language="en")


def open_workers(settings: Settings):
    """The PDF builder's workers (a context manager; its value is None for ``layout.jobs`` = 1), started before a build translates.

    Inside :func:`keep_workers` the workers of the last build are used again, already started.
    """
    if _kept.depth and settings.jobs > 1:
        return _kept.lend(settings.jobs + KEPT_EXTRA)
    return start_workers(settings.jobs) or nullcontext()


#: Workers a process that keeps them (:func:`keep_workers`) starts beyond ``layout.jobs``. An edit sets again
#: the articles that changed and the back matter (the glossary): often one part more than the workers, and the
#: last part then waited for a worker while the other core idled after its part. With one worker more the parts
#: are set side by side and share the cores (glossary edit, 2 cores: three parts of ~2.4 s CPU ~4.6 -> ~3.6 s).
KEPT_EXTRA = 1


class _KeptWorkers:
    """The PDF workers a process keeps started between its builds while :func:`keep_workers` is entered."""

    def __init__(self):
        self.depth = 0
        self.workers: Workers | None = None
        self._lock = threading.RLock()

    @contextmanager
    def lend(self, count: int):
        """The kept workers for one build (started now when there are none of that count); dropped if the build fails."""
        with self._lock:
            if self.workers is not None and self.workers.count != count:
                self.workers.close()
                self.workers = None
            if self.workers is None:
                self.workers = Workers(count)
            workers = self.workers
        try:
            yield workers
        except BaseException:
            with self._lock:
                if self.workers is workers:
                    self.workers = None
            workers.close(cancel=True)  # they may be setting what the failed build asked for, or be broken
            raise

    def close(self) -> None:
        with self._lock:
            workers, self.workers = self.workers, None
        if workers is not None:
            workers.close()


_kept = _KeptWorkers()
atexit.register(_kept.close)


@contextmanager
def keep_workers():
    """Within this context, the builds of this process share their PDF workers, kept started between builds.

    For a process that builds again and again (a server rebuilding on every edit): a build
    then does not wait for new workers to start and import WeasyPrint (about a second of CPU
    each), and each worker keeps the stylesheet and fonts it loaded. It keeps :data:`KEPT_EXTRA`
    worker more than ``layout.jobs``, so that an edit's parts are set side by side. On leaving the outermost
    context (or at exit) the workers are stopped. A failed build stops them too; the next starts new ones.
    """
    _kept.depth += 1
    try:
        yield
    finally:
        _kept.depth -= 1
        if not _kept.depth:
            _kept.close()


def start(edition: Edition, settings: Settings, *, workers: Workers | None = None,
          prepared: "Future[Prepared | None] | None" = None) -> "PdfBuild":
    """The PDF builder: the parts go to the workers now; ``finish()`` writes the PDFs (see :mod:`translate.render.builders`).

    ``prepared``: what :func:`prepare` began before the edition was translated.
    """
    return start_pdf(edition, settings, workers=workers, prepared=prepared)


def render_pdf(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list,
               workers: Workers | None = None) -> list[Path]:
    """Write ``build/pdf/edition.pdf`` and ``build/pdf/<slug>.pdf``; return every PDF path.

    Each article and the back matter are set once, in parallel; the book is put
    together from those pages and the front matter, set last with the real page
    numbers. Parts whose inputs are unchanged since the last build are not set again.
    ``workers``: started by the caller (a build starts them before it translates);
    otherwise ``layout.jobs`` workers are started here, and stopped at once if nothing must be set.
    """
    return start_pdf(edition, settings, lookup=lookup, workers=workers).finish()


def start_pdf(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list,
              workers: Workers | None = None, prepared: "Future[Prepared | None] | None" = None) -> "PdfBuild":
    """Plan the PDFs and hand the parts to be set to the workers; :meth:`PdfBuild.finish` writes them.

    Between the two the caller is free (a build writes the HTML and the EPUB meanwhile).
    """
    # Workers start now, unless the caller brought its own: forking them from the template process (started,
    # and WeasyPrint imported there, once a process) overlaps with planning and cutting the fonts; unused, they
    # are stopped at once.
    own = start_workers(settings.jobs) if workers is None else None
    try:
        return _submit(edition, settings, lookup, workers, own, prepared)
    except BaseException:
        if own is not None:
            own.close(cancel=True)
        raise


def _submit(edition: Edition, settings: Settings, lookup: FontLookup, workers: Workers | None,
            own: Workers | None, prepared: "Future[Prepared | None] | None" = None) -> "PdfBuild":
    """:func:`start_pdf` with its workers: ``own`` when it started them itself (closed here when not needed).

    Each part goes to the workers as soon as the plan has made it, set with fonts cut from the characters
    known before the views are made (:func:`known_chars`), unless it prints one they lack: that part waits for
    the plan, and is set with fonts cut again for every character the views print (:class:`_Fonts`). The folios
    go right behind the first part (while the plan makes the next: the other worker would wait for it), for as
    many pages as the edition can take (:func:`_pages_at_most`); the provisional contents (its length) as soon
    as the plan is made, ahead of the last parts made (the shortest).
    """
    from jinja2 import TemplateError

    out_dir = Path(settings.build_dir) / "pdf"
    parts_dir = out_dir / PARTS
    old = _load_hashes(out_dir / HASHES)
    lookup = cache(lookup)  # the fonts are chosen here (to cut them) and by the plan: fc-list once
    env = _template_env(settings)
    choice = choose_fonts(settings.cjk_font, settings.latin_font, lookup)
    fonts = _Fonts(edition, choice, out_dir / FONTS, env, settings)
    pool = workers or own
    setter = _Setter(parts_dir, old, pool)
    tail = _Tail(env, settings, choice, out_dir / FONTS, setter)
    parts: dict[str, PdfResult] = {}
    todo: list[PdfJob] = []
    futures: dict[str, tuple[Future, Future]] = {}
    """Each part sent to the workers: its result, and its layout (known before its PDF is written)."""
    held: list[PdfJob] = []
    # The parts made from here on are held (the back matter is one part or two: glossary_apart).
    last = len(edition.articles) + 1 + glossary_apart(env) - (pool.count if pool is not None else 0)
    ahead = prepared.result() if prepared is not None else None  # (queued while the edition was translated)

    def ready(job: PdfJob, digest: str) -> None:
        tail.like = tail.like or job
        cached = _cached_part(parts_dir, job.name) if old.get(job.name) == digest else None
        if cached is not None and (job.name in BACK_MATTER or (out_dir / job.name).exists()):
            parts[job.name] = cached
            return
        if job.name == GLOSSARY:  # set with faces of its own
            if ahead is not None and ahead.digest == digest:
                futures[job.name] = (ahead.result, ahead.laid)
            elif pool is not None:  # its faces are cut on a thread while the plan goes on
                futures[job.name] = _queued(pool, lambda: replace(job, css=glossary_css(env, settings, choice, job)))
            else:
                job = replace(job, css=glossary_css(env, settings, choice, job))
            todo.append(job)
            return
        todo.append(job)
        if pool is None:
            return
        if (len(parts) + len(todo) > last and tail.counts_front()) or not fonts.covers(job.html):
            held.append(job)  # queued once the plan is made (behind the provisional contents)
            return
        submit(job, fonts.css())

    def submit(job: PdfJob, css: str) -> None:
        futures[job.name] = announced(pool, replace(job, css=css))
        if not tail.folios_queued:  # the folios right behind the first part
            tail.early_folios(_pages_at_most(edition, settings))

    if pool is not None:  # the first cut on a thread (HarfBuzz lets go of the GIL) while the first views are made
        threading.Thread(target=fonts.css, name="bitext-pdf-fonts", daemon=True).start()
    try:
        plan = plan_pdfs(edition, settings, lookup=lookup, ready=ready)
    except TemplateError as exc:
        raise RenderError(f"PDF template error: {excerpt(str(exc), 400)}; fix the template (or delete it to use the default)",
                          path=getattr(exc, "filename", None) or getattr(exc, "name", None),
                          line=getattr(exc, "lineno", None)) from exc
    names = [BOOK] + [j.name for j in plan.parts if j.name not in BACK_MATTER]
    paths = [out_dir / name for name in names]
    if not todo and old.get(BOOK) == plan.digests[BOOK] and (out_dir / BOOK).exists():
        if own is not None:
            own.close()
        return PdfBuild(paths)

    css = fonts.planned(plan.chars)
    if own is not None and not todo:  # only the front matter: set here, no worker needed
        own.close()
        own = pool = setter.workers = None
    tail.planned(plan, css)
    if pool is not None:
        tail.start_front()
        for job in held:
            submit(job, fonts.css_for(job.html))
        tail.guess_front()
    # Without workers the parts are set here, largest first (the workers have them in the order they were made).
    if pool is None:
        todo = sorted((job if job.css else replace(job, css=fonts.css_for(job.html)) for job in todo),
                      key=lambda j: len(j.html), reverse=True)
    return PdfBuild(paths, plan=plan, settings=settings, parts=parts, todo=todo, futures=futures,
                    css=css, old=old, workers=pool, own=own, edition=edition, tail=tail)


class _Fonts:
    """The CJK faces cut for the edition's parts (:func:`~translate.render.fonts.subset_font`) and the stylesheets
    naming them.

    Cut when first wanted, from the characters known before the views are made (:func:`known_chars`), so that a
    part can be set before the plan is made. Should the views print a character those lack, the faces are cut
    again for every character (in :data:`_MORE_FONTS`, beside the first cut): a part that prints one is set with
    those; the others, and so their bytes, do not depend on it.
    """

    def __init__(self, edition: Edition, choice: FontChoice, folder: Path, env, settings: Settings):
        self.edition, self.choice, self.folder, self.env, self.settings = edition, choice, folder, env, settings
        self.chars = ""
        self._css: str | None = None
        self._cutting = threading.Lock()
        """The first cut is made on a thread of its own while the plan makes the first views (:func:`_submit`)."""
        self._more: tuple[set, str] = (set(), "")
        """The characters the first cut lacks, and the stylesheet with the faces cut again for them."""

    def css(self) -> str:
        """The print stylesheet with the faces cut for the known characters (cut now, the first time)."""
        with self._cutting:
            if self._css is None:
                chars = known_chars(self.edition, self.choice, self.env)
                self._css = print_css(self.env, self.settings, self.choice, _cut(self.choice, chars, self.folder))
                self.chars = chars
        return self._css

    def covers(self, text: str) -> bool:
        """Whether the first cut has every character of ``text`` that a cut may have."""
        self.css()
        return set(edition_chars([text])) <= set(self.chars)

    def planned(self, chars: str) -> str:
        """Every character the parts print is ``chars`` (the plan's): the stylesheet with faces that have them all."""
        self.css()
        more = set(chars) - set(self.chars)
        if not more:
            return self._css
        log.info("the fonts are cut again for %d characters the views print", len(more))
        urls = _cut(self.choice, edition_chars([self.chars, chars]), self.folder / _MORE_FONTS)
        self._more = (more, print_css(self.env, self.settings, self.choice, urls))
        return self._more[1]

    def css_for(self, html: str) -> str:
        """The stylesheet to set a part's ``html`` with (once :meth:`planned`)."""
        more, css = self._more
        return css if more and not more.isdisjoint(html) else self.css()


def _cut(choice: FontChoice, chars: str, folder: Path) -> tuple[str, str]:
    """The regular and bold CJK faces cut for ``chars`` in ``folder``, as URLs."""
    regular = subset_font(choice.cjk_regular, chars, folder)
    bold = subset_font(choice.cjk_bold, chars, folder) if choice.cjk_bold != choice.cjk_regular else regular
    return regular.resolve().as_uri(), bold.resolve().as_uri()


#: The page numbers a provisional contents shows (two digits, as most editions' pages have).
_PROVISIONAL_PAGE = 88
#: Where the faces the folios are set with are cut (the folios print only what their stylesheet does), the
#: faces cut again when the views print a character not known before (:class:`_Fonts`), beside the first cut, and
#: the glossary's (:func:`glossary_css`).
_FOLIO_FONTS, _MORE_FONTS, _GLOSSARY_FONTS = "folios", "more", "glossary"
#: A generous lower bound on what an A4 page holds: characters of an article (Chinese and English together; the
#: edition's pages hold 2,000 to 2,400) and entries of the glossary (26); a block takes a thirtieth of a page more.
#: The folios queued before the plan is made are for at least as many pages as the book can have (the edition's
#: 89 pages and 2 of front matter: 159 folios, ~3 ms of CPU each, set while the other worker waits for the plan's
#: first article).
_CHARS_PER_PAGE, _TERMS_PER_PAGE, _BLOCKS_PER_PAGE = 1_800, 16, 30
#: The front matter's pages, counted generously, when the folios are queued before its length is known.
_FRONT_PAGES_AT_MOST = 8
#: Folios set once the parts are done (the cache's or the early ones were too few, or jobs=1) are for the pages the
#: book and its offprints take and an eighth more (and 4), so that an edit that adds a few pages reuses them.
_FOLIO_SLACK = 8


def _pages_at_most(edition: Edition, settings: Settings) -> int:
    """As many pages as the parts can take, counted generously from the edition (not from its parts, nor from those
    already set: the count, and the folios' bytes, must not depend on which finished first)."""
    scale = (running_head_width(settings.page_size) / running_head_width("A4")) ** 2  # A5 holds half of A4
    articles = sum(_length(a) / _CHARS_PER_PAGE + len(a.blocks) / _BLOCKS_PER_PAGE + 2 for a in edition.articles)
    back = len(edition.terms) / _TERMS_PER_PAGE + 2
    return int((articles + back) / scale)


class _Tail:
    """What is set besides the parts: the front matter (the contents needs every part's pages) and the folios.

    In a cold build both would wait for the last part. :meth:`early_folios` queues the folios behind the first
    part, for more pages than the book can have (folio *k* is the same whatever the count); :meth:`start_front`
    queues, once the plan is made, the front matter with provisional page numbers, laid out only (its length is
    all that is wanted of it): only the real contents is set once the parts are done. The folios are set with
    faces cut from what their stylesheet prints (digits, :data:`BASE_CHARS`), not from the edition's
    characters: they are the same whatever the edition prints.
    """

    def __init__(self, env, settings: Settings, choice: FontChoice, folder: Path, setter: "_Setter"):
        self.env, self.settings, self.choice, self.setter = env, settings, choice, setter
        self.folder = folder / _FOLIO_FONTS
        self.parts_dir = setter.parts_dir
        self.plan: PdfPlan | None = None
        self.css = ""
        self.like: PdfJob | None = None
        """A part (where documents are set from, and may load files from)."""
        self._cached_front = _cached_pages(self.parts_dir, FRONT)
        """Pages of the last build's front matter (0 for none)."""
        self._folio_css: str | None = None
        self._template = env.get_template("folios.html.j2")
        self._provisional: Future | None = None
        """The provisional front matter's page count."""
        self._folios: tuple[int, Future] | None = None
        self.folios_queued = False
        """Whether :meth:`early_folios` was called (once a build)."""

    def planned(self, plan: PdfPlan, css: str) -> None:
        """The plan is made: the parts' stylesheet is ``css``."""
        self.plan, self.css = plan, css
        self.like = self.like or plan.parts[-1]

    @property
    def folio_css(self) -> str:
        """The stylesheet the folios are set with, its faces cut for what it prints (cut the first time)."""
        if self._folio_css is None:
            bare = print_css(self.env, self.settings, self.choice, ("", ""), folios=True)
            urls = _cut(self.choice, edition_chars([bare]), self.folder)
            self._folio_css = print_css(self.env, self.settings, self.choice, urls, folios=True)
        return self._folio_css

    def front_job(self) -> PdfJob:
        return replace(self.plan.parts[-1], name=FRONT, anchors=(), css=self.css)

    def counts_front(self) -> bool:
        """Whether :meth:`start_front` will queue a provisional front matter (the last build left none)."""
        return not self._cached_front

    def start_front(self) -> None:
        """Queue the provisional front matter, laid out for its length, when the last build left none."""
        if not self._cached_front:
            numbers = defaultdict(lambda: _PROVISIONAL_PAGE)
            self._provisional = self.setter.workers.call(count_pages, replace(self.front_job(), html=self.plan.front(numbers)))

    def early_folios(self, pages: int) -> None:
        """Queue the folios for the parts' ``pages`` and the front matter (as the last build left it, or at most),
        unless the cache has some (enough unless the book grew: then set when the count is known)."""
        self.folios_queued = True
        if not _cached_pages(self.parts_dir, FOLIOS):
            self.folios(pages + (self._cached_front or _FRONT_PAGES_AT_MOST), slack=False)

    def guess_front(self) -> None:
        """Queue, behind the parts (it is wanted last), the contents as it will be if no part changes length (an
        edit seldom moves a page break); nothing when the last build left no front matter.

        The page numbers are those of the last build's parts (kept beside them until this build
        writes its own); the contents is otherwise set only once the changed parts are done. When
        a part moved, :meth:`_Setter.get` sets the right contents then and this guess is dropped.
        """
        if not self._cached_front:
            return
        last = {}
        for job in self.plan.parts:
            try:
                last[job.name] = PdfResult.cached(b"", json.loads((self.parts_dir / f"{job.name}.json").read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                return
        try:
            numbers = _page_numbers(self.plan, last, _starts(self.plan, last, self._cached_front))
        except (KeyError, IndexError, TypeError):  # a part's anchors changed (a new section): no guess
            return
        job = replace(self.front_job(), html=self.plan.front(numbers))
        if self.setter.old.get(FRONT) != _digest(job.css, job.html, RENDERER_VERSION, weasyprint_version()):
            self.setter.ahead(job)  # (an unchanged contents is taken from the cache)

    def front_guess(self) -> int:
        """How many pages the front matter will take: the provisional layout's, or the last build's, or 2."""
        if self._provisional is not None:
            return self._provisional.result()
        return self._cached_front or 2

    def pages_needed(self, parts: "dict[str, PdfResult | LaidOut]", front_pages: int) -> int:
        """Folios the book and every offprint need."""
        starts = _starts(self.plan, parts, front_pages)
        return max(starts[BACK] + parts[BACK].pages, *(p.pages for p in parts.values()))

    def folios(self, count: int, *, slack: bool = True) -> "Future[PdfResult]":
        """The folios for at least ``count`` pages: those queued early when enough, a cached set, or set now (for
        :data:`_FOLIO_SLACK` more, unless not ``slack``)."""
        queued = self._folios
        if queued is not None and (queued[0] >= count or queued[1].result().pages >= count):
            return queued[1]
        job = replace(self.like, name=FOLIOS, anchors=(), css=self.folio_css, tagged=False,
                      html=self._template.render(count=count + (count // _FOLIO_SLACK + 4 if slack else 0)))
        # Folio k is the same whatever the count: a longer cached set will do.
        digest = _digest(self.folio_css, self._template.render(count=0), RENDERER_VERSION, weasyprint_version())
        future = self.setter.get(job, digest=digest, enough=lambda cached: cached.pages >= count)
        self._folios = (count, future)
        return future


class PdfBuild:
    """PDFs being set: :meth:`finish` waits for the parts, sets the front matter, assembles and writes."""

    def __init__(self, paths: list[Path], *, plan: PdfPlan | None = None, settings: Settings | None = None,
                 parts=None, todo=(), futures=(), css: str = "", old=None, workers: Workers | None = None,
                 own: Workers | None = None, edition: Edition | None = None, tail: "_Tail | None" = None):
        self.paths = paths
        self._plan, self._settings, self._edition = plan, settings, edition
        self._parts: dict[str, PdfResult] = dict(parts or {})
        self._todo, self._futures = list(todo), dict(futures or {})
        self._css, self._old = css, dict(old or {})
        self._workers, self._own, self._tail = workers, own, tail

    def finish(self) -> list[Path]:
        """Wait for the parts, set what else changed, write every PDF; return their paths."""
        if self._plan is None:  # nothing changed
            return self.paths
        try:
            return self._finish()
        finally:
            if self._own is not None:
                self._own.close()

    def _finish(self) -> list[Path]:
        from translate.render.pdf.assembly import number_pages, opened

        plan, settings, parts = self._plan, self._settings, self._parts
        out_dir = Path(settings.build_dir) / "pdf"
        parts_dir = out_dir / PARTS
        results: list[PdfResult] = []

        def collect() -> None:
            """The parts' PDFs (once: waited for as late as the contents allows)."""
            if results or not (self._futures or self._todo):
                return
            results.extend([f.result() for f, _ in self._futures.values()] if self._futures
                           else [render_document(j) for j in self._todo])
            for result in results:
                log.info("set %s: %d pages in %.1f s (%.1f s CPU)", result.name, result.pages, result.seconds, result.cpu)
                parts[result.name] = result

        # The contents needs only each part's pages and anchors: it is set as soon as the last part is laid out,
        # while that part's PDF is still being written.
        if self._futures:
            shape = {**parts, **{name: laid.result() for name, (_, laid) in self._futures.items()}}
        else:
            collect()
            shape = parts

        tail = self._tail
        setter = tail.setter
        guess = tail.front_guess()
        offprint_folios: list[PdfResult] = []
        offprint_futures: dict[str, Future | None] = {}

        ahead: dict = {}

        def number_offprints() -> None:
            """While the contents is set: the folios beside it (in the other worker), the parts the book is assembled
            from opened here meanwhile, then the offprints numbered in the workers while this process assembles."""
            folios = tail.folios(tail.pages_needed(shape, guess))  # enough for the book and every offprint
            collect()
            ahead.update({name: opened(part.pdf) for name, part in parts.items()})
            offprint_folios.append(folios.result())
            offprint_futures.update({r.name: (self._workers.call(number_pages, r.pdf, offprint_folios[0].pdf)
                                              if self._workers is not None else None)
                                     for r in results if r.name not in BACK_MATTER})
            ahead[FOLIOS] = opened(offprint_folios[0].pdf)

        front, starts = _front(plan, shape, self._css, tail.front_job(), setter, guess, number_offprints)
        collect()
        most = tail.pages_needed(shape, front.pages)
        folios = tail.folios(most).result()
        if offprint_folios and folios is not offprint_folios[0]:  # (the book grew past them)
            ahead.pop(FOLIOS, None)
        start = time.perf_counter()
        book = _book(plan, parts, front, starts, folios.pdf, self._edition, ahead)
        offprints = {name: future.result() if future is not None else number_pages(parts[name].pdf, offprint_folios[0].pdf)
                     for name, future in offprint_futures.items()}
        fresh = setter.fresh()
        log.info("front matter %d pages (%s), %d folios (%s); assembled in %.1f s", front.pages,
                 "set" if FRONT in fresh else "unchanged", folios.pages,
                 "set" if FOLIOS in fresh else "reused", time.perf_counter() - start)

        # Write last, all together.
        for result in [*results, *fresh.values()]:
            write_atomic(parts_dir / result.name, result.pdf)
            write_atomic(parts_dir / f"{result.name}.json", json.dumps(result.facts(), ensure_ascii=False) + "\n")
        for name, pdf in offprints.items():
            write_atomic(out_dir / name, pdf)
        write_atomic(out_dir / BOOK, book)
        digests = {**plan.digests, **setter.digests}
        for stale in set(self._old) - set(digests):  # an article that left the edition
            for path in (out_dir / stale, parts_dir / stale, parts_dir / f"{stale}.json"):
                path.unlink(missing_ok=True)
        write_atomic(out_dir / HASHES, json.dumps(digests, indent=2, sort_keys=True) + "\n")
        return self.paths


def _cached_pages(parts_dir: Path, name: str) -> int:
    try:
        return int(json.loads((parts_dir / f"{name}.json").read_text(encoding="utf-8"))["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0
