"""`bitext model install` and `bitext model list`, with good and broken archives."""

import json
import shutil
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


# --- issue 26 §6: member names as a hostile archive writes them ---------------------------------------------------


def _archive(path, members):
    """A zip of ``members`` (name → bytes) written under exactly those names."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def _package_members(prefix):
    metadata = json.dumps({"package_version": "1.0", "from_code": "zh", "to_code": "en"}).encode()
    return {f"{prefix}metadata.json": metadata, f"{prefix}model/model.bin": b"\0" * 16,
            f"{prefix}sentencepiece.model": b"\0" * 16}


@pytest.mark.hostile("models")
@pytest.mark.parametrize("prefix", ["./pkg/", "pkg//", ".//pkg/./", "./pkg//"], ids=["dot", "double-slash",
                                                                                    "dots-and-slashes", "both"])
def test_member_names_are_normalised_and_the_package_lists_where_it_installed(project, prefix):
    archive = _archive(project / "x.argosmodel", _package_members(prefix))
    result = run(project, "install", str(archive))
    installed = project / "models" / "pkg"
    assert (result.exit_code, result.output) == (0, f"Installed translate-zh_en-1.0 (zh→en) into {installed}\n")
    assert sorted(p.relative_to(installed).as_posix() for p in installed.rglob("*")) == [
        "metadata.json", "model", "model/model.bin", "sentencepiece.model"]
    assert run(project, "list").output == f"pkg  1.0       zh→en  {installed}\n"


@pytest.mark.hostile("models")
@pytest.mark.parametrize("top, shown", [
    (".install-x", "'.install-x'"), (".hidden", "'.hidden'"), ("-rf", "'-rf'"), ("a b", "'a b'"),
    ("模型", "'模型'"), ("pkg\u202e", "'pkg\\u202e'")], ids=["install-x", "hidden", "dash", "space", "cjk", "bidi"])
def test_a_hidden_or_odd_top_folder_is_refused_before_anything_is_written(project, top, shown):
    archive = _archive(project / "x.argosmodel", _package_members(f"{top}/"))
    result = run(project, "install", str(archive))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {archive}: the package's folder ")
    assert "is not a model name (a hidden or odd name); an Argos package unpacks to one folder such as " \
           "translate-zh_en-1_9" in result.output
    assert not (project / "models").exists()
    assert run(project, "list").output == "No models installed.\n"


@pytest.mark.hostile("models")
@pytest.mark.parametrize("extra, message", [
    ({"pkg//metadata.json": b"{}"}, "two members of the archive unpack to pkg/metadata.json"),
    ({"pkg/model/model.bin/x": b"x"}, "pkg/model/model.bin is both a file and a folder in the archive"),
    ({"pkg\\evil": b"x"}, "unsafe file name in archive: 'pkg\\\\evil'"),
    ({"pkg/a\x1bb": b"x"}, "unsafe file name in archive: 'pkg/a\\x1bb'"),
    ({"pkg/../../escape": b"x"}, "unsafe file name in archive: pkg/../../escape"),
], ids=["duplicate", "file-and-folder", "backslash", "escape-character", "dot-dot"])
def test_member_names_that_collide_or_mislead_are_refused(project, extra, message):
    archive = _archive(project / "x.argosmodel", {**_package_members("pkg/"), **extra})
    result = run(project, "install", str(archive))
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"Error: {archive}: {message}")
    assert not (project / "models").exists()


@pytest.mark.hostile("models")
def test_list_and_install_agree_on_what_is_a_model(project):
    """A folder `model list` would not show (hidden, odd) is never one an install writes, and the reverse."""
    models = project / "models"
    good = run(project, "install", str(make_package(project / "a.argosmodel", top="translate-zh_en-1_0")))
    assert good.exit_code == 0
    for name in (".install-x", ".hidden", "-rf"):
        shutil.copytree(models / "translate-zh_en-1_0", models / name)
    listing = run(project, "list")
    assert listing.output == f"translate-zh_en-1_0  1.0       zh→en  {models / 'translate-zh_en-1_0'}\n"
