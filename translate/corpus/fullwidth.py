"""The ``fullwidth`` rule: full-width ASCII folded to ASCII (``２．６小时`` → ``2.6小时``, ``ＨＩＳ`` → ``HIS``).

OCR engines and some old typesetting give digits and Latin letters in their full-width forms
(U+FF10–FF5A). Chinese typesetting writes them half-width, and the glossary, the sentence
splitter and the translation engines all expect the ASCII ones. A run of full-width digits
and letters is folded, with the separators that belong inside it (``．`` in ``２．６``, ``－``,
``／``, ``＋``, ``＿``, ``＆``, ``＠``, ``＃`` between two of them) and a ``％`` after a digit.
Chinese punctuation that is correct full-width (，。：；！？（）) is never touched, and neither
is ``／`` or ``．`` outside such a run. Each run is one logged edit.
"""

from __future__ import annotations

import re
import unicodedata

from translate.corpus.draft import Draft, Edit
from translate.corpus.punctuation import protected

_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
#: A run of full-width digits and letters, the separators inside it, and a per cent sign after a digit.
RUN = re.compile(rf"[{_ALNUM}](?:[{_ALNUM}]|[．－／＋＿＆＠＃](?=[{_ALNUM}]))*(?:(?<=[\uff10-\uff19])％)?")


def fold(text: str) -> str:
    """The ASCII form of a full-width run."""
    return unicodedata.normalize("NFKC", text)


def rule(draft: Draft) -> None:
    """Fold every run of full-width digits and letters to ASCII."""
    spans = protected(draft.text)
    edits = [Edit(m.start(), m.end(), fold(m.group()), "fold", "full-width ASCII")
             for m in RUN.finditer(draft.text) if not spans.overlaps(m.start(), m.end())]
    draft.apply("fullwidth", edits)
