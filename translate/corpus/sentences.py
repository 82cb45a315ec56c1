"""Chinese sentence segmentation, done here so that nothing downloads a splitter.

A sentence ends after 。！？； or an ellipsis (…, ……, ...), together with any
closing quotes and brackets that follow. ASCII ``. ! ?`` end a sentence only
before whitespace and never between digits (2.5) or inside a URL or a Markdown
link. Emphasis markers left open by a split are closed and reopened, so every
sentence is well-formed inline Markdown.
"""

from __future__ import annotations

import re

from translate.corpus.spans import Spans
from translate.markup import FOOTNOTE_LABEL

_CLOSERS = "”’」』）》】〕〉)]\"'"
_END = re.compile(
    r"(?:……|…+|\.{3,}|[。！？；!?]+|(?<=[a-z\u4e00-\u9fff])\.(?=\s))"
    rf"[{re.escape(_CLOSERS)}]*"
    rf"(?:\[\^{FOOTNOTE_LABEL}\])*"  # footnote references after the full stop belong to its sentence
)
_ASCII_END = re.compile(r"[.!?;]+$")
_NOTES_AFTER = re.compile(rf"(?:\[\^{FOOTNOTE_LABEL}\])+$")
# Spans never split: URLs, Markdown links and inline code.
_PROTECTED = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)|https?://\S+|www\.\S+|`[^`]*`")
_MARKERS = re.compile(r"\*\*|__|\*|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, without surrounding whitespace."""
    protected = Spans(m.span() for m in _PROTECTED.finditer(text))

    def inside(pos: int) -> bool:
        return pos in protected

    cuts = [0]
    for match in _END.finditer(text):
        end = match.end()
        if inside(match.start()):
            continue
        terminator = _NOTES_AFTER.sub("", match.group(0)).rstrip(_CLOSERS)
        if _ASCII_END.fullmatch(terminator) and terminator in (".", "!", "?", ";"):
            # ASCII punctuation ends a sentence only when whitespace or the end follows.
            if end < len(text) and not text[end].isspace():
                continue
        # A closing emphasis marker right after the terminator belongs to this sentence.
        while text.startswith(("**", "__"), end):
            end += 2
        cuts.append(end)
    cuts.append(len(text))

    spans = []
    for start, end in zip(cuts, cuts[1:]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            if spans and _only_closers(text[start:end]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def _only_closers(piece: str) -> bool:
    return all(ch in _CLOSERS or ch in "*_" or ch.isspace() for ch in piece)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each well-formed inline Markdown."""
    return balance_markers([text[s:e] for s, e in sentence_spans(text)])


def balance_markers(pieces: list[str]) -> list[str]:
    """Close emphasis left open at the end of a piece and reopen it in the next one."""
    out: list[str] = []
    carried: list[str] = []
    for piece in pieces:
        text = "".join(carried) + piece
        open_markers: list[str] = []
        for marker in _markers(text):
            if open_markers and open_markers[-1] == marker:
                open_markers.pop()
            else:
                open_markers.append(marker)
        out.append(text + "".join(reversed(open_markers)))
        carried = open_markers
    return out


def _markers(text: str) -> list[str]:
    masked = _PROTECTED.sub(lambda m: " " * len(m.group(0)), text)
    return [m.group(0) for m in _MARKERS.finditer(masked)]
