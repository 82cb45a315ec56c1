"""Small facts about Chinese text shared by the rules and the loader."""

from __future__ import annotations

import re
from functools import lru_cache

from translate.script import to_simplified

#: One CJK ideograph (basic block and extension A, plus compatibility ideographs).
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
HAN_RE = re.compile(HAN)

#: Full-width punctuation that ends a sentence (and its half-width forms).
SENTENCE_END = "。！？!?…"
#: Anything that may legitimately end a paragraph line (sentence end, colon, closing marks).
CLOSERS = "”’」』》）)】\"'*_"
#: CJK punctuation (full-width) that may sit between Chinese characters.
CJK_PUNCT = "，。、；：？！“”‘’「」『』《》（）【】—…·"
#: Tone-marked pinyin vowels: a run of Latin letters holding one is pinyin, not English.
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
#: A parenthesised run of pinyin right after Chinese characters, as in 創(chuàng).
PINYIN_NOTE = re.compile(rf"(?<={HAN})[(（][a-zü{TONED}]+[)）]")


def is_han(char: str) -> bool:
    """True for a Chinese character."""
    return bool(char) and HAN_RE.fullmatch(char) is not None


def is_cjkish(char: str) -> bool:
    """True for a Chinese character or full-width CJK punctuation."""
    return is_han(char) or (bool(char) and char in CJK_PUNCT)


@lru_cache(maxsize=1)
def readings() -> dict[str, frozenset[str]]:
    """The tone-marked pinyin readings of every character pypinyin knows."""
    from pypinyin.pinyin_dict import pinyin_dict

    return {chr(code): frozenset(value.split(",")) for code, value in pinyin_dict.items()}


def is_traditional(text: str) -> bool:
    """True when converting to Simplified changes a noticeable share of the Chinese characters."""
    han = []
    for match in HAN_RE.finditer(text):  # the first 20,000 are enough: stop there
        han.append(match.group())
        if len(han) >= 20000:
            break
    if not han:
        return False
    sample = "".join(han)
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample)))
    return changed / len(sample) > 0.03


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence (ignoring closing quotes, brackets and emphasis marks)."""
    stripped = line.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END + "：:；;"
