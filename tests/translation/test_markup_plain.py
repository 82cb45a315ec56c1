"""markup_problems answers at once for text without a mark character: the answer the parser gives."""

import random
import string

import pytest

from translate.markup import _MARK_CHARACTERS, _markup_problems, markup_problems, parser

#: Everything but the mark characters: ASCII punctuation and letters, Chinese, full-width marks, spaces, breaks.
OTHERS = "".join(c for c in string.printable if c not in _MARK_CHARACTERS) + "中文模型《》（）“”，。！＊＿［］～｀＼ "


def test_text_without_a_mark_character_parses_to_plain_text():
    rng = random.Random(33)
    for _ in range(3000):
        text = "".join(rng.choice(OTHERS) for _ in range(rng.randint(1, 30)))
        types = {child.type for token in parser().parseInline(text) for child in token.children or ()}
        assert types <= {"text", "softbreak", "hardbreak"}, (text, types)
        assert _markup_problems("中文" + text, text) == ()


def test_no_other_character_makes_a_mark_in_any_of_the_shapes_marks_take():
    shapes = ("{c}a{c}", "{c}{c}a{c}{c}", "{c}a{c}(https://b.example)", "{c}^1{c}", "a{c}{c}b", "{c}a",
              "!{c}a{c}(b)", "<{c}>", "{c}{c}{c}a{c}{c}{c}", "&{c};", "a {c} b {c} c")
    for c in OTHERS:
        for shape in shapes:
            text = shape.format(c=c)
            if not _MARK_CHARACTERS.isdisjoint(text):
                continue
            types = {child.type for token in parser().parseInline(text) for child in token.children or ()}
            assert types <= {"text", "softbreak", "hardbreak"}, (text, types)


@pytest.mark.parametrize("zh, en", [
    ("**重点**", "important"), ("重点", "**important**"), ("[链接](https://a.example)", "a link"),
    ("见[^1]", "see"), ("`代码`", "code"), ("~~删除~~", "deleted"), ("*斜体*", "italic"), ("_斜体_", "italic"),
    ("a](b", "a b"), ("\\*", "*"), ("中文", "plain"), ("中文", "plain (a) - b: c! <d> & e"),
])
def test_the_answer_is_the_parsers(zh, en):
    assert markup_problems(zh, en) == list(_markup_problems(zh, en))


@pytest.mark.parametrize("mark", sorted(_MARK_CHARACTERS))
def test_each_mark_character_is_one_the_parser_can_read(mark):
    # Each character on the list takes part in some mark, link, footnote or stray: none is there for nothing.
    uses = {"*": ("*a*", "a"), "_": ("_a_", "a"), "[": ("[a](https://b.example)", "a"), "]": ("a](b", "a b"),
            "`": ("`a`", "a"), "~": ("~~a~~", "a"), "\\": ("\\*a*", "*a*")}
    zh, en = uses[mark]
    assert mark in zh
    assert _markup_problems(zh, en) or _markup_problems(en, zh)
