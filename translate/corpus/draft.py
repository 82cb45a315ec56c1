"""The text being cleaned, with the provenance of every character and the log of every edit.

A rule never rewrites ``Draft.text`` directly: it proposes :class:`Edit` s and
:meth:`Draft.apply` performs them, remembering for each character of the new
text which line of the source it came from, and logging what was removed and
what was inserted. That log is what lets a person audit the cleaner, and what
the conservation test checks: source = kept + removed − inserted, character by
character.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Edit:
    """A proposed change: replace ``text[start:end]`` with ``insert``."""

    start: int
    """Offset of the first character replaced."""
    end: int
    """Offset after the last character replaced (``== start`` for a pure insertion)."""
    insert: str = ""
    """Replacement text."""
    action: str = "remove"
    """What kind of change: remove, strip, repair, flag, move, join, mark, normalize…"""
    note: str = ""
    """Why, in a few words, for the log."""


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One performed change, as written to ``corpus/<slug>.log``."""

    rule: str
    """Name of the rule that made the change."""
    line: int
    """Line of the source file the change happened on."""
    action: str
    """Kind of change (see :class:`Edit`)."""
    removed: str
    """Characters taken out of the text."""
    inserted: str
    """Characters put in (markup, full-width punctuation, a repaired span…)."""
    note: str = ""
    """Why."""


@dataclass
class Draft:
    """An article half-way through cleaning."""

    text: str
    """Current text (Markdown body under construction)."""
    origin: array
    """Source line of every character of ``text`` (same length); an ``array('I')``, which the
    edits copy without touching each element (a list of 10 million ints costs a reference count each)."""
    filename: str
    """Name of the source file, for messages and the front matter."""
    meta: dict = field(default_factory=dict)
    """Front matter gathered so far (title, authors, …)."""
    log: list[LogEntry] = field(default_factory=list)
    """Every change made so far, in order."""
    facts: dict = field(default_factory=dict)
    """What rules learnt about the source for later rules (encoding, Markdown or plain text…)."""

    @classmethod
    def from_text(cls, text: str, filename: str) -> "Draft":
        """A draft of a freshly decoded source: each character knows its line."""
        origin = array("I")
        for line, piece in enumerate(text.split("\n"), 1):  # a line's characters and its newline
            origin.extend(array("I", [line]) * (len(piece) + 1))
        del origin[len(text):]
        return cls(text=text, origin=origin, filename=filename)

    def line_at(self, offset: int) -> int:
        """Source line of the character at ``offset`` (or of the one before it at the end)."""
        if not self.origin:
            return 1
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]

    def apply(self, rule: str, edits: Iterable[Edit]) -> int:
        """Perform non-overlapping ``edits`` and log them; return how many were made."""
        ordered = sorted((e for e in edits if e.end > e.start or e.insert), key=lambda e: (e.start, e.end))
        if not ordered:
            return 0
        pieces: list[str] = []
        origin = array("I")
        cursor = 0
        for edit in ordered:
            if edit.start < cursor or edit.end > len(self.text) or edit.start > edit.end:
                raise ValueError(f"rule {rule} proposed overlapping or invalid edits at {edit.start}")
            pieces.append(self.text[cursor:edit.start])
            origin.extend(self.origin[cursor:edit.start])
            line = self.line_at(edit.start if edit.end > edit.start else edit.start - 1)
            pieces.append(edit.insert)
            origin.extend(array("I", [line]) * len(edit.insert))
            self.log.append(
                LogEntry(rule, line, edit.action, self.text[edit.start:edit.end], edit.insert, edit.note)
            )
            cursor = edit.end
        pieces.append(self.text[cursor:])
        origin.extend(self.origin[cursor:])
        self.text = "".join(pieces)
        self.origin = origin
        return len(ordered)

    def lines(self) -> list[tuple[int, int, str]]:
        """The current text as (start offset, end offset, line text) without newlines."""
        result = []
        start = 0
        for piece in self.text.split("\n"):
            result.append((start, start + len(piece), piece))
            start += len(piece) + 1
        return result
