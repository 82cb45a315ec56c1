"""The glossary layer: every glossary term comes out as the glossary says, or is reported.

For each sentence the layer climbs a ladder and stops at the first rung that works:

1. **substitute** — put each term's English into the source in place of the Chinese
   (NMT models copy Latin spans; the gloss engine passes them through);
2. **n-best** — ask for ``n`` hypotheses (of the substituted and of the untouched source)
   and keep the best one carrying every term;
3. **attention** — find the English pieces the model aligned with the term and
   replace them with the target (engines that offer ``align``);
4. **violation** — give up, and let the translator record it. Never silent.

With an engine that offers ``decode`` (the Argos engine), a sentence with terms costs one
decode: its n-best list with attention gives rungs 1, 2 and 3 at once, and sentences without
terms get the plain beam search. Rung 3 tries each hypothesis's attention in turn, best first:
it costs no decoding, and the second hypothesis is often the one whose alignment can be
repaired. A second decode only for the sentences rung 1 leaves short was measured and
rejected: on the test model 97 % of the sentences with terms still miss one after it, on the
benchmark model all of them, so it would add a pass rather than save one.
With other engines rungs 2 and 3 run only on the sentences still missing a term, in one
batch each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from translate.engines import Capability
from translate.glossary.honour import (WORD_CHARS as _WORD, GlossaryLike, find_term, lowered_for_ascii,
                                      target_honoured, term_honoured, term_pattern)
from translate.models import Term, TermMatch
from translate.translation.engine import Alignment, Engine

#: Ladder rungs, as recorded in the translation memory and the translation files.
RUNG_NONE, RUNG_SUBSTITUTE, RUNG_NBEST, RUNG_ATTENTION, RUNG_VIOLATION = 0, 1, 2, 3, 4
#: The LLM engine's ladder (:mod:`translate.translation.llm`): its first answer, or the answer to a correction.
RUNG_FIRST_ANSWER, RUNG_AFTER_CORRECTION = 5, 6
RUNG_NAMES = {0: "no terms", 1: "substitute", 2: "n-best", 3: "attention", 4: "violation", 5: "first answer",
              6: "after correction"}


@dataclass(frozen=True, slots=True)
class Constrained:
    """The glossary layer's result for one sentence."""

    en: str
    """The English sentence."""
    rung: int
    """The rung that settled it (``RUNG_*``); ``RUNG_VIOLATION`` when a term is still missing."""
    raw: str = ""
    """What the engine produced for the substituted source, before rungs 2 and 3."""
    failed: str = ""
    """Why the English may not be kept as a translation (an answer that never took the format, an empty one):
    such a result is shown with an ``engine_failed`` flag and never remembered. Empty for a kept result."""
    model: str = ""
    """The model that answered, when the engine knows it (an LLM server's ``model`` field); empty otherwise."""


#: Bump when the ladder's rules change, so the translation memory re-translates.
LADDER_VERSION = "4"


def substitute(source: str, matches: Sequence[TermMatch]) -> tuple[str, list[tuple[int, int, Term]]]:
    """Rung 1's source: each match replaced by its English; returns the new spans too."""
    out: list[str] = []
    spans: list[tuple[int, int, Term]] = []
    position = 0
    length = 0
    for match in sorted(matches, key=lambda m: m.start):
        before = source[position:match.start]
        out.append(before)
        length += len(before)
        target = match.term.en
        # The character before the target: the source's, or the previous target's when two terms touch.
        previous = before[-1:] or (out[-1][-1:] if out and out[-1] else "") or (out[-2][-1:] if len(out) > 1 else "")
        touching = not before and bool(spans) and spans[-1][1] == length
        if previous and not previous.isspace() and (touching or _is_wordlike(previous) and _is_wordlike(target[:1])):
            out.append(" ")
            length += 1
        spans.append((length, length + len(target), match.term))
        out.append(target)
        length += len(target)
        after = source[match.end:match.end + 1]
        if after and not after.isspace() and _is_wordlike(after):
            out.append(" ")
            length += 1
        position = match.end
    out.append(source[position:])
    return "".join(out), spans


def _is_wordlike(ch: str) -> bool:
    # Only Latin letters and digits need a space: Chinese text embeds Latin spans
    # without spaces (OpenAI发布了…), and models are trained on it that way.
    return ch.isascii() and ch.isalnum()


class GlossaryLayer:
    """Wraps an engine so that glossary terms come out as the glossary says."""

    def __init__(self, engine: Engine, glossary: GlossaryLike, *, num_hypotheses: int = 4):
        self.engine = engine
        self.glossary = glossary
        self.num_hypotheses = num_hypotheses

    def translate(self, sources: Sequence[str]) -> list[Constrained]:
        """Translate a batch of plain Chinese sentences, climbing the ladder where needed."""
        if not sources:
            return []
        matches = [self.glossary.find(source) for source in sources]
        prepared = [substitute(source, found) for source, found in zip(sources, matches)]
        terms = [_unique_terms(found) for found in matches]
        if Capability.DECODE in self.engine.capabilities:
            return self._in_one_decode(prepared, terms)
        return self._rung_by_rung(sources, prepared, terms)

    def _in_one_decode(self, prepared, terms) -> list[Constrained]:
        """Rungs 1–3 from one n-best decode with attention of each sentence that has terms.

        The first decoding step's attention costs the engine a second pass (it runs the encoder
        again), and only rung 3 reads it: the decode leaves it open, each sentence is settled for
        every source its first piece may have, and only the sentences whose outcome differs get it
        (:meth:`_settle_unless_first_matters`). The result is the same as with it known up front.
        """
        results: list[Constrained | None] = [None] * len(prepared)
        plain = [i for i, found in enumerate(terms) if not found]
        for i, english in zip(plain, self.engine.translate([prepared[i][0] for i in plain]) if plain else []):
            results[i] = Constrained(english, RUNG_NONE, english)
        constrained = [i for i, found in enumerate(terms) if found]
        if constrained:
            decoded = self.engine.decode([prepared[i][0] for i in constrained], max(1, self.num_hypotheses),  # type: ignore[attr-defined]
                                         attention=True, first_step=False)
            open_first: list[tuple[int, int, Sequence[Alignment]]] = []
            for k, (i, hypotheses) in enumerate(zip(constrained, decoded)):
                results[i] = self._settle_unless_first_matters(hypotheses, prepared[i][1], terms[i])
                if results[i] is None:
                    open_first.append((k, i, hypotheses))
            if open_first:
                firsts = self.engine.first_sources([prepared[i][0] for _k, i, _h in open_first])  # type: ignore[attr-defined]
                for n, (_k, i, hypotheses) in enumerate(open_first):
                    known = [_with_first(h, firsts[n]) if n in firsts else replace(h, first_options=())
                             for h in hypotheses]
                    results[i] = self._settle(known, prepared[i][1], terms[i])
        return [r for r in results if r is not None]

    def _settle_unless_first_matters(self, hypotheses: Sequence[Alignment], spans, terms) -> Constrained | None:
        """:meth:`_settle` when the outcome is the same whatever the first piece's open source is, else None.

        Rung 3 reads a source only through which terms' spans it overlaps, so one candidate per distinct
        set of overlapped spans covers them all.
        """
        options = next((h.first_options for h in hypotheses if h.first_options), ())
        if not options:
            return self._settle(hypotheses, spans, terms)
        outcomes = set()
        candidates: dict[frozenset, tuple[int, int] | None] = {}
        for option in options:
            overlapped = frozenset(j for j, (start, end, _term) in enumerate(spans)
                                   if option is not None and option[0] < end and option[1] > start)
            candidates.setdefault(overlapped, option)
        for option in candidates.values():
            outcome = self._settle([_with_first(h, option) for h in hypotheses], spans, terms)
            if outcome.rung in (RUNG_SUBSTITUTE, RUNG_NBEST):
                return outcome  # settled before rung 3: no source was read
            outcomes.add(outcome)
            if len(outcomes) > 1:
                return None
        return outcomes.pop()

    def _settle(self, hypotheses: Sequence[Alignment], spans, terms) -> Constrained:
        """The first rung that works on one sentence's n-best list (best first, with attention)."""
        raw = hypotheses[0].text
        ranked = [_collapse_repeats(h.text, terms) for h in hypotheses]
        if not _missing(terms, ranked[0]):
            return Constrained(ranked[0], RUNG_SUBSTITUTE, raw)
        complete = [h for h in ranked if not _missing(terms, h)]
        if complete:
            return Constrained(complete[0], RUNG_NBEST, raw)
        for hypothesis in hypotheses:
            if not hypothesis.pieces:
                continue
            repaired = _replace_aligned(hypothesis, spans, terms)
            if repaired is not None and not _missing(terms, repaired):
                return Constrained(repaired, RUNG_ATTENTION, raw)
        # Keep the hypothesis carrying the most terms.
        return Constrained(min(ranked, key=lambda h: len(_missing(terms, h))), RUNG_VIOLATION, raw)

    def _rung_by_rung(self, sources, prepared, terms) -> list[Constrained]:
        """The ladder for engines without ``decode``: each rung one batch over the sentences still missing a term."""
        inputs = [text for text, _ in prepared]
        outputs = self.engine.translate(inputs)
        results: list[Constrained | None] = [None] * len(sources)
        pending: list[int] = []
        for i, english in enumerate(outputs):
            english = _collapse_repeats(english, terms[i])
            if not terms[i]:
                results[i] = Constrained(english, RUNG_NONE, english)
            elif not _missing(terms[i], english):
                results[i] = Constrained(english, RUNG_SUBSTITUTE, english)
            else:
                pending.append(i)
        best = {i: _collapse_repeats(outputs[i], terms[i]) for i in pending}

        if pending and self.num_hypotheses > 1:
            # The n-best lists of the substituted source, then of the untouched one: a model that
            # learned a term's usual translation may honour it on the Chinese better than on the Latin.
            batch = [inputs[i] for i in pending] + [sources[i] for i in pending]
            nbest = self.engine.hypotheses(batch, self.num_hypotheses)
            still: list[int] = []
            for k, i in enumerate(pending):
                hypotheses = nbest[k] + nbest[len(pending) + k]
                ranked = [_collapse_repeats(h, terms[i]) for h in hypotheses]
                complete = [h for h in ranked if not _missing(terms[i], h)]
                if complete:
                    results[i] = Constrained(complete[0], RUNG_NBEST, outputs[i])
                else:
                    still.append(i)
                    # Keep the hypothesis carrying the most terms for the next rung.
                    best[i] = min([best[i], *ranked], key=lambda h: len(_missing(terms[i], h)))
            pending = still

        if pending and Capability.ALIGN in self.engine.capabilities:
            alignments = self.engine.align([inputs[i] for i in pending])  # type: ignore[attr-defined]
            still = []
            for i, alignment in zip(pending, alignments):
                repaired = _replace_aligned(alignment, prepared[i][1], terms[i])
                if repaired is not None and not _missing(terms[i], repaired):
                    results[i] = Constrained(repaired, RUNG_ATTENTION, outputs[i])
                else:
                    still.append(i)
            pending = still

        for i in pending:
            results[i] = Constrained(best[i], RUNG_VIOLATION, outputs[i])
        return [r for r in results if r is not None]


def _with_first(hypothesis: Alignment, source: tuple[int, int] | None) -> Alignment:
    """The hypothesis with its first piece's source known to be ``source`` (unchanged when it was known)."""
    if not hypothesis.first_options:
        return hypothesis
    return replace(hypothesis, sources=(source, *hypothesis.sources[1:]), first_options=())


def _unique_terms(matches: Sequence[TermMatch]) -> tuple[Term, ...]:
    seen: dict[str, Term] = {}
    for match in matches:
        seen.setdefault(match.term.zh, match.term)
    return tuple(seen.values())


def _missing(terms: Sequence[Term], english: str) -> list[Term]:
    # The ladder forces the target itself: an alternate is what a person may write, not what an engine is held to.
    return [term for term in terms if not target_honoured(term, english)]


def _collapse_repeats(english: str, terms: Sequence[Term]) -> str:
    """``Langboat Langboat`` → ``Langboat``: models sometimes stutter on copied spans."""
    for term in terms:
        if len(term.en) < 3:
            continue
        exact = bool(term.keep or term.case == "exact")
        if not _may_repeat(term.en, exact, english):
            continue
        english = _repeats(term.en, exact).sub(r"\1", english)
    return english


def _may_repeat(target: str, exact: bool, english: str) -> bool:
    """False only when :func:`_repeats` cannot match: ``english`` does not hold ``target`` twice (as the pattern
    matches it: as written, or ignoring case). Where ignoring case is beyond ``str.lower`` (a target that is not
    ASCII, an English holding a letter ``re`` folds to an ASCII one), the pattern decides."""
    if exact:
        return english.count(target) >= 2
    if not target.isascii():
        return True
    lowered = lowered_for_ascii(english)
    return lowered is None or lowered.count(target.lower()) >= 2


@lru_cache(maxsize=4096)
def _repeats(target: str, exact: bool) -> re.Pattern:
    # Compiled once per target: a termbase has more targets than the re module's cache holds
    # (512), so re.sub recompiled them sentence after sentence (0.4 s of a cold build).
    pattern = rf"(?<![{_WORD}])({re.escape(target)})(?:[\s,]+{re.escape(target)})+(?![{_WORD}])"
    return re.compile(pattern, 0 if exact else re.IGNORECASE)


def _longest_run(indices: list[int]) -> tuple[int, int] | None:
    """The longest stretch of consecutive piece indices (first one on a tie)."""
    best: tuple[int, int] | None = None
    current: tuple[int, int] | None = None
    for k in indices:
        if current is None or k != current[1] + 1:
            current = (k, k)
        else:
            current = (current[0], k)
        if best is None or current[1] - current[0] > best[1] - best[0]:
            best = current
    return best


def _replace_aligned(alignment: Alignment, spans: Sequence[tuple[int, int, Term]],
                     terms: Sequence[Term]) -> str | None:
    """Replace the English pieces aligned with each missing term's source span by its target."""
    missing = {term.zh for term in _missing(terms, alignment.text)}
    ranges: list[tuple[int, int, Term]] = []
    for start, end, term in spans:
        if term.zh not in missing:
            continue
        aligned = [k for k, source in enumerate(alignment.sources)
                   if source is not None and source[0] < end and source[1] > start]
        run = _longest_run(aligned)
        # A long or scattered run means the attention is not a word alignment: give up rather than
        # overwrite half the sentence (measured on the fixture model, min..max did exactly that).
        if not run or run[1] - run[0] + 1 > 2 * len(term.en.split()) + 2 or \
                run[1] - run[0] + 1 > max(1, len(alignment.pieces) // 2):
            continue
        ranges.append((run[0], run[1], term))
        missing.discard(term.zh)  # one occurrence is enough to honour the term
    if not ranges:
        return None
    pieces = list(alignment.pieces)
    taken: set[int] = set()
    for first, last, term in sorted(ranges, key=lambda r: r[0], reverse=True):
        if taken & set(range(first, last + 1)):
            continue
        taken.update(range(first, last + 1))
        lead = " " if pieces[first].startswith(" ") or first > 0 else ""
        pieces[first:last + 1] = [lead + term.en]
    return re.sub(r"\s+", " ", "".join(pieces)).strip()
