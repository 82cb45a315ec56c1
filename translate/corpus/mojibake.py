"""The ``mojibake`` rule: spans of legacy-encoded (GBK) bytes decoded one byte out of step.

What the damage looks like. Somewhere in a sentence a byte went missing or was
replaced, and everything after it was decoded in pairs shifted by one byte, until
an ASCII byte brought the decoder back in step::

    談?wù)摳呖萍己臀磥砥髽I(yè)     (談論高科技和未來企業)

The ``?`` marks the lost byte; when the damaged character was later given a
pinyin annotation, the annotation's tail (``wù)``) survives after it and tells
which character the lost byte belonged to. Punctuation inside the span may have
been turned half-width afterwards.

How it is repaired. At each ``?`` after a Chinese character that shows damage
(debris, rare characters or an orphaned pinyin tail nearby), the rest of the line
is turned back into a GBK byte stream in which the ``?`` is one unknown byte (when
a pinyin tail follows, only bytes that make a character with that reading
together with the byte before qualify), and half-width punctuation may stand for
its full-width form. A beam search decodes the candidates and keeps the most
plausible Chinese (:mod:`translate.corpus.plausibility`). The repair is taken only
when it scores measurably better than the damaged text and leaves no rare
character isolated; otherwise the span is kept between ⟦ and ⟧ and flagged.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from translate.corpus.chinese import HAN, HAN_RE, PINYIN_NOTE, TONED, readings
from translate.corpus.draft import Draft, Edit
from translate.corpus.recovery import CODEC, byte_options, recover
from translate.corpus.spans import Spans
from translate.models import DAMAGED_CLOSE, DAMAGED_OPEN

#: How far after a ``?`` the byte stream is rebuilt (damage resynchronises sooner).
WINDOW = 32
#: Candidates kept at each step of the beam search.
BEAM = 48
#: How much better (mean log-probability per character) a repair must score.
MARGIN = 2.0
#: A repaired character standing alone must be at least this common.
RARE = -12.5
#: A repaired character that forms no word with its neighbours must be this common.
ISOLATED = -9.0
#: Text right after a "?" that scores below this shows damage.
EVIDENT = -9.5

# A lost lead byte shows as "?" after an intact character: Chinese, full-width punctuation or an ideographic space.
_ANCHOR = re.compile(rf"(?<=[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]|{HAN})\?(?:\(?(?P<reading>[a-zü]*[{TONED}][a-zü]*)\))?")
#: A lost byte right after a pinyin annotation (規(guī)?;?): the annotated character is the one before the damage.
_AFTER_NOTE = re.compile(rf"(?<={HAN})[(（][a-zü{TONED}]+[)）](?=\?)")
#: A run of replacement characters, or of question marks inside Chinese text: bytes lost for good.
_LOST = re.compile(r"\ufffd[\ufffd?]*|\?+")
_CJK_NEXT = re.compile(rf"{HAN}|[，。、；：\u3000]")
#: Words that make a half-width "?" a real question mark.
QUESTION_WORDS = ("吗", "呢", "么", "吧", "嘛", "什么", "怎么", "怎样", "如何", "为何", "哪", "谁", "几", "多少", "是否",
                  "难道", "能否", "可否", "是不是", "有没有", "会不会", "要不要", "对不对", "好不好", "何")
_SPACED_PUNCT = re.compile(r"[，。？！：；、」』”》） ] | [，。？！：；、「『“《（]")
_PINYIN_TAIL = re.compile(rf"[a-zü]*[{TONED}][a-zü]*\)")
#: Characters Chinese prose does not hold but shifted GBK pairs decode to (private use, Greek, kana, box drawing…).
_ODD = re.compile(r"[\ue000-\uf8ff\ufffd\u20ac\u0370-\u03ff\u2460-\u24ff\u2500-\u257f\u3040-\u30ff]")


@dataclass(frozen=True, slots=True)
class Repair:
    """The outcome for one damaged span."""

    start: int
    """Offset of the span in the text."""
    end: int
    """Offset after the span."""
    replacement: str
    """Repaired text, or the span wrapped in ⟦⟧ when flagged."""
    repaired: bool
    """True for a credible repair, False when the span is only flagged."""
    gain: float
    """Plausibility gained (mean log-probability per character)."""
    note: str = ""
    """How a span the plain re-decoding could not read was recovered (:mod:`translate.corpus.recovery`)."""


def _gbk(char: str) -> bytes | None:
    try:
        data = char.encode(CODEC)
    except UnicodeEncodeError:
        return None
    return data if len(data) <= 2 else None


def _options(window: str) -> list[tuple[int, int, list]]:
    """Split the text after an anchor into tokens, each with its possible bytes."""
    # A lone "?" is a lost byte, or a lost byte plus a swallowed space, or a real question mark, or a
    # full-width one made half-width.
    return byte_options(window, reading=lambda r: [("unknown", r)],
                        lone=[("unknown", " "), ("unknown", None), b"?", "？".encode(CODEC)])


def _decode_prefix(stream: bytes) -> str | None:
    """The text the stream decodes to so far (a trailing lead byte waits), or None when invalid."""
    decoder = codecs.getincrementaldecoder(CODEC)("strict")
    try:
        text = decoder.decode(stream, final=False)
    except UnicodeDecodeError:
        return None
    return text + ("\x00" if decoder.getstate()[0] else "")


def _candidates(lead: bytes, window: str, score, *, after_text: bool = True) -> tuple[list[tuple[float, str]], int]:
    """Beam search: the best (score, decoded text from the lead character), and characters of ``window`` used.

    ``after_text`` is False when the character before the damage is punctuation or a space:
    then the lost byte that starts the span stood for a character, not for a symbol.
    """
    tokens = _options(window)
    used = tokens[-1][1] if tokens else 0
    beam: list[tuple[float, bytes]] = [(0.0, lead)]
    slack = 0
    for _, token_end, options in tokens:
        rest = window[token_end:]
        grown: list[tuple[bytes, bool]] = []
        for _, stream in beam:
            for option in options:
                if isinstance(option, bytes):
                    grown.append((stream + option, False))
                    continue
                reading = option[1]
                tail = b" " if reading == " " else b""
                reading = None if reading == " " else reading
                # After punctuation, a lost byte that starts a character (none is pending) stood for
                # a character, not for another symbol of GBK's rows A1-A9 (“ ≥ ① …).
                symbols = after_text or stream != lead or _decode_prefix(stream).endswith("\x00")
                for y in range(0x40, 0xFF):
                    if y == 0x7F or not symbols and 0xA1 <= y <= 0xA9:
                        continue
                    if reading:
                        try:
                            char = (stream[-1:] + bytes([y])).decode(CODEC)
                        except UnicodeDecodeError:
                            continue
                        if reading not in readings().get(char, ()):
                            continue
                    grown.append((stream + bytes([y]) + tail, not tail))
        scored = []
        seen = set()
        for stream, unknown_last in grown:
            if stream in seen:
                continue
            seen.add(stream)
            text = _decode_prefix(stream)
            if text is None or unknown_last and _stray_ascii(stream, text):
                continue
            # Look ahead: once back in step, the rest of the line reads as it stands.
            scored.append((_rank(text.rstrip("\x00") + rest, score), stream))
        scored.sort(key=lambda pair: -pair[0])
        # An unknown byte often dangles until the next token completes it, so the
        # scores cannot tell the candidates apart yet: prune one step later.
        if any(not isinstance(option, bytes) for option in options):
            slack = 2
        else:
            slack -= 1
        beam = scored[:BEAM * 8] if slack > 0 else scored[:BEAM]
        if not beam:
            return [], used
    results = []
    for _, stream in beam:
        try:
            text = stream.decode(CODEC)
        except UnicodeDecodeError:
            continue
        results.append((_rank(text, score), text))
    results.sort(key=lambda r: -r[0])
    return results, used


def _rank(text: str, score) -> float:
    # A literal "?" most likely stood for a question mark: break ties that way.
    # A space never sits next to full-width punctuation.
    return score(text) + 0.001 * text.count("？") - 0.002 * len(_SPACED_PUNCT.findall(text))


def _stray_ascii(stream: bytes, text: str) -> bool:
    """True when an unknown byte below 0x80 was decoded on its own (no lost byte is plain ASCII)."""
    last = stream[-1]
    return 0x40 <= last < 0x80 and text.endswith(chr(last)) and not text.endswith("?")


def _damage_evident(text: str, start: int, char_score) -> bool:
    """Is there debris right after the ``?`` at ``start`` (not just a real question mark)?"""
    after = text[start + 1:start + 9].split("\n")[0]
    if _PINYIN_TAIL.match(after) or _ODD.search(after):
        return True
    # Ordinary pinyin annotations (the pinyin rule strips them later) are not damage.
    after = PINYIN_NOTE.sub("", text[start + 1:start + 20].split("\n")[0])[:8]
    if re.match(rf"[,!:;?]?[A-Za-z]?{HAN}*[A-Za-z](?=\(|{HAN})", after) and re.search(HAN, after):
        return True
    rare = [c for c in after[:4] if HAN_RE.match(c) and char_score(c) < RARE]
    return len(rare) >= 2 or _window_score(after[:6]) < EVIDENT


def _window_score(text: str) -> float:
    from translate.corpus.plausibility import scorer

    return scorer().score(text)


def _asks(text: str, start: int, end: int) -> bool:
    """Is the clause before ``text[start:end]``, or the one after it, a question?"""
    from translate.corpus.chinese import to_simplified

    before = re.split(r"[。！？!?；;，,：:\n]", text[max(0, start - 40):start])[-1]
    after = re.match(r"[^。！？!?；;，,：:\n]*[。！？!?；;，,：:\n]?", text[end:end + 40]).group()
    return after.endswith(("?", "？")) or any(w in to_simplified(before + after) for w in QUESTION_WORDS)


def find_lost(text: str, taken: Spans) -> list[Repair]:
    """Runs of U+FFFD, and of ``?`` inside Chinese text, outside ``taken`` spans: flagged as damaged.

    A ``?`` run is a real question mark when it ends a line or a quotation, or when the
    clause before or after it asks (吗, 什么, 为什么, 是否…, or ends with a question
    mark); two or more never come before a comma or a full stop, and none between two
    characters of clauses that do not ask.
    """
    found = []
    for match in _LOST.finditer(text):
        start, end = match.span()
        if taken.overlaps(start, end):
            continue
        if match.group()[0] != "\ufffd":
            before = text[start - 1] if start else ""
            after = text[end] if end < len(text) else ""
            if not re.match(HAN, before or " ") or not _CJK_NEXT.match(after or " "):
                continue
            if after in "，。、；：":
                if end - start < 2:
                    continue  # one "?" before a comma: too little to tell
            elif _asks(text, start, end):
                continue
        found.append(Repair(start, end, f"{DAMAGED_OPEN}{match.group()}{DAMAGED_CLOSE}", False, 0.0))
    return found


def find_repairs(text: str, plausibility) -> list[Repair]:
    """Every damaged span in ``text``, repaired or flagged (mojibake first, then lost bytes)."""
    repairs: list[Repair] = []
    cursor = 0
    flagged = [(m.start(), m.end()) for m in re.finditer(f"{DAMAGED_OPEN}[^{DAMAGED_CLOSE}]*{DAMAGED_CLOSE}", text)]
    already = Spans(flagged)
    anchors = [(m.start(), m.start() - 1, m.group("reading")) for m in _ANCHOR.finditer(text)]
    anchors += [(m.end(), m.start() - 1, None) for m in _AFTER_NOTE.finditer(text)]
    for start, lead_at, reading in sorted(anchors):
        if start < cursor or start in already:
            continue
        # After an annotation, a "?" right before a half-width comma, colon or semicolon is damage too (規(guī)?;?).
        after_note = lead_at != start - 1 and text[start + 1:start + 2] in (",", ";", ":")
        if not reading and not after_note and not _damage_evident(text, start, plausibility.char):
            continue
        lead_char = text[lead_at]
        lead = _gbk(lead_char)
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        window = text[start:min(line_end, start + WINDOW)]
        best, used = _candidates(lead, window, plausibility.score, after_text=bool(HAN_RE.match(lead_char))) \
            if lead and len(lead) == 2 else ([], 0)
        raw = lead_char + window[:used]
        repair = _judge(raw, best, plausibility)
        if repair is not None:
            prefix, old, new, gain = repair
            offset = start - 1 + prefix
            repairs.append(Repair(offset, offset + len(old), new, True, gain))
            cursor = offset + len(old)
        elif (found := recover(text, start, line_end, plausibility, window=WINDOW, lead_at=lead_at,
                               words_hold=_words_hold)) is not None:
            repairs.append(Repair(found.offset, found.offset + len(found.old), found.new, True, found.gain,
                                  _recovery_note(found)))
            cursor = found.offset + len(found.old)
        else:
            end = _damaged_end(text, start, line_end, plausibility.char)
            span = text[start:end]
            repairs.append(Repair(start, end, f"{DAMAGED_OPEN}{span}{DAMAGED_CLOSE}", False, 0.0))
            cursor = end
    taken = Spans(flagged + [(r.start, r.end) for r in repairs])
    return sorted(repairs + find_lost(text, taken), key=lambda r: r.start)


def _recovery_note(found) -> str:
    how = ", ".join(found.how) or "one lost byte"
    note = f"GBK bytes recovered ({how}; {found.gain:+.1f} nats over the damaged text, {found.lead:.1f} over the next reading"
    if found.undecided:
        note += f"; {found.undecided} character{'s' if found.undecided > 1 else ''} left open"
    return note + ")"


def _judge(raw: str, candidates, plausibility):
    """The best candidate as (offset, old text, new text, gain) when it is credible."""
    for _, text in candidates[:5]:
        if text == raw:
            return None
        prefix = 0
        while prefix < min(len(text), len(raw)) and text[prefix] == raw[prefix]:
            prefix += 1
        suffix = 0
        while (suffix < min(len(text), len(raw)) - prefix
               and text[len(text) - 1 - suffix] == raw[len(raw) - 1 - suffix]):
            suffix += 1
        old = raw[prefix:len(raw) - suffix]
        new = text[prefix:len(text) - suffix]
        context = 2
        old_ctx = raw[max(0, prefix - context):len(raw) - suffix + context]
        new_ctx = text[max(0, prefix - context):len(text) - suffix + context]
        gain = plausibility.score(new_ctx) - plausibility.score(old_ctx)
        if gain < MARGIN or not _words_hold(text, prefix, len(text) - suffix, plausibility):
            return None
        return prefix, old, new, gain
    return None


def _words_hold(text: str, start: int, end: int, plausibility) -> bool:
    """False when ``text[start:end]`` (the repair) leaves a character that is neither common nor in a word."""
    from translate.corpus.chinese import to_simplified

    simple = to_simplified(text)
    if len(simple) != len(text):
        simple = text
    for run in re.finditer(HAN + "+", simple):
        offset = run.start()
        for word in plausibility.segment(run.group()):
            if len(word) == 1 and start <= offset < end and plausibility.char(word) < ISOLATED:
                return False
            offset += len(word)
    return True


def _damaged_end(text: str, start: int, line_end: int, char_score) -> int:
    """Where a span that could not be repaired stops looking damaged."""
    i = start + 1
    tail = _PINYIN_TAIL.match(text, i)
    if tail:
        i = tail.end()
    while i < line_end:
        ahead = text[i:min(line_end, i + 4)]
        if "?" not in ahead and not _ODD.search(ahead) and _window_score(ahead) > -8.5:
            break
        i += 1
    # Never stop inside a word or a pinyin tail.
    while 0 < i < line_end and re.match(rf"[A-Za-zü{TONED}]", text[i - 1]) and re.match(rf"[A-Za-zü{TONED})]", text[i]):
        i += 1
    return max(i, start + 1)


def rule(draft: Draft) -> None:
    """Repair mojibake spans where the repair is credible; flag the others as damaged."""
    from translate.corpus.plausibility import scorer

    plausibility = scorer()
    edits = []
    for repair in find_repairs(draft.text, plausibility):
        if repair.repaired:
            edits.append(Edit(repair.start, repair.end, repair.replacement, "repair",
                              repair.note or f"GBK bytes decoded out of step (plausibility +{repair.gain:.1f})"))
        else:
            edits.append(Edit(repair.start, repair.start, DAMAGED_OPEN, "flag", "damaged span starts"))
            edits.append(Edit(repair.end, repair.end, DAMAGED_CLOSE, "flag", "damaged span ends"))
    draft.apply("mojibake", edits)
