"""Rebuilding the PDF after an edit: what is set again, what is reused, and that nothing reused is stale.

The contents is queued with the changed parts, on the guess that no page moved (the last
build's page numbers); :func:`translate.render.pdf.edition.keep_workers` keeps the workers
started between builds. Checked through poppler's text and outline, and against a build
from scratch byte for byte (the same inputs give the same bytes).
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from factories import sample_edition
from translate.render.pdf import edition as pdf_edition
from translate.render.pdf import workers as pdf_workers
from translate.render.pdf.edition import BOOK, keep_workers, render_pdf
from translate.settings import Settings

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")]


def make_settings(build_dir: Path, **changes) -> Settings:
    return replace(Settings(root=REPO, templates_dir=REPO / "templates", build_dir=build_dir, jobs=2), **changes)


def _toc(book: Path) -> dict[str, int]:
    """Contents page (the book's second): English titles → the page number at the end of their line."""
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(book), "-"], capture_output=True,
                          text=True, check=True).stdout
    return {m[1].strip(): int(m[2]) for line in text.splitlines() if "." in line
            and (m := re.match(r"\s*(.+?)[ .]*\s(\d+)\s*$", line))}


def _outline(book: Path) -> dict[str, int]:
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(book)],
                         capture_output=True, text=True, check=True).stdout
    return {label: int(page) for page, label in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)}


def _starts(book: Path, edition) -> dict[str, tuple[int, int]]:
    """Each article's (contents number, outline page)."""
    toc, outline = _toc(book), _outline(book)
    return {a.slug: (toc[a.title_en], outline[next(k for k in outline if k.endswith(a.title_en))])
            for a in edition.articles}


def _longer(edition, words: int = 900):
    """The first article with a sentence long enough to push every later article a page or more on."""
    first = edition.articles[0]
    block = first.blocks[1]
    segment = replace(block.segments[0], en=" ".join(["Zhou Ming founded Langboat."] * (words // 4)))
    longer = replace(first, blocks=(first.blocks[0], replace(block, segments=(segment, *block.segments[1:])),
                                    *first.blocks[2:]))
    return replace(edition, articles=(longer, *edition.articles[1:]))


@pytest.fixture
def submitted(monkeypatch):
    """The names of the documents given to the workers, and "finish" where the build began to wait for them."""
    names = []
    submit, finish = pdf_workers.Workers.submit, pdf_edition.PdfBuild._finish
    monkeypatch.setattr(pdf_workers.Workers, "submit", lambda self, job: names.append(job.name) or submit(self, job))
    monkeypatch.setattr(pdf_edition.PdfBuild, "_finish", lambda self: names.append("finish") or finish(self))
    return names


#: The cached folios: a set for at least as many pages as the book has, however many the build that set it guessed.
FOLIOS = (".parts/folios.pdf", ".parts/folios.pdf.json")


def _files(folder: Path) -> dict[str, bytes]:
    return {name: p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and (name := str(p.relative_to(folder))) not in FOLIOS}


def _same_as_from_scratch(edition, settings: Settings) -> None:
    """Every file of the build folder's PDFs (parts, hashes, fonts; not the folios) as a build from an empty folder writes them."""
    folder = settings.build_dir / "pdf"
    built = _files(folder)
    shutil.rmtree(folder)
    render_pdf(edition, settings)
    assert _files(folder) == built


def test_an_edit_that_moves_no_page_has_its_contents_queued_with_the_parts(tmp_path, submitted):
    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    render_pdf(edition, settings)
    first = edition.articles[0]
    edited = replace(edition, articles=(replace(first, title_en=f"{first.title_en}, edited"), *edition.articles[1:]))
    submitted.clear()
    with pdf_workers.Workers(2) as workers:  # as a build brings them (alone, one part would be set here)
        render_pdf(edited, settings, workers=workers)
    # The contents (with the last build's numbers, which still hold) went with the part, not after it.
    assert submitted == [f"{first.slug}.pdf", "front.pdf", "finish"]
    book = settings.build_dir / "pdf" / BOOK
    assert all(number == page for number, page in _starts(book, edited).values())
    assert f"{first.title_en}, edited" in _toc(book)
    _same_as_from_scratch(edited, settings)


def test_an_edit_that_moves_the_pages_sets_the_contents_again_with_the_new_numbers(tmp_path, submitted):
    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    render_pdf(edition, settings)
    book = settings.build_dir / "pdf" / BOOK
    before = _starts(book, edition)
    longer = _longer(edition)
    longer = replace(longer, articles=(replace(longer.articles[0], title_en="Zhou Ming at length"), *longer.articles[1:]))
    submitted.clear()
    with pdf_workers.Workers(2) as workers:
        render_pdf(longer, settings, workers=workers)
    after = _starts(book, longer)
    second = edition.articles[1].slug
    assert after[second][0] > before[second][0]  # the contents moved with the article
    assert all(number == page for number, page in after.values())
    # The guess (the new title, the old numbers) was queued with the part, then dropped for the right contents.
    assert submitted == [f"{edition.articles[0].slug}.pdf", "front.pdf", "finish", "front.pdf"]
    _same_as_from_scratch(longer, settings)


def test_an_edit_that_moves_the_pages_and_shows_nothing_else_new_sets_the_contents_once(tmp_path, submitted):
    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    render_pdf(edition, settings)
    longer = _longer(edition)  # its contents with the old numbers is the cached one: no guess to queue
    submitted.clear()
    with pdf_workers.Workers(2) as workers:
        render_pdf(longer, settings, workers=workers)
    assert submitted == [f"{edition.articles[0].slug}.pdf", "finish", "front.pdf"]
    assert all(number == page for number, page in _starts(settings.build_dir / "pdf" / BOOK, longer).values())


def test_an_edit_to_one_article_leaves_the_other_offprint_as_it_was(tmp_path):
    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    render_pdf(edition, settings)
    folder = settings.build_dir / "pdf"
    stamps = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.pdf")}
    render_pdf(_longer(edition), settings)
    now = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.pdf")}
    first, second = (f"{a.slug}.pdf" for a in edition.articles)
    assert now[second] == stamps[second]
    assert now[first] != stamps[first] and now[BOOK] != stamps[BOOK]


def test_kept_workers_serve_every_build_in_the_context_and_stop_when_it_ends(tmp_path):
    import os

    settings = make_settings(tmp_path / "build")
    edition = sample_edition()
    with keep_workers():
        with pdf_edition.open_workers(settings) as workers:
            workers.call(os.getpid).result(timeout=120)
            pids = {child.pid for child in multiprocessing.active_children()}  # every worker, warmed or not
        render_pdf(edition, settings, workers=workers)
        with pdf_edition.open_workers(settings) as again:
            assert again is workers  # started once, for every build
        render_pdf(_longer(edition), settings, workers=again)
        assert {again.call(os.getpid).result(timeout=120) for _ in range(4)} <= pids
        assert multiprocessing.active_children()
    assert multiprocessing.active_children() == []
    _same_as_from_scratch(_longer(edition), settings)  # workers that set other documents before: the same bytes


def test_a_failed_build_stops_the_kept_workers_and_the_next_starts_new_ones(tmp_path):
    settings = make_settings(tmp_path / "build")
    with keep_workers():
        with pytest.raises(RuntimeError):
            with pdf_edition.open_workers(settings) as workers:
                raise RuntimeError("the build failed")
        with pdf_edition.open_workers(settings) as again:
            assert again is not workers
            assert again.call(sum, (1, 2)).result(timeout=120) == 3
    assert multiprocessing.active_children() == []
