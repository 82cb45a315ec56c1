"""Starting the PDF workers does not hold up the build process (issue 33: a cold edition's lead-in): the first
worker waits for the template process to import WeasyPrint, which the build spends planning the edition."""

from __future__ import annotations

import os
import threading
from concurrent.futures import process

from translate.render.pdf.workers import Workers


def test_workers_start_without_holding_up_the_caller(monkeypatch):
    released = threading.Event()
    spawn = process.ProcessPoolExecutor._spawn_process

    def slow_spawn(pool):  # a template process still importing WeasyPrint
        assert released.wait(60)
        spawn(pool)

    monkeypatch.setattr(process.ProcessPoolExecutor, "_spawn_process", slow_spawn)
    built: list[Workers] = []
    maker = threading.Thread(target=lambda: built.append(Workers(2)), daemon=True)
    maker.start()
    maker.join(10)
    try:
        assert built, "Workers() waited for its processes to start"
        released.set()
        workers = built[0]
        pids = {workers.call(os.getpid).result(timeout=60) for _ in range(4)}
        assert pids and os.getpid() not in pids
    finally:
        released.set()
        maker.join(60)
        for workers in built:
            workers.close()


def test_workers_closed_while_they_start_stop_cleanly():
    workers = Workers(2)
    workers.close()  # never used: the processes still starting are let go
    assert not any(p.is_alive() for p in (workers._pool._processes or {}).values())
