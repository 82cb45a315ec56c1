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
