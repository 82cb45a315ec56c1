"""Leftmost-longest term matching over Simplified, Traditional or mixed text.

The matcher folds both the terms and the text the same way before comparing:
Latin capitals to small letters, and each Traditional character that a term's
OpenCC conversion produced back to its Simplified character (when that is
unambiguous). A text mixing scripts (大模型創业) therefore still matches, and a
term is found at the same offsets in the original text, which is never changed.

Then a trie of the folded forms is walked from each position where a term can
start; the longest form that ends on a word boundary wins, and the scan goes on
after it (leftmost-longest, no overlaps). The walk runs in C as a regular
expression made from the trie's first :data:`PATTERN_DEPTH` levels; a match that
reaches that depth is finished by walking the trie in Python. Nothing here
recurses, so no term is long enough to reach Python's recursion limit. A Latin letter or digit may not be
cut: a match never starts or ends inside a longer Latin word (``AI`` is not
found in ``OpenAI`` or ``AIGC``, but is in ``用AI写``). Terms with the ``exact``
case rule are then only accepted when the Latin letters are as written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from translate.glossary.traditional import char_pairs, traditional_forms
from translate.models import Term, TermMatch

_END = ""  # trie key for "a form ends here" (never a character)

PATTERN_DEPTH = 24
"""Trie levels (characters of a form) the regular expression covers.

Python compiles a regular expression recursively, about two frames per nested
group, so the pattern stops at this depth (some 60 frames) and a longer form is
completed by :meth:`Matcher._walk`; real terms are shorter (the shipped longest has 22).
"""


def _latin_word_chars() -> frozenset[str]:
    chars = set("0123456789")
    for code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x250)):
        char = chr(code)
        if char.isalpha():
            chars.add(char)
    return frozenset(chars)


LATIN_WORD_CHARS = _latin_word_chars()
"""Characters that make up Latin words: a match may not cut through a run of them."""


def cuts_word(text: str, index: int) -> bool:
    """True when ``index`` falls between two Latin word characters of ``text``."""
    return 0 < index < len(text) and text[index - 1] in LATIN_WORD_CHARS and text[index] in LATIN_WORD_CHARS


def source_forms(term: Term) -> tuple[str, ...]:
    """Every source form of a term: the key first, then its variants."""
    return (term.zh, *(v for v in term.variants if v != term.zh))


class Matcher:
    """A trie over the folded source forms of some terms; build once, call :meth:`find` often."""

    __slots__ = ("_script_table", "_script_chars", "_root", "_terminals", "_simple", "_pattern", "_exact_forms",
                 "_terms")

    def __init__(self, terms: Iterable[Term]):
        terms = self._terms = tuple(terms)
        self._script_table = _script_folding(terms)
        self._script_chars = re.compile(
            "[" + "".join(re.escape(chr(c)) for c in sorted(self._script_table)) + "]" if self._script_table else r"(?!x)x"
        )
        self._root: dict = {}
        # folded form → the terms it stands for, in file order
        self._terminals: dict[str, list[Term]] = {}
        # id(term) → the forms an exact-case term accepts, script-folded but not case-folded
        self._exact_forms: dict[int, frozenset[str]] = {}
        listed: set[tuple[str, int]] = set()  # (folded form, id(term)): a term listed once per form
        for term in terms:
            if term.case == "exact":
                self._exact_forms[id(term)] = frozenset(f.translate(self._script_table) for f in source_forms(term))
            for form in source_forms(term):
                key = self.fold(form)
                if not key:
                    continue
                node = self._root
                for char in key:
                    node = node.setdefault(char, {})
                candidates = node.setdefault(_END, self._terminals.setdefault(key, []))
                if (key, id(term)) not in listed:  # not `term in candidates`: a list scan per term
                    listed.add((key, id(term)))
                    candidates.append(term)
        # folded form → its term when no case rule needs checking (the common case), else None
        self._simple = {
            key: None if any(id(t) in self._exact_forms for t in candidates) else candidates[0]
            for key, candidates in self._terminals.items()
        }
        # The trie again as a regular expression whose optional tails are greedy: at
        # each position it finds the longest form in C; Python only checks the result.
        self._pattern = re.compile(_trie_pattern(self._root, PATTERN_DEPTH) or r"(?!x)x")

    def __reduce__(self):
        # A copy (a cluster worker's, pickled) is built again from the terms: the exact-case table is
        # keyed by the terms' ids, which the copied terms do not keep.
        return (Matcher, (self._terms,))

    def fold(self, text: str) -> str:
        """``text`` as the trie sees it: small letters, Simplified where a term needs it; same length."""
        # str.lower and a regex scan run in C; str.translate with a dict does not, so
        # the (Simplified) working text skips it.
        folded = text.lower()
        if len(folded) != len(text):  # a capital like İ that lowers to two characters
            folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        if self._script_chars.search(folded):
            folded = folded.translate(self._script_table)
        return folded

    def find(self, text: str) -> list[TermMatch]:
        """Leftmost-longest, non-overlapping matches in ``text``, in order."""
        folded = self.fold(text)
        length = len(folded)
        matches: list[TermMatch] = []
        append = matches.append
        simple = self._simple
        words = LATIN_WORD_CHARS
        depth = PATTERN_DEPTH
        position = 0
        while position < length:
            for found in self._pattern.finditer(folded, position):
                start, end = found.span()
                if start and text[start] in words and text[start - 1] in words:
                    position = start + 1  # inside a Latin word: no match may start here
                    break
                if end - start < depth and (end == length or text[end] not in words or text[end - 1] not in words):
                    term = simple[found.group()]
                    if term is None:
                        term = self._accept(self._terminals[found.group()], text[start:end])
                    if term is not None:
                        append(TermMatch(start, end, text[start:end], term))
                        continue
                # The longest form cuts a word or has the wrong case, or the pattern stopped at its
                # depth: walk the trie for the longest acceptable form.
                best = self._walk(text, folded, start)
                if best is None:
                    position = start + 1
                else:
                    append(best)
                    position = best.end
                break
            else:
                break
        return matches

    def _walk(self, text: str, folded: str, start: int) -> TermMatch | None:
        """The longest acceptable match starting at ``start``, by walking the trie."""
        words = LATIN_WORD_CHARS
        length = len(folded)
        node = self._root
        index = start
        best = None
        while index < length:
            node = node.get(folded[index])
            if node is None:
                break
            index += 1
            candidates = node.get(_END)
            if candidates is None or (index < length and text[index - 1] in words and text[index] in words):
                continue
            surface = text[start:index]
            term = self._accept(candidates, surface)
            if term is not None:
                best = TermMatch(start, index, surface, term)
        return best

    def _accept(self, candidates: list[Term], surface: str) -> Term | None:
        for term in candidates:
            exact = self._exact_forms.get(id(term))
            if exact is None or surface.translate(self._script_table) in exact:
                return term
        return None


def _trie_pattern(root: dict, depth: int) -> str:
    """The trie's first ``depth`` levels as a regular expression whose optional tails are greedy.

    Built bottom-up with a stack of its own, not by recursion: a form of any length is safe.
    """
    patterns: dict[int, str] = {}  # id(node) → the pattern of the forms below it
    stack: list[tuple[dict, int, bool]] = [(root, 0, False)]
    while stack:
        node, level, children_done = stack.pop()
        children = [(char, child) for char, child in sorted(node.items()) if char != _END] if level < depth else []
        if not children_done:
            stack.append((node, level, True))
            stack.extend((child, level + 1, False) for _, child in children)
            continue
        branches = [re.escape(char) + patterns.pop(id(child)) for char, child in children]
        if not branches:
            patterns[id(node)] = ""
            continue
        body = branches[0] if len(branches) == 1 and _END not in node else "(?:" + "|".join(branches) + ")"
        if _END in node:
            body = body + "?" if body.startswith("(?:") else "(?:" + body + ")?"
        patterns[id(node)] = body
    return patterns[id(root)]


def _script_folding(terms: tuple[Term, ...]) -> dict[int, str]:
    """Traditional → Simplified characters taken from the terms' own conversions.

    A character is left alone when it maps to two Simplified characters, or when
    some term's Simplified key itself uses it (so 乾 in 乾隆 is never folded to 干).
    """
    simplified_chars = {char for term in terms for char in term.zh}
    targets: dict[str, set[str]] = defaultdict(set)
    for term in terms:
        for form in source_forms(term):
            for converted in traditional_forms(form):
                for traditional, simplified in char_pairs(form, converted):
                    targets[traditional].add(simplified)
    return {
        ord(traditional): next(iter(simplified))
        for traditional, simplified in targets.items()
        if len(simplified) == 1 and traditional not in simplified_chars
    }
