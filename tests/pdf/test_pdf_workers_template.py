"""The PDF workers are forked from a template process that has imported WeasyPrint (issue 33: a cold PDF's
CPU outside the parts): they still see the build process's environment and folder, die with it, and
the provisional contents is laid out without being written."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from translate.render.pdf import workers as pdf_workers
from translate.render.pdf.workers import PdfJob, Workers, count_pages, render_document

FORKSERVER = "forkserver" in multiprocessing.get_all_start_methods()


@pytest.mark.skipif(not FORKSERVER, reason="no forkserver start method here: workers are spawned")
def test_workers_come_from_a_template_process_with_weasyprint_imported():
    with Workers(1) as workers:
        parent = workers.call(os.getppid).result(timeout=60)
        assert parent != os.getpid()  # forked by the template, not spawned by this process
    with open(f"/proc/{parent}/cmdline", "rb") as cmdline:
        assert b"forkserver" in cmdline.read()
    assert "weasyprint" in pdf_workers.PRELOAD


def test_a_worker_has_the_environment_and_folder_of_the_build_when_its_pool_starts(tmp_path, monkeypatch):
    with Workers(1) as workers:  # the template process is started by now, with this environment
        workers.call(os.getpid).result(timeout=60)
    monkeypatch.setenv("BITEXT_WORKER_PROBE", "set after the template started")
    monkeypatch.chdir(tmp_path)
    with Workers(1) as workers:
        assert workers.call(os.getenv, "BITEXT_WORKER_PROBE").result(timeout=60) == "set after the template started"
        assert Path(workers.call(os.getcwd).result(timeout=60)).resolve() == tmp_path.resolve()


_ORPHAN = """
import os, sys
from translate.render.pdf.workers import Workers
workers = Workers(1)
print(workers.call(os.getpid).result(timeout=60), flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their build on Linux")
def test_workers_die_with_a_build_process_that_is_killed():
    build = subprocess.Popen([sys.executable, "-c", _ORPHAN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        worker = int(build.stdout.readline())
        os.kill(worker, 0)  # alive
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        try:  # a zombie counts as gone
            if Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except OSError:
            return
        time.sleep(0.1)
    pytest.fail(f"worker {worker} outlived its killed build process")


def test_counting_pages_lays_out_as_setting_does(tmp_path):
    html = "<!DOCTYPE html><html lang='en'><body>" + "".join(
        f"<p>Paragraph {n}: {'a fairly long line of words that wraps ' * 6}</p>" for n in range(40)) + "</body></html>"
    job = PdfJob("count.pdf", html, "@page { size: A6; margin: 10mm } p { margin: 0 0 4pt }",
                 tmp_path.as_uri() + "/", (tmp_path,))
    pages = count_pages(job)
    assert pages > 3
    assert pages == render_document(job).pages
