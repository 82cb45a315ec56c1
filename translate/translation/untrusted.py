"""What a machine writes is untrusted input: the screen every engine's English passes before it is kept.

An engine's English reaches the translation files, the PO stores (``#. machine:``),
the HTML, the EPUB and the PDF. An LLM server's answer above all, but a model's
output or the gloss too, passes :func:`screen_english` on its way into a segment
(:func:`translate.translation.translator.translate_articles`), three named rules in order:

1. ``controls`` — control characters (C0 but tab and line breaks, DEL, C1; ESC, NUL and
   form feed among them), terminal escape sequences whole, characters that reorder or
   hide text (bidirectional overrides and isolates, zero-width marks, the BOM, tag
   characters), lone surrogates and non-characters are removed; line breaks become
   spaces, since a sentence is one line;
2. ``length`` — English longer than :func:`english_limit` of its Chinese is cut there;
3. ``markup`` — inline Markdown must match the source's, the post-edit import's rule
   (:func:`translate.markup.markup_problems`); when it does not, the English is
   kept as its plain text, escaped, so no link or emphasis an engine invented is live.

Each rule that changes the English says so; the quality report shows it as a
``screened`` flag, so nothing is removed silently. The screen is idempotent and
linear in the length of the English.

The LLM client's own bounds on what it reads from a server (bytes, time, JSON
depth) are in :mod:`translate.translation.llm_client`; :func:`loads_bounded` is here
because the answer's content is parsed as JSON too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from translate.markup import footnote_labels, markup_problems

#: Terminal escape sequences, removed whole (CSI ``ESC [ … m``, OSC ``ESC ] … BEL``, C1 CSI, two-byte ``ESC x``).
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
                              r"|\x1b\][^\x07\x1b\x9c]{0,1024}(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]?")
#: Line breaks of every kind: a sentence is one line.
_BREAKS = re.compile(r"[\t\n\r\x85\u2028\u2029]+")
#: Everything else that must not reach a file or a page (see the module's docstring).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"  # C0 (tab and line breaks are _BREAKS), DEL, C1
    "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"  # hidden, reordering
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"  # lone surrogates, non-characters
    "\U000e0000-\U000e007f"  # tag characters (invisible ASCII)
    "]|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]"
)

#: The longest machine English of a sentence: this many characters per character of Chinese, plus the floor.
ENGLISH_PER_CHINESE = 16
ENGLISH_FLOOR = 256

#: Markdown characters escaped in an English kept as plain text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~])")

#: The deepest JSON nesting an answer may have (an answer is two levels deep; servers add a few).
MAX_JSON_DEPTH = 32
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)


_SURROGATES = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` without lone surrogates (JSON's ``\\ud800``): they can be written to no file, not even the memory."""
    return _SURROGATES.sub("", text)


def english_limit(zh: str) -> int:
    """The most characters a machine's English of ``zh`` may have (a translation is some 2-4 times the Chinese)."""
    return ENGLISH_FLOOR + ENGLISH_PER_CHINESE * len(zh)


def printable(text: str) -> str:
    """``text`` without control, invisible or reordering characters (rule 1), line breaks as spaces."""
    if text.isprintable():
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", _BREAKS.sub(" ", text))


@dataclass(frozen=True, slots=True)
class Screened:
    """A machine's English after the screen, and what the screen did to it."""

    en: str
    """The English to keep: printable, bounded, with no markup the source has not."""
    changes: tuple[str, ...] = ()
    """One line per rule that changed the English (the report's ``screened`` flags)."""


def screen_english(zh: str, en: str) -> Screened:
    """``en``, a machine's English of ``zh``, made safe to keep and publish (see the module's docstring)."""
    changes: list[str] = []
    limit = english_limit(zh)
    if len(en) > limit:
        # Bound the work of the other rules first; the cut itself is reported after the controls.
        over, en = len(en), en[: 2 * limit]
    else:
        over = 0
    cleaned = printable(en)
    if _unsafe_left(en, cleaned):
        removed = sorted({_name(c) for c in _ESCAPE_SEQUENCE.sub("\x1b", en) if _UNSAFE.match(c)})
        changes.append(f"control or invisible characters removed from the machine's English "
                       f"({', '.join(removed[:6])}{', …' if len(removed) > 6 else ''})")
    en = cleaned
    if over or len(en) > limit:
        changes.append(f"the machine's English ran to {max(over, len(en)):,} characters for {len(zh):,} of Chinese; "
                       f"cut at {limit:,}")
        en = _cut(en, limit)
    problems = markup_problems(zh, en)
    if problems:
        plain = as_plain_text(en, keep_notes=footnote_labels(zh))
        if plain != en:
            changes.append(f"the machine's markup does not match the Chinese ({'; '.join(problems)}); kept as "
                           f"plain text")
            en = plain
    return Screened(en, tuple(changes))


def _unsafe_left(raw: str, cleaned: str) -> bool:
    """True when rule 1 removed more than line breaks."""
    return raw != cleaned and _BREAKS.sub(" ", raw) != cleaned


def has_unsafe_characters(text: str) -> bool:
    """True when ``text`` holds something rule 1 removes other than line breaks."""
    return _unsafe_left(text, printable(text))


def _name(character: str) -> str:
    names = {"\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x0b": "VT", "\x0c": "form feed", "\x1b": "ESC",
             "\x7f": "DEL"}
    return names.get(character) or f"U+{ord(character):04X}"


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a space when one is near the end."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ", limit - 64)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


def as_plain_text(markdown: str, keep_notes=()) -> str:
    """The text a reader sees of inline Markdown, escaped so that it renders as that text and nothing else;
    footnote references to ``keep_notes`` labels (the Chinese's) stay references, where they were."""
    from translate.markup import parser

    parts: list[str] = []
    for token in parser().parseInline(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(_MARKDOWN_SPECIAL.sub(r"\\\1", child.content))
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "footnote_ref" and child.meta["label"] in keep_notes:
                parts.append(f"[^{child.meta['label']}]")
    return "".join(parts)


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """The nesting depth of the JSON ``text`` (strings skipped), counted up to ``limit + 1`` at most."""
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif mark in "]}":
            depth -= 1
    return deepest


def loads_bounded(text: str, limit: int = MAX_JSON_DEPTH):
    """:func:`json.loads` that refuses nesting deeper than ``limit`` with :class:`ValueError`, never recursing deep."""
    if json_depth(text, limit) > limit:
        raise ValueError(f"JSON nested deeper than {limit} levels")
    return json.loads(text)
