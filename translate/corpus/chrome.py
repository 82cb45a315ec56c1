"""The ``chrome`` rule, page chrome and spam: the web page around the article, never the article.

Every line is scored for content-likeness (:mod:`translate.corpus.lines`: length, share
of Chinese, sentence punctuation, digits and separators, UI vocabulary by platform
family, repetition across the page). Then, as jusText does, the short and uncertain
lines take the verdict of their neighbours: a line of text that is not prose (a name, a
tag, a related article's title, a short sentence) is chrome when the nearest scored lines
on both sides are chrome, and a page's edges count as chrome when chrome is there. So
the runs of chrome at the top and the bottom go, and so do isolated blocks of chrome
inside (a "continue reading" prompt, a PDF's running head, footer and page number); a
short line between the article and chrome stays (the last short sentence, a heading),
and is logged as kept, and so is a line of prose inside the article that uses a chrome
phrase (``用户扫码即可取餐。``): where uncertain, keep and log. A page with no chrome line at all is left alone.

The title and the bylines are not chrome even where chrome surrounds them: the rule asks
:func:`translate.corpus.title.find_title` and
:func:`translate.corpus.bylines.header_lines` and keeps what they name for their rules. In a
Markdown source the lines of tables, lists, quotes and code count as prose
(:func:`translate.corpus.structure.construct_lines`), and a note app's export debris is left
to the export rule (:func:`translate.corpus.exports.debris_lines`). A saved page's lines are
scored by their text, without their tags, and its HTML tables are kept for the html rule.
Keyword spam goes wherever it is. Section numbers inside the article (``1`` before a
heading) are not page numbers: a number alone goes only between chrome.
"""

from __future__ import annotations

import re

from translate.corpus import bylines, exports, remnants, structure, title
from translate.corpus.chinese import to_simplified
from translate.corpus.draft import Draft, Edit, LogEntry
from translate.corpus.lines import LineKind, classify, closes_sentence, plain, strip_annotations

_WEAK = ("counter",)


def _anchors(kinds, prose: set[int], protected: set[int], step: int, edge: str) -> list[str]:
    """For each line, the verdict of the nearest scored line in direction ``step``: chrome, content or the edge's.

    One pass over the page (a page of 100,000 uncertain lines between chrome would cost a probe each way per line).
    """
    verdicts = [edge] * len(kinds)
    state = edge
    order = range(len(kinds)) if step > 0 else range(len(kinds) - 1, -1, -1)
    for index in order:
        verdicts[index] = state
        kind = kinds[index]
        if index in prose:
            state = "content"
        elif index not in protected and kind.kind == "chrome" and kind.reason not in _WEAK:
            state = "chrome"
    return verdicts


def decide(texts: list[str], kinds, protected: set[int]) -> tuple[dict[int, str], list[int]]:
    """(lines to remove with the reason, lines kept although chrome is next to them)."""
    content = [i for i, k in enumerate(kinds) if k.kind == "content" and i not in protected]
    if not content:  # a short article: its sentences are its prose
        content = [i for i, k in enumerate(kinds)
                   if k.kind in ("near", "short") and i not in protected and closes_sentence(plain(texts[i]))]
    prose = set(content)
    doomed: dict[int, str] = {}
    kept: list[int] = []
    for index, kind in enumerate(kinds):
        if index in protected or kind.kind == "blank":
            continue
        if kind.reason == "keyword spam":
            doomed[index] = kind.reason
    if not content:
        return doomed, kept
    first, last = content[0], content[-1]
    # Prose inside the article that happens to say what chrome says: kept, and it counts as prose.
    quoted = [i for i in range(first + 1, last) if kinds[i].prose and i not in protected]
    prose.update(quoted)
    kept.extend(quoted)
    head_chrome = any(k.kind == "chrome" for i, k in enumerate(kinds[:first]) if i not in protected)
    tail_chrome = any(k.kind == "chrome" for i, k in enumerate(kinds) if i > last and i not in protected)
    befores = _anchors(kinds, prose, protected, +1, "chrome" if head_chrome else "content")
    afters = _anchors(kinds, prose, protected, -1, "chrome" if tail_chrome else "content")
    for index, kind in enumerate(kinds):
        if index in protected or index in doomed or index in prose or kind.kind == "blank":
            continue
        before, after = befores[index], afters[index]
        inside = first < index < last
        if kind.kind == "chrome" and (kind.reason not in _WEAK or not inside):
            doomed[index] = kind.reason
        elif before == "chrome" and after == "chrome":
            doomed[index] = kind.reason if kind.kind == "chrome" else "between page chrome"
        elif "chrome" in (before, after):
            kept.append(index)
    return doomed, kept


def rule(draft: Draft) -> None:
    """Remove spam lines, the page chrome around the article and the isolated chrome inside it."""
    lines = draft.lines()
    # A saved page's lines are scored by their text, not their tags; a line of tags alone is blank.
    texts = [remnants.text_of(t) for _, _, t in lines] if "<" in draft.text else [t for _, _, t in lines]
    kinds = classify(texts)
    if not any(k.kind == "chrome" for k in kinds):
        return
    protected = set(bylines.header_lines(texts, kinds))
    if draft.facts.get("markdown"):
        # A Markdown source's tables, lists, quotes and code are the article's, whatever their lines look
        # like; what a note app exported around the page is the export rule's to remove.
        for index in structure.construct_lines(draft.text, draft.filename):
            if kinds[index].kind != "blank":
                kinds[index] = LineKind("content")
        protected |= exports.debris_lines(lines)
    # An HTML table is the article's; the html rule makes it a pipe table.
    protected |= remnants.table_lines(draft.text)
    if "title" not in draft.meta:
        title_index = title.find_title(texts, kinds, markdown=draft.facts.get("markdown", False), bylines=protected)
        if title_index is not None:
            protected.add(title_index)
            draft.facts["title_line"] = draft.line_at(lines[title_index][0])
        elif not draft.facts.get("markdown"):
            draft.facts["title_line"] = None
    doomed, kept = decide(texts, kinds, protected)
    for index, reason in doomed.items():
        if reason == "reprint notice":
            original = strip_annotations(lines[index][2].strip())
            simple = to_simplified(original)  # matched in Simplified, taken from the source as written
            found = re.search(r"^[*_\s]*(?:本文(?:为|系|是|由))?(?P<name>[^\s，。,*_]{2,8}?)原创(?:文章|，|,)", simple)
            if found and "publication" not in draft.meta and len(simple) == len(original):
                draft.meta["publication"] = original[found.start("name"):found.end("name")]
    edits = []
    for index, reason in sorted(doomed.items()):
        start, end, _ = lines[index]
        edits.append(Edit(start, min(end + 1, len(draft.text)), "", "remove-line", reason))
    for index in kept:
        note = (f"kept: prose inside the article, though it looks like chrome ({kinds[index].reason})"
                if kinds[index].prose else "kept: text next to page chrome, not surrounded by it")
        draft.log.append(LogEntry("chrome", draft.line_at(lines[index][0]), "keep", "", "", note, texts[index].strip()))
    draft.apply("chrome", edits)
