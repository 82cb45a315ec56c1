"""The engines of installed models: ``argos``, ``ct2``, and ``auto`` (the installed model, else the gloss).

Their openers (named in :data:`translate.engines.ENGINES`) find the model to use with
:func:`~translate.translation.packages.find_model` — ``translation.model`` by name, else a
CTranslate2 folder (the one installed last), else the newest Argos zh→en package — and open
it with the decoding options of the settings. CTranslate2 is imported only then.
"""

from __future__ import annotations

from translate.errors import EngineError
from translate.settings import Settings
from translate.translation.ct2 import decoding_options
from translate.translation.engine import Engine
from translate.translation.folders import open_folder_model
from translate.translation.packages import INSTALL_HINT, find_model


def open_argos(settings: Settings) -> Engine:
    """The ``argos`` engine: the installed Argos package."""
    package = find_model(settings, "argos")
    if package is None:
        raise EngineError(f"no zh→en Argos model is installed. {INSTALL_HINT}")
    return _open(package, settings)


def open_ct2(settings: Settings) -> Engine:
    """The ``ct2`` engine: the installed CTranslate2 folder."""
    model = find_model(settings, "ct2")
    if model is None:
        raise EngineError(f"no CTranslate2 model folder is installed. {INSTALL_HINT}")
    return _open(model, settings)


def open_auto(settings: Settings) -> Engine:
    """The installed model (a CTranslate2 folder, else an Argos package), else the gloss, which then says so."""
    model = find_model(settings, "auto")
    if model is None:
        from translate.translation.gloss import GlossEngine

        return GlossEngine(fallback=True)
    return _open(model, settings)


def _open(model, settings: Settings) -> Engine:
    """The engine of an installed model: an Argos package (family ``argos``) or a CTranslate2 folder."""
    if model.family == "argos":
        from translate.translation.argos import ArgosEngine

        return ArgosEngine(model, **decoding_options(settings))
    return open_folder_model(model, settings)
