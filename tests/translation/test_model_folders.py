"""`bitext model install FOLDER`: what is checked before a CTranslate2 folder is copied, each refusal one line."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.settings import Settings
from translate.translation import open_engine
from translate.translation.packages import find_model, install_model

MODELS = Path(__file__).parents[1] / "fixtures" / "models"
ARGOS = MODELS / "translate-zh_en-tiny.argosmodel"

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path):
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    return tmp_path


def copy(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / "src" / name
    shutil.copytree(MODELS / name, folder)
    return folder


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "model", *args])


def _vocabulary_without(token: str):
    def change(folder: Path) -> None:
        path = folder / "shared_vocabulary.json"
        tokens = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps([t for t in tokens if t != token]), encoding="utf-8")
    return change


@pytest.mark.parametrize("name, change, message", [
    ("opus-mt-zh-en-tiny", lambda f: (f / "target.spm").unlink(),
     "incomplete OPUS-MT model: target.spm is missing; convert it with `--copy_files source.spm target.spm`"),
    ("opus-mt-zh-en-tiny", lambda f: (f / "model.bin").unlink(),
     "not a CTranslate2 model: model.bin is missing (convert the model with ct2-transformers-converter, see docs/engines.md)"),
    ("opus-mt-zh-en-tiny", lambda f: shutil.copyfile(f / "target.spm", f / "source.spm"),
     "source.spm does not know Chinese (it splits '大模型很重要。' into unknown pieces): bitext needs a zh→en model"),
    ("opus-mt-zh-en-tiny", lambda f: (f / "model.bin").write_bytes(b"\0" * 64),
     "CTranslate2 cannot load the model"),
    ("m2m100-zh-en-tiny", _vocabulary_without("__zh__"),
     "the source vocabulary has no __zh__ token, which M2M-100 needs for zh→en; is this the right model?"),
    ("nllb-zh-en-tiny", _vocabulary_without("zho_Hant"),
     "the source vocabulary has no zho_Hant token, which NLLB-200 needs for zh→en; is this the right model?"),
    ("nllb-zh-en-tiny", lambda f: (f / "sentencepiece.bpe.model").unlink(),
     "no tokenizer: bitext installs an Argos .argosmodel, or a CTranslate2 folder of OPUS-MT"),
], ids=["no-target-spm", "no-model", "english-tokenizer", "corrupt-model", "no-zh-token", "no-hant-token",
        "no-tokenizer"])
def test_a_broken_folder_is_refused_with_one_line(project, tmp_path, name, change, message):
    folder = copy(name, tmp_path)
    change(folder)
    result = run(project, "install", str(folder))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {folder}: {message}")
    assert result.output.count("\n") == 1
    assert not (project / "models").exists() or not any((project / "models").iterdir())


def test_installing_a_folder_twice_needs_force(project, tmp_path):
    folder = copy("m2m100-zh-en-tiny", tmp_path)
    assert run(project, "install", str(folder)).exit_code == 0
    again = run(project, "install", str(folder))
    assert again.output == (f"Error: {folder}: already installed at {project / 'models' / 'm2m100-zh-en-tiny'}; "
                            "pass --force to replace it\n")
    assert run(project, "install", str(folder), "--force").exit_code == 0


def test_the_model_id_changes_with_the_files(project, tmp_path):
    folder = copy("opus-mt-zh-en-tiny", tmp_path)
    settings = Settings(root=project, models_dir=project / "models")
    first = install_model(folder, settings)
    (folder / "README.md").write_text("converted again\n", encoding="utf-8")
    second = install_model(folder, settings, force=True)
    assert first.model_id.split("@")[0] == second.model_id.split("@")[0] == "opus-mt/opus-mt-zh-en-tiny"
    assert first.model_id != second.model_id


def test_a_bpe_argos_package_says_what_is_supported(project):
    archive = project / "bpe.argosmodel"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("translate-zh_en-1_0/metadata.json",
                        json.dumps({"package_version": "1.0", "from_code": "zh", "to_code": "en"}))
        zipped.writestr("translate-zh_en-1_0/model/model.bin", b"\0" * 16)
        zipped.writestr("translate-zh_en-1_0/bpe.model", "#version: 0.2\n")
    result = run(project, "install", str(archive))
    assert result.exit_code == 1
    assert result.output == (f"Error: {archive}: this package is tokenized with bpe.model (Moses + subword-nmt), "
                             "which bitext does not run; bitext runs Argos packages tokenized with "
                             "sentencepiece.model, and CTranslate2 folders of OPUS-MT, M2M-100 and NLLB (see docs/engines.md)\n")


def test_a_folder_is_preferred_to_an_argos_package_unless_translation_model_names_one(project):
    settings = Settings(root=project, models_dir=project / "models")
    install_model(ARGOS, settings)
    assert open_engine(settings).name == "argos"
    install_model(MODELS / "nllb-zh-en-tiny", settings)
    assert (open_engine(settings).name, open_engine(settings, "argos").name) == ("ct2", "argos")
    chosen = Settings(root=project, models_dir=project / "models", model="translate-zh_en-tiny")
    assert open_engine(chosen).model_id == "translate-zh_en-1.0"
    wrong = Settings(root=project, models_dir=project / "models", model="nope")
    with pytest.raises(Exception, match=r"translation.model = 'nope' is not an installed zh→en model \(installed: "
                                        r"nllb-zh-en-tiny, translate-zh_en-tiny\)"):
        find_model(wrong)
    listing = run(project, "list")
    assert listing.output.splitlines() == [
        f"{'nllb-zh-en-tiny':<20}  nllb      zh→en  {project / 'models' / 'nllb-zh-en-tiny'}",
        f"translate-zh_en-tiny  1.0       zh→en  {project / 'models' / 'translate-zh_en-tiny'}",
    ]


def test_a_damaged_marker_is_an_error_not_a_quiet_gloss(project):
    settings = Settings(root=project, models_dir=project / "models")
    model = install_model(MODELS / "m2m100-zh-en-tiny", settings)
    (model.path / "bitext-model.json").write_text("{", encoding="utf-8")
    with pytest.raises(Exception, match="bitext-model.json does not parse"):
        open_engine(settings)
