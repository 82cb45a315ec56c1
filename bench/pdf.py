"""Benchmark 4: the PDF edition against a plain WeasyPrint render of the same HTML.

The edition is the real one when the corpus has its PO stores (the translators'
English): the project's articles are translated again (dictionary gloss under the
edits, no store written, nothing rendered) for a copy of the settings whose build
folder is under ``build/bench/``. Otherwise it is
synthetic but realistic: the five raw sources in ``corpus/raw/`` split into
paragraphs (with headings and interview turns every so often), each with a
stand-in English side about 3.6 times as long as the Chinese, which is what real
English translations of these articles measure. The translator is not
benchmarked here.

* baseline: ``weasyprint.HTML(string=…).write_pdf()`` of the same HTML and the same
  stylesheet, naming the system Noto Serif CJK collection, one document after another
  in a fresh process: every article, then the back matter and the front matter (the
  parts bitext sets; a plain render of a whole book would lay every article out a
  second time);
* bitext: ``render_pdf`` cold in a fresh process (empty build folder: font subsets
  made, workers started, every part set in ``layout.jobs`` processes, the book
  assembled), then warm (nothing changed: nothing set), then with one article changed
  (that article set again, the book assembled again).

The two cold runs alternate, :data:`ROUNDS` times (A B, B A, A B); each ratio is taken
round by round, and the row gives the median and the spread.

* tagging: every part of the edition set in one fresh process as the workers set it
  (:func:`~translate.render.pdf.workers.render_document`, the hyphens settled), tagged (PDF/UA-1)
  and untagged in turn, part by part: the CPU seconds of the tagged over the untagged
  (issue 33: at most :data:`TAGGED_RATIO`). The book's assembly (merging the parts' structure
  trees, about 0.15 s) is not in it.

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

from bench import REPO, WORK, Row, median, pdf_parts, ratio, run_child, spread

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
    """The project's edition (its PO stores' English over a dictionary gloss), or None without PO stores.

    Nothing is written: no PO store is synced, no build folder of the project touched.
    """
    from translate.pipeline import translated_edition
    from translate.settings import load_settings
    from translate.translation import open_engine

    if not any((REPO / "corpus").glob("*.en.po")):
        return None
    project = WORK / "pdf-real"
    (project / "build").mkdir(parents=True, exist_ok=True)  # its translation memory serves the next run
    settings = replace(load_settings(REPO), build_dir=project / "build")
    return translated_edition(settings, open_engine(settings, "gloss"), write_stores=False, build_date="2025-01-01")


def bench_edition():
    """(edition, kind): the real one when there is one, else the synthetic one."""
    edition = real_edition()
    return (edition, "real edition") if edition is not None else (synthetic_edition(), "synthetic edition")


def _settings(build_dir: Path, jobs: int = 2):
    from translate.settings import Settings

    return Settings(root=REPO, build_dir=build_dir, templates_dir=REPO / "templates", jobs=jobs)


def baseline(edition, settings, *, with_cpu: bool = False):
    """Seconds for a plain WeasyPrint render of each document, system CJK font, one after another (and CPU seconds)."""
    from weasyprint import CSS, HTML

    from translate.render.pdf import edition as pdf

    plan = pdf.plan_pdfs(edition, settings)
    css = pdf.print_css(pdf._template_env(settings), settings, plan.fonts, None)
    times, cpu = {}, {}
    front = replace(plan.parts[-1], name="front", html=plan.front(defaultdict(int)))
    for job in (*plan.parts, front):
        start, started = time.perf_counter(), time.process_time()
        HTML(string=job.html, base_url=job.base_url).write_pdf(stylesheets=[CSS(string=css)])
        times[job.name] = time.perf_counter() - start
        cpu[job.name] = time.process_time() - started
    return times if not with_cpu else (times, cpu)


def _cpu() -> float:
    """CPU seconds of this process and of every process it started, ended or running (:func:`process_tree_cpu`)."""
    return process_tree_cpu()


def process_tree_cpu() -> float:
    """CPU seconds (user + system) of this process, of its children that have ended, and of every live descendant
    with the descendants that one has reaped.

    The PDF workers are forked from a template process (``forkserver``) that this process started: they are its
    children, not this process's, so ``RUSAGE_CHILDREN`` alone never counts them (and counts the template only once
    it has ended). Where there is no ``/proc``, this process and its ended children only.
    """
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    stats: dict[int, tuple[int, float]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return total
    tick = os.sysconf("SC_CLK_TCK")
    for name in names:
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            # ppid; utime, stime, cutime, cstime (the children it waited for)
            stats[int(name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]) / tick)
        except (OSError, ValueError, IndexError):
            pass
    kids: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _) in stats.items():
        kids[parent].append(pid)
    todo = list(kids[os.getpid()])
    while todo:
        pid = todo.pop()
        total += stats[pid][1]
        todo += kids[pid]
    return total


def _timed_render(edition, settings) -> tuple[float, float]:
    """Wall and CPU seconds of one ``render_pdf``."""
    from translate.render.pdf.edition import render_pdf

    start, cpu = time.perf_counter(), _cpu()
    render_pdf(edition, settings)
    return time.perf_counter() - start, _cpu() - cpu


def _pages(path: Path) -> int:
    """Pages of a PDF (with pikepdf, which the book is assembled with: ``make bench`` needs no poppler)."""
    import pikepdf

    with pikepdf.open(path) as document:
        return len(document.pages)


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
#: Targets: an article's PDF at most this fraction of plain WeasyPrint's time (issue 19); the edition this many
#: times faster (issue 33: 2.5, was 2); a tagged part at most this many times an untagged one's time (issue 33).
ARTICLE_RATIO, EDITION_SPEEDUP, TAGGED_RATIO = 0.7, 2.5, 1.2


def tagging_cost() -> dict:
    """Every part set tagged and untagged in turn in this (fresh) process: CPU seconds of each, summed."""
    from translate.render.fonts import subset_font
    from translate.render.pdf.edition import FONTS, _template_env, plan_pdfs, print_css
    from translate.render.pdf import hyphenation
    from translate.render.pdf.workers import _settle_garbage_collector, render_document

    edition, kind = bench_edition()
    settings = _settings(WORK / "pdf-tagging")
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    plan = plan_pdfs(edition, settings)
    font_dir = settings.build_dir / "pdf" / FONTS
    regular = subset_font(plan.fonts.cjk_regular, plan.chars, font_dir)
    bold = (subset_font(plan.fonts.cjk_bold, plan.chars, font_dir) if plan.fonts.cjk_bold != plan.fonts.cjk_regular
            else regular)
    css = print_css(_template_env(settings), settings, plan.fonts, (regular.resolve().as_uri(), bold.resolve().as_uri()))
    jobs = [replace(job, css=css) for job in plan.parts]
    render_document(replace(jobs[0], tagged=False))  # as a worker: fonts loaded, the collector settled
    _settle_garbage_collector()
    layouts: list[list[float]] = []  # per part set: the CPU seconds of each layout the hyphens' settling made
    settle = hyphenation.settle

    def counted(render, html, *args, **options):
        def timed(text):
            started = time.process_time()
            try:
                return render(text)
            finally:
                layouts[-1].append(time.process_time() - started)
        layouts.append([])
        return settle(timed, html, *args, **options)

    cpu = {True: 0.0, False: 0.0}
    hyphenation.settle = counted
    try:
        for number, job in enumerate(jobs):
            for tagged in ((True, False) if number % 2 == 0 else (False, True)):
                started = time.process_time()
                render_document(replace(job, tagged=tagged))
                cpu[tagged] += time.process_time() - started
    finally:
        hyphenation.settle = settle
    return {"tagged": cpu[True], "untagged": cpu[False], "parts": len(jobs), "kind": kind,
            "layouts": sum(map(len, layouts)), "sets": len(layouts), "later_layouts": sum(sum(t[1:]) for t in layouts)}


def cold_bitext() -> dict:
    """One cold ``render_pdf`` in this (fresh) process: wall and CPU seconds, each part's seconds in its worker."""
    edition, kind = bench_edition()
    build_dir = WORK / "pdf"
    shutil.rmtree(build_dir, ignore_errors=True)
    with pdf_parts() as parts:
        wall, total_cpu = _timed_render(edition, _settings(build_dir))
    seconds = {name: wall_ for name, (wall_, _cpu) in parts.items()}
    cpu = {name: cpu_ for name, (_wall, cpu_) in parts.items()}
    return {"wall": wall, "cpu": total_cpu, "seconds": seconds, "part_cpu": cpu, "kind": kind,
            "articles": [f"{a.slug}.pdf" for a in edition.articles],
            "zh_chars": sum(len(b.block.text) for a in edition.articles for b in a.blocks)}


def cold_baseline() -> dict:
    """Plain WeasyPrint over every document, in this (fresh) process: seconds per document."""
    edition, _ = bench_edition()
    times, cpu = baseline(edition, _settings(WORK / "pdf-baseline"), with_cpu=True)
    return {"seconds": times, "cpu": cpu}


def run(quick: bool = False) -> list[Row]:
    """Rows: baseline and bitext, per article and for the whole edition."""
    from translate.render.pdf import edition as pdf

    bitext_runs, baseline_runs = [], []
    for round_ in range(1 if quick else ROUNDS):  # A B, B A, A B: neither always runs first
        order = ("bitext", "baseline") if round_ % 2 == 0 else ("baseline", "bitext")
        for mode in order:
            if mode == "baseline" and quick:
                continue
            (bitext_runs if mode == "bitext" else baseline_runs).append(run_child("bench.pdf", mode))
    last = bitext_runs[-1]
    article_names = last["articles"]
    build_dir = WORK / "pdf"
    settings = _settings(build_dir)
    edition, _ = bench_edition()  # the same edition: warm and one-changed reuse the last cold run's parts
    warm, _ = _timed_render(edition, settings)
    first = edition.articles[0]
    block = next(b for b in first.blocks if b.segments)
    changed_block = replace(block, segments=(replace(block.segments[0], en=block.segments[0].en + " Changed."),
                                             *block.segments[1:]))
    blocks = tuple(changed_block if b is block else b for b in first.blocks)
    changed = replace(edition, articles=(replace(first, blocks=blocks), *edition.articles[1:]))
    one_changed, one_changed_cpu = _timed_render(changed, settings)
    pages = {name: _pages(build_dir / "pdf" / name) for name in [pdf.BOOK, *article_names]}
    load = os.getloadavg()[0]
    shape = f"{last['kind']}: {len(article_names)} articles, {last['zh_chars']:,} zh chars, book {pages[pdf.BOOK]} pp"

    def per_article(run_: dict) -> float:
        return sum(run_["seconds"].get(n, 0.0) for n in article_names) / len(article_names)

    ours = [per_article(r) for r in bitext_runs]
    ours_cpu = [sum(r["part_cpu"].get(n, 0.0) for n in article_names) / len(article_names) for r in bitext_runs]
    colds = [r["wall"] for r in bitext_runs]
    rows = []
    if baseline_runs:
        theirs = [per_article(r) for r in baseline_runs]
        theirs_cpu = [sum(r["cpu"].get(n, 0.0) for n in article_names) / len(article_names) for r in baseline_runs]
        totals = [sum(r["seconds"].values()) for r in baseline_runs]
        article_ratios = [ratio(o, t) for o, t in zip(ours, theirs)]
        cpu_ratios = [ratio(o, t) for o, t in zip(ours_cpu, theirs_cpu)]
        speedups = [ratio(t, c) for t, c in zip(totals, colds)]
        article_ratio, cpu_ratio, speedup = median(article_ratios), median(cpu_ratios), median(speedups)
        rows += [
            Row("pdf", "baseline: plain WeasyPrint, per article", f"{median(theirs):.2f} s",
                note=f"system Noto Serif CJK, same HTML and stylesheet; mean of {len(article_names)}, "
                     f"{sum(pages[n] for n in article_names) / len(article_names):.0f} pp each; {spread(theirs)} s",
                number=median(theirs), unit="s"),
            Row("pdf", "baseline: plain WeasyPrint, whole edition", f"{median(totals):.1f} s",
                note=f"articles + back matter + front, one process, one after another; {spread(totals, 1)} s; {shape}",
                number=median(totals), unit="s"),
            Row("pdf", "bitext per article vs plain WeasyPrint, CPU seconds", f"{cpu_ratio:.2f}×",
                f"≤ {ARTICLE_RATIO}×", cpu_ratio <= ARTICLE_RATIO,
                f"{median(ours_cpu):.2f} s vs {median(theirs_cpu):.2f} s CPU per article (the work, whatever else runs); "
                f"{spread(cpu_ratios)} (in turn with the baseline)", number=cpu_ratio, unit="×"),
            Row("pdf", "bitext per article vs plain WeasyPrint, wall seconds", f"{article_ratio:.2f}×",
                f"≤ {ARTICLE_RATIO}×", article_ratio <= ARTICLE_RATIO,
                f"{median(ours):.2f} s vs {median(theirs):.2f} s, each article's render in its worker while the other "
                f"worker sets another part (on 2 cores shared with other users); {spread(article_ratios)}",
                number=article_ratio, unit="×"),
            Row("pdf", f"bitext whole edition, cold, jobs={settings.jobs}: speed-up over plain WeasyPrint",
                f"{speedup:.2f}×", f"≥ {EDITION_SPEEDUP:g}×", speedup >= EDITION_SPEEDUP,
                f"{median(colds):.1f} s vs {median(totals):.1f} s; {spread(speedups)}; "
                f"{median([r['cpu'] for r in bitext_runs]):.1f} s CPU in all processes, load {load:.1f}; "
                f"glossary {last['seconds'].get(pdf.GLOSSARY, 0):.1f} s and colophon {last['seconds'].get(pdf.BACK, 0):.1f} s "
                "in their workers; font subsets made, workers started",
                number=speedup, unit="×"),
        ]
    if not quick:
        tagging = run_child("bench.pdf", "tagging")
        tagged_ratio = ratio(tagging["tagged"], tagging["untagged"])
        rows.append(Row("pdf", "a tagged (PDF/UA-1) part vs an untagged one, CPU seconds", f"{tagged_ratio:.2f}×",
                        f"≤ {TAGGED_RATIO}×", tagged_ratio <= TAGGED_RATIO,
                        f"{tagging['tagged']:.1f} s vs {tagging['untagged']:.1f} s: the {tagging['parts']} parts of the "
                        f"{tagging['kind']} set each way in turn in one process, hyphens settled; the book's assembly "
                        "not counted", number=tagged_ratio, unit="×"))
        if tagging.get("sets"):
            share = tagging["later_layouts"] / max(tagging["tagged"] + tagging["untagged"], 1e-9)
            rows.append(Row("pdf", "  layouts per part (hyphens kept off page ends and long runs)",
                            f"{tagging['layouts'] / tagging['sets']:.2f}",
                            note=f"{tagging['layouts']} layouts for {tagging['sets']} parts set; the layouts after the "
                                 f"first are {share:.0%} of the parts' CPU (render/pdf/linebreaking.py decides the "
                                 "hyphens as the lines are broken; render/pdf/hyphenation.py lays a part out again "
                                 "only while a hyphen still falls at a page's foot or third in a row)",
                            number=tagging["layouts"] / tagging["sets"], unit="layouts"))
    rows += [
        Row("pdf", "bitext: per article", f"{median(ours):.2f} s", note=f"{spread(ours)} s", number=median(ours),
            unit="s"),
        Row("pdf", f"bitext: whole edition, cold, jobs={settings.jobs}", f"{median(colds):.1f} s",
            note=f"{spread(colds, 1)} s", number=median(colds), unit="s"),
        Row("pdf", "bitext: whole edition, nothing changed", f"{warm:.2f} s",
            note="content hashes in build/pdf/.hashes.json: nothing set", number=warm, unit="s"),
        Row("pdf", "bitext: one article changed", f"{one_changed:.1f} s",
            note=f"{one_changed_cpu:.1f} s CPU; that article set again (in a worker, as soon as the plan has made it), "
                 "the front matter set, folios reused, book assembled", number=one_changed, unit="s"),
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import format_table

    argv = sys.argv[1:] if argv is None else argv
    print(format_table(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ("bitext", "baseline", "tagging"):
        import json

        print(json.dumps({"bitext": cold_bitext, "baseline": cold_baseline, "tagging": tagging_cost}[sys.argv[1]]()))
    else:
        sys.exit(main())
