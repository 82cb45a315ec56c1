"""argostranslate: not needed to run bitext, only by the test that checks the fixture package with it.

bitext reads Argos packages itself (:mod:`translate.translation.packages`) and runs
their CTranslate2 model directly, so neither the argos engine nor `bitext model`
imports argostranslate. The ``argos`` extra of ``pyproject.toml`` pins the version
the Makefile installs (``--no-deps``: its own requirements, stanza, spaCy and torch,
are gigabytes) for ``tests/translation/test_fixture_model.py``, which checks that
Argos Translate itself installs the fixture package.
"""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "argostranslate"


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
