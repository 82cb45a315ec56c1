"""A per-thread switch for the wrappers this package puts around WeasyPrint's functions.

A wrapper (:mod:`.linebreaking`, :mod:`.tablesizing`) is installed once per process and acts only
while its switch is on in the calling thread, so that a plain WeasyPrint render elsewhere in the
process (the benchmark's baseline, another thread) meets WeasyPrint's own function.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


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
