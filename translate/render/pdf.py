"""The PDF edition: one bilingual book and one PDF per article, set by WeasyPrint.

Gather first, write last: the HTML and CSS of every document are built from
``templates/pdf/``; documents whose inputs did not change since the last build
(same content hash in ``build/pdf/.hashes.json``) are skipped; the rest are set
in parallel processes (``layout.jobs``), and the files are written atomically
at the end.

Where the time went (profiled on a 15-page article): WeasyPrint loaded and
measured the 26 MB Noto Serif CJK collection for every document. The edition's
characters are now cut from the CJK faces once (:mod:`translate.render.fonts`)
and every document loads that small file instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from translate.dictionary import ATTRIBUTION as CEDICT_ATTRIBUTION
from translate.errors import BitextError, BlockedURLError, RenderError
from translate.models import BilingualArticle, Edition
from translate.outputs import write_atomic
from translate.render.fonts import FontChoice, FontLookup, choose_fonts, edition_chars, fc_list, subset_font
from translate.render.inline import plain_text, render_inline
from translate.settings import Settings

log = logging.getLogger(__name__)

BOOK = "edition.pdf"
HASHES = ".hashes.json"
FONTS = ".fonts"
CJK_FAMILY = "bitext CJK"
#: Bump when the renderer changes in a way the templates and inputs do not show.
RENDERER_VERSION = "1"

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "pdf"

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


def _to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _zh(simplified: str, original: str, shown: str, source_script: str) -> str:
    """The Chinese as the edition shows it: the source's script, or converted."""
    if shown == source_script:
        return original
    if shown == "simplified":
        return simplified
    return _to_traditional(simplified)


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
            speaker_zh = block.speaker if shown != "traditional" else _to_traditional(block.speaker)
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


def colophon_view(edition: Edition, fonts: FontChoice | None) -> dict:
    """What the colophon states: engine, model, glossary, date, quality, licences."""
    import weasyprint

    rate, counts = _term_rate(edition)
    script = {"source": "as each source was written", "simplified": "Simplified", "traditional": "Traditional"}
    font_names = "fonts not resolved"
    if fonts is not None:
        font_names = fonts.cjk_regular.family + (f" and {fonts.latin_family}" if fonts.latin_family else "")
    licences = [CEDICT_ATTRIBUTION, FONT_LICENCE]
    if not edition.is_gloss:
        licences.append(f"Translation model {edition.model}: used under the licence of its Argos Translate package.")
    return dict(
        is_gloss=edition.is_gloss, engine=edition.engine, model=edition.model,
        glossary_version=edition.glossary_version, term_count=len(edition.terms),
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


def print_css(env, settings: Settings, fonts: FontChoice, font_urls: tuple[str, str] | None) -> str:
    """The print stylesheet; ``font_urls`` are the regular and bold subset files (None: system fonts)."""
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
        zh_width="44%", back_title="Appendix · 附录", **geometry,
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


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A set PDF, not yet written."""

    name: str
    pdf: bytes
    pages: int
    seconds: float
    """Wall time in the worker."""
    cpu: float = 0.0
    """CPU time in the worker (the honest figure on a busy machine)."""


def render_document(job: PdfJob, *, keep_document: bool = False):
    """Lay out and write one PDF; the WeasyPrint Document too when ``keep_document``."""
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
        pdf = document.write_pdf()
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, BitextError):
            raise type(cause)(cause.message) from None
        raise RenderError(f"{job.name}: {exc} ({cause})") from None
    result = PdfResult(job.name, pdf, len(document.pages), time.perf_counter() - start, time.process_time() - cpu)
    return (result, document) if keep_document else result


def _run_jobs(jobs: list[PdfJob], workers: int) -> list[PdfResult]:
    # Largest first, so the book starts at once and the articles share the other workers.
    ordered = sorted(jobs, key=lambda j: len(j.html), reverse=True)
    if workers <= 1 or len(ordered) <= 1:
        return [render_document(job) for job in ordered]
    # spawn, not fork: a parent that has already used Pango/GLib must not be forked.
    with ProcessPoolExecutor(max_workers=min(workers, len(ordered)), mp_context=get_context("spawn")) as pool:
        return list(pool.map(render_document, ordered))


# ---------------------------------------------------------------------------
# The edition


@dataclass(frozen=True, slots=True)
class PdfPlan:
    """Every PDF of the edition, ready to set: jobs, content hashes, fonts."""

    jobs: tuple[PdfJob, ...]
    digests: dict
    fonts: FontChoice
    chars: str


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def plan_pdfs(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list) -> PdfPlan:
    """Build the HTML of the book and of each article; CSS names the fonts by their source files for now."""
    import weasyprint

    fonts = choose_fonts(settings.cjk_font, settings.latin_font, lookup)
    env = _template_env(settings)
    views = [article_view(a, edition) for a in edition.articles]
    colophon = colophon_view(edition, fonts)
    glossary = sorted(edition.terms, key=lambda t: (t.kind, t.zh))
    out_dir = Path(settings.build_dir) / "pdf"
    base_url = out_dir.resolve().as_uri() + "/"
    allowed = (Path(settings.root).resolve(), Path(settings.build_dir).resolve())
    documents = {BOOK: env.get_template("book.html.j2").render(
        edition=edition, articles=views, glossary=glossary, colophon=colophon)}
    for view in views:
        documents[f"{view.slug}.pdf"] = env.get_template("article.html.j2").render(
            edition=edition, a=view, colophon=colophon)
    # The hash names the source font files, not the subsets: a subset changes whenever
    # any article gains a character, but the glyphs an unchanged article uses do not.
    css_for_hash = print_css(env, settings, fonts, ("cjk-regular", "cjk-bold"))
    common = _digest(css_for_hash, fonts.identity(), weasyprint.__version__, RENDERER_VERSION)
    digests = {name: _digest(common, html) for name, html in documents.items()}
    chars = edition_chars(_edition_texts(edition, views, colophon))
    jobs = tuple(PdfJob(name, html, "", base_url, allowed) for name, html in documents.items())
    return PdfPlan(jobs, digests, fonts, chars)


def _load_hashes(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def render_pdf(edition: Edition, settings: Settings, *, lookup: FontLookup = fc_list) -> list[Path]:
    """Write ``build/pdf/edition.pdf`` and ``build/pdf/<slug>.pdf``; return every PDF path.

    PDFs whose inputs are unchanged since the last build are kept as they are.
    """
    out_dir = Path(settings.build_dir) / "pdf"
    plan = plan_pdfs(edition, settings, lookup=lookup)
    old = _load_hashes(out_dir / HASHES)
    todo = [j for j in plan.jobs if old.get(j.name) != plan.digests[j.name] or not (out_dir / j.name).exists()]
    results: list[PdfResult] = []
    if todo:
        font_dir = out_dir / FONTS
        regular = subset_font(plan.fonts.cjk_regular, plan.chars, font_dir)
        bold = subset_font(plan.fonts.cjk_bold, plan.chars, font_dir) if plan.fonts.cjk_bold != plan.fonts.cjk_regular else regular
        css = print_css(_template_env(settings), settings, plan.fonts, (regular.resolve().as_uri(), bold.resolve().as_uri()))
        jobs = [PdfJob(j.name, j.html, css, j.base_url, j.allowed) for j in todo]
        results = _run_jobs(jobs, max(1, settings.jobs))
        for result in results:
            log.info("set %s: %d pages in %.1f s (%.1f s CPU)", result.name, result.pages, result.seconds, result.cpu)
    # Write last, all together.
    for result in results:
        write_atomic(out_dir / result.name, result.pdf)
    current = {j.name for j in plan.jobs}
    for stale in set(old) - current:
        (out_dir / stale).unlink(missing_ok=True)  # an article that left the edition
    write_atomic(out_dir / HASHES, json.dumps(plan.digests, indent=2, sort_keys=True) + "\n")
    names = [BOOK] + [j.name for j in plan.jobs if j.name != BOOK]
    return [out_dir / name for name in names]

