"""The text being cleaned, with the provenance of every character and the log of every edit.

A rule never rewrites ``Draft.text`` directly: it proposes :class:`Edit` s and
:meth:`Draft.apply` performs them, remembering for each character of the new
text which line of the source it came from, and logging what was removed and
what was inserted. That log is what lets a person audit the cleaner, and what
the conservation test checks: source = kept + removed − inserted, character by
character.

A rule that finds document structure (a table, a footnote, a nested list, code:
:mod:`translate.corpus.structure`) *holds* those characters: each held character
belongs to a region that names the rules allowed to edit it, and some are *locked*
(a table's pipes, a list's indentation, code), which no rule may change. :meth:`Draft.apply`
enforces both for every rule, so no rule has to know about the constructs; an edit
it refuses is left out, whole, and logged as kept.
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
    text: str = ""
    """The line a ``keep`` decision was about (it stays in the article, so the log has it nowhere else); empty
    otherwise. ``bitext corpus check`` lists close calls with it."""


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
    region: array | None = None
    """Held region of every character of ``text`` (0: free), once something is held; see :meth:`hold`."""
    locked: bytearray | None = None
    """1 for every character no rule may change (a table's pipes, code), once something is held."""
    allowed: dict = field(default_factory=dict)
    """Region number → names of the rules that may edit its characters (its unlocked ones)."""
    _refusals: set = field(default_factory=set, repr=False)

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

    def hold(self, start: int, end: int, rules: frozenset[str], locked: Iterable[tuple[int, int]] = ()) -> int:
        """Hold ``text[start:end]`` as one region that only ``rules`` may edit; lock the ``locked`` spans in it."""
        if self.region is None:
            self.region = array("I", bytes(4 * len(self.text)))
            self.locked = bytearray(len(self.text))
        number = len(self.allowed) + 1
        self.allowed[number] = frozenset(rules)
        self.region[start:end] = array("I", [number]) * (end - start)
        self.lock(locked)
        return number

    def lock(self, spans: Iterable[tuple[int, int]]) -> None:
        """Lock ``text[a:b]`` for each span: no rule may change those characters."""
        if self.region is None:
            self.region = array("I", bytes(4 * len(self.text)))
            self.locked = bytearray(len(self.text))
        for a, b in spans:
            self.locked[a:b] = b"\x01" * (b - a)

    def held(self, offset: int, rule: str) -> bool:
        """True when the character at ``offset`` is in a region ``rule`` may not edit (or is locked)."""
        if self.region is None or not 0 <= offset < len(self.text):
            return False
        region = self.region[offset]
        return bool(self.locked[offset]) or (region != 0 and rule not in self.allowed[region])

    def _refused(self, rule: str, edit: Edit) -> bool:
        """Does ``edit`` change a held character, join a line into or out of a region, or split one?"""
        start, end = edit.start, edit.end
        if self.locked.find(1, start, end) >= 0:
            return True
        region = self.region
        if any(region[i] and rule not in self.allowed[region[i]] for i in range(start, end)):
            return True
        if start == end:  # an insertion inside a region the rule may not edit
            return 0 < start < len(self.text) and region[start - 1] == region[start] and self.held(start, rule)
        if "\n" in self.text[start:end]:
            whole_lines = (start == 0 or self.text[start - 1] == "\n") and self.text[end - 1] == "\n"
            return not whole_lines and (self.held(start - 1, rule) or self.held(end, rule))
        return False

    def apply(self, rule: str, edits: Iterable[Edit]) -> int:
        """Perform non-overlapping ``edits`` and log them; return how many were made.

        Edits that held characters refuse (see :meth:`hold`) are left out and logged as kept.
        """
        ordered = sorted((e for e in edits if e.end > e.start or e.insert), key=lambda e: (e.start, e.end))
        if ordered and self.region is not None:
            kept = []
            for edit in ordered:
                if self._refused(rule, edit):
                    entry = LogEntry(rule, self.line_at(edit.start), "keep", "", "",
                                     f"not done inside a document construct: {edit.note or edit.action}")
                    if entry not in self._refusals:  # a rule that runs to a fixed point proposes it again
                        self._refusals.add(entry)
                        self.log.append(entry)
                else:
                    kept.append(edit)
            ordered = kept
        if not ordered:
            return 0
        pieces: list[str] = []
        origin = array("I")
        holding = self.region is not None
        region, locked = array("I"), bytearray()
        cursor = 0
        for edit in ordered:
            if edit.start < cursor or edit.end > len(self.text) or edit.start > edit.end:
                raise ValueError(f"rule {rule} proposed overlapping or invalid edits at {edit.start}")
            pieces.append(self.text[cursor:edit.start])
            origin.extend(self.origin[cursor:edit.start])
            line = self.line_at(edit.start if edit.end > edit.start else edit.start - 1)
            pieces.append(edit.insert)
            origin.extend(array("I", [line]) * len(edit.insert))
            if holding:  # a replacement stays in the region of what it replaces; an insertion is free
                region.extend(self.region[cursor:edit.start])
                locked.extend(self.locked[cursor:edit.start])
                inherited = self.region[edit.start] if edit.end > edit.start else 0
                region.extend(array("I", [inherited]) * len(edit.insert))
                locked.extend(bytes(len(edit.insert)))
            self.log.append(
                LogEntry(rule, line, edit.action, self.text[edit.start:edit.end], edit.insert, edit.note)
            )
            cursor = edit.end
        pieces.append(self.text[cursor:])
        origin.extend(self.origin[cursor:])
        self.text = "".join(pieces)
        self.origin = origin
        if holding:
            region.extend(self.region[cursor:])
            locked.extend(self.locked[cursor:])
            self.region, self.locked = region, locked
        return len(ordered)

    def lines(self) -> list[tuple[int, int, str]]:
        """The current text as (start offset, end offset, line text) without newlines."""
        result = []
        start = 0
        for piece in self.text.split("\n"):
            result.append((start, start + len(piece), piece))
            start += len(piece) + 1
        return result
