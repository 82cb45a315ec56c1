"""The :class:`Glossary` value object that the translator, the renderers and the checks share: the termbase as loaded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from translate.glossary.checks import file_errors
from translate.glossary.matcher import Matcher, source_forms
from translate.glossary.traditional import with_traditional
from translate.models import Term, TermMatch


@dataclass(frozen=True, slots=True)
class Glossary:
    """The termbase's entries, ready to match: load once, then call :meth:`find` freely.

    ``terms`` carry their typed variants followed by the derived Traditional
    forms of the key and of every typed variant.
    """

    terms: tuple[Term, ...]
    """Entries in file order, variants completed with Traditional forms."""
    version: str
    """Short content hash (12 hex digits of the SHA-256 of the file's bytes)."""
    path: Path | None = None
    """The file the glossary was loaded from, if any."""
    _matcher: Matcher = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    _by_form: dict = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matcher", Matcher(self.terms))
        by_form: dict[str, Term] = {}
        for term in self.terms:
            for form in source_forms(term):
                by_form.setdefault(form, term)
        for term in self.terms:  # a key always finds its own entry
            by_form[term.zh] = term
        object.__setattr__(self, "_by_form", by_form)

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        """Read and check a termbase file; raise :class:`GlossaryError` at the first error.

        Warnings (duplicates, nested terms, …) are not raised; see :func:`check_glossary`.
        """
        path = Path(path)
        termbase, typed = file_errors(path)
        return cls(tuple(with_traditional(t) for t in typed), _digest(termbase.render()), path)

    @classmethod
    def from_terms(cls, terms: Iterable[Term]) -> "Glossary":
        """A glossary of hand-made terms (for tests and other stages); Traditional forms are added."""
        completed = tuple(with_traditional(t) for t in terms)
        fingerprint = "\n".join(repr(t) for t in completed).encode("utf-8")
        return cls(completed, _digest(fingerprint))

    def find(self, text: str) -> list[TermMatch]:
        """Every term in ``text``, leftmost-longest and non-overlapping, in order of position."""
        return self._matcher.find(text)

    def lookup(self, zh: str) -> Term | None:
        """The entry whose key is ``zh``, else the entry with ``zh`` as a source form (e.g. Traditional)."""
        return self._by_form.get(zh) or self._by_form.get(zh.strip())

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]
