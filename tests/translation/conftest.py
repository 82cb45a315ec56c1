"""Fixtures of the translation tests; the fakes they are made of (engines, a stand-in glossary) are in fakes.py."""

import pytest
from fakes import TERMS, StandInGlossary


@pytest.fixture
def glossary():
    """A stand-in for ``translate.glossary.Glossary`` holding fakes.TERMS."""
    return StandInGlossary(TERMS)
