"""The translate stage: Chinese articles → aligned bilingual articles, offline.

Engines (:mod:`.argos`, :mod:`.gloss`, :mod:`.llm`) speak one small protocol (:mod:`.engine`);
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
from translate.translation.packages import INSTALL_HINT, find_zh_en_package
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
    """The engine to translate with: ``argos``, ``gloss``, ``llm`` (only when asked for), or ``auto`` (argos when a zh→en model is installed)."""
    name = name or settings.engine
    if name not in ("auto", "argos", "gloss", "llm"):
        raise EngineError(f"unknown engine {name!r}; use auto, argos, gloss or llm")
    if name == "llm":
        from translate.translation.llm import open_llm_engine

        return open_llm_engine(settings)
    if name == "gloss":
        from translate.translation.gloss import GlossEngine

        return GlossEngine()
    if not argostranslate_installed():
        if name == "argos":
            require_argostranslate()
        from translate.translation.gloss import GlossEngine

        engine = GlossEngine()
        engine.warnings.append(no_argostranslate_warning())
        return engine
    package = find_zh_en_package(settings)
    if package is None:
        if name == "argos":
            raise EngineError(f"no zh→en Argos model is installed. {INSTALL_HINT}")
        from translate.translation.gloss import GlossEngine

        engine = GlossEngine()
        engine.warnings.append(GLOSS_WARNING)
        return engine
    from translate.translation.argos import ArgosEngine

    return ArgosEngine(
        package,
        beam_size=settings.beam_size,
        batch_size=settings.batch_size,
        num_hypotheses=settings.num_hypotheses,
        max_decoding_length=settings.max_decoding_length,
    )
