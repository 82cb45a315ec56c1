"""One segment's English changed in place: what ``bitext serve``'s editor saves, and its undo.

A save is validated the way ``bitext postedit import`` validates a unit, and
written the way every writer of a store writes: under the build folder's lock
(no build fingerprints a store that changes under it) and the corpus folder's
write lock, the store re-read under the lock, one entry changed, the whole
store rendered by :func:`~translate.postedit.store.render_store` and written
atomically.

Refused before anything is written: an article without a store, an unknown
segment id, a Chinese sentence that changed since the editor opened the
segment, English that is empty, too long, holds control characters, or whose
inline Markdown (bold, links) does not match the Chinese. A **conflict** — the
store's English is no longer the version the editor started from (another
tab, a CAT-tool import, a hand edit) — is an :class:`EditConflictError`
carrying both texts, so neither is lost. The glossary proof
(:func:`~translate.postedit.proof.proof_edit`) does not refuse a save: a
translator's slip is a violation like a machine's, reported with the result.

Why not :func:`translate.postedit.merge.import_files` with a one-unit file: an
import first translates the whole corpus to know every segment (seconds), and
an editor saves one sentence at a time. A save needs only the store, which the
last build synced; it shares the import's rules (:func:`~translate.postedit.exchange.normalise`,
:func:`~translate.postedit.exchange.control_character`,
:func:`~translate.markup.markup_problems`) and its version stamp
(:func:`~translate.postedit.exchange.entry_key`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from translate.errors import PostEditError
from translate.glossary.honour import GlossaryLike
from translate.inputs import quoted
from translate.markup import markup_problems
from translate.outputs import build_lock, file_lock, write_atomic
from translate.postedit.exchange import control_character, entry_key, normalise
from translate.postedit.proof import Problem, proof_edit
from translate.postedit.store import (ALIGNED_FLAG, TERM_PREFIX, Edit, StoreSegment, draft_comment, load_po,
                                      parse_aligned, place_edits, po_edits, render_store, store_path)

#: Longest English a segment may take (characters): a sentence is far shorter; a paste of a page is not one.
MAX_SEGMENT_CHARS = 5000
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class EditConflictError(PostEditError):
    """The segment changed since the editor opened it; nothing was written and both texts are kept."""

    def __init__(self, message: str, *, path: Path, kind: str, current: str, yours: str, version: str,
                 zh: str = ""):
        super().__init__(message, path=path)
        self.kind = kind
        """``english`` (the store's English changed) or ``chinese`` (the source sentence changed)."""
        self.current = current
        """The store's English now (empty when the segment has no edit)."""
        self.yours = yours
        """The English the editor tried to save."""
        self.version = version
        """The store entry's version now: saving again with it overwrites the current English."""
        self.zh = zh
        """The store's Chinese now."""


@dataclass(frozen=True, slots=True)
class SavedEdit:
    """What a save or an undo wrote."""

    path: Path
    """The PO store."""
    slug: str
    """Article slug."""
    before: Edit
    """The entry as it was (what an undo puts back)."""
    after: Edit
    """The entry as written."""
    problems: tuple[Problem, ...]
    """The proof of the new English: glossary terms not honoured, Chinese left over, quotes."""
    written: bool
    """False when the store already held exactly this."""

    @property
    def version(self) -> str:
        """The entry's version now (:func:`~translate.postedit.exchange.entry_key`)."""
        return entry_key(self.after)


def check_english(zh: str, en: str) -> str:
    """The English normalised as an import stores it, or :class:`PostEditError` saying why it cannot be saved."""
    control = control_character(en)
    if control:
        raise PostEditError(f"the English holds a control character ({control}); remove it")
    en = normalise(en)
    if not en:
        raise PostEditError("the English is empty; write the sentence (Esc cancels, Undo restores a saved one)")
    if len(en) > MAX_SEGMENT_CHARS:
        raise PostEditError(f"the English is longer than {MAX_SEGMENT_CHARS:,} characters; one segment is one "
                            "sentence")
    problems = markup_problems(zh, en)
    if problems:
        raise PostEditError(f"{problems[0]}; make the English's markup match the Chinese")
    return en


def check_ids(slug: str, segment: str) -> None:
    """:class:`PostEditError` unless ``slug`` and ``segment`` look like an article slug and a segment id."""
    if not _SLUG.match(slug) or ".." in slug:
        raise PostEditError(f"{quoted(slug)} is not an article slug")
    if not _SEGMENT.match(segment):
        raise PostEditError(f"{quoted(segment)} is not a segment id")


def read_entry(corpus_dir: Path, slug: str, segment: str) -> Edit:
    """The store's entry of one segment (read-only); :class:`PostEditError` when there is none."""
    check_ids(slug, segment)
    path = store_path(corpus_dir, slug)
    if not path.is_file():
        raise PostEditError(f"no post-editing store for article {slug!r}; build the edition first", path=path)
    _, po = load_po(path)
    return _find(po_edits(po, path), segment, path)


def save_segment(build_dir: Path, corpus_dir: Path, slug: str, segment: str, *, zh: str, en: str, base: str,
                 glossary: GlossaryLike) -> SavedEdit:
    """Put a translator's English on one segment of ``corpus/<slug>.en.po`` (see the module docstring).

    ``zh`` is the Chinese the editor showed and ``base`` the version of the entry it
    started from (:func:`~translate.postedit.exchange.entry_key`, the stamp an export
    carries too). The entry becomes edited (not fuzzy; a stale edit is reviewed by
    saving it), keeping its translator comment and flags; an aligned English saved,
    changed or not, is confirmed: its ``aligned`` flag and comment go.
    """
    check_ids(slug, segment)
    english = check_english(zh, en)

    def change(entry: Edit) -> Edit:
        return replace(entry, en=english, fuzzy=False, previous_zh="",
                       flags=tuple(f for f in entry.flags if f != ALIGNED_FLAG), aligned_note="")

    return _rewrite(build_dir, corpus_dir, slug, segment, zh=zh, base=base, yours=english, change=change,
                    glossary=glossary)


def restore_entry(build_dir: Path, corpus_dir: Path, slug: str, entry: Edit, *, base: str,
                  glossary: GlossaryLike) -> SavedEdit:
    """Put an entry back as it was before a save (undo), unless the segment changed since (a conflict)."""
    check_ids(slug, entry.id)

    def change(current: Edit) -> Edit:
        return replace(current, en=entry.en, fuzzy=entry.fuzzy, previous_zh=entry.previous_zh, flags=entry.flags,
                       aligned_note=entry.aligned_note)

    return _rewrite(build_dir, corpus_dir, slug, entry.id, zh=entry.zh, base=base, yours=entry.en, change=change,
                    glossary=glossary)


def _rewrite(build_dir: Path, corpus_dir: Path, slug: str, segment: str, *, zh: str, base: str, yours: str,
             change: Callable[[Edit], Edit], glossary: GlossaryLike) -> SavedEdit:
    path = store_path(corpus_dir, slug)
    with build_lock(build_dir, wait=True), file_lock(path):
        if not path.is_file():
            raise PostEditError(f"no post-editing store for article {slug!r}; build the edition first", path=path)
        old, po = load_po(path)
        edits = po_edits(po, path)
        entry = _find(edits, segment, path)
        if entry.zh != zh:
            raise EditConflictError(
                f"the Chinese of {segment} changed since the page was built; reload the page and edit it again",
                path=path, kind="chinese", current=entry.en, yours=yours, version=entry_key(entry), zh=entry.zh)
        if entry_key(entry) != base:
            raise EditConflictError(
                f"{segment} was changed elsewhere since you opened it; keep one of the two texts",
                path=path, kind="english", current=entry.en, yours=yours, version=entry_key(entry), zh=entry.zh)
        after = change(entry)
        segments, notes = written_segments(po)
        placed, leftover = place_edits(segments, edits)
        placed[segment] = replace(placed[segment], edit=after)
        text = render_store(slug, segments, placed, leftover, dict(po.metadata), notes)
        written = text != old
        if written:
            write_atomic(path, text)
    problems = tuple(proof_edit(after, glossary, slug))
    return SavedEdit(path, slug, entry, after, problems, written)


def _find(edits: tuple[Edit, ...], segment: str, path: Path) -> Edit:
    for edit in edits:
        if edit.id == segment and not edit.obsolete:
            return edit
    raise PostEditError(f"no segment {quoted(segment)} in this store; reload the page (the article may have changed)",
                        path=path)


def written_segments(po) -> tuple[list[StoreSegment], dict[str, list[str]]]:
    """The store's own segments (id, Chinese, glossary lines, machine draft) and any other extracted comments.

    A save changes one entry: every other one is written back as the last sync
    left it, so the segments come from the store itself rather than from a new
    translation.
    """
    segments: list[StoreSegment] = []
    notes: dict[str, list[str]] = {}
    for entry in po:
        if entry.obsolete:
            continue
        terms, draft, other, origin = [], "", [], "mt"
        for line in (entry.comment or "").splitlines():
            if line.startswith(TERM_PREFIX):
                terms.append(line[len(TERM_PREFIX):])
            elif draft_comment(line) and not draft:
                origin, draft = draft_comment(line)
            elif parse_aligned(line):
                continue  # the entry's own (Edit.aligned_note), written back with it
            elif line.strip():
                other.append(line)
        segments.append(StoreSegment(entry.msgctxt, entry.msgid, draft, tuple(terms), origin))
        if other:
            notes[entry.msgctxt] = other
    return segments, notes
