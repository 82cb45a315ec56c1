"""The one exception hierarchy of the library.

The CLI turns every :class:`BitextError` into ``Error: <message>`` and exit
status 1; messages say what went wrong, where (file and line), and how to fix it.
"""

from __future__ import annotations

from pathlib import Path


class BitextError(Exception):
    """A problem the user can fix; shown as a one-line error, never a traceback."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class SettingsError(BitextError):
    """The edition settings file is malformed."""


class CorpusError(BitextError):
    """A source or cleaned article cannot be read or imported."""


class DecodeError(CorpusError):
    """A source file's bytes decode under no supported encoding."""


class GlossaryError(BitextError):
    """The termbase is malformed or an edit would damage it."""


class EngineError(BitextError):
    """A translation engine or model is missing, broken or misused."""


class ModelPackageError(EngineError):
    """An Argos model package is corrupt, incomplete or for the wrong languages."""


class RenderError(BitextError):
    """An output (HTML or PDF) cannot be produced."""


class FontMissingError(RenderError):
    """No CJK font is available, so the PDF would print empty boxes."""


class BlockedURLError(RenderError):
    """The PDF renderer was asked to load a remote URL or a file outside the project."""


class BuildLockedError(BitextError):
    """Another build is already running in the same build folder."""


class OutputError(BitextError):
    """An output file cannot be written (disk full, read-only folder)."""


class PostEditError(BitextError):
    """A post-editing file (PO, XLIFF, TMX) is malformed, or an import would lose a translator's work."""


class QualityError(BitextError):
    """``--strict`` was given and the edition has violations or flagged spans."""
