"""Shared helpers for the corpus tests (paths, the fixture-file reader)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fixturecases import FixtureCase

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "corpus" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Case(FixtureCase):
    """One block of a cleaning fixture file."""

    title: str
    """The ``## `` line, without the marks."""
    rules: tuple[str, ...]
    """The rules the case runs (``rules:`` line), applied in the cleaner's order."""
    source: str
    """The input text."""
    expected: str
    """The text the rules must leave."""
    path: Path
    """The fixture file."""
    line: int
    """The line of the title in that file."""


def read_cases(path: Path) -> list[Case]:
    """Every block of a fixture file: ``## title``, ``rules: …``, then input and expected, each ended by ``.``."""
    cases = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("## "):
            i += 1
            continue
        title, line = lines[i][3:].strip(), i + 1
        assert lines[i + 1].startswith("rules:"), f"{path}:{i + 2}: expected 'rules: NAME…'"
        rules = tuple(lines[i + 1].removeprefix("rules:").split())
        assert lines[i + 2] == ".", f"{path}:{i + 3}: expected '.'"
        parts, current, i = [], [], i + 3
        while len(parts) < 2:
            assert i < len(lines), f"{path}:{line}: case {title!r} ends before its input and expected text"
            if lines[i] == ".":
                parts.append("\n".join(current))
                current = []
            else:
                current.append(lines[i])
            i += 1
        cases.append(Case(title, rules, parts[0], parts[1], path, line))
    return cases
