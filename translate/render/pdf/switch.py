"""The wrappers this package puts around WeasyPrint's functions, and the per-thread switch they act on.

A wrapper (:mod:`.linebreaking`, :mod:`.tablesizing`, :mod:`.sharedstyles`, :mod:`.textlayouts`) is
installed once per process and acts only while its switch is on in the calling thread, so that a plain
WeasyPrint render elsewhere in the process (the benchmark's baseline, another thread) meets WeasyPrint's
own function.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from types import ModuleType
from typing import Callable, Iterator


class Switch(threading.local):
    """Per thread (a process may set documents in more than one): how deep inside :meth:`on` it is."""

    active = 0

    @contextmanager
    def on(self) -> Iterator[None]:
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1

    def forget(self) -> None:
        """Drop what this thread kept while on (called as the outermost :meth:`Wrappers.active` is left)."""


class Wrappers:
    """The WeasyPrint functions one module wraps: each replaced once per process, the originals kept by name
    (``"name"`` for a module's function, ``"Class.name"`` for a method)."""

    def __init__(self, switch: Switch):
        self.switch = switch
        self.originals: dict[str, Callable] = {}
        self._lock = threading.Lock()

    def install(self, *replacements: tuple[object, str, Callable]) -> None:
        """Put each ``(owner, name, wrapper)``'s wrapper in place of ``owner.name``, the first time only."""
        with self._lock:
            if self.originals:
                return
            for owner, name, wrapper in replacements:
                key = name if isinstance(owner, ModuleType) else f"{owner.__name__}.{name}"
                self.originals[key] = getattr(owner, name)
                setattr(owner, name, wrapper)

    @contextmanager
    def active(self, install: Callable[[], None]) -> Iterator[None]:
        """``install()`` (once per process), then the switch on in this thread while inside; what the thread kept
        is forgotten when it leaves the outermost."""
        install()
        try:
            with self.switch.on():
                yield
        finally:
            if not self.switch.active:
                self.switch.forget()
