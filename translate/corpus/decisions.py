"""What a publisher must hear about a cleaning: prose that left the text, and the decisions that were close calls.

Both are read from the cleaning log alone (:class:`~translate.corpus.draft.LogEntry`), so
``bitext corpus import`` (from the fresh log) and ``bitext corpus check`` (from
``corpus/<slug>.log``) say the same thing, and one place decides what reads as prose.

* A **warning** names a line that reads as prose — a sentence (``。！``), a question, a
  speaker's turn (``记者：…？``, ``问：…``, ``Q：…``), a long line with clauses — that a
  rule removed or moved into the front matter. Nothing of the kind may happen silently:
  ``--strict`` fails on a warning. Two exceptions, both still in the log: the title (moved
  into the front matter, but every output shows it as the article's title), and a
  sentence the chrome vocabulary names as furniture (a reprint notice, a disclaimer:
  ``禁止转载。``), which the review below lists when the chrome rule took it by a small
  margin; a question is warned about whatever named it. A line moved within the article
  (a caption into its picture's figure, a note into a footnote) is not lost.
* A **review item** is a decision of the chrome scorer that was taken by a small margin:
  a line removed although it is rather prose-like, or kept next to page chrome although it
  is rather chrome-like. The margin is the line's prose-likeness
  (:func:`translate.corpus.lines.prose_likeness`, 0 to 1) measured from 0.5, on the side of
  the verdict; the closest :data:`REVIEW_MAX` below :data:`REVIEW_MARGIN` are listed, so a
  person reads a handful of lines, not the log.

Both lists are bounded (:data:`WARNINGS_MAX`, :data:`REVIEW_MAX`) and say how many more
there are: a page with 100,000 prose lines removed as chrome gives a short report in
linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from translate.corpus.chinese import HAN_RE
from translate.corpus.draft import LogEntry
from translate.corpus.lines import closes_sentence, phrase_reason, plain, prose_likeness
from translate.corpus.remnants import text_of
from translate.markup import FOOTNOTE_LABEL
from translate.corpus.vocabulary import chrome_vocabulary

#: Warnings listed for one source; the rest are counted.
WARNINGS_MAX = 50
#: Uncertain decisions listed for one source (the closest calls first); the rest are counted.
REVIEW_MAX = 20
#: A decision whose margin is below this is uncertain.
REVIEW_MARGIN = 0.25
#: Log actions that take text out of the article (into the log or the front matter).
REMOVING = frozenset({"remove-line", "move", "remove", "strip"})
#: Rules whose moves are shown elsewhere, not lost (the title heads every output).
SHOWN = frozenset({"title"})
#: The longest line examined (a longer removed "line" is a block of code or data: its lines are examined).
LINE_MAX = 2000

_LABEL = re.compile(r"^\s*[*_]{0,2}(?P<label>[^\s：:，。？！,]{1,12}?)\s?[：:][*_]{0,2}\s*(?P<rest>.*)$")
_CODE = re.compile(r"[{}=;<>]|\bfunction\b|\bvar\b|\(\)")
#: A line of a script: a property (``description: "…",``) or a declaration.
_SCRIPT_LINE = re.compile(r"^(?:[\w$.]+\s*:\s*[\"'\[{]|(?:var|let|const|function)\b)")
_MARKS = re.compile(rf"^(?:\[\^{FOOTNOTE_LABEL}\]:|[>*+\-#\s]|[\u00b9\u00b2\u00b3\u2070-\u2079]|\d{{1,3}}[.)、]\s)+")
_CAPTION = re.compile(r"!\[([^\]\n]{1,2000})\]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


@dataclass(frozen=True, slots=True)
class Warning:  # noqa: A001 - the domain's word; callers write decisions.Warning
    """A line that reads as prose, removed from the text or moved into the front matter by a rule."""

    line: int
    """Line of the source file."""
    rule: str
    """The rule that removed or moved it."""
    text: str
    """The line's text, as the source has it."""
    message: str
    """What happened and how to undo it, in one sentence."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A chrome decision taken by a small margin, for a person to confirm."""

    line: int
    """Line of the source file."""
    text: str
    """The line's text."""
    decision: str
    """``removed`` or ``kept``."""
    why: str
    """The rule's reason (the log's note)."""
    margin: float
    """How far the line's prose-likeness is from 0.5, on the side of the verdict (negative: against it)."""


@dataclass(frozen=True, slots=True)
class Report:
    """The warnings and the uncertain decisions of one cleaning, each list bounded."""

    warnings: tuple[Warning, ...]
    """The first :data:`WARNINGS_MAX` warnings, in source order."""
    more_warnings: int
    """Warnings beyond those listed."""
    review: tuple[Decision, ...]
    """The closest :data:`REVIEW_MAX` calls, closest first."""
    more_review: int
    """Uncertain decisions beyond those listed."""

    @property
    def warning_count(self) -> int:
        """Every warning, listed or not."""
        return len(self.warnings) + self.more_warnings


def reads_as_prose(text: str) -> bool:
    """Does this line read as prose: a sentence, a question, a speaker's turn, or a long line of clauses?

    A label with a name (``责任编辑：刘洋``, ``来源：钱江晚报``), a menu, a date line or a title
    without sentence punctuation does not; a line of code does not.
    """
    line = text.strip().strip("*_#> ").strip()
    if not line or len(line) > LINE_MAX:
        return False
    if _SCRIPT_LINE.match(line):
        return False
    han = len(HAN_RE.findall(line))
    if han < 0.3 * len(line.replace(" ", "")):
        words = _LATIN_WORD.findall(line)
        return len(words) >= 8 and line.rstrip("”’\"')）)*_").endswith((".", "!", "?", "。", "！", "？")) \
            and not _CODE.search(line)
    if _CODE.search(line) and han < 0.6 * len(line.replace(" ", "")):
        return False
    if asks_or_speaks(line) or (closes_sentence(line) and han >= 6):
        return True
    return han >= 40 and len(re.findall(r"[，、；：;,]", line)) >= 2


def asks_or_speaks(text: str) -> bool:
    """A question (``…吗？``) or a speaker's turn (``记者：…``, ``Q：…``): prose whatever else it looks like."""
    line = text.strip().strip("*_#> ").strip()
    label = _LABEL.match(line)
    turn = bool(label and re.search(r"[。！？?!]", label.group("rest")) and len(HAN_RE.findall(label.group("rest"))) >= 2)
    return turn or _asks(line)


def _asks(text: str) -> bool:
    line = text.strip().strip("*_#> ").strip()
    return line.rstrip("”’」』）)").endswith(("？", "?")) and len(HAN_RE.findall(line)) >= 4


def _named_furniture(entry: LogEntry, text: str) -> bool:
    """Does the chrome vocabulary name the line as furniture (a reprint notice, a disclaimer), whichever rule took it?"""
    if entry.rule == "chrome" and entry.note in {label for label, _ in chrome_vocabulary().phrases}:
        return True
    return phrase_reason(plain(text)) is not None


def _source_lines(entry: LogEntry) -> list[tuple[int, str]]:
    """The whole lines an entry removed, as a reader sees them (tags aside), with their source line."""
    removed = entry.removed
    if "\n" not in removed.rstrip("\n"):
        return [(entry.line, text_of(removed.rstrip("\n")))]
    return [(entry.line + n, text_of(piece)) for n, piece in enumerate(removed.split("\n")) if piece.strip()]


def _placed(log: list[LogEntry]) -> set[str]:
    """Text a rule put back elsewhere in the article: its inserted lines and captions (a caption moved to its picture)."""
    placed: set[str] = set()
    for entry in log:
        if entry.inserted.strip() and len(entry.inserted) <= 10 * LINE_MAX:
            placed.update(_bare(piece) for piece in entry.inserted.split("\n") if piece.strip())
            placed.update(_bare(m.group(1)) for m in _CAPTION.finditer(entry.inserted))
    return placed


def _bare(text: str) -> str:
    """A line without its block marks and note marks (``[^1]: ``, ``> ``, ``¹ ``), to recognise it where it moved."""
    return _MARKS.sub("", text.strip()).strip()


def warnings(log: Iterable[LogEntry], limit: int = WARNINGS_MAX) -> tuple[tuple[Warning, ...], int]:
    """(the first ``limit`` warnings of a cleaning log, how many more there are).

    A line that a rule moved within the article (a caption into its picture's figure) is not lost.
    """
    entries = list(log)
    placed = _placed(entries)
    listed: list[Warning] = []
    more = 0
    for entry in entries:
        if entry.action not in REMOVING or entry.rule in SHOWN or not entry.removed.strip():
            continue
        for line, text in _source_lines(entry):
            if not reads_as_prose(text) or (_named_furniture(entry, text) and not _asks(text)) or _bare(text) in placed:
                continue
            if len(listed) >= limit:
                more += 1
                continue
            where = "moved into the front matter" if entry.action == "move" else "removed"
            why = f" ({entry.note})" if entry.note else ""
            listed.append(Warning(line, entry.rule, text.strip(), (
                f"the {entry.rule} rule {where} a line that reads as prose{why}: {_quote(text)}; if it is the "
                f"article's, put it back in the article by hand, or re-import with --disable {entry.rule}")))
    return tuple(listed), more


def review(log: Iterable[LogEntry], limit: int = REVIEW_MAX) -> tuple[tuple[Decision, ...], int]:
    """(the ``limit`` chrome decisions taken by the smallest margin, closest first; how many more are uncertain)."""
    uncertain: list[Decision] = []
    for entry in log:
        if entry.rule != "chrome" or entry.action not in ("remove-line", "keep"):
            continue
        text = text_of((entry.removed if entry.action == "remove-line" else entry.text).rstrip("\n"))
        if not text.strip() or len(text) > LINE_MAX:
            continue
        likeness = prose_likeness(text, chrome_reason=entry.note if entry.action == "remove-line" else "")
        margin = 0.5 - likeness if entry.action == "remove-line" else likeness - 0.5
        if margin < REVIEW_MARGIN:
            decision = "removed" if entry.action == "remove-line" else "kept"
            uncertain.append(Decision(entry.line, text.strip(), decision, entry.note, round(margin, 2)))
    uncertain.sort(key=lambda d: (d.margin, d.line))
    return tuple(uncertain[:limit]), max(0, len(uncertain) - limit)


def report(log: Iterable[LogEntry]) -> Report:
    """The warnings and the review list of one cleaning log."""
    entries = list(log)
    listed, more = warnings(entries)
    decided, more_decided = review(entries)
    return Report(listed, more, decided, more_decided)


def _quote(text: str, width: int = 60) -> str:
    text = text.strip()
    return f"「{text if len(text) <= width else text[:width - 1] + '…'}」"
