"""Reading the user's files safely: only regular files, and control characters found.

Every input (a cleaned article, a raw source, the termbase, ``edition.toml``, an
imported termbase, a model's metadata) is read through :func:`read_input`. A
FIFO, a device or a folder under an input's name would block a reader forever or
fail with a traceback; here it is a one-line error naming the file. The file is
opened without blocking and checked on the open descriptor, after symbolic links
are followed, so nothing can be swapped in between the check and the read.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from translate.errors import BitextError

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and line feed, DEL, and C1 controls (ESC among them).

Written to a terminal they can move the cursor, retitle the window or hide text
(``\\x1b]0;…\\x07``); a termbase refuses them, a corpus article is flagged for them.
"""


#: The kernel's live views (process environments, devices, hardware): never an input of an edition, whatever
#: its paths or links say. ``/proc/self/environ`` as a termbase printed every environment variable.
SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


def system_folder(path: Path | str) -> str | None:
    """``/proc``, ``/sys`` or ``/dev`` when ``path`` (symbolic links followed) lies in one, else None."""
    real = Path(os.path.realpath(path))
    for folder in SYSTEM_FOLDERS:
        if real.is_relative_to(folder):
            return str(folder)
    return None


def refuse_system_folder(path: Path | str, error: type[BitextError] = BitextError) -> None:
    """Raise ``error`` when ``path`` (links followed) lies under ``/proc``, ``/sys`` or ``/dev``."""
    folder = system_folder(path)
    if folder is not None:
        raise error(f"is under {folder} (links followed), the system's, not a file of the edition; "
                    "give the path of a file", path=path)


#: The most characters of an input an error message quotes: enough to find it, too few to leak a file.
QUOTE_LIMIT = 40

#: What :func:`quoted` writes as an escape: every control character (tab and line feed too: an error is one
#: line), invisible formatting (zero-width, bidirectional overrides) and line or paragraph separators.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
#: ``scheme://user:password@`` in a URL.
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
#: A run that looks like a key or token (24 or more letters, digits, ``_`` and ``-``, mixed case and a digit);
#: not ``/``, so that a path is not taken for one.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{24,}")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(match.group()) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def _hide_token(match: re.Match) -> str:
    run = match.group()
    if any(c.isdigit() for c in run) and any(c.islower() for c in run) and any(c.isupper() for c in run):
        return run[:4] + "…"
    return run


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` as an error message may quote a piece of an input: short, escaped, without credentials.

    Text comes in single quotes (anything else as its ``repr``), cut to
    ``limit`` characters (then ``…``), with URL credentials and token-like runs
    hidden and every control or invisible character written as an escape, so an
    error line can neither drive a terminal nor print a file it was pointed at.
    Every error that quotes a cell, a value or a name from an input uses this.
    """
    return f"'{excerpt(value, limit)}'" if isinstance(value, str) else excerpt(repr(value), limit)


def excerpt(text: str, limit: int = QUOTE_LIMIT) -> str:
    """:func:`quoted` without the quotes, for a name an error line starts with (a segment id, a language)."""
    text = _TOKEN.sub(_hide_token, _URL_CREDENTIALS.sub("…@", str(text)))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _UNPRINTABLE.sub(_escaped, text)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_input(path: Path | str, error: type[BitextError] = BitextError) -> bytes:
    """The bytes of the regular file at ``path`` (links followed); ``error`` for anything else.

    Raises :class:`FileNotFoundError` when nothing is there, so callers can say
    what a missing file means for them; every other problem is ``error`` naming
    the file, one line.
    """
    path = Path(path)
    refuse_system_folder(path, error)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise error("is a folder, not a regular file; give the path of a file", path=path) from None
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror or exc})", path=path) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise error(f"is {_kind(mode)}, not a regular file; give the path of a file", path=path)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        try:
            return handle.read()
        except OSError as exc:
            raise error(f"cannot read ({exc.strerror or exc})", path=path) from exc


def check_regular_file(path: Path | str, error: type[BitextError] = BitextError) -> Path:
    """Raise ``error`` unless ``path`` is a regular file (links followed), for readers that open it themselves."""
    path = Path(path)
    refuse_system_folder(path, error)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error("no such file", path=path) from None
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror or exc})", path=path) from exc
    if not stat.S_ISREG(mode):
        raise error(f"is {_kind(mode)}, not a regular file; give the path of a file", path=path)
    return path


def control_characters(text: str) -> list[tuple[int, str]]:
    """(line, character) of every control character in ``text`` (see :data:`CONTROL_CHARACTERS`)."""
    found = []
    for match in CONTROL_CHARACTERS.finditer(text):
        found.append((text.count("\n", 0, match.start()) + 1, match.group()))
    return found


def describe_control(char: str) -> str:
    """``U+001B`` and, when it has one, its usual name: ``U+001B (ESC)``."""
    names = {"\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x0b": "VT", "\x0c": "FF", "\r": "CR", "\x1b": "ESC",
             "\x7f": "DEL", "\x9b": "CSI", "\x9d": "OSC"}
    code = f"U+{ord(char):04X}"
    return f"{code} ({names[char]})" if char in names else code
