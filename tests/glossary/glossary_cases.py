"""Reading the fixture case files: a title, then parts each ended by a line holding only a dot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Case:
    title: str
    parts: tuple[tuple[str, ...], ...]


def read_cases(name: str, parts: int = 2) -> list[Case]:
    """The cases of ``fixtures/<name>``; lines starting with ``#`` are comments."""
    lines = [line for line in (FIXTURES / name).read_text(encoding="utf-8").split("\n") if not line.startswith("#")]
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line == ".":
            chunks.append(current)
            current = []
        else:
            current.append(line)
    cases = []
    for index in range(0, len(chunks) - parts, parts + 1):
        title = next(line for line in chunks[index] if line.strip())
        cases.append(Case(title.strip(), tuple(tuple(chunk) for chunk in chunks[index + 1: index + 1 + parts])))
    return cases
