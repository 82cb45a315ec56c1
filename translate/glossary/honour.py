"""The honour rule: whether an English text says a glossary term the way the glossary says it.

One rule for every caller: the translation stage's ladder and proof, the post-editing
proof, the quality report, the HTML and PDF highlights and the concordance. The proof
(:func:`proof_terms`) applies it to a segment: every term of the Chinese, where it sits,
and whether the English honours it — for machine and human English alike. A term is
honoured by its target ``en`` or one of its ``alternates``, the entry's ``pos`` deciding
the inflections that count (:data:`INFLECTIONS`, :data:`RULE_NOTES`); the engines' ladder
asks the same rule of ``en`` alone (:func:`target_honoured`), since alternates are what a
person may write, not what an engine is held to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Inflection:
    """What the honour rule accepts for one ``pos``, with examples that the tests hold the code to."""

    pos: str
    """The ``pos`` cell (empty: an entry without one)."""
    forms: str
    """The forms of the last word of ``en`` that count, in words."""
    target: str
    """An example ``en``."""
    counts: tuple[str, ...]
    """English that honours it."""
    fails: tuple[str, ...]
    """English that does not."""


INFLECTIONS: tuple[Inflection, ...] = (
    Inflection("noun", "the plural: -s, -es, -y → -ies", "large model",
               ("large models", "large-model era"), ("large modelling", "large modelled")),
    Inflection("verb", "-s, -ed and -ing (-y → -ies, -ied, -ying; a final -e dropped before -ed, -ing)", "converge",
               ("converges", "converged", "converging"), ("convergence",)),
    Inflection("adjective", "none: the word as written", "To B", ("To B companies", "To-B market"), ("To Bs",)),
    Inflection("name", "none: the word as written", "Zhou Ming", ("Zhou Ming’s view",), ("Zhou Mings",)),
    Inflection("", "-s, -es, -ed and -ing alike (as for a noun and a verb)", "replicate",
               ("replicates", "replicated", "replicating"), ("replication",)),
)
"""The honour rule's inflections by the entry's ``pos``: which forms of the **last word** of ``en`` count.

This table is the rule, stated once: ``docs/glossary.md`` shows it as :func:`rule_markdown` writes it (a
test keeps the two equal and runs every example), and ``glossary/README.md`` and ``glossary/STYLE.md``
refer to it. :data:`RULE_NOTES` says what holds whatever the ``pos``.
"""

RULE_NOTES: tuple[str, ...] = (
    "A term is honoured when the English contains `en` or one of the entry's `alternates`.",
    "Words match case-insensitively, with a hyphen or a space between them (`large-model era`).",
    "Keep-as-is and `case = exact` targets match exactly as written and take only a plural `s` (`GPUs`, "
    "`A100s`): with `pos = noun` always, without a `pos` when they end in a capital or a digit, never as an "
    "`adjective` or `name`.",
    "Each alternate matches the same way, its own last word taking the inflections of an entry without a "
    "`pos` (an alternate is often another part of speech than `en`: `deploy` beside `deployment` counts as "
    "deployed and deploying). A phrase whose verb comes first (`bring to market`) lists its other forms as "
    "alternates of their own (`brought to market`).",
    "Derived words never count (convergence for converge, deployable for deploy); irregular forms count only "
    "as alternates.",
    "The translation engines are given `en` alone; alternates are what a person may write.",
)
"""What the honour rule says whatever the ``pos`` (shown under the table by :func:`rule_markdown`)."""


def rule_markdown() -> str:
    """The honour rule as ``docs/glossary.md`` shows it: the notes, then the table of :data:`INFLECTIONS`."""
    lines = [f"- {note}" for note in RULE_NOTES]
    lines += ["", "| `pos` | forms of the last word that count | example `en` | counts | does not count |",
              "| --- | --- | --- | --- | --- |"]
    for row in INFLECTIONS:
        lines.append(f"| {f'`{row.pos}`' if row.pos else '(empty)'} | {row.forms} | {row.target} | "
                     f"{', '.join(row.counts)} | {', '.join(row.fails)} |")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=4096)
def term_pattern(term: Term) -> re.Pattern[str]:
    """The regular expression the English must match for ``term`` to count as honoured: ``en`` or an alternate.

    The rule is :data:`INFLECTIONS` and :data:`RULE_NOTES`: the ``pos`` decides the inflections of the
    last word of ``en``; alternates take the inflections of an entry without a ``pos``. Where two forms could match at
    one place, the longer wins (the highlight covers the whole form).
    """
    body = "|".join(_form_body(text, pos, exact=_exact(term)) for text, pos in _forms(term))
    return _compiled(rf"(?<![{_WORD}])(?:{body})(?![{_WORD}])")


@lru_cache(maxsize=4096)
def target_pattern(term: Term) -> re.Pattern[str]:
    """:func:`term_pattern` for ``en`` alone: what the translation engines' ladder forces (never an alternate)."""
    body = _form_body(_normalise(term.en.strip()), term.pos, exact=_exact(term))
    return _compiled(rf"(?<![{_WORD}])(?:{body})(?![{_WORD}])")


@lru_cache(maxsize=8192)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled once: a term without alternates has one pattern for :func:`term_pattern` and
    :func:`target_pattern`, and a termbase has more patterns than the ``re`` module's own cache holds."""
    return re.compile(pattern)


def _exact(term: Term) -> bool:
    return bool(term.keep or term.case == "exact")


def _forms(term: Term) -> list[tuple[str, str]]:
    """``en`` (with its ``pos``) and each alternate (without), longest first: the forms that honour the term."""
    forms = [(_normalise(term.en.strip()), term.pos)]
    forms += [(_normalise(a.strip()), "") for a in term.alternates if a.strip()]
    forms.sort(key=lambda form: -len(form[0]))
    return forms


def _form_body(target: str, pos: str, *, exact: bool) -> str:
    """One accepted form as a pattern (no word boundaries): see :data:`INFLECTIONS`."""
    if exact:
        # An acronym kept as is still takes an English plural: GPUs, LLMs.
        plural = pos == "noun" or (not pos and (target[-1:].isupper() or target[-1:].isdigit()))
        return re.escape(target) + ("s?" if plural and target[-1:].isalnum() else "")
    words = _form_words(target)
    separator = r"(?:\s*[-‐–]\s*|\s+)?"
    body = separator.join([*(re.escape(w) for w in words[:-1]), _inflected(words[-1], pos)])
    return f"(?i:{body})"


def _form_words(target: str) -> list[str]:
    """The words of a form that is not exact: split at spaces and hyphens."""
    return [w for w in _WORD_BREAKS.split(target) if w]


_WORD_BREAKS = re.compile(r"[\s\-‐–]+")


def _inflected(word: str, pos: str = "") -> str:
    """A pattern for ``word`` and the inflections :data:`INFLECTIONS` gives its ``pos``."""
    if pos in ("adjective", "name") or not word[-1:].isalpha():
        return re.escape(word)
    consonant_y = len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou"
    if pos == "noun":
        return re.escape(word[:-1]) + r"(?:y|ies)" if consonant_y else re.escape(word) + r"(?:s|es)?"
    if consonant_y:
        return re.escape(word[:-1]) + r"(?:y|ies|ied|ying)"
    if len(word) > 2 and word[-1] in "eE" and word[-2].lower() not in "aeiou":
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing)"
    return re.escape(word) + r"(?:s|es|ed|ing)?"


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def term_honoured(term: Term, english: str) -> bool:
    """True when ``english`` contains the term's target or an alternate (see :func:`term_pattern`)."""
    english = _normalise(english)
    return _may_hold(_term_pieces(term), english) and term_pattern(term).search(english) is not None


def target_honoured(term: Term, english: str) -> bool:
    """True when ``english`` contains the term's target itself (``en``, alternates aside): the engines' ladder."""
    english = _normalise(english)
    return _may_hold(_target_pieces(term), english) and target_pattern(term).search(english) is not None


def find_term(term: Term, english: str) -> tuple[int, int] | None:
    """Span of the first occurrence of the term's target in ``english``, if any."""
    english = _normalise(english)
    if not _may_hold(_term_pieces(term), english):
        return None
    match = term_pattern(term).search(english)
    return match.span() if match else None


def term_spans(term: Term, english: str) -> tuple[tuple[int, int], ...]:
    """Spans of every occurrence of the term's target in ``english``."""
    english = _normalise(english)
    if not _may_hold(_term_pieces(term), english):
        return ()
    return tuple(m.span() for m in term_pattern(term).finditer(english))


# -- a cheap test before the patterns -----------------------------------------------------------------
# Most terms a sentence is checked for are not in its English, and compiling a term's pattern costs more
# than searching with it. Each form of a pattern holds literal pieces that any match contains (the words of
# ``en``, the last one less its last letter, which an inflection may change), so an English that lacks a
# piece of every form cannot match: the pattern is neither compiled nor run. Where the test cannot be sure
# it says "may hold" and the pattern decides.

#: The characters other than ASCII ones that ``re.IGNORECASE`` matches to an ASCII letter (ı, İ → i; ſ → s;
#: the Kelvin sign → k). An English holding one is left to the pattern (a test checks the list against ``re``).
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


@dataclass(frozen=True, slots=True)
class _Pieces:
    """What every match of a term's pattern contains: for some form, each of its pieces."""

    exact: bool
    """The pieces as written, matched case-sensitively; else in lower case, matched in the English lowered."""
    forms: tuple[tuple[str, ...], ...] | None
    """Per form, its pieces; None: no test (a piece that is not ASCII, in a case-insensitive form)."""


@lru_cache(maxsize=4096)
def _term_pieces(term: Term) -> _Pieces:
    return _pieces(_forms(term), exact=_exact(term))


@lru_cache(maxsize=4096)
def _target_pieces(term: Term) -> _Pieces:
    return _pieces([(_normalise(term.en.strip()), term.pos)], exact=_exact(term))


def _pieces(forms: list[tuple[str, str]], *, exact: bool) -> _Pieces:
    if exact:  # the target as written, perhaps with a plural s
        return _Pieces(True, tuple((text,) for text, _pos in forms))
    out = []
    for text, _pos in forms:
        words = _form_words(text)
        if not words:
            return _Pieces(False, None)
        pieces = tuple(piece.lower() for piece in (*words[:-1], words[-1][:-1]) if piece)
        if not all(piece.isascii() for piece in pieces):
            return _Pieces(False, None)
        out.append(pieces)
    return _Pieces(False, tuple(out))


def _may_hold(pieces: _Pieces, english: str) -> bool:
    """False only when no match of the pattern ``pieces`` describe can be in ``english`` (normalised)."""
    if pieces.forms is None:
        return True
    if pieces.exact:
        return any(all(piece in english for piece in form) for form in pieces.forms)
    lowered = lowered_for_ascii(english)
    if lowered is None:
        return True
    return any(all(piece in lowered for piece in form) for form in pieces.forms)


_LAST_LOWERED: tuple[str, str | None] = ("", "")


def lowered_for_ascii(english: str) -> str | None:
    """``english`` in lower case, for finding ASCII text in it as ``re.IGNORECASE`` would; None when it holds a
    character that the flag matches to an ASCII letter (:data:`FOLDS_TO_ASCII`), where only a pattern can tell.
    The last answer is kept: a sentence is checked for each of its terms in turn."""
    global _LAST_LOWERED
    last = _LAST_LOWERED
    if last[0] == english:
        return last[1]
    lowered = None if not english.isascii() and not FOLDS_TO_ASCII.isdisjoint(english) else english.lower()
    _LAST_LOWERED = (english, lowered)
    return lowered


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
        uses.append(TermUse(term.zh, term.en, surface, bool(en_spans), tuple(spans), en_spans, term.alternates))
        if not en_spans:
            violations.append(Violation(slug, block_id, segment_id, term.zh, term.en, english, zh))
    return tuple(uses), tuple(violations)
