"""The ``decoding`` rule: turn a source file's bytes into text.

Candidates, in order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without a
mark (recognised by its NUL bytes); UTF-8; then GB18030 (a superset of GBK) and
Big5, the two legacy Chinese encodings. When both legacy encodings accept the
bytes, the one whose text has more common Chinese characters wins.

A web page names its own encoding (``<meta charset="gb2312">``, or the older
``http-equiv`` form). That name is a candidate too, tried with the legacy ones
and preferred when it reads as well as they do, but it is not trusted: a page
whose bytes are valid UTF-8 is UTF-8 whatever it says, a name Python does not
know is ignored, and GB2312 and GBK are read as GB18030 (their superset, as
browsers do), so a page that says GB2312 and uses a GBK character still reads.
"""

from __future__ import annotations

import codecs
import re

from translate.errors import DecodeError

#: Encodings tried for files without a byte-order mark, after UTF-8.
LEGACY = ("gb18030", "big5")
#: A page's own statement of its encoding, in its first bytes.
_META_CHARSET = re.compile(rb"<meta\b[^<>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
#: What browsers read a declared encoding as.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030",
              "big5": "big5hkscs", "ascii": "utf-8", "us-ascii": "utf-8", "iso-8859-1": "cp1252", "latin1": "cp1252"}


def declared(raw: bytes) -> str | None:
    """The encoding a web page declares in a ``<meta>`` of its first 4 KB (as Python names it), if any."""
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


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
    own = declared(raw)
    names = ((own,) if own and own not in ("utf-8", *LEGACY) else ()) + LEGACY
    for name in names:
        try:
            texts.append((raw.decode(name), name))
        except UnicodeDecodeError as exc:
            failures.append((exc.start, name))
    if texts:
        # The best reading wins; the page's own word (listed first) unless another reads clearly better.
        scored = [(_commonness(t), t, n) for t, n in texts]
        if own and scored[0][2] == own and all(score <= scored[0][0] + 0.1 for score, _, _ in scored):
            return scored[0][1], own
        best = max(score for score, _, _ in scored)
        return next((t, n) for score, t, n in scored if score == best)
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
