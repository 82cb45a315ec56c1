"""The trust suite holds at least HOSTILE_MINIMUM hostile-input cases on every input surface.

Each case is a test marked ``@pytest.mark.hostile("SURFACE")`` (tests/conftest.py names the surfaces);
a parametrized test counts once per case. The count is taken over a collection of the whole suite,
so a surface that loses its cases, or a case that names no surface, fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from surfaces import HOSTILE_MINIMUM, HOSTILE_SURFACES

ROOT = Path(__file__).resolve().parents[2]


def test_every_input_surface_has_its_hostile_cases():
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("hostile cases by surface: "))
    counts = {name: int(n) for name, n in re.findall(r"(\w+) (\d+)", line.split(": ", 1)[1])}
    assert set(counts) == set(HOSTILE_SURFACES)
    short = {surface: n for surface, n in counts.items() if n < HOSTILE_MINIMUM}
    assert not short, f"surfaces with fewer than {HOSTILE_MINIMUM} hostile cases: {short}"
