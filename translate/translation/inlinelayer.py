"""Carry inline Markdown (bold, italic, links, code, footnote references) across translation.

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

Inline code and footnote references are **protected spans** (:func:`carry_protected`): carried
verbatim, never translated. A footnote reference is never sent to an engine; it is put back after the
English of what it followed (the mark or code it closed, the target of the glossary term it followed,
the English of the clause before it), else at the end of the sentence before its final punctuation.
Inline code goes to a sentence engine inside its sentence, since the sentence needs it, but what the
engine wrote for it (``cost_model.py`` comes back as ``cost_model. py`` or ``Cost_model.py``) is
replaced by the code itself; where nothing of it can be found, the code is added before the final
punctuation. A word-by-word engine keeps run order, so both stay where they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from translate.engines import Capability
from translate.markup import FOOTNOTE_LABEL, footnote_labels
from translate.translation.constraints import RUNG_NONE, Constrained, find_term, term_honoured

#: A footnote reference, as :data:`translate.markup.FOOTNOTE_REF` reads it (first: ``[^1]`` is no link).
_NOTE_REF = rf"\[\^(?P<ref>{FOOTNOTE_LABEL})\]"
_MARK = re.compile(
    _NOTE_REF + r"|\[(?P<link>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
    r"|`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|__(?P<strong2>.+?)__"
    r"|\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*"
    r"|(?<![A-Za-z0-9_])_(?P<em2>[^_\s](?:[^_]*?[^_\s])?)_(?![A-Za-z0-9_])"
)
_EDGE_PUNCTUATION = "，。！？；：、,.!?;:“”\"'‘’（）()《》 "
#: How protected spans (inline code, footnote references) are carried across: part of the memory key of the
#: sentences that hold one (:func:`memory_options`), so English remembered before a change here is made again.
PROTECTED_VERSION = "1"


def memory_options(options: str, source: str) -> str:
    """An engine's memory-key options for ``source``: with :data:`PROTECTED_VERSION` when it holds code or a note."""
    return f"{options};protected-v{PROTECTED_VERSION}" if "`" in source or "[^" in source else options


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a sentence: plain text, or text inside one inline mark."""

    text: str
    """Plain text of the run (inner marks removed)."""
    open: str = ""
    """Markdown that opens the mark (``**``, ``[``…)."""
    close: str = ""
    """Markdown that closes it (``**``, ``](url)``…)."""
    protected: bool = False
    """True for inline code and footnote references: carried verbatim, never translated."""

    @property
    def marked(self) -> bool:
        """True when the run is inside a mark whose text is translated (bold, italic, a link)."""
        return bool(self.open) and not self.protected

    @property
    def markdown(self) -> str:
        """The run as the source wrote it (inner marks of a bold or link run aside)."""
        return f"{self.open}{self.text}{self.close}"

    @property
    def note(self) -> bool:
        """True for a footnote reference (its ``open`` is the whole ``[^label]``; it has no text)."""
        return self.protected and self.open.startswith("[^")

    @property
    def code(self) -> bool:
        """True for inline code."""
        return self.protected and self.open == "`"


def runs(markdown: str) -> list[Run]:
    """Split inline Markdown into plain and marked runs (one level; inner marks are dropped)."""
    out: list[Run] = []
    position = 0
    for match in _MARK.finditer(markdown):
        if match.start() > position:
            out.append(Run(markdown[position:match.start()]))
        kind = next(k for k in ("ref", "link", "code", "strong", "strong2", "em", "em2")
                    if match.group(k) is not None)
        inner = match.group(kind)
        if kind == "ref":
            out.append(_note_run(inner))
        elif kind == "code":
            out.append(Run(inner, "`", "`", protected=True))
        else:
            if kind == "link":
                out.append(Run(plain_text(inner), "[", f"]({match.group('url')})"))
            else:
                marker = {"strong": "**", "strong2": "__", "em": "*", "em2": "_"}[kind]
                out.append(Run(plain_text(inner), marker, marker))
            # A reference inside a mark (``**芯片[^2]**``) is carried just after it: runs are one level deep.
            out += [_note_run(label) for label in re.findall(_NOTE_REF, inner)]
        position = match.end()
    if position < len(markdown):
        out.append(Run(markdown[position:]))
    return out


def _note_run(label: str) -> Run:
    return Run("", f"[^{label}]", "", protected=True)


def plain_text(markdown: str) -> str:
    """The text of inline Markdown without its marks (link addresses and footnote references dropped)."""
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
            if not any(run.open for run in plan):
                jobs.append(("plain", ask(source)))
            elif only_protected(source):
                jobs.append(("verbatim", source.strip()))  # ``[^1]`` cut off after a full stop: nothing to ask
            elif self.word_by_word:
                jobs.append(("runs", [(run, ask(run.text) if run.text.strip() and not run.protected else None)
                                      for run in plan]))
            else:
                kept = [run for run in plan if not run.note]  # a footnote reference never reaches the engine
                whole = ask("".join(run.text for run in kept))
                marks = [(run, ask(run.text) if run.marked and _has_words(run.text) else None) for run in kept]
                # The English of the clause a reference follows, to find where the reference goes.
                clauses = {k: ask(clause) for k, clause in _clauses_before_notes(plan).items()}
                jobs.append(("sentence", (source, whole, marks, clauses)))
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
        if kind == "verbatim":
            return Constrained(job, RUNG_NONE, job)
        if kind == "runs":
            pieces, rung, raw = [], RUNG_NONE, []
            for run, index in job:
                if run.protected:
                    pieces.append(run.markdown)
                    continue
                if index is None:
                    english = run.text.strip()
                else:
                    english = results[index].en
                    rung = max(rung, results[index].rung)
                    raw.append(results[index].raw)
                if english:
                    pieces.append(f"{run.open}{english}{run.close}" if run.marked else english)
            return Constrained(_join_runs(pieces), rung, " ".join(raw))
        source, whole, marks, clauses = job
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
        fragments = {k: results[index].en.strip(_EDGE_PUNCTUATION) for k, index in clauses.items()}
        return Constrained(carry_protected(source, english, self.glossary, fragments), result.rung, result.raw)


def carry_protected(source: str, english: str, glossary=None, fragments: dict[int, str] | None = None) -> str:
    """``english`` carrying every inline code span and footnote reference of ``source`` verbatim.

    English that already carries them (the gloss's, an engine's that kept them) is returned as it is.
    Otherwise references are taken out and placed again (module docstring), code the source does not
    have loses its backticks (an engine invented it), and each code span the English lacks replaces
    what the engine made of its text (found letter for letter, ignoring case, spaces and the
    punctuation inside it), else is added before the final punctuation. ``fragments`` maps the index
    of a reference's run in :func:`runs` of ``source`` to the English of the clause before it, where
    the caller had it translated.
    """
    plan = runs(source)
    codes = [run for run in plan if run.code]
    notes = [run for run in plan if run.note]
    if "`" not in english and "[^" not in english and not codes and not notes:
        return english
    english_codes = re.findall(r"`[^`\n]+`", english)
    if footnote_labels(english) == footnote_labels(source) and sorted(english_codes) == sorted(
            run.markdown for run in codes):
        return english
    english = re.sub(r"\s*" + _NOTE_REF, "", english)  # an engine's own references are placed again
    wanted = [run.markdown for run in codes]
    for span in english_codes:  # code the source does not have is the engine's: its text stays, not as code
        if span in wanted:
            wanted.remove(span)
        else:
            english = english.replace(span, span[1:-1], 1)
    for run in codes:
        if english.count(run.markdown) < source.count(run.markdown):
            english = _place_code(english, run)
    return _place_notes(plan, english, glossary, fragments or {})


def only_protected(markdown: str) -> bool:
    """True when the sentence is nothing but footnote references and code (``[^1]`` cut off after ``。``):
    carried as it is, never sent to an engine."""
    plan = runs(markdown)
    return any(run.protected for run in plan) and not any(_has_words(run.text) for run in plan if not run.protected)


def without_notes(markdown: str) -> str:
    """``markdown`` without its footnote references: what an engine that gets Markdown is sent."""
    return re.sub(r"\s*" + _NOTE_REF, "", markdown) if "[^" in markdown else markdown


def _clauses_before_notes(plan: list[Run]) -> dict[int, str]:
    """For each footnote reference that follows plain text: the last clause of that text (index → Chinese)."""
    clauses = {}
    for k, run in enumerate(plan):
        if run.note and k > 0 and not plan[k - 1].open:
            clause = re.split(r"[，。！？；：、,;:!?]", plan[k - 1].text.rstrip())[-1].strip()
            if _has_words(clause) and k < len(plan) - 1 and _has_words("".join(r.text for r in plan[k + 1:])):
                clauses[k] = clause  # a reference at the end of the sentence goes there anyway
    return clauses


#: The longest code span (letters and digits) looked for in the English as the engine may have broken it up.
MAX_FUZZY_CODE = 200
_CLOSING = "。.！!？?；;：:…\"”’'」』）)"


def _before_final_punctuation(english: str) -> int:
    """Where the sentence ends before its final punctuation and closing quotes (never inside a link's address)."""
    end = len(english.rstrip())
    at = end
    while at > 0 and english[at - 1] in _CLOSING:
        if english[at - 1] == ")" and re.search(r"\]\([^)\s]*\)$", english[:at]):
            break  # a link's address, not a closing bracket
        at -= 1
    return at


def _place_code(english: str, run: Run) -> str:
    """``english`` with the code ``run`` put where the engine wrote its text, else before the final punctuation."""
    letters = [re.escape(ch) for ch in run.text if ch.isalnum()]
    match = None
    if 0 < len(letters) <= MAX_FUZZY_CODE:
        pattern = r"(?<![\w`])" + r"[\W_]{0,3}".join(letters) + r"(?![\w`])"
        match = re.search(pattern, english, re.IGNORECASE)
    if match is not None:
        return english[:match.start()] + run.markdown + english[match.end():]
    at = _before_final_punctuation(english)
    space = " " if at and not english[at - 1].isspace() else ""
    return f"{english[:at]}{space}{run.markdown}{english[at:]}"


def _place_notes(plan: list[Run], english: str, glossary, fragments: dict[int, str]) -> str:
    """``english`` (without references) with each footnote reference of ``plan`` put after what it followed."""
    source_marks = [r.open + r.close[:2] for r in plan if r.marked]
    english_marks = [(r.open + r.close[:2], end) for r, end in _runs_with_ends(english) if r.marked]
    aligned = [m for m, _ in english_marks] == source_marks
    inserts: list[tuple[int, int, str]] = []  # (position, order, reference)
    for k, run in enumerate(plan):
        if not run.note:
            continue
        anchor = k - 1
        while anchor >= 0 and plan[anchor].note:
            anchor -= 1
        at = None
        if anchor >= 0 and plan[anchor].marked and aligned:
            nth = sum(1 for r in plan[:anchor] if r.marked)
            at = english_marks[nth][1]
        elif anchor >= 0 and plan[anchor].code:
            nth = sum(1 for r in plan[:anchor] if r.markdown == plan[anchor].markdown)
            at = _nth_end(english, plan[anchor].markdown, nth)
        elif anchor >= 0 and plan[anchor].text.strip():
            at = _after_term(plan[anchor].text, english, glossary)
            if at is None and fragments.get(k) and len(fragments[k]) > 1:
                found = english.lower().find(fragments[k].lower())
                at = found + len(fragments[k]) if found >= 0 else None
        if at is None:
            at = _before_final_punctuation(english)
        inserts.append((at, k, run.open))
    for at, _, reference in sorted(inserts, reverse=True):
        english = english[:at] + reference + english[at:]
    return english


def _runs_with_ends(markdown: str) -> list[tuple[Run, int]]:
    """The runs of ``markdown`` with where each ends in it."""
    out = []
    for match in _MARK.finditer(markdown):
        [run] = [r for r in runs(match.group(0)) if not r.note] or [Run("")]
        out.append((run, match.end()))
    return out


def _nth_end(english: str, needle: str, nth: int) -> int | None:
    at = -1
    for _ in range(nth + 1):
        at = english.find(needle, at + 1)
        if at < 0:
            return None
    return at + len(needle)


def _after_term(chinese: str, english: str, glossary) -> int | None:
    """After the English target of the glossary term ``chinese`` ends with, when it has one and the English says it."""
    if glossary is None:
        return None
    stripped = chinese.rstrip()
    matches = [m for m in glossary.find(stripped) if m.end == len(stripped)]
    if not matches:
        return None
    span = find_term(matches[-1].term, english)
    return span[1] if span is not None else None


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


#: What a gloss run is joined to the run before without a space: punctuation, and a footnote reference.
_NO_SPACE_BEFORE = (",", ".", ";", ":", "!", "?", ")", "[^")


def _join_runs(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        if out and not out.endswith((" ", "(", '"')) and not piece.startswith(_NO_SPACE_BEFORE):
            out += " "
        out += piece
    return re.sub(r"\s+", " ", out).strip()


def _capitalise(text: str) -> str:
    """Upper-case the first letter, looking past opening marks and quotes."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if ch not in "*_[\"'(":
            break  # code (`x`) is never changed, nor a footnote reference
    return text
