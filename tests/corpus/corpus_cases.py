"""Shared helpers for the corpus tests (paths, the fixture-file reader)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "corpus" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"


def read_cases(path: Path) -> list[tuple[str, list[str], str, str]]:
    """(title, rules, input, expected) for every block of a fixture file."""
    cases = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("## "):
            i += 1
            continue
        title = lines[i][3:].strip()
        rules = lines[i + 1].removeprefix("rules:").split()
        assert lines[i + 2] == ".", f"{path}:{i + 3}: expected '.'"
        parts, current, i = [], [], i + 3
        while len(parts) < 2:
            if lines[i] == ".":
                parts.append("\n".join(current))
                current = []
            else:
                current.append(lines[i])
            i += 1
        cases.append((title, rules, parts[0], parts[1]))
    return cases
