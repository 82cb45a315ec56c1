"""The ``speakers`` rule, interview speaker labels: ``周明：`` → ``**周明：**``.

A label is a short name (or a bracketed publication such as 《晚点》) followed by
a colon at the start of a paragraph, that opens at least two paragraphs of the
article; it is rewritten in one canonical form (``AI科技评论`` and ``AI 科技评论``
are one speaker). A paragraph that was bold as a whole (``**《晚点》：question…**``)
loses the bold: the role carries that meaning now. A label alone on its line is
joined to the line after it. Labels whose turns are mostly questions (or were
bold as a whole) are the interviewers, listed in the front matter, and so is a label
that names the role (``记者``, ``主持人``: :data:`INTERVIEWER_ROLES`) whatever its turns say
(``记者：最后想问一个个人的问题。`` is still the interviewer's).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from translate.corpus.chinese import to_simplified
from translate.corpus.draft import Draft, Edit

_LABEL = re.compile(
    r"^(?P<open>\*\*)?(?P<label>《[^》\n]{1,10}》|[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff· ]{0,10}?)"
    r" ?(?P<colon>[：:])(?P<close>\*\*)?[ ]?"
)
#: Words that open a paragraph with a colon but are not people.
NOT_SPEAKERS = {"注", "注释", "备注", "导语", "编者按", "来源", "提示", "原标题", "作者", "编辑", "责编", "文", "图",
                "出品", "本文作者", "摘要", "按", "附", "问", "答", "比如", "例如", "其次", "首先", "第一", "第二"}

#: Labels that name the one who asks (Simplified; a Traditional label is compared in Simplified).
INTERVIEWER_ROLES = frozenset({"记者", "主持人", "采访者", "采访人", "提问者", "记者问", "主持"})


def _key(label: str) -> str:
    return to_simplified(label).replace(" ", "")


def find_speakers(lines: list[str]) -> dict[str, str]:
    """Speaker key → canonical written label, for labels that open two or more paragraphs."""
    written: dict[str, Counter] = defaultdict(Counter)
    for line in lines:
        match = _LABEL.match(line)
        if match and (match.group("open") is None or match.group("close") or line.rstrip().endswith("**")):
            label = match.group("label").strip()
            key = _key(label)
            if len(key) >= 2 and key not in NOT_SPEAKERS:
                written[key][label] += 1
    return {key: forms.most_common(1)[0][0] for key, forms in written.items() if sum(forms.values()) >= 2}


def rule(draft: Draft) -> None:
    """Rewrite speaker labels as bold labels and record which speakers ask the questions."""
    lines = draft.lines()
    texts = [t for _, _, t in lines]
    speakers = find_speakers(texts)
    if not speakers:
        return
    edits = []
    turns: Counter = Counter()
    asks: Counter = Counter()
    bold_turns: Counter = Counter()
    for index, (start, end, text) in enumerate(lines):
        match = _LABEL.match(text)
        if not match or _key(match.group("label").strip()) not in speakers:
            continue
        key = _key(match.group("label").strip())
        label = speakers[key]
        wanted = f"**{label}：**"
        if text[:match.end()] != wanted:
            edits.append(Edit(start, start + match.end(), wanted, "restructure", "speaker label"))
        turns[key] += 1
        last = index
        if draft.facts.get("markdown"):
            while last + 1 < len(lines) and texts[last + 1].strip() and not _LABEL.match(texts[last + 1]):
                last += 1
        if match.group("open") and not match.group("close") and texts[last].rstrip().endswith("**"):
            bold_turns[key] += 1
            stop = lines[last][0] + len(texts[last].rstrip())
            edits.append(Edit(stop - 2, stop, "", "restructure", "bold question → question role"))
        rest = text[match.end():].strip()
        if not rest and index + 1 < len(lines) and texts[index + 1].strip():
            edits.append(Edit(end, end + 1, "", "join", "label alone on its line"))
            last = index + 1
            rest = texts[last]
        if re.search(r"[？?]\**\s*$", texts[last]):
            asks[key] += 1
    draft.apply("speakers", edits)
    interviewers = [speakers[k] for k in speakers
                    if turns[k] and (k in INTERVIEWER_ROLES or bold_turns[k] / turns[k] >= 0.6
                                     or asks[k] / turns[k] >= 0.5)]
    if interviewers and "interviewers" not in draft.meta:
        draft.meta["interviewers"] = interviewers
