"""What the glossary checker reports: an error or a warning at a file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from translate.errors import GlossaryError

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of ``bitext glossary check``; ``str()`` gives ``path:line: message``."""

    severity: Severity
    """``error`` (the file must be fixed) or ``warning`` (worth a look)."""
    path: Path
    """The file the finding is in."""
    line: int
    """1-based line in that file (0 when the finding is about the whole file)."""
    message: str
    """What is wrong and how to fix it."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def to_error(self) -> GlossaryError:
        """The same finding as an exception, for callers that stop at the first error."""
        return GlossaryError(self.message, path=self.path, line=self.line or None)


def error(path: Path, line: int, message: str) -> Diagnostic:
    """An error at ``path:line``."""
    return Diagnostic("error", Path(path), line, message)


def warning(path: Path, line: int, message: str) -> Diagnostic:
    """A warning at ``path:line``."""
    return Diagnostic("warning", Path(path), line, message)
