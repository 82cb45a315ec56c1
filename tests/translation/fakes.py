"""Translation-stage test helpers: a stand-in glossary, fake engines, Argos pointed at tmp folders.

Argos Translate's settings module creates folders and reads environment variables
when first imported, so they are pointed at a temporary folder before any test runs.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Sequence

_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="bitext-argos-"))
for variable, folder in {
    "XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "ARGOS_PACKAGES_DIR": "packages",
}.items():
    os.environ[variable] = str(_ARGOS_HOME / folder)

from translate.engines import Capability  # noqa: E402
from translate.models import Term, TermMatch  # noqa: E402
from translate.translation.engine import Alignment  # noqa: E402


class StandInGlossary:
    """The two methods of ``translate.glossary.Glossary`` the stage relies on (leftmost-longest)."""

    def __init__(self, terms: Sequence[Term]):
        self.terms = tuple(terms)
        self.version = "test"
        forms = sorted(((form, t) for t in self.terms for form in (t.zh, *t.variants)), key=lambda f: -len(f[0]))
        self._forms = forms

    def find(self, text: str) -> list[TermMatch]:
        found, i = [], 0
        while i < len(text):
            for form, term in self._forms:
                if text.startswith(form, i):
                    found.append(TermMatch(i, i + len(form), form, term))
                    i += len(form)
                    break
            else:
                i += 1
        return found


LARGE_MODEL = Term(zh="大模型", en="large model", kind="concept", line=2)
ZHOU_MING = Term(zh="周明", en="Zhou Ming", kind="person", line=3)
LANGBOAT = Term(zh="澜舟科技", en="Langboat", variants=("瀾舟科技",), kind="company", line=4)
DENSING = Term(zh="Densing Law", en="Densing Law", keep=True, case="exact", kind="concept", line=5)
TERMS = (LARGE_MODEL, ZHOU_MING, LANGBOAT, DENSING)


class DictionaryEngine:
    """A fake engine: translates known words from a table, leaves Latin as it is, drops the rest.

    Subclasses damage glossary targets in the ways real models do.
    """

    name = "fake"
    model_id = "fake-1"
    options = ""
    capabilities: frozenset[Capability] = frozenset()
    words = {
        "创立了": "founded", "他认为": "he thinks", "很重要": "is important", "因为": "because",
        "会成为": "will become", "基础设施": "infrastructure", "我们": "we", "喜欢": "like", "。": ".",
        "，": ",", "创业": "start-up", "你为什么": "why did you", "？": "?", "大模型": "big model",
        "周明": "Zhou Ming", "澜舟科技": "Langboat", "划重点": "key points", "：": ":", "第一点": "first",
        "报告": "the report", "见": "see", "公司": "company",
    }

    def __init__(self):
        self.warnings: list[str] = []
        self.calls = 0
        self.sentences: list[str] = []

    def render(self, sentence: str) -> str:
        out, i = [], 0
        keys = sorted(self.words, key=len, reverse=True)
        while i < len(sentence):
            for key in keys:
                if sentence.startswith(key, i):
                    out.append(self.words[key])
                    i += len(key)
                    break
            else:
                match = re.match(r"[A-Za-z0-9][A-Za-z0-9 .\-]*[A-Za-z0-9]|[A-Za-z0-9]", sentence[i:])
                if match:
                    out.append(match.group(0))
                    i += match.end()
                else:
                    i += 1
        text = " ".join(out)
        return re.sub(r" ([.,?:])", r"\1", text)

    def damage(self, english: str, rank: int) -> str:
        return english

    def translate(self, sentences):
        self.calls += 1
        self.sentences += list(sentences)
        return [self.damage(self.render(s), 0) for s in sentences]

    def hypotheses(self, sentences, n):
        self.calls += 1
        return [[self.damage(self.render(s), rank) for rank in range(n)] for s in sentences]


class DroppingEngine(DictionaryEngine):
    """Drops every Latin glossary target on every hypothesis (nothing but rung 4 can help)."""

    def damage(self, english, rank):
        for target in ("large model", "Zhou Ming", "Langboat"):
            english = english.replace(target, "").replace("  ", " ")
        return english.strip()


class MangleFirstEngine(DictionaryEngine):
    """Mangles targets in the best hypothesis only: n-best (rung 2) finds a clean one."""

    def damage(self, english, rank):
        return english.replace("Langboat", "Lang boat") if rank == 0 else english


class InflectingEngine(DictionaryEngine):
    """Inflects and hyphenates: ``large models``, ``large-model`` still honour the term."""

    def damage(self, english, rank):
        return english.replace("large model", "Large-Models")


class DuplicatingEngine(DictionaryEngine):
    """Stutters on copied spans: ``Langboat Langboat``."""

    def damage(self, english, rank):
        return english.replace("Langboat", "Langboat Langboat")


class AligningEngine(DroppingEngine):
    """Drops terms everywhere, but can say which English word came from which source span (rung 3)."""

    capabilities = frozenset({Capability.ALIGN})

    def align(self, sentences):
        self.calls += 1
        alignments = []
        for sentence in sentences:
            # Translate word by word, keeping each piece's source span; drop Latin targets as the model "would",
            # but mis-render them as "boat" so there is a piece to replace.
            pieces, sources, i = [], [], 0
            keys = sorted(self.words, key=len, reverse=True)
            while i < len(sentence):
                for key in keys:
                    if sentence.startswith(key, i):
                        word = self.words[key]
                        pieces.append(word if word in ".,?:" else " " + word)
                        sources.append((i, i + len(key)))
                        i += len(key)
                        break
                else:
                    match = re.match(r"[A-Za-z][A-Za-z ]*[A-Za-z]", sentence[i:])
                    if match:
                        pieces.append(" boat")
                        sources.append((i, i + match.end()))
                        i += match.end()
                    else:
                        i += 1
            alignments.append(Alignment("".join(pieces).strip(), tuple(pieces), tuple(sources)))
        return alignments


class Decoding:
    """Mixed into a fake engine: the Argos engine's ``decode``, n-best lists with alignments in one call."""

    @property
    def capabilities(self) -> frozenset[Capability]:
        """The engine's own, and decode."""
        return super().capabilities | {Capability.DECODE}

    def decode(self, sentences, n, attention=True, first_step=True):  # its alignments leave no first step open
        calls = self.calls
        hypotheses = DictionaryEngine.hypotheses(self, sentences, n)
        alignments = self.align(sentences) if attention and Capability.ALIGN in self.capabilities else None
        self.calls = calls + 1
        self.decoded = [*getattr(self, "decoded", []), *sentences]
        return [
            [alignments[k] if alignments and rank == 0 else Alignment(text, (), ()) for rank, text in enumerate(texts)]
            for k, texts in enumerate(hypotheses)
        ]

