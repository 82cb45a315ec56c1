"""The print view's Chinese runs, built a list at a time, are what the character-at-a-time definition gives.

:func:`_set_chinese` and :func:`half_width_marks` take shortcuts (no two marks side by side: nothing is set
half-width; the characters and the stretch spaces joined from two lists). The reference below is the plain
definition, one character after another; random runs of ideographs, marks, Latin words, spaces and characters
that must be escaped are set both ways.
"""

from __future__ import annotations

import html
import random

import pytest

from translate.render.pdf import printviews
from translate.render.pdf.printviews import CLOSING, HALF_WIDTH, OPENING, STOPS, _set_chinese, _stretch, half_width_marks


def reference_halves(text: str) -> list[bool]:
    halves = [False] * len(text)
    for i in range(len(text) - 1):
        first, second = text[i], text[i + 1]
        if first in CLOSING or first in STOPS:
            halves[i] = second in OPENING or second in CLOSING or second in STOPS
        elif first in OPENING and second in OPENING:
            halves[i + 1] = True
    return halves


def reference_set(text: str, stretch: bool = True) -> str:
    halves = reference_halves(text)
    starts, ends = set(), set()
    if stretch:
        for match in printviews._LONG_LATIN.finditer(text):
            starts.add(match.start())
            ends.add(match.end() - 1)
    out = []
    for i, char in enumerate(text):
        escaped = html.escape(char)
        if i in starts:
            out.append('<span lang="en">')
        out.append(HALF_WIDTH.format(escaped) if halves[i] else escaped)
        if i in ends:
            out.append("</span>")
        if stretch and i + 1 < len(text):
            out.append(_stretch(char, text[i + 1]))
    return "".join(out)


PIECES = [*"中文字汉语模型“‘「『（《〈【”’」』）》〉】，。、；：！？abcXYZ019&<>\"' ", "Transformer", "Densing", "  "]
FIXED = ["", "中", "，", "“", "Transformer", "中Transformer文", "“”", "（《中文》）", "。」", "a&b<c>", "「『中』」",
         "他说：“好。”", "Gen AI 界"]


def runs(count: int = 3000):
    rng = random.Random(33)
    yield from FIXED
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))


@pytest.mark.parametrize("stretch", [True, False])
def test_set_as_one_character_after_another(stretch):
    for text in runs():
        assert half_width_marks(text) == reference_halves(text), text
        assert _set_chinese(text, stretch) == reference_set(text, stretch), text


def test_a_long_latin_word_is_spanned_and_marks_side_by_side_give_up_a_half():
    assert '<span lang="en">T' in _set_chinese("用Transformer做") and "r</span>" in _set_chinese("用Transformer做")
    assert '<span class="halt">。</span>」' in _set_chinese("好。」")
    assert "halt" not in _set_chinese("好。好")
    assert _set_chinese("中文", False) == "中文" and _set_chinese("中文") == "中" + printviews.STRETCH + "文"
