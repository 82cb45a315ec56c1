"""Without argostranslate (an optional extra): gloss builds work, the argos engine and `bitext model` say how to install it."""

import shlex
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import EngineError
from translate.settings import Settings
from translate.translation import open_engine
from translate.translation.optional import argostranslate_requirement, install_command

ROOT = Path(__file__).resolve().parents[2]
INSTALL = f"{shlex.quote(sys.executable)} -m pip install --no-deps argostranslate==1.11.0"


@pytest.fixture
def without_argostranslate(monkeypatch):
    """``import argostranslate`` fails as if it were not installed (None in sys.modules blocks the import)."""
    for name in [n for n in sys.modules if n == "argostranslate" or n.startswith("argostranslate.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "argostranslate", None)


def test_the_install_command_is_the_argos_extra_of_pyproject():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert extra["argos"] == [argostranslate_requirement()]
    assert install_command() == INSTALL


def test_auto_falls_back_to_gloss_and_says_how_to_install_argostranslate(without_argostranslate, tmp_path):
    engine = open_engine(Settings(root=tmp_path))
    assert engine.name == "gloss"
    assert engine.warnings == [
        f"argostranslate is not installed: the English is a dictionary gloss. To translate, install it with "
        f"`{INSTALL}`, then a model with `bitext model install FILE.argosmodel` (see README)."]


def test_the_argos_engine_is_a_one_line_error(without_argostranslate, tmp_path):
    with pytest.raises(EngineError) as raised:
        open_engine(Settings(root=tmp_path), "argos")
    assert str(raised.value) == ("argostranslate is not installed (the argos engine and `bitext model` need it); "
                                 f"install it with `{INSTALL}`")


def test_gloss_needs_no_argostranslate(without_argostranslate, tmp_path):
    engine = open_engine(Settings(root=tmp_path), "gloss")
    assert (engine.name, engine.warnings) == ("gloss", [])


def test_installing_an_argos_package_is_a_one_line_error(without_argostranslate, tmp_path):
    model = ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "install", str(model)])
    assert result.exit_code == 1
    assert result.output == ("Error: argostranslate is not installed (the argos engine and `bitext model` need it); "
                             f"install it with `{INSTALL}`\n")


def test_model_list_needs_no_argostranslate_for_ct2_folders(without_argostranslate, tmp_path):
    """CTranslate2 model folders (OPUS-MT, M2M-100, NLLB) need no argostranslate; `model list` shows them."""
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "list"])
    assert (result.exit_code, result.output) == (0, "No models installed.\n")
