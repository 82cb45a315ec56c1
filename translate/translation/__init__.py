"""The translate stage: Chinese articles → aligned bilingual articles, offline.

Engines (:mod:`.ct2` with :mod:`.argos`, :mod:`.gloss`, :mod:`.llm`) speak one small protocol (:mod:`.engine`)
and are listed, with their openers, capabilities and licences, in one table (:mod:`translate.engines`);
the glossary layer (:mod:`.constraints`), the inline-Markdown layer (:mod:`.inlinelayer`)
and the translation memory (:mod:`.memory`) wrap any of them; :mod:`.translator`
runs the stage and :mod:`.translationfiles` writes ``build/translations/<slug>.json``.
"""

from __future__ import annotations

from importlib import import_module

from translate.engines import ENGINE_NAMES, ENGINES
from translate.errors import EngineError
from translate.settings import Settings
from translate.translation.constraints import term_honoured
from translate.translation.engine import Engine
from translate.translation.translationfiles import read_translations, write_translations
from translate.translation.translator import translate_articles

#: The ways to get a translation instead of the gloss, named wherever the gloss stands in for one.
TRANSLATION_CHOICES = ("install a CTranslate2 model folder (a converted OPUS-MT, M2M-100 or NLLB model) with "
                       "`bitext model install FOLDER`, or an Argos package with `bitext model install FILE.argosmodel`, "
                       "or use an LLM server with translation.engine = \"llm\" in edition.toml (see docs/engines.md)")


def gloss_warning(engine: Engine, gloss_segments: int) -> str | None:
    """The warning of a run where ``gloss_segments`` segments kept the English of the gloss ``auto`` fell back to.

    None when the gloss was asked for (``--engine gloss``) or when no segment shows its English
    (the translators edited them all): then there is nothing to warn about.
    """
    if not getattr(engine, "fallback", False) or not gloss_segments:
        return None
    return (f"no zh→en model is installed: the English of {gloss_segments:,} segment"
            f"{'s' if gloss_segments != 1 else ''} is a dictionary gloss, not a translation. To translate, "
            f"{TRANSLATION_CHOICES}.")


__all__ = [
    "Engine",
    "TRANSLATION_CHOICES",
    "gloss_warning",
    "open_engine",
    "read_translations",
    "term_honoured",
    "translate_articles",
    "write_translations",
]


def open_engine(settings: Settings, name: str | None = None) -> Engine:
    """The engine ``name`` (default: ``translation.engine``) as its entry in the engine table opens it.

    :data:`translate.engines.ENGINES` names each engine's opener (``module:function``); the module is
    imported only now, so an engine's libraries (CTranslate2, httpx) load only when it is used.
    """
    name = name or settings.engine
    entry = ENGINES.get(name)
    if entry is None:
        *others, last = ENGINE_NAMES
        raise EngineError(f"unknown engine {name!r}; use {', '.join(others)} or {last}")
    module, function = entry.opener.split(":")
    return getattr(import_module(module), function)(settings)
