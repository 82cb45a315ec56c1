"""The honour rule: whether an English text says a glossary term the way the glossary says it.

One rule for every caller: the translation stage's ladder and proof, the post-editing
proof, the quality report, the HTML and PDF highlights and the concordance. The proof
(:func:`proof_terms`) applies it to a segment: every term of the Chinese, where it sits,
and whether the English honours it — for machine and human English alike.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from translate import markup
from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN, Term, TermMatch, TermUse, Violation

#: Characters of a Latin word: a target must not sit inside a longer word.
WORD_CHARS = _WORD = "A-Za-z0-9"
_DAMAGED_SPAN = re.compile(re.escape(DAMAGED_OPEN) + ".*?(?:" + re.escape(DAMAGED_CLOSE) + "|$)", re.S)


class GlossaryLike(Protocol):
    """What the proof and the glossary layer need from :class:`translate.glossary.Glossary`."""

    def find(self, text: str) -> list[TermMatch]: ...


@lru_cache(maxsize=4096)
def term_pattern(term: Term) -> re.Pattern[str]:
    """The regular expression the English must match for ``term`` to count as honoured.

    Keep-as-is and ``case="exact"`` targets must appear exactly (an acronym or model number may take a plural ``s``:
    GPUs, A100s); others case-insensitively, with hyphen/space variants between words and the regular
    English inflections on the last word: -s/-es, -ed, -ing (converge → converged, converging;
    company → companies; replicate → replicated). Derived words (convergence) do not count.
    """
    target = _normalise(term.en.strip())
    if term.keep or term.case == "exact":
        # An acronym kept as is still takes an English plural: GPUs, LLMs.
        body, flags = re.escape(target) + ("s?" if target[-1:].isupper() or target[-1:].isdigit() else ""), 0
    else:
        words = [w for w in re.split(r"[\s\-‐–]+", target) if w]
        separator = r"(?:\s*[-‐–]\s*|\s+)?"
        last_pattern = _inflected(words[-1])
        body = separator.join([*(re.escape(w) for w in words[:-1]), last_pattern])
        flags = re.IGNORECASE
    return re.compile(rf"(?<![{_WORD}]){body}(?![{_WORD}])", flags)


def _inflected(word: str) -> str:
    """A pattern for ``word`` and its regular inflections (plural or third person, past, -ing)."""
    if len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return re.escape(word[:-1]) + r"(?:y|ies|ied|ying)"
    if len(word) > 2 and word[-1] in "eE" and word[-2].lower() not in "aeiou":
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing)"
    if not word[-1:].isalpha():
        return re.escape(word)
    return re.escape(word) + r"(?:s|es|ed|ing)?"


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def term_honoured(term: Term, english: str) -> bool:
    """True when ``english`` contains the term's target (see :func:`term_pattern`)."""
    return term_pattern(term).search(_normalise(english)) is not None


def find_term(term: Term, english: str) -> tuple[int, int] | None:
    """Span of the first occurrence of the term's target in ``english``, if any."""
    match = term_pattern(term).search(_normalise(english))
    return match.span() if match else None


def term_spans(term: Term, english: str) -> tuple[tuple[int, int], ...]:
    """Spans of every occurrence of the term's target in ``english``."""
    return tuple(m.span() for m in term_pattern(term).finditer(_normalise(english)))


def proof_terms(slug: str, block_id: str, segment_id: str, zh: str, english: str,
                glossary: GlossaryLike) -> tuple[tuple[TermUse, ...], tuple[Violation, ...]]:
    """Every glossary term of the Chinese (outside damaged spans), where it sits, and whether ``english`` honours it.

    The one proof for machine and human English alike: a term not honoured is a violation.
    Spans are offsets in the plain text of ``zh`` and ``english`` (:func:`translate.markup.plain_text`),
    computed once here for every renderer.
    """
    plain_zh = markup.plain_text(zh)
    plain_en = markup.plain_text(english)
    damaged = [m.span() for m in _DAMAGED_SPAN.finditer(plain_zh)]
    found: dict[str, list] = {}
    for match in glossary.find(plain_zh):
        if any(start < match.end and match.start < end for start, end in damaged):
            continue
        found.setdefault(match.term.zh, [match.term, match.surface, []])[2].append((match.start, match.end))
    uses: list[TermUse] = []
    violations: list[Violation] = []
    for term, surface, spans in found.values():
        en_spans = term_spans(term, plain_en)
        uses.append(TermUse(term.zh, term.en, surface, bool(en_spans), tuple(spans), en_spans))
        if not en_spans:
            violations.append(Violation(slug, block_id, segment_id, term.zh, term.en, english, zh))
    return tuple(uses), tuple(violations)
