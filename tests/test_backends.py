"""The model fixtures' exact outcomes hold under every CPU kernel family CTranslate2 can take.

CTranslate2 picks its matrix-product library by processor (MKL on Intel, oneDNN elsewhere) and runs a
float32 model in int8 by default, whose products saturate on processors without VNNI (AMD Zen 2/3):
the fixtures once passed on one machine and failed on another. Here every test that runs a fixture
model (tests/translation/, tests/test_pipeline.py) runs again under each family of
``translate.translation.ct2.CPU_BACKENDS``, each in a process of its own (the library reads its
environment once), so a fixture or engine change that holds on one kind of machine only fails on any.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from translate.translation.ct2 import CPU_BACKENDS

ROOT = Path(__file__).resolve().parents[1]
MODEL_TESTS = ["tests/translation", "tests/test_pipeline.py"]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", [name for name in CPU_BACKENDS if CPU_BACKENDS[name]])
def test_the_model_tests_pass_under_every_backend(backend, tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CT2_", "ONEDNN_", "DNNL_", "MKL_ENABLE"))}
    env.update(CPU_BACKENDS[backend])
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t"),
         *MODEL_TESTS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    assert done.returncode == 0, f"{backend} ({CPU_BACKENDS[backend]}): {summary}\n{done.stdout[-3000:]}"
    assert " passed" in summary and "failed" not in summary, summary
