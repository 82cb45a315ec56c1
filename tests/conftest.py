"""Shared test set-up: the tests folder is importable (factories), and nothing goes online."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

#: Fixtures every test folder may use, found here rather than through star imports.
pytest_plugins = ["browsertools"]
