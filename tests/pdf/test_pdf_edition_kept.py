"""A process that keeps its PDF workers between builds (keep_workers) keeps one more than layout.jobs, so that an
edit's parts (the changed articles and the back matter: often one more than the cores) are set side by side."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from translate.render.pdf import edition as pdf
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_kept_workers_are_one_more_than_the_jobs_and_set_that_many_parts_at_once(tmp_path):
    settings = replace(Settings(root=REPO, build_dir=tmp_path / "build"), jobs=2)
    with pdf.keep_workers():
        with pdf.open_workers(settings) as first:
            assert first.count == settings.jobs + pdf.KEPT_EXTRA == 3
        with pdf.open_workers(settings) as second:
            assert second is first  # kept between builds
    with pdf.open_workers(settings) as alone:  # outside keep_workers: layout.jobs, no more
        assert alone.count == settings.jobs


def test_kept_workers_run_as_many_jobs_side_by_side(tmp_path):
    settings = replace(Settings(root=REPO, build_dir=tmp_path / "build"), jobs=2)
    with pdf.keep_workers(), pdf.open_workers(settings) as workers:
        for warm in [workers.call(os.getpid) for _ in range(workers.count)]:
            warm.result(timeout=60)
        started = time.monotonic()
        for sleeper in [workers.call(time.sleep, 1.5) for _ in range(3)]:
            sleeper.result(timeout=60)
        assert time.monotonic() - started < 2.9  # three at once, not two and then one
