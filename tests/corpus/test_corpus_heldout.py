"""The cleaner on the held-out set (tests/corpus/heldout/, issue 16): scrapes it was never tuned on.

Targets, per case: at least 98 % of the expected sentences found (each inside one line of
the cleaned body), no chrome left, the title right, every garbled span repaired or
flagged; the bylines the page gives in the front matter. The table is printed at the end
of the test run (tests/corpus/conftest.py).
"""

from __future__ import annotations

import pytest

from heldout_cases import RECALL_TARGET, clean_case, details, measure, read_cases

CASES = read_cases()
#: Until the rules generalise (issue 16), the figures are measured and shown but may miss the targets.
UNTIL_GENERAL = pytest.mark.xfail(reason="issue 16: the cleaner does not generalise yet", strict=False)


@pytest.fixture(scope="module")
def figures(request):
    results = {case.name: measure(case, clean_case(case)) for case in CASES}
    request.config.stash.setdefault(HELDOUT_KEY, {}).update(results)
    return results


def test_the_set_is_big_enough():
    assert len(CASES) >= 8
    assert len({c.fields["platform"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert 15 <= len(case.sentences) <= 60, case.name
        assert case.source.exists(), case.source


@UNTIL_GENERAL
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sentence_recall(figures, case):
    f = figures[case.name]
    assert f.recall >= RECALL_TARGET, details(f)


@UNTIL_GENERAL
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_chrome_left(figures, case):
    f = figures[case.name]
    assert not f.leftovers, details(f)


@UNTIL_GENERAL
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_title(figures, case):
    f = figures[case.name]
    assert f.title_right, details(f)


@UNTIL_GENERAL
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bylines(figures, case):
    f = figures[case.name]
    assert f.bylines_right == len(f.bylines), details(f)


@UNTIL_GENERAL
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_garbled_spans_repaired_or_flagged(figures, case):
    f = figures[case.name]
    assert f.repaired + f.flagged == f.garbled, details(f)


HELDOUT_KEY = pytest.StashKey[dict]()
