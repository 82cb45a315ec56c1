"""The ``latin`` rule: Latin mojibake repaired with ftfy (``industryâ€™s`` → ``industry’s``).

A page written in UTF-8 and read as Windows-1252 (or Latin-1) turns every curly quote, dash
and accented letter of its English or French text into two or three Latin-1 characters:
``â€™``, ``â€œ``, ``â€”``, ``Ã©``. ftfy, the library made for exactly this, undoes it. The
``mojibake`` rule handles Chinese decoded with the wrong codec (GBK/UTF-8); this rule only
looks at runs of text *between* Chinese characters that hold a pair of characters mojibake
makes (a Latin-1 letter such as ``â``/``Ã`` followed by a character from the Windows-1252 upper
half), so correct Chinese and the GBK mojibake are never handed to ftfy. Each repaired span is
one logged edit (its line, what was removed, what was inserted).

When the page lost the byte Windows-1252 cannot show (``”`` is ``â€`` + U+009D), ``â€``
before a space, punctuation or the end of the run is a closing ``”``: ftfy leaves that one.

Bounded: at most :data:`MAX_RUN` characters of a run are given to ftfy at a time.
"""

from __future__ import annotations

import difflib
import re

from translate.corpus.draft import Draft, Edit

#: Characters of the Windows-1252 upper half (and the C1 controls that Latin-1 gives for its gaps).
_CP1252 = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e" \
          "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
#: A pair that mojibake makes: the lead byte of a UTF-8 sequence read as a Latin-1 letter, then a continuation.
SUSPECT = re.compile(rf"[\u00c2-\u00f4][{_CP1252}]")
#: A run of text with no Chinese in it (where Latin mojibake lives).
_RUN = re.compile(r"[^\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\n]+")
#: ``â€`` whose third byte (U+009D) was lost: a closing double quote.
_LOST_CLOSE = re.compile(r"â€(?=[\s,.;:!?)\]]|$)")
#: Longest stretch of a run handed to ftfy at once.
MAX_RUN = 20_000


def repair(text: str) -> str:
    """The text with its Latin mojibake undone (unchanged when there is none)."""
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return _LOST_CLOSE.sub("”", fixed)


def rule(draft: Draft) -> None:
    """Repair Latin mojibake in the runs of text between Chinese characters; log each fix."""
    if not SUSPECT.search(draft.text):
        return
    edits = []
    for run in _RUN.finditer(draft.text):
        if not SUSPECT.search(run.group()):
            continue
        for offset in range(run.start(), run.end(), MAX_RUN):
            chunk = draft.text[offset:min(offset + MAX_RUN, run.end())]
            fixed = repair(chunk)
            if fixed == chunk:
                continue
            matcher = difflib.SequenceMatcher(None, chunk, fixed, autojunk=False)
            for tag, a, b, c, d in matcher.get_opcodes():
                if tag != "equal":
                    edits.append(Edit(offset + a, offset + b, fixed[c:d], "repair", "Latin mojibake (ftfy)"))
    draft.apply("latin", edits)
