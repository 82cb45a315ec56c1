"""The ``decoding`` rule: turn a source file's bytes into text.

Candidates, in order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without a
mark (recognised by its NUL bytes); UTF-8; then GB18030 (a superset of GBK) and
Big5, the two legacy Chinese encodings. When both legacy encodings accept the
bytes, the one whose text has more common Chinese characters wins.
"""

from __future__ import annotations

import codecs

from translate.errors import DecodeError

#: Encodings tried for files without a byte-order mark, after UTF-8.
LEGACY = ("gb18030", "big5")


def decode(raw: bytes, filename: str) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`DecodeError` naming the file and byte offset."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8):], "utf-8", filename, len(codecs.BOM_UTF8)), "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _strict(raw[len(bom):], name, filename, len(bom)), name.replace("-le", "").replace("-be", "")
    guess = _utf16_without_bom(raw)
    if guess:
        return _strict(raw, guess, filename, 0), guess
    failures: list[tuple[int, str]] = []
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        failures.append((exc.start, "utf-8"))
    texts = []
    for name in LEGACY:
        try:
            texts.append((raw.decode(name), name))
        except UnicodeDecodeError as exc:
            failures.append((exc.start, name))
    if texts:
        return max(texts, key=lambda pair: _commonness(pair[0]))
    if len(raw) % 2 == 0:
        # UTF-16 without a mark and without ASCII (so without NUL bytes): accept it
        # when it reads as ordinary Chinese.
        for name in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(name)
            except UnicodeDecodeError:
                continue
            if _commonness(text) > 0.15 and all(c.isprintable() or c in "\n\r\t" for c in text):
                return text, name
    offset, name = max(failures)
    names = ", ".join(n for _, n in failures)
    raise DecodeError(
        f"bytes at offset {offset} decode under no supported encoding ({names}); "
        "re-save the file as UTF-8",
        path=filename,
    )


def _strict(raw: bytes, encoding: str, filename: str, skipped: int) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"bytes at offset {exc.start + skipped} are not valid {encoding}; re-save the file as UTF-8",
            path=filename,
        ) from exc


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text of mostly ASCII and CJK has NUL bytes or a regular pattern on one side."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2], raw[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


# The 100 most frequent Chinese characters, in both scripts: a cheap way to tell a
# right decoding from a wrong one without loading a dictionary.
_COMMON = set(
    "的一是不了人我在有他这這中大来來上国國个個到说說们們为為子和你地出道也时時年得就那要下以生会會自着著去之过過家学學对對可她里裡后後小么麼心多天而能好都然没沒日于於起还還发發成事只作当當想看文无無开開手十用主行方又如前所本见見经經头頭面公同三已老从從动動两兩长長"
)


def _commonness(text: str) -> float:
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(c in _COMMON for c in cjk) / len(cjk)
