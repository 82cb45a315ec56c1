"""Adequacy without a reference: does the English say anything the Chinese says?

A model can answer fluent nonsense in the format asked for: a real llama-server
serving a tiny model answered "canyon choked dinosaur" for 这个时代跟淘金时代很像。
(recorded), with no glossary term or number to miss, so no other check saw it.
This check reads the Chinese's content words in CC-CEDICT (the dictionary the
gloss engine ships) and counts how many of them have a sense whose words occur in
the English. A translation, however free, shares some of them (时代 → era, 淘金 →
gold, 像 → like); nonsense shares none. It flags for review, never rewrites:
the report's ``inadequate`` flag, and a correction asked of the LLM engine.

Only machine English is checked (a translator's English is the translator's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

#: A sentence with fewer content words found in the dictionary is too short to judge.
MIN_WORDS = 3

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z][a-z'-]*")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]")
#: Senses that say what a word does, not what it means ("CL:個|个[ge4]", "surname Li", "variant of …").
_NOT_MEANING = re.compile(r"^(?:CL:|surname |variant of |old variant|see |also written|abbr\. for |used in )")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")

#: Chinese function words: they carry grammar, not content, and their senses are English function words.
FUNCTION_WORDS = frozenset(
    "的 了 是 在 和 与 跟 及 或 也 都 就 还 又 而 但 却 把 被 让 给 对 从 向 为 为了 以 于 由 这 那 这个 那个 这些 那些 "
    "这样 那样 这种 那种 一个 一些 一种 有 没有 没 不 很 非常 太 最 更 比较 会 能 可以 要 想 得 地 着 过 吗 呢 吧 啊 "
    "我 你 他 她 它 我们 你们 他们 她们 它们 自己 大家 什么 怎么 为什么 如果 因为 所以 但是 而且 然后 其实 已经 "
    "还是 就是 可能 应该 一样 一下 一点 之 其 所 等 们 个 这么 那么".split())

#: English words too common to be evidence (senses are full of them).
STOP_WORDS = frozenset(
    "a an the of to in on at by for with from as and or but not no is are be been being was were it its this that "
    "these those there their they them he she his her we our you your i me my sb sth something someone used do "
    "does did have has had can may will would should shall than then so very also such some any what which who "
    "whom how why when where".split())


@dataclass(frozen=True, slots=True)
class Adequacy:
    """How much of the Chinese's content the English shows, by the dictionary."""

    words: int
    """Content words of the Chinese that the dictionary knows."""
    found: int
    """Those with a sense whose words occur in the English."""

    @property
    def share(self) -> float:
        """``found / words``."""
        return self.found / self.words if self.words else 1.0

    @property
    def doubtful(self) -> bool:
        """True when the sentence is long enough to judge and the English shows none of it."""
        return self.words >= MIN_WORDS and self.found == 0


def stem(word: str) -> str:
    """A crude English stem: the first four letters of a word (dark, darkest; invest, investments)."""
    return word[:4]


@lru_cache(maxsize=65536)
def sense_stems(word: str) -> frozenset[str]:
    """The stems of the content words of every sense of ``word`` in CC-CEDICT (empty when it has none)."""
    from translate.dictionary import load_dictionary

    stems: set[str] = set()
    for entry in load_dictionary().lookup(word):
        for sense in entry.senses:
            if _NOT_MEANING.match(sense):
                continue
            for token in _WORD.findall(_PARENTHESES.sub(" ", sense).lower()):
                if token not in STOP_WORDS and len(token) > 2:
                    stems.add(stem(token))
    return frozenset(stems)


def adequacy(zh: str, english: str, terms: Iterable[tuple[str, bool]] = ()) -> Adequacy:
    """How many of ``zh``'s content words the English shows (through any dictionary sense).

    ``terms`` are the glossary terms of the sentence, as ``(surface, honoured)``: each
    counts as one content word, shown when the proof found its English (names are the
    glossary's business, not the dictionary's).
    """
    from translate.dictionary import segment_words

    words = found = 0
    for surface, honoured in terms:
        if surface and surface in zh:
            zh = zh.replace(surface, " ")
            words += 1
            found += bool(honoured)
    english_stems = {stem(t) for t in _WORD.findall(_MARKUP.sub(r"\1", english).lower()) if t not in STOP_WORDS}
    seen: set[str] = set()
    for word in segment_words(zh, hmm=False):
        if not _CJK.search(word) or word in FUNCTION_WORDS or word in seen:
            continue
        seen.add(word)
        stems = sense_stems(word)
        if not stems:
            continue
        words += 1
        found += bool(stems & english_stems)
    return Adequacy(words, found)
