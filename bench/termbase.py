"""Benchmark 5: does a large termbase cost time linear in its entries?

Industry termbases hold tens of thousands of entries. A synthetic termbase of
10,000 and 50,000 entries is made from the characters of the edition's own
articles (terms of 2 to 5 characters; one in ten has a Latin variant, one in
twenty a longer term that contains it, so the nesting check has work to do) and
then, each size in a fresh process, ``bitext glossary check`` runs on it (with
the corpus) and the edition is built cold (gloss engine, HTML only). The time
per entry at 50,000 must stay within 1.5× of the time per entry at 10,000.

Run alone: ``python -m bench termbase``; one size: ``python -m bench.termbase one 50000``.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from pathlib import Path

from bench import WORK, Row, make_project, peak_rss_mb, ratio, run_child, timer

SIZES = (10_000, 50_000)
#: Per-entry time at the largest size over that at the smallest: at most this is "flat".
FLAT = 1.5


def synthetic_terms(count: int, characters: str, *, seed: int = 12) -> list[dict[str, str]]:
    """``count`` distinct entries made of ``characters`` (rows of the termbase, header names as keys)."""
    rng = random.Random(seed)
    alphabet = sorted({c for c in characters if "\u4e00" <= c <= "\u9fff"})
    seen: set[str] = set()
    rows: list[dict[str, str]] = []
    while len(rows) < count:
        zh = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 5)))
        if zh in seen:
            continue
        seen.add(zh)
        number = len(rows)
        variants = f"T{number}X" if number % 10 == 0 else ""
        rows.append({"zh": zh, "en": f"term {number}", "variants": variants, "kind": "concept"})
        if number % 20 == 0 and len(rows) < count:
            longer = zh + rng.choice(alphabet) + rng.choice(alphabet)
            if longer not in seen:
                seen.add(longer)
                rows.append({"zh": longer, "en": f"longer term {number}", "kind": "concept"})
    return rows


def termbase_text(rows: list[dict[str, str]]) -> str:
    """The rows as a ``glossary/terms.csv``."""
    buffer = io.StringIO()
    columns = ("zh", "en", "variants", "keep", "case", "kind", "note")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return buffer.getvalue()


def make_termbase_project(folder: Path, entries: int) -> Path:
    """A one-article project whose termbase has ``entries`` synthetic entries."""
    project = make_project(folder, articles=1)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((project / "corpus").glob("*.md")))
    (project / "glossary" / "terms.csv").write_text(termbase_text(synthetic_terms(entries, text)), encoding="utf-8")
    return project


def measure(entries: int) -> dict:
    """Check and build a project with an ``entries``-entry termbase in this process; seconds and per entry."""
    from translate.corpus import load_corpus
    from translate.glossary import check_glossary
    from translate.pipeline import build_edition
    from translate.settings import load_settings

    project = make_termbase_project(WORK / f"termbase-{entries}", entries)
    settings = load_settings(project)
    texts = [text for a in load_corpus(settings.corpus_dir) for b in a.blocks for text in (b.text, b.original)]
    with timer() as checked:
        diagnostics = check_glossary(settings.glossary_path, texts)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise RuntimeError(f"the synthetic termbase has errors, e.g. {errors[0]}")
    with timer() as built:
        build_edition(settings, engine_name="gloss", pdf=False, build_date="2025-01-01")
    return {"entries": entries, "check_seconds": checked[0], "build_seconds": built[0],
            "check_per_entry_ms": 1000 * checked[0] / entries, "build_per_entry_ms": 1000 * built[0] / entries,
            "warnings": len(diagnostics), "peak_rss_mb": peak_rss_mb()}


def run() -> list[Row]:
    """Rows: check and build time per entry, largest vs smallest termbase."""
    results = {size: run_child("bench.termbase", "one", str(size)) for size in SIZES}
    small, large = results[SIZES[0]], results[SIZES[-1]]
    rows = []
    for what in ("check", "build"):
        growth = ratio(large[f"{what}_per_entry_ms"], small[f"{what}_per_entry_ms"])
        rows.append(Row(
            "termbase", f"{'glossary check' if what == 'check' else 'build'}: time per entry, "
                        f"{SIZES[-1]:,} vs {SIZES[0]:,} entries",
            f"{growth:.2f}× ({small[f'{what}_seconds']:.1f} s vs {large[f'{what}_seconds']:.1f} s)",
            f"≤ {FLAT}×", growth <= FLAT,
            f"{what} {'with the corpus' if what == 'check' else 'cold, gloss engine, no PDF'}; "
            f"peak RSS {large['peak_rss_mb']:.0f} MiB at {SIZES[-1]:,}"))
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        for row in run():
            print(row)
