"""Rung 1 of the ladder: targets put into the source, spaced so that touching terms stay apart."""

import pytest

from translate.models import Term, TermMatch
from translate.translation.constraints import substitute, term_honoured

MSRA = Term("微软亚洲研究院", "Microsoft Research Asia")
VP = Term("副院长", "vice president")
AGI = Term("通用人工智能", "artificial general intelligence (AGI)")
LARGE_MODEL = Term("大模型", "large model")
AGI_LATIN = Term("AGI", "AGI", keep=True, case="exact")


def matches(text, *terms):
    found = []
    for term in terms:
        start = text.index(term.zh)
        found.append(TermMatch(start, start + len(term.zh), term.zh, term))
    return found


@pytest.mark.parametrize(
    ("source", "terms", "expected"),
    [
        ("曾任微软亚洲研究院副院长的周明", (MSRA, VP), "曾任Microsoft Research Asia vice president的周明"),
        ("通用人工智能大模型创业", (AGI, LARGE_MODEL), "artificial general intelligence (AGI) large model创业"),
        ("AGI大模型", (AGI_LATIN, LARGE_MODEL), "AGI large model"),
        ("用大模型", (LARGE_MODEL,), "用large model"),
        ("GPT大模型", (LARGE_MODEL,), "GPT large model"),
    ],
)
def test_touching_targets_are_separated(source, terms, expected):
    text, spans = substitute(source, matches(source, *terms))
    assert text == expected
    for start, end, term in spans:
        assert text[start:end] == term.en
        assert term_honoured(term, text)
