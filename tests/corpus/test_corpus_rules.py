"""Cleaning cases from fixtures/rules.txt: each applies the named rules and compares the text."""

from __future__ import annotations

from collections import Counter

import pytest

from translate.corpus.draft import Draft
from translate.corpus.layout import is_markdown
from translate.corpus.rules import RULE_NAMES, RULES

from corpus_cases import FIXTURES, read_cases

CASES = read_cases(FIXTURES / "rules.txt")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case):
    assert set(case.rules) <= set(RULE_NAMES), f"{case.where}: unknown rule in {case.rules}"
    draft = Draft.from_text(case.source, "case.txt")
    draft.facts["markdown"] = is_markdown(case.source)
    for name, rule in RULES:
        if name in case.rules:
            rule(draft)
    assert draft.text == case.expected, f"{case.where}: {case.title}"
    removed = Counter("".join(e.removed for e in draft.log))
    inserted = Counter("".join(e.inserted for e in draft.log))
    assert Counter(case.source) + inserted == Counter(draft.text) + removed, f"{case.where}: the log does not add up"


def test_every_rule_is_named_and_documented():
    assert len(RULE_NAMES) == len(set(RULE_NAMES))
    for name, rule in RULES:
        assert rule.__doc__, name


def test_edits_are_logged_with_source_lines():
    draft = Draft.from_text("第一行\n創(chuàng)業\n", "x.txt")
    dict(RULES)["pinyin"](draft)
    assert [(e.rule, e.line, e.removed) for e in draft.log] == [("pinyin", 2, "(chuàng)")]
