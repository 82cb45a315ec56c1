"""Reading the fixture case files: a title, then parts each ended by a line holding only a dot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fixturecases import FixtureCase

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Case(FixtureCase):
    """One case of a fixture file."""

    title: str
    """The first non-blank line of the case."""
    parts: tuple[tuple[str, ...], ...]
    """The lines of each part (input, expected…)."""
    path: Path = FIXTURES
    """The fixture file."""
    line: int = 0
    """The line of the title in that file."""


def read_cases(name: str, parts: int = 2) -> list[Case]:
    """The cases of ``fixtures/<name>``; lines starting with ``#`` are comments."""
    path = FIXTURES / name
    chunks: list[list[tuple[int, str]]] = []  # (line number, text) of each part
    current: list[tuple[int, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("#"):
            continue
        if line == ".":
            chunks.append(current)
            current = []
        else:
            current.append((number, line))
    assert not any(text.strip() for _, text in current), f"{path}:{current[0][0]}: a case is not ended by '.'"
    cases = []
    for index in range(0, len(chunks) - parts, parts + 1):
        line, title = next(((n, text) for n, text in chunks[index] if text.strip()), (0, ""))
        assert title, f"{path}: a case after line {chunks[index - 1][-1][0] if index else 0} has no title"
        cases.append(Case(title.strip(), tuple(tuple(text for _, text in chunk)
                                               for chunk in chunks[index + 1: index + 1 + parts]), path, line))
    return cases
