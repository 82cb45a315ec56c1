"""What a stage may reuse from the last build in this process: the glossary's side of it.

A long-lived process (``bitext serve``) builds again and again, and a one-term glossary
edit changes the results of the few articles that hold the term, not of the others. The
translation, post-editing and checking stages keep each article's last result and reuse
it when everything it was made from compares equal. Their own inputs (the article, the
store's text, the engine, the memory) they compare themselves; this module answers for
the glossary: :func:`term_changes` says which entries changed between two glossaries,
as the source forms that may now match differently, and :meth:`TermChanges.touches`
whether a Chinese text (folded as the matcher folds it, :func:`folded`) holds one.

Why a text that holds none of those forms matches exactly as before: the matcher finds
a term only where one of its folded source forms is a substring of the folded text, so
an entry none of whose forms occur there can neither match nor hide another (leftmost-
longest), provided the text folds the same (the Traditional → Simplified table is made
from all the entries: a character it folds otherwise now counts as a changed form, with
what it folded to before and folds to now) and the entries that stay keep their order (the
first of two entries with one form wins, and :meth:`Glossary.lookup` takes the first too).
Only what the stages read of an entry counts (:func:`_read`): its line, note and kind
never reach a sentence, so adding a row above another does not touch every article.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generic, Iterable, TypeVar

from translate import markup
from translate.glossary.matcher import source_forms
from translate.models import Term


#: Whether this process builds again and again (``bitext serve`` says so, :func:`keep_pieces`): the stages then keep
#: the pieces a result is made of (sentences, rows, store entries) for the next build, besides each article's.
_KEEP_PIECES = [False]


def keep_pieces(on: bool = True) -> None:
    """Say that this process builds again and again (``bitext serve``); a one-off build keeps no pieces (they cost
    time and memory that only a next build in the same process would win back)."""
    _KEEP_PIECES[0] = on


def keeping_pieces() -> bool:
    """True in a process that builds again and again (:func:`keep_pieces`)."""
    return _KEEP_PIECES[0]


def same(a, b) -> bool:
    """``a == b``, asking the objects only when they are not the same one (a kept result's inputs against this
    build's: most are the very objects of the last build)."""
    return a is b or a == b


def same_each(kept: tuple, inputs: tuple) -> bool:
    """Whether a kept result's inputs are this build's, one by one (:func:`same`), and as many."""
    return len(kept) == len(inputs) and all(map(same, kept, inputs))


#: How long ago (ns) a file must have last changed for its (inode, mtime, size) to vouch for its bytes: a file
#: systems' clock ticks coarsely (a few ms; FAT two seconds), so two writes of one size within a tick look alike.
SETTLED_NS = 2_000_000_000

T = TypeVar("T")


class FileMemo(Generic[T]):
    """A value made from each file's bytes (its text, its digest), kept while the file's (inode, mtime, size) stay.

    For a process that builds again and again (:func:`keeping_pieces`; otherwise nothing is kept): a file
    whose state is the one it had when it was read is not read again. The state is taken before the read
    (a write meanwhile changes it), and only a file settled then (changed :data:`SETTLED_NS` before) is
    vouched for: one read within a clock tick of its last write is read again next time.
    """

    def __init__(self, limit: int = 8192):
        self._kept: dict[Path, tuple[tuple[int, int, int], T]] = {}
        self._limit = limit

    def state(self, path: Path) -> tuple[int, int, int] | None:
        """The file's state to pass to :meth:`keep` (taken before reading it); None when it is not there."""
        from translate.outputs import file_state

        return file_state(path)

    def get(self, path: Path) -> T | None:
        """The value kept for ``path`` when the file is as it was when that value was made; else None."""
        kept = self._kept.get(path)
        if kept is None:
            return None
        if self.state(path) != kept[0]:
            del self._kept[path]
            return None
        return kept[1]

    def keep(self, path: Path, state: tuple[int, int, int] | None, value: T) -> T:
        """Keep ``value``, made from the bytes of ``path`` read after its :meth:`state` was ``state``; returns it."""
        if keeping_pieces() and state is not None and time.time_ns() - state[1] > SETTLED_NS:
            if len(self._kept) >= self._limit and path not in self._kept:
                del self._kept[next(iter(self._kept))]
            self._kept[path] = (state, value)
        return value


def _read(term: Term) -> tuple:
    """What the translation, post-editing and checking stages read of an entry: matching, honour rule, memory key."""
    return (term.zh, term.en, term.variants, term.keep, term.case, term.alternates, term.pos)


@dataclass(frozen=True, slots=True)
class TermChanges:
    """The source forms of the entries changed between two glossaries, folded; ``None``: anything may have changed."""

    forms: tuple[str, ...] | None

    def touches(self, folded_text: str | None) -> bool:
        """True when a text (:func:`folded`; None: unknown) may match the new glossary otherwise than the old."""
        if self.forms is None or folded_text is None:
            return True
        return any(form in folded_text for form in self.forms)


NOTHING = TermChanges(())
EVERYTHING = TermChanges(None)

#: The last comparison made: (old, new) → its answer (each stage asks the same question once per build).
_LAST: list = [None, None, EVERYTHING]


def term_changes(old, new) -> TermChanges:
    """What changed between the glossary ``old`` (None: none known) and ``new``, for matching and the honour rule."""
    if old is None or new is None:
        return EVERYTHING
    if old is new:
        return NOTHING
    if _LAST[0] is old and _LAST[1] is new:
        return _LAST[2]
    answer = _compare(old, new)
    _LAST[:] = [old, new, answer]
    return answer


def _compare(old, new) -> TermChanges:
    old_fold, new_fold = _folding(old), _folding(new)
    if old_fold is None or new_fold is None:
        return EVERYTHING
    # A Traditional character folded otherwise now: a text where it, or what it folded to before or does now,
    # stands may fold or match otherwise; any other folds as before, and every form is found in it as before.
    before_table, after_table = old_fold[0], new_fold[0]
    refolded = {chr(value) if isinstance(value, int) else value
                for code in set(before_table) | set(after_table) if before_table.get(code) != after_table.get(code)
                for value in (code, before_table.get(code), after_table.get(code)) if value is not None}
    old_terms, new_terms = tuple(old.terms), tuple(new.terms)
    old_read, new_read = [_read(t) for t in old_terms], [_read(t) for t in new_terms]
    if old_read == new_read and not refolded:
        return NOTHING
    before, after = Counter(old_read), Counter(new_read)
    changed = set((before - after) + (after - before))
    kept = before & after
    if [r for r in old_read if r in kept] != [r for r in new_read if r in kept]:
        return EVERYTHING  # entries that stay were reordered: which of two with one form wins may change
    forms = {fold(form) for terms, fold in ((old_terms, old_fold[1]), (new_terms, new_fold[1]))
             for term in terms if _read(term) in changed for form in source_forms(term)}
    forms |= refolded
    forms.discard("")
    return TermChanges(tuple(sorted(forms)))


def _folding(glossary) -> tuple[dict, Callable[[str], str]] | None:
    """(the Traditional → Simplified table, the fold) of a glossary's matcher; None when it has none to compare."""
    matcher = getattr(glossary, "_matcher", None)
    table = getattr(matcher, "_script_table", None)
    if matcher is None or table is None:
        return None
    return table, matcher.fold


def folded(glossary, texts: Iterable[str]) -> str | None:
    """The Chinese ``texts`` (raw and as plain text) folded as ``glossary``'s matcher folds them, on one string.

    None when the glossary has no matcher to fold with (then :meth:`TermChanges.touches` says yes).
    """
    found = _folding(glossary)
    if found is None:
        return None
    fold = found[1]
    parts = []
    for text in texts:
        if text:
            plain = markup.plain_text(text)
            parts.append(fold(text))
            if plain != text:
                parts.append(fold(plain))
    return "\n".join(parts)
