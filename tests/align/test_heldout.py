"""The aligner on held-out pairs nobody tuned it on (tests/align/heldout/, see its README.md).

Each pair NNN: NNN.zh and NNN.en (one sentence a line), NNN.zh.para and NNN.en.para (the
paragraph index of each line), NNN.align (gold beads, `[0,1]:[0]`, one a line). The score is
strict F1 over exact beads with null beads left out on both sides, micro-averaged over the pairs
(the measure of Vecalign and Bertalign); the scorer is here so the held-out check does not lean
on the bench code it is meant to check.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from translate.align import align

HERE = Path(__file__).parent / "heldout"
PAIRS = sorted(p.name[: -len(".align")] for p in HERE.glob("*.align"))
TARGET = 0.85  # issue 32: strict F1 >= 0.85 on held-out pairs too

Bead = tuple[tuple[int, ...], tuple[int, ...]]
BEAD_LINE = re.compile(r"\[(\d+(?:,\d+)*)?\]:\[(\d+(?:,\d+)*)?\]")


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def parse_beads(path: Path) -> list[Bead]:
    beads = []
    for number, line in enumerate(lines(path), 1):
        m = BEAD_LINE.fullmatch(line)
        assert m, f"{path.name}:{number}: not a bead: {line!r}"
        zh, en = (tuple(int(x) for x in g.split(",")) if g else () for g in m.groups())
        assert zh or en, f"{path.name}:{number}: an empty bead"
        beads.append((zh, en))
    return beads


def covers_in_order(beads: list[Bead], n_zh: int, n_en: int) -> bool:
    """Every line of both sides exactly once, in order."""
    return [i for zh, _ in beads for i in zh] == list(range(n_zh)) and [j for _, en in beads for j in en] == list(
        range(n_en)
    )


def strict_counts(predicted: list[Bead], gold: list[Bead]) -> tuple[int, int, int]:
    """(exact matches, predicted, gold), null beads left out on both sides."""
    pred = {b for b in predicted if b[0] and b[1]}
    true = {b for b in gold if b[0] and b[1]}
    return len(pred & true), len(pred), len(true)


def f1(hits: int, n_pred: int, n_gold: int) -> float:
    precision = hits / n_pred if n_pred else 0.0
    recall = hits / n_gold if n_gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def load(name: str) -> tuple[list[str], list[str], list[int], list[int], list[Bead]]:
    zh, en = lines(HERE / f"{name}.zh"), lines(HERE / f"{name}.en")
    zh_para = [int(x) for x in lines(HERE / f"{name}.zh.para")]
    en_para = [int(x) for x in lines(HERE / f"{name}.en.para")]
    return zh, en, zh_para, en_para, parse_beads(HERE / f"{name}.align")


def test_there_are_eight_held_out_pairs():
    assert len(PAIRS) == 8, PAIRS


@pytest.mark.parametrize("name", PAIRS)
def test_gold_is_well_formed(name):
    zh, en, zh_para, en_para, gold = load(name)
    assert 15 <= len(zh) <= 35, f"{name}: {len(zh)} Chinese sentences"
    assert all(s.strip() for s in zh + en), f"{name}: an empty sentence line"
    assert len(zh_para) == len(zh) and len(en_para) == len(en), f"{name}: a .para file does not match its text"
    for side, para in (("zh", zh_para), ("en", en_para)):
        assert para[0] == 0 and all(b - a in (0, 1) for a, b in zip(para, para[1:])), f"{name}.{side}.para: not 0, 1, 2 ..."
    assert covers_in_order(gold, len(zh), len(en)), f"{name}.align: does not cover every line once, in order"


def test_the_scorer_counts_exact_beads_only():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2,)), ((4,), (3, 4))]
    assert strict_counts(gold, gold) == (3, 3, 3)
    assert f1(*strict_counts(gold, gold)) == 1.0
    split = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((), (2,)), ((4,), (3, 4))]
    assert strict_counts(split, gold) == (2, 3, 3)
    assert f1(*strict_counts(split, gold)) == pytest.approx(2 / 3)


def test_aligner_reaches_the_target_on_held_out_pairs():
    params = inspect.signature(align).parameters
    anchors = "zh_paragraphs" in params and "en_paragraphs" in params
    hits = n_pred = n_gold = 0
    per_pair, lost = [], []
    for name in PAIRS:
        zh, en, zh_para, en_para, gold = load(name)
        kwargs = {"zh_paragraphs": zh_para, "en_paragraphs": en_para} if anchors else {}
        predicted = [(tuple(b.zh), tuple(b.en)) for b in align(zh, en, **kwargs)]
        if not covers_in_order(predicted, len(zh), len(en)):
            lost.append(name)
        counts = strict_counts(predicted, gold)
        per_pair.append(f"{name} {f1(*counts):.3f} ({counts[0]}/{counts[1]} predicted, {counts[2]} gold)")
        hits, n_pred, n_gold = hits + counts[0], n_pred + counts[1], n_gold + counts[2]
    pooled = f1(hits, n_pred, n_gold)
    report = f"pooled strict F1 {pooled:.3f} (paragraph anchors {'given' if anchors else 'not accepted'}); " + "; ".join(
        per_pair
    )
    assert not lost, f"predicted beads do not cover every line once in {lost}; {report}"
    assert pooled >= TARGET, report
