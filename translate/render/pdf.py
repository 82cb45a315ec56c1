"""The PDF edition: one bilingual book and one PDF per article, set by WeasyPrint.

Every page is laid out once. Each article is set alone, in parallel processes
(``layout.jobs``), together with the back matter (glossary and colophon); those
are the parts. The article's PDF ends with a page of its own (edition line and
colophon), which the offprint keeps and the book leaves out. The front matter
(cover and contents) is set last, when the book page of every entry is known.
:mod:`translate.render.book` then puts the book together with pypdf and stamps
the folios on: parts are set without page numbers, so an article's pages do not
depend on where it falls in the book. Offprints are numbered from 1.

Parts whose inputs did not change since the last build (same content hash in
``build/pdf/.hashes.json``) are taken from ``build/pdf/.parts/``; the book is
assembled again (well under a second) when any part changed. Files are written
atomically at the end.

The modules: :mod:`.pdfviews` (what the templates show), :mod:`.printcss` (the stylesheet),
:mod:`.urlguard` (what may be loaded), :mod:`.pdfjobs` (setting documents in workers), this
module (the plan, the part cache, the front matter) and :mod:`.book` (assembly).

Where the time went: WeasyPrint loaded and measured the 26 MB Noto Serif CJK
collection for every document, so the edition's characters are cut from the
CJK faces once (:mod:`translate.render.fonts`); the book laid out every article
a second time (~0.19 s CPU a page), so it is now assembled from the parts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from translate.errors import RenderError
from translate.models import Edition
from translate.outputs import write_atomic
from translate.render.fonts import FontChoice, FontLookup, choose_fonts, edition_chars, fc_list, subset_font
from translate.render.pdfjobs import PdfJob, PdfResult, render_document, run_jobs
from translate.render import views as shared_views
from translate.render.pdfviews import ArticleView, article_view, colophon_view, edition_keywords, edition_texts
from translate.render.printcss import print_css, running_head_width
from translate.render.urlguard import check_url
from translate.resources import default_templates
from translate.settings import Settings

__all__ = ["BOOK", "PdfJob", "check_url", "plan_pdfs", "print_css", "render_document", "render_pdf"]

log = logging.getLogger(__name__)

BOOK = "edition.pdf"
HASHES = ".hashes.json"
#: Parts of the book as set, without folios, with where their anchors fell (reused while unchanged).
PARTS = ".parts"
BACK = "back.pdf"
#: The id of the offprint's last page (edition line and colophon), which the book leaves out.
OFFPRINT_BACK = "offprint-back"
FONTS = ".fonts"
#: Bump when the renderer changes in a way the templates and inputs do not show.
RENDERER_VERSION = "2"

BUILTIN_TEMPLATES = default_templates() / "pdf"


# ---------------------------------------------------------------------------
# Templates


def _template_env(settings: Settings):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders = []
    own = Path(settings.templates_dir) / "pdf"
    if own.is_dir():
        loaders.append(FileSystemLoader(str(own)))
    loaders.append(FileSystemLoader(str(BUILTIN_TEMPLATES)))
    # HTML is escaped; the stylesheet is not HTML (its values are quoted with _css_string).
    # Sandboxed: a cloned edition's templates must not run code (no __globals__, no os).
    return ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=lambda name: (name or "").endswith(".html.j2"),
                       undefined=StrictUndefined,
                       keep_trailing_newline=True)


# ---------------------------------------------------------------------------
# The edition


@dataclass(frozen=True, slots=True)
class PdfPlan:
    """Every part of the edition, ready to set: jobs, content hashes, fonts, and what the front matter needs."""

    parts: tuple[PdfJob, ...]
    """One job per article (``<slug>.pdf``: its pages, then the offprint's colophon page) and the back matter."""
    digests: dict
    """Part name → content hash; ``edition.pdf`` → hash of everything the book is assembled from."""
    fonts: FontChoice
    chars: str
    front: Callable[[dict], str]
    """Book page numbers by anchor → the HTML of the cover and contents."""
    articles: tuple[ArticleView, ...]


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def plan_pdfs(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list) -> PdfPlan:
    """Build the HTML of every part; CSS names the fonts by their source files for now."""
    import weasyprint

    fonts = choose_fonts(settings.cjk_font, settings.latin_font, lookup)
    env = _template_env(settings)
    edition = shared_views.shown_edition(edition)
    head = running_head_width(settings.page_size)
    views = tuple(article_view(a, edition, head) for a in edition.articles)
    colophon = colophon_view(edition, fonts)
    glossary = shared_views.glossary_order(edition.terms)
    out_dir = Path(settings.build_dir) / "pdf"
    base_url = out_dir.resolve().as_uri() + "/"
    allowed = (Path(settings.root).resolve(), Path(settings.build_dir).resolve())
    parts = []
    for view, bilingual in zip(views, edition.articles):
        parts.append(PdfJob(f"{view.slug}.pdf", env.get_template("article.html.j2").render(
            edition=edition, a=view, colophon=colophon_view(edition, fonts, bilingual)), "", base_url, allowed,
            (view.anchor, OFFPRINT_BACK, *(s.anchor for s in view.sections))))
    parts.append(PdfJob(BACK, env.get_template("back.html.j2").render(
        edition=edition, glossary=glossary, colophon=colophon), "", base_url, allowed, ("glossary", "colophon")))
    front = env.get_template("front.html.j2")

    def front_html(pages: dict) -> str:
        return front.render(edition=edition, articles=views, colophon=colophon, pages=pages)

    # The hash names the source font files, not the subsets: a subset changes whenever
    # any article gains a character, but the glyphs an unchanged article uses do not.
    css_for_hash = print_css(env, settings, fonts, ("cjk-regular", "cjk-bold"))
    common = _digest(css_for_hash, fonts.identity(), weasyprint.__version__, RENDERER_VERSION)
    digests = {job.name: _digest(common, job.html) for job in parts}
    digests[BOOK] = _digest(common, front_html(defaultdict(int)), env.get_template("folios.html.j2").render(count=0),
                            *(digests[job.name] for job in parts))
    chars = edition_chars(edition_texts(edition, views, colophon))
    return PdfPlan(tuple(parts), digests, fonts, chars, front_html, views)


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


def _front(plan: PdfPlan, parts: dict[str, PdfResult], css: str, job: PdfJob) -> tuple[PdfResult, dict]:
    """Set the cover and contents with the book page of every entry; return them and the page starts."""
    for view in plan.articles:
        if OFFPRINT_BACK not in parts[f"{view.slug}.pdf"].anchors:
            raise RenderError(f'{view.slug}.pdf has no element id="{OFFPRINT_BACK}": templates/pdf/article.html.j2 '
                              "must end with the offprint's own page (see the built-in template)")
    front_pages = 2  # cover and one page of contents; set again if the contents run longer
    for _attempt in range(3):
        starts, page = {}, front_pages
        for view in plan.articles:
            starts[view.slug] = page
            page += parts[f"{view.slug}.pdf"].anchors[OFFPRINT_BACK][0]
        starts[BACK] = page
        numbers = {}
        for view in plan.articles:
            part = parts[f"{view.slug}.pdf"]
            for anchor in (view.anchor, *(s.anchor for s in view.sections)):
                numbers[anchor] = starts[view.slug] + part.anchors[anchor][0] + 1
        for anchor in ("glossary", "colophon"):
            numbers[anchor] = starts[BACK] + parts[BACK].anchors[anchor][0] + 1
        front = render_document(replace(job, html=plan.front(numbers), css=css))
        if front.pages == front_pages:
            return front, starts
        front_pages = front.pages
    raise RenderError(f"the contents do not settle on a length ({front_pages} pages); shorten the titles")


def _book(plan: PdfPlan, parts: dict[str, PdfResult], front: PdfResult, starts: dict, folios: bytes,
          edition: Edition) -> bytes:
    """Front, articles (without their offprint page), back: numbered, outlined, linked."""
    from translate.render.book import Bookmark, Link, Section, assemble

    sections = [Section(front.pdf, 0, front.pages)]
    bookmarks = [Bookmark(level, label, page, top) for level, label, page, top in front.bookmarks]
    targets = {}
    for view in plan.articles:
        part = parts[f"{view.slug}.pdf"]
        keep = part.anchors[OFFPRINT_BACK][0]
        sections.append(Section(part.pdf, 0, keep))
        bookmarks += [Bookmark(level, label, starts[view.slug] + page, top)
                      for level, label, page, top in part.bookmarks if page < keep]
        targets.update({a: (starts[view.slug] + p, top) for a, (p, top) in part.anchors.items()})
    back = parts[BACK]
    sections.append(Section(back.pdf, 0, back.pages))
    bookmarks += [Bookmark(level, label, starts[BACK] + page, top) for level, label, page, top in back.bookmarks]
    targets.update({a: (starts[BACK] + p, top) for a, (p, top) in back.anchors.items()})
    links = [Link(page, tuple(rect), *targets[anchor]) for page, anchor, rect in front.links if anchor in targets]
    metadata = {"/Title": edition.title, "/Creator": "bitext",
                "/CreationDate": f"D:{edition.build_date.replace('-', '')}000000Z",
                "/Subject": edition.subtitle or "A bilingual Chinese–English edition",
                "/Keywords": ", ".join(edition_keywords(edition, edition.articles))}
    if edition.translators:
        metadata["/Author"] = ", ".join(edition.translators)
    return assemble(sections, folios, unnumbered=(0,), bookmarks=bookmarks, links=links, metadata=metadata,
                    language="en")


def render_pdf(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list) -> list[Path]:
    """Write ``build/pdf/edition.pdf`` and ``build/pdf/<slug>.pdf``; return every PDF path.

    Each article and the back matter are set once, in parallel; the book is put
    together from those pages and the front matter, set last with the real page
    numbers. Parts whose inputs are unchanged since the last build are not set again.
    """
    from translate.render.book import number_pages

    out_dir = Path(settings.build_dir) / "pdf"
    parts_dir = out_dir / PARTS
    from jinja2 import TemplateError

    try:
        plan = plan_pdfs(edition, settings, lookup=lookup)
    except TemplateError as exc:
        raise RenderError(f"PDF template error: {exc}; fix the template (or delete it to use the default)",
                          path=getattr(exc, "filename", None) or getattr(exc, "name", None),
                          line=getattr(exc, "lineno", None)) from exc
    names = [BOOK] + [j.name for j in plan.parts if j.name != BACK]
    paths = [out_dir / name for name in names]
    old = _load_hashes(out_dir / HASHES)
    parts: dict[str, PdfResult] = {}
    todo = []
    for job in plan.parts:
        cached = _cached_part(parts_dir, job.name) if old.get(job.name) == plan.digests[job.name] else None
        if cached is None or (job.name != BACK and not (out_dir / job.name).exists()):
            todo.append(job)
        else:
            parts[job.name] = cached
    if not todo and old.get(BOOK) == plan.digests[BOOK] and (out_dir / BOOK).exists():
        return paths

    font_dir = out_dir / FONTS
    regular = subset_font(plan.fonts.cjk_regular, plan.chars, font_dir)
    bold = subset_font(plan.fonts.cjk_bold, plan.chars, font_dir) if plan.fonts.cjk_bold != plan.fonts.cjk_regular else regular
    env = _template_env(settings)
    urls = (regular.resolve().as_uri(), bold.resolve().as_uri())
    css = print_css(env, settings, plan.fonts, urls)
    results = run_jobs([replace(job, css=css) for job in todo], max(1, settings.jobs))
    for result in results:
        log.info("set %s: %d pages in %.1f s (%.1f s CPU)", result.name, result.pages, result.seconds, result.cpu)
        parts[result.name] = result

    base = plan.parts[-1]
    front, starts = _front(plan, parts, css, replace(base, name="front", anchors=()))
    total = starts[BACK] + parts[BACK].pages
    most = max(total, *(p.pages for p in parts.values()))
    folios = render_document(replace(base, name="folios", anchors=(), html=env.get_template(
        "folios.html.j2").render(count=most), css=print_css(env, settings, plan.fonts, urls, folios=True)))
    start = time.perf_counter()
    book = _book(plan, parts, front, starts, folios.pdf, edition)
    offprints = {r.name: number_pages(r.pdf, folios.pdf) for r in results if r.name != BACK}
    log.info("set the front matter (%d pages, %.1f s) and %d folios (%.1f s); assembled in %.1f s",
             front.pages, front.seconds, folios.pages, folios.seconds, time.perf_counter() - start)

    # Write last, all together.
    for result in results:
        write_atomic(parts_dir / result.name, result.pdf)
        write_atomic(parts_dir / f"{result.name}.json", json.dumps(result.facts(), ensure_ascii=False) + "\n")
    for name, pdf in offprints.items():
        write_atomic(out_dir / name, pdf)
    write_atomic(out_dir / BOOK, book)
    current = {j.name for j in plan.parts} | {BOOK}
    for stale in set(old) - current:  # an article that left the edition
        for path in (out_dir / stale, parts_dir / stale, parts_dir / f"{stale}.json"):
            path.unlink(missing_ok=True)
    write_atomic(out_dir / HASHES, json.dumps(plan.digests, indent=2, sort_keys=True) + "\n")
    return paths
