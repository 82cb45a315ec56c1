"""The ``latin`` rule: Latin mojibake repaired with ftfy (``industryâ€™s`` → ``industry’s``).

A page written in UTF-8 and read as Windows-1252 (or Latin-1) turns every curly quote, dash
and accented letter of its English or French text into two or three Latin-1 characters:
``â€™``, ``â€œ``, ``â€”``, ``Ã©``. ftfy, the library made for exactly this, undoes it. The
``mojibake`` rule handles Chinese decoded with the wrong codec (GBK/UTF-8); this rule only
looks at runs of the characters Latin mojibake is made of (Latin-1 and the Windows-1252 upper
half) that hold a pair it makes (a UTF-8 lead byte read as ``â``/``Ã``…, then a continuation
byte read as ``€``, ``™``, ``©``…), so correct Chinese and the GBK mojibake are never handed to
ftfy, and a repair that still looks like mojibake is not made. Each repaired run is one logged
edit (its line, what was removed, what was inserted).

When the page lost the byte Windows-1252 cannot show (``”`` is ``â€`` + U+009D), ``â€``
before a space, punctuation or the end of the run is a closing ``”``: ftfy leaves that one.

Bounded: a run longer than :data:`MAX_RUN` characters is left as it is; the work is linear in the text.
"""

from __future__ import annotations

import re

from translate.corpus.draft import Draft, Edit

#: Characters of the Windows-1252 upper half (and the C1 controls that Latin-1 gives for its gaps).
_CP1252 = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e" \
          "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
#: A pair that mojibake makes: the lead byte of a UTF-8 sequence read as a Latin-1 letter, then a continuation.
SUSPECT = re.compile(rf"[\u00c2-\u00f4][{_CP1252}]")
#: A run of characters mojibake is made of (Latin-1 and the Windows-1252 upper half), around a suspect pair.
_RUN = re.compile(rf"[\u00a0-\u00ff{_CP1252}]*[\u00c2-\u00f4][{_CP1252}][\u00a0-\u00ff{_CP1252}]*")
#: ``â€`` whose third byte (U+009D) was lost, before a space, punctuation or the end: a closing double quote.
_LOST_CLOSE = re.compile(r"â€$")
_AFTER_CLOSE = re.compile(r"[\s,.;:!?)\]]|$")
#: Longest run handed to ftfy at once (a run longer than any real word's mojibake is left as it is).
MAX_RUN = 200


def repair(run: str, following: str = "") -> str:
    """The run with its Latin mojibake undone (unchanged when there is none); ``following`` is the next character."""
    import ftfy

    fixed = ftfy.fix_encoding(run)
    if _AFTER_CLOSE.match(following):
        fixed = _LOST_CLOSE.sub("”", fixed)
    return fixed


def rule(draft: Draft) -> None:
    """Repair each run of Latin mojibake (``â€™``, ``Ã©``); log each fix with its line."""
    text = draft.text
    if not SUSPECT.search(text):
        return
    edits = []
    for run in _RUN.finditer(text):
        if run.end() - run.start() > MAX_RUN:
            continue
        fixed = repair(run.group(), text[run.end():run.end() + 1])
        if fixed != run.group() and not SUSPECT.search(fixed):
            edits.append(Edit(run.start(), run.end(), fixed, "repair", "Latin mojibake (ftfy)"))
    draft.apply("latin", edits)
