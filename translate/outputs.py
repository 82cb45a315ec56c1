"""Writing outputs safely: atomic files and one build at a time per build folder."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from translate.errors import BuildLockedError, OutputError
from translate.inputs import system_folder


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    A reader (or a build killed half-way) never sees a half-written file. When
    ``path`` is a symbolic link (a termbase or PO store shared by several
    editions), the file it points to is written, atomically, and the link kept
    (see :func:`write_target`); returns ``path``.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = write_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shared = stat.S_IMODE(target.stat().st_mode) if target != path else None
        fd, tmp = _temporary(target)
        try:
            if shared is not None:  # a shared file keeps its own permissions
                os.fchmod(fd, shared)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(explain_os_error(exc), path=path) from exc
    return path


def file_state(path: Path) -> tuple[int, int, int] | None:
    """A file's (inode, mtime in ns, size), or None when it is not there: a file this process wrote, untouched
    since, has the state it had then (a long-lived process such as ``bitext serve`` skips reading it again)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def write_if_changed(path: Path, content: str | bytes) -> Path:
    """Write ``content`` atomically unless the file already holds exactly these bytes (then it is left alone)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return path
    except OSError:
        pass
    return write_atomic(path, data)


def write_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the target of the symbolic link at ``path``.

    A link is written through (so a shared termbase or store gets the edit and
    the link stays) when it points to an existing regular file of the same kind
    (the same suffix: ``terms.csv`` to a ``.csv``, a store to a ``.po``) outside
    the system's ``/proc``, ``/sys`` and ``/dev``; any other link is refused
    (:class:`OutputError`), never silently replaced by a copy. Inside a build
    folder (:data:`BUILD_MARKER`) a link is replaced as before: a build writes
    only its own files, and a cloned build folder must not aim them elsewhere.
    """
    path = Path(path)
    if not path.is_symlink() or _in_build_folder(path):
        return path
    target = Path(os.path.realpath(path))
    why = None
    if not target.exists():
        why = "points to nothing"
    elif not target.is_file():
        why = "points to something that is not a regular file"
    elif system_folder(target):
        why = f"points into {system_folder(target)}"
    elif target.suffix.lower() != path.suffix.lower():
        why = f"points to a file of another kind ({target.name})"
    if why is not None:
        raise OutputError(f"is a symbolic link that {why}; writes go through a link only to an existing "
                          f"{path.suffix or 'regular'} file, so point the link at one or replace it by a file",
                          path=path)
    return target


def _in_build_folder(path: Path) -> bool:
    folder = path.parent.absolute()
    return any((f / BUILD_MARKER).is_file() for f in (folder, *folder.parents))


def _temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target``, open for writing: (descriptor, path).

    Made ``0666`` less the umask by the kernel itself, as any new output is (outputs are for readers):
    reading the umask would mean setting it, which races with other threads' files and folders
    (pages are written by several threads). The name is unguessable and the file created exclusively.
    """
    for _ in range(100):
        tmp = target.parent / f"{TEMPORARY_PREFIX}{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0),
                           0o666), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def explain_os_error(exc: OSError) -> str:
    """What a failed write means for the user, and what to do: a full disk, a read-only folder, …"""
    if exc.errno == errno.ENOSPC:
        return "disk full; free some space and build again (earlier outputs are untouched)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write here ({exc.strerror}); make the folder writable or set paths.build in edition.toml"
    return f"cannot write ({exc.strerror or exc})"


#: Every temporary file :func:`write_atomic` makes starts with this, so a later build can tell its own.
TEMPORARY_PREFIX = ".bitext-tmp-"

#: Older versions named a temporary ``.<name>.<random>.tmp``; one is ours only beside its ``<name>``.
_LEGACY_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{3,}\.tmp$")


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporary files a killed build left in ``folder``; return how many.

    Only files :func:`write_atomic` wrote (its prefix, or an older version's
    ``.<name>.<random>.tmp`` beside the ``<name>`` it was replacing) go, and only
    inside ``folder``: symbolic links are not followed. The caller makes sure
    ``folder`` is a build folder (:func:`claim_build_folder`).
    """
    count = 0
    for current, folders, files in os.walk(folder, followlinks=False):
        for name in files:
            legacy = _LEGACY_TEMPORARY.match(name)
            ours = name.startswith(TEMPORARY_PREFIX) and name.endswith(".tmp")
            if not ours and not (legacy and legacy.group("name") in files):
                continue
            candidate = Path(current) / name
            if candidate.is_symlink() or not candidate.is_file():
                continue
            candidate.unlink(missing_ok=True)
            count += 1
    return count


#: The file that marks a folder as a build folder: written when a build creates or first uses it.
BUILD_MARKER = ".bitext-build"
#: What a build folder of an older version (before the marker) or of ``bitext check`` alone holds.
_OLDER_BUILD = {"state.json"}
_CHECK_ONLY = {".lock", "memory.sqlite", "memory.sqlite-wal", "memory.sqlite-shm", "memory.sqlite-journal"}


def claim_build_folder(build_dir: Path) -> None:
    """Make sure ``build_dir`` is a build folder, creating and marking it; :class:`OutputError` if it is not.

    A build deletes its stale temporaries and replaces its outputs, so it must
    never take over a folder that holds someone else's files: a folder is a
    build folder when it is new or empty, carries :data:`BUILD_MARKER`, or was
    left by an older version (``state.json``, or only a lock and a translation memory).
    """
    build_dir = Path(build_dir)
    try:
        if build_dir.is_symlink() and not build_dir.exists():
            raise OutputError("is a broken symbolic link; point paths.build in edition.toml at a folder",
                              path=build_dir)
        build_dir.mkdir(parents=True, exist_ok=True)
        if not build_dir.is_dir():
            raise OutputError("is not a folder; point paths.build in edition.toml at a folder", path=build_dir)
        if (build_dir / BUILD_MARKER).is_file():
            return
        names = {entry.name for entry in os.scandir(build_dir)}
        if BUILD_MARKER in names:  # another build marked it between the two looks
            return
        if names and not names & _OLDER_BUILD and not names <= _CHECK_ONLY:
            raise OutputError(
                f"holds files that no build made (no {BUILD_MARKER} marker); set paths.build in edition.toml "
                "to a new or empty folder (a build deletes its own temporaries and replaces its outputs)",
                path=build_dir)
        (build_dir / BUILD_MARKER).write_text(
            "This folder holds the output of `bitext build`; it may be deleted and rebuilt.\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(explain_os_error(exc), path=build_dir) from exc


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
    # A linked file is written at its target (write_target): writers through every link to it share one lock.
    folder = write_target(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / WRITE_LOCK, "a+")
    except OSError as exc:
        raise OutputError(explain_os_error(exc), path=path) from exc
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


@contextmanager
def build_lock(build_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``build_dir`` for one build.

    The folder is claimed first (:func:`claim_build_folder`): a folder of someone
    else's files is refused. A second build stops with :class:`BuildLockedError`
    (or waits when ``wait``).
    The lock is an ``flock`` so it dies with its process: a killed build never
    leaves a stale lock behind.
    """
    claim_build_folder(build_dir)
    try:
        handle = open(build_dir / ".lock", "a+")
    except OSError as exc:
        raise OutputError(explain_os_error(exc), path=build_dir) from exc
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
