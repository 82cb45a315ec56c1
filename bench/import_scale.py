"""Benchmark: is importing an article linear in its size? (issue 16)

One plain-text article of 1 MB and one of 10 MB are made from the five raw seeds and the
held-out scrapes (tests/corpus/heldout/): page chrome, keyword spam, pinyin annotations,
HTML remnants, Markdown images and links, Traditional and Simplified text. Copy *k* of the
material gets the marker ``（k）`` before every full stop, so no sentence repeats. Lines
with damaged bytes are left out: each damaged span costs the mojibake rule's beam search
(a fraction of a second, the same for every span, so linear in their number) and would
only measure how many there are. Each article is imported (``import_sources``, as
``bitext corpus import`` does) into a fresh folder, in one fresh process, after a small
warm-up import so that loading jieba's and pypinyin's dictionaries is not charged to the
article. The sizes alternate (1, 10, 1, 10, 1, 10, 1 MB) and the best time of each size counts:
on a shared machine the time of one run varies by a third between processes. The 10 MB
import must take at most 12 times the 1 MB one.

Run alone: ``python -m bench import_scale``; the measurement alone: ``python -m bench.import_scale measure``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from bench import REPO, WORK, Row, growth_row, peak_rss_mb, ratio, run_child, timer

SIZES_MB = (1, 10)
#: Imports in the order they run, in one process: the sizes alternate so that a busy spell of the
#: machine falls on both, and the best of each size counts (as timeit does).
ORDER = (1, 10, 1, 10, 1, 10, 1)
#: The 10 MB import over the 1 MB one: at most this is "linear" (issue 16).
TARGET = 12.0
_DAMAGED = re.compile(r"[\u3400-\u9fff。，、]\?|\ufffd|⟦")


def material() -> str:
    """The text one copy of the article is made of: the seeds and the held-out scrapes, without damaged lines."""
    sources = sorted((REPO / "corpus" / "raw").glob("*.txt")) + sorted(
        (REPO / "tests" / "corpus" / "heldout").glob("*.txt"))
    texts = []
    for path in sources:
        lines = path.read_text(encoding="utf-8").split("\n")
        texts.append("\n".join(line for line in lines if not _DAMAGED.search(line)))
    return "\n\n".join(texts)


def make_article(megabytes: float, path: Path) -> int:
    """Write an article of about ``megabytes`` MB to ``path``; return its size in bytes."""
    base = material()
    parts, total, copy = [], 0, 0
    while total < megabytes * 1_000_000:
        copy += 1
        part = base.replace("。", f"（{copy}）。")
        parts.append(part)
        total += len(part.encode("utf-8")) + 2
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path.stat().st_size


def measure(order=ORDER) -> dict:
    """Import articles of the sizes in ``order`` (MB) in this process, after a warm-up import; the best time of each size."""
    from translate.corpus import import_sources

    folder = WORK / "import-scale"
    if folder.exists():
        shutil.rmtree(folder)
    warm = folder / "warm"
    (warm / "raw").mkdir(parents=True)
    (warm / "raw" / "warm.txt").write_text(material()[:20_000], encoding="utf-8")
    import_sources([warm / "raw" / "warm.txt"], warm)
    figures: dict = {}
    for attempt, megabytes in enumerate(order):
        source = folder / f"raw-{megabytes:g}" / "article.txt"
        if not source.exists():
            make_article(megabytes, source)
        corpus = folder / f"corpus-{attempt}"
        corpus.mkdir()
        with timer() as elapsed:
            results = import_sources([source], corpus)
        shutil.rmtree(corpus)
        entry = figures.setdefault(str(megabytes), {"bytes": source.stat().st_size, "times": [],
                                                     "paragraphs": results[0].paragraphs})
        entry["times"].append(elapsed[0])
    shutil.rmtree(folder)
    for entry in figures.values():
        entry["seconds"] = min(entry["times"])
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def run() -> list[Row]:
    figures = run_child("bench.import_scale", "measure", timeout=3600)
    results = {size: figures[str(size)] for size in SIZES_MB}
    small, large = results[SIZES_MB[0]], results[SIZES_MB[-1]]
    rows = [
        Row("import_scale", f"import a {size} MB article", f"{r['seconds']:.1f} s",
            note=f"best of {', '.join(f'{t:.1f}' for t in r['times'])} s; {r['bytes'] / 1e6:.1f} MB, "
                 f"{r['paragraphs']} paragraphs")
        for size, r in results.items()
    ]
    rows.append(growth_row("import_scale", f"{SIZES_MB[-1]} MB import over {SIZES_MB[0]} MB", small["seconds"],
                           large["seconds"], TARGET, f"{ratio(large['bytes'], small['bytes']):.1f}× the bytes; one "
                           f"fresh process, peak RSS {figures['peak_rss_mb']:.0f} MiB"))
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure()))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
