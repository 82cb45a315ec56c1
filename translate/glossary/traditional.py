"""Traditional forms of Simplified terms, derived with OpenCC, so nobody has to type them."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from translate.models import Term
from translate.script import converter as _converter

CONVERSIONS = ("s2t", "s2tw", "s2hk")
"""OpenCC configurations applied to every source form: generic, Taiwan and Hong Kong standards."""


@lru_cache(maxsize=1 << 17)  # a 50,000-entry termbase has about that many forms
def traditional_forms(form: str) -> tuple[str, ...]:
    """The distinct Traditional spellings of ``form`` (``form`` itself excluded), in a stable order."""
    forms: list[str] = []
    for config in CONVERSIONS:
        converted = _converter(config).convert(form)
        if converted != form and converted not in forms:
            forms.append(converted)
    return tuple(forms)


def char_pairs(simplified: str, traditional: str) -> list[tuple[str, str]]:
    """(Traditional char, Simplified char) pairs where a conversion changed one character.

    Only for conversions that kept the length, so the characters line up.
    """
    if len(simplified) != len(traditional):
        return []
    return [(t, s) for s, t in zip(simplified, traditional) if s != t]


def simplified(form: str) -> str:
    """``form`` converted to Simplified script (for entries that arrive only in Traditional)."""
    return _converter("t2s").convert(form)


def with_traditional(term: Term) -> Term:
    """``term`` with the derived Traditional forms of its key and typed variants appended."""
    forms: list[str] = [v for v in term.variants if v != term.zh]
    for form in (term.zh, *term.variants):
        for converted in traditional_forms(form):
            if converted != term.zh and converted not in forms:
                forms.append(converted)
    return replace(term, variants=tuple(forms))
