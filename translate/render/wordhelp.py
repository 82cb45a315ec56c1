"""Chinese word help for the HTML edition: words wrapped for hover or tap, and their entries.

Chinese text is split into words with jieba; each word that CC-CEDICT knows
becomes ``<span class="w">word</span>`` and its pinyin and first senses go
into one data file for the whole edition (``words.js``), so the reader's
browser never needs the whole dictionary. A jieba word the dictionary lacks is
split greedily into the longest words it does know.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

from translate.dictionary import load_dictionary, segment_words

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PLAIN = re.compile(r"[^&<>\"']*\Z")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

#: Entries (readings) kept per word, and senses kept per entry.
MAX_ENTRIES = 3
MAX_SENSES = 4
#: Longest dictionary word tried when splitting a word the dictionary lacks.
MAX_WORD = 6


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    # jieba's HMM guesses unknown words (mostly names); the dictionary lacks those anyway and
    # they are split into known words below, so the faster dictionary-only cut gives the same spans.
    return tuple(segment_words(text, hmm=False))


@lru_cache(maxsize=None)
def _entry(word: str) -> tuple[tuple[str, str], ...]:
    """``((pinyin, "sense; sense"), …)`` for a word, empty when the dictionary lacks it."""
    found = load_dictionary().lookup(word)
    return tuple(
        (entry.pinyin, "; ".join(s for s in entry.senses[:MAX_SENSES] if s)) for entry in found[:MAX_ENTRIES]
    )


@lru_cache(maxsize=65536)
def _wrapped(text: str, guide: str = "") -> tuple[str, tuple[str, ...]]:
    """The HTML of ``text`` with its known words wrapped, and those words (cached across renders).

    ``guide``, when given, is the same text in Simplified script, character for character: its
    word boundaries are used (jieba segments Simplified text better than Traditional).
    """
    if not _CJK.search(text):
        return html.escape(text), ()
    out: list[str] = []
    known: list[str] = []
    if guide and len(guide) == len(text):
        pieces, position = [], 0
        for word in _words(guide):
            pieces.append(text[position : position + len(word)])
            position += len(word)
    else:
        pieces = _words(text)
    for word in pieces:
        if not _CJK.search(word):
            out.append(html.escape(word))
        elif _entry(word):
            # a word with a Chinese character has nothing to escape unless it mixes in markup characters
            out.append(f'<span class="w">{word if _PLAIN.match(word) else html.escape(word)}</span>')
            known.append(word)
        else:
            _split(word, out, known)
    return "".join(out), tuple(known)


def _split(word: str, out: list[str], known: list[str]) -> None:
    """Greedy longest-match pieces of a word the dictionary does not know."""
    start = 0
    while start < len(word):
        for end in range(min(len(word), start + MAX_WORD), start, -1):
            piece = word[start:end]
            if _CJK.search(piece) and _entry(piece):
                out.append(f'<span class="w">{html.escape(piece)}</span>')
                known.append(piece)
                start = end
                break
        else:
            out.append(html.escape(word[start]))
            start += 1


class WordHelp:
    """Collects the dictionary entries of the words an edition shows."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        """The Chinese words wrapped so far."""

    def wrap(self, text: str, guide: str = "") -> str:
        """Escaped HTML of ``text`` with each known Chinese word in a ``<span class="w">``.

        ``guide``: the same text in Simplified script, whose word boundaries to follow.
        """
        rendered, known = _wrapped(text, guide)
        self.words.update(known)
        return rendered

    def pinyin(self, word: str) -> str:
        """Tone-marked pinyin of ``word`` from its dictionary words ("" when unknown)."""
        readings = []
        for piece in _CJK_RUN.findall(word):
            _, known = _wrapped(piece)
            if not known or sum(map(len, known)) != len(piece):
                return ""
            readings += [_entry(k)[0][0] for k in known]
        return " ".join(readings)

    def data(self) -> dict[str, list[list[str]]]:
        """The entries of the words seen, sorted by word so that the data file is stable."""
        return {word: [list(reading) for reading in _entry(word)] for word in sorted(self.words)}

    def script(self) -> str:
        """``words.js``: the entries as a global the page script reads."""
        payload = json.dumps(self.data(), ensure_ascii=False, separators=(",", ":"))
        return f"window.BITEXT_WORDS = {payload};\n"
