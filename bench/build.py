"""Benchmark 2: building the edition with the gloss engine — cold, warm, HTML only after a full build, glossary edits.

* cold: an empty build folder (no translation memory), the five articles, HTML + EPUB + PDF,
  in a fresh process each time (:data:`ROUNDS` times; the first in this process);
* warm: the same build again, nothing changed — the issue's target is under 2 s;
* HTML only (``--no-pdf --no-epub``) right after the full build: nothing to do, nothing rewritten;
* edit: one glossary entry's target changed — only the sentences containing that
  term may go to the engine again, and only the articles containing it may be
  re-rendered. Each round makes two edits of that entry: after the first the whole
  edition is built (everything), after the second the HTML alone (what a preview
  waits for), then the rest. Files are "re-rendered" when their inode or mtime
  changed (every output is written by a rename, so a rewritten file always gets a
  new inode).

The edit builds run in this process after its cold build, as ``bitext serve`` runs
them (the dictionary and jieba loaded), inside :func:`translate.render.pdf.edition.keep_workers`
(the PDF workers started once and kept between the builds, as a serving process keeps them);
the machine is shared, so each figure is the median of the rounds, with the spread.

Seconds move threefold between machines, so the targets (issue 33) are ratios to a baseline
measured in the same run — plain WeasyPrint setting the same edition's documents one after
another in a fresh process (:func:`bench.pdf.baseline`: every article, the back matter, the
front matter), alternating with the cold builds (A B, B A, A B) — or latencies, what a user
waits for (a warm build, the HTML after an edit):

* cold build (HTML + EPUB + PDF) ≤ :data:`COLD_RATIO` × plain WeasyPrint setting the whole edition;
* one glossary edit → everything ≤ :data:`EDIT_ALL_RATIO` × plain WeasyPrint setting one article
  (the mean of the edition's articles);
* a warm build that changes nothing, and the HTML after an edit: ≤ :data:`LATENCY` s each.

Run alone: ``python -m bench build``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

from bench import WORK, Row, make_project, median, ratio, run_child, spread, timer
from bench.machine import cores

BUILD_DATE = "2025-01-01"
#: Suffix appended to the edited entry's English target (then ``(ed. 2)``, ``(ed. 3)``…).
EDIT_SUFFIX = " (ed.)"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
#: Issue 33: a cold build at most this fraction of plain WeasyPrint setting the whole edition.
COLD_RATIO = 0.45
#: Issue 33: one glossary edit → everything at most this many times plain WeasyPrint setting one article.
EDIT_ALL_RATIO = 1.2
#: Seconds a user waits at most (a latency, the same on every machine): a warm build, the HTML after an edit.
LATENCY = 1.0
PROJECT = WORK / "build-project"


def _available() -> dict[str, bool]:
    """The build options of every output whose module imports here: ``{"pdf": False}`` without a PDF renderer."""
    from translate.render.builders import builders

    unavailable = {}
    for builder in builders():
        try:
            builder.load()
        except ImportError:
            unavailable[builder.name] = False
    return unavailable


def _live_only() -> dict[str, bool]:
    """The build options that skip every output a build may skip (what ``bitext serve`` builds on a change)."""
    from translate.render.builders import builders

    return {builder.name: False for builder in builders() if builder.optional}


def _snapshot(build_dir: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file in the build folder, by relative path."""
    return {str(p.relative_to(build_dir)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in build_dir.rglob("*") if p.is_file()}


def _pick_term(edition, glossary) -> tuple[object, set[str], int]:
    """A term used in some but not all articles, in several sentences: (term, slugs, sentences)."""
    sentences: Counter = Counter()
    articles: dict[str, set[str]] = {}
    for article in edition.articles:
        for block in article.blocks:
            for segment in block.segments:
                for match in glossary.find(segment.zh):
                    sentences[match.term.zh] += 1
                    articles.setdefault(match.term.zh, set()).add(article.slug)
    total = len(edition.articles)
    candidates = [(zh, n) for zh, n in sentences.items() if 0 < len(articles[zh]) < total or total == 1]
    # A term in 2 articles (or 1) with the most sentences: a realistic, visible edit.
    candidates.sort(key=lambda item: (abs(len(articles[item[0]]) - 2), -item[1]))
    zh, count = candidates[0]
    term = glossary.lookup(zh)
    return term, articles[zh], count


def _edit_target(glossary_path: Path, line: int, suffix: str = EDIT_SUFFIX) -> None:
    """Change the English target on one line of the termbase, leaving every other byte alone."""
    raw = glossary_path.read_bytes()
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[line - 1]]))
    row[header.index("en")] += suffix
    out = io.StringIO()
    csv.writer(out, lineterminator=lines[line - 1][len(lines[line - 1].rstrip("\r\n")):] or "\n").writerow(row)
    lines[line - 1] = out.getvalue()
    glossary_path.write_text(bom + "".join(lines), encoding="utf-8")


def cold(project: Path) -> dict:
    """One cold build of ``project`` in this (fresh) process: its build folder emptied first."""
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    settings = load_settings(project)
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    available = _available()
    started = _cpu()
    with timer() as elapsed:
        result = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
    return {"seconds": elapsed[0], "cpu": _cpu() - started, "segments": result.edition.report.segments,
            "pdf": "pdf" not in available, "articles": len(result.edition.articles)}


def _cpu() -> float:
    """CPU seconds of this process and of every process it started, ended or running: the PDF workers, kept between
    builds and forked from a template process (:func:`bench.pdf.process_tree_cpu`)."""
    from bench.pdf import process_tree_cpu

    return process_tree_cpu()


def plain_weasyprint(project: Path) -> dict:
    """Plain WeasyPrint setting ``project``'s edition in this (fresh) process: seconds per document, in all, per article.

    The edition is translated first (from the translation memory a cold build left, when there is one;
    no store written), and is not timed.
    """
    from bench.pdf import baseline
    from translate.pipeline import translated_edition
    from translate.settings import load_settings
    from translate.translation import open_engine

    settings = load_settings(project)
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    edition = translated_edition(settings, open_engine(settings, "gloss"), write_stores=False, build_date=BUILD_DATE)
    times, cpu = baseline(edition, settings, with_cpu=True)
    articles = [f"{a.slug}.pdf" for a in edition.articles]
    return {"seconds": times, "whole": sum(times.values()), "cpu": sum(cpu.values()),
            "per_article": sum(times[name] for name in articles) / max(len(articles), 1),
            "per_article_cpu": sum(cpu[name] for name in articles) / max(len(articles), 1)}


def _kept_workers():
    """The PDF workers kept started between this process's builds (nothing to keep without a PDF renderer)."""
    from contextlib import nullcontext

    try:
        from translate.render.pdf.edition import keep_workers
    except ImportError:
        return nullcontext()
    return keep_workers()


def run() -> list[Row]:
    with _kept_workers():
        return _run()


def _run() -> list[Row]:
    from bench import pdf_parts
    from translate.glossary import Glossary
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    project = make_project(PROJECT, engine="gloss")
    settings = load_settings(project)
    from translate.render.builders import builders

    available, live_only = _available(), _live_only()
    what = "+".join(b.name.upper() for b in builders() if b.name not in available)
    what += f" only (cannot import {', '.join(available)})" if available else ""
    plain_pdf = "pdf" not in available
    colds, cold_cpu, plains = [], [], []
    for round_ in range(ROUNDS - 1):  # A B, B A, …: neither always runs first
        for mode in (("cold", "baseline") if round_ % 2 == 0 else ("baseline", "cold")):
            if mode == "cold":
                child = run_child("bench.build", "cold", str(project))
                colds.append(child["seconds"])
                cold_cpu.append(child["cpu"])
            elif plain_pdf:
                plains.append(run_child("bench.build", "baseline", str(project)))
    if plain_pdf:
        plains.append(run_child("bench.build", "baseline", str(project)))
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    started = _cpu()
    with timer() as cold_time:
        first = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
    colds.append(cold_time[0])
    cold_cpu.append(_cpu() - started)
    with timer() as warm_time:
        warm = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
    before = _snapshot(settings.build_dir)
    with timer() as html_only_time:
        html_only = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **live_only)
    html_only_rewritten = sorted(n for n, stamp in _snapshot(settings.build_dir).items() if before.get(n) != stamp)

    glossary = Glossary.load(settings.glossary_path)
    term, affected_articles, affected_sentences = _pick_term(first.edition, glossary)
    everything, everything_cpu, reset, html, rest, misses, rewritten_all = [], [], [], [], [], [], []
    for round_ in range(ROUNDS):
        before = _snapshot(settings.build_dir)
        _edit_target(settings.glossary_path, term.line, EDIT_SUFFIX if round_ == 0 else f" (ed. {2 * round_})")
        started = _cpu()
        with pdf_parts() as parts, timer() as t:
            edited = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
        everything.append(t[0])
        everything_cpu.append(_cpu() - started)
        reset.append(dict(parts))
        misses.append(sum(a.cache_misses for a in edited.edition.report.articles))
        after = _snapshot(settings.build_dir)
        rewritten_all.append(sorted(name for name, stamp in after.items() if before.get(name) != stamp))
        _edit_target(settings.glossary_path, term.line, f" (ed. {2 * round_ + 1})")
        with timer() as t:
            build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **live_only)
        html.append(t[0])
        with timer() as t:
            build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
        rest.append(t[0])

    rewritten = rewritten_all[0]
    slugs = {a.slug for a in first.edition.articles}

    def pages(folder: str) -> set[str]:
        return {slug for slug in slugs for name in rewritten
                if name.startswith(folder + "/") and Path(name).stem in (slug, f"{slug}-article")}

    rerendered_html, rerendered_pdf = pages("html"), pages("pdf")
    rerendered = rerendered_html | rerendered_pdf
    articles_changed = rerendered - affected_articles
    n = len(first.edition.articles)
    cold_median, all_median, html_median = median(colds), median(everything), median(html)
    edit = f"{term.zh} → '{term.en}{EDIT_SUFFIX}'"
    whole = [p["whole"] for p in plains]
    one_article = median([p["per_article"] for p in plains]) if plains else 0.0
    cold_ratios = [ratio(c, p) for c, p in zip(colds, whole)]
    edit_ratios = [ratio(e, one_article) for e in everything] if plains else []
    cold_ratio, edit_ratio = (median(cold_ratios) if cold_ratios else None), (median(edit_ratios) if edit_ratios else None)
    rows = []
    if plains:
        rows.append(Row("build", "baseline: plain WeasyPrint setting the whole edition", f"{median(whole):.1f} s",
                        note=f"{spread(whole, 1)} s; the same edition's articles, back matter and front matter, one "
                             f"after another in a fresh process, system CJK font (bench.pdf.baseline); one article "
                             f"{one_article:.2f} s (mean)", number=median(whole), unit="s"))
    rows += [
        Row("build", f"cold build, {n} articles ({what})", f"{cold_median:.1f} s",
            note=f"{spread(colds, 1)} s; gloss engine, empty build folder, each in a fresh process; "
                 f"{first.edition.report.segments} segments", number=cold_median, unit="s"),
    ]
    if cold_ratio is not None:
        rows.append(Row("build", "cold build vs plain WeasyPrint setting the whole edition", f"{cold_ratio:.2f}×",
                        f"≤ {COLD_RATIO}×", cold_ratio <= COLD_RATIO,
                        f"{spread(cold_ratios)} round by round (the cold build and the baseline in turn, fresh "
                        "processes); the build also writes the HTML and the EPUB", number=cold_ratio, unit="×"))
        cpu_ratio = median(cold_cpu) / max(median([p["cpu"] for p in plains]), 1e-9)
        rows.append(Row("build", "  cold build vs plain WeasyPrint, CPU seconds (all processes)", f"{cpu_ratio:.2f}×",
                        note=f"{median(cold_cpu):.1f} s vs {median([p['cpu'] for p in plains]):.1f} s CPU: on "
                             f"{cores()} cores the cold build cannot take less than {cpu_ratio / cores():.2f}× "
                             "the baseline's time (what a loaded machine's wall seconds hide)",
                        number=cpu_ratio, unit="×"))
    rows += [
        Row("build", "warm build (nothing changed)", f"{warm_time[0]:.2f} s", f"≤ {LATENCY:g} s",
            warm_time[0] <= LATENCY, f"{ratio(cold_median, warm_time[0]):.0f}× faster than cold; skipped={warm.skipped}",
            number=warm_time[0], unit="s", latency=True),
        Row("build", "HTML only (--no-pdf --no-epub) after the full build", f"{len(html_only_rewritten)} files rewritten",
            "0 files, skipped", not html_only_rewritten and html_only.skipped,
            f"{html_only_time[0]:.2f} s; skipped={html_only.skipped}", number=len(html_only_rewritten), unit="files"),
        Row("build", f"one glossary edit ({edit}) → HTML", f"{html_median:.2f} s", f"≤ {LATENCY:g} s",
            html_median <= LATENCY,
            f"{spread(html, 2)} s; --no-pdf --no-epub, in the process that built (as bitext serve); then the EPUB "
            f"and PDF {median(rest):.1f} s", number=html_median, unit="s", latency=True),
        Row("build", "one glossary edit → everything (HTML, EPUB, PDF)", f"{all_median:.1f} s",
            note=f"{spread(everything, 1)} s; {ratio(all_median, cold_median):.2f}× the cold build", number=all_median,
            unit="s"),
    ]
    if edit_ratio is not None:
        rows.append(Row("build", "one glossary edit → everything vs plain WeasyPrint setting one article",
                        f"{edit_ratio:.2f}×", f"≤ {EDIT_ALL_RATIO}×", edit_ratio <= EDIT_ALL_RATIO,
                        f"{spread(edit_ratios)} per edit against the baseline's mean article ({one_article:.2f} s); "
                        f"{len(affected_articles)} articles hold the term", number=edit_ratio, unit="×"))
        rows += _edit_floor(everything_cpu, reset, affected_articles,
                            median([p["per_article_cpu"] for p in plains]))
    rows += [
        Row("build", "  sentences re-translated after the edit", f"{misses[0]}",
            f"≤ {affected_sentences} (those with the term)", 0 < max(misses) <= affected_sentences,
            "from report.json cache_misses" + ("" if max(misses) <= affected_sentences else
                                                 "; more than the affected sentences went to the engine"),
            number=misses[0], unit="sentences"),
        Row("build", "  articles re-rendered after the edit", f"{len(rerendered)} of {n}",
            f"≤ {len(affected_articles)} (those with the term)", not articles_changed,
            f"HTML pages rewritten: {len(rerendered_html)}, article PDFs rewritten: {len(rerendered_pdf)}; "
            f"{len(rewritten)} files rewritten in all", number=len(rerendered), unit="articles"),
    ]
    return rows


def _edit_floor(cpu: list[float], reset: list[dict], holding: set[str], article_cpu: float) -> list[Row]:
    """The edit's CPU against plain WeasyPrint's for one article, and the share of it no cache can skip (the articles
    holding the term, each set again whole): what the edit cannot go below on the cores this process may use
    (:func:`bench.machine.cores`).

    ``cpu``: each edit's CPU seconds, all processes; ``reset``: each edit's parts set again, name → (wall, CPU).
    """
    count = cores()
    names = sorted(set().union(*reset))
    part_cpu = {name: median([parts[name][1] for parts in reset if name in parts]) for name in names}
    ratio_all = ratio(median(cpu), article_cpu)
    held = sum(seconds for name, seconds in part_cpu.items() if name.removesuffix(".pdf") in holding)
    ratio_held = ratio(held, article_cpu)
    return [
        Row("build", "  one glossary edit → everything vs plain WeasyPrint, CPU seconds (all processes)",
            f"{ratio_all:.2f}×",
            note=f"{median(cpu):.1f} s CPU against {article_cpu:.2f} s for one plain article: on {count} cores the edit "
                 f"cannot take less than {ratio_all / count:.2f}× a plain article; parts set again in the workers "
                 "(median CPU): " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in part_cpu.items()),
            number=ratio_all, unit="×"),
        Row("build", "  the articles holding the term, set again, vs plain WeasyPrint setting one article, CPU",
            f"{ratio_held:.2f}×",
            note=f"{held:.1f} s CPU for the {len(holding)} articles with the term, each laid out again whole (a longer "
                 f"English moves every page break after it): on {count} cores at least {ratio_held / count:.2f}× a plain "
                 "article before the glossary, the contents, the HTML and the EPUB are made",
            number=ratio_held, unit="×"),
    ]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if len(sys.argv) == 3 and sys.argv[1] == "cold":
        print(json.dumps(cold(Path(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "baseline":
        print(json.dumps(plain_weasyprint(Path(sys.argv[2]))))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
