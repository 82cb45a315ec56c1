"""Reading sentence files (one sentence a line) for ``bitext align --sentences``, refusing what is not one."""

from __future__ import annotations

from pathlib import Path

from translate.errors import BitextError

#: The largest sentence file read: a long book is a few megabytes.
MAX_BYTES = 50 * 1024 * 1024
#: The longest line taken for one sentence (characters); a longer one is not a sentence.
MAX_LINE_CHARS = 20_000


def decode_text(data: bytes, path: Path, what: str) -> str:
    """``data`` as UTF-8 text (a BOM dropped), or :class:`BitextError` naming ``path`` and the line when it is binary
    (a NUL byte: "is binary …, not ``what``") or not UTF-8."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise BitextError(f"is binary (a NUL byte), not {what}", path=path, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BitextError(f"is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8", path=path,
                          line=line) from None


def read_sentences(path: Path | str) -> list[str]:
    """The lines of ``path``, each a sentence (blank lines are empty sentences: indices stay line numbers − 1).

    Raises :class:`BitextError` naming the file (and line) when it is missing, empty,
    larger than :data:`MAX_BYTES`, binary, not UTF-8, or has a line longer than
    :data:`MAX_LINE_CHARS`.
    """
    from translate.inputs import check_regular_file, read_input

    path = Path(path)
    check_regular_file(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BitextError(f"is {size:,} bytes; a sentence file may have at most "
                          f"{MAX_BYTES // 1024 // 1024} MB", path=path)
    data = read_input(path)
    if len(data) > MAX_BYTES:
        raise BitextError(f"grew past {MAX_BYTES // 1024 // 1024} MB while it was read", path=path)
    text = decode_text(data, path, "a text file of sentences")
    lines = [line.strip() for line in text.splitlines()]
    if not any(lines):
        raise BitextError("has no sentences; give a file with one sentence a line", path=path)
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise BitextError(f"a line of {len(line):,} characters is not one sentence (at most "
                              f"{MAX_LINE_CHARS:,}); put one sentence a line", path=path, line=number)
    return lines
