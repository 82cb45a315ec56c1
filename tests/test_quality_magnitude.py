"""The magnitude check (issue 30): a Chinese figure's scale against the English's."""

from translate.magnitude import magnitude_problems


def test_a_trillion_rendered_as_a_hundred_million_is_flagged():
    problems = magnitude_problems("这是因为它站在万亿参数大模型的基础上", "because it builds on a hundred-million-parameter model")
    assert problems and "万亿" in problems[0]


def test_a_magnitude_next_to_damaged_text_needs_review():
    assert magnitude_problems("这是因⟦?⟧f亿参数大模型", "because of a large model") != []


def test_correct_scales_are_not_flagged():
    assert magnitude_problems("它有一个万亿参数的大模型", "It has a trillion-parameter model") == []
    assert magnitude_problems("融资5亿元", "raised 500 million yuan") == []
    assert magnitude_problems("超过1万家企业", "more than 10,000 companies") == []
    assert magnitude_problems("千万不要这样做", "never do this") == []


def test_a_figure_in_digits_must_keep_its_size():
    assert magnitude_problems("天使轮 5 亿美金起", "angel rounds start at $5 billion") != []
    assert magnitude_problems("天使轮 5 亿美金起", "angel rounds start at $500 million") == []
    assert magnitude_problems("他有3万名员工", "he has 3,000 employees") != []


def test_magnitudes_in_chinese_numerals_and_number_words():
    assert magnitude_problems("百亿、千亿参数的模型", "models with 10 billion and 100 billion parameters") == []
    assert magnitude_problems("几千万人民币的投入", "an investment of tens of millions of yuan") == []
    assert magnitude_problems("百亿美金级别的公司", "a company in the $100 million class") != []


def test_the_quality_flags_carry_the_magnitude_check():
    from translate.models import Segment
    from translate.quality import segment_flags

    zh = "这是因为它站在万亿参数大模型的基础上，才能更好地理解物理规律。"
    wrong = Segment(id="b045.s1", zh=zh, zh_original=zh, engine="mt", origin="mt",
                    en="It was because it stands on a hundred-million-parameter model that it understands physics.")
    right = Segment(id="b045.s1", zh=zh, zh_original=zh, engine="mt", origin="mt",
                    en="It was because it stands on a trillion-parameter model that it understands physics.")
    assert "magnitude" in {f["kind"] for f in segment_flags(wrong)}
    assert "magnitude" not in {f["kind"] for f in segment_flags(right)}
