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
from translate.translation.packages import INSTALL_HINT, find_model
from translate.translation.store import read_translations, write_translations
from translate.translation.translator import translate_articles

#: The ways to get a translation instead of the gloss, named wherever the gloss stands in for one.
TRANSLATION_CHOICES = ("install a CTranslate2 model folder (a converted OPUS-MT, M2M-100 or NLLB model) with "
                       "`bitext model install FOLDER`, or an Argos package with `bitext model install FILE.argosmodel`, "
                       "or use an LLM server with translation.engine = \"llm\" in edition.toml (see README)")


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
    model = find_model(settings, name)
    if model is None:
        if name == "argos":
            raise EngineError(f"no zh→en Argos model is installed. {INSTALL_HINT}")
        if name == "ct2":
            raise EngineError(f"no CTranslate2 model folder is installed. {INSTALL_HINT}")
        return GlossEngine(fallback=True)
    options = dict(beam_size=settings.beam_size, batch_size=settings.batch_size,
                   num_hypotheses=settings.num_hypotheses, max_decoding_length=settings.max_decoding_length)
    if model.family == "argos":
        from translate.translation.argos import ArgosEngine

        return ArgosEngine(model, **options)
    from translate.translation.folders import open_folder_model

    return open_folder_model(model, **options)
