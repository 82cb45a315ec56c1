"""Benchmark: do imports, merges and the concordance take time linear in their input? (issue 26 §5)

Each step runs at a size and at ten times that size, in one fresh process, and
the row is the time at 10× over the time at 1× (at most 12×: linear, with room
for noise; a quadratic step would show 100×):

- **XLIFF import** of units that share one segment's Chinese under new ids (what a
  CAT tool's split or copied units look like): the article's 58 units of one speaker's
  name are replaced by copies under new ids, which are placed on the article's segments
  (``place_edits``); every unplaced one is reported. 10,000 such units took 5.9 s and
  100,000 more than 180 s when each segment of that Chinese scanned a list per unit.
- **TBX import** of synthetic entries into the edition's termbase (``glossary
  import``): every entry is compared with the entries already there and those added
  before it. 2,000 entries took 11.7 s, 8,000 took 121 s when each comparison scanned
  the termbase.
- **Concordance** (``glossary show``) of a term over 5 and 50 copies of the articles.

The sizes alternate (1×, 10×, 1×, 10×, 1×) and the best time of each counts, as in
``import_scale``. The time is this process's CPU time (``time.process_time``): on a shared
machine the wall time of a 0.1 s step is mostly other processes' (the concordance at 5
articles read 0.08 s on a loaded machine, and its ratio 21×).

Run alone: ``python -m bench linear``; the measurement alone: ``python -m bench.linear measure``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench import WORK, Row, growth_row, make_project, peak_rss_mb, run_child

#: Step → (size at 1×, unit): the 10× size is ten times that.
SIZES = {"xliff": (2_000, "units"), "tbx": (2_000, "entries"), "concordance": (5, "articles")}
#: Time at 10× over time at 1×: at most this is "linear".
TARGET = 12.0
ORDER = (1, 10, 1, 10, 1)


@contextmanager
def timer() -> Iterator[list[float]]:
    """CPU seconds of this process inside the block: ``with timer() as t: ...; seconds = t[0]``."""
    box = [0.0]
    start = time.process_time()
    try:
        yield box
    finally:
        box[0] = time.process_time() - start

_UNIT = re.compile(r"    <unit id=\"([^\"]*)\">\n.*?    </unit>\n", re.S)
_SOURCE = re.compile(r"<source>(.*?)</source>", re.S)


def _xliff_with_copies(exported: str, copies: int) -> str:
    """The exported XLIFF whose units of its most repeated source (a speaker's name) are replaced by ``copies``
    units of that source under new ids: every segment of that name must look through them."""
    units = [(m.group(0), m.group(1), _SOURCE.search(m.group(0)).group(1)) for m in _UNIT.finditer(exported)]
    common = Counter(source for _, _, source in units).most_common(1)[0][0]
    blocks = [(block, unit_id) for block, unit_id, source in units if source == common]
    block, unit_id = blocks[0]
    made = [block.replace(f'<unit id="{unit_id}">', f'<unit id="{unit_id}.copy{n}">', 1)
            .replace("<target>", f"<target>copy {n} ", 1) for n in range(copies)]
    for other, _ in blocks[1:]:
        exported = exported.replace(other, "", 1)
    return exported.replace(block, "".join(made), 1)


def _xliff(folder: Path, sizes: list[int]) -> dict[int, list[float]]:
    from translate.errors import PostEditError
    from translate.postedit.export import export_files
    from translate.postedit.merge import import_files
    from translate.settings import load_settings

    project = make_project(folder / "xliff", articles=5)
    settings = load_settings(project)
    exported = export_files(settings, "xliff", out_dir=folder / "exported").files
    article = max(exported, key=lambda p: Counter(_SOURCE.findall(p.read_text(encoding="utf-8"))).most_common(1)[0][1])
    text = article.read_text(encoding="utf-8")
    times: dict[int, list[float]] = {}
    for size in sizes:
        source = folder / f"units-{size}.xlf"
        source.write_text(_xliff_with_copies(text, size), encoding="utf-8")
        with timer() as elapsed:
            try:
                import_files(settings, [source])
            except PostEditError:
                pass  # the copies under new ids are reported: that is the work measured
        times.setdefault(size, []).append(elapsed[0])
    return times


def _tbx(folder: Path, sizes: list[int]) -> dict[int, list[float]]:
    from bench.termbase import synthetic_terms
    from translate.glossary.interchange import import_glossary
    from translate.glossary.tbx import write_tbx
    from translate.models import Term

    project = make_project(folder / "tbx", articles=1)
    corpus = "".join(p.read_text(encoding="utf-8") for p in (project / "corpus").glob("*.md"))
    rows = synthetic_terms(max(sizes), corpus, seed=26)
    shipped = (project / "glossary" / "terms.csv").read_bytes()
    times: dict[int, list[float]] = {}
    for size in sizes:
        source = folder / f"entries-{size}.tbx"
        source.write_text(write_tbx(Term(zh=r["zh"], en=r["en"], variants=tuple(filter(None, [r.get("variants")])),
                                         kind=r.get("kind", "")) for r in rows[:size]), encoding="utf-8")
        (project / "glossary" / "terms.csv").write_bytes(shipped)
        with timer() as elapsed:
            report = import_glossary(project / "glossary" / "terms.csv", source)
        if not report.added:
            raise RuntimeError(f"the TBX import of {size} entries added nothing")
        times.setdefault(size, []).append(elapsed[0])
    return times


def _concordance(folder: Path, sizes: list[int]) -> dict[int, list[float]]:
    from translate.corpus import load_corpus
    from translate.glossary import Glossary
    from translate.glossary.concordance import concordance
    from translate.settings import load_settings

    times: dict[int, list[float]] = {}
    for size in sizes:
        project = folder / f"concordance-{size}"
        if not project.exists():
            make_project(project, copies=size // 5)
        settings = load_settings(project)
        with timer() as elapsed:
            glossary = Glossary.load(settings.glossary_path)
            found = concordance(glossary, "大模型", load_corpus(settings.corpus_dir), None)
        if not found:
            raise RuntimeError("the concordance found nothing")
        times.setdefault(size, []).append(elapsed[0])
    return times


STEPS = {"xliff": _xliff, "tbx": _tbx, "concordance": _concordance}


def measure(order=ORDER) -> dict:
    """Every step at 1× and 10× its size (alternating, in this process); seconds per size."""
    folder = WORK / "linear"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    figures: dict = {}
    for name, step in STEPS.items():
        base = SIZES[name][0]
        times = step(folder, [base * factor for factor in order])
        figures[name] = {str(size): seconds for size, seconds in times.items()}
    shutil.rmtree(folder)
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def run() -> list[Row]:
    figures = run_child("bench.linear", "measure", timeout=3600)
    rows = []
    for name, (base, unit) in SIZES.items():
        small, large = min(figures[name][str(base)]), min(figures[name][str(base * 10)])
        label = {"xliff": "XLIFF import of units sharing one Chinese", "tbx": "TBX import into the termbase",
                 "concordance": "concordance of 大模型"}[name]
        rows.append(growth_row("linear", f"{label}: {base * 10:,} vs {base:,} {unit}", small, large, TARGET,
                               f"best of {len(figures[name][str(base)])}, CPU: {small:.2f} s vs {large:.2f} s; "
                               f"peak RSS {figures['peak_rss_mb']:.0f} MiB"))
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure()))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
