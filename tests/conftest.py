"""Shared test set-up: the tests folder is importable (factories), nothing goes online, and every run
counts the trust suite's hostile cases by input surface (tests/surfaces.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from surfaces import hostile_surfaces  # noqa: E402 (the tests folder must be importable first)

#: Fixtures every test folder may use, found here rather than through star imports.
pytest_plugins = ["browsertools"]

_COUNTS = pytest.StashKey[dict]()


def pytest_collection_modifyitems(config, items):
    config.stash[_COUNTS] = hostile_surfaces(items)


def pytest_terminal_summary(terminalreporter, config):
    counts = config.stash.get(_COUNTS, {})
    if any(counts.values()):
        terminalreporter.write_line("hostile cases by surface: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
