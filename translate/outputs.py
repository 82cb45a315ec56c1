"""Writing outputs safely: atomic files and one build at a time per build folder."""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from translate.errors import BuildLockedError, OutputError


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    A reader (or a build killed half-way) never sees a half-written file.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for readers
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(_explain(exc), path=path) from exc
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _explain(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "disk full; free some space and build again (earlier outputs are untouched)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write here ({exc.strerror}); make the folder writable or set paths.build in edition.toml"
    return f"cannot write ({exc.strerror or exc})"


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed build left behind; return how many."""
    count = 0
    if folder.exists():
        for tmp in folder.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            count += 1
    return count


#: The lock file, one per folder, that every writer of a user file in that folder holds.
WRITE_LOCK = ".bitext-write.lock"


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold the write lock of the folder of ``path`` (a user file: PO store, termbase, article).

    Writers take it, re-read the file under it, then write atomically, so concurrent
    writers queue instead of losing each other's changes. The lock lives beside the
    file, not in it, because an atomic write replaces the file's inode.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.parent / WRITE_LOCK, "a+")
    except OSError as exc:
        raise OutputError(_explain(exc), path=path) from exc
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


@contextmanager
def build_lock(build_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``build_dir`` for one build.

    A second build stops with :class:`BuildLockedError` (or waits when ``wait``).
    The lock is an ``flock`` so it dies with its process: a killed build never
    leaves a stale lock behind.
    """
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        handle = open(build_dir / ".lock", "a+")
    except OSError as exc:
        raise OutputError(_explain(exc), path=build_dir) from exc
    try:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError as exc:
            raise BuildLockedError(
                "another build is running in this folder; wait for it to finish (or pass --wait)", path=build_dir
            ) from exc
        yield
    finally:
        handle.close()
