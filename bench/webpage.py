"""Benchmark: importing a 1 MB web page against the extractor's own time on it (issue 29).

The page is a saved portal article (tests/corpus/heldout2/sohu-portal-supercharging.html) grown to
1 MB the way real saved pages are large: an inline state script (a JSON list of recommended articles)
and a long list of related-article links after the text. The import (``clean``: decoding, the page
converted by logged edits with trafilatura's decisions, every cleaning rule) is timed against
trafilatura's own extraction of the same page with the same settings, in the same process, after a
warm-up; the best of three runs of each counts. Target (issue 29): at most 1.5×.

The extractor comparison of bench/extractors.py is printed as rows too (its totals on the eight saved
pages of held-out set 2).

Run alone: ``python -m bench webpage``.
"""

from __future__ import annotations

import json

from bench import REPO, Row, ratio, timer

#: Import time over the extractor's own time: at most this (issue 29).
TARGET = 1.5
SIZE = 1_000_000
RUNS = 3


def make_page(size: int = SIZE) -> bytes:
    """A saved portal article grown to about ``size`` bytes with a state script and related links."""
    page = (REPO / "tests" / "corpus" / "heldout2" / "sohu-portal-supercharging.html").read_text(encoding="utf-8")
    state, related, count = [], [], 0
    end = page.rindex("</body>")
    total = len(page.encode("utf-8")) + 100
    while total < size:
        count += 1
        state.append(json.dumps({"id": count, "title": f"推荐文章第{count}篇：新能源汽车产业观察",
                                 "url": f"https://www.sohu.com/a/{800000 + count}"}, ensure_ascii=False))
        related.append(f'<li class="rec-item"><a href="/a/{800000 + count}"><img src="//p.itc.cn/{count}.jpg">'
                       f'<span class="title">推荐阅读第{count}篇：行业动态与市场观察</span></a>'
                       f'<span class="time">2024-11-0{count % 9 + 1}</span></li>\n')
        total += len(state[-1].encode("utf-8")) + 1 + len(related[-1].encode("utf-8"))
    grown = (page[:end] + "<script>window.__STATE__ = {\"items\": [" + ",".join(state) + "]};</script>\n"
             + '<ul class="rec-list">\n' + "".join(related) + "</ul>\n" + page[end:])
    return grown.encode("utf-8")


def measure(raw: bytes) -> dict:
    """Best-of-three seconds of the extractor alone and of the whole import, on the same page."""
    from translate.corpus import clean
    from translate.corpus.decoding import decode
    from translate.corpus.webpage import extract

    text, _ = decode(raw, "page.html")
    extract(text)
    clean(raw, "page.html")  # warm-up: imports, dictionaries
    extractor, imported = [], []
    for _ in range(RUNS):
        with timer() as t:
            extract(text)
        extractor.append(t[0])
        with timer() as t:
            cleaned = clean(raw, "page.html")
        imported.append(t[0])
    return {"extractor": min(extractor), "import": min(imported), "conserved": cleaned.conserved(),
            "body": len(cleaned.body)}


def run() -> list[Row]:
    raw = make_page()
    figures = measure(raw)
    share = ratio(figures["import"], figures["extractor"])
    rows = [Row("webpage", f"import of a {len(raw) / 1e6:.1f} MB page / trafilatura on it", f"{share:.2f}×",
                f"≤ {TARGET:g}×", share <= TARGET,
                f"import {figures['import']:.2f} s, extractor {figures['extractor']:.2f} s; "
                f"conserved: {figures['conserved']}")]
    from bench.extractors import compare

    for row in compare():
        if "error" in row:
            rows.append(Row("webpage", f"extractor {row['extractor']}", "-", note=row["error"]))
            continue
        rows.append(Row("webpage", f"extractor {row['extractor']}: sentences found",
                        f"{row['found']}/{row['sentences']}",
                        note=f"{row['chrome']} chrome lines left on the 8 saved pages of heldout2, "
                             f"{row['seconds']:.2f} s"))
    return rows


if __name__ == "__main__":
    figures = measure(make_page())
    print(figures, f"{ratio(figures['import'], figures['extractor']):.2f}×")
