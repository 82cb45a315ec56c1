"""The cleaner: an ordered list of small named rules, each switchable by name.

Every rule takes the :class:`~translate.corpus.draft.Draft` and proposes edits
that the draft performs and logs. The order matters: mojibake (Chinese, then Latin) is repaired before
HTML debris is stripped (the debris hides inside it), an ``<img>``'s alt text becomes its figure's caption before
the tags go, entities are decoded before any punctuation rule (``&ldquo;`` never becomes ``&ldquo；``),
full-width ASCII is folded before the page furniture of OCR and PDF text is lifted out (its folios and running
heads compare by their digits), which happens before the title is looked for, a Markdown source's
constructs (tables, footnotes, nested lists, code) are held before any rule
that could join or flatten them runs (chrome, which runs before, keeps them), pinyin is stripped after
both (the repairs uncover annotations), punctuation is normalised before the
structure rules read sentence ends, and hard wraps are joined last, once
headings and speaker turns are known.
"""

from __future__ import annotations

import re
from typing import Callable

from translate.corpus import (bylines, chrome, entities, exports, fullwidth, headings, latin, media, mojibake, pages, pinyin,
                              punctuation, remnants, speakers, structure, title, wraps)
from translate.corpus.chinese import is_traditional
from translate.corpus.draft import Draft, Edit
from translate.corpus.layout import is_markdown

Rule = Callable[[Draft], None]


def decoding(draft: Draft) -> None:
    """Normalise what decoding leaves: CR LF line ends, stray byte-order marks, control characters."""
    edits = [Edit(m.start(), m.end(), "", "remove", "carriage return" if m.group() == "\r" else "control character")
             for m in re.finditer(r"[\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", draft.text)]
    draft.apply("decoding", edits)
    draft.facts["markdown"] = (draft.facts.get("markdown") or draft.filename.lower().endswith((".md", ".markdown"))
                               or is_markdown(draft.text))  # a converter (web page, Word) has said so already


def script(draft: Draft) -> None:
    """Record whether the source is Traditional or Simplified (the text itself stays as written)."""
    if "script" not in draft.meta:
        draft.meta["script"] = "traditional" if is_traditional(draft.text) else "simplified"


#: The cleaning rules, in order. ``clean(..., disabled={"pinyin"})`` skips one by name.
RULES: list[tuple[str, Rule]] = [
    ("decoding", decoding),
    ("chrome", chrome.rule),
    ("export", exports.rule),
    ("structure", structure.rule),
    ("mojibake", mojibake.rule),
    ("latin", latin.rule),
    ("figures", media.figures_rule),
    ("html", remnants.html_rule),
    ("entities", entities.rule),
    ("editorial", remnants.editorial_rule),
    ("fullwidth", fullwidth.rule),
    ("pages", pages.rule),
    ("pinyin", pinyin.rule),
    ("script", script),
    ("title", title.rule),
    ("bylines", bylines.rule),
    ("punctuation", punctuation.punctuation_rule),
    ("whitespace", punctuation.whitespace_rule),
    ("images", media.images_rule),
    ("lists", media.lists_rule),
    ("headings", headings.rule),
    ("speakers", speakers.rule),
    ("wraps", wraps.rule),
    ("paragraphs", wraps.paragraphs_rule),
]

RULE_NAMES = tuple(name for name, _ in RULES)


def run(draft: Draft, disabled: frozenset[str] = frozenset()) -> Draft:
    """Apply every rule not in ``disabled`` to ``draft``, in order."""
    unknown = set(disabled) - set(RULE_NAMES)
    if unknown:
        from translate.errors import CorpusError

        raise CorpusError(f"unknown rule {', '.join(sorted(unknown))}; rules are: {', '.join(RULE_NAMES)}")
    for name, rule in RULES:
        if name not in disabled:
            rule(draft)
    return draft
