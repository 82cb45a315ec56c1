"""Main-content extractors compared on the saved pages of held-out set 2 (issue 29).

The issue asks for a well-kept main-content extractor and for a comparison of trafilatura,
readability-lxml and jusText on pages the cleaner was not tuned on. Each extractor gets the eight
saved HTML pages of tests/corpus/heldout2 (decoded as the cleaner decodes them) and its text is
measured as the held-out harness measures a cleaned article (tests/corpus/heldout_cases.py):

* **sentences**: expected sentences of the article found inside one line of its output (after the
  harness's ``norm``: no spaces, no Markdown marks), out of all of them;
* **chrome left**: expected chrome lines (navigation, share bars, related links, footers, info bars)
  still in its output, counted as the harness counts them;
* **time**: its wall time on the eight pages, warm.

Each is run as it is documented for article text: trafilatura ``extract`` (tables kept, with its
recall setting, no fallbacks), readability-lxml ``Document.summary`` (its HTML read as text by
lxml), jusText in its language-independent mode (no Chinese stop list exists: empty stop list and
zero stop-word thresholds). The last row is the cleaner itself (trafilatura's decisions mapped back
onto the page, then the repair rules), for reference.

Run ``python -m bench.extractors``; ``make bench`` prints the totals as rows (bench/webpage.py).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HELDOUT2 = REPO / "tests" / "corpus" / "heldout2"


def _harness():
    """The held-out harness's readers and measures (tests/corpus is not a package)."""
    for folder in (REPO / "tests" / "corpus", REPO / "tests", REPO):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    import heldout_cases

    return heldout_cases


def trafilatura_text(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_tables=True, include_comments=False, favor_recall=True, fast=True) or ""


def readability_text(page: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(page).summary(html_partial=True)
    tree = lxml.html.fromstring(summary)
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "tr", "br", "figcaption", "blockquote"):
        block.tail = "\n" + (block.tail or "")
    return tree.text_content()


def justext_text(page: str) -> str:
    import justext

    paragraphs = justext.justext(page.encode("utf-8"), frozenset(), stopwords_low=0, stopwords_high=0,
                                 encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def cleaner_text(raw: bytes, name: str) -> str:
    from translate.corpus import clean

    return clean(raw, name).body


EXTRACTORS = {"trafilatura": trafilatura_text, "readability-lxml": readability_text, "jusText": justext_text}


def compare() -> list[dict]:
    """One row per extractor (and the cleaner): sentences found, chrome left and seconds on the eight pages."""
    harness = _harness()
    from translate.corpus.decoding import decode

    cases = [c for c in harness.read_cases(HELDOUT2) if c.source.suffix == ".html"]
    pages = [(case, case.source.read_bytes()) for case in cases]
    texts = {case.name: decode(raw, case.source.name)[0] for case, raw in pages}
    rows = []
    for name, extractor in list(EXTRACTORS.items()) + [("cleaner (trafilatura + rules)", None)]:
        found = total = chrome = 0
        per_case = {}
        seconds = 0.0
        try:
            for case, raw in pages:
                started = time.perf_counter()
                text = extractor(texts[case.name]) if extractor else cleaner_text(raw, case.source.name)
                seconds += time.perf_counter() - started
                lines = [harness.norm(line) for line in text.split("\n") if line.strip()]
                hits = sum(harness._found(s, lines) for s in case.sentences)
                expected = [harness.norm(s) for s in case.sentences]
                chrome_lines = [harness.norm(c) for c in dict.fromkeys(case.chrome) if harness.norm(c)]
                left = sum(1 for c in chrome_lines
                           if harness._occurrences(c, lines) > harness._occurrences(c, expected))
                found, total, chrome = found + hits, total + len(case.sentences), chrome + left
                per_case[case.name] = (hits, len(case.sentences), left)
        except ImportError as exc:
            rows.append({"extractor": name, "error": f"not installed ({exc.name})"})
            continue
        rows.append({"extractor": name, "found": found, "sentences": total, "chrome": chrome, "seconds": seconds,
                     "cases": per_case})
    return rows


def table(rows: list[dict]) -> str:
    """The comparison as a Markdown table, then each extractor's figures per page."""
    lines = ["| extractor | sentences found | chrome lines left | seconds (8 pages) |", "|---|---|---|---|"]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['extractor']} | {row['error']} | | |")
            continue
        lines.append(f"| {row['extractor']} | {row['found']}/{row['sentences']} "
                     f"({100 * row['found'] / row['sentences']:.0f} %) | {row['chrome']} | {row['seconds']:.2f} |")
    lines.append("")
    names = [r["extractor"] for r in rows if "cases" in r]
    lines.append("| page | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for case in next((r["cases"] for r in rows if "cases" in r), {}):
        cells = []
        for row in rows:
            if "cases" in row:
                hits, total, left = row["cases"][case]
                cells.append(f"{hits}/{total}, {left} chrome")
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    return "\n".join(re.sub(r" +\|", " |", line) for line in lines)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    print(table(compare()))
