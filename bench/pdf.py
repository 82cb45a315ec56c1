"""Benchmark 4: the PDF edition against a plain WeasyPrint render of the same HTML.

The edition is the real one when ``build/`` holds a build (``build/translations/``
and the translation memory): the project's articles are translated again from
that memory, without rendering, in a copy under ``build/bench/``. Otherwise it is
synthetic but realistic: the five raw sources in ``corpus/raw/`` split into
paragraphs (with headings and interview turns every so often), each with a
stand-in English side about 3.6 times as long as the Chinese, which is what real
English translations of these articles measure. The translator is not
benchmarked here.

* baseline: ``weasyprint.HTML(string=…).write_pdf()`` with the stylesheet naming
  the system Noto Serif CJK collection, one document after another: every article,
  then the back matter and the front matter (the parts bitext sets; a plain
  render of a whole book would lay every article out a second time);
* bitext: ``render_pdf`` cold (empty build folder: font subsets made, every part set
  in ``layout.jobs`` processes, the book assembled), then warm (nothing changed:
  nothing set), then with one article changed (that article set again, the book
  assembled again).

Run alone: ``python -m bench.pdf`` (add ``--quick`` to skip the baseline).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from bench import REPO, WORK, Row, ratio

ARTICLE_TARGET = 4.0
EDITION_TARGET = 20.0
#: English characters per Chinese character in real translations of these articles.
EN_PER_ZH = 3.6
_WORDS = ("the model team company research large training data open source compute cost users market "
          "China because which would their about there these product scale general intelligence language "
          "founder investors said think years first industry question answer technology efficient density "
          "law parameters capital engineers problem work build believe future important different").split()


def _english(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
        if rng.random() < 0.08:
            words[-1] += "."
    text = " ".join(words)
    return text[:1].upper() + text[1:].rstrip(".") + "."


def synthetic_edition(raw_dir: Path | None = None, *, seed: int = 7):
    """A five-article Edition built from ``corpus/raw/*.txt`` with stand-in English."""
    from translate.models import (Article, ArticleMeta, BilingualArticle, BilingualBlock, Block, Edition,
                                  Segment, Term)

    rng = random.Random(seed)
    raw_dir = raw_dir or REPO / "corpus" / "raw"
    articles = []
    for n, path in enumerate(sorted(raw_dir.glob("*.txt"))):
        text = path.read_bytes().decode("utf-8", errors="replace")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if len(p.strip()) > 1]
        blocks, bilingual = [], []
        for i, zh in enumerate(paragraphs, 1):
            block_id = f"b{i:03d}"
            kind, level, speaker, role = "paragraph", 0, None, None
            if i % 14 == 0 and len(zh) < 60:
                kind, level = "heading", 2
            elif i % 5 == 1:
                speaker, role = "晚点", "question"
            elif i % 5 == 2:
                speaker, role = "周明", "answer"
            block = Block(id=block_id, kind=kind, text=zh, original=zh, level=level, speaker=speaker, role=role, line=i)
            en = _english(rng, int(len(zh) * EN_PER_ZH))
            blocks.append(block)
            bilingual.append(BilingualBlock(block, (Segment(f"{block_id}.s1", zh, zh, en, "gloss"),)))
        title = paragraphs[0][:40] if paragraphs else path.stem
        meta = ArticleMeta(title=title, title_original=title, source_file=path.name, script="simplified",
                           authors=("作者",), publication="晚点 LatePost", date="2024-01-01")
        article = Article(slug=f"article-{n}", meta=meta, blocks=tuple(blocks))
        articles.append(BilingualArticle(article, f"Article {n}", tuple(bilingual), "gloss", "CC-CEDICT"))
    terms = (Term(zh="大模型", en="large model", kind="concept"), Term(zh="周明", en="Zhou Ming", kind="person"))
    return Edition(title="中国大模型创业者 · Bench", subtitle="Synthetic edition", articles=tuple(articles),
                   terms=terms, glossary_version="bench", engine="gloss", model="CC-CEDICT",
                   build_date="2025-01-01", script="source")


def real_edition():
    """The project's edition translated from ``build/memory.sqlite`` (no PDF), or None when there is no build."""
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    memory = REPO / "build" / "memory.sqlite"
    if not memory.is_file() or not any((REPO / "build" / "translations").glob("*")):
        return None
    project = WORK / "pdf-real"
    shutil.rmtree(project, ignore_errors=True)
    (project / "build").mkdir(parents=True)
    shutil.copy(memory, project / "build" / "memory.sqlite")
    settings = replace(load_settings(REPO), build_dir=project / "build")
    return build_edition(settings, pdf=False).edition


def _settings(build_dir: Path, jobs: int = 2):
    from translate.settings import Settings

    return Settings(root=REPO, build_dir=build_dir, templates_dir=REPO / "templates", jobs=jobs)


def baseline(edition, settings) -> dict[str, float]:
    """Seconds for a plain WeasyPrint render of each document, system CJK font, one after another."""
    from weasyprint import CSS, HTML

    from translate.render import pdf

    plan = pdf.plan_pdfs(edition, settings)
    css = pdf.print_css(pdf._template_env(settings), settings, plan.fonts, None)
    times = {}
    front = replace(plan.parts[-1], name="front", html=plan.front(defaultdict(int)))
    for job in (*plan.parts, front):
        start = time.perf_counter()
        HTML(string=job.html, base_url=job.base_url).write_pdf(stylesheets=[CSS(string=css)])
        times[job.name] = time.perf_counter() - start
    return times


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the renderer's workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed_render(edition, settings) -> tuple[float, float]:
    """Wall and CPU seconds of one ``render_pdf``."""
    from translate.render.pdf import render_pdf

    start, cpu = time.perf_counter(), _cpu()
    render_pdf(edition, settings)
    return time.perf_counter() - start, _cpu() - cpu


def _pages(path: Path) -> int:
    import subprocess

    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    match = re.search(r"Pages:\s+(\d+)", out)
    return int(match[1]) if match else 0


def run(quick: bool = False) -> list[Row]:
    """Rows: baseline and bitext, per article and for the whole edition."""
    import logging

    from translate.render import pdf

    edition = real_edition()
    kind = "real edition"
    if edition is None:
        edition, kind = synthetic_edition(), "synthetic edition"
    build_dir = WORK / "pdf"
    shutil.rmtree(build_dir, ignore_errors=True)
    settings = _settings(build_dir)
    article_names = [f"{a.slug}.pdf" for a in edition.articles]
    zh_chars = sum(len(b.block.text) for a in edition.articles for b in a.blocks)

    # bitext, cold: capture each document's own time from the renderer's log
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}

    class Capture(logging.Handler):
        def emit(self, record):
            if record.msg.startswith("set %s"):
                seconds[record.args[0]] = record.args[2]
                cpu[record.args[0]] = record.args[3]

    handler = Capture()
    pdf.log.addHandler(handler)
    pdf.log.setLevel(logging.INFO)
    try:
        cold, cold_cpu = _timed_render(edition, settings)
    finally:
        pdf.log.removeHandler(handler)
    warm, _ = _timed_render(edition, settings)
    first = edition.articles[0]
    block = next(b for b in first.blocks if b.segments)
    changed_block = replace(block, segments=(replace(block.segments[0], en=block.segments[0].en + " Changed."),
                                             *block.segments[1:]))
    blocks = tuple(changed_block if b is block else b for b in first.blocks)
    changed = replace(edition, articles=(replace(first, blocks=blocks), *edition.articles[1:]))
    one_changed, one_changed_cpu = _timed_render(changed, settings)
    pages = {name: _pages(build_dir / "pdf" / name) for name in [pdf.BOOK, *article_names]}
    per_article = sum(seconds.get(n, 0.0) for n in article_names) / len(article_names)
    per_article_cpu = sum(cpu.get(n, 0.0) for n in article_names) / len(article_names)
    load = os.getloadavg()[0]
    shape = f"{kind}: {len(article_names)} articles, {zh_chars:,} zh chars, book {pages[pdf.BOOK]} pp"

    rows = []
    base = {}
    if not quick:
        base = baseline(edition, settings)
        base_article = sum(base[n] for n in article_names) / len(article_names)
        base_edition = sum(base.values())
        rows += [
            Row("pdf", "baseline: plain WeasyPrint, per article", f"{base_article:.1f} s",
                note=f"system Noto Serif CJK; mean of {len(article_names)}, "
                     f"{sum(pages[n] for n in article_names) / len(article_names):.0f} pp each"),
            Row("pdf", "baseline: plain WeasyPrint, whole edition", f"{base_edition:.1f} s",
                note=f"articles + back matter {base[pdf.BACK]:.1f} s + front, one process; {shape}"),
        ]
    rows += [
        Row("pdf", "bitext: per article", f"{per_article:.1f} s", f"≤ {ARTICLE_TARGET:.0f} s",
            per_article <= ARTICLE_TARGET,
            note=(f"{ratio(base_article, per_article):.1f}× faster than baseline; " if base else "")
            + f"mean of each article's render in its worker; {per_article_cpu:.1f} s CPU; load {load:.1f}"),
        Row("pdf", f"bitext: whole edition, cold, jobs={settings.jobs}", f"{cold:.1f} s", f"≤ {EDITION_TARGET:.0f} s",
            cold <= EDITION_TARGET,
            note=(f"{ratio(base_edition, cold):.1f}× faster than baseline; " if base else "")
            + f"{cold_cpu:.1f} s CPU in all processes, load {load:.1f}; back matter {seconds.get(pdf.BACK, 0):.1f} s "
              f"in its worker; font subsets made"),
        Row("pdf", "bitext: whole edition, nothing changed", f"{warm:.2f} s",
            note="content hashes in build/pdf/.hashes.json: nothing set"),
        Row("pdf", "bitext: one article changed", f"{one_changed:.1f} s",
            note=f"{one_changed_cpu:.1f} s CPU; that article set again, front matter set, book assembled"),
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import format_table

    argv = sys.argv[1:] if argv is None else argv
    print(format_table(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
