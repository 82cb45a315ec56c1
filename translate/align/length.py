"""Gale–Church length cost, with the English-per-Chinese ratio and its variance read from the input.

Gale and Church (1993) model the length of a translation as proportional to the
length of its source with a variance that grows with that length. Here lengths are
characters (spaces aside): Chinese characters against English characters. The
ratio is the input's own (all English over all Chinese); the variance comes from
the pairs the first pass trusts (:func:`LengthModel.fitted`), else a default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

#: English characters per Chinese character in news and essays (the five articles: 2.9) when the input says nothing.
DEFAULT_RATIO = 3.0
#: Variance of English length per Chinese character (the five articles give about 9).
DEFAULT_VARIANCE = 9.0
#: How much Chinese (characters) the default ratio weighs against the input's own.
PRIOR_CHARS = 150
#: The largest cost a length mismatch adds (a bead is never ruled out on length alone).
MAX_COST = 12.0


@dataclass(frozen=True, slots=True)
class LengthModel:
    """English length ≈ ``ratio`` × Chinese length, with ``variance`` per unit of length."""

    ratio: float = DEFAULT_RATIO
    variance: float = DEFAULT_VARIANCE

    @classmethod
    def fitted(cls, zh_total: int, en_total: int, pairs: Iterable[tuple[int, int]] = ()) -> "LengthModel":
        """The ratio of the totals; the variance of trusted ``(zh, en)`` length pairs (shrunk to the default)."""
        # The totals' ratio, pulled toward the default by PRIOR_CHARS of Chinese: a few sentences say little.
        ratio = (en_total + DEFAULT_RATIO * PRIOR_CHARS) / (zh_total + PRIOR_CHARS) if en_total else DEFAULT_RATIO
        ratio = min(max(ratio, 0.5), 12.0)
        pairs = [(z, e) for z, e in pairs if z > 0 and e > 0]
        if len(pairs) < 10:
            return cls(ratio, DEFAULT_VARIANCE * ratio / DEFAULT_RATIO)
        spread = sorted((e - z * ratio) ** 2 / ((z + e / ratio) / 2) for z, e in pairs)
        trimmed = spread[: max(1, int(len(spread) * 0.9))]  # a wrong trusted pair must not widen the model
        estimate = sum(trimmed) / len(trimmed)
        weight = len(pairs) / (len(pairs) + 30)
        variance = weight * estimate + (1 - weight) * DEFAULT_VARIANCE * ratio / DEFAULT_RATIO
        return cls(ratio, max(variance, 0.5))

    def cost(self, zh: int, en: int) -> float:
        """``-log P(|δ|)``: how unlikely ``en`` English characters are as the translation of ``zh`` Chinese ones."""
        if zh == 0 and en == 0:
            return 0.0
        mean = (zh + en / self.ratio) / 2
        delta = abs(en - zh * self.ratio) / math.sqrt(mean * self.variance)
        p = math.erfc(delta / math.sqrt(2))
        return MAX_COST if p <= math.exp(-MAX_COST) else -math.log(p)
