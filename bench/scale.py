"""Benchmark 3: does the cost of a build grow linearly with the corpus?

A synthetic corpus of 5, 50 and 200 articles is made from the five cleaned ones:
copy *k* gets a new slug and the marker ``（k）`` before every full stop, so no
sentence repeats and the translation memory cannot serve one copy from another.
Each size is built cold (gloss engine, HTML only — the PDF has its own
benchmark) in a fresh process, after a one-article warm-up build in the same
process so that loading the dictionary and templates is not charged to the
articles. The process's peak RSS is reported.

Run alone: ``python -m bench scale``; one size: ``python -m bench.scale one 50``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bench import WORK, Row, make_project, peak_rss_mb, ratio, run_child, timer

SIZES = (5, 50, 200)
#: Per-article time at the largest size over that at the smallest: at most this is "flat".
FLAT = 1.25


def _make_unique(project: Path) -> None:
    """Put each copy's number before every full stop of its body, so sentences never repeat."""
    for path in sorted((project / "corpus").glob("*.md")):
        match = re.search(r"-(\d{3})$", path.stem)
        if not match:
            continue
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        if not sep:  # no front matter: the whole file is body
            head, body = "", text
        body = body.replace("。", f"（{int(match.group(1))}）。")
        path.write_text(head + sep + body, encoding="utf-8")


def measure(size: int) -> dict:
    """Build a ``size``-article corpus cold in this process; seconds, per-article and peak RSS."""
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    warm = make_project(WORK / "scale-warmup", articles=1)
    build_edition(load_settings(warm), engine_name="gloss", pdf=False, build_date="2025-01-01")
    copies = -(-size // 5)
    project = make_project(WORK / f"scale-{size}", articles=size, copies=copies)
    _make_unique(project)
    settings = load_settings(project)
    with timer() as elapsed:
        result = build_edition(settings, engine_name="gloss", pdf=False, build_date="2025-01-01")
    report = result.edition.report
    articles, segments = len(report.articles), report.segments
    return {"articles": articles, "segments": segments, "seconds": elapsed[0],
            "per_article": elapsed[0] / max(articles, 1),
            "per_1000_segments": 1000 * elapsed[0] / max(segments, 1), "peak_rss_mb": peak_rss_mb()}


def run() -> list[Row]:
    results = {size: run_child("bench.scale", "one", str(size)) for size in SIZES}
    small, large = results[SIZES[0]], results[SIZES[-1]]
    growth = ratio(large["per_article"], small["per_article"])
    per_segment = ratio(large["per_1000_segments"], small["per_1000_segments"])
    rows = [
        Row("scale", f"{size} articles, cold", f"{r['seconds']:.1f} s",
            note=f"{r['per_article'] * 1000:.0f} ms/article, {r['segments']} sentences, peak RSS {r['peak_rss_mb']:.0f} MiB")
        for size, r in results.items()
    ]
    rows.append(Row("scale", f"time per article, {SIZES[-1]} vs {SIZES[0]} articles", f"{growth:.2f}×",
                    f"≤ {FLAT}× (flat)", growth <= FLAT,
                    f"per 1000 sentences: {per_segment:.2f}×; gloss engine, HTML only, each size in a fresh process"))
    rows.append(Row("scale", f"peak RSS at {SIZES[-1]} articles", f"{large['peak_rss_mb']:.0f} MiB",
                    note=f"{ratio(large['peak_rss_mb'], small['peak_rss_mb']):.2f}× the peak at {SIZES[0]} articles"))
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
