"""The rebuild loop: the HTML first, in this process; the PDF and EPUB after it, in a background process.

A change asks for a rebuild (:meth:`Rebuilder.request`). The worker thread
stops a running PDF build (its process group: a killed build leaves whole
files and a consistent translation memory), builds the HTML with
:func:`translate.pipeline.build_edition` — the translation memory makes a
glossary edit re-translate only the sentences it touches, and unchanged pages
are not rewritten — and publishes a :class:`BuildStatus` naming the pages that
changed. When no further change is waiting, ``bitext build`` runs in a child
process for the PDF and the EPUB. A build that fails (a glossary error)
publishes its one-line error; the last good HTML stays where it is and is
still served.

A server that starts on an unchanged edition skips its first build, so nothing
a build loads (the dictionaries, the templates) is loaded yet; the worker then
renders the edition once into a scratch folder (:meth:`Rebuilder.warm_up`), so
that the first change is rebuilt as fast as the later ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from translate.errors import BitextError
from translate.settings import Settings, load_settings

#: Seconds a stopped PDF build gets to exit on SIGTERM before it is killed.
PDF_STOP_GRACE = 3.0


@dataclass(frozen=True, slots=True)
class BuildStatus:
    """The outcome of the last HTML build, as every open page is told."""

    generation: int = 0
    """Counts finished HTML builds (failed ones too) since the server started."""
    error: str = ""
    """The one-line error of the last build; empty when it succeeded."""
    changed: tuple[str, ...] = ()
    """Files of ``build/html`` the last build rewrote (a page reloads when it is one of them)."""
    seconds: float = 0.0
    """How long the last HTML build took."""
    pdf: str = "off"
    """The background PDF build: ``off``, ``waiting``, ``building``, ``done``, ``stopped`` or ``failed: …``."""
    building: bool = False
    """True while the next HTML build runs (the fields above are still the last one's)."""

    def to_json(self) -> dict:
        """The status as the events stream and ``/_bitext/status`` send it."""
        return {**asdict(self), "changed": list(self.changed)}


Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """(inode, mtime, size) of every file of ``folder`` by name: a rewritten file (a rename) gets a new inode."""
    found: Snapshot = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
            stat = entry.stat(follow_symlinks=False)
            found[entry.name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """Names written, added or removed between two snapshots, sorted."""
    return tuple(sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name)))


class Rebuilder:
    """Builds the edition in ``root`` on request, one build at a time, and publishes each outcome."""

    def __init__(self, root: Path, *, publish: Callable[[BuildStatus], None], log: Callable[[str], None],
                 pdf: bool = True, engine_name: str | None = None):
        self.root = Path(root)
        self._publish = publish
        self._log = log
        self._pdf_enabled = pdf
        self._engine_name = engine_name
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._status = BuildStatus(pdf="waiting" if pdf else "off")
        self._settings: Settings | None = None
        self._thread: threading.Thread | None = None
        self._pdf_process: subprocess.Popen | None = None
        self._pdf_stale = pdf
        self._holds = 0
        self._cold = True

    # --- what the server asks ---------------------------------------------------------------------------------

    @property
    def status(self) -> BuildStatus:
        """The last published status."""
        return self._status

    @property
    def settings(self) -> Settings:
        """The settings of the last build that could read them (read now when there was none)."""
        return self._settings or load_settings(self.root)

    def build_now(self) -> BuildStatus:
        """Build the HTML in this thread (the first build, before the server answers) and publish it."""
        self._update(building=True)
        self._finish(self._build_html())
        return self._status

    def start(self) -> None:
        """Start the worker thread; it checks the build at once and then builds the PDF."""
        self._thread = threading.Thread(target=self._run, name="bitext-rebuild", daemon=True)
        self._thread.start()
        self.request()

    def request(self) -> None:
        """Ask for a rebuild (coalesced with any other request waiting); a running PDF build is stopped."""
        self._pdf_stale = self._pdf_enabled
        self._wanted.set()
        self._stop_pdf()

    @contextmanager
    def editing(self) -> Iterator[None]:
        """Hold off PDF builds while a save waits for the build lock; ask for a rebuild after it."""
        with self._lock:
            self._holds += 1
        try:
            self._stop_pdf()
            yield
        finally:
            with self._lock:
                self._holds -= 1
            self.request()

    def stop(self) -> None:
        """Stop the worker and any PDF build; waits for an HTML build in progress to finish."""
        self._stopping.set()
        self._wanted.set()
        self._stop_pdf()
        if self._thread is not None:
            self._thread.join(timeout=60)

    # --- the worker --------------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load what a build loads: translate (from the memory) and render the edition into a scratch folder."""
        from translate.outputs import build_lock
        from translate.pipeline import translated_edition
        from translate.render.html import render_html
        from translate.translation import open_engine

        settings = load_settings(self.root)
        engine = open_engine(settings, self._engine_name)
        with build_lock(settings.build_dir, wait=True):  # the memory is the build folder's
            edition = translated_edition(settings, engine, write_stores=False)
        with tempfile.TemporaryDirectory(prefix="bitext-serve-warm-") as scratch:
            render_html(edition, replace(settings, build_dir=Path(scratch)))
        self._cold = False

    def _run(self) -> None:
        if self._cold:
            try:
                self.warm_up()
            except Exception:  # noqa: BLE001 - only a head start: the real build reports any problem
                pass
        while True:
            self._wanted.wait()
            if self._stopping.is_set():
                return
            self._wanted.clear()
            self._stop_pdf()
            self._update(building=True)
            status = self._build_html()
            if self._stopping.is_set():
                return
            self._finish(status)
            with self._lock:
                start_pdf = (self._pdf_stale and not status.error and not self._wanted.is_set()
                             and not self._holds and not self._stopping.is_set())
            if start_pdf:
                self._start_pdf()

    def _build_html(self) -> BuildStatus:
        from translate.pipeline import build_edition

        generation = self._status.generation + 1
        started = time.perf_counter()
        html = None
        before: Snapshot = {}
        try:
            settings = load_settings(self.root)
            self._settings = settings
            html = settings.build_dir / "html"
            before = snapshot(html)
            result = build_edition(settings, engine_name=self._engine_name, pdf=False, epub=False, wait=True)
            self._cold = self._cold and result.skipped
            error = ""
        except BitextError as exc:
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        except Exception as exc:  # a bug must not stop the server: show it, keep serving the last good build
            traceback.print_exc(file=sys.stderr)
            error = f"internal error ({type(exc).__name__}: {exc}); see the terminal"
        seconds = time.perf_counter() - started
        changed = changed_files(before, snapshot(html)) if html is not None else ()
        if error:
            self._log(f"Build failed: {error} (the last good build is still served)")
        elif changed:
            self._log(f"Rebuilt the HTML in {seconds:.1f} s: {', '.join(changed)}")
        return BuildStatus(generation, error, changed, round(seconds, 3))

    def _finish(self, status: BuildStatus) -> None:
        """Publish a finished HTML build (the PDF's state is kept: it changes on its own thread)."""
        with self._status_lock:
            self._status = replace(status, pdf=self._status.pdf, building=False)
            self._publish(self._status)

    def _update(self, **fields) -> None:
        with self._status_lock:
            self._status = replace(self._status, **fields)
            self._publish(self._status)

    def _set_pdf(self, state: str) -> None:
        self._update(pdf=state)

    # --- the PDF, in a child process ----------------------------------------------------------------------------

    def pdf_command(self) -> list[str]:
        """The command that builds the whole edition, PDF and EPUB included, waiting for the build lock."""
        command = [sys.executable, "-m", "translate", "--root", str(self.root), "--quiet", "build", "--wait"]
        if self._engine_name:
            command += ["--engine", self._engine_name]
        return command

    def _start_pdf(self) -> None:
        with self._lock:
            if self._pdf_process is not None or self._holds:
                return
            # Its own process group, so that stopping it stops the PDF workers it starts too.
            process = subprocess.Popen(self.pdf_command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, start_new_session=True, text=True)
            self._pdf_process = process
        self._set_pdf("building")
        started = time.perf_counter()
        threading.Thread(target=self._wait_pdf, args=(process, started), name="bitext-pdf", daemon=True).start()

    def _wait_pdf(self, process: subprocess.Popen, started: float) -> None:
        _, stderr = process.communicate()
        with self._lock:
            mine = self._pdf_process is process
            if mine:
                self._pdf_process = None
        if not mine:  # stopped for a newer change
            return
        if process.returncode == 0:
            self._pdf_stale = False
            self._log(f"Rebuilt the PDF in {time.perf_counter() - started:.0f} s")
            self._set_pdf("done")
        else:
            lines = [line for line in (stderr or "").splitlines() if line.strip()]
            reason = next((line for line in reversed(lines) if line.startswith("Error:")), lines[-1] if lines else "")
            self._pdf_stale = False  # not retried until the next change
            self._log(f"The PDF build failed: {reason or f'exit status {process.returncode}'}")
            self._set_pdf(f"failed: {reason or f'exit status {process.returncode}'}")

    def _stop_pdf(self) -> None:
        with self._lock:
            process, self._pdf_process = self._pdf_process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=PDF_STOP_GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        except ProcessLookupError:
            pass
        self._set_pdf("stopped")
