"""Benchmark 3: does the cost of a build grow linearly with the corpus, up to 500 articles?

A synthetic corpus is made from the seeds: the edition's five cleaned articles and the
held-out scrapes of the cleaner's tests (``tests/corpus/heldout*/``: news pages, forum
posts, exports, reports), imported once with ``bitext corpus import``. Article *n* is seed
*n mod k* (copy *n // k*); a copy gets a new slug and the marker ``（c）`` before every
full stop, so no sentence repeats and the translation memory cannot serve one copy from
another. Each size (:data:`SIZES`: 5, the 33 seeds once, and 500 articles;
``BENCH_SCALE_SIZES=5,33,100`` for a shorter run) is built cold (gloss engine, HTML only — the PDF and the
EPUB have their own benchmarks) in a fresh
process, after a one-article warm-up build in the same process so that loading the
dictionary and templates is not charged to the articles. The process's peak RSS is reported, and
each build's CPU seconds beside its wall seconds: the ratio of time per article compares CPU
seconds, which a shared machine's other work does not inflate.

Targets (issue 33), at the largest size:

* time per article ≤ :data:`FLAT` × that of the seeds built once (the same mix of long articles and
  short scrapes; 5 articles are the edition's long ones only, an informative row), peak RSS ≤
  :data:`RSS_LIMIT_MB` MiB;
* a warm build that changes nothing, and ``bitext serve``'s glossary edit → pages told to
  reload (``--no-pdf``, the term that the fewest articles hold): ≤ :data:`LATENCY` s each.

Run alone: ``python -m bench scale``; one size: ``python -m bench.scale one 50``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

from bench import REPO, WORK, Row, make_project, peak_rss_mb, ratio, run_child, timer

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "5,33,500").split(","))
#: Per-article time at the largest size over that at the smallest: at most this is "flat".
FLAT = 1.1
#: Peak RSS of the build process at the largest size, at most (MiB).
RSS_LIMIT_MB = 2048
#: Seconds a user waits at most at the largest size: a warm build, a serve reload.
LATENCY = 1.0
SEEDS = WORK / "scale-seeds"
#: The held-out scrapes the seeds are imported from (what ``bitext corpus import`` reads).
SCRAPES = ("tests/corpus/heldout/*.txt", "tests/corpus/heldout2/*.txt", "tests/corpus/heldout2/*.html",
           "tests/corpus/heldout2/*.md", "tests/corpus/heldout2/*.docx")


def _readme(path: Path) -> bool:
    """A folder's README (the held-out sets describe themselves in one), which the corpus does not load either."""
    return path.stem.lower() == "readme"


def seeds() -> list[Path]:
    """The cleaned seed articles: the edition's and the held-out scrapes' (imported once into :data:`SEEDS`)."""
    corpus = SEEDS / "corpus"
    if not any(corpus.glob("*.md")):
        make_project(SEEDS)
        files = sorted(str(p) for pattern in SCRAPES for p in REPO.glob(pattern) if not _readme(p))
        subprocess.run([sys.executable, "-m", "translate", "--root", str(SEEDS), "--quiet", "corpus", "import", *files],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    found = sorted(p for p in corpus.glob("*.md") if not _readme(p))  # a folder's README is no article
    if not found:
        raise RuntimeError(f"no seed articles in {corpus}")
    return found


def _uniquely(text: str, copy: int) -> str:
    """The article with the copy's number before every full stop of its body (the front matter left alone)."""
    if not copy:
        return text
    head, sep, body = text.partition("\n---\n")
    if not sep:  # no front matter: the whole file is body
        head, body = "", text
    return head + sep + body.replace("。", f"（{copy}）。")


def make_corpus(size: int) -> Path:
    """A ``size``-article project from the seeds (:func:`seeds`), each copy's sentences its own."""
    sources = seeds()
    project = make_project(WORK / f"scale-{size}", articles=0)
    for n in range(size):
        source, copy = sources[n % len(sources)], n // len(sources)
        slug = source.stem if not copy else f"{source.stem}-{copy:03d}"
        (project / "corpus" / f"{slug}.md").write_text(_uniquely(source.read_text(encoding="utf-8"), copy),
                                                      encoding="utf-8")
    return project


#: The outputs built: HTML only (the PDF and the EPUB have their own benchmarks).
OUTPUTS = {"pdf": False, "epub": False}


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children waited for, user and system (a shared machine's fair clock)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(size: int) -> dict:
    """Build a ``size``-article corpus cold in this process, then again unchanged; seconds, per article, peak RSS.

    Each time is taken twice: wall seconds, and CPU seconds (:func:`cpu_seconds`), which other
    work on a shared machine does not inflate; the rows compare the CPU seconds.
    """
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    warm = make_project(WORK / "scale-warmup", articles=1)
    build_edition(load_settings(warm), engine_name="gloss", build_date="2025-01-01", **OUTPUTS)
    settings = load_settings(make_corpus(size))
    cpu = cpu_seconds()
    with timer() as elapsed:
        result = build_edition(settings, engine_name="gloss", build_date="2025-01-01", **OUTPUTS)
    cpu, warm_cpu = cpu_seconds() - cpu, cpu_seconds()
    with timer() as unchanged:
        again = build_edition(settings, engine_name="gloss", build_date="2025-01-01", **OUTPUTS)
    warm_cpu = cpu_seconds() - warm_cpu
    report = result.edition.report
    articles, segments = len(report.articles), report.segments
    return {"articles": articles, "segments": segments, "seconds": elapsed[0], "cpu": cpu,
            "per_article": cpu / max(articles, 1), "wall_per_article": elapsed[0] / max(articles, 1),
            "warm": unchanged[0], "warm_cpu": warm_cpu, "warm_skipped": again.skipped,
            "per_1000_segments": 1000 * cpu / max(segments, 1), "peak_rss_mb": peak_rss_mb()}


def _rarest_term(project: Path) -> tuple[int, str, int]:
    """(line in the termbase, term, articles holding it) of the term the fewest articles (at least one) hold."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((project / "corpus").glob("*.md"))]
    path = project / "glossary" / "terms.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    zh = rows[0].index("zh")
    best = None
    for line, row in enumerate(rows[1:], 2):
        if len(row) > zh and len(row[zh]) >= 2:
            count = sum(row[zh] in text for text in texts)
            if count and (best is None or count < best[2]):
                best = (line, row[zh], count)
    if best is None:
        raise RuntimeError("no glossary term is in the synthetic corpus")
    return best


def serve_reload(project: Path) -> dict:
    """``bitext serve --no-pdf`` on a built project: seconds from a glossary edit to the pages told to reload."""
    from bench.serve import _loop

    line, term, count = _rarest_term(project)
    cpu: list[float] = []
    finished: list[tuple[float, float]] = []
    waited, built = _loop(project, line, "--no-pdf", cpu=cpu, finished=finished)
    return {"waited": waited, "built": built, "cpu": cpu, "term": term, "articles": count,
            "finished": [f[0] for f in finished], "finished_cpu": [f[1] for f in finished]}


def run() -> list[Row]:
    from bench import median

    results = {size: run_child("bench.scale", "one", str(size), timeout=3600) for size in SIZES}
    small_size, large_size = SIZES[0], SIZES[-1]
    small, large = results[small_size], results[large_size]
    # The fair comparison: the largest size against the seeds built once (the same mix of articles).
    mix_size = next((size for size in SIZES if size == len(seeds())), small_size)
    mix = results[mix_size]
    growth = ratio(large["per_article"], mix["per_article"])
    per_segment = ratio(large["per_1000_segments"], mix["per_1000_segments"])
    rows = [
        Row("scale", f"{size} articles, cold", f"{r['seconds']:.1f} s",
            note=f"{r['cpu']:.1f} CPU s, {r['per_article'] * 1000:.0f} CPU ms/article, {r['segments']} sentences, "
                 f"peak RSS {r['peak_rss_mb']:.0f} MiB")
        for size, r in results.items()
    ]
    if mix_size != small_size:
        rows.append(Row("scale", f"time per article, {large_size} vs {small_size} articles",
                        f"{ratio(large['per_article'], small['per_article']):.2f}×",
                        note=f"{small_size} articles are the edition's long ones; {large_size} mix in shorter scrapes",
                        number=ratio(large["per_article"], small["per_article"]), unit="×"))
    rows.append(Row("scale", f"time per article, {large_size} vs {mix_size} articles (the seeds once)", f"{growth:.2f}×",
                    f"≤ {FLAT}× (flat)", growth <= FLAT,
                    f"CPU seconds; per 1000 sentences: {per_segment:.2f}×; wall: "
                    f"{ratio(large['wall_per_article'], mix['wall_per_article']):.2f}×; gloss engine, HTML only, "
                    f"each size in a fresh process; "
                    f"{len(seeds())} seed articles (the edition's and the held-out scrapes)", number=growth, unit="×"))
    rows.append(Row("scale", f"peak RSS at {large_size} articles", f"{large['peak_rss_mb']:.0f} MiB",
                    f"≤ {RSS_LIMIT_MB} MiB", large["peak_rss_mb"] <= RSS_LIMIT_MB,
                    f"{ratio(large['peak_rss_mb'], small['peak_rss_mb']):.2f}× the peak at {small_size} articles",
                    number=large["peak_rss_mb"], unit="MiB"))
    rows.append(Row("scale", f"warm build that changes nothing, {large_size} articles", f"{large['warm']:.2f} s",
                    f"≤ {LATENCY:g} s", large["warm"] <= LATENCY and large["warm_skipped"],
                    f"HTML only, right after the cold build; {large['warm_cpu']:.2f} CPU s; skipped={large['warm_skipped']}",
                    number=large["warm"],
                    unit="s", latency=True))
    served = serve_reload(WORK / f"scale-{large_size}")
    waited = median(served["waited"])
    rows.append(Row("scale", f"serve: glossary edit → pages told to reload, {large_size} articles", f"{waited:.2f} s",
                    f"≤ {LATENCY:g} s", waited <= LATENCY,
                    f"--no-pdf; median of {len(served['waited'])} edits of {served['term']} ({served['articles']} "
                    f"articles hold it): {', '.join(f'{w:.2f}' for w in served['waited'])} s; the HTML build alone "
                    f"{median(served['built']):.2f} s; the server's CPU per edit {median(served['cpu']):.2f} s; "
                    f"the edition-wide pages (index, glossary, report) after {median(served['finished']):.2f} s "
                    f"({median(served['finished_cpu']):.2f} CPU s)",
                    number=waited, unit="s", latency=True))
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
