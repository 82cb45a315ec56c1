"""Benchmark: where the seconds of a cold build go, stage by stage.

The same cold build as ``bench build`` (gloss engine, the five articles, HTML + EPUB
+ PDF, empty build folder), run twice, each in a fresh process: once plain, for
the wall time, and once under :mod:`cProfile`, for the shares. The profile of the
build process is summed by stage: each function's own time goes to the stage of
the file it is in (a C function's, such as a regular expression's, to the stage of
its caller, in proportion to what each caller spent in it). The PDF's parts are set
in worker processes, which the profiler does not see: their seconds come from the
renderer's own figures, and the build process's time waiting for them is a stage
of its own.

The profiler slows Python code down (by about a third here), so the seconds of the
stages add up to more than the plain build's wall time; the shares are what to read.

Run alone: ``python -m bench profile``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from bench import WORK, Row, make_project, run_child, timer

PROJECT = WORK / "profile-project"
BUILD_DATE = "2025-01-01"

#: (stage, path fragments of the files whose time is that stage's), first match wins.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("waiting for the PDF workers", ("concurrent/futures", "threading.py", "selectors.py",
                                     "multiprocessing/")),
    ("Python imports", ("<frozen importlib", "importlib/", "<frozen zipimport")),
    ("OpenCC (script conversion)", ("opencc", "translate/script.py")),
    ("jieba (word segmentation)", ("jieba/",)),
    ("CC-CEDICT (dictionary)", ("translate/dictionary.py",)),
    ("corpus: load the articles", ("translate/corpus/",)),
    ("glossary: load and match terms", ("translate/glossary/",)),
    ("translation (gloss engine, memory, ladder)", ("translate/translation/", "sqlite3")),
    ("post-editing (PO stores)", ("translate/postedit/",)),
    ("quality report", ("translate/quality.py",)),
    ("EPUB", ("translate/render/epub.py", "zipfile", "zlib")),
    ("PDF in the build process (plan, fonts, book)", ("translate/render/pdf", "translate/render/book.py",
                                                       "translate/render/fonts.py", "translate/render/printcss.py",
                                                       "translate/render/urlguard.py", "pypdf/", "fontTools/")),
    ("HTML (views, templates, word help)", ("translate/render/", "translate/markup.py", "jinja2/", "markupsafe/")),
    ("writing files", ("translate/outputs.py", "shutil.py", "tempfile.py")),
)
OTHER = "other"


def stage_of(filename: str) -> str:
    """The stage a function's file belongs to."""
    name = filename.replace("\\", "/")
    for stage, fragments in STAGES:
        if any(fragment in name for fragment in fragments):
            return stage
    return OTHER


def stage_seconds(stats) -> dict[str, float]:
    """Own time per stage from a :class:`pstats.Stats`; a built-in's time goes to its callers' stages."""
    seconds: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, own, _cum, callers) in stats.stats.items():
        if filename != "~":
            stage = stage_of(filename)
            seconds[stage] = seconds.get(stage, 0.0) + own
            continue
        spent = sum(per_caller[2] for per_caller in callers.values())
        for (caller_file, _l, _n), per_caller in callers.items():
            stage = stage_of(caller_file) if caller_file != "~" else OTHER
            seconds[stage] = seconds.get(stage, 0.0) + per_caller[2]
        if own > spent:  # called from the top level (no Python caller)
            seconds[OTHER] = seconds.get(OTHER, 0.0) + own - spent
    return seconds


def cold(project: Path, profiled: bool) -> dict:
    """One cold build of ``project`` in this (fresh) process; with ``profiled``, seconds by stage too."""
    import cProfile
    import logging
    import pstats

    from translate.pipeline import build_edition
    from translate.render import pdf
    from translate.settings import load_settings

    settings = load_settings(project)
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    parts: dict[str, tuple[float, float]] = {}

    class Capture(logging.Handler):
        def emit(self, record):
            if record.msg.startswith("set %s"):
                parts[record.args[0]] = (record.args[2], record.args[3])

    pdf.log.addHandler(Capture())
    pdf.log.setLevel(logging.INFO)
    profile = cProfile.Profile() if profiled else None
    with timer() as elapsed:
        if profile:
            profile.enable()
        build_edition(settings, engine_name="gloss", build_date=BUILD_DATE)
        if profile:
            profile.disable()
    result = {"seconds": elapsed[0], "parts": parts}
    if profile:
        result["stages"] = stage_seconds(pstats.Stats(profile))
    return result


def run() -> list[Row]:
    project = make_project(PROJECT, engine="gloss")
    plain = run_child("bench.profile", "cold", str(project))
    profiled = run_child("bench.profile", "profiled", str(project))
    stages = profiled["stages"]
    total = sum(stages.values())
    parts = plain["parts"]
    worker_wall = sum(wall for wall, _cpu in parts.values())
    worker_cpu = sum(cpu for _wall, cpu in parts.values())
    rows = [Row("profile", "cold build, plain (wall)", f"{plain['seconds']:.1f} s",
                note="gloss engine, five articles, HTML + EPUB + PDF, empty build folder, fresh process",
                number=plain["seconds"], unit="s"),
            Row("profile", "cold build under cProfile (wall)", f"{profiled['seconds']:.1f} s",
                note=f"the build process's own time below sums to {total:.1f} s", number=profiled["seconds"], unit="s")]
    for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        if seconds >= 0.05:
            rows.append(Row("profile", f"  {stage}", f"{seconds:.2f} s", note=f"{seconds / total:.0%} of the build process",
                            number=seconds, unit="s"))
    rows.append(Row("profile", "PDF parts set in the workers", f"{worker_wall:.1f} s",
                    note=f"{len(parts)} parts in layout.jobs workers (plain run), {worker_cpu:.1f} s CPU; "
                         "these overlap with the stages above", number=worker_wall, unit="s"))
    return rows


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if len(sys.argv) == 3 and sys.argv[1] in ("cold", "profiled"):
        print(json.dumps(cold(Path(sys.argv[2]), sys.argv[1] == "profiled")))
    else:
        from bench.__main__ import format_table

        print(format_table(run()))
