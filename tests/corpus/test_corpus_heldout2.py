"""The second held-out set (tests/corpus/heldout2/, issue 29): its shape, and the cleaner measured on it.

The targets (issue 29: ≥ 98 % sentence recall, no chrome left, title, authors and date right, structure kept, no
prose removed or made metadata without a warning) are asserted per case and the table is printed at the end of the
run (tests/corpus/conftest.py); ``python tests/corpus/heldout2_cases.py -v`` says what each case misses.
"""

from __future__ import annotations

from collections import Counter

import pytest

from heldout2_cases import HELDOUT2, KINDS, details2, kind_of, measure2, sections, structure
from heldout_cases import read_cases

CASES = read_cases(HELDOUT2)
#: Where the run keeps the figures, for the table at its end (conftest.py).
HELDOUT2_KEY = pytest.StashKey[dict]()


def test_the_set_has_every_kind_of_source_the_issue_names():
    kinds = Counter(kind_of(case) for case in CASES)
    assert all(kinds[kind] >= n for kind, n in KINDS.items()), kinds
    assert len({c.fields["platform"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_is_well_formed(case):
    assert case.source.exists(), case.source
    assert 15 <= len(case.sentences) <= 60, case.name
    structure(case)  # every structure line parses
    assert set(sections(case)) <= {"sentences", "chrome", "garbled", "structure", "prose-at-risk"}, case.name


@pytest.fixture(scope="module")
def figures(request):
    results = {case.name: measure2(case) for case in CASES}
    request.config.stash[HELDOUT2_KEY] = results
    return results


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_meets_every_target(figures, case):
    """≥ 98 % of the sentences, no chrome, title, authors, publication and date right, every structure line kept,
    every prose line at risk kept or named by a warning, every garbled span repaired or flagged."""
    f = figures[case.name]
    assert f.met, details2(f)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_is_conserved_and_cleaning_it_again_changes_nothing(case):
    """The log accounts for every character of the source as given; the article is a fixed point of the cleaner."""
    from heldout_cases import clean_case
    from translate.corpus import clean

    cleaned = clean_case(case)
    assert cleaned.conserved()
    assert clean(cleaned.markdown.encode("utf-8"), f"{case.name}.md").markdown == cleaned.markdown
