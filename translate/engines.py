"""The engine table: every translation engine in one entry — name, what it is, how it opens, what it can do,
its licence and the settings it reads.

Everything that names engines reads :data:`ENGINES`: the settings' ``translation.engine``
choices (and so ``--engine``), :func:`translate.translation.open_engine`, the colophon's
licence line (:func:`model_licence`), ``bitext init``'s README and the docs' engine reference
(:func:`engine_reference`). The table is data only: an opener is named ``module:function``,
as a Python entry point is, so reading the table imports no engine (and no CTranslate2),
and the settings, the renderers and the docs can read it from below the translate stage.

Adding an engine is a module with its engine class and an opener ``open_x(settings) -> Engine``,
and one :class:`EngineEntry` here; ``tests/translation/test_engine_table.py`` fails while
the entry lacks a description or a licence, names a setting that does not exist, declares a
capability the engine does not keep, or reads a setting it does not name.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable


class Capability(enum.Enum):
    """What an engine can do beyond the protocol every engine speaks (``translate``, ``hypotheses``).

    Engines declare theirs (``capabilities``, their entry's in :data:`ENGINES`); the layers and
    the translator read the declaration and never probe for methods. Each member's value is
    its name in the docs; ``help`` says what it means in one line.
    """

    DECODE = "decode", ("`decode(sentences, n, attention)`: the n-best list and its alignments in one call, so a "
                        "sentence missing a glossary term costs one decode, not three")
    ALIGN = "align", "`align(sentences)`: which Chinese each English piece came from (rung 3 of the glossary ladder)"
    OVERLAP = "overlap", "takes calls from two threads at once, outside the GIL: the memory keeps two chunks in flight"
    BLOCKS = "blocks", ("`translate_blocks(blocks)`: translates a block at a time and enforces the glossary itself "
                        "(the glossary and inline layers do not wrap it; the translator still proves every term)")
    WORD_BY_WORD = "word-by-word", "translates runs of a sentence one by one, so inline Markdown stays in place"

    def __new__(cls, value: str, help: str):
        member = object.__new__(cls)
        member._value_ = value
        member.help = help
        return member


#: What a CTranslate2 model can do, by either way of installing it.
_CT2 = frozenset({Capability.DECODE, Capability.ALIGN, Capability.OVERLAP})

#: The quantizations a model converted for CTranslate2 may take (``bitext model download --convert
#: --quantization``; int8 is a quarter of float32 and fastest on a CPU). Here, not beside the converter, so the
#: CLI offers them without importing the translate stage.
QUANTIZATIONS = ("int8", "int8_float32", "int16", "float16", "bfloat16", "float32")

#: The settings a CTranslate2 engine reads: which model, how it decodes, and on which device.
_CT2_SETTINGS = ("paths.models", "translation.model", "translation.beam_size", "translation.batch_size",
                 "translation.num_hypotheses", "translation.max_decoding_length", "translation.device")


@dataclass(frozen=True, slots=True)
class EngineEntry:
    """One engine of the table."""

    name: str
    """The ``translation.engine`` value and ``--engine`` choice; an opened engine's ``name`` (but ``auto``'s)."""
    description: str
    """What it is, one line (``bitext init``'s README, the docs)."""
    opener: str
    """``module:function``, a function of the :class:`~translate.settings.Settings` that returns the engine."""
    capabilities: frozenset[Capability]
    """What the engine can do beyond translating sentences; its class declares the same set."""
    licence: str
    """The terms the translation model is used under, as the colophon says them after "used under"."""
    family_licences: tuple[tuple[str, str], ...] = ()
    """Terms by model family (a model id's part before ``/``), where they differ from :attr:`licence`."""
    reads: tuple[str, ...] = ()
    """The settings (``table.key``) its opener reads."""

    def licence_of(self, model: str) -> str:
        """The terms ``model`` (a model id) is used under."""
        return dict(self.family_licences).get(model.split("/", 1)[0], self.licence)


#: Every engine, in the order of the ``translation.engine`` choices.
ENGINES: dict[str, EngineEntry] = {entry.name: entry for entry in (
    EngineEntry(
        "auto", "the default: the installed model (a CTranslate2 folder, else an Argos package), else the gloss",
        "translate.translation.installed:open_auto", frozenset(),
        "that of the model it opens (see `ct2` and `argos`)", reads=_CT2_SETTINGS),
    EngineEntry(
        "argos", "an Argos Translate package (`.argosmodel`)",
        "translate.translation.installed:open_argos", _CT2,
        "the licence of its Argos Translate package", reads=_CT2_SETTINGS),
    EngineEntry(
        "gloss", "a word-by-word dictionary gloss (CC-CEDICT): not a translation, and labelled so everywhere",
        "translate.translation.gloss:open_gloss", frozenset({Capability.WORD_BY_WORD}),
        "CC BY-SA 4.0 (CC-CEDICT, credited in every colophon)"),
    EngineEntry(
        "llm", "an OpenAI-compatible LLM server (Ollama, llama.cpp, vLLM…), set in `[llm]`",
        "translate.translation.llm:open_llm_engine", frozenset({Capability.BLOCKS}),
        "the licence its publisher gives the model the server runs (see the model's card)",
        reads=("paths.templates", "llm.base_url", "llm.servers", "llm.model", "llm.api_key_env", "llm.temperature",
               "llm.seed", "llm.max_tokens", "llm.timeout", "llm.concurrency", "llm.retries", "llm.http_retries",
               "llm.backoff", "llm.context", "llm.prompt", "llm.style")),
    EngineEntry(
        "ct2", "a CTranslate2 folder converted from OPUS-MT, M2M-100 or NLLB-200",
        "translate.translation.installed:open_ct2", _CT2,
        "the licence its publisher gives the model",
        family_licences=(
            ("opus-mt", "CC-BY 4.0 (OPUS-MT, Tiedemann & Thottingal 2020; credit required)"),
            ("m2m100", "MIT"),
            ("nllb", "CC-BY-NC 4.0: non-commercial use only"),
        ),
        reads=_CT2_SETTINGS),
)}

ENGINE_NAMES: tuple[str, ...] = tuple(ENGINES)
"""The engines' names, in table order: the ``translation.engine`` choices."""


def model_licence(model: str, engine: str | None = None) -> str:
    """The colophon's line on the translation model ``model`` (a model id) of ``engine`` and its licence.

    Without ``engine``, the entry whose families hold the model's, else ``argos``'s (a package's id has no family).
    """
    entry = ENGINES.get(engine or "")
    if entry is None:
        family = model.split("/", 1)[0]
        entry = next((e for e in ENGINES.values() if family in dict(e.family_licences)), ENGINES["argos"])
    return f"Translation model {model}: used under {entry.licence_of(model)}."


def table_problems(entries: Iterable[EngineEntry], settings: Iterable[str] | None = None) -> list[str]:
    """What is wrong with a table of ``entries``: a missing description or licence, a name twice, and (given the
    dotted names of every setting) a setting read that does not exist."""
    problems, seen = [], set()
    known = set(settings) if settings is not None else None
    for entry in entries:
        if entry.name in seen:
            problems.append(f"engine {entry.name!r} is in the table twice")
        seen.add(entry.name)
        if not entry.description.strip():
            problems.append(f"engine {entry.name!r} has no description")
        if not entry.licence.strip() or not all(terms.strip() for _, terms in entry.family_licences):
            problems.append(f"engine {entry.name!r} has no licence")
        if known is not None:
            problems += [f"engine {entry.name!r} reads {dotted}, which is no setting"
                         for dotted in entry.reads if dotted not in known]
    return problems


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def engine_reference() -> str:
    """The engine reference of the docs, in Markdown: a row per engine, then what each capability means."""
    lines = ["| Engine | What it is | Can | Model licence | Settings it reads |",
             "| --- | --- | --- | --- | --- |"]
    for entry in ENGINES.values():
        can = ", ".join(f"`{c.value}`" for c in Capability if c in entry.capabilities) or (
            "what the engine it opens can" if entry.name == "auto" else "translate")
        licence = entry.licence + "".join(f"; {family}: {terms}" for family, terms in entry.family_licences)
        reads = ", ".join(f"`{dotted}`" for dotted in entry.reads) or "none"
        lines.append(f"| `{entry.name}` | {_cell(entry.description)} | {can} | {_cell(licence)} | {reads} |")
    lines += ["", "| Capability | What it means |", "| --- | --- |"]
    lines += [f"| `{c.value}` | {_cell(c.help)} |" for c in Capability]
    return "\n".join(lines) + "\n"
