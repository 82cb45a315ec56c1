"""Watching the edition's inputs with watchfiles: the corpus and its PO stores, the glossary, templates, settings.

Folders are watched, not files, because editors and :func:`~translate.outputs.write_atomic`
replace a file by renaming a new one over it. The project folder itself is
watched without its subfolders (only ``edition.toml`` counts there), so the
build folder, ``.git`` and ``.venv`` are never walked. Hidden names — lock files,
temporaries — and editors' backups are ignored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from translate.settings import SETTINGS_FILE, Settings

#: Milliseconds of quiet after a change before it is reported, and the most a burst is held back.
STEP_MS = 20
DEBOUNCE_MS = 400
#: Suffixes of the corpus folder that a build reads: cleaned articles and PO stores.
CORPUS_SUFFIXES = (".md", ".po")


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a build reads, as absolute paths."""

    settings_file: Path
    """``edition.toml``."""
    glossary: Path
    """The termbase."""
    corpus: Path
    """The cleaned articles and their PO stores (direct children)."""
    templates: Path
    """The publisher's templates (any file below)."""

    @classmethod
    def of(cls, settings: Settings) -> Inputs:
        """The inputs of the edition ``settings`` describe."""
        return cls(settings_file=(settings.root / SETTINGS_FILE).resolve(), glossary=settings.glossary_path.resolve(),
                   corpus=settings.corpus_dir.resolve(), templates=settings.templates_dir.resolve())

    def folders(self) -> list[tuple[Path, bool]]:
        """(folder, recursive) to watch: existing folders only."""
        wanted = [(self.corpus, False), (self.templates, True), (self.glossary.parent, False),
                  (self.settings_file.parent, False)]
        seen: dict[Path, bool] = {}
        for folder, recursive in wanted:
            if folder.is_dir():
                seen[folder] = seen.get(folder, False) or recursive
        return list(seen.items())

    def is_input(self, path: str | Path) -> bool:
        """True when a change to ``path`` can change what a build makes."""
        path = Path(path)
        name = path.name
        if not name or name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")):
            return False
        if path in (self.settings_file, self.glossary):
            return True
        if path.parent == self.corpus and path.suffix in CORPUS_SUFFIXES:
            return True
        return path.is_relative_to(self.templates) and not any(p.startswith(".") for p in
                                                               path.relative_to(self.templates).parts)


class Watcher:
    """Calls ``on_change`` with the changed input paths, from background threads, until stopped."""

    def __init__(self, inputs: Inputs, on_change: Callable[[list[str]], None]):
        self.inputs = inputs
        self._on_change = on_change
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.ready = threading.Event()
        """Set once every watch has started (changes before it may be missed)."""

    def start(self) -> None:
        """Start watching (one thread for the recursive folders, one for the others)."""
        groups: dict[bool, list[Path]] = {}
        for folder, recursive in self.inputs.folders():
            groups.setdefault(recursive, []).append(folder)
        started = []
        for recursive, folders in groups.items():
            up = threading.Event()
            started.append(up)
            thread = threading.Thread(target=self._watch, args=(folders, recursive, up), daemon=True,
                                      name=f"bitext-watch{'-r' if recursive else ''}")
            thread.start()
            self._threads.append(thread)

        def all_up() -> None:
            for event in started:
                event.wait(10)
            self.ready.set()

        threading.Thread(target=all_up, daemon=True, name="bitext-watch-ready").start()

    def stop(self) -> None:
        """Stop watching and wait for the threads."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _watch(self, folders: Iterable[Path], recursive: bool, up: threading.Event) -> None:
        from watchfiles import watch

        def wanted(_change, path: str) -> bool:
            return self.inputs.is_input(path)

        # The Rust watcher runs once the generator yields for the first time: an empty set on a
        # timeout, so `up` says when changes can no longer be missed (and stop is checked often).
        for changes in watch(*folders, watch_filter=wanted, step=STEP_MS, debounce=DEBOUNCE_MS,
                             stop_event=self._stop, recursive=recursive, rust_timeout=200, yield_on_timeout=True,
                             raise_interrupt=False):
            up.set()
            if changes:
                self._on_change(sorted(path for _, path in changes))
