"""`bitext model install` and `bitext model list`, with good and broken archives."""

import json
import zipfile

import pytest
from click.testing import CliRunner

from translate.cli import cli


@pytest.fixture
def project(tmp_path):
    (tmp_path / "edition.toml").write_text('[paths]\nmodels = "models"\n', encoding="utf-8")
    return tmp_path


def make_package(path, *, top="translate-zh_en-1_0", metadata=None, files=("model/model.bin", "sentencepiece.model"),
                 raw_metadata=None):
    if metadata is None:
        metadata = {"package_version": "1.0", "from_code": "zh", "to_code": "en",
                    "from_name": "Chinese", "to_name": "English"}
    with zipfile.ZipFile(path, "w") as archive:
        if raw_metadata is not None:
            archive.writestr(f"{top}/metadata.json", raw_metadata)
        elif metadata is not False:
            archive.writestr(f"{top}/metadata.json", json.dumps(metadata))
        for name in files:
            archive.writestr(f"{top}/{name}", b"\0" * 16)
    return path


def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "model", *args])


def test_install_then_list(project):
    archive = make_package(project / "zh_en.argosmodel")
    result = run(project, "install", str(archive))
    assert result.exit_code == 0, result.output
    installed = project / "models" / "translate-zh_en-1_0"
    assert result.output == f"Installed translate-zh_en-1.0 (zh→en) into {installed}\n"
    assert (installed / "model" / "model.bin").is_file()
    listing = run(project, "list")
    assert listing.exit_code == 0
    assert listing.output == f"translate-zh_en-1_0  1.0       zh→en  {installed}\n"


def test_installing_twice_needs_force(project):
    archive = make_package(project / "zh_en.argosmodel")
    run(project, "install", str(archive))
    again = run(project, "install", str(archive))
    assert again.exit_code == 1
    assert again.output == (f"Error: {archive}: already installed at {project / 'models' / 'translate-zh_en-1_0'}; "
                            "pass --force to replace it\n")
    assert run(project, "install", str(archive), "--force").exit_code == 0


def test_list_with_nothing_installed(project):
    result = run(project, "list")
    assert (result.exit_code, result.output) == (0, "No models installed.\n")


@pytest.mark.parametrize("build, message", [
    (lambda p: p.write_bytes(b"not a zip at all"), "not a zip archive"),
    (lambda p: p.write_bytes(make_package(p).read_bytes()[:-30]), "not a zip archive"),
    (lambda p: make_package(p, metadata={"from_code": "en", "to_code": "zh"}),
     "wrong direction: the package translates en→zh, bitext needs zh→en"),
    (lambda p: make_package(p, files=("sentencepiece.model",)), "incomplete package: model/model.bin is missing"),
    (lambda p: make_package(p, files=("model/model.bin",)), "incomplete package: sentencepiece.model is missing"),
    (lambda p: make_package(p, metadata=False), "incomplete package: metadata.json is missing"),
    (lambda p: make_package(p, raw_metadata="{not json"),
     "metadata.json does not parse (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
], ids=["garbage", "truncated", "wrong-direction", "no-model", "no-sentencepiece", "no-metadata", "bad-metadata"])
def test_broken_archives_are_refused_with_one_line(project, build, message):
    archive = project / "broken.argosmodel"
    build(archive)
    result = run(project, "install", str(archive))
    assert result.exit_code == 1
    assert result.output == f"Error: {archive}: {message}\n"
    assert not (project / "models").exists() or not any((project / "models").iterdir())


def test_a_corrupt_member_is_found_by_its_checksum(project):
    archive = make_package(project / "x.argosmodel", files=("model/model.bin", "sentencepiece.model"))
    data = bytearray(archive.read_bytes())
    at = data.find(b"\0" * 16)
    data[at:at + 4] = b"XXXX"
    archive.write_bytes(bytes(data))
    result = run(project, "install", str(archive))
    assert result.exit_code == 1
    assert "corrupt archive" in result.output and "download it again" in result.output


def test_a_missing_file_says_so(project):
    result = run(project, "install", str(project / "nope.argosmodel"))
    assert result.exit_code == 1
    assert result.output == f"Error: {project / 'nope.argosmodel'}: no such file; give the path of a downloaded .argosmodel\n"


def test_commands_have_examples():
    for name in ("install", "list"):
        result = CliRunner().invoke(cli, ["model", name, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
