"""Interview speaker labels in English: the glossary's rendering, else the usual label's English, else pinyin.

The translation stage decides this once; every renderer shows the segment it made.
The usual interview labels (记者, 主持人, 问, 答, 编者按…) are roles, not names:
:data:`COMMON_LABELS` is their one table, so 记者 is "Reporter", never "Ji Zhe".
"""

from __future__ import annotations

import gc
import re
import sys

from translate.glossary.honour import GlossaryLike

#: Segment id of a block's speaker label: ``<block id>.speaker``.
SPEAKER_SUFFIX = ".speaker"
#: Marks around a label that do not belong to the name (``《晚点》`` is the outlet 晚点).
LABEL_MARKS = "《》〈〉「」『』“”\"' "
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: The usual labels of interviews and Q&As, by their Simplified form (Traditional ones are looked up converted),
#: with their English. A label that is one of these followed by 问 or 答 (记者问, 主持人问) is that role too.
COMMON_LABELS = {
    "记者": "Reporter",
    "本报记者": "Reporter",
    "主持人": "Host",
    "主持": "Host",
    "嘉宾": "Guest",
    "采访者": "Interviewer",
    "采访人": "Interviewer",
    "受访者": "Interviewee",
    "受访人": "Interviewee",
    "提问者": "Questioner",
    "观众": "Audience",
    "读者": "Reader",
    "编者": "Editor",
    "编辑": "Editor",
    "编者按": "Editor's note",
    "编按": "Editor's note",
    "问": "Q",
    "提问": "Q",
    "答": "A",
    "回答": "A",
}
_ROLE_SUFFIXES = ("问", "答")


def common_label(label: str) -> str | None:
    """The English of a usual interview label (``记者``, ``記者問``, ``答``), or None for anything else (a name)."""
    from translate.script import to_simplified

    simplified = to_simplified(label.strip(LABEL_MARKS) or label).replace(" ", "")
    if simplified in COMMON_LABELS:
        return COMMON_LABELS[simplified]
    if len(simplified) > 1 and simplified.endswith(_ROLE_SUFFIXES):
        return COMMON_LABELS.get(simplified[:-1])
    return None


def speaker_english(speaker: str, glossary: GlossaryLike) -> str:
    """The glossary's English for a speaker label, else a usual label's (:data:`COMMON_LABELS`: ``Reporter``),
    else the label romanised as a name (``Wang Xiaochuan``)."""
    bare = speaker.strip(LABEL_MARKS) or speaker
    lookup = getattr(glossary, "lookup", None)
    if lookup is not None:
        term = lookup(speaker) or lookup(bare)
        if term is not None:
            return term.en
    role = common_label(bare)
    if role is not None:
        return role
    if not _CJK.search(bare):
        return bare
    load_romanisation()
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(bare, v_to_u=True) if s.strip()]
    if not syllables or any(_CJK.search(s) for s in syllables):
        return bare
    if len(syllables) == 1:
        return syllables[0].capitalize()
    return syllables[0].capitalize() + " " + "".join(syllables[1:]).capitalize()


def load_romanisation() -> None:
    """Import pypinyin, which romanises names (:func:`speaker_english`), as the long-lived tables it is; once a process.

    Its import makes about 200,000 objects (its phrase dictionary) that live as long as the process. Imported
    with the collector on, two full collections ran in the middle of it and every later full collection of
    the build walked them all again (in a cold build, ~0.25 s CPU of the render's ~1.9 s). So the collector is
    paused while it loads, and what lives then is frozen (:func:`gc.freeze`): reference counting still frees
    those objects; only a garbage cycle among them waits for :func:`gc.unfreeze` (``bitext serve`` unfreezes
    and collects every few builds). The collector is left as it was found (``serve`` holds it off during a build).
    """
    if "pypinyin" in sys.modules:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        import pypinyin  # noqa: F401  (what speaker_english imports)

        gc.freeze()
    finally:
        if enabled:
            gc.enable()
