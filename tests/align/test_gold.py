"""The aligner's measurement (bench/align.py): the strict scorer, the edition's gold, and a floor on it.

The floors are what the aligner scored when they were set (2026-12-05, commit af3b178: 0.995 with
the English joined per paragraph, 0.966 with each article's English as one text; an earlier draft
scored 0.989 and 0.946), less headroom for changes that trade a few beads for better ones
elsewhere (MAC-Test is where the aligner still has to improve); a drop below them is a regression.
"""

from __future__ import annotations

import re

import pytest

from bench.align import (Score, by_type, edition_articles, edition_cases, gold_beads, links_to_beads, parse_beads,
                         format_bead, run_cases, strict)

#: Strict F1 the aligner must keep on the edition's gold, per setting.
FLOORS = {"paragraphs": 0.95, "breaks": 0.95, "article": 0.90}


def simple_split(text: str) -> list[str]:
    """A plain splitter for the hand-made cases (after . ! ? and a space)."""
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


# --- the scorer ------------------------------------------------------------------------------------


def test_strict_counts_exact_non_null_beads_only():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3, 4), (3,)), ((), (4,))]
    predicted = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ()), ((3, 4), (3,)), ((), (4,))]
    score = strict(gold, predicted)
    # gold non-null: 3 beads; predicted non-null: 3 ([0]:[0], [1]:[1], [3,4]:[3]); 2 exact
    assert (score.correct, score.predicted, score.gold) == (2, 3, 3)
    assert score.precision == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 / 3)


def test_null_beads_neither_help_nor_hurt():
    gold = [((0,), (0,)), ((1,), ())]
    assert strict(gold, [((0,), (0,)), ((1,), ())]) == strict(gold, [((0,), (0,)), ((1,), ()), ((), ())])
    assert strict(gold, [((0,), (0,))]).f1 == 1.0


def test_scores_pool_over_documents():
    one = strict([((0,), (0,))], [((0,), (0,))])
    two = strict([((0,), (0,)), ((1,), (1,))], [((0, 1), (0, 1))])
    total = one + two
    assert (total.correct, total.predicted, total.gold) == (1, 2, 3)
    assert total.f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert Score().f1 == 0.0


def test_by_type_reports_which_bead_kinds_are_missed():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,))]
    predicted = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2, 3), (3,))]
    assert by_type(gold, predicted) == {"0-1": (0, 0, 1), "1-1": (1, 1, 2), "1-2": (0, 1, 0), "2-1": (1, 1, 1)}


def test_bead_lines_read_and_written_in_the_research_format():
    beads = parse_beads("[0]:[0]\n[1,2]:[1]\n\n[3]:[]\n[]:[2, 3]\n")
    assert beads == [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2, 3))]
    assert [format_bead(b) for b in beads] == ["[0]:[0]", "[1,2]:[1]", "[3]:[]", "[]:[2,3]"]
    with pytest.raises(ValueError, match="gold.align:2"):
        parse_beads("[0]:[0]\n[1]-[1]\n", name="gold.align")


def test_links_grouped_into_beads_with_unlinked_sentences_as_nulls():
    links = [(0, 0), (1, 1), (1, 2), (3, 3), (4, 3)]
    assert links_to_beads(links, 5, 5) == [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3, 4), (3,)), ((), (4,))]


# --- gold from the stores' English -------------------------------------------------------------------


def test_gold_beads_follow_the_splitter_over_segment_boundaries():
    segments = ["Alpha one. Alpha two.", "", "Beta without a stop", "gamma ends it.", "Delta."]
    sentences = simple_split(" ".join(s for s in segments if s))
    assert sentences == ["Alpha one.", "Alpha two.", "Beta without a stop gamma ends it.", "Delta."]
    beads, unlocated = gold_beads(segments, sentences)
    assert beads == [((0,), (0, 1)), ((1,), ()), ((2, 3), (2,)), ((4,), (3,))]
    assert unlocated == 0


def test_gold_beads_ignore_whitespace_the_splitter_folds_and_count_rewritten_sentences():
    segments = ["One  two.\nThree four.", "Five."]
    beads, unlocated = gold_beads(segments, ["One two.", "Three four.", "Five."])
    assert (beads, unlocated) == ([((0,), (0, 1)), ((1,), (2,))], 0)
    beads, unlocated = gold_beads(segments, ["ONE TWO.", "Three four.", "Five."])
    assert unlocated == 1
    assert beads == [((0,), (0, 1)), ((1,), (2,))]


def test_a_sentence_across_three_segments_is_one_bead():
    segments = ["A, b", "c, d", "e."]
    assert gold_beads(segments, ["A, b c, d e."]) == ([((0, 1, 2), (0,))], 0)


# --- the edition's own gold ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def align():
    return pytest.importorskip("translate.align")


@pytest.fixture(scope="module")
def articles():
    found = edition_articles()
    if not found:
        pytest.skip("no corpus/*.en.po")
    return found


@pytest.mark.parametrize("setting", ["paragraphs", "breaks", "article"])
def test_edition_gold_covers_every_sentence_once(align, articles, setting):
    for article in articles:
        for case in edition_cases(article, setting, align.split_english):
            zh = sorted(i for bead in case.gold for i in bead[0])
            en = sorted(j for bead in case.gold for j in bead[1])
            assert zh == list(range(len(case.zh))), case.name
            assert en == list(range(len(case.en))), case.name
            assert case.unlocated == 0, case.name
            if setting == "breaks":  # paragraph labels on both sides, one per sentence, in order
                assert len(case.zh_paragraphs) == len(case.zh) and len(case.en_paragraphs) == len(case.en)
                assert list(case.zh_paragraphs) == sorted(case.zh_paragraphs)
                assert set(case.en_paragraphs) <= set(case.zh_paragraphs)
            else:
                assert not case.zh_paragraphs and not case.en_paragraphs


@pytest.fixture(scope="module")
def glossary():
    from bench.align import edition_glossary

    return edition_glossary()


@pytest.mark.parametrize("setting", ["paragraphs", "breaks", "article"])
def test_edition_gold_strict_f1_stays_above_its_floor(align, articles, glossary, setting):
    cases = [case for article in articles for case in edition_cases(article, setting, align.split_english)]

    result = run_cases(cases, lambda zh, en, **paragraphs: align.align(zh, en, glossary=glossary, **paragraphs))
    assert result.score.gold > 800
    assert result.score.f1 >= FLOORS[setting], (
        f"{setting}: strict F1 {result.score.f1:.3f} < {FLOORS[setting]}; worst {result.worst(5)}")
