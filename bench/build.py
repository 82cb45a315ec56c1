"""Benchmark 2: building the edition with the gloss engine — cold, warm, one glossary edit.

* cold: an empty build folder (no translation memory), the five articles;
* warm: the same build again, nothing changed — the issue's target is under 2 s;
* edit: one glossary entry's target changed — only the sentences containing that
  term may go to the engine again, and only the articles containing it may be
  re-rendered. Files are "re-rendered" when their inode or mtime changed (every
  output is written by a rename, so a rewritten file always gets a new inode).

Run alone: ``python -m bench build``.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

from bench import WORK, Row, make_project, ratio, timer

BUILD_DATE = "2025-01-01"
#: Suffix appended to the edited entry's English target.
EDIT_SUFFIX = " (ed.)"


def _pdf_available() -> bool:
    try:
        import translate.render.pdf  # noqa: F401
    except ImportError:
        return False
    return True


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


def _edit_target(glossary_path: Path, line: int) -> None:
    """Change the English target on one line of the termbase, leaving every other byte alone."""
    raw = glossary_path.read_bytes()
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[line - 1]]))
    row[header.index("en")] += EDIT_SUFFIX
    out = io.StringIO()
    csv.writer(out, lineterminator=lines[line - 1][len(lines[line - 1].rstrip("\r\n")):] or "\n").writerow(row)
    lines[line - 1] = out.getvalue()
    glossary_path.write_text(bom + "".join(lines), encoding="utf-8")


def run() -> list[Row]:
    from translate.glossary import Glossary
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    project = make_project(WORK / "build-project", engine="gloss")
    settings = load_settings(project)
    pdf = _pdf_available()
    what = "HTML+PDF" if pdf else "HTML only (no PDF renderer)"

    with timer() as cold_time:
        cold = build_edition(settings, engine_name="gloss", pdf=pdf, build_date=BUILD_DATE)
    with timer() as warm_time:
        warm = build_edition(settings, engine_name="gloss", pdf=pdf, build_date=BUILD_DATE)

    glossary = Glossary.load(settings.glossary_path)
    term, affected_articles, affected_sentences = _pick_term(cold.edition, glossary)
    before = _snapshot(settings.build_dir)
    _edit_target(settings.glossary_path, term.line)
    with timer() as edit_time:
        edited = build_edition(settings, engine_name="gloss", pdf=pdf, build_date=BUILD_DATE)
    after = _snapshot(settings.build_dir)
    rewritten = sorted(name for name, stamp in after.items() if before.get(name) != stamp)
    slugs = {a.slug for a in cold.edition.articles}
    def pages(folder: str) -> set[str]:
        return {slug for slug in slugs for name in rewritten
                if name.startswith(folder + "/") and Path(name).stem in (slug, f"{slug}-article")}

    rerendered_html, rerendered_pdf = pages("html"), pages("pdf")
    rerendered = rerendered_html | rerendered_pdf
    misses = sum(a.cache_misses for a in edited.edition.report.articles)
    articles_changed = rerendered - affected_articles

    n = len(cold.edition.articles)
    return [
        Row("build", f"cold build, {n} articles ({what})", f"{cold_time[0]:.1f} s",
            note=f"gloss engine, empty translation memory; {cold.edition.report.segments} sentences"),
        Row("build", "warm build (nothing changed)", f"{warm_time[0]:.2f} s", "< 2 s", warm_time[0] < 2.0,
            f"{ratio(cold_time[0], warm_time[0]):.0f}× faster than cold; skipped={warm.skipped}"),
        Row("build", f"one glossary edit ({term.zh} → '{term.en}{EDIT_SUFFIX}')", f"{edit_time[0]:.1f} s",
            note=f"{ratio(edit_time[0], cold_time[0]):.2f}× the cold build"),
        Row("build", "  sentences re-translated after the edit", f"{misses}",
            f"≤ {affected_sentences} (those with the term)", 0 < misses <= affected_sentences,
            "from report.json cache_misses" + ("" if misses <= affected_sentences else
                                                 "; more than the affected sentences went to the engine")),
        Row("build", "  articles re-rendered after the edit", f"{len(rerendered)} of {n}",
            f"≤ {len(affected_articles)} (those with the term)", not articles_changed,
            f"HTML pages rewritten: {len(rerendered_html)}, article PDFs rewritten: {len(rerendered_pdf)}; "
            f"{len(rewritten)} files rewritten in all"),
    ]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    from bench.__main__ import format_table

    print(format_table(run()))
