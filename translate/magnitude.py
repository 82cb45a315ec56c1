"""The magnitude check: does the English say a Chinese figure's scale (万亿, 亿, 万…) at the same scale?

A reviser's most costly finding is a figure off by powers of ten: 万亿参数 (a trillion
parameters) rendered "hundred-million-parameter". The number check in
:mod:`translate.quality` compares digits; this one compares scales. For every Chinese
magnitude after a figure (digits, Chinese numerals, 几 or 数) or before a unit
(参数, 元, 美元, 人…), the English must express a compatible scale: a scale word
(trillion, billion, hundred million, million, ten thousand, thousand, or the number
words) or a number written in digits of that size. The check speaks only when the
English states a scale and none is compatible, so an English that drops or rephrases
a figure is left to the number check. A magnitude next to a damaged span (⟦…⟧) is
always flagged: the damage may have eaten part of the figure.
"""

from __future__ import annotations

import re

#: Chinese magnitudes, longest first, with their value.
CHINESE = (("万亿", 1e12), ("萬億", 1e12), ("千亿", 1e11), ("千億", 1e11), ("百亿", 1e10), ("百億", 1e10),
           ("亿", 1e8), ("億", 1e8), ("千万", 1e7), ("千萬", 1e7), ("百万", 1e6), ("百萬", 1e6), ("万", 1e4), ("萬", 1e4))
#: English scale words and their value.
ENGLISH = (("trillion", 1e12), ("billion", 1e9), ("hundred million", 1e8), ("hundred-million", 1e8),
           ("ten million", 1e7), ("ten-million", 1e7), ("million", 1e6), ("hundred thousand", 1e5),
           ("ten thousand", 1e4), ("ten-thousand", 1e4), ("thousand", 1e3))
_FIGURE = r"(?:[0-9０-９.,]+|[零〇一二两兩三四五六七八九十百千几幾数數]+)\s*"
_UNIT = r"(?=参数|參數|元|美元|人|家|台|臺|张|張|卡|次|件|用户|用戶|级|級|token|Token)"
_MAGNITUDE = re.compile("(?:" + _FIGURE + "(?P<a>" + "|".join(k for k, _ in CHINESE) + "))|(?P<b>"
                        + "|".join(k for k, _ in CHINESE) + ")" + _UNIT)
_DAMAGED = re.compile(r"⟦[^⟧]*⟧")
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(k) for k, _ in ENGLISH) + r")s?\b", re.I)
_DIGITS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{4,}\b")
#: How far a Chinese magnitude and an English scale may be apart (×10³ either way: 5亿 is 500 million).
SPREAD = 1e3


def chinese_scales(zh: str) -> list[tuple[float, int]]:
    """Each magnitude of a figure in ``zh``: (value, offset)."""
    values = dict(CHINESE)
    found = []
    for match in _MAGNITUDE.finditer(zh):
        name = match.group("a") or match.group("b")
        found.append((values[name], match.start("a") if match.group("a") else match.start("b")))
    return found


def english_scales(en: str) -> set[float]:
    """The scales the English states: scale words and digits of four or more figures."""
    values = dict(ENGLISH)
    scales = {values[m.group(1).lower().replace("-", " ").replace("  ", " ")]
              if m.group(1).lower() in values else values[m.group(1).lower().replace("-", " ")]
              for m in _ENGLISH.finditer(en)}
    for match in _DIGITS.finditer(en):
        scales.add(float(10 ** (len(match.group().replace(",", "")) - 1)))
    return scales


def magnitude_problems(zh: str, en: str) -> list[str]:
    """What a reviser should look at: a scale the English does not match, a magnitude next to damaged text."""
    problems = []
    damaged = [m.span() for m in _DAMAGED.finditer(zh)]
    stated = english_scales(en)
    for value, offset in chinese_scales(zh):
        name = next(k for k, v in CHINESE if v == value)
        if any(start - 3 <= offset <= end + 1 for start, end in damaged):
            problems.append(f"{name} next to damaged text: check the figure")
            continue
        if stated and not any(value / SPREAD <= s <= value * SPREAD / 10 or s == value for s in stated):
            words = ", ".join(sorted({k for k, v in ENGLISH if v in stated} | {f"{int(s):,}+" for s in stated
                                                                              if s not in dict(ENGLISH).values()}))
            problems.append(f"{name} (10^{len(str(int(value))) - 1}) but the English says {words}")
    return problems
