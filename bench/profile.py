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
from functools import cache
from pathlib import Path

from bench import WORK, Row, make_project, pdf_parts, run_child, timer

PROJECT = WORK / "profile-project"
BUILD_DATE = "2025-01-01"

#: The stage every renderer's file falls in unless an output has a stage of its own.
SHARED_RENDERING = "HTML, and the views every renderer shares"
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
    ("PDF in the build process (plan, fonts, book)", ("translate/render/pdf/", "translate/render/fonts.py",
                                                       "pikepdf/", "fontTools/")),
    ("pinyin (names, word help)", ("pypinyin/",)),
    (SHARED_RENDERING, ("translate/render/", "translate/markup.py", "jinja2/", "markupsafe/", "markdown_it/", "mdurl/",
                        "templates/")),
    ("writing files", ("translate/outputs.py", "shutil.py", "tempfile.py")),
)
OTHER = "other"


@cache
def output_stages() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The stages, with one more for each registered output that none names (a new output is timed on its own)."""
    from translate.render.builders import builders

    root = Path(__file__).resolve().parents[1]
    added = []
    for builder in builders():
        source = builder.source()
        if builder.live or source is None:
            continue
        fragment = str(source.relative_to(root)) if source.is_relative_to(root) else str(source)
        if _named_stage(fragment, STAGES) in (SHARED_RENDERING, OTHER):
            added.append((f"{builder.name.upper()} output", (fragment.replace("\\", "/"),)))
    shared = next(n for n, (stage, _) in enumerate(STAGES) if stage == SHARED_RENDERING)
    return (*STAGES[:shared], *added, *STAGES[shared:])


def _named_stage(name: str, stages) -> str:
    for stage, fragments in stages:
        if any(fragment in name for fragment in fragments):
            return stage
    return OTHER


def stage_of(filename: str) -> str:
    """The stage a function's file belongs to."""
    return _named_stage(filename.replace("\\", "/"), output_stages())


def _transparent(filename: str) -> bool:
    """A C function, or the standard library's Python (``re``, ``json``…): its time is its caller's."""
    name = filename.replace("\\", "/")
    return filename == "~" or ("/lib/python3" in name and "site-packages" not in name and stage_of(name) == OTHER)


def stage_seconds(stats) -> dict[str, float]:
    """Own time per stage from a :class:`pstats.Stats`.

    The time of a C function or of the standard library's Python goes up the callers, in
    proportion to what each spent in it, to the first function of a stage.
    """
    shares: dict[tuple, dict[str, float]] = {}

    def stages_of(function: tuple, seen: frozenset = frozenset()) -> dict[str, float]:
        if function in shares:
            return shares[function]
        if not _transparent(function[0]):
            return {stage_of(function[0]): 1.0}
        callers = stats.stats[function][4] if function in stats.stats else {}
        total = sum(per_caller[3] for caller, per_caller in callers.items() if caller not in seen)
        if not total:
            return {OTHER: 1.0}
        out: dict[str, float] = {}
        for caller, per_caller in callers.items():
            if caller in seen:
                continue
            for stage, share in stages_of(caller, seen | {function}).items():
                out[stage] = out.get(stage, 0.0) + share * per_caller[3] / total
        if not seen:
            shares[function] = out
        return out

    seconds: dict[str, float] = {}
    for function, (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        for stage, share in stages_of(function).items():
            seconds[stage] = seconds.get(stage, 0.0) + own * share
    return seconds


def cold(project: Path, profiled: bool) -> dict:
    """One cold build of ``project`` in this (fresh) process; with ``profiled``, seconds by stage too."""
    import cProfile
    import pstats

    from translate.pipeline import build_edition
    from translate.settings import load_settings

    settings = load_settings(project)
    shutil.rmtree(settings.build_dir, ignore_errors=True)
    profile = cProfile.Profile() if profiled else None
    with pdf_parts() as parts, timer() as elapsed:
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
