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
them (the dictionary and jieba loaded); the machine is shared, so each figure is the
median of the rounds, with the spread.

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

BUILD_DATE = "2025-01-01"
#: Suffix appended to the edited entry's English target (then ``(ed. 2)``, ``(ed. 3)``…).
EDIT_SUFFIX = " (ed.)"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
COLD_TARGET, EDIT_HTML_TARGET, EDIT_ALL_TARGET, WARM_TARGET = 15.0, 2.0, 6.0, 2.0
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
    with timer() as elapsed:
        result = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
    return {"seconds": elapsed[0], "segments": result.edition.report.segments, "pdf": "pdf" not in available,
            "articles": len(result.edition.articles)}


def run() -> list[Row]:
    from translate.glossary import Glossary
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    project = make_project(PROJECT, engine="gloss")
    settings = load_settings(project)
    from translate.render.builders import builders

    available, live_only = _available(), _live_only()
    what = "+".join(b.name.upper() for b in builders() if b.name not in available)
    what += f" only (cannot import {', '.join(available)})" if available else ""
    colds = [run_child("bench.build", "cold", str(project))["seconds"] for _ in range(ROUNDS - 1)]
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    with timer() as cold_time:
        first = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
    colds.append(cold_time[0])
    with timer() as warm_time:
        warm = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
    before = _snapshot(settings.build_dir)
    with timer() as html_only_time:
        html_only = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **live_only)
    html_only_rewritten = sorted(n for n, stamp in _snapshot(settings.build_dir).items() if before.get(n) != stamp)

    glossary = Glossary.load(settings.glossary_path)
    term, affected_articles, affected_sentences = _pick_term(first.edition, glossary)
    everything, html, rest, misses, rewritten_all = [], [], [], [], []
    for round_ in range(ROUNDS):
        before = _snapshot(settings.build_dir)
        _edit_target(settings.glossary_path, term.line, EDIT_SUFFIX if round_ == 0 else f" (ed. {2 * round_})")
        with timer() as t:
            edited = build_edition(settings, engine_name="gloss", build_date=BUILD_DATE, **available)
        everything.append(t[0])
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
    return [
        Row("build", f"cold build, {n} articles ({what})", f"{cold_median:.1f} s", f"≤ {COLD_TARGET:.0f} s",
            cold_median <= COLD_TARGET,
            f"{spread(colds, 1)} s; gloss engine, empty build folder, each in a fresh process; "
            f"{first.edition.report.segments} segments", number=cold_median, unit="s"),
        Row("build", "warm build (nothing changed)", f"{warm_time[0]:.2f} s", f"< {WARM_TARGET:.0f} s",
            warm_time[0] < WARM_TARGET, f"{ratio(cold_median, warm_time[0]):.0f}× faster than cold; skipped={warm.skipped}",
            number=warm_time[0], unit="s"),
        Row("build", "HTML only (--no-pdf --no-epub) after the full build", f"{len(html_only_rewritten)} files rewritten",
            "0 files, skipped", not html_only_rewritten and html_only.skipped,
            f"{html_only_time[0]:.2f} s; skipped={html_only.skipped}", number=len(html_only_rewritten), unit="files"),
        Row("build", f"one glossary edit ({edit}) → HTML", f"{html_median:.2f} s", f"≤ {EDIT_HTML_TARGET:.0f} s",
            html_median <= EDIT_HTML_TARGET,
            f"{spread(html, 2)} s; --no-pdf --no-epub, in the process that built (as bitext serve); then the EPUB "
            f"and PDF {median(rest):.1f} s", number=html_median, unit="s"),
        Row("build", "one glossary edit → everything (HTML, EPUB, PDF)", f"{all_median:.1f} s",
            f"≤ {EDIT_ALL_TARGET:.0f} s", all_median <= EDIT_ALL_TARGET,
            f"{spread(everything, 1)} s; {ratio(all_median, cold_median):.2f}× the cold build", number=all_median,
            unit="s"),
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


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if len(sys.argv) == 3 and sys.argv[1] == "cold":
        print(json.dumps(cold(Path(sys.argv[2]))))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
