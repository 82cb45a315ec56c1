"""The aligner on small hand-made pairs: each bead shape, a missing paragraph, swapped paragraphs."""

from __future__ import annotations

from translate.align import Bead, align

# Hand-written pairs (not from any published translation).
PAIRS = [
    ("会议于2019年在北京召开。", "The conference was held in Beijing in 2019."),
    ("三家公司宣布合作开发新电池。", "Three companies announced that they will jointly develop a new battery."),
    ("这种电池的成本降低了百分之四十。", "The battery costs forty percent less."),
    ("科学家在实验室里测试了五百个样品。", "Scientists tested five hundred samples in the laboratory."),
    ("他们的结果发表在《自然》杂志上。", "Their results were published in the journal Nature."),
    ("政府计划投资3亿元建设工厂。", "The government plans to invest 300 million yuan in building a factory."),
    ("工厂将雇用两千名工人。", "The factory will employ two thousand workers."),
    ("许多农民担心土地被占用。", "Many farmers worry that their land will be taken."),
]


def pairs(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in beads]


def test_one_to_one_sentences_align_one_to_one():
    zh = [z for z, _ in PAIRS]
    en = [e for _, e in PAIRS]
    beads = align(zh, en)
    assert pairs(beads) == [((i,), (i,)) for i in range(len(PAIRS))]
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)
