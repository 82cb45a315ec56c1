"""Without argostranslate: bitext reads, installs, lists and runs Argos packages itself (argostranslate is
only the tests' check that the fixture package is one Argos Translate installs, tests/translation/test_fixture_model.py)."""

import errno
import sys
import tomllib
from pathlib import Path
from shutil import copyfileobj as shutil_copyfileobj

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import ModelPackageError
from translate.settings import Settings
from translate.translation import open_engine
from translate.translation.optional import argostranslate_requirement
from translate.translation.packages import packages_dir

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tests" / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"


@pytest.fixture
def without_argostranslate(monkeypatch):
    """``import argostranslate`` fails as if it were not installed (None in sys.modules blocks the import)."""
    for name in [n for n in sys.modules if n == "argostranslate" or n.startswith("argostranslate.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "argostranslate", None)


def test_the_argos_extra_of_pyproject_is_the_requirement_the_makefile_installs():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert extra["argos"] == [argostranslate_requirement()]


def test_gloss_needs_no_argostranslate(without_argostranslate, tmp_path):
    engine = open_engine(Settings(root=tmp_path), "gloss")
    assert (engine.name, engine.warnings) == ("gloss", [])


def test_an_argos_package_installs_lists_and_translates_without_argostranslate(without_argostranslate, tmp_path):
    """bitext reads an Argos package itself (a zip of metadata.json, a CTranslate2 model, sentencepiece.model)."""
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    installed = tmp_path / "models" / "translate-zh_en-tiny"
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "install", str(PACKAGE)])
    assert (result.exit_code, result.output) == (0, f"Installed translate-zh_en-1.0 (zh→en) into {installed}\n")
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["translate-zh_en-tiny"]
    listing = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "list"])
    assert (listing.exit_code, listing.output) == (0, f"translate-zh_en-tiny  1.0       zh→en  {installed}\n")
    engine = open_engine(Settings(root=tmp_path, models_dir=tmp_path / "models"), "argos")
    assert (engine.name, engine.model_id) == ("argos", "translate-zh_en-1.0")
    assert engine.translate(["大模型很便宜。"]) == ["Big models are cheap."]
    assert "argostranslate" not in {n.split(".")[0] for n, m in sys.modules.items() if m is not None}


def test_argos_packages_folder_is_found_without_argostranslate(without_argostranslate, tmp_path, monkeypatch):
    """Without paths.models, packages go where Argos Translate keeps them (ARGOS_PACKAGES_DIR, else XDG_DATA_HOME)."""
    (tmp_path / "edition.toml").write_text("", encoding="utf-8")
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert packages_dir(Settings(root=tmp_path)) == tmp_path / "data" / "argos-translate" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    assert packages_dir(Settings(root=tmp_path)) == tmp_path / "argos"
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "install", str(PACKAGE)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "argos" / "translate-zh_en-tiny" / "metadata.json").is_file()


def _full_disk(monkeypatch):
    """The disk fills once the first file of the package is unpacked."""
    copies = []

    def copy(source, target, length=0):
        copies.append(target)
        if len(copies) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return shutil_copyfileobj(source, target, length)

    monkeypatch.setattr("shutil.copyfileobj", copy)
    return "cannot install into {models} (No space left on device)"


def _unreadable_once_unpacked(monkeypatch):
    """The unpacked package does not read back (the last step before it is in place)."""
    def refuse(folder):
        raise ModelPackageError("not readable after all", path=folder)

    monkeypatch.setattr("translate.translation.packages.read_package", refuse)
    return "not readable after all"


@pytest.mark.parametrize("failure", [_full_disk, _unreadable_once_unpacked], ids=["disk-full", "read-back"])
def test_a_failed_install_leaves_nothing_behind(without_argostranslate, tmp_path, monkeypatch, failure):
    """One line, and the models folder holds no trace of the package: a second try needs no --force."""
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    message = failure(monkeypatch).format(models=tmp_path / "models")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "install", str(PACKAGE)])
    assert (result.exit_code, result.output) == (1, f"Error: {PACKAGE}: {message}\n")
    assert list((tmp_path / "models").iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "argostranslate", None)
    again = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "install", str(PACKAGE)])
    assert again.exit_code == 0, again.output


def test_model_list_needs_no_argostranslate_for_ct2_folders(without_argostranslate, tmp_path):
    """CTranslate2 model folders (OPUS-MT, M2M-100, NLLB) need no argostranslate; `model list` shows them."""
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "model", "list"])
    assert (result.exit_code, result.output) == (0, "No models installed.\n")
