"""What a Chinese and an English sentence can share: dictionary senses, glossary targets, numbers, names.

Each Chinese sentence becomes a list of *units* (a content word, a glossary term, a
figure, a Latin name), each a set of *keys*; each English sentence becomes a list of
content tokens, each with its keys. A unit is found in an English stretch when one of
its keys is among the stretch's keys, and an English token is explained when one of
its keys is among the Chinese stretch's keys. Keys:

- ``s:``\\ stem: the first four letters of a word of a CC-CEDICT sense (as
  :mod:`translate.adequacy` reads senses) or of an English word;
- ``g:``\\ n: the glossary entry n's target or an alternate occurs in the English;
- ``#``\\ value: a figure (``5亿`` and ``500 million`` are both ``#500000000``);
- ``l:``\\ word: a Latin word written in the Chinese (``OpenAI``, ``GPT``) and in the English;
- ``q``: a quotation.

Figures and names count twice: they are the anchors of the alignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from translate.adequacy import FUNCTION_WORDS, STOP_WORDS, sense_stems, stem

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_DIGITS = re.compile(r"(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)?")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:,\d{3})*(?:\.\d+)?")
_ZH_QUOTE = re.compile(r"[“「『\"]")
_EN_QUOTE = re.compile(r"[“\"‘]|(?<!\w)'")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]")
#: Weight (repeats) of an anchor unit: a figure or a name says more than a common word.
ANCHOR_WEIGHT = 2


@dataclass(frozen=True, slots=True)
class ChineseEvidence:
    """The units of one Chinese sentence and its length."""

    units: tuple[frozenset[str], ...]
    length: int
    """Characters, spaces aside."""
    words: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """The sentence's content words (each once), each with the indices of the units its senses made."""


@dataclass(frozen=True, slots=True)
class EnglishEvidence:
    """The content tokens of one English sentence (their keys) and its length."""

    tokens: tuple[frozenset[str], ...]
    length: int
    """Characters, spaces aside."""


def _number_key(value: float) -> str:
    return f"#{value:.6g}"


def _figures_zh(text: str) -> list[str]:
    from translate.magnitude import chinese_figures

    keys = [_number_key(value) for value, _, _, _ in chinese_figures(text)]
    for match in _DIGITS.finditer(text):
        keys.append(_number_key(float(match.group(0).replace(",", ""))))
    return keys


def _figures_en(text: str) -> set[str]:
    from translate.magnitude import english_values

    keys = {_number_key(value) for value in english_values(text)}
    keys.update(_number_key(float(m.group(0).replace(",", ""))) for m in _DIGITS.finditer(text))
    return keys


def chinese_evidence(sentences: Sequence[str], glossary=None, dictionary: bool = True) -> list[ChineseEvidence]:
    """The units of each Chinese sentence (``glossary``: a :class:`~translate.glossary.Glossary` or None)."""
    from translate.dictionary import segment_words

    out = []
    word_units: dict[str, tuple[frozenset[str], ...]] = {}  # a book repeats its words: each made once
    for sentence in sentences:
        text = _MARKUP.sub(r"\1", sentence)
        units: list[frozenset[str]] = []
        if glossary is not None:
            for match in reversed(glossary.find(text)):
                units.append(frozenset({f"g:{match.term.zh}"}))
                text = text[:match.start] + " " + text[match.end:]
        for key in _figures_zh(text):
            units.extend([frozenset({key})] * ANCHOR_WEIGHT)
        for match in _LATIN.finditer(text):
            word = match.group(0).lower()
            units.extend([frozenset({f"l:{word}", f"s:{stem(word)}"})] * ANCHOR_WEIGHT)
        if _ZH_QUOTE.search(text):
            units.append(frozenset({"q"}))
        words: list[tuple[str, tuple[int, ...]]] = []
        if dictionary:
            seen: set[str] = set()
            for word in segment_words(_LATIN.sub(" ", text), hmm=False):
                if not _CJK.search(word) or word in FUNCTION_WORDS or word in seen:
                    continue
                seen.add(word)
                first = len(units)
                made = word_units.get(word)
                if made is None:
                    made = word_units[word] = _word_units(word)
                units.extend(made)
                words.append((word, tuple(range(first, len(units)))))
        out.append(ChineseEvidence(tuple(units), len("".join(sentence.split())), tuple(words)))
    return out


def _word_units(word: str) -> tuple[frozenset[str], ...]:
    """The units of a content word: one per known piece with senses (:func:`_known_pieces`); a word the dictionary
    lacks, in single characters (a name, mostly), is one unit with all their senses, not one per character."""
    pieces = _known_pieces(word)
    if len(pieces) > 1 and all(len(p) == 1 for p in pieces):
        stems = frozenset(f"s:{s}" for p in pieces for s in sense_stems(p))
        return (stems,) if stems else ()
    return tuple(frozenset(f"s:{s}" for s in stems) for stems in map(sense_stems, pieces) if stems)


def glossary_targets(glossary, chinese: Sequence[str]) -> dict[str, list[re.Pattern]]:
    """For each glossary entry found in the Chinese, the patterns of its target and alternates in English."""
    targets: dict[str, list[re.Pattern]] = {}
    if glossary is None:
        return targets
    for sentence in chinese:
        for match in glossary.find(sentence):
            term = match.term
            if term.zh in targets:
                continue
            forms = [f for f in (term.en, *term.alternates) if f and f.strip()]
            targets[term.zh] = [re.compile(rf"(?<![A-Za-z]){re.escape(f.strip())}", re.I) for f in forms]
    return targets


def english_evidence(sentences: Sequence[str], targets: dict[str, list[re.Pattern]] | None = None,
                     translations: Sequence[str] | None = None) -> list[EnglishEvidence]:
    """The content tokens of each English sentence with their keys (glossary targets found count as tokens)."""
    out = []
    for sentence in sentences:
        text = _MARKUP.sub(r"\1", sentence)
        tokens: list[frozenset[str]] = []
        for zh, patterns in (targets or {}).items():
            for pattern in patterns:
                match = pattern.search(text)
                if match:  # the target is one token: its words are not counted again
                    tokens.append(frozenset({f"g:{zh}"}))
                    text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]
                    break
        figures = _figures_en(text)
        for match in _EN_WORD.finditer(text):
            word = match.group(0)
            lower = word.lower()
            if word[0].isdigit():
                keys = {_number_key(float(word.replace(",", "")))} | figures
                tokens.extend([frozenset(keys)] * ANCHOR_WEIGHT)
                continue
            if lower in STOP_WORDS or len(lower) <= 2 and not word.isupper():
                continue
            keys = {f"s:{stem(lower)}", f"l:{lower}"}
            weight = ANCHOR_WEIGHT if word[0].isupper() and match.start() > 0 else 1
            tokens.extend([frozenset(keys)] * weight)
        if figures and not any(t & figures for t in tokens):
            tokens.extend([frozenset(figures)] * ANCHOR_WEIGHT)  # "a trillion", "tens of millions"
        if _EN_QUOTE.search(text):
            tokens.append(frozenset({"q"}))
        out.append(EnglishEvidence(tuple(tokens), len("".join(sentence.split()))))
    return out


def _known_pieces(word: str) -> list[str]:
    """``word`` when CC-CEDICT has it, else its longest known pieces left to right (极客公园 → 极客, 公园)."""
    from translate.dictionary import load_dictionary

    dictionary = load_dictionary()
    if word in dictionary or len(word) == 1:
        return [word]
    pieces, start = [], 0
    while start < len(word):
        for end in range(min(len(word), start + 6), start, -1):
            piece = word[start:end]
            if end - start == 1 or piece in dictionary:
                if piece not in FUNCTION_WORDS:
                    pieces.append(piece)
                start = end
                break
    return pieces
