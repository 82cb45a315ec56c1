"""Interview speaker labels in English: the glossary's rendering, else the name in pinyin.

The translation stage decides this once; every renderer shows the segment it made.
"""

from __future__ import annotations

import re

from translate.translation.constraints import GlossaryLike

#: Segment id of a block's speaker label: ``<block id>.speaker``.
SPEAKER_SUFFIX = ".speaker"
#: Marks around a label that do not belong to the name (``《晚点》`` is the outlet 晚点).
LABEL_MARKS = "《》〈〉「」『』“”\"' "
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def speaker_english(speaker: str, glossary: GlossaryLike) -> str:
    """The glossary's English for a speaker label, else the label romanised as a name (``Wang Xiaochuan``)."""
    bare = speaker.strip(LABEL_MARKS) or speaker
    lookup = getattr(glossary, "lookup", None)
    if lookup is not None:
        term = lookup(speaker) or lookup(bare)
        if term is not None:
            return term.en
    if not _CJK.search(bare):
        return bare
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(bare, v_to_u=True) if s.strip()]
    if not syllables or any(_CJK.search(s) for s in syllables):
        return bare
    if len(syllables) == 1:
        return syllables[0].capitalize()
    return syllables[0].capitalize() + " " + "".join(syllables[1:]).capitalize()
