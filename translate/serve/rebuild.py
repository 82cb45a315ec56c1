"""The rebuild loop: the live outputs first, in this process; the others after them, in a background process.

Which outputs are live (the pages the server shows, rebuilt on every change) and
which are built in the background comes from the builders' registry
(:mod:`translate.render.builders`). A change asks for a rebuild
(:meth:`Rebuilder.request`). The worker thread stops a running background build
(its process group: a killed build leaves whole files and a consistent translation
memory), builds the live outputs with :func:`translate.pipeline.build_edition` — the
translation memory makes a glossary edit re-translate only the sentences it
touches, and unchanged pages are not rewritten — and publishes a
:class:`BuildStatus` naming the pages that changed: first the article pages (with the
word help and assets), as soon as they are written, naming the edition-wide pages still to
come (``pending``); then, with the same generation, every file the build changed. When no further change is
waiting, ``bitext build`` runs in a child process for the other outputs. A build
that fails (a glossary error) publishes its one-line error; the last good pages
stay where they are and are still served.

A server that starts on an unchanged edition skips its first build, so nothing
a build loads (the dictionaries, the templates) is loaded yet; the worker then
renders the edition once into a scratch folder (:meth:`Rebuilder.warm_up`), so
that the first change is rebuilt as fast as the later ones.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from translate.errors import BitextError
from translate.render.builders import Builder, builders
from translate.settings import Settings, load_settings

#: Seconds a stopped background build gets to exit on SIGTERM before it is killed.
BACKGROUND_STOP_GRACE = 3.0
#: Every this many pauses between builds, the worker collects all of the process's garbage (:meth:`Rebuilder.tidy`).
FULL_COLLECT_EVERY = 16


@dataclass(frozen=True, slots=True)
class BuildStatus:
    """The outcome of the last build of the live outputs, as every open page is told."""

    generation: int = 0
    """Counts finished builds of the live outputs (failed ones too) since the server started."""
    error: str = ""
    """The one-line error of the last build; empty when it succeeded."""
    changed: tuple[str, ...] = ()
    """Files of the live outputs' folders the last build rewrote (a page reloads when it is one of them)."""
    seconds: float = 0.0
    """How long the last build of the live outputs took."""
    background: str = "off"
    """The background build of the other outputs: ``off``, ``waiting``, ``building``, ``done``, ``stopped`` or ``failed: …``."""
    building: bool = False
    """True while the next build of the live outputs runs (the fields above are still the last one's)."""
    pending: tuple[str, ...] = ()
    """Files the build under way has still to write (the edition-wide pages, after the article pages it has
    announced): a page named here waits for the next status, which lists every file the build changed."""

    def to_json(self) -> dict:
        """The status as the events stream and ``/_bitext/status`` send it."""
        return {**asdict(self), "changed": list(self.changed), "pending": list(self.pending)}


Snapshot = dict[str, tuple[int, int, int]]


def snapshot(*folders: Path) -> Snapshot:
    """(inode, mtime, size) of every file of the ``folders`` by name: a rewritten file (a rename) gets a new inode."""
    found: Snapshot = {}
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                stat = entry.stat(follow_symlinks=False)
                found[entry.name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def live_builders() -> tuple[Builder, ...]:
    """The outputs rebuilt in the server's process on every change."""
    return tuple(builder for builder in builders() if builder.live)


def live_options() -> dict[str, bool]:
    """The options of the server's own builds: every output that is not live is left to the background build."""
    return {builder.name: False for builder in builders() if builder.optional and not builder.live}


def _names(selected) -> str:
    names = [builder.name.upper() for builder in selected]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)


def changed_files(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """Names written, added or removed between two snapshots, sorted."""
    return tuple(sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name)))


class Rebuilder:
    """Builds the edition in ``root`` on request, one build at a time, and publishes each outcome."""

    def __init__(self, root: Path, *, publish: Callable[[BuildStatus], None], log: Callable[[str], None],
                 background: bool = True, engine_name: str | None = None):
        self.root = Path(root)
        self._publish = publish
        self._log = log
        self._background_enabled = background
        self._engine_name = engine_name
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._status = BuildStatus(background="waiting" if background else "off")
        self._settings: Settings | None = None
        self._thread: threading.Thread | None = None
        self._background_process: subprocess.Popen | None = None
        self._background_stale = background
        self._holds = 0
        self._cold = True
        self._tidied = 0
        self._held = False
        from translate.rebuild import keep_pieces

        keep_pieces()  # this process builds again and again

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
        """Build the live outputs in this thread (the first build, before the server answers) and publish it; then
        tidy up after it (:meth:`tidy`: the first collection walks every object the build left, half a second at
        500 articles), so that a change made as soon as the server answers does not wait for that."""
        self._update(building=True)
        self._finish(self._build_live())
        self.tidy()
        return self._status

    def start(self) -> None:
        """Start the worker thread; it checks the build at once and then starts the background build."""
        self._thread = threading.Thread(target=self._run, name="bitext-rebuild", daemon=True)
        self._thread.start()
        self.request()

    def request(self) -> None:
        """Ask for a rebuild (coalesced with any other request waiting); a running background build is stopped."""
        self._background_stale = self._background_enabled
        self._wanted.set()
        self._stop_background()

    @contextmanager
    def editing(self) -> Iterator[None]:
        """Hold off background builds while a save waits for the build lock; ask for a rebuild after it."""
        with self._lock:
            self._holds += 1
        try:
            self._stop_background()
            yield
        finally:
            with self._lock:
                self._holds -= 1
            self.request()

    def stop(self) -> None:
        """Stop the worker and any background build; waits for a build of the live outputs in progress to finish."""
        self._stopping.set()
        self._wanted.set()
        self._stop_background()
        if self._thread is not None:
            self._thread.join(timeout=60)

    # --- the worker --------------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load what a build loads: translate (from the memory) and write the live outputs into a scratch folder."""
        from translate.outputs import build_lock
        from translate.pipeline import translated_edition
        from translate.translation import open_engine

        settings = load_settings(self.root)
        engine = open_engine(settings, self._engine_name)
        with build_lock(settings.build_dir, wait=True):  # the memory is the build folder's
            edition = translated_edition(settings, engine, write_stores=False)
        with tempfile.TemporaryDirectory(prefix="bitext-serve-warm-") as scratch:
            for builder in live_builders():
                builder.start(edition, replace(settings, build_dir=Path(scratch))).finish()
        self._cold = False

    def _run(self) -> None:
        try:
            self._work()
        finally:
            self._release_collections()

    def _work(self) -> None:
        if self._cold:
            try:
                self.warm_up()
            except Exception:  # noqa: BLE001 - only a head start: the real build reports any problem
                pass
        while True:
            if not self._wanted.is_set():
                self.tidy()
            self._wanted.wait()
            if self._stopping.is_set():
                return
            self._wanted.clear()
            self._stop_background()
            self._update(building=True)
            status = self._build_live(announce=True)
            if self._stopping.is_set():
                return
            self._finish(status)
            with self._lock:
                start_background = (self._background_stale and not status.error and not self._wanted.is_set()
                                    and not self._holds and not self._stopping.is_set())
            if start_background:
                self._start_background()

    def tidy(self) -> None:
        """Between builds: collect the last build's garbage and freeze what lives on (:func:`gc.freeze`), then read
        the stores it wrote (:func:`~translate.postedit.store.read_ahead`, which stops for a change).

        The process keeps what a build made for the next (an edition's pages, sentences and
        dictionaries: millions of objects), and Python's collector walked them all again in the
        middle of the next build (0.7 s at 500 articles). Frozen objects are not walked; reference
        counting still frees them, and every :data:`FULL_COLLECT_EVERY` pauses they are unfrozen
        and collected too, so no garbage cycle outlives that. The worker's builds run with the
        collector off (:meth:`_hold_collections`): what a build made is collected here, after it
        (its young collections took 0.06 s of a term edit at 500 articles, and as much again after it).
        """
        from translate.postedit.store import read_ahead

        if self._wanted.is_set():  # a change came meanwhile: build first (it reads the stores itself)
            read_ahead(self._wanted.is_set)
            return
        # The collection first: it cannot stop half-way for a change, and reading ahead can.
        self._tidied += 1
        if self._tidied % FULL_COLLECT_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._release_collections()
        read_ahead(self._wanted.is_set)  # the stores the build wrote: the next build finds them read

    def _hold_collections(self) -> None:
        """Turn the collector off until :meth:`tidy` has collected this build's garbage; a build that follows the
        last one with no pause for :meth:`tidy` between first collects the young generations (the last build's)."""
        if self._held:
            gc.collect(1)
        gc.disable()
        self._held = True

    def _release_collections(self) -> None:
        """Turn the collector on again (after :meth:`tidy`'s collection, or when the worker stops)."""
        if self._held:
            self._held = False
            gc.enable()

    def _build_live(self, announce: bool = False) -> BuildStatus:
        """Build the live outputs; with ``announce``, the article pages are published as soon as they are written
        (the status names the edition-wide pages still to come), and the whole build when it is done."""
        from translate.pipeline import build_edition
        from translate.render.html import EDITION_PAGES, announcing

        generation = self._status.generation + 1
        started = time.perf_counter()
        folders: list[Path] | None = None
        before: Snapshot = {}

        def pages_written(files: list[Path]) -> None:
            changed = tuple(sorted(path.name for path in files))  # the renderer's rewritten files: no folder walked
            if changed:
                self._finish(BuildStatus(generation, "", changed, round(time.perf_counter() - started, 3),
                                         pending=EDITION_PAGES))

        try:
            settings = load_settings(self.root)
            self._settings = settings
            folders = [settings.build_dir / builder.name for builder in live_builders()]
            before = snapshot(*folders)
            if announce:
                self._hold_collections()
            with announcing(pages_written) if announce else nullcontext():
                result = build_edition(settings, engine_name=self._engine_name, wait=True, **live_options())
            self._cold = self._cold and result.skipped
            error = ""
        except BitextError as exc:
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        except Exception as exc:  # a bug must not stop the server: show it, keep serving the last good build
            traceback.print_exc(file=sys.stderr)
            error = f"internal error ({type(exc).__name__}: {exc}); see the terminal"
        seconds = time.perf_counter() - started
        changed = changed_files(before, snapshot(*folders)) if folders is not None else ()
        if error:
            self._log(f"Build failed: {error} (the last good build is still served)")
        elif changed:
            self._log(f"Rebuilt the {_names(live_builders())} in {seconds:.1f} s: {', '.join(changed)}")
        return BuildStatus(generation, error, changed, round(seconds, 3))

    def _finish(self, status: BuildStatus) -> None:
        """Publish a finished build of the live outputs (the background build's state is kept: it changes on its own thread)."""
        with self._status_lock:
            self._status = replace(status, background=self._status.background, building=False)
            self._publish(self._status)

    def _update(self, **fields) -> None:
        with self._status_lock:
            self._status = replace(self._status, **fields)
            self._publish(self._status)

    def _set_background(self, state: str) -> None:
        self._update(background=state)

    # --- the other outputs, in a child process ------------------------------------------------------------------

    def background_command(self) -> list[str]:
        """The command that builds the whole edition, every output included, waiting for the build lock."""
        command = [sys.executable, "-m", "translate", "--root", str(self.root), "--quiet", "build", "--wait"]
        if self._engine_name:
            command += ["--engine", self._engine_name]
        return command

    def _start_background(self) -> None:
        with self._lock:
            if self._background_process is not None or self._holds:
                return
            # Its own process group, so that stopping it stops the workers it starts too.
            process = subprocess.Popen(self.background_command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, start_new_session=True, text=True)
            self._background_process = process
        self._set_background("building")
        started = time.perf_counter()
        threading.Thread(target=self._wait_background, args=(process, started), name="bitext-background",
                         daemon=True).start()

    def _wait_background(self, process: subprocess.Popen, started: float) -> None:
        _, stderr = process.communicate()
        with self._lock:
            mine = self._background_process is process
            if mine:
                self._background_process = None
        if not mine:  # stopped for a newer change
            return
        others = _names(builder for builder in builders() if not builder.live)
        if process.returncode == 0:
            self._background_stale = False
            self._log(f"Rebuilt the {others} in {time.perf_counter() - started:.0f} s")
            self._set_background("done")
        else:
            lines = [line for line in (stderr or "").splitlines() if line.strip()]
            reason = next((line for line in reversed(lines) if line.startswith("Error:")), lines[-1] if lines else "")
            self._background_stale = False  # not retried until the next change
            self._log(f"The {others} build failed: {reason or f'exit status {process.returncode}'}")
            self._set_background(f"failed: {reason or f'exit status {process.returncode}'}")

    def _stop_background(self) -> None:
        with self._lock:
            process, self._background_process = self._background_process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=BACKGROUND_STOP_GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        except ProcessLookupError:
            pass
        self._set_background("stopped")
