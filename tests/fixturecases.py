"""What every case read from a fixture file has: where it is, for test ids and failure messages
(as markdown-it-py's ``read_fixture_file`` gives each case its line)."""

from __future__ import annotations

from pathlib import Path


class FixtureCase:
    """Mixed into a case type with ``title``, ``path`` (the fixture file) and ``line`` (of the title)."""

    title: str
    path: Path
    line: int

    @property
    def where(self) -> str:
        """``file:line`` of the case."""
        return f"{self.path.name}:{self.line}"

    @property
    def id(self) -> str:
        """The test id: where the case is, then its title."""
        return f"{self.where} {self.title}"
