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
    forms = [(_normalise(term.en.strip()), term.pos)]
    forms += [(_normalise(a.strip()), "") for a in term.alternates if a.strip()]
    forms.sort(key=lambda form: -len(form[0]))
    body = "|".join(_form_body(text, pos, exact=term.keep or term.case == "exact") for text, pos in forms)
    return re.compile(rf"(?<![{_WORD}])(?:{body})(?![{_WORD}])")


@lru_cache(maxsize=4096)
def target_pattern(term: Term) -> re.Pattern[str]:
    """:func:`term_pattern` for ``en`` alone: what the translation engines' ladder forces (never an alternate)."""
    body = _form_body(_normalise(term.en.strip()), term.pos, exact=term.keep or term.case == "exact")
    return re.compile(rf"(?<![{_WORD}])(?:{body})(?![{_WORD}])")


def _form_body(target: str, pos: str, *, exact: bool) -> str:
    """One accepted form as a pattern (no word boundaries): see :data:`INFLECTIONS`."""
    if exact:
        # An acronym kept as is still takes an English plural: GPUs, LLMs.
        plural = pos == "noun" or (not pos and (target[-1:].isupper() or target[-1:].isdigit()))
        return re.escape(target) + ("s?" if plural and target[-1:].isalnum() else "")
    words = [w for w in re.split(r"[\s\-‐–]+", target) if w]
    separator = r"(?:\s*[-‐–]\s*|\s+)?"
    body = separator.join([*(re.escape(w) for w in words[:-1]), _inflected(words[-1], pos)])
    return f"(?i:{body})"


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
    return term_pattern(term).search(_normalise(english)) is not None


def target_honoured(term: Term, english: str) -> bool:
    """True when ``english`` contains the term's target itself (``en``, alternates aside): the engines' ladder."""
    return target_pattern(term).search(_normalise(english)) is not None


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
        uses.append(TermUse(term.zh, term.en, surface, bool(en_spans), tuple(spans), en_spans, term.alternates))
        if not en_spans:
            violations.append(Violation(slug, block_id, segment_id, term.zh, term.en, english, zh))
    return tuple(uses), tuple(violations)
