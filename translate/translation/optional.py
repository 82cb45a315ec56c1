"""argostranslate, the argos engine's optional requirement (the ``argos`` extra).

Gloss builds never need it. Its own requirements (stanza, spaCy, torch) are
gigabytes that bitext does not use, so the way to install it that this module
suggests is ``pip install --no-deps`` into the Python that runs bitext.
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from importlib import metadata

from translate.errors import EngineError

DISTRIBUTION = "argostranslate"


def argostranslate_installed() -> bool:
    """Whether ``argostranslate`` can be imported (checked without importing it)."""
    return importlib.util.find_spec(DISTRIBUTION) is not None


def argostranslate_requirement() -> str:
    """The ``argos`` extra's requirement from bitext's own metadata, e.g. ``argostranslate==1.11.0``."""
    from packaging.requirements import Requirement

    try:
        declared = metadata.requires("bitext") or []
    except metadata.PackageNotFoundError:
        declared = []
    for line in declared:
        requirement = Requirement(line)
        if requirement.name == DISTRIBUTION and requirement.marker and requirement.marker.evaluate({"extra": "argos"}):
            return f"{requirement.name}{requirement.specifier}"
    return DISTRIBUTION


def install_command() -> str:
    """The command that installs argostranslate for the Python running bitext."""
    return f"{shlex.quote(sys.executable)} -m pip install --no-deps {shlex.quote(argostranslate_requirement())}"


def require_argostranslate() -> None:
    """Raise :class:`EngineError` with the install command when argostranslate is missing."""
    if not argostranslate_installed():
        raise EngineError(f"argostranslate is not installed (the argos engine and `bitext model` need it); "
                          f"install it with `{install_command()}`")
