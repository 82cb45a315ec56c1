"""Carry inline Markdown (bold, italic, links, code) across translation.

The engines translate plain text. This layer takes each sentence's Markdown apart
into runs, has the glossary layer translate them, and puts the marks back on the
English side:

- word-by-word engines (the gloss) translate every run on its own, so each mark
  lands exactly where it was;
- sentence engines (Argos) translate the whole plain sentence; a mark that spans
  the whole sentence wraps the whole English, a mark around a glossary term wraps
  the term's target, any other mark wraps the English of its own text where that
  appears in the sentence; a link that cannot be placed is added after the sentence
  in parentheses so its address is never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from translate.engines import Capability
from translate.translation.constraints import RUNG_NONE, Constrained, find_term, term_honoured

_MARK = re.compile(
    r"\[(?P<link>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
    r"|`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|__(?P<strong2>.+?)__"
    r"|\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*"
    r"|(?<![A-Za-z0-9_])_(?P<em2>[^_\s](?:[^_]*?[^_\s])?)_(?![A-Za-z0-9_])"
)
_EDGE_PUNCTUATION = "，。！？；：、,.!?;:“”\"'‘’（）()《》 "


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a sentence: plain text, or text inside one inline mark."""

    text: str
    """Plain text of the run (inner marks removed)."""
    open: str = ""
    """Markdown that opens the mark (``**``, ``[``…)."""
    close: str = ""
    """Markdown that closes it (``**``, ``](url)``…)."""

    @property
    def marked(self) -> bool:
        """True when the run is inside a mark."""
        return bool(self.open)


def runs(markdown: str) -> list[Run]:
    """Split inline Markdown into plain and marked runs (one level; inner marks are dropped)."""
    out: list[Run] = []
    position = 0
    for match in _MARK.finditer(markdown):
        if match.start() > position:
            out.append(Run(markdown[position:match.start()]))
        kind = next(k for k in ("link", "code", "strong", "strong2", "em", "em2") if match.group(k) is not None)
        inner = match.group(kind)
        if kind == "link":
            out.append(Run(plain_text(inner), "[", f"]({match.group('url')})"))
        elif kind == "code":
            out.append(Run(inner, "`", "`"))
        else:
            marker = {"strong": "**", "strong2": "__", "em": "*", "em2": "_"}[kind]
            out.append(Run(plain_text(inner), marker, marker))
        position = match.end()
    if position < len(markdown):
        out.append(Run(markdown[position:]))
    return out


def plain_text(markdown: str) -> str:
    """The text of inline Markdown without its marks (link addresses dropped)."""
    return "".join(run.text for run in runs(markdown)) if _MARK.search(markdown) else markdown


class InlineLayer:
    """Wraps any layer that translates plain sentences (the glossary layer, an engine): Markdown in, Markdown out."""

    def __init__(self, layer, glossary=None):
        self.layer = layer
        self.glossary = glossary if glossary is not None else getattr(layer, "glossary", None)
        """Where marked runs' terms are looked up (the wrapped glossary layer's by default; None: no terms)."""
        # The engine's declaration (a layer that is no engine, and declares nothing, translates whole sentences).
        self.word_by_word = Capability.WORD_BY_WORD in getattr(getattr(layer, "engine", layer), "capabilities", ())

    def translate(self, sources: Sequence[str]) -> list[Constrained]:
        """Translate a batch of Markdown sentences."""
        plans = [runs(source) for source in sources]
        requests: list[str] = []

        def ask(text: str) -> int:
            requests.append(text)
            return len(requests) - 1

        jobs: list[tuple[str, object]] = []
        for source, plan in zip(sources, plans):
            if not any(run.marked for run in plan):
                jobs.append(("plain", ask(source)))
            elif self.word_by_word:
                jobs.append(("runs", [(run, ask(run.text) if run.text.strip() else None) for run in plan]))
            else:
                whole = ask("".join(run.text for run in plan))
                marks = [(run, ask(run.text) if run.marked and _has_words(run.text) else None) for run in plan]
                jobs.append(("sentence", (whole, marks)))
        results = self.layer.translate(requests)
        out = [self._assemble(kind, job, results) for kind, job in jobs]
        if self.word_by_word:
            out = [self._capitalised(source, result) for source, result in zip(sources, out)]
        return out

    def _capitalised(self, source: str, result: Constrained) -> Constrained:
        """A gloss starts with a capital, unless that would break an exact-case term."""
        english = _capitalise(result.en)
        if english != result.en and self.glossary is not None:
            terms = [m.term for m in self.glossary.find(plain_text(source))]
            if any(term_honoured(t, result.en) and not term_honoured(t, english) for t in terms):
                return result
        return Constrained(english, result.rung, result.raw)

    def _assemble(self, kind: str, job, results: list[Constrained]) -> Constrained:
        if kind == "plain":
            return results[job]
        if kind == "runs":
            pieces, rung, raw = [], RUNG_NONE, []
            for run, index in job:
                if index is None:
                    english = run.text.strip()
                else:
                    english = results[index].en
                    rung = max(rung, results[index].rung)
                    raw.append(results[index].raw)
                if english:
                    pieces.append(f"{run.open}{english}{run.close}" if run.marked else english)
            return Constrained(_join_runs(pieces), rung, " ".join(raw))
        whole, marks = job
        result = results[whole]
        english = result.en
        appended: list[str] = []
        marked = [(run, index) for run, index in marks if run.marked]
        for run, index in marked:
            if len(marked) == 1 and _covers(run, [r for r, _ in marks]):
                # Punctuation outside the mark in the source stays outside it in the English.
                last = marks[-1][0] is run
                english = _wrap_span(english, (0, len(english if last else english.rstrip(".!?;:"))), run)
                continue
            fragment = results[index].en.strip(_EDGE_PUNCTUATION) if index is not None else run.text
            span = _find_fragment(english, fragment, self.glossary, run.text)
            if span is not None:
                english = _wrap_span(english, span, run)
            elif run.close.startswith("]("):
                appended.append(f"{run.open}{fragment or run.text}{run.close}")
        if appended:
            english = f"{english} ({'; '.join(appended)})"
        return Constrained(english, result.rung, result.raw)


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _covers(run: Run, plan: list[Run]) -> bool:
    """True when the other runs are only punctuation and space."""
    return all(r is run or not r.text.strip(_EDGE_PUNCTUATION) for r in plan)


def _find_fragment(english: str, fragment: str, glossary, source: str) -> tuple[int, int] | None:
    matches = glossary.find(source) if glossary is not None else []
    if len(matches) == 1 and not source.replace(matches[0].surface, "").strip(_EDGE_PUNCTUATION):
        return find_term(matches[0].term, english)
    if not fragment:
        return None
    at = english.lower().find(fragment.lower())
    return (at, at + len(fragment)) if at >= 0 else None


def _wrap_span(english: str, span: tuple[int, int], run: Run) -> str:
    start, end = span
    if start >= end:
        return english
    return f"{english[:start]}{run.open}{english[start:end]}{run.close}{english[end:]}"


def _join_runs(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        if out and not out.endswith((" ", "(", '"')) and not piece.startswith((",", ".", ";", ":", "!", "?", ")")):
            out += " "
        out += piece
    return re.sub(r"\s+", " ", out).strip()


def _capitalise(text: str) -> str:
    """Upper-case the first letter, looking past opening marks and quotes."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if ch not in "*_[`\"'(":
            break
    return text
