"""Faults: a build killed at random moments, two builds at once, a full disk, a read-only folder.

What must hold: the next build completes with the same outputs as an uninterrupted
one, no half-written file is ever left in ``build/``, the translation memory stays
consistent, and every failure is one clear line with the earlier outputs untouched.
"""

from __future__ import annotations

import errno
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from trusttools import (
    GLOSSARY,
    alive_in_group,
    bitext,
    build,
    kill_build,
    make_project,
    memory_check,
    memory_rows,
    no_traceback,
    outputs,
    start_build,
)

from translate.outputs import build_lock

#: The glossary a first, complete build of the killed project used (one target differs).
OLD_GLOSSARY = GLOSSARY.replace("大模型,large model,", "大模型,big model,")
#: Report fields that count what the translation memory served: they describe the run, not the edition.
RUN_FIELDS = ("cache_hits", "cache_misses", "cached")


def _without_run_fields(data):
    if isinstance(data, dict):
        return {k: _without_run_fields(v) for k, v in data.items() if k not in RUN_FIELDS}
    if isinstance(data, list):
        return [_without_run_fields(v) for v in data]
    return data


def comparable(files: dict[str, bytes]) -> dict[str, object]:
    """Outputs with the translation memory's hit counts taken out.

    The JSON files lose their hit-count fields; the HTML report page, which prints
    those counts, is left out (a build after killed ones serves more from the memory).
    """
    return {name: _without_run_fields(json.loads(data)) if name.endswith(".json") else data
            for name, data in files.items() if name != "html/report.html"}


def assert_every_output_whole(build_dir: Path) -> None:
    """No output in ``build_dir`` is half-written (temporaries aside: the next build removes them)."""
    for path in build_dir.rglob("*"):
        name = path.name
        if not path.is_file() or name.startswith(".") and name.endswith(".tmp") or name == ".lock":
            continue
        if name.startswith("memory.sqlite"):
            continue
        data = path.read_bytes()
        assert data, f"{path} is empty"
        if name.endswith(".json"):
            json.loads(data)
        elif name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), f"{path} is cut short"
        elif name.endswith(".pdf"):
            assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:], f"{path} is cut short"


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_a_build_that_completes_identically(tmp_path):
    reference = make_project(tmp_path / "reference", real=2)
    started = time.perf_counter()
    build(reference)
    duration = time.perf_counter() - started

    victim = make_project(tmp_path / "victim", real=2, glossary=OLD_GLOSSARY)
    build(victim)  # a complete build of other inputs: its state.json must not make a later build skip
    glossaries = [GLOSSARY, OLD_GLOSSARY]
    rng = random.Random(8)
    killed_while_running = 0
    for run in range(16):
        # Alternate the glossary so every run has translating and rendering to do.
        (victim / "glossary" / "terms.csv").write_text(glossaries[run % 2], encoding="utf-8")
        child = start_build(victim)
        time.sleep(rng.uniform(0.05, duration * 0.8))
        killed_while_running += child.poll() is None
        kill_build(child)
        assert_every_output_whole(victim / "build")
        assert memory_check(victim / "build") == "ok"
    assert killed_while_running >= 10, f"only {killed_while_running} of 16 kills hit a running build"

    (victim / "glossary" / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    build(victim)
    assert not list((victim / "build").rglob(".*.tmp"))
    assert comparable(outputs(victim / "build")) == comparable(outputs(reference / "build"))
    assert memory_check(victim / "build") == "ok"
    remembered = memory_rows(victim / "build")
    assert memory_rows(reference / "build").items() <= remembered.items()


@pytest.mark.slow
def test_sigkill_during_the_pdf_leaves_no_half_written_book(tmp_path):
    pytest.importorskip("translate.render.pdf.edition")
    reference = make_project(tmp_path / "reference")
    started = time.perf_counter()
    build(reference, pdf=True)
    duration = time.perf_counter() - started
    assert list((reference / "build").rglob("*.pdf")), "the reference build wrote no PDF"

    victim = make_project(tmp_path / "victim")
    rng = random.Random(80)
    for _ in range(3):
        child = start_build(victim, pdf=True)
        time.sleep(rng.uniform(duration * 0.5, duration * 0.95))
        kill_build(child)
        assert_every_output_whole(victim / "build")
    build(victim, pdf=True)
    assert not list((victim / "build").rglob(".*.tmp"))
    pdfs = sorted(p.relative_to(victim / "build") for p in (victim / "build").rglob("*.pdf"))
    assert pdfs == sorted(p.relative_to(reference / "build") for p in (reference / "build").rglob("*.pdf"))
    assert_every_output_whole(victim / "build")


@pytest.mark.slow
def test_a_build_killed_during_the_pdf_leaves_no_process_behind(tmp_path):
    pytest.importorskip("translate.render.pdf.edition")
    project = make_project(tmp_path / "project")
    build(project, pdf=True)
    # Each build re-sets the parts using the changed entry. Killed once its PDF workers run and a
    # moment later (shorter each try: a build after an edit can be quick), while it still runs.
    for glossary, pause in [(OLD_GLOSSARY, 1.5), (GLOSSARY, 0.8), (OLD_GLOSSARY, 0.3)]:
        (project / "glossary" / "terms.csv").write_text(glossary, encoding="utf-8")
        child = start_build(project, pdf=True)
        deadline = time.monotonic() + 60
        while len(alive_in_group(child.pid)) < 3 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the build and its two PDF workers
        time.sleep(pause)
        if child.poll() is None:
            break
        child.wait()
    else:
        pytest.fail("every build finished before it could be killed")
    assert not kill_build(child), "processes the build started are still running after it was killed"


# --- two builds at once -------------------------------------------------------------------------------------------


def test_a_second_build_stops_with_a_clear_message(project):
    build_dir = project / "build"
    with build_lock(build_dir):
        result = bitext(project, "build", "--no-pdf")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {build_dir}: another build is running in this folder; "
                             "wait for it to finish (or pass --wait)\n")
    assert not (build_dir / "html").exists() and not (build_dir / "report.json").exists()


def test_a_second_build_with_wait_waits_for_the_first(project):
    build_dir = project / "build"
    command = [sys.executable, "-m", "translate", "--root", str(project), "build", "--no-pdf", "--wait"]
    with build_lock(build_dir):
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(2.0)
        assert child.poll() is None, child.communicate()
        assert not (build_dir / "report.json").exists()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()
    assert (build_dir / "report.json").exists()


@pytest.mark.slow
def test_two_builds_started_together_never_interleave(tmp_path):
    reference = make_project(tmp_path / "reference")
    build(reference)
    project = make_project(tmp_path / "project")
    command = [sys.executable, "-m", "translate", "--root", str(project), "build", "--no-pdf"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = [(child.wait(timeout=120), child.stderr.read().decode()) for child in (first, second)]
    assert sorted(code for code, _ in results)[0] == 0
    for code, err in results:
        if code:
            assert code == 1 and err.strip().endswith("another build is running in this folder; "
                                                      "wait for it to finish (or pass --wait)")
            assert err.count("\n") == 1
    # The CLI dates the build today, the reference is dated BUILD_DATE: compare the undated outputs.
    ours, theirs = comparable(outputs(project / "build")), comparable(outputs(reference / "build"))
    assert ours.keys() == theirs.keys()
    assert [n for n in ours if n.startswith("translations/") and ours[n] != theirs[n]] == []


# --- a full disk, a read-only folder ------------------------------------------------------------------------------


def _built(project: Path) -> dict[str, bytes]:
    result = bitext(project, "build", "--no-pdf")
    assert result.exit_code == 0, result.output
    (project / "glossary" / "terms.csv").write_text(OLD_GLOSSARY, encoding="utf-8")  # something to rebuild
    return outputs(project / "build")


def _raise_inside(folder: Path, code: int, real):
    def failing(*args, **kwargs):
        if any(str(a).startswith(str(folder)) for a in (*args, *kwargs.values()) if isinstance(a, (str, Path))):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)
    return failing


@pytest.mark.parametrize("where", ["rename", "fsync"])
def test_disk_full_is_one_clear_line_and_loses_nothing(project, monkeypatch, where):
    before = _built(project)
    build_dir = project / "build"
    if where == "rename":
        monkeypatch.setattr(os, "replace", _raise_inside(build_dir, errno.ENOSPC, os.replace))
    else:
        def fsync(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", fsync)
    result = bitext(project, "build", "--no-pdf")
    monkeypatch.undo()
    assert no_traceback(result), result.exception
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    # The first file a build writes is an output, or (when it syncs them first) a post-editing store.
    assert result.stderr.startswith((f"Error: {build_dir}/", f"Error: {project}/corpus/zhou-ming.en.po"))
    assert "disk full; free some space and build again (earlier outputs are untouched)" in result.stderr
    assert outputs(build_dir) == before
    assert not list(build_dir.rglob(".*.tmp"))
    assert bitext(project, "build", "--no-pdf").exit_code == 0


def test_disk_full_in_the_translation_memory_is_one_clear_line(project, monkeypatch):
    from translate.translation.memory import TranslationMemory

    before = _built(project)

    def full(self, rows):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TranslationMemory, "put_many", full)
    result = bitext(project, "build", "--no-pdf")
    assert no_traceback(result), f"escaped: {result.exception!r}"
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ") and "memory.sqlite" in result.stderr
    assert outputs(project / "build") == before


def test_read_only_build_folder_is_one_clear_line(project, monkeypatch):
    from translate import outputs as written

    before = _built(project)
    build_dir = project / "build"
    monkeypatch.setattr(written.os, "open", _raise_inside(build_dir, errno.EROFS, os.open))
    result = bitext(project, "build", "--no-pdf")
    assert no_traceback(result), result.exception
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {build_dir}/")
    assert "cannot write here (Read-only file system); make the folder writable or set paths.build" in result.stderr
    assert outputs(build_dir) == before


def test_build_folder_that_cannot_exist_is_one_clear_line(project):
    (project / "blocker").write_text("a regular file where a folder should be\n", encoding="utf-8")
    with (project / "edition.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[paths]\nbuild = "blocker/build"\n')
    result = bitext(project, "build", "--no-pdf")
    assert no_traceback(result), result.exception
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {project}/blocker/build")
    assert (project / "blocker").read_text(encoding="utf-8") == "a regular file where a folder should be\n"
