"""A tiny project folder (edition.toml defaults) holding a copy of the fixture termbase."""

import shutil
from pathlib import Path

import pytest
from factories import edition_folder

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    edition_folder(tmp_path)
    (tmp_path / "glossary").mkdir()
    shutil.copy(FIXTURES / "terms.csv", tmp_path / "glossary" / "terms.csv")
    return tmp_path


@pytest.fixture
def termbase(project: Path) -> Path:
    return project / "glossary" / "terms.csv"
