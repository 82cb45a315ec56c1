"""The cleaner's vocabulary, kept as data: ``translate/corpus/data/*.txt``.

``chrome_words.txt`` holds the words and phrases of page furniture by platform family,
``byline_words.txt`` the words of credits and header lines. Both are read once per
process, on first use (never at import). A file is made of ``[section]`` headers and
lines; ``#`` starts a comment line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_sections(path: Path) -> dict[str, list[str]]:
    """``{section: [lines]}`` of a vocabulary file (comments and blank lines left out)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = sections.setdefault(stripped[1:-1].strip(), [])
        elif current is not None:
            current.append(stripped)
    return sections


def _labelled(lines: list[str], path: Path, flags: int = re.IGNORECASE) -> list[tuple[str, re.Pattern]]:
    patterns = []
    for line in lines:
        label, sep, expression = line.partition(": ")
        if not sep:
            raise ValueError(f"{path.name}: expected 'label: expression', got {line!r}")
        patterns.append((label.strip(), re.compile(expression.strip(), flags)))
    return patterns


@dataclass(frozen=True)
class ChromeVocabulary:
    """What page furniture says (``chrome_words.txt``)."""

    widgets: frozenset[str]
    """Words buttons, menus and counters are made of (lower-cased)."""
    phrases: tuple[tuple[str, re.Pattern], ...]
    """(reason, expression): a short line the expression matches is chrome."""
    title_suffixes: tuple[re.Pattern, ...]
    """What sites append to a title line."""


@lru_cache(maxsize=1)
def chrome_vocabulary() -> ChromeVocabulary:
    """The chrome vocabulary of every platform family, read once."""
    path = DATA / "chrome_words.txt"
    sections = read_sections(path)
    widgets: set[str] = set()
    phrases: list[tuple[str, re.Pattern]] = []
    for name, lines in sections.items():
        if name.startswith("widgets"):
            widgets.update(word.lower() for line in lines for word in line.split())
        elif name.startswith("phrases"):
            phrases.extend(_labelled(lines, path))
    suffixes = tuple(re.compile(line) for line in sections.get("title suffixes", []))
    return ChromeVocabulary(frozenset(widgets), tuple(phrases), suffixes)


@dataclass(frozen=True)
class BylineVocabulary:
    """What credits and header lines say (``byline_words.txt``)."""

    author_roles: tuple[str, ...]
    """Words before an author's name."""
    editor_roles: tuple[str, ...]
    """Words before an editor's or producer's name."""
    date_prefixes: frozenset[str]
    """Words before the date of a header line."""
    marks: frozenset[str]
    """Tokens of a header line that are neither names nor dates."""
    clients: frozenset[str]
    """Tokens that start the posting client (ignored with what follows)."""
    sources: frozenset[str]
    """Words that introduce the publication (来源：…)."""
    follow_marks: frozenset[str]
    """Buttons that follow an author's name."""
    places: frozenset[str]
    """Place names of header lines."""
    patterns: tuple[tuple[str, re.Pattern], ...]
    """Credits in a sentence-like form, with named groups ``author`` and ``date``."""


@lru_cache(maxsize=1)
def byline_vocabulary() -> BylineVocabulary:
    """The byline vocabulary, read once."""
    path = DATA / "byline_words.txt"
    sections = read_sections(path)

    def words(name: str) -> list[str]:
        return [word for line in sections.get(name, []) for word in line.split()]

    return BylineVocabulary(
        author_roles=tuple(words("author roles")),
        editor_roles=tuple(words("editor roles")),
        date_prefixes=frozenset(words("date prefixes")),
        marks=frozenset(words("marks")),
        clients=frozenset(words("clients")),
        sources=frozenset(words("sources")),
        follow_marks=frozenset(sections.get("follow marks", [])),
        places=frozenset(words("places")),
        patterns=tuple(_labelled(sections.get("patterns", []), path, 0)),
    )
