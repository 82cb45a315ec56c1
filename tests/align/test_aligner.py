"""The aligner on small hand-made pairs: each bead shape, a missing paragraph, swapped paragraphs, evidence kinds."""

from __future__ import annotations

import pytest

from translate.align import Bead, align
from translate.glossary import Glossary
from translate.models import Term

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
ZH = [z for z, _ in PAIRS]
EN = [e for _, e in PAIRS]

# Three paragraphs on three topics, four sentences each, for the paragraph-level cases.
PARAGRAPHS = [
    [("春天来了，河边的柳树发芽了。", "Spring has come, and the willows by the river are budding."),
     ("孩子们在草地上放风筝。", "Children are flying kites on the grass."),
     ("老人坐在长椅上晒太阳。", "Old people sit on the benches in the sun."),
     ("空气中有花的香味。", "The air smells of flowers.")],
    [("这家银行去年的利润增长了百分之十二。", "The bank's profits grew by twelve percent last year."),
     ("它在全国开设了八十家新分行。", "It opened eighty new branches across the country."),
     ("行长说明年还会继续扩张。", "The bank's president said it would keep expanding next year."),
     ("股东们对这个消息很满意。", "Shareholders were pleased with the news.")],
    [("医生建议病人每天走路半小时。", "Doctors advise patients to walk for half an hour every day."),
     ("运动可以降低心脏病的风险。", "Exercise can lower the risk of heart disease."),
     ("睡眠不足会影响记忆力。", "Lack of sleep can affect memory."),
     ("饮食也很重要，要多吃蔬菜。", "Diet matters too: eat more vegetables.")],
]


def shapes(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.zh, b.en) for b in beads]


def covers_both_sides(beads: list[Bead], n: int, m: int) -> bool:
    return [i for b in beads for i in b.zh] == list(range(n)) and [j for b in beads for j in b.en] == list(range(m))


def test_one_to_one_sentences_align_one_to_one():
    beads = align(ZH, EN)
    assert shapes(beads) == [((i,), (i,)) for i in range(len(PAIRS))]
    assert all(0.5 <= b.confidence <= 1.0 for b in beads)


def test_a_chinese_sentence_translated_as_two_is_a_one_to_two_bead():
    en = EN[:1] + ["Three companies announced a partnership.", "Together they will develop a new battery."] + EN[2:]
    beads = align(ZH, en)
    assert ((1,), (1, 2)) in shapes(beads)
    assert covers_both_sides(beads, len(ZH), len(en))
    assert [b.kind for b in beads].count("1-1") == len(ZH) - 1


def test_two_chinese_sentences_translated_as_one_are_a_two_to_one_bead():
    zh = ["科学家在实验室里测试了五百个样品。", "他们的结果发表在《自然》杂志上。"]
    en = ["Scientists tested five hundred samples in the laboratory and published their results in the journal "
          "Nature."]
    beads = align(ZH[:3] + zh + ZH[5:], EN[:3] + en + EN[5:])
    assert ((3, 4), (3,)) in shapes(beads)
    assert [b.kind for b in beads].count("1-1") == len(ZH) - 2


def test_a_sentence_the_english_leaves_out_is_a_one_to_nothing_bead():
    en = EN[:4] + EN[5:]
    beads = align(ZH, en)
    assert ((4,), ()) in shapes(beads)
    assert shapes(beads) == [((i,), (i,)) for i in range(4)] + [((4,), ())] + [
        ((i,), (i - 1,)) for i in range(5, len(ZH))]


def test_a_sentence_the_english_adds_is_a_nothing_to_one_bead():
    en = EN[:6] + ["(The ministry did not say where the factory will be.)"] + EN[6:]
    beads = align(ZH, en)
    assert ((), (6,)) in shapes(beads)
    assert [b.kind for b in beads].count("1-1") == len(ZH)


def test_a_paragraph_the_english_leaves_out_is_left_out_and_the_rest_aligns():
    zh = [z for paragraph in PARAGRAPHS for z, _ in paragraph]
    en = [e for paragraph in (PARAGRAPHS[0], PARAGRAPHS[2]) for _, e in paragraph]
    beads = align(zh, en)
    assert shapes(beads) == ([((i,), (i,)) for i in range(4)] + [((i,), ()) for i in range(4, 8)]
                             + [((i,), (i - 4,)) for i in range(8, 12)])


def test_swapped_paragraphs_are_reported_not_forced():
    """English paragraphs in another order: no confident bead pairs sentences that do not translate each other."""
    zh = [z for paragraph in PARAGRAPHS for z, _ in paragraph]
    order = [0, 2, 1]
    en = [e for k in order for _, e in PARAGRAPHS[k]]
    truth = {}  # Chinese index → English index of its translation
    for position, k in enumerate(order):
        for s in range(4):
            truth[4 * k + s] = 4 * position + s
    beads = align(zh, en)
    assert covers_both_sides(beads, len(zh), len(en))
    for bead in beads:
        wrong = any(truth[i] not in bead.en for i in bead.zh) if bead.zh and bead.en else False
        assert not (wrong and bead.confidence >= 0.5), f"{bead} pairs sentences that do not match, confidently"
    right = [b for b in beads if len(b.zh) == len(b.en) == 1 and truth[b.zh[0]] == b.en[0]]
    assert {b.zh[0] for b in right} >= set(range(4))  # the first paragraph, in place, aligns
    assert len(right) >= 8  # and one of the swapped two


def test_beads_cover_both_sides_in_order_whatever_the_input():
    zh = ["一。", "二二二二二二二二二二。", "三。"]
    en = ["A very long English sentence that matches nothing in particular at all, really.", "B."]
    beads = align(zh, en)
    assert covers_both_sides(beads, 3, 2)


@pytest.mark.parametrize(("zh", "en", "expected"), [
    ([], ["A."], [((), (0,))]),
    (["一。"], [], [((0,), ())]),
    ([], [], []),
])
def test_an_empty_side_leaves_every_sentence_of_the_other_unaligned(zh, en, expected):
    assert shapes(align(zh, en)) == expected


def test_glossary_targets_are_evidence():
    """Without the dictionary, which sentence the English leaves out shows only through the glossary."""
    zh = ["澜舟科技发布了新产品。", "周明离开了微软。"]
    en = ["Zhou Ming left Microsoft."]
    glossary = Glossary.from_terms([Term("周明", "Zhou Ming"), Term("微软", "Microsoft"), Term("澜舟科技", "Langboat")])
    assert shapes(align(zh, en, glossary=glossary, dictionary=False)) == [((0,), ()), ((1,), (0,))]
    assert shapes(align(zh[::-1], en, glossary=glossary, dictionary=False)) == [((0,), (0,)), ((1,), ())]


def test_figures_with_chinese_magnitudes_are_evidence():
    zh = ["他们投资了3亿元。", "他们招聘了1200人。"]
    en = ["They hired 1,200 people."]
    assert shapes(align(zh, en, dictionary=False)) == [((0,), ()), ((1,), (0,))]
    en = ["They invested 300 million yuan."]
    assert shapes(align(zh, en, dictionary=False)) == [((0,), (0,)), ((1,), ())]


def test_an_engines_translations_are_evidence():
    zh = ["甲乙丙丁戊己庚。", "子丑寅卯辰巳午。"]
    en = ["The rabbit ran home."]
    translations = ["The dog slept outside.", "A rabbit ran home."]
    assert shapes(align(zh, en, dictionary=False, translations=translations)) == [((0,), ()), ((1,), (0,))]
    with pytest.raises(ValueError):
        align(zh, en, translations=translations[:1])


def test_a_bead_prints_in_the_research_format():
    assert str(Bead((0, 1), (0,), 0.9)) == "[0,1]:[0]"
    assert str(Bead((3,), (), 0.1)) == "[3]:[]"
    assert str(Bead((), (4, 5), 0.1)) == "[]:[4,5]"
    assert Bead((2,), (1, 2), 1.0).kind == "1-2"


def _numbered(count: int) -> tuple[list[str], list[str]]:
    """Generated sentence pairs, each with its own figures (our own text, as many as wanted)."""
    animals = [("猫", "cats"), ("狗", "dogs"), ("马", "horses"), ("鸟", "birds"), ("鱼", "fish"), ("羊", "sheep")]
    zh, en = [], []
    for k in range(count):
        animal_zh, animal_en = animals[k % len(animals)]
        zh.append(f"第{k + 1}个农场养了{k * 7 + 3}只{animal_zh}。")
        en.append(f"Farm number {k + 1} keeps {k * 7 + 3} {animal_en}.")
    return zh, en


def test_a_long_input_aligns_in_a_narrow_band_and_finds_a_gap_and_a_split():
    from translate.align.aligner import _Aligner
    from translate.align.evidence import chinese_evidence, english_evidence

    zh, en = _numbered(600)
    en = en[:200] + en[230:]  # the English leaves thirty sentences out
    en[400:401] = ["Farm number 431 is large.", "It keeps 3013 fish."]  # and splits one in two
    beads = align(zh, en)
    expected = ([((i,), (i,)) for i in range(200)] + [((i,), ()) for i in range(200, 230)]
                + [((i,), (i - 30,)) for i in range(230, 430)] + [((430,), (400, 401))]
                + [((i,), (i - 29,)) for i in range(431, 600)])
    assert shapes(beads) == expected
    aligner = _Aligner(chinese_evidence(zh), english_evidence(en))
    lo, hi = aligner.band(aligner.anchors())
    assert sum(h - l for l, h in zip(lo, hi)) / len(lo) < 80  # of 571 columns


def test_a_block_the_english_adds_in_a_book_leaves_the_band_in_one_piece():
    """Three hundred English sentences with nothing of the Chinese in the middle of a book: the box between the
    anchors either side is far steeper than the band is wide. The band's rows still join (each starts at most one
    column past the previous row's end), where it fell apart and the aligner failed with a TypeError."""
    from translate.align.aligner import _Aligner
    from translate.align.evidence import chinese_evidence, english_evidence

    zh, en = _numbered(900)
    en = en[:450] + [f"Meanwhile the weather stayed {w} for a long while." for w in ["cold", "wet", "grey"] * 100] + en[450:]
    aligner = _Aligner(chinese_evidence(zh), english_evidence(en))
    lo, hi = aligner.band([(449, 449), (450, 750)])
    assert all(lo[i] <= hi[i] for i in range(len(lo)))
    assert all(lo[i] <= hi[i - 1] + 1 for i in range(1, len(lo)))
    beads = align(zh, en)
    assert covers_both_sides(beads, len(zh), len(en))
    assert sum(1 for b in beads if b.kind == "1-1") > 800


# --- paragraph breaks as evidence ----------------------------------------------------------------------------


def test_corresponding_paragraph_breaks_decide_where_length_alone_cannot():
    """Six alike Chinese sentences, five alike English ones: length cannot tell which one the English leaves
    out; the breaks say it is one of the first paragraph's."""
    zh = ["甲乙丙丁戊。"] * 6
    en = ["Abcdefghijklmno."] * 5
    beads = align(zh, en, dictionary=False, zh_paragraphs=[0, 0, 0, 1, 1, 1], en_paragraphs=[0, 0, 1, 1, 1])
    assert shapes(beads)[-3:] == [((3,), (2,)), ((4,), (3,)), ((5,), (4,))]
    assert covers_both_sides(beads, 6, 5)
    beads = align(zh, en, dictionary=False, zh_paragraphs=[0, 0, 0, 1, 1, 1], en_paragraphs=[0, 0, 0, 1, 1])
    assert shapes(beads)[:3] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_a_paragraph_the_english_leaves_out_with_paragraphs_given():
    zh = [z for paragraph in PARAGRAPHS for z, _ in paragraph]
    en = [e for paragraph in (PARAGRAPHS[0], PARAGRAPHS[2]) for _, e in paragraph]
    beads = align(zh, en, zh_paragraphs=[i // 4 for i in range(12)], en_paragraphs=[j // 4 for j in range(8)])
    assert shapes(beads) == ([((i,), (i,)) for i in range(4)] + [((i,), ()) for i in range(4, 8)]
                             + [((i,), (i - 4,)) for i in range(8, 12)])
    assert all(b.confidence <= 0.5 for b in beads if not b.en)


def test_swapped_paragraphs_with_paragraphs_given_are_not_forced():
    zh = [z for paragraph in PARAGRAPHS for z, _ in paragraph]
    order = [0, 2, 1]
    en = [e for k in order for _, e in PARAGRAPHS[k]]
    truth = {4 * k + s: 4 * position + s for position, k in enumerate(order) for s in range(4)}
    beads = align(zh, en, zh_paragraphs=[i // 4 for i in range(12)], en_paragraphs=[j // 4 for j in range(12)])
    assert covers_both_sides(beads, 12, 12)
    for bead in beads:
        wrong = any(truth[i] not in bead.en for i in bead.zh) if bead.zh and bead.en else False
        assert not (wrong and bead.confidence >= 0.5), f"{bead} pairs sentences that do not match, confidently"
    right = [b for b in beads if len(b.zh) == len(b.en) == 1 and truth[b.zh[0]] == b.en[0]]
    assert len(right) >= 8


def test_paragraph_labels_must_match_the_sentences():
    with pytest.raises(ValueError, match="en_paragraphs"):
        align(ZH, EN, zh_paragraphs=[0] * len(ZH), en_paragraphs=[0])


# --- the document's own word pairs ---------------------------------------------------------------------------


def test_words_the_first_pass_pairs_often_explain_each_other_in_the_second():
    from translate.align.aligner import associated
    from translate.align.evidence import chinese_evidence, english_evidence

    zh = ["韦小宝笑了。", "韦小宝跑了。", "韦小宝哭了。", "天下雨了。"]
    en = ["Trinket laughed.", "Trinket ran.", "Trinket cried.", "It rained."]
    zev, eev = chinese_evidence(zh), english_evidence(en)
    beads = [Bead((i,), (i,), 0.9) for i in range(4)]
    zev2, eev2 = associated(zev, eev, beads)
    name = "a:韦小宝"
    assert all(any(name in unit for unit in z.units) for z in zev2[:3])
    assert any(name in token for token in eev2[0].tokens)  # Trinket now explains the name's units
    assert not any(name in token for e in eev2 for token in e.tokens if "l:rained" in token)
    # A pair seen in one bead only is chance, not a habit.
    _, eev3 = associated(zev[:1] + zev[3:], eev[:1] + eev[3:], [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9)])
    assert not any(key.startswith("a:") for e in eev3 for token in e.tokens for key in token)


def test_a_word_the_dictionary_lacks_is_one_unit_not_one_per_character():
    from translate.align.evidence import chinese_evidence

    (sentence,) = chinese_evidence(["韦小宝笑了。"])
    words = dict(sentence.words)
    assert len(words["韦小宝"]) == 1  # 韦, 小, 宝 would be three units, each a sense never found in the English
    assert len(sentence.units) == 2
