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

Where the time went: WeasyPrint loaded and measured the 26 MB Noto Serif CJK
collection for every document, so the edition's characters are cut from the
CJK faces once (:mod:`translate.render.fonts`); the book laid out every article
a second time (~0.19 s CPU a page), so it is now assembled from the parts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from translate.dictionary import ATTRIBUTION as CEDICT_ATTRIBUTION
from translate.errors import BitextError, BlockedURLError, RenderError
from translate.models import BilingualArticle, Edition
from translate.outputs import write_atomic
from translate.render.book import PT_PER_PX
from translate.render.fonts import FontChoice, FontLookup, choose_fonts, edition_chars, fc_list, subset_font
from translate.render.inline import plain_text, render_inline
from translate.resources import default_templates
from translate.script import to_traditional
from translate.settings import Settings

log = logging.getLogger(__name__)

BOOK = "edition.pdf"
HASHES = ".hashes.json"
#: Parts of the book as set, without folios, with where their anchors fell (reused while unchanged).
PARTS = ".parts"
BACK = "back.pdf"
#: The id of the offprint's last page (edition line and colophon), which the book leaves out.
OFFPRINT_BACK = "offprint-back"
FONTS = ".fonts"
CJK_FAMILY = "bitext CJK"
#: Bump when the renderer changes in a way the templates and inputs do not show.
RENDERER_VERSION = "2"

BUILTIN_TEMPLATES = default_templates() / "pdf"

FONT_LICENCE = "Noto fonts (Noto Serif CJK, Noto Serif): SIL Open Font License 1.1; embedded as subsets."

#: Page geometry and type sizes per page size.
_GEOMETRY = {
    "A4": dict(margin_top="22mm", margin_bottom="20mm", margin_inner="18mm", margin_outer="18mm",
               cjk_size="10.5pt", latin_size="10pt", gutter_half="4mm", pair_gap="2.6mm"),
    "Letter": dict(margin_top="0.85in", margin_bottom="0.8in", margin_inner="0.75in", margin_outer="0.75in",
                   cjk_size="10.5pt", latin_size="10pt", gutter_half="4mm", pair_gap="2.6mm"),
    "A5": dict(margin_top="16mm", margin_bottom="15mm", margin_inner="13mm", margin_outer="13mm",
               cjk_size="9.5pt", latin_size="9pt", gutter_half="3mm", pair_gap="2mm"),
}


# ---------------------------------------------------------------------------
# Views: what the templates show, computed from the edition


@dataclass(frozen=True, slots=True)
class PairView:
    """One block as a Chinese | English row."""

    anchor: str
    kind: str
    zh: Markup
    en: Markup
    role: str | None = None
    level: int = 0
    speaker_zh: str = ""
    speaker_en: str = ""
    bookmark: str = ""


@dataclass(frozen=True, slots=True)
class SectionView:
    """A heading listed in the table of contents."""

    anchor: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article as the templates show it."""

    slug: str
    anchor: str
    lang: str
    title_zh: str
    title_en: str
    running_title: str
    bookmark: str
    byline: str
    pairs: tuple[PairView, ...]
    sections: tuple[SectionView, ...]


def _shown_script(edition_script: str, source_script: str) -> str:
    return source_script if edition_script == "source" else edition_script


def _zh(simplified: str, original: str, shown: str, source_script: str) -> str:
    """The Chinese as the edition shows it: the source's script, or converted."""
    if shown == source_script:
        return original
    if shown == "simplified":
        return simplified
    return to_traditional(simplified)


def article_view(bilingual: BilingualArticle, edition: Edition) -> ArticleView:
    """The template view of one article (Chinese in the edition's script)."""
    meta = bilingual.article.meta
    shown = _shown_script(edition.script, meta.script)
    lang = "zh-Hant" if shown == "traditional" else "zh-Hans"
    speakers_en = {t.zh: t.en for t in edition.terms}
    slug = bilingual.slug
    title_zh = plain_text(_zh(meta.title, meta.title_original, shown, meta.script))
    title_en = plain_text(bilingual.title_en)
    pairs, sections = [], []
    top_level = min((b.block.level for b in bilingual.blocks if b.block.kind == "heading"), default=0)
    for bb in bilingual.blocks:
        block = bb.block
        anchor = f"{slug}-{block.id}"
        zh_md = _zh(block.text, block.original, shown, meta.script)
        speaker_zh = speaker_en = ""
        if block.speaker:
            speaker_zh = block.speaker if shown != "traditional" else to_traditional(block.speaker)
            speaker_en = speakers_en.get(block.speaker, speaker_zh)
        bookmark = ""
        if block.kind == "heading":
            bookmark = f"{plain_text(zh_md)} · {plain_text(bb.en)}"
            if block.level == top_level:
                sections.append(SectionView(anchor, plain_text(zh_md), plain_text(bb.en)))
        pairs.append(PairView(
            anchor=anchor, kind=block.kind, zh=render_inline(zh_md), en=render_inline(bb.en), role=block.role,
            level=block.level, speaker_zh=speaker_zh, speaker_en=speaker_en, bookmark=bookmark,
        ))
    byline = " · ".join(filter(None, (
        meta.publication, meta.date,
        "作者 " + "、".join(meta.authors) if meta.authors else "",
        "编辑 " + "、".join(meta.editors) if meta.editors else "",
    )))
    return ArticleView(
        slug=slug, anchor=f"article-{slug}", lang=lang, title_zh=title_zh, title_en=title_en,
        running_title=f"{title_zh} · {title_en}", bookmark=f"{title_zh} · {title_en}", byline=byline,
        pairs=tuple(pairs), sections=tuple(sections),
    )


def _term_rate(edition: Edition) -> tuple[str, str]:
    summary = (edition.report or {}).get("edition") or {}
    occurrences = summary.get("term_occurrences")
    honoured = summary.get("terms_honoured")
    if occurrences is None:
        uses = [t for a in edition.articles for b in a.blocks for s in b.segments for t in s.terms]
        occurrences, honoured = len(uses), sum(t.honoured for t in uses)
    rate = summary.get("term_success_rate", honoured / occurrences if occurrences else 1.0)
    return f"{rate * 100:.1f} %", f"{honoured} of {occurrences} term occurrences honoured"


def _article_terms(article: BilingualArticle) -> tuple[str, str, str, int]:
    """An offprint's own figures: term rate, counts, and a fingerprint of the glossary entries it uses.

    They depend on this article alone, so editing a term another article uses
    leaves this offprint unchanged (and unrendered).
    """
    uses = [t for b in article.blocks for s in b.segments for t in s.terms]
    honoured = sum(t.honoured for t in uses)
    rate = honoured / len(uses) if uses else 1.0
    entries = sorted({(t.zh, t.en) for t in uses})
    fingerprint = hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()[:12]
    return f"{rate * 100:.1f} %", f"{honoured} of {len(uses)} term occurrences honoured", fingerprint, len(entries)


def colophon_view(edition: Edition, fonts: FontChoice | None, article: BilingualArticle | None = None) -> dict:
    """What the colophon states: engine, model, glossary, date, quality, licences (of one article for an offprint)."""
    import weasyprint

    if article is None:
        rate, counts = _term_rate(edition)
        glossary_version, term_count, scope = edition.glossary_version, len(edition.terms), "edition"
    else:
        rate, counts, glossary_version, term_count = _article_terms(article)
        scope = "article"
    script = {"source": "as each source was written", "simplified": "Simplified", "traditional": "Traditional"}
    font_names = "fonts not resolved"
    if fonts is not None:
        font_names = fonts.cjk_regular.family + (f" and {fonts.latin_family}" if fonts.latin_family else "")
    licences = [CEDICT_ATTRIBUTION, FONT_LICENCE]
    if not edition.is_gloss:
        licences.append(f"Translation model {edition.model}: used under the licence of its Argos Translate package.")
    return dict(
        is_gloss=edition.is_gloss, engine=edition.engine, model=edition.model,
        glossary_version=glossary_version, term_count=term_count, scope=scope,
        term_rate=rate, term_counts=counts, build_date=edition.build_date,
        script=script.get(edition.script, edition.script), weasyprint=weasyprint.__version__,
        fonts=font_names, licences=licences,
    )


# ---------------------------------------------------------------------------
# Templates and styles


def _template_env(settings: Settings):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = []
    own = Path(settings.templates_dir) / "pdf"
    if own.is_dir():
        loaders.append(FileSystemLoader(str(own)))
    loaders.append(FileSystemLoader(str(BUILTIN_TEMPLATES)))
    # HTML is escaped; the stylesheet is not HTML (its values are quoted with _css_string).
    return Environment(loader=ChoiceLoader(loaders), autoescape=lambda name: (name or "").endswith(".html.j2"),
                       undefined=StrictUndefined,
                       keep_trailing_newline=True)


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def print_css(env, settings: Settings, fonts: FontChoice, font_urls: tuple[str, str] | None, *,
              folios: bool = False) -> str:
    """The print stylesheet; ``font_urls`` are the regular and bold subset files (None: system fonts).

    Parts are set without folios; ``folios`` sets them, for the pages that are stamped on.
    """
    geometry = _GEOMETRY.get(settings.page_size, _GEOMETRY["A4"])
    if font_urls:
        faces = [dict(family=CJK_FAMILY, url=font_urls[0], weight="normal"),
                 dict(family=CJK_FAMILY, url=font_urls[1], weight="bold")]
        cjk = f'"{CJK_FAMILY}"'
    else:
        faces = []
        cjk = f'"{_css_string(fonts.cjk_regular.family)}"'
    latin = f'"{_css_string(fonts.latin_family)}", {cjk}, serif' if fonts.latin_family else f"{cjk}, serif"
    return env.get_template("print.css.j2").render(
        font_faces=faces, cjk_stack=f"{cjk}, serif", latin_stack=latin, page_size=settings.page_size,
        zh_width="44%", back_title="Appendix · 附录", folio="counter(page)" if folios else "none", **geometry,
    )


def _edition_texts(edition: Edition, views: Iterable[ArticleView], colophon: dict) -> Iterable[str]:
    yield edition.title
    yield edition.subtitle
    yield json.dumps(colophon, ensure_ascii=False)
    for t in edition.terms:
        yield from (t.zh, t.en, t.note, t.kind, *t.variants)
    for view in views:
        yield from (view.title_zh, view.title_en, view.byline)
        for pair in view.pairs:
            yield from (plain_text(str(pair.zh)), pair.zh, pair.en, pair.speaker_zh, pair.speaker_en)
    yield "图片未收录 Image not included 目录 术语表 版本说明 附录 中英对照 ・"


# ---------------------------------------------------------------------------
# Fetching: local files inside the project only


def _refuse(url: str, reason: str) -> BlockedURLError:
    return BlockedURLError(
        f"the PDF renderer refused to load {url!r} ({reason}); it loads only files inside the project and "
        "the build folder — images are printed as captioned placeholders"
    )


def check_url(url: str, allowed: Iterable[Path]) -> Path:
    """The local file ``url`` names, if it is a ``file:`` URL inside one of ``allowed``; else BlockedURLError."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise _refuse(url, "remote or non-file URL")
    path = Path(unquote(parts.path)).resolve()
    for root in allowed:
        if path.is_relative_to(Path(root).resolve()):
            return path
    raise _refuse(url, "file outside the project")


def _fetcher(allowed: tuple[Path, ...]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """WeasyPrint's fetcher, limited to local files inside the project."""

        def fetch(self, url, headers=None):
            path = check_url(url, allowed)
            return URLFetcherResponse(url, body=path.read_bytes())

    return ProjectFetcher(fail_on_errors=True)


# ---------------------------------------------------------------------------
# Rendering one document (in a worker process)


@dataclass(frozen=True, slots=True)
class PdfJob:
    """One PDF to set: its HTML and CSS and where it may load files from."""

    name: str
    html: str
    css: str
    base_url: str
    allowed: tuple[Path, ...]
    anchors: tuple[str, ...] = ()
    """Element ids whose page the result should report (articles, sections, parts of the back matter)."""


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A set PDF, not yet written, and where its anchors and bookmarks fell."""

    name: str
    pdf: bytes
    pages: int
    seconds: float
    """Wall time in the worker."""
    cpu: float = 0.0
    """CPU time in the worker (the honest figure on a busy machine)."""
    anchors: dict = field(default_factory=dict)
    """Requested anchor → [0-based page, points from the top]."""
    bookmarks: tuple = ()
    """(level, label, 0-based page, points from the top) in document order."""
    links: tuple = ()
    """Links to anchors outside this document: (page, anchor, [x1, y1, x2, y2] in points from the top left)."""

    def facts(self) -> dict:
        """Everything but the PDF, as JSON-ready data (kept beside a cached part)."""
        return dict(name=self.name, pages=self.pages, anchors=self.anchors,
                    bookmarks=[list(b) for b in self.bookmarks])

    @classmethod
    def cached(cls, pdf: bytes, facts: dict) -> "PdfResult":
        """A part set by an earlier build."""
        return cls(facts["name"], pdf, facts["pages"], 0.0, 0.0, facts["anchors"],
                   tuple(tuple(b) for b in facts["bookmarks"]))


def render_document(job: PdfJob, *, keep_document: bool = False):
    """Lay out and write one PDF; the WeasyPrint Document too when ``keep_document``.

    Links to anchors the document does not hold (the contents of the front matter)
    are taken out of the PDF and reported, to be linked when the book is assembled.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    start, cpu = time.perf_counter(), time.process_time()
    fetcher = _fetcher(job.allowed)
    font_config = FontConfiguration()
    try:
        css = CSS(string=job.css, base_url=job.base_url, url_fetcher=fetcher, font_config=font_config)
        document = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=font_config)
        anchors, bookmarks, links = _layout_facts(document, job.anchors)
        pdf = document.write_pdf()
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, BitextError):
            raise type(cause)(cause.message) from None
        raise RenderError(f"{job.name}: {exc} ({cause})") from None
    result = PdfResult(job.name, pdf, len(document.pages), time.perf_counter() - start, time.process_time() - cpu,
                       anchors, bookmarks, links)
    return (result, document) if keep_document else result


def _layout_facts(document, wanted: Iterable[str]):
    """Where the wanted anchors and the bookmarks fell (points); outside links removed from the pages."""
    wanted = set(wanted)
    anchors, bookmarks, links = {}, [], []
    every_anchor = {name for page in document.pages for name in page.anchors}
    for number, page in enumerate(document.pages):
        for name, (_, y, *_rest) in page.anchors.items():
            if name in wanted and name not in anchors:
                anchors[name] = [number, y * PT_PER_PX]
        for level, label, (_, y), _state in page.bookmarks:
            bookmarks.append((level, label, number, y * PT_PER_PX))
        kept = []
        for link in page.links:
            kind, target, rect, _box = link
            if kind == "internal" and target not in every_anchor:
                links.append((number, target, [v * PT_PER_PX for v in rect]))
            else:
                kept.append(link)
        page.links[:] = kept
    return anchors, tuple(bookmarks), tuple(links)


def _die_with_parent() -> None:
    """In a worker: be killed when the build process dies, even by SIGKILL (Linux), so none is left behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: workers then finish their current page and exit when the queue breaks
    if os.getppid() == 1:
        os._exit(1)  # the parent died before prctl took effect


def _run_jobs(jobs: list[PdfJob], workers: int) -> list[PdfResult]:
    # Largest first, so the long articles start at once and the short ones fill in.
    ordered = sorted(jobs, key=lambda j: len(j.html), reverse=True)
    if workers <= 1 or len(ordered) <= 1:
        return [render_document(job) for job in ordered]
    # spawn, not fork: a parent that has already used Pango/GLib must not be forked.
    with ProcessPoolExecutor(max_workers=min(workers, len(ordered)), mp_context=get_context("spawn"),
                             initializer=_die_with_parent) as pool:
        return list(pool.map(render_document, ordered))


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
    views = tuple(article_view(a, edition) for a in edition.articles)
    colophon = colophon_view(edition, fonts)
    glossary = sorted(edition.terms, key=lambda t: (t.kind, t.zh))
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
    chars = edition_chars(_edition_texts(edition, views, colophon))
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
    metadata = {"/Title": edition.title, "/Creator": "bitext", "/CreationDate": edition.build_date}
    return assemble(sections, folios, unnumbered=(0,), bookmarks=bookmarks, links=links, metadata=metadata)


def render_pdf(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list) -> list[Path]:
    """Write ``build/pdf/edition.pdf`` and ``build/pdf/<slug>.pdf``; return every PDF path.

    Each article and the back matter are set once, in parallel; the book is put
    together from those pages and the front matter, set last with the real page
    numbers. Parts whose inputs are unchanged since the last build are not set again.
    """
    from translate.render.book import number_pages

    out_dir = Path(settings.build_dir) / "pdf"
    parts_dir = out_dir / PARTS
    plan = plan_pdfs(edition, settings, lookup=lookup)
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
    results = _run_jobs([replace(job, css=css) for job in todo], max(1, settings.jobs))
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
