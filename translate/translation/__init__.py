"""The translate stage: Chinese articles → aligned bilingual articles, offline.

Engines (:mod:`.ct2` with :mod:`.argos`, :mod:`.gloss`, :mod:`.llm`) speak one small protocol (:mod:`.engine`);
the glossary layer (:mod:`.constraints`), the inline-Markdown layer (:mod:`.inline`)
and the translation memory (:mod:`.memory`) wrap any of them; :mod:`.translator`
runs the stage and :mod:`.store` writes ``build/translations/<slug>.json``.
"""

from __future__ import annotations

from translate.errors import EngineError
from translate.settings import Settings
from translate.translation.constraints import term_honoured
from translate.translation.engine import Engine
from translate.translation.optional import argostranslate_installed, install_command, require_argostranslate
from translate.translation.packages import INSTALL_HINT, find_model
from translate.translation.store import read_translations, write_translations
from translate.translation.translator import translate_articles

GLOSS_WARNING = f"No zh→en model installed: the English is a dictionary gloss. {INSTALL_HINT}"


def no_argostranslate_warning() -> str:
    """The ``auto`` engine's warning when argostranslate itself is missing."""
    return (f"argostranslate is not installed: the English is a dictionary gloss. To translate, install it with "
            f"`{install_command()}`, then a model with `bitext model install FILE.argosmodel` (see README).")


__all__ = [
    "Engine",
    "GLOSS_WARNING",
    "open_engine",
    "read_translations",
    "term_honoured",
    "translate_articles",
    "write_translations",
]


def open_engine(settings: Settings, name: str | None = None) -> Engine:
    """The engine to translate with: ``argos`` (an Argos package), ``ct2`` (a converted CTranslate2 folder:
    OPUS-MT, M2M-100, NLLB), ``gloss``, ``llm`` (only when asked for), or ``auto`` (the installed model, else the gloss).
    """
    name = name or settings.engine
    if name not in ("auto", "argos", "ct2", "gloss", "llm"):
        raise EngineError(f"unknown engine {name!r}; use auto, argos, ct2, gloss or llm")
    if name == "llm":
        from translate.translation.llm import open_llm_engine

        return open_llm_engine(settings)
    from translate.translation.gloss import GlossEngine

    if name == "gloss":
        return GlossEngine()
    if name == "argos":
        require_argostranslate()
    model = find_model(settings, name)
    if model is None:
        if name == "argos":
            raise EngineError(f"no zh→en Argos model is installed. {INSTALL_HINT}")
        if name == "ct2":
            raise EngineError(f"no CTranslate2 model folder is installed. {INSTALL_HINT}")
        engine = GlossEngine()
        engine.warnings.append(GLOSS_WARNING if argostranslate_installed() else no_argostranslate_warning())
        return engine
    options = dict(beam_size=settings.beam_size, batch_size=settings.batch_size,
                   num_hypotheses=settings.num_hypotheses, max_decoding_length=settings.max_decoding_length)
    if model.family == "argos":
        from translate.translation.argos import ArgosEngine

        return ArgosEngine(model, **options)
    from translate.translation.folders import open_folder_model

    return open_folder_model(model, **options)
