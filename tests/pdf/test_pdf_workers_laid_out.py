"""A worker tells a part's pages and anchors as soon as it is laid out, before it writes the PDF (issue 33: the
contents is set while the last part's PDF is still being written)."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from translate.render.pdf import workers as pdf_workers
from translate.render.pdf.workers import LaidOut, PdfJob, Workers, announced, forward, render_document

HTML = """<!DOCTYPE html><html lang="en"><body><h1 id="top">Title</h1>
<p style="break-before: page" id="second">Second page</p></body></html>"""


def job(tmp_path: Path, html: str = HTML) -> PdfJob:
    return PdfJob("part.pdf", html, "@page { size: A6 }", tmp_path.as_uri() + "/", (tmp_path,), ("top", "second"),
                  tagged=False)


def test_the_layout_is_told_before_the_pdf_is_written(tmp_path, monkeypatch):
    from weasyprint import Document

    events = []

    class Queue:
        def put(self, report):
            events.append(("told", report))

    write = Document.write_pdf
    monkeypatch.setattr(Document, "write_pdf", lambda self, *a, **k: events.append(("written", None)) or write(self, *a, **k))
    monkeypatch.setattr(pdf_workers, "_announced", Queue())
    from dataclasses import replace

    result = render_document(replace(job(tmp_path), announce="7:part.pdf"))
    assert [kind for kind, _ in events] == ["told", "written"]
    key, pages, anchors = events[0][1]
    assert (key, pages, anchors) == ("7:part.pdf", result.pages, result.anchors) and pages == 2
    assert anchors["second"][0] == 1


def test_a_job_without_a_key_tells_nothing(tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(pdf_workers, "_announced", type("Q", (), {"put": lambda self, report: told.append(report)})())
    render_document(job(tmp_path))
    assert told == []


@pytest.mark.slow
def test_workers_tell_the_layout_and_then_the_result(tmp_path):
    with Workers(1) as workers:
        result, laid = workers.submit_announced(job(tmp_path))
        done = result.result(timeout=120)
        told = laid.result(timeout=5)
        assert told == LaidOut("part.pdf", done.pages, done.anchors)
        # A part that fails: its layout future fails with it.
        broken = job(tmp_path, '<img src="https://example.invalid/x.png">')
        result, laid = workers.submit_announced(broken)
        with pytest.raises(Exception) as failed:
            result.result(timeout=120)
        with pytest.raises(type(failed.value)):
            laid.result(timeout=5)


def test_a_pool_of_another_kind_tells_the_layout_with_the_result():
    class Pool:  # e.g. a cluster's: no early reports
        def submit(self, job):
            self.future = Future()
            return self.future

    pool = Pool()
    result, laid = announced(pool, "job")
    assert not laid.done()
    pool.future.set_result(type("R", (), {"name": "p.pdf", "pages": 3, "anchors": {"a": [0, 1.0]}})())
    assert laid.result(timeout=1) == LaidOut("p.pdf", 3, {"a": [0, 1.0]})


def test_forward_tells_once():
    source, target = Future(), Future()
    forward(source, target, lambda value: value * 2)
    target.set_result(0)  # told meanwhile (the worker's report came first)
    source.set_result(21)
    assert target.result() == 0
