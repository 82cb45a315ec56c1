"""Setting PDFs with WeasyPrint: one job per document, in parallel worker processes that die with the build.

A build starts its workers (:func:`start_workers`) before it translates, so that
starting them overlaps with the translation; the parts are then set while the HTML
and the EPUB are written. The workers are forked from a template process that has
imported WeasyPrint once (``forkserver``), rather than each starting an interpreter
and importing it (about 0.55 -> 0.15 s CPU a worker; the template's 0.4 s once a process).
"""

from __future__ import annotations

import atexit
import gc
import itertools
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, InvalidStateError, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable

from translate.errors import BitextError, RenderError
from translate.render.pdf import hyphenation, tagging
from translate.render.pdf.assembly import OUTSIDE, PT_PER_PX
from translate.render.pdf.urlguard import _fetcher


@dataclass(frozen=True, slots=True)
class PdfJob:
    """One PDF to set: its HTML and CSS and where it may load files from."""

    name: str
    html: str
    css: str
    base_url: str
    allowed: tuple[Path, ...]
    anchors: tuple[str, ...] = ()
    """Element ids whose page the result should report (articles, sections, parts of the back matter)."""
    tagged: bool = True
    """Write an accessible PDF (PDF/UA-1: structure tree, languages, alt text); the folios, drawn over
    the pages as artifacts, are not."""
    announce: str = ""
    """Set by :meth:`Workers.submit_announced`: the worker reports the part's pages and anchors under this key as soon
    as it is laid out, before its PDF is written."""


@dataclass(frozen=True, slots=True)
class LaidOut:
    """A part's pages and where its anchors fell, known once it is laid out (its PDF may still be being written)."""

    name: str
    pages: int
    anchors: dict


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A set PDF, not yet written, and where its anchors and bookmarks fell."""

    name: str
    pdf: bytes
    pages: int
    seconds: float
    """Wall time in the worker."""
    cpu: float = 0.0
    """CPU time in the worker (the honest figure on a busy machine)."""
    anchors: dict = field(default_factory=dict)
    """Requested anchor → [0-based page, points from the top]."""
    bookmarks: tuple = ()
    """(level, label, 0-based page, points from the top) in document order."""
    links: tuple = ()
    """Links to anchors outside this document: (page, anchor, [x1, y1, x2, y2] in points from the top left)."""

    def facts(self) -> dict:
        """Everything but the PDF, as JSON-ready data (kept beside a cached part)."""
        return dict(name=self.name, pages=self.pages, anchors=self.anchors,
                    bookmarks=[list(b) for b in self.bookmarks], links=[list(k) for k in self.links])

    @classmethod
    def cached(cls, pdf: bytes, facts: dict) -> "PdfResult":
        """A part set by an earlier build."""
        return cls(facts["name"], pdf, facts["pages"], 0.0, 0.0, facts["anchors"],
                   tuple(tuple(b) for b in facts["bookmarks"]),
                   tuple((page, anchor, list(rect)) for page, anchor, rect in facts.get("links", ())))


def render_document(job: PdfJob, *, keep_document: bool = False):
    """Lay out and write one PDF; the WeasyPrint Document too when ``keep_document``.

    Links to anchors the document does not hold (the contents of the front matter) are
    reported, and written as links to :data:`~translate.render.pdf.assembly.OUTSIDE` + anchor,
    which the assembly points at the book's page (or takes out): their place in the structure
    tree is WeasyPrint's. A tagged job is written as PDF/UA-1 (PDF 1.7), with each element's
    language and the figures' alt text (:mod:`.tagging`).
    """
    start, cpu = time.perf_counter(), time.process_time()
    deflate_streams()
    with _fetching(job):
        document = _lay_out(job)
        anchors, bookmarks, links = _layout_facts(document, job.anchors)
        if job.announce and _announced is not None:
            _announced.put((job.announce, len(document.pages), anchors))
        if job.tagged:
            if tagging.install():
                tagging.mark_margins(document)
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
        else:
            pdf = document.write_pdf(pdf_version="1.7")
    result = PdfResult(job.name, pdf, len(document.pages), time.perf_counter() - start, time.process_time() - cpu,
                       anchors, bookmarks, links)
    return (result, document) if keep_document else result


def count_pages(job: PdfJob) -> int:
    """The pages ``job`` takes when set (laid out as :func:`render_document` lays it out, nothing written)."""
    with _fetching(job):
        return len(_lay_out(job).pages)


def _lay_out(job: PdfJob):
    """``job`` laid out (a WeasyPrint Document), its hyphens settled."""
    from weasyprint import HTML

    from translate.render.pdf import cffitypes  # noqa: F401  (C types parsed once a process: installed on import)

    fetcher = _fetcher(job.allowed)
    css, font_config = _stylesheet(job.css, job.base_url, job.allowed)
    # The hyphens decided as the lines are broken; laid out again, with the words protected, only while
    # a hyphen still falls at a page's foot or third in a row.
    document, _, _ = hyphenation.settle(lambda html: HTML(string=html, base_url=job.base_url, url_fetcher=fetcher)
                                        .render(stylesheets=[css], font_config=font_config), job.html,
                                        in_flow=True)
    return document


@contextmanager
def _fetching(job: PdfJob):
    """A refused or failed load while setting ``job``: the project's own error, naming the document."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, BitextError):
            raise type(cause)(cause.message) from None
        raise RenderError(f"{job.name}: {exc} ({cause})") from None


#: The level a part's streams are deflated at (pydyf's own is 9): 6 is zlib's default, a third of the CPU time
#: of 9 (0.08 -> 0.03 s a part of the edition) for streams about 1.5 % larger; the viewer reads the same content.
STREAM_LEVEL = 6


class _Deflate:
    """pydyf's ``zlib`` as :func:`deflate_streams` gives it: ``compressobj`` at :data:`STREAM_LEVEL`, the rest zlib's."""

    def __init__(self, zlib):
        self._zlib = zlib

    def compressobj(self, level=-1, *args, **kwargs):
        return self._zlib.compressobj(STREAM_LEVEL, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._zlib, name)


def deflate_streams() -> None:
    """Once a process that writes PDFs: pydyf deflates their streams at :data:`STREAM_LEVEL`, not at 9.

    pydyf (which WeasyPrint writes with) compresses every content stream and embedded font with
    ``zlib.compressobj(level=9)``; it has no option for the level, so its module's ``zlib`` is
    replaced. The book's assembly (qpdf) keeps the parts' streams as they are deflated.
    """
    import pydyf

    if not isinstance(pydyf.zlib, _Deflate):
        pydyf.zlib = _Deflate(pydyf.zlib)


#: Parsed stylesheets with their fonts, by (CSS, base URL, allowed folders): a worker sets many parts
#: with one stylesheet, and loading its fonts once keeps Pango's glyph caches warm from part to part.
_STYLESHEETS: dict[tuple, tuple] = {}


def _forget_stylesheets() -> None:
    """At the exit of a process that set parts itself: drop the cached stylesheets while the interpreter works.

    Each font configuration then removes its temporary folder of font files (WeasyPrint's
    ``weasyprint-*``, 2.5 MB for the edition); left to the interpreter's finalization, it cannot
    (its module is gone by then) and the folder stayed behind. A font configuration is held in
    a reference cycle: a collection frees it. (Workers write theirs into :class:`Workers`' folder.)
    """
    if _STYLESHEETS:
        _STYLESHEETS.clear()
        gc.collect()


atexit.register(_forget_stylesheets)


def _stylesheet(css: str, base_url: str, allowed: tuple[Path, ...]):
    """The parsed stylesheet and its font configuration (WeasyPrint's ``CSS`` and ``FontConfiguration``)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    key = (css, base_url, allowed)
    if key not in _STYLESHEETS:
        if len(_STYLESHEETS) >= 4:  # the parts' and the folios' stylesheets of a build or two
            _STYLESHEETS.pop(next(iter(_STYLESHEETS)))
        font_config = FontConfiguration()
        sheet = CSS(string=css, base_url=base_url, url_fetcher=_fetcher(allowed), font_config=font_config)
        _STYLESHEETS[key] = (sheet, font_config)
    return _STYLESHEETS[key]


def _layout_facts(document, wanted: Iterable[str]):
    """Where the wanted anchors and the bookmarks fell (points); outside links made links to :data:`OUTSIDE` + anchor."""
    wanted = set(wanted)
    anchors, bookmarks, links = {}, [], []
    every_anchor = {name for page in document.pages for name in page.anchors}
    for number, page in enumerate(document.pages):
        for name, (_, y, *_rest) in page.anchors.items():
            if name in wanted and name not in anchors:
                anchors[name] = [number, y * PT_PER_PX]
        for level, label, (_, y), _state in page.bookmarks:
            bookmarks.append((level, label, number, y * PT_PER_PX))
        kept = []
        for link in page.links:
            kind, target, rect, box = link
            if kind == "internal" and target not in every_anchor:
                links.append((number, target, [v * PT_PER_PX for v in rect]))
                link = ("external", OUTSIDE + target, rect, box)
            kept.append(link)
        page.links[:] = kept
    return anchors, tuple(bookmarks), tuple(links)


def _die_with_parent() -> None:
    """In a worker: be killed when the build process dies, even by SIGKILL (Linux), so none is left behind.

    A worker forked by the template process (``forkserver``) is the template's child: it dies with the
    template, which stops once no process holds the write end of its "alive" pipe. multiprocessing hands
    that end to every process it forks there; the worker lets its copy go, so that the build process
    alone keeps the template, and so the workers, alive.
    """
    _let_the_template_go()
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: workers then finish their current page and exit when the queue breaks
    if os.getppid() == 1:
        os._exit(1)  # the parent died before prctl took effect


def _let_the_template_go() -> None:
    """In a worker forked by the template process: close this process's copy of the template's "alive" pipe."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if alive is None or getattr(server, "_forkserver_pid", None) is not None:
        return  # spawned, or the process that started the template (it must keep its end)
    try:
        os.close(alive)
    except OSError:
        pass
    server._forkserver_alive_fd = None


#: In a worker: where it reports a part laid out (:attr:`PdfJob.announce`), the pool's queue.
_announced = None


def _start_worker(folder: str, environ: dict | None = None, cwd: str | None = None, announced=None) -> None:
    """A worker's first moments: die with the parent, then import WeasyPrint and set up Pango and fontconfig.

    ``folder``: where WeasyPrint's temporary files go (each stylesheet's fonts); the pool removes it.
    ``environ``, ``cwd``: the build process's, as they are when the pool starts (a worker forked from the
    template process would otherwise have the template's, as they were when it started). ``announced``: the
    queue it reports laid-out parts on.
    """
    global _announced
    _announced = announced
    _die_with_parent()
    if environ is not None and environ != os.environ:
        os.environ.clear()
        os.environ.update(environ)
    if cwd is not None and cwd != os.getcwd():
        os.chdir(cwd)
    tempfile.tempdir = folder
    atexit.register(_leave)
    from weasyprint import HTML

    # The first document a process sets pays for fontconfig's and Pango's set-up: pay it now, while idle
    # (Latin text only: a CJK sample would make Pango load a whole system CJK collection).
    HTML(string="<p>English <i>italic</i> <b>bold</b></p>").write_pdf()
    _settle_garbage_collector()


def _leave() -> None:
    """A worker's exit, once the pool has let it go: stop at once.

    Everything it owed went back through the pool's queue and its temporary files are in the
    pool's folder; the interpreter's finalization (freeing WeasyPrint's modules and every frozen
    object) only made the build wait 0.3 s.
    """
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


#: Allocations between two young-generation collections in a worker (Python's default is 700). 200,000 rather
#: than 50,000: the edition's parts are set with one young collection every two parts in place of two or three a
#: part, and no middle-generation one in twelve parts (where 50,000 made two, each walking the live boxes of the
#: part): the collector's own time falls from about 0.09 to 0.06 s CPU a part (gc.callbacks; the part's whole time
#: moves less than a busy machine's noise), for some 15 MB more at the peak.
WORKER_GC_THRESHOLD = 200_000


def _settle_garbage_collector() -> None:
    """In a worker: keep the cyclic garbage collector off what it imported, and run it less often.

    Laying out a document makes hundreds of thousands of boxes, which trigger a collection every 700
    allocations, each one walking every object the worker holds (WeasyPrint's modules and tables).
    Frozen, those are never walked again; collections become rare. A part's CPU time falls by about
    a tenth (``bench pdf``) for some 75 MB more memory at the peak.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def _ready() -> int:
    return os.getpid()


#: What the template process imports once, before it forks each worker (WeasyPrint and this module).
PRELOAD = ("weasyprint", "pikepdf", __name__, "translate.render.pdf.cffitypes")


def _context():
    """Workers forked from a template process that has imported :data:`PRELOAD` (``forkserver``), else spawned.

    A spawned worker starts an interpreter and imports WeasyPrint (about 0.4 s CPU) for itself; a forked one
    inherits them from the template, which has only imported them (it never sets a page: Pango and GLib are
    not yet in use when it forks). The template lives as long as this process; started once, it serves
    every pool.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


class Workers:
    """Worker processes that set PDFs, forked from the template process (:func:`_context`), never from the build
    process (a parent that has used Pango/GLib must not be forked).

    They start at once and warm up on their own, started from a thread of this process: starting the
    first waits for the template process to import WeasyPrint (~0.5 s), which this process spends on
    other work (planning the edition, translating); :meth:`submit` queues a job. :meth:`close`
    stops them, without waiting for the warm-up of workers that were never used.
    """

    def __init__(self, count: int):
        self.count = max(1, count)
        self._folder = tempfile.mkdtemp(prefix="bitext-pdf-")
        context = _context()
        self._announced = context.SimpleQueue()
        self._laid: dict[str, Future] = {}
        self._keys = itertools.count()
        self._lock = threading.Lock()
        self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=context,
                                         initializer=_start_worker,
                                         initargs=(self._folder, dict(os.environ), os.getcwd(), self._announced))
        self._used = False
        self._listening = threading.Thread(target=self._listen, name="bitext-pdf-laid-out", daemon=True)
        self._listening.start()
        # The pool forks a process per pending task (and waits for the template to hand it over): start them all
        # now, without waiting. A job submitted meanwhile waits for the pool's lock, not for a second process.
        self._starting = threading.Thread(target=self._start, name="bitext-pdf-workers", daemon=True)
        self._starting.start()

    def _start(self) -> None:
        for _ in range(self.count):
            try:
                self._pool.submit(_ready)
            except RuntimeError:  # closed (or broken) before every process started
                return

    def submit(self, job: PdfJob) -> "Future[PdfResult]":
        """Set ``job`` in a worker; the future's result is its :class:`PdfResult`."""
        self._used = True
        return self._pool.submit(render_document, job)

    def submit_announced(self, job: PdfJob) -> "tuple[Future[PdfResult], Future[LaidOut]]":
        """:meth:`submit`, and a second future told the part's pages and anchors as soon as the worker has laid it out
        (before it writes the PDF); it takes the result's, or its error, should the report not come first."""
        key = f"{next(self._keys)}:{job.name}"
        laid: Future = Future()
        with self._lock:
            self._laid[key] = laid
        result = self.submit(replace(job, announce=key))
        result.add_done_callback(lambda future: self._settle(key, future))
        return result, laid

    def _settle(self, key: str, result: Future) -> None:
        """The part is done (or failed): its layout future, if no report came, is told the same."""
        with self._lock:
            laid = self._laid.pop(key, None)
        if laid is not None:
            forward(result, laid, laid_out)

    def _listen(self) -> None:
        """The workers' reports of parts laid out, until :meth:`close` says none will come."""
        while True:
            try:
                report = self._announced.get()
            except (EOFError, OSError):
                return
            if report is None:
                return
            key, pages, anchors = report
            with self._lock:
                laid = self._laid.get(key)
            if laid is not None:
                try:
                    laid.set_result(LaidOut(key.split(":", 1)[1], pages, anchors))
                except InvalidStateError:  # settled by the result first
                    pass

    def call(self, function, *args) -> Future:
        """Run a picklable module-level ``function(*args)`` in a worker."""
        self._used = True
        return self._pool.submit(function, *args)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers; ``cancel``: at once, abandoning what they are setting (the build failed)."""
        self._starting.join()
        if cancel or not self._used:
            # Never used (nothing to set), or not wanted any more: do not wait for them.
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if not cancel:  # (a worker stopped while reporting would leave the queue's lock held: then the listener,
            self._announced.put(None)  # a daemon thread, is left waiting)
            self._listening.join(timeout=5)
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(cancel=kind is not None)


def laid_out(result: PdfResult) -> LaidOut:
    """What a set part tells of its layout."""
    return LaidOut(result.name, result.pages, result.anchors)


def forward(source: Future, target: Future, convert=lambda value: value) -> None:
    """Once ``source`` is done, ``target`` is told the same (its value through ``convert``), unless already told."""
    def tell(done: Future) -> None:
        try:
            if done.cancelled():
                target.cancel()
            elif done.exception() is not None:
                target.set_exception(done.exception())
            else:
                target.set_result(convert(done.result()))
        except InvalidStateError:  # told meanwhile
            pass

    source.add_done_callback(tell)


def announced(pool, job: PdfJob) -> "tuple[Future[PdfResult], Future[LaidOut]]":
    """``job`` set by ``pool``: its result, and its layout as soon as it is known (:meth:`Workers.submit_announced`;
    a pool of another kind, a cluster's, tells it with the result)."""
    submit = getattr(pool, "submit_announced", None)
    if submit is not None:
        return submit(job)
    result, laid = pool.submit(job), Future()
    forward(result, laid, laid_out)
    return result, laid


def start_workers(count: int) -> Workers | None:
    """Workers for ``layout.jobs`` > 1, started now; None for one job (everything is set in this process)."""
    return Workers(count) if count > 1 else None


def run_jobs(jobs: list[PdfJob], workers: int | Workers | None) -> list[PdfResult]:
    """Set every job, largest first (the long articles start at once and the short ones fill in)."""
    ordered = sorted(jobs, key=lambda j: len(j.html), reverse=True)
    if isinstance(workers, Workers):
        return [future.result() for future in [workers.submit(job) for job in ordered]]
    if not workers or workers <= 1 or len(ordered) <= 1:
        return [render_document(job) for job in ordered]
    with Workers(min(workers, len(ordered))) as pool:
        return run_jobs(ordered, pool)
