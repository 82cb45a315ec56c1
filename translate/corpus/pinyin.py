"""The ``pinyin`` rule, pinyin annotations: 創(chuàng)業(yè) → 創業.

An annotation is a parenthesised, tone-marked pinyin syllable (or a few) right
after Chinese characters, whose reading matches those characters according to
pypinyin's dictionary. Real parentheses stay: (AI架構), (FOCS), (顧慮點), and
an English word such as (café) after a Chinese word, because it is not a reading
of the characters before it.
"""

from __future__ import annotations

import re

import unicodedata
from functools import lru_cache

from translate.corpus.chinese import HAN, TONED, readings
from translate.corpus.draft import Draft, Edit

_ANNOTATION = re.compile(rf"(?<={HAN})[(（](?P<pinyin>[a-zü{TONED}]+(?:\s[a-zü{TONED}]+){{0,3}})[)）]")


def toneless(syllable: str) -> str:
    """A syllable without its tone mark (ü stays ü)."""
    decomposed = unicodedata.normalize("NFD", syllable.replace("ü", "\0"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "ü")


@lru_cache(maxsize=1)
def _toneless_readings() -> dict[str, frozenset[str]]:
    return {char: frozenset(toneless(r) for r in values) for char, values in readings().items()}


def reads_as(chars: str, syllables: list[str]) -> bool:
    """True when each character can be read as the corresponding syllable (a syllable without tone marks reads any tone)."""
    if len(chars) != len(syllables):
        return False
    known, bare = readings(), _toneless_readings()
    for char, syllable in zip(chars, syllables):
        marked = any(c in TONED for c in syllable)
        if syllable not in known.get(char, ()) and (marked or syllable.replace("v", "ü") not in bare.get(char, ())):
            return False
    return True


def _split(pinyin: str, count: int) -> list[list[str]]:
    """Ways to cut a run of pinyin into ``count`` syllables (spaces cut for sure)."""
    if " " in pinyin:
        parts = pinyin.split()
        return [parts] if len(parts) == count else []
    if count == 1:
        return [[pinyin]]
    ways = []
    for cut in range(1, len(pinyin)):
        for rest in _split(pinyin[cut:], count - 1):
            ways.append([pinyin[:cut], *rest])
    return ways


def is_annotation(text: str, start: int, pinyin: str) -> bool:
    """Does ``pinyin`` (in parentheses at ``start``) read the characters just before it?"""
    for count in range(1, 5):
        chars = text[max(0, start - count):start]
        if len(chars) < count or not re.fullmatch(f"{HAN}+", chars):
            break
        if any(reads_as(chars, way) for way in _split(pinyin, count)):
            return True
    return False


def rule(draft: Draft) -> None:
    """Strip parenthesised pinyin that reads the characters before it."""
    edits = []
    for match in _ANNOTATION.finditer(draft.text):
        if is_annotation(draft.text, match.start(), match.group("pinyin")):
            edits.append(Edit(match.start(), match.end(), "", "strip", "pinyin annotation"))
    draft.apply("pinyin", edits)
