"""Benchmarks run by ``make bench`` (``python -m bench``); not part of the test suite.

Every benchmark module has a ``run() -> list[Row]`` that measures its subject and
a baseline side by side, in the same run, and returns the ratios. ``python -m
bench`` runs them all and prints one table. A row may also be a plain ``dict``
with the same keys as :class:`Row`.

Nothing here downloads anything: the realistic-size model is built locally with
random weights (``scripts/make_bench_model.py``) under ``build/bench/``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

#: The repository this package lives in.
REPO = Path(__file__).resolve().parent.parent
#: Scratch space for benchmark projects and models (git-ignored, never committed).
WORK = REPO / "build" / "bench"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the benchmark table."""

    benchmark: str
    """Which benchmark (``translation``, ``build``, ``scale``, ``pdf``)."""
    measure: str
    """What was measured, e.g. ``engine vs argos baseline``."""
    value: str
    """The measured figure, with its unit (``3.4×``, ``1.2 s``)."""
    target: str = ""
    """What the issue asks for (``≥ 3×``); empty when the row is informative only."""
    met: bool | None = None
    """True / False against the target; None when there is no target."""
    note: str = ""
    """How it was measured, or why the target is missed."""
    number: float | None = None
    """The figure as a number (``results.json``); None: read from the start of ``value``."""
    unit: str = ""
    """The figure's unit (``s``, ``×``, ``sent/s``); empty: read from ``value`` after the number."""
    latency: bool = False
    """The figure is what a user waits for (``serve``: edit → page reloaded): a target in seconds is allowed.

    Any other row in seconds carries no target: seconds move threefold between machines, so a target
    is a ratio to a baseline measured in the same run (:func:`target_problem`)."""

    def to_json(self) -> dict:
        """One object of ``build/bench/results.json``: ``value`` is a number (None when the row has none)."""
        number, unit = (self.number, self.unit) if self.number is not None else parse_value(self.value)
        return {"benchmark": self.benchmark, "measure": self.measure, "value": number, "unit": self.unit or unit,
                "target": self.target, "met": self.met, "shown": self.value, "note": self.note,
                "latency": self.latency}


#: Units of absolute time and speed: figures that move with the machine, so never a target's (unless a latency).
ABSOLUTE_UNITS = frozenset({"s", "ms", "min", "sent/s", "articles/s"})


def target_problem(row: Row) -> str:
    """Why a row's target breaks the rule (an absolute time that is not a user-facing latency), or ``""``."""
    if not row.target or row.latency:
        return ""
    unit = row.unit if row.number is not None else parse_value(row.value)[1]
    if unit in ABSOLUTE_UNITS or parse_value(row.target.lstrip("≤≥<>= "))[1] in ABSOLUTE_UNITS:
        return "a target on an absolute time: make it a ratio to a baseline of the same run, or mark it a latency"
    return ""


_NUMBER = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*([^\s(;,]*)")


def parse_value(value: str) -> tuple[float | None, str]:
    """``"4.97× (…)"`` → ``(4.97, "×")``, ``"12.6 s"`` → ``(12.6, "s")``, ``"2 of 5"`` → ``(2.0, "of")``; ``"-"`` → ``(None, "")``."""
    match = _NUMBER.match(value)
    if not match:
        return None, ""
    unit = match.group(2)
    return float(match.group(1).replace(",", "")), "" if unit in ("vs", "of", "and", "to") else unit


def spread(values: list[float], digits: int = 2) -> str:
    """``median of 3 runs, min–max 1.10–1.25``: how noisy repeated measures were, for a row's note."""
    ordered = sorted(values)
    return f"median of {len(ordered)} runs, min–max {ordered[0]:.{digits}f}–{ordered[-1]:.{digits}f}"


def median(values: list[float]) -> float:
    """The median (the mean of the middle two for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, infinite when the denominator is zero."""
    return numerator / denominator if denominator else float("inf")


def growth_row(benchmark: str, measure: str, small: float, large: float, target: float, note: str) -> Row:
    """The row of a step timed at two sizes: ``large / small`` against ``≤ target×`` (what counts as linear)."""
    growth = ratio(large, small)
    return Row(benchmark, measure, f"{growth:.1f}×", f"≤ {target:g}× (linear)", growth <= target, note)


@contextmanager
def timer() -> Iterator[list[float]]:
    """Measure wall time: ``with timer() as t: ...; seconds = t[0]``."""
    box = [0.0]
    start = time.perf_counter()
    try:
        yield box
    finally:
        box[0] = time.perf_counter() - start


@contextmanager
def pdf_parts() -> Iterator[dict[str, tuple[float, float]]]:
    """The PDF parts set inside the block, as the renderer logs them: name → (wall, CPU) seconds in its worker."""
    import logging

    from translate.render.pdf import edition as pdf

    parts: dict[str, tuple[float, float]] = {}

    class Capture(logging.Handler):
        def emit(self, record):
            if record.msg.startswith("set %s"):
                parts[record.args[0]] = (record.args[2], record.args[3])

    handler, level = Capture(), pdf.log.level
    pdf.log.addHandler(handler)
    pdf.log.setLevel(logging.INFO)
    try:
        yield parts
    finally:
        pdf.log.removeHandler(handler)
        pdf.log.setLevel(level)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_dir() -> Path:
    """The edition's cleaned articles (``corpus/*.md``)."""
    return REPO / "corpus"


def make_project(folder: Path, *, articles: int | None = None, copies: int = 1, engine: str = "gloss",
                 extra_settings: str = "") -> Path:
    """A throwaway project in ``folder``: the edition's articles, glossary and templates.

    ``copies`` > 1 repeats the five articles under new slugs (a synthetic corpus);
    ``articles`` caps how many are written. Returns ``folder``.
    """
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "corpus").mkdir(parents=True)
    (folder / "glossary").mkdir()
    sources = sorted(corpus_dir().glob("*.md"))
    if not sources:
        raise SystemExit("no cleaned articles in corpus/*.md; run `bitext corpus import corpus/raw/*.txt` first")
    written = 0
    for copy in range(copies):
        for source in sources:
            if articles is not None and written >= articles:
                break
            slug = source.stem if copy == 0 else f"{source.stem}-{copy:03d}"
            (folder / "corpus" / f"{slug}.md").write_bytes(source.read_bytes())
            written += 1
    shutil.copy(REPO / "glossary" / "terms.csv", folder / "glossary" / "terms.csv")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", folder / "templates")
    (folder / "edition.toml").write_text(
        f'[edition]\ntitle = "Bench"\n\n[translation]\nengine = "{engine}"\n{extra_settings}', encoding="utf-8")
    return folder


def run_child(module: str, *args: str, env: dict | None = None, timeout: float = 1800) -> dict:
    """Run ``python -m module args`` in a fresh process and return the JSON it prints last."""
    completed = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True,
                               env={**os.environ, **(env or {})}, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
