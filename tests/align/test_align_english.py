"""English sentence splitting without a downloaded model."""

from __future__ import annotations

import pytest

from translate.align import split_english


@pytest.mark.parametrize(("text", "expected"), [
    ("It rained. We stayed in.", ["It rained.", "We stayed in."]),
    ("Mr. Li met Dr. Wang at 3 p.m. on Friday.", ["Mr. Li met Dr. Wang at 3 p.m. on Friday."]),
    ("Prices rose 2.5 percent. Wages did not.", ["Prices rose 2.5 percent.", "Wages did not."]),
    ("J. R. R. Tolkien wrote it. Readers loved it.", ["J. R. R. Tolkien wrote it.", "Readers loved it."]),
    ("“Is it real?” she asked. “Yes!” he said.", ["“Is it real?” she asked.", "“Yes!” he said."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("Some tools, e.g. hammers, break. Others last.", ["Some tools, e.g. hammers, break.", "Others last."]),
    ("It grew (see Fig. 3) fast. Then it slowed.", ["It grew (see Fig. 3) fast.", "Then it slowed."]),
    ("Wait... what happened? Nothing.", ["Wait... what happened?", "Nothing."]),
    ("He moved to the U.S. in 2010.", ["He moved to the U.S. in 2010."]),
    ("The first line\nwraps here. Next one.\n\nA new paragraph", ["The first line wraps here.", "Next one.",
                                                                 "A new paragraph"]),
    ("", []),
    ("   \n\n  ", []),
])
def test_english_splits_into_sentences(text, expected):
    assert split_english(text) == expected


def test_a_paragraph_break_always_ends_a_sentence():
    assert split_english("no full stop here\n\nnor here") == ["no full stop here", "nor here"]


def test_splitting_loses_no_words():
    text = "Dr. A. Smith paid $3.50. “Why?” asked Ms. Lee... It was 9 a.m. Everyone laughed!"
    assert " ".join(split_english(text)).split() == text.split()
