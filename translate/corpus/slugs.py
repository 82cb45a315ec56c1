"""Slugs: short, ASCII, stable names for cleaned articles that cannot leave ``corpus/``.

The slug comes from the source's file name (never from a title that a translator
may later change): ASCII letters and digits are kept, Chinese is spelled in
pinyin, everything else separates words, long words are cut to 8 characters and
the whole to 40, so ``000_4695234a35547297.txt`` becomes ``000-4695234a``.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 40
WORD_LENGTH = 8
_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def slugify(filename: str) -> str:
    """The slug for a source file name."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.replace("\\", "/").rsplit("/", 1)[-1])
    if re.search(r"[\u4e00-\u9fff]", stem):
        from pypinyin import lazy_pinyin

        stem = " ".join(lazy_pinyin(stem))
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    words = [w[:WORD_LENGTH] for w in re.split(r"[^a-z0-9]+", ascii_text) if w]
    slug = "-".join(words)[:MAX_LENGTH].strip("-")
    return slug or "article"


def is_safe(slug: str) -> bool:
    """True for a slug that names a file directly inside the corpus folder."""
    return bool(_SAFE.match(slug))
