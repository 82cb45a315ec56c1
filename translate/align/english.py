"""English sentence splitting, done here so that nothing downloads a model (no NLTK punkt data).

A sentence ends at ``.``, ``!``, ``?`` or an ellipsis, with any closing quotes and
brackets after it, when whitespace follows and the next word may start a sentence
(a capital, a digit or an opening quote). It does not end after a title or a common
abbreviation (``Mr.``, ``Dr.``, ``e.g.``, ``U.S.``), after an initial (``J. K. Rowling``),
inside a number (``2.5``) or before a lower-case word (``... and so on``). A blank line
always ends a sentence; single line breaks inside a paragraph are spaces.
"""

from __future__ import annotations

import re

#: Abbreviations after which a full stop never ends a sentence (compared in lower case, without the stop).
TITLES = frozenset(
    "mr mrs ms dr prof sr jr st mt rev gen col lt sgt capt cmdr gov sen rep pres fr hon messrs mme mlle "
    "no nos fig figs vol vols pp ch sec art ed eds approx dept est inc ltd co corp bros vs cf al "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: Abbreviations that end a sentence only when a capital follows that starts no name (kept simple: they may end one).
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}$")  # e.g. i.e. U.S. a.m. p.m.

_CLOSERS = "\"'”’)]»」』"
_OPENERS = "\"'“‘([«「『"
_END = re.compile(rf"(?:\.{{3}}|…|[.!?]+)[{re.escape(_CLOSERS)}]*(?=\s)")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"\s+")


def split_english(text: str) -> list[str]:
    """The sentences of ``text`` in order, whitespace inside each collapsed to single spaces."""
    sentences: list[str] = []
    for paragraph in _PARAGRAPHS.split(text):
        paragraph = _SPACE.sub(" ", paragraph).strip()
        if paragraph:
            sentences.extend(_split_paragraph(paragraph))
    return sentences


def _split_paragraph(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if _continues(text, match.start(), match.group(0), end):
            continue
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _continues(text: str, stop: int, terminator: str, end: int) -> bool:
    """True when the terminator at ``stop`` does not end the sentence."""
    following = text[end:].lstrip()
    if not following:
        return False
    first = following[0]
    if first.islower() or first in ",;:":
        return True  # "... and so on", "e.g. a model", "Mr. (sic)"
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return True
    if terminator.rstrip(_CLOSERS) != ".":
        return False  # ! ? … end a sentence before a capital
    word = re.search(r"[\w.]*$", text[:stop]).group(0)
    if not word:
        return False
    if word.lower() in TITLES:
        return True
    if len(word) == 1 and word.isupper():
        return True  # an initial: J. K. Rowling
    if _DOTTED.search(word + "."):
        # U.S. before a capital: ambiguous; a dotted abbreviation continues when a name-like capital follows
        # a lower-case-first abbreviation (e.g. Apple), and ends otherwise.
        return word[0].islower()
    return False
