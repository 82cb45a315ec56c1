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

from translate.dictionary import Dictionary, load_dictionary, segment_words

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

#: Entries (readings) kept per word, and senses kept per entry.
MAX_ENTRIES = 3
MAX_SENSES = 4
#: Longest dictionary word tried when splitting a word the dictionary lacks.
MAX_WORD = 6


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(segment_words(text))


class WordHelp:
    """Collects the dictionary entries of the words an edition shows."""

    def __init__(self, dictionary: Dictionary | None = None):
        self.dictionary = dictionary or load_dictionary()
        self.entries: dict[str, list[list[str]]] = {}
        """Word → ``[[pinyin, "sense; sense"], …]``, only for words seen."""

    def wrap(self, text: str) -> str:
        """Escaped HTML of ``text`` with each known Chinese word in a ``<span class="w">``."""
        if not _CJK.search(text):
            return html.escape(text)
        out: list[str] = []
        for word in _words(text):
            if not _CJK.search(word):
                out.append(html.escape(word))
            elif self._known(word):
                out.append(f'<span class="w">{html.escape(word)}</span>')
            else:
                out.extend(self._split(word))
        return "".join(out)

    def pinyin(self, word: str) -> str:
        """Tone-marked pinyin of ``word`` from its dictionary words ("" when unknown)."""
        if self._known(word):
            return self.entries[word][0][0]
        readings = []
        for piece in _CJK_RUN.findall(word):
            start = 0
            while start < len(piece):
                for end in range(min(len(piece), start + MAX_WORD), start, -1):
                    if self._known(piece[start:end]):
                        readings.append(self.entries[piece[start:end]][0][0])
                        start = end
                        break
                else:
                    return ""
        return " ".join(readings)

    def data(self) -> dict[str, list[list[str]]]:
        """The entries seen, sorted by word so that the data file is stable."""
        return {word: self.entries[word] for word in sorted(self.entries)}

    def script(self) -> str:
        """``words.js``: the entries as a global the page script reads."""
        payload = json.dumps(self.data(), ensure_ascii=False, separators=(",", ":"))
        return f"window.BITEXT_WORDS = {payload};\n"

    def _known(self, word: str) -> bool:
        if word in self.entries:
            return True
        found = self.dictionary.lookup(word)
        if not found:
            return False
        self.entries[word] = [
            [entry.pinyin, "; ".join(s for s in entry.senses[:MAX_SENSES] if s)] for entry in found[:MAX_ENTRIES]
        ]
        return True

    def _split(self, word: str) -> list[str]:
        """Greedy longest-match pieces of a word the dictionary does not know."""
        out: list[str] = []
        start = 0
        while start < len(word):
            for end in range(min(len(word), start + MAX_WORD), start, -1):
                piece = word[start:end]
                if _CJK.search(piece) and self._known(piece):
                    out.append(f'<span class="w">{html.escape(piece)}</span>')
                    start = end
                    break
            else:
                out.append(html.escape(word[start]))
                start += 1
        return out
