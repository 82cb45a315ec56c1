"""The benchmarks' CPU clock counts the PDF workers, which are the template process's children, not the build's."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from bench.pdf import process_tree_cpu


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_the_cpu_of_processes_forked_by_a_template_process_is_counted():
    started = process_tree_cpu()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        burnt = sum(pool.map(_burn, [0.6, 0.6]))
    assert burnt >= 1.2
    assert process_tree_cpu() - started >= burnt * 0.95  # ended workers, reaped by the template: counted


def _burn(seconds: float) -> float:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass
    return time.process_time() - started
