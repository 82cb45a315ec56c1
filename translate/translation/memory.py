"""The translation memory: an SQLite file of sentences already translated.

A sentence's key is the SHA-256 of the engine, its model and options, the source
sentence, and the glossary entries that apply to it. So a second build asks the
engine nothing, and editing one glossary entry re-translates exactly the
sentences that contain it. Writes are committed per batch (WAL mode): a build
killed half-way keeps everything it translated.

A failure says what happened (:func:`memory_error`): a full disk is a full
disk, and only a memory that SQLite finds damaged is ever worth deleting.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from translate.errors import OutputError
from translate.models import Term
from translate.outputs import explain_os_error

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    en TEXT NOT NULL,
    raw TEXT NOT NULL,
    rung INTEGER NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now'))
);
"""


@dataclass(frozen=True, slots=True)
class Remembered:
    """One translation held in the memory."""

    en: str
    """The English after the glossary and inline layers."""
    raw: str
    """What the engine itself produced (before rungs 2 and 3)."""
    rung: int
    """The glossary-ladder rung that settled it."""
    model: str = ""
    """The model that answered, when the engine knows it (an LLM server names it); empty: the configured one."""
    failed: str = ""
    """Why this English may not be kept (never stored: :meth:`TranslationMemory.put_many` refuses it)."""


def memory_key(engine: str, model: str, options: str, source: str, terms: Iterable[Term]) -> str:
    """The key of one sentence: engine, model, options, source and the entries matching it."""
    entries = sorted({(t.zh, t.en, t.keep, t.case) for t in terms})
    payload = json.dumps([SCHEMA_VERSION, engine, model, options, source, entries], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def memory_error(exc: sqlite3.Error | OSError, path: Path | None) -> OutputError:
    """The one-line error for a failure of the translation memory at ``path``.

    Only a memory SQLite reports as damaged is said to be worth deleting; a full
    disk, a read-only folder or a failing disk leave a healthy memory alone.
    """
    if isinstance(exc, OSError):
        return OutputError(explain_os_error(exc), path=path)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return OutputError("disk full; free some space and build again (the translation memory is intact and "
                           "keeps what was translated so far)", path=path)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return OutputError(f"the translation memory is damaged ({exc}); delete it (the next build makes a new one) "
                           "or build with --no-cache", path=path)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM) or "readonly" in text \
            or "unable to open" in text:
        return OutputError(f"cannot write the translation memory ({exc}); make the build folder writable, "
                           "or build with --no-cache", path=path)
    if code == sqlite3.SQLITE_IOERR or "disk i/o" in text:
        return OutputError(f"cannot write the translation memory ({exc}): the disk may be full or failing; "
                           "check it and build again", path=path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return OutputError(f"the translation memory is in use by another process ({exc}); build again when it is "
                           "done", path=path)
    return OutputError(f"the translation memory failed ({exc}); build again, or build with --no-cache", path=path)


class TranslationMemory:
    """Read and write remembered translations; use as a context manager."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise memory_error(exc, self.path) from exc

    def get_many(self, keys: Sequence[str]) -> dict[str, Remembered]:
        """The remembered translations among ``keys``."""
        found: dict[str, Remembered] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, en, raw, rung, model FROM translations WHERE key IN ({marks})",
                                    chunk)
            for key, en, raw, rung, model in rows:
                found[key] = Remembered(en, raw, rung, model)
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str, Remembered]]) -> None:
        """Store ``(key, engine, model, source, remembered)`` rows and commit them at once.

        ``model`` is the configured model; the row keeps the one that answered when the engine
        knows it. A failed result (``remembered.failed``) is a programming error here: nothing
        that failed the format or the checks is ever remembered as a translation.
        """
        rows = list(rows)
        if any(r.failed for *_, r in rows):
            raise ValueError("a failed result cannot be remembered")
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (key, engine, model, source, en, raw, rung) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(key, engine, r.model or model, source, r.en, r.raw, r.rung) for key, engine, model, source, r in rows],
            )

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class MemoryLayer:
    """The translation memory as a layer (argos-translate's ``CachedTranslation``): it wraps any layer.

    ``translate(sources)`` answers what the memory holds, sends the rest to the wrapped
    layer longest first in chunks, and commits each chunk as it comes back, so a build
    killed half-way keeps everything translated so far. ``hits`` are the sources the
    memory answered in the last call. Without a memory (``--no-cache``) it only passes through.
    """

    def __init__(self, underlying, memory: "TranslationMemory | None", keys: dict[str, str], *, engine: str,
                 model: str, chunk: int = 256, on_chunk=None, overlap: bool = False, farm=None):
        self.underlying = underlying
        self.memory = memory
        self.keys = keys
        self.engine = engine
        self.model = model
        self.chunk = chunk
        self.on_chunk = on_chunk
        self.overlap = overlap
        """Two chunks in flight at once, each in a thread (engines that declare :attr:`~translate.engines.Capability.OVERLAP`)."""
        self.farm = farm
        """Instead of the wrapped layer here: ``farm(chunks)`` yields each chunk's results, in order, translated
        elsewhere by the same layers (a cluster's workers, :mod:`translate.cluster`); committed here as they come."""
        self.hits: set[str] = set()

    def remembered(self, sources: Sequence[str]) -> dict[str, Remembered]:
        """What the memory already holds of ``sources``."""
        if self.memory is None:
            return {}
        found = self.memory.get_many([self.keys[s] for s in sources])
        return {s: found[self.keys[s]] for s in sources if self.keys[s] in found}

    def translate(self, sources: Sequence[str], known: dict[str, Remembered] | None = None) -> list[Remembered]:
        """The translation of every source, from the memory (or ``known``, looked up before) or the wrapped layer."""
        known = dict(self.remembered(sources) if known is None else known)
        self.hits = set(known)
        missing = sorted((s for s in dict.fromkeys(sources) if s not in known), key=len, reverse=True)
        chunks = [missing[start:start + self.chunk] for start in range(0, len(missing), self.chunk)]
        for chunk, results in zip(chunks, self._translated(chunks)):
            rows = []
            for source, result in zip(chunk, results):
                known[source] = Remembered(result.en, result.raw, result.rung)
                rows.append((self.keys[source], self.engine, self.model, source, known[source]))
            if self.memory is not None:
                self.memory.put_many(rows)
            if self.on_chunk is not None:
                self.on_chunk(len(chunk))
        return [known[s] for s in sources]

    def _translated(self, chunks: list[list[str]]):
        """Each chunk's results, in order; with ``overlap``, the next chunk is translated while one is committed."""
        if self.farm is not None and chunks:
            yield from self.farm(chunks)
            return
        if not self.overlap or len(chunks) < 2:
            for chunk in chunks:
                yield self.underlying.translate(chunk)
            return
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="bitext-translate") as pool:
            futures = [pool.submit(self.underlying.translate, chunk) for chunk in chunks]
            try:
                for future in futures:
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()
