"""The magnitude check: does the English give a Chinese figure's magnitude (万亿, 亿, 万…) at the same size?

A reviser's most costly finding is a figure off by powers of ten: 万亿参数 (a trillion
parameters) rendered "hundred-million-parameter". The number check in
:mod:`translate.quality` looks for digits; this one compares sizes. Each Chinese
magnitude after a figure (``5 亿``, ``1750亿``, ``十万``, ``几千万``) or before a unit
(``万亿参数``, ``万卡``) is given a value, and the English's values are read from digits
(``500 million``, ``10,000``, ``100-billion-parameter``) and from number words
(``a trillion``, ``tens of millions``, ``hundred million``). A figure in digits must
be matched exactly (``5 亿`` is 500 million, never 5 billion); a magnitude without
digits (万亿, 几千万, 一二百万) must be matched within a factor of ten either way. The
check speaks only when the English states some value and none matches, so an English
that leaves a figure out is left to the number check. A magnitude next to a damaged
span (⟦…⟧) is always flagged: the damage may have eaten part of the figure.
"""

from __future__ import annotations

import re

#: Chinese magnitudes, longest first, with their value.
CHINESE = (("万亿", 1e12), ("萬億", 1e12), ("千亿", 1e11), ("千億", 1e11), ("百亿", 1e10), ("百億", 1e10),
           ("十亿", 1e9), ("十億", 1e9), ("亿", 1e8), ("億", 1e8), ("千万", 1e7), ("千萬", 1e7),
           ("百万", 1e6), ("百萬", 1e6), ("十万", 1e5), ("十萬", 1e5), ("万", 1e4), ("萬", 1e4))
_NAMES = "|".join(k for k, _ in CHINESE)
_DIGITS = r"(?P<digits>\d+(?:\.\d+)?)\s*"
_WORDS = r"(?P<words>[零〇一二两兩三四五六七八九十百千几幾数數多]+)"
#: What a bare magnitude (no figure before it) must precede to be a figure: 万亿参数, 万卡, 百万员工.
_UNIT = r"(?=参数|參數|级|級|元|美元|人民币|人|名|家|台|臺|张|張|卡|次|件|个|個|用户|用戶|员工|員工|token|Token)"
_MAGNITUDE = re.compile(rf"(?:{_DIGITS}|{_WORDS})?(?P<name>{_NAMES})")
_DAMAGED = re.compile(r"⟦[^⟧]*⟧")
_SCALES = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}
_EN_FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:[\s-]+(hundred[\s-]+)?(trillion|billion|million|thousand)s?)?\b",
                        re.I)
_EN_WORDS = re.compile(r"\b(a|an|one|ten|tens of|a hundred|one hundred|hundred|hundreds of|several|a few|a thousand|"
                       r"thousands of|several hundred|ten[\s-]thousand)?[\s-]*(hundred[\s-]+)?(trillion|billion|million|"
                       r"thousand)s?\b", re.I)
_PREFIX = {"a": 1, "an": 1, "one": 1, "ten": 10, "tens of": 10, "a hundred": 100, "one hundred": 100, "hundred": 100,
           "hundreds of": 100, "several": 1, "a few": 1, "a thousand": 1000, "thousands of": 1000,
           "several hundred": 100, "ten thousand": 1e4, "ten-thousand": 1e4}
#: A magnitude at most this far (characters) from a damaged span is next to it.
NEAR = 3


def chinese_figures(zh: str) -> list[tuple[float, bool, str, int]]:
    """Each figure with a magnitude in ``zh``: (value, exact, text, offset); exact when written in digits."""
    values = dict(CHINESE)
    found = []
    for match in _MAGNITUDE.finditer(zh):
        name, digits, words = match.group("name"), match.group("digits"), match.group("words")
        if not digits and not words and not re.match(_UNIT, zh[match.end():]):
            continue  # 千万 (by all means), 万一 (in case): no figure
        if words and not digits and re.fullmatch(r"[千百十]", words) and name in ("万", "萬"):
            continue  # 千万 as an adverb is caught above; 十万火急 has no unit after it
        value = values[name] * (float(digits) if digits else _numeral(words or ""))
        found.append((value, bool(digits), match.group(), match.start("name")))
    return found


_DIGIT_WORDS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACES = {"十": 10, "百": 100, "千": 1000}


def _numeral(words: str) -> float:
    """Roughly the value of Chinese numerals before a magnitude: 百 100, 几千 1,000, 三十 30, 一二百 100."""
    if not words:
        return 1.0
    place = next((_PLACES[c] for c in reversed(words) if c in _PLACES), 1)
    lead = next((_DIGIT_WORDS[c] for c in words if c in _DIGIT_WORDS), 1)
    return float(lead * place)


def english_values(en: str) -> list[float]:
    """The values the English states, from digits and from number words."""
    values = []
    taken = []
    for match in _EN_FIGURE.finditer(en):
        number = float(match.group(1).replace(",", ""))
        scale = _SCALES.get((match.group(3) or "").lower(), 1)
        values.append(number * scale * (100 if match.group(2) else 1))
        taken.append(match.span())
    for match in _EN_WORDS.finditer(en):
        if any(s <= match.start() < e for s, e in taken) or re.search(r"\d[\s-]*$", en[:match.start()]):
            continue
        prefix = _PREFIX.get(re.sub(r"\s+", " ", (match.group(1) or "a").lower()), 1)
        values.append(prefix * (100 if match.group(2) else 1) * _SCALES[match.group(3).lower()])
    return values


def magnitude_problems(zh: str, en: str) -> list[str]:
    """What a reviser should look at: a figure the English gives at another size, a magnitude next to damage."""
    problems = []
    damaged = [m.span() for m in _DAMAGED.finditer(zh)]
    stated = english_values(en)
    for value, exact, text, offset in chinese_figures(zh):
        if any(start - NEAR <= offset <= end + NEAR for start, end in damaged):
            problems.append(f"{text} next to damaged text: check the figure")
            continue
        if not stated:
            continue
        if exact:
            fits = any(abs(v - value) <= value * 0.01 for v in stated)
        else:
            fits = any(value / 10 <= v <= value * 10 for v in stated)
        if not fits:
            shown = ", ".join(f"{v:,.0f}" for v in sorted(set(stated)) if v >= 100) or "no such figure"
            problems.append(f"{text} ({value:,.0f}) but the English says {shown}")
    return problems
