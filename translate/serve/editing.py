"""The edit API behind the page's editor: a segment as the editor opens it, the proof of a draft, save, undo.

Framework-free: :mod:`.app` turns requests into these calls and their results
(plain dicts) into JSON. Saves go through :mod:`translate.postedit.segmentsave`
(the validation and the atomic, locked write of an import); the proof is
:func:`~translate.postedit.proof.proof_edit` and the glossary's honour rule
(:func:`~translate.glossary.honour.proof_terms`), asked of the server
on every pause in typing, so no copy of the rule runs in the browser.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from translate.errors import BitextError, PostEditError
from translate.postedit.segmentsave import (MAX_SEGMENT_CHARS, EditConflictError, SavedEdit, check_english, check_ids,
                                      read_entry, restore_entry, save_segment)
from translate.postedit.exchange import entry_key, normalise
from translate.postedit.proof import proof_edit
from translate.postedit.store import Edit
from translate.serve.rebuild import Rebuilder

#: Saves remembered for undo, per run of the server.
UNDO_DEPTH = 200


@dataclass(frozen=True, slots=True)
class UndoRecord:
    """A save that can be undone: the entry before it, and the version it wrote."""

    slug: str
    """Article slug."""
    before: Edit
    """The entry as it was."""
    version: str
    """The entry's version after the save (the undo's conflict check)."""


class EditDesk:
    """The edit API of one project; thread-safe (requests run in worker threads)."""

    def __init__(self, rebuilder: Rebuilder):
        self.rebuilder = rebuilder
        self._undo: OrderedDict[str, UndoRecord] = OrderedDict()
        self._lock = threading.Lock()
        self._glossary_key: tuple | None = None
        self._glossary = None
        self._translations: dict[str, tuple[tuple, dict]] = {}

    # --- reading -----------------------------------------------------------------------------------------------

    def segment(self, slug: str, segment: str) -> dict[str, Any]:
        """Everything the editor shows for one segment: Chinese, the English to edit, version, proof."""
        check_ids(slug, segment)
        settings = self.rebuilder.settings
        entry = read_entry(settings.corpus_dir, slug, segment)
        built = self._built_segment(settings.build_dir, slug, segment)
        translator = entry.en if entry.en.strip() and not entry.obsolete else ""
        english = translator or built.get("en", "")
        alignment = aligned_state(entry, built)
        origin = "aligned" if alignment is not None else built.get("origin", "edited" if entry.edited else "")
        if alignment is None and origin == "aligned":  # saved since the last build: the store's word stands
            origin = "edited" if entry.edited else ""
        return {
            "slug": slug,
            "segment": segment,
            "zh": entry.zh,
            "en": english,
            "origin": origin,
            "stale": entry.stale,
            "previous_zh": entry.previous_zh,
            "edited": entry.edited and alignment is None,  # aligned English is not yet a translator's
            **(alignment or {}),
            "version": entry_key(entry),
            "max_chars": MAX_SEGMENT_CHARS,
            **self.proof(slug, segment, english, entry=entry),
        }

    def proof(self, slug: str, segment: str, en: str, *, entry: Edit | None = None) -> dict[str, Any]:
        """The proof of a draft: each glossary term with honoured or missing, the problems, whether it can be saved."""
        from translate.glossary.honour import proof_terms

        check_ids(slug, segment)
        if entry is None:
            entry = read_entry(self.rebuilder.settings.corpus_dir, slug, segment)
        blocking = ""
        try:
            check_english(entry.zh, en)
        except PostEditError as exc:
            blocking = exc.message
        try:
            glossary = self._load_glossary()
        except BitextError as exc:
            return {"terms": [], "problems": [], "blocking": blocking,
                    "glossary_error": str(exc).splitlines()[0]}
        draft = replace(entry, en=normalise(en))
        terms, _ = proof_terms(slug, segment.split(".")[0], segment, entry.zh, draft.en, glossary)
        problems = [{"kind": p.kind, "detail": p.detail} for p in proof_edit(draft, glossary, slug)]
        return {"terms": [{"zh": t.zh, "en": t.en, "alternates": list(t.alternates), "honoured": t.honoured}
                          for t in terms],
                "problems": problems, "blocking": blocking, "glossary_error": ""}

    # --- writing -----------------------------------------------------------------------------------------------

    def save(self, slug: str, segment: str, *, zh: str, en: str, version: str) -> dict[str, Any]:
        """Save a translator's English; :class:`EditConflictError` when the segment changed since ``version``."""
        check_ids(slug, segment)
        glossary = self._glossary_for_writing()
        settings = self.rebuilder.settings
        with self.rebuilder.editing():
            saved = save_segment(settings.build_dir, settings.corpus_dir, slug, segment, zh=zh, en=en, base=version,
                                 glossary=glossary)
        return self._saved(saved, undo=self._remember(saved) if saved.written else "")

    def undo(self, undo_id: str) -> dict[str, Any]:
        """Put back the entry a save replaced; a conflict when the segment changed after that save."""
        with self._lock:
            record = self._undo.get(undo_id)
        if record is None:
            raise PostEditError("nothing to undo (the server was restarted, or this save was undone already)")
        glossary = self._glossary_for_writing()
        settings = self.rebuilder.settings
        with self.rebuilder.editing():
            saved = restore_entry(settings.build_dir, settings.corpus_dir, record.slug, record.before,
                                  base=record.version, glossary=glossary)
        with self._lock:
            self._undo.pop(undo_id, None)
        return self._saved(saved, undo="")

    def _saved(self, saved: SavedEdit, *, undo: str) -> dict[str, Any]:
        return {
            "saved": True,
            "written": saved.written,
            "slug": saved.slug,
            "segment": saved.after.id,
            "en": saved.after.en,
            "edited": saved.after.edited,
            "version": saved.version,
            "undo": undo,
            "problems": [{"kind": p.kind, "detail": p.detail} for p in saved.problems],
        }

    def _remember(self, saved: SavedEdit) -> str:
        undo_id = secrets.token_urlsafe(12)
        with self._lock:
            self._undo[undo_id] = UndoRecord(saved.slug, saved.before, saved.version)
            while len(self._undo) > UNDO_DEPTH:
                self._undo.popitem(last=False)
        return undo_id

    # --- caches ------------------------------------------------------------------------------------------------

    def _load_glossary(self):
        """The termbase as it is on disk now (re-read only when the file changed)."""
        from translate.glossary import Glossary

        path = self.rebuilder.settings.glossary_path
        try:
            stat = path.stat()
            key = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            key = None
        with self._lock:
            if key is not None and key == self._glossary_key:
                return self._glossary
        glossary = Glossary.load(path)
        with self._lock:
            self._glossary_key, self._glossary = key, glossary
        return glossary

    def _glossary_for_writing(self):
        try:
            return self._load_glossary()
        except BitextError as exc:
            raise PostEditError(f"the glossary has an error, so the English cannot be proofed: "
                                f"{str(exc).splitlines()[0]}; fix it first") from exc

    def _built_segment(self, build_dir: Path, slug: str, segment: str) -> dict:
        """The segment as the last build wrote it in ``build/translations/<slug>.json`` (empty when absent)."""
        from translate.translation.translationfiles import read_translations

        path = build_dir / "translations" / f"{slug}.json"
        try:
            stat = path.stat()
        except OSError:
            return {}
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._translations.get(slug)
        if cached is None or cached[0] != key:
            try:
                record = read_translations(path)
            except BitextError:
                return {}
            index = {}
            for block in record.get("blocks", []):
                for item in [*block.get("segments", []), block.get("speaker")]:
                    if item:
                        index[item["id"]] = item
            if record.get("title"):
                index[record["title"]["id"]] = record["title"]
            cached = (key, index)
            self._translations[slug] = cached
        return cached[1].get(segment, {})


def aligned_state(entry: Edit, built: dict) -> dict[str, Any] | None:
    """What the editor shows of aligned English (``bitext align``, not yet confirmed): its bead's confidence, the
    segment carrying a joined one's English, and whether it is one to check (under
    :data:`~translate.models.ALIGN_REVIEW_BELOW`); None when the segment's English is not aligned.

    The store's entry decides (its ``aligned`` mark); the last build's record stands in for a store that does
    not say (an older one). A confidence that is not a number between 0 and 1 is not shown.
    """
    from translate.models import ALIGN_REVIEW_BELOW

    if hasattr(entry, "aligned"):  # the store tells aligned English from a translator's (its entry's mark)
        if not entry.aligned:
            return None
        confidence, joined = entry.confidence, entry.joined
    elif built.get("origin") == "aligned":
        confidence, joined = built.get("confidence"), built.get("joined", "")
    else:
        return None
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        confidence = None
    return {"confidence": confidence, "joined": joined if isinstance(joined, str) else "",
            "review": confidence is not None and confidence < ALIGN_REVIEW_BELOW}


__all__ = ["EditConflictError", "EditDesk", "UndoRecord", "aligned_state"]
