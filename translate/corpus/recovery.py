"""Recovering damaged GBK spans that the mojibake rule's plain re-decoding cannot read.

The ``mojibake`` rule re-decodes a span assuming one lost byte at its start. In the
edition's scrapes two more things happened to some spans, and they are what left
them marked ⟦…⟧ as damaged:

* **A pair was dropped.** Decoded out of step, two bytes (the second byte of one
  character and the first byte of the next) sometimes formed a code of GBK's
  user-defined area, which decodes to a private-use character; the scrape dropped
  it. ``因?yàn)樗驹谌f億`` is 因為它站在萬億 with 為 (9E E9) out of step and the pair
  FC D5 (the end of 它 CB FC, the start of 站 D5 BE) gone. The pair is not lost
  information: it must decode to a private-use character, the byte before it must
  end a character and the byte after it must start one, which leaves a handful of
  candidates for plausibility to choose from.
* **The pinyin tail belongs elsewhere.** The tail after a ``?`` (``?lián)``) is
  normally the reading of the character the lost byte made with the byte before it;
  sometimes it is the reading of a whole character lost with the byte (``們?lián)想``
  is 們（聯想: the bracket's second byte, then 聯), and sometimes it matches neither
  (``?nèi)``), so the lost byte is read without it.

:func:`recover` searches these readings (each hypothesis has a prior cost,
:data:`COSTS`) with a beam over the bytes, both alignments of a pair taken from the bytes
around it, and scores whole clauses by their total log-probability: a punctuation
mark costs :data:`PUNCTUATION` (a sentence break is common, an uncommon character
is not), debris costs as in :mod:`translate.corpus.plausibility`. A reading is taken
only when it is measurably more plausible than the damaged text (the rule's
``MARGIN``) *and* beats the next different reading by :data:`RIVAL` nats, so a span
whose bytes allow two readings stays flagged.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from translate.corpus.chinese import HAN, HAN_RE, PINYIN_NOTE, TONED, readings, to_simplified
from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN

CODEC = "gb18030"
#: What stands for a character the bytes leave open.
UNREAD = f"{DAMAGED_OPEN}?{DAMAGED_CLOSE}"
HAN_RUN = re.compile(HAN + "+")
#: Candidates kept at each step of the beam.
BEAM = 64
#: Bytes tried for each side of a dropped pair, and for a character lost with its reading.
KEEP = 8
#: Cost of a bracket that closes nothing or is left open.
BRACKET = -6.0
#: What a character the rest of the paragraph uses earns (a cache model: about twenty times likelier).
CACHE = 3.0
#: What two characters earn that stand together elsewhere in the article (我們都…, 聯想).
PAIR = 3.0
#: Characters after the token being read that are scored with each candidate (back in step, they read as they stand).
LOOKAHEAD = 10
#: Characters before the damage scored with each candidate.
CONTEXT = 8
#: Nats the reading must gain over the damaged text.
GAIN = 6.0
#: Nats the best reading must beat the next different one by.
RIVAL = 3.0
#: Log-probability of a punctuation mark (about one character in eight is one).
PUNCTUATION = -3.5
#: Prior cost of each hypothesis beyond one lost byte. About one shifted pair in seven
#: falls in GBK's user-defined area (a first byte AA-AF or F8-FE), so a dropped pair is
#: common (log 1/7); a reading that belongs to no byte, or to a whole lost character, is rarer.
COSTS = {"dropped pair": -2.0, "reading ignored": -8.0, "character lost with its reading": -2.0}
#: Debris, as the plausibility score charges it.
DEBRIS = -20.0

#: A ``?`` where a character was lost, with the pinyin reading a scraper's annotation left, if any.
TOKEN = re.compile(rf"\?(?:\(?(?P<reading>[a-zü]*[{TONED}][a-zü]*)\))?")
#: Half-width marks and the full-width forms they may have been.
FULL_WIDTH = {",": "，", "!": "！", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）"}
#: Marks Chinese prose uses (and their half-width forms, which the punctuation rule widens later).
_MARKS = set("，。、；：？！「」『』“”（）《》,.!?:;()") | {" "}
_PINYIN = re.compile(rf"[a-zü]*[{TONED}][a-zü]*\)?")
#: A character standing alone as a word must be this common, or it is charged :data:`ISOLATED_COST` more.
ISOLATED = -9.0
ISOLATED_COST = -6.0


@dataclass(frozen=True, slots=True)
class Recovery:
    """A damaged span read back from its bytes."""

    offset: int
    """Offset in the text of the first character replaced."""
    old: str
    """The damaged text replaced."""
    new: str
    """The recovered text."""
    gain: float
    """Nats gained over the damaged text (total log-probability of the window)."""
    lead: float
    """Nats by which the reading beats the next different one."""
    how: tuple[str, ...]
    """The hypotheses the reading needed beyond one lost byte (``dropped pair``, ``reading ignored``…)."""
    undecided: int = 0
    """Characters the bytes leave open (two readings score alike): marked ⟦?⟧ in ``new``."""


@lru_cache(maxsize=1)
def dropped_pairs() -> frozenset[bytes]:
    """Every two-byte GBK code that decodes to a private-use character (what the scrape dropped)."""
    pairs = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                char = bytes((lead, trail)).decode(CODEC)
            except UnicodeDecodeError:
                continue
            if "\ue000" <= char <= "\uf8ff":
                pairs.add(bytes((lead, trail)))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def _by_reading() -> dict[str, tuple[bytes, ...]]:
    """Two-byte GBK codes of the characters with each reading."""
    table: dict[str, list[bytes]] = {}
    for char, values in readings().items():
        try:
            data = char.encode(CODEC)
        except UnicodeEncodeError:
            continue
        if len(data) != 2:
            continue
        for value in values:
            table.setdefault(value, []).append(data)
    return {k: tuple(v) for k, v in table.items()}


def total(text: str, plausibility, cache: frozenset = frozenset()) -> float:
    """Total log-probability of ``text``: Chinese by word frequencies, punctuation and debris at fixed costs.

    A rare character that forms no word with its neighbours is charged more: shifted
    bytes decode to such characters (司, 搜, 纪), prose seldom has them alone. A bracket
    that closes nothing, or opens and is not closed, is charged as debris is. A character
    that the rest of the paragraph uses (``cache``: its pronoun, its names) earns
    :data:`CACHE`, and two characters that stand together elsewhere in the article earn
    :data:`PAIR`: the same text is the best evidence of its own words.
    """
    text = to_simplified(PINYIN_NOTE.sub("", text))
    result = 0.0
    depth = 0
    for char in text:
        if char in "(（":
            depth += 1
        elif char in ")）":
            if depth:
                depth -= 1
            else:
                result += BRACKET
    result += BRACKET * depth
    if cache:
        result += CACHE * sum(1 for char in text if char in cache)
        result += PAIR * sum(1 for i in range(len(text) - 1) if text[i:i + 2] in cache)
    i = 0
    while i < len(text):
        run = HAN_RUN.match(text, i)
        if run:
            for word, value in plausibility.words(run.group()):
                result += value + (ISOLATED_COST if len(word) == 1 and value < ISOLATED else 0.0)
            i = run.end()
            continue
        tail = _PINYIN.match(text, i)
        if tail and tail.end() > i:
            result += DEBRIS
            i = tail.end()
            continue
        char = text[i]
        if char in _MARKS:
            result += PUNCTUATION if char != " " else 0.0
        elif not (char.isascii() and char.isalnum()):
            result += DEBRIS
        elif 0 < i < len(text) - 1 and HAN_RE.match(text[i - 1]) and HAN_RE.match(text[i + 1]):
            result += DEBRIS * 0.6  # a letter glued between Chinese characters
        i += 1
    return result


_CHAR_COSTS: dict[bytes, float | None] = {}


def _char_cost(data: bytes, plausibility) -> float | None:
    """Log-probability of the character two bytes make, None when they make none (or a private-use one)."""
    if data in _CHAR_COSTS:
        return _CHAR_COSTS[data]
    try:
        char = data.decode(CODEC)
    except UnicodeDecodeError:
        char = ""
    if len(char) != 1 or "\ue000" <= char <= "\uf8ff":
        cost = None
    elif HAN_RE.match(char):
        cost = plausibility.char(char)
    else:
        cost = PUNCTUATION if char in _MARKS else None
    _CHAR_COSTS[data] = cost
    return cost


def _pending(stream: bytes) -> int | None:
    """The byte waiting for its partner at the end of ``stream``, None when none waits; -1 when invalid."""
    decoder = codecs.getincrementaldecoder(CODEC)("strict")
    try:
        decoder.decode(stream, final=False)
    except UnicodeDecodeError:
        return -1
    waiting = decoder.getstate()[0]
    return waiting[-1] if len(waiting) == 1 else None if not waiting else -1


def _decoded(stream: bytes) -> str | None:
    decoder = codecs.getincrementaldecoder(CODEC)("strict")
    try:
        text = decoder.decode(stream, final=False)
    except UnicodeDecodeError:
        return None
    return text


def byte_options(window: str, *, reading: Callable[[str], list], lone: list) -> list[tuple[int, int, list]]:
    """The text after a damaged span's anchor as tokens ``(start, end, options)``: the bytes each may have been.

    A character is its GB18030 bytes (and GBK's one-byte euro, and the full-width form of a
    half-width mark); a ``?`` with a pinyin reading is ``reading(the reading)``, a lone ``?``
    the options ``lone``. The window ends at a line break or a character no pair encodes.
    The one reader of the window for the mojibake rule and for recovery.
    """
    tokens: list[tuple[int, int, list]] = []
    i = 0
    while i < len(window):
        char = window[i]
        match = TOKEN.match(window, i) if char == "?" else None
        if match:
            found = match.group("reading")
            tokens.append((i, match.end(), reading(found) if found else list(lone)))
            i = match.end()
            continue
        try:
            data = char.encode(CODEC)
        except UnicodeEncodeError:
            break
        if char == "\n" or len(data) > 2:
            break
        options = [data]
        if char == "€":
            options.append(b"\x80")  # GBK's one-byte euro sign
        if char in FULL_WIDTH:
            options.append(FULL_WIDTH[char].encode(CODEC))
        tokens.append((i, i + 1, options))
        i += 1
    return tokens


def _tokens(window: str) -> list[tuple[int, list]]:
    """The window as tokens: (end offset, options); an option is bytes or a hypothesis tuple."""
    return [(end, options) for _, end, options in byte_options(
        window, reading=lambda r: [("reading", r), ("ignore", r), ("with", r)],
        lone=[("lost", None), b"?", "？".encode(CODEC)])]


def _lost_bytes(stream: bytes, plausibility, reading: str | None = None) -> list[tuple[bytes, int]]:
    """Bytes a lost byte may have been: (byte, 1 if it costs a hypothesis)."""
    pending = _pending(stream)
    if pending is None:
        return [(bytes((y,)), 0) for y in range(0x81, 0xFF)]
    found = []
    for y in range(0x40, 0xFF):
        if y == 0x7F:
            continue
        if reading is not None:
            try:
                char = bytes((pending, y)).decode(CODEC)
            except UnicodeDecodeError:
                continue
            if reading not in readings().get(char, ()):
                continue
        found.append((bytes((y,)), 0))
    return found


def _best_bytes(pending: int | None, plausibility, *, after: int | None = None) -> list[bytes]:
    """The likeliest bytes completing ``pending`` (or, with ``after``, starting a character before ``after``)."""
    scored = []
    for y in range(0x40, 0xFF):
        if y == 0x7F:
            continue
        pair = bytes((pending, y)) if after is None else bytes((y, after))
        cost = _char_cost(pair, plausibility)
        if cost is not None:
            scored.append((cost, bytes((y,))))
    scored.sort(key=lambda item: -item[0])
    return [b for _, b in scored[:KEEP]]


@lru_cache(maxsize=1)
def _pairs_by_first() -> dict[int, tuple[int, ...]]:
    table: dict[int, list[int]] = {}
    for pair in dropped_pairs():
        table.setdefault(pair[0], []).append(pair[1])
    return {k: tuple(v) for k, v in table.items()}


def _drops(stream: bytes, following: bytes, plausibility) -> list[bytes]:
    """Pairs that may have been dropped between ``stream`` (a byte waiting) and ``following``.

    The pair decodes to a private-use character, its first byte completes the character
    waiting, its second starts one with the byte that follows: the likeliest such pairs.
    """
    pending = _pending(stream)
    if pending is None or pending < 0 or not following:
        return []
    key = (pending, following[0], id(plausibility))
    if key not in _DROPS:
        _DROPS[key] = _likeliest_drops(pending, following[0], plausibility)
    return _DROPS[key]


_DROPS: dict[tuple, list[bytes]] = {}


def _likeliest_drops(pending: int, following: int, plausibility) -> list[bytes]:
    scored = []
    for x, seconds in _pairs_by_first().items():
        first = _char_cost(bytes((pending, x)), plausibility)
        if first is None:
            continue
        for y in seconds:
            second = _char_cost(bytes((y, following)), plausibility)
            if second is not None:
                scored.append((first + second, bytes((x, y))))
    scored.sort(key=lambda item: -item[0])
    return [pair for _, pair in scored[:KEEP * 2]]


def _grow(stream: bytes, option, token_end: int, next_bytes: bytes, plausibility):
    """(new stream, hypotheses added) for one option of a token."""
    if isinstance(option, bytes):
        return [(stream + option, ())]
    kind, reading = option
    if kind == "reading":
        return [(stream + b, ()) for b, _ in _lost_bytes(stream, plausibility, reading)]
    if kind in ("lost", "ignore"):
        cost = ("reading ignored",) if kind == "ignore" else ()
        return [(stream + b, cost) for b, _ in _lost_bytes(stream, plausibility)]
    # A whole character lost with the byte: the byte completes the one waiting, the reading names the next.
    pending = _pending(stream)
    if pending == -1:
        return []
    heads = [b""] if pending is None else _best_bytes(pending, plausibility)
    chars = sorted(_by_reading().get(reading, ()), key=lambda d: -(plausibility.char(d.decode(CODEC))))[:KEEP]
    return [(stream + head + char, ("character lost with its reading",)) for head in heads for char in chars]


def _search(lead: bytes, window: str, plausibility, before: str = "",
            cache: frozenset = frozenset()) -> tuple[list[tuple[float, str, tuple]], int]:
    """Beam search: candidate readings (score, text from the lead character, hypotheses), and characters used."""
    tokens = _tokens(window)
    used = tokens[-1][0] if tokens else 0
    beam: list[tuple[float, bytes, tuple]] = [(0.0, lead, ())]
    for index, (token_end, options) in enumerate(tokens):
        rest = window[token_end:token_end + LOOKAHEAD]
        first = options[0] if isinstance(options[0], bytes) else b""
        grown: dict[bytes, tuple] = {}
        for _, stream, how in beam:
            # Before this token, a pair may have been dropped (only after the first token, inside the span).
            bases = [(stream, how)]
            if index and first:
                bases += [(stream + pair, how + ("dropped pair",)) for pair in _drops(stream, first, plausibility)]
            for base, base_how in bases:
                for option in options:
                    for new, added in _grow(base, option, token_end, first, plausibility):
                        hows = base_how + added
                        if new not in grown or len(grown[new]) > len(hows):
                            grown[new] = hows
        best: dict[tuple, tuple] = {}
        for stream, how in grown.items():
            text = _decoded(stream)
            if text is None:
                continue
            value = total(before + text + rest, plausibility, cache) + sum(COSTS[h] for h in how)
            # Streams that read the same (a mark half- or full-width) and wait for the same byte are one candidate.
            key = (_reading(text), _pending(stream))
            if key not in best or best[key][0] < value:
                best[key] = (value, stream, how)
        scored = sorted(best.values(), key=lambda item: -item[0])
        unknown = any(not isinstance(o, bytes) for o in options)
        beam = scored[:BEAM * 4] if unknown else scored[:BEAM]
        if not beam:
            return [], used
    results = []
    for _, stream, how in beam:
        try:
            text = stream.decode(CODEC)
        except UnicodeDecodeError:
            continue
        results.append((total(before + text, plausibility, cache) + sum(COSTS[h] for h in how), text, how))
    results.sort(key=lambda item: -item[0])
    return results, used


def _pairs(*texts: str) -> frozenset[str]:
    """Every two Chinese characters that stand together in ``texts`` (in Simplified script)."""
    pairs = set()
    for text in texts:
        for run in HAN_RUN.findall(to_simplified(text)):
            pairs.update(run[i:i + 2] for i in range(len(run) - 1))
    return frozenset(pairs)


def _reading(text: str) -> str:
    """What a candidate says: half- and full-width forms of a mark, and the two scripts, count as one."""
    text = to_simplified(PINYIN_NOTE.sub("", text))
    return "".join(FULL_WIDTH.get(c, c) for c in text)


def recover(text: str, start: int, line_end: int, plausibility, *, window: int = 32, lead_at: int | None = None,
            words_hold=None) -> Recovery | None:
    """Read the damaged span whose lost byte is the ``?`` at ``start``; None when its bytes allow no clear reading.

    ``lead_at`` is where the last intact character before the damage stands (``start - 1``
    unless a pinyin annotation stands between them).
    """
    lead_at = start - 1 if lead_at is None else lead_at
    if start < 1 or lead_at < 0:
        return None
    lead_char = text[lead_at]
    try:
        lead = lead_char.encode(CODEC)
    except UnicodeEncodeError:
        return None
    if len(lead) != 2:
        return None
    line_start = text.rfind("\n", 0, lead_at) + 1
    span = text[start:min(line_end, start + window)]
    elsewhere = to_simplified(text[line_start:lead_at] + "\n" + text[start + window:line_end])
    cache = frozenset(c for c in elsewhere if HAN_RE.match(c)) | _pairs(text[:lead_at], text[start + window:])
    before = text[max(line_start, lead_at - CONTEXT):lead_at]
    results, used = _search(lead, span, plausibility, before, cache)
    if not results:
        return None
    raw = lead_char + span[:used]
    best_score, best, how = results[0]
    if _reading(best) == _reading(raw) or re.search(r"[\ue000-\uf8ff\ufffd]", best):
        return None
    rivals = [other for score, other, _ in results[1:]
              if _reading(other) != _reading(best) and best_score - score < RIVAL]
    rival = next((score for score, other, _ in results[1:] if _reading(other) != _reading(best)), -math.inf)
    best = _in_script(best, results, raw)
    open_ = _undecided(best, rivals)
    prefix = 0
    while prefix < min(len(best), len(raw)) and best[prefix] == raw[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(best), len(raw)) - prefix and best[-1 - suffix] == raw[-1 - suffix]:
        suffix += 1
    if prefix == 0:
        return None  # the intact character before the damage changed: not a reading of the damage
    old = raw[prefix:len(raw) - suffix]
    if any(open_[:prefix]) or any(open_[len(best) - suffix:]):
        return None
    new = _marked(best[prefix:len(best) - suffix], open_[prefix:len(best) - suffix])
    if any(o and not (i + 1 < len(best) and HAN_RE.match(best[i + 1])) for i, o in enumerate(open_)):
        return None  # an open character not followed by Chinese: where the damage ends is not known
    if sum(open_) * 2 >= len(best) - suffix - prefix:
        return None  # more left open than read: the span stays flagged whole
    gain = total(before + best, plausibility, cache) - total(before + raw, plausibility, cache)
    if gain < GAIN:
        return None
    if words_hold is not None and not words_hold(best, prefix, len(best) - suffix, plausibility):
        return None
    return Recovery(start - 1 + prefix, old, new, gain, best_score - rival, tuple(dict.fromkeys(how)), sum(open_))


def _undecided(best: str, rivals: list[str]) -> list[bool]:
    """Which characters of ``best`` some close rival reads otherwise (aligned with difflib).

    Where a rival reads a character more, the characters on either side of it are in doubt.
    """
    from difflib import SequenceMatcher

    def chars(text: str) -> list[str]:
        return [FULL_WIDTH.get(c, c) if len(to_simplified(c)) != 1 else FULL_WIDTH.get(to_simplified(c), to_simplified(c))
                for c in text]

    open_ = [False] * len(best)
    mine = chars(best)
    for rival in rivals:
        kept = [True] * len(best)
        for tag, i1, i2, _, _ in SequenceMatcher(None, mine, chars(rival), autojunk=False).get_opcodes():
            if tag in ("replace", "delete"):
                kept[i1:i2] = [False] * (i2 - i1)
            elif tag == "insert":  # the rival reads a character more here: both neighbours are in doubt
                kept[max(0, i1 - 1):i1 + 1] = [False] * len(kept[max(0, i1 - 1):i1 + 1])
        open_ = [o or not k for o, k in zip(open_, kept)]
    return open_


def _marked(text: str, open_: list[bool]) -> str:
    """``text`` with each run of undecided characters replaced by a damaged mark ⟦?⟧."""
    out = []
    for char, undecided in zip(text, open_):
        if not undecided:
            out.append(char)
        elif not out or out[-1] != UNREAD:
            out.append(UNREAD)
    return "".join(out)


def _in_script(best: str, results, raw: str) -> str:
    """Among the candidates that read as ``best`` does, the one written in the script of the text around it."""
    traditional = to_simplified(raw) != raw
    same = [text for _, text, _ in results if _reading(text) == _reading(best) and len(text) == len(best)]
    changed = (lambda t: sum(a != b for a, b in zip(t, to_simplified(t))))
    return max(same, key=changed) if traditional else min(same, key=changed)
