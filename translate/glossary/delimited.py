"""CSV and TSV termbase files as interchange formats: what ``bitext glossary export`` writes and ``import`` reads.

The termbase itself is such a file (:mod:`.termbase`); an incoming one is read and checked
as the termbase is (:func:`~translate.glossary.checks.file_errors`), with only the ``zh`` and
``en`` columns required, whatever its delimiter. The stores of the format registry
(:mod:`translate.formats`).
"""

from __future__ import annotations

from pathlib import Path

from translate.formats import FormatStore
from translate.glossary.checks import file_errors
from translate.glossary.termbase import write_terms
from translate.models import Term


class CsvStore(FormatStore):
    """A comma-separated termbase."""

    delimiter = ","

    def read(self, path: Path) -> list[Term]:
        _, terms = file_errors(path, required=("zh", "en"))
        return terms

    def write(self, content: list[Term] | tuple[Term, ...]) -> str:
        return write_terms(content, self.delimiter)


class TsvStore(CsvStore):
    """A tab-separated termbase."""

    delimiter = "\t"
