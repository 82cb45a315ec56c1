"""Shared test set-up: the tests folder is importable (factories), and nothing goes online."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

#: Fixtures every test folder may use, found here rather than through star imports.
pytest_plugins = ["browsertools"]


from surfaces import hostile_surfaces  # noqa: E402


def pytest_collection_modifyitems(config, items):
    config.stash[_COUNTS] = hostile_surfaces(items)


def pytest_terminal_summary(terminalreporter, config):
    counts = config.stash.get(_COUNTS, {})
    if any(counts.values()):
        terminalreporter.write_line("hostile cases by surface: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


import pytest  # noqa: E402

_COUNTS = pytest.StashKey[dict]()
