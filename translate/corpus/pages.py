"""The ``pages`` rule: what printing puts around an article's text, lifted out of OCR and PDF text.

A scanned magazine or report, read by OCR or from a PDF's text layer, gives the page's
furniture as lines among the article's: folios (``４７``, ``— 23 —``), running heads
(``４６ 智能商业评论 ２０２４年第１２期``, a report's title or chapter at the top of each
page, a section's bilingual label ``封面故事　COVER　STORY``), the footnote rule
(``________``) and the notes under it, a pull quote that repeats a sentence of the text,
the end mark ``■``, and a photo's caption and credit read into the middle of a line. Each
falls between two lines of one sentence, which the page break split.

The rule acts only on a source that shows pages: a folio line, or a running head that comes
again on the next page (the same line but for its digits). Then:

* folios and running heads are removed (a running head: a line that recurs but for its
  digits; a short line next to a folio; a short line that interrupts a sentence, the line
  before it cut at the column's width and the line after it going on; a short label that a
  running head repeats, such as ``封面故事``, above the article's first sentence; a chapter label
  ``第三章 …`` above the headline);
* a footnote rule goes, and the notes under it become Markdown footnotes ``[^1]: …`` at the
  end of the article, their marks (``¹``) in the text ``[^1]``;
* a pull quote (a short block that repeats the article's own words) and the end mark go;
* a caption glued into a line with its credit (``…查看电子价签。摄影／本刊记者 刘放``) is lifted
  out as the figure's caption, ``![caption]()`` after the paragraph (the form of
  :mod:`translate.corpus.media` for an image the text lost); its credit goes. Where the
  caption starts and the credit's name ends are chosen by jieba's word frequencies
  (:mod:`translate.corpus.plausibility`): the split that reads best on both sides;
* in a page whose paragraphs are marked by an indent (two ideographic spaces), the lines of
  a paragraph are joined (a line cut at the column width goes on in the next, unindented one);
* a table flattened into columns aligned with spaces becomes a pipe table, held like a
  Markdown source's (:func:`translate.corpus.structure.hold_span`);
* OCR's digit-for-letter confusions inside Latin words and numbers are repaired
  (``Fue1 Ce11`` → ``Fuel Cell``, ``Pr0ton``, ``TC0`` → ``TCO``, ``l20`` → ``120``, ``15OOO`` → ``15000``).

Every removal is logged with the rule, the line and what was removed.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from translate.corpus.chinese import ends_sentence
from translate.corpus.draft import Draft, Edit, LogEntry

#: A folio: a page number alone, perhaps between dashes, or ``第 3 页``, ``3 / 12``.
FOLIO = re.compile(r"^\s*(?:[-—–－~～]+\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—–－~～]+)?\s*$|^\s*\d{1,4}\s*/\s*\d{1,4}\s*$")
#: A footnote rule: a line of underscores or dashes.
NOTE_RULE = re.compile(r"^\s*[_\-—─━＿]{6,}\s*$")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
#: A note under the rule: its mark (superscript digits, a circled number, ``[1]``), then its text.
NOTE = re.compile(rf"^\s*(?:(?P<sup>[{_SUPERSCRIPTS}]{{1,3}})|(?P<circled>[\u2460-\u2473])|\[(?P<num>\d{{1,3}})\])"
                  r"\s*(?P<text>\S.*)$")
#: A chapter label: ``第三章  交通领域应用``.
CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十百\d]{1,4}[章篇部编]\s*\S{0,20}\s*$")
#: The end mark of a magazine article.
END_MARK = re.compile(r"(?<=[。！？”」!?])[■□◆◇▲△●]\s*$")
#: A photo credit: ``摄影／本刊记者 刘放``, ``图｜新华社``; the name's length is chosen later.
CREDIT = re.compile(r"(?P<label>摄影|攝影|图片|圖片|供图|供圖|图|圖)\s*[／/｜|:：]\s*(?P<who>(?:本刊|本报|本報|新华社|特约)?(?:记者|記者|摄影师)?\s*)")
#: Characters a phrase cannot end with: the caption glued after one begins right after it.
_LINKING = "的地得在到把被向从对与和及为给让将于"
#: Lines shorter than this (characters) may be furniture.
SHORT = 30
#: Blocks compared with the whole text as possible pull quotes, at most (each comparison reads the text once).
MAX_PULL_QUOTE_CHECKS = 500
#: Sentence punctuation: a line with any is text, not a running head.
_PUNCTUATED = re.compile(r"[，、：；。！？,;!?]")
_INDENT = re.compile(r"^(?:\u3000{1,2}|[ ]{2,4})(?=\S)")


#: What a running head says besides the publication's name: its folio and the issue.
_ISSUE = re.compile(r"^\s*\d{1,4}\s+|\s+\d{1,4}\s*$|\d{4}\s*年\s*(?:第\s*\d{1,3}\s*期|\d{1,2}\s*月(?:号|刊)?)?|[（(]\d{4}[)）]")


def _publication(draft: Draft, heads: list[str]) -> None:
    """A running head that recurs page after page names the publication (``46 智能商业评论 2024年第12期``)."""
    names = {_ISSUE.sub(" ", head).strip() for head in heads}
    if len(names) == 1 and "publication" not in draft.meta:
        name = names.pop()
        if 2 <= len(name) <= 20 and re.fullmatch(r"[\u4e00-\u9fff《》A-Za-z ·]+", name):
            draft.meta["publication"] = name
            draft.log.append(LogEntry("pages", 1, "meta", "", "", f"publication from the running head: {name}"))


def _folio(texts: list[str], index: int, heads: set[int]) -> bool:
    """Is the number line at ``index`` a page's folio? A decorated one (``— 23 —``, ``第 3 页``) is; a bare
    number only between two halves of a sentence or next to a running head (a bare ``1`` above a title
    line numbers a section: :mod:`translate.corpus.headings`)."""
    if not re.fullmatch(r"\s*\d{1,4}\s*", texts[index]):
        return True
    if index - 1 in heads or index + 1 in heads:
        return True
    before = index - 1
    while before >= 0 and not texts[before].strip():
        before -= 1
    return before >= 0 and not ends_sentence(texts[before]) and len(texts[before].strip()) > 8


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"[\s\u3000]+", "", text))


def _indented(text: str) -> bool:
    return bool(_INDENT.match(text))


def rule(draft: Draft) -> None:
    """Lift page furniture out of an OCR or PDF text (see the module docstring)."""
    if draft.facts.get("markdown"):
        return  # a Markdown export has no printed pages
    lines = draft.lines()
    texts = [t for _, _, t in lines]
    keys = Counter(_key(t) for t in texts if t.strip() and re.search(r"\d", t) and len(t.strip()) <= 40)
    heads = {i for i, t in enumerate(texts) if t.strip() and len(t.strip()) <= 40 and re.search(r"\d", t)
             and keys[_key(t)] >= 2 and not ends_sentence(t) and not FOLIO.match(t)
             and re.match(r"^\s*\d|.*\d\s*$|.*\d+期", t)}
    folios = {i for i, t in enumerate(texts) if t.strip() and FOLIO.match(t) and _folio(texts, i, heads)}
    if not folios and not heads:
        return
    draft.facts["pages"] = True
    _publication(draft, [texts[i] for i in heads])
    furniture: dict[int, str] = {i: "folio" for i in folios}
    furniture.update({i: "running head" for i in heads})
    lengths = [len(t.strip()) for t in texts if len(t.strip()) > 8]
    column = statistics.median(lengths) if lengths else 20

    def content(index: int, step: int) -> int | None:
        index += step
        while 0 <= index < len(texts) and (not texts[index].strip() or index in furniture):
            index += step
        return index if 0 <= index < len(texts) else None

    notes: list[tuple[int, str, str]] = []  # (line, mark, text)
    for index, text in enumerate(texts):
        if NOTE_RULE.match(text) and index + 1 < len(texts) and NOTE.match(texts[index + 1]):
            furniture[index] = "footnote rule"  # a rule with notes under it (any other rule is the text's)
            later = index + 1
            while later < len(texts) and (note := NOTE.match(texts[later])):
                mark = note.group("sup") or note.group("circled") or note.group("num")
                notes.append((later, mark, note.group("text").strip()))
                furniture[later] = "footnote"
                later += 1
    # Short lines next to a folio, or wedged into a sentence, are running heads.
    for _ in range(2):
        for index, text in enumerate(texts):
            stripped = text.strip()
            if index in furniture or not stripped or len(stripped) > SHORT or ends_sentence(stripped):
                continue
            near_folio = any(0 <= j < len(texts) and j in folios for j in (index - 1, index + 1))
            before, after = content(index, -1), content(index, 1)
            adjacent = before is not None and after is not None and all(
                k in furniture for k in range(before + 1, after) if k != index)
            wedged = (adjacent and not ends_sentence(texts[before]) and len(texts[before].strip()) >= 0.8 * column
                      and not _indented(texts[after]))
            if (near_folio or wedged) and not _PUNCTUATED.search(stripped):
                furniture[index] = "running head"
    labels = {re.sub(r"[\sA-Za-z]+", "", texts[i]) for i, n in furniture.items() if n == "running head"}
    first = content(-1, 1)
    head_end = next((i for i, t in enumerate(texts) if ends_sentence(t) and i not in furniture), len(texts))
    for index, text in enumerate(texts):
        stripped = text.strip()
        if index in furniture or not stripped:
            continue
        if index < head_end and len(stripped) <= 8 and any(stripped in label for label in labels):
            furniture[index] = "section label"
        elif index == first and CHAPTER.match(text) and (nxt := content(index, 1)) is not None \
                and len(texts[nxt].strip()) <= 40 and not ends_sentence(texts[nxt]):
            furniture[index] = "chapter running head"
    edits: list[Edit] = []
    for index, note in sorted(furniture.items()):
        start, end, _ = lines[index]
        edits.append(Edit(start, min(end + 1, len(draft.text)), "", "move" if note == "footnote" else "remove-line",
                          f"page furniture: {note}"))
    taken = set(furniture)
    joined: set[int] = set()
    edits += _page_breaks(lines, texts, taken, column, joined)
    edits += _pull_quotes(draft, lines, texts, taken)
    edits += _end_marks(lines, texts, taken)
    edits += _captions(draft, lines, texts, taken)
    edits += _joins(lines, texts, taken | joined, column)
    edits += _confusions(draft.text, lines, taken)
    if notes:
        edits += _footnotes(draft, notes, taken)
    draft.apply("pages", edits)
    _tables(draft)
    if notes:
        from translate.corpus.structure import FOOTNOTE_REF

        from translate.corpus.structure import FOOTNOTE_DEFINITION

        at = draft.text.rfind("\n\n[^") + 2
        labels = []
        for line in draft.text[at:].split("\n"):
            label = FOOTNOTE_DEFINITION.match(line)
            if label:
                labels.append((at, at + label.end()))
            at += len(line) + 1
        draft.lock(labels + [(m.start(), m.end()) for m in FOOTNOTE_REF.finditer(draft.text)])


def _page_breaks(lines, texts: list[str], taken: set[int], column: float, joined: set[int]) -> list[Edit]:
    """Join a sentence that a page break split: the blank lines of the break go, and the line before it
    (cut at the column's width mid-sentence) goes on in the first line after it."""
    edits = []
    index = 0
    while index < len(texts):
        if index not in taken:
            index += 1
            continue
        first = index
        while index < len(texts) and (index in taken or not texts[index].strip()):
            index += 1
        before = first - 1
        while before >= 0 and not texts[before].strip():
            before -= 1
        if before < 0 or index >= len(texts) or before in taken:
            continue
        a, b = texts[before].rstrip(), texts[index]
        if ends_sentence(a) or len(a.strip()) < 0.8 * column or _indented(b) or b.lstrip().startswith(("#", "|", "!")):
            continue
        glue = " " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else ""
        edits.append(Edit(lines[before][1], lines[before][1] + 1, glue, "join", "page break inside a sentence"))
        edits += [Edit(lines[k][0], lines[k][1] + 1, "", "remove", "page break: blank line")
                  for k in range(before + 1, index) if k not in taken]
        joined.add(before)  # its newline is joined here; the paragraph joiner leaves it
    return edits


def _pull_quotes(draft: Draft, lines, texts: list[str], taken: set[int]) -> list[Edit]:
    """A short block of one to three lines that repeats the article's own words elsewhere is a pull quote."""
    if sum(1 for t in texts if t.startswith("\u3000\u3000")) < 3:
        return []  # pull quotes are set apart from paragraphs marked by an indent
    flat = re.sub(r"[\s\u3000“”「」\"]+", "", draft.text)
    edits = []
    index = 0
    checks = 0
    while index < len(texts) and checks < MAX_PULL_QUOTE_CHECKS:
        text = texts[index]
        previous = index - 1
        while previous >= 0 and (previous in taken or not texts[previous].strip()):
            previous -= 1
        starts = text.strip() and not _indented(text) and index not in taken and (
            previous < 0 or ends_sentence(texts[previous]))
        if not starts:
            index += 1
            continue
        end = index
        while end < len(texts) and end - index < 3 and texts[end].strip() and end not in taken \
                and not ends_sentence(texts[end]) and (end == index or not _indented(texts[end])):
            end += 1
        if end < len(texts) and texts[end].strip() and end not in taken and (end == index or not _indented(texts[end])):
            block = re.sub(r"[\s\u3000“”「」\"]+", "", "".join(texts[index:end + 1]))
            following = end + 1
            closes = following >= len(texts) or not texts[following].strip() or _indented(texts[following])
            checks += 1
            if closes and 8 <= len(block) <= 80 and end - index < 3 and flat.find(block, flat.find(block) + 1) >= 0:
                for k in range(index, end + 1):
                    start, stop, _ = lines[k]
                    edits.append(Edit(start, min(stop + 1, len(draft.text)), "", "remove-line",
                                      "page furniture: pull quote (repeats the article)"))
                    taken.add(k)
                index = end + 1
                continue
        index += 1
    return edits


def _end_marks(lines, texts: list[str], taken: set[int]) -> list[Edit]:
    last = max((i for i, t in enumerate(texts) if t.strip() and i not in taken), default=None)
    if last is None:
        return []
    match = END_MARK.search(texts[last])
    if not match:
        return []
    start = lines[last][0]
    return [Edit(start + match.start(), start + match.end(), "", "remove", "page furniture: end mark")]


def _captions(draft: Draft, lines, texts: list[str], taken: set[int]) -> list[Edit]:
    """A caption and its credit read into a line: lift the caption out after the paragraph, drop the credit."""
    edits = []
    for index, text in enumerate(texts):
        if index in taken:
            continue
        for credit in CREDIT.finditer(text):
            stop = credit.start()
            if stop == 0 or text[stop - 1] not in "。！？":
                continue
            name_at = credit.end()
            begin = max(text.rfind(c, 0, stop - 1) for c in "。！？")  # the caption starts after the last sentence
            cut = _caption_start(text, begin + 1, stop)
            best = None
            for size in (2, 3):
                name, rest = text[name_at:name_at + size], text[name_at + size:]
                if len(name) == size and re.fullmatch(r"[\u4e00-\u9fff]+", name):
                    score = _plausible(text[begin + 1:cut] + rest) + _plausible(name)
                    if best is None or score > best[0]:
                        best = (score, cut, size)
            if best is None:
                continue
            _, cut, size = best
            caption = text[cut:stop]
            start = lines[index][0]
            edits.append(Edit(start + cut, start + name_at + size, "", "move",
                              f"page furniture: caption and credit read into the text ({text[stop:name_at + size]})"))
            after = index + 1
            while after < len(texts) and texts[after].strip() and not _indented(texts[after]):
                after += 1
            at = lines[after][0] if after < len(texts) else len(draft.text)
            insert = f"![{caption}]()\n" if after < len(texts) else f"\n![{caption}]()"
            edits.append(Edit(at, at, insert, "move", "caption lifted out as the figure's"))
            break
    return edits


def _caption_start(text: str, begin: int, stop: int) -> int:
    """Where a caption read into a line starts: after the last ``的`` (or other word that needs what follows)
    before the caption's first comma, which the paragraph's own text ended on; else at ``begin``."""
    comma = text.find("，", begin, stop)
    head = text[begin:comma if comma >= 0 else stop]
    for chars in ("的地得", _LINKING):
        found = max(head.rfind(c) for c in chars)
        if found >= 0:
            return begin + found + 1
    return begin


def _plausible(text: str) -> float:
    """Log-probability of the Chinese runs of ``text`` under jieba's word frequencies."""
    from translate.corpus.plausibility import scorer

    return sum(scorer().han(run) for run in re.findall(r"[\u4e00-\u9fff]+", text))


def _joins(lines, texts: list[str], taken: set[int], column: float) -> list[Edit]:
    """Join the lines of a paragraph in a page whose paragraphs are marked by an indent."""
    if sum(1 for t in texts if t.startswith("\u3000\u3000")) < 3:
        return []
    edits = []
    kept = [i for i, t in enumerate(texts) if i not in taken]
    for here, there in zip(kept, kept[1:]):
        a, b = texts[here], texts[there]
        if not a.strip() or not b.strip() or any(not texts[k].strip() for k in range(here + 1, there)):
            continue
        if _indented(b) or ends_sentence(a) or len(a.strip()) < 0.6 * column:
            continue
        newline = lines[here][1]
        # Furniture lines between the two are removed whole, newline and all; this newline goes too.
        edits.append(Edit(newline, newline + 1, "", "join", "page text: line of a paragraph"))
    return edits


def _footnotes(draft: Draft, notes, taken: set[int]) -> list[Edit]:
    """The notes as Markdown footnotes at the end; their marks in the text as references."""
    edits = []
    tail = []
    numbers: dict[str, int] = {}
    for _, mark, text in notes:
        numbers[mark] = len(numbers) + 1
        tail.append(f"[^{numbers[mark]}]: {text}")
    marks = "|".join(re.escape(m) for m in numbers)
    note_lines = {line for line, _, _ in notes}
    for match in re.finditer(rf"(?<=\S)(?:{marks})(?![{_SUPERSCRIPTS}])", draft.text):
        if draft.line_at(match.start()) - 1 in note_lines:
            continue
        edits.append(Edit(match.start(), match.end(), f"[^{numbers[match.group()]}]", "restructure", "footnote mark"))
    end = len(draft.text.rstrip("\n"))
    edits.append(Edit(end, end, "\n\n" + "\n".join(tail), "move", "footnotes at the end of the article"))
    return edits


_CELL_GAP = re.compile(r"\S(?:\s?\S)*")


def _tables(draft: Draft) -> None:
    """Rows of columns aligned with runs of spaces (three or more, same count) become a pipe table."""
    lines = draft.lines()
    rows: list[list[int]] = []
    run: list[int] = []
    for index, (_, _, text) in enumerate(lines):
        cells = re.split(r"\s{2,}", text.strip()) if text.strip() else []
        if len(cells) >= 2 and not text.lstrip().startswith(("|", "#", "![")) \
                and (not run or len(cells) == len(re.split(r"\s{2,}", lines[run[0]][2].strip()))):
            run.append(index)
            continue
        if len(run) >= 3:
            rows.append(run)
        run = [index] if len(cells) >= 2 else []
    if len(run) >= 3:
        rows.append(run)
    if not rows:
        return
    edits = []
    for run in rows:
        for n, index in enumerate(run):
            start, end, text = lines[index]
            cells = re.split(r"\s{2,}", text.strip())
            row = "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
            if n == 0:
                row += "\n|" + " --- |" * len(cells)
                if index > 0 and lines[index - 1][2].strip():
                    row = "\n" + row
            if n == len(run) - 1 and index + 1 < len(lines) and lines[index + 1][2].strip():
                row += "\n"
            edits.append(Edit(start, end, row, "restructure", "columns aligned with spaces → table"))
    if not draft.apply("pages", edits):
        return
    from translate.corpus.structure import hold_span

    text = draft.text
    for match in re.finditer(r"(?m)^\|.*\|\n\|(?: --- \|)+\n(?:\|.*\|(?:\n|$))*", text):
        hold_span(draft, match.start(), match.end())


_LETTERS_WITH_DIGITS = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z01]*[A-Za-z][A-Za-z01]*[A-Za-z])(?=[A-Za-z]*[01])"
                                  r"[A-Za-z01]{3,}(?![A-Za-z0-9])")
_DIGITS_WITH_LETTERS = re.compile(r"(?<![A-Za-z0-9.])(?=[0-9lOI]*[0-9][0-9lOI]*[0-9])(?=[0-9lOI]*[lOI])[0-9lOI]{3,}"
                                  r"(?![A-Za-z0-9])")


def _confusions(text: str, lines, taken: set[int]) -> list[Edit]:
    """OCR's 0/O and 1/l confusions: a digit inside a Latin word, a letter inside a number.

    An uppercase word ending in ``0`` (``TC0``) takes ``O``; a lowercase word takes ``o`` for a
    ``0`` between two letters (``Pr0ton``) and ``l`` for a ``1`` after its letters (``Fue1``,
    ``Ce11``); a number takes ``1`` for ``l``/``I`` and ``0`` for ``O`` (``l20``, ``15OOO``).
    """
    skip = {lines[i][0] for i in taken}
    edits = []
    for match in _LETTERS_WITH_DIGITS.finditer(text):
        word = match.group()
        fixed = None
        if re.fullmatch(r"[A-Z]{2,}0+", word):
            fixed = word.replace("0", "O")
        elif re.fullmatch(r"[A-Z]?[a-z]+(?:0(?=[a-z])|[a-z])*1*", word) and any(c.islower() for c in word):
            fixed = word.replace("0", "o").replace("1", "l")
        if fixed and fixed != word:
            edits.append(Edit(match.start(), match.end(), fixed, "repair", "OCR: digit read for a letter"))
    for match in _DIGITS_WITH_LETTERS.finditer(text):
        number = match.group()
        if not (number[0].isdigit() or number[0] == "l"):
            continue
        fixed = number.replace("l", "1").replace("I", "1").replace("O", "0")
        edits.append(Edit(match.start(), match.end(), fixed, "repair", "OCR: letter read for a digit"))
    return [e for e in edits if text.rfind("\n", 0, e.start) + 1 not in skip]
