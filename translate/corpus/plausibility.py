"""How plausible a piece of Chinese is, from jieba's word frequencies.

Used only while importing (the dictionary takes a second or two to load): the
mojibake rule repairs a span only when the repair scores measurably better than
the damaged text. The score is the mean log-probability per character of the
best segmentation into dictionary words (in Simplified script), with fixed
penalties for the debris that broken decoding leaves: private-use and
replacement characters, stray symbols, letters glued between Chinese characters
and orphaned pinyin.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from translate.corpus.chinese import HAN, PINYIN_NOTE, TONED, to_simplified

#: Log-probability charged for a character or fragment that real text never has.
DEBRIS = -20.0

_UNITS = re.compile(
    rf"(?P<han>{HAN}+)"
    rf"|(?P<pinyin>[a-zü]*[{TONED}][a-zü]*\)?)"
    r"|(?P<odd>[\ue000-\uf8ff\ufffd\u20ac\u0370-\u03ff\u0400-\u04ff\u2460-\u24ff\u2500-\u257f\u3100-\u312f\ufe30-\ufe4f\u3040-\u30ff])"
    rf"|(?<={HAN})(?P<glued>[A-Za-z?])(?={HAN})"
)



class Plausibility:
    """A scorer backed by jieba's dictionary (loaded on first use)."""

    def __init__(self) -> None:
        from translate.dictionary import _tokenizer  # the process's one jieba dictionary (gloss, word help)

        tokenizer = _tokenizer()
        # A copy: words that segment_words adds to the shared tokenizer later must not count as plausible here.
        self._freq = dict(tokenizer.FREQ)
        self._logtotal = math.log(tokenizer.total)

    def han(self, run: str) -> float:
        """Total log-probability of the best segmentation of a run of Chinese characters."""
        n = len(run)
        route = [0.0] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = -math.inf
            j = i
            while j < n:
                piece = run[i:j + 1]
                if piece not in self._freq:
                    break
                count = self._freq[piece]
                if count or j == i:
                    best = max(best, math.log(count or 1) - self._logtotal + route[j + 1])
                j += 1
            if best == -math.inf:
                best = -self._logtotal + route[i + 1]
            route[i] = best
        return route[0]

    def segment(self, run: str) -> list[str]:
        """The most probable split of a run of Chinese characters into dictionary words."""
        n = len(run)
        route: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = (-self._logtotal + route[i + 1][0], i + 1)
            j = i
            while j < n and run[i:j + 1] in self._freq:
                count = self._freq[run[i:j + 1]]
                if count:
                    best = max(best, (math.log(count) - self._logtotal + route[j + 1][0], j + 1))
                j += 1
            route[i] = best
        words, i = [], 0
        while i < n:
            words.append(run[i:route[i][1]])
            i = route[i][1]
        return words

    def score(self, text: str) -> float:
        """Mean log-probability per character; higher is more plausible Chinese."""
        total, count = 0.0, 0
        # Well-formed annotations are stripped later; only orphaned pinyin is debris.
        text = PINYIN_NOTE.sub("", text)
        for match in _UNITS.finditer(to_simplified(text)):
            if match.group("han"):
                run = match.group("han")
                total += self.han(run)
                count += len(run)
            elif match.group("glued"):
                total += DEBRIS * 0.6
                count += 1
            else:
                total += DEBRIS
                count += 1
        return total / count if count else 0.0

    def words(self, run: str) -> list[tuple[str, float]]:
        """The most probable split of a run of Chinese characters, each word with its log-probability."""
        return [(word, math.log(self._freq.get(word) or 1) - self._logtotal) for word in self.segment(run)]

    def char(self, char: str) -> float:
        """Log-probability of one character on its own (unknown characters are very unlikely)."""
        simple = to_simplified(char)
        return math.log(self._freq.get(simple) or 1) - self._logtotal


@lru_cache(maxsize=1)
def scorer() -> Plausibility:
    """The shared scorer (loads jieba's dictionary once)."""
    return Plausibility()
