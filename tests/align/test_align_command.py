"""``bitext align --sentences``: the printed beads, and sentence files that are not sentence files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.align import files
from translate.cli import cli

ZH = "会议于2019年在北京召开。\n三家公司宣布合作开发新电池。\n工厂将雇用两千名工人。\n"
EN = ("The conference was held in Beijing in 2019.\nThree companies announced a partnership.\n"
      "Together they will develop a new battery.\nThe factory will employ two thousand workers.\n")


def run(*args: str):
    return CliRunner().invoke(cli, ["align", *args])


def write(path, content: str | bytes):
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def test_the_beads_print_one_a_line_in_the_research_format(tmp_path):
    result = run("--sentences", write(tmp_path / "a.zh", ZH), write(tmp_path / "a.en", EN))
    assert result.exit_code == 0, result.output
    assert result.output == "[0]:[0]\n[1]:[1,2]\n[2]:[3]\n"


def test_confidence_follows_each_bead_after_a_tab(tmp_path):
    result = run("--sentences", "--confidence", write(tmp_path / "a.zh", ZH), write(tmp_path / "a.en", EN))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["[0]:[0]", "[1]:[1,2]", "[2]:[3]"]
    assert all(re.fullmatch(r"\[[\d,]*\]:\[[\d,]*\]\t[01]\.\d{3}", line) for line in lines)


def test_a_glossary_and_translations_are_taken(tmp_path):
    glossary = write(tmp_path / "terms.csv", "zh,en,variants,keep,case,kind,note\n北京,Beijing,,,,place,\n")
    translations = write(tmp_path / "mt.txt", "Meeting in Beijing in 2019.\nThree firms battery.\nFactory workers.\n")
    result = run("--sentences", "--glossary", glossary, "--translations", translations,
                 write(tmp_path / "a.zh", ZH), write(tmp_path / "a.en", EN))
    assert result.exit_code == 0, result.output
    assert result.output == "[0]:[0]\n[1]:[1,2]\n[2]:[3]\n"


def test_translations_must_have_one_line_per_chinese_sentence(tmp_path):
    translations = write(tmp_path / "mt.txt", "Only one.\n")
    result = run("--sentences", "--translations", translations, write(tmp_path / "a.zh", ZH),
                 write(tmp_path / "a.en", EN))
    assert result.exit_code == 1
    assert result.output == f"Error: {translations}: has 1 lines for 3 Chinese sentences in {tmp_path / 'a.zh'}; " \
                            "give one translation a line\n"


def test_without_sentences_it_says_what_works(tmp_path, monkeypatch):
    (tmp_path / "edition.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(write(tmp_path / "a.zh", ZH), write(tmp_path / "a.en", EN))
    assert result.exit_code == 2
    assert "--sentences ZH_FILE EN_FILE" in result.output


@pytest.mark.hostile("corpus")
@pytest.mark.parametrize(("content", "message"), [
    ("", "has no sentences; give a file with one sentence a line"),
    ("\n  \n\n", "has no sentences; give a file with one sentence a line"),
    (b"ok\n\x00\x01\x02binary", "2: is binary (a NUL byte), not a text file of sentences"),
    (b"line one\nline two \xff\xfe\n", "2: is not UTF-8 (byte 0xff); save it as UTF-8"),
    ("x" * (files.MAX_LINE_CHARS + 1), f"1: a line of {files.MAX_LINE_CHARS + 1:,} characters is not one sentence"),
])
def test_a_bad_sentence_file_is_one_line_naming_it(tmp_path, content, message):
    good = write(tmp_path / "good.zh", ZH)
    bad = write(tmp_path / "bad.en", content)
    result = run("--sentences", good, bad)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}:{message}" if message[0].isdigit() else f"Error: {bad}: {message}")
    assert len(result.output.splitlines()) == 1 and "Traceback" not in result.output


@pytest.mark.hostile("corpus")
def test_a_file_over_the_size_bound_is_refused_unread(tmp_path, monkeypatch):
    huge = tmp_path / "huge.en"
    with huge.open("wb") as handle:  # sparse: 50 MB and a byte, without writing them
        handle.truncate(files.MAX_BYTES + 1)

    from translate import inputs

    read = inputs.read_input

    def read_all_but_huge(path, *args, **kwargs):
        assert Path(path) != huge, "the huge file was read"
        return read(path, *args, **kwargs)

    monkeypatch.setattr(inputs, "read_input", read_all_but_huge)
    result = run("--sentences", write(tmp_path / "a.zh", ZH), str(huge))
    assert result.exit_code == 1
    assert result.output == f"Error: {huge}: is {files.MAX_BYTES + 1:,} bytes; a sentence file may have at most 50 MB\n"


@pytest.mark.hostile("corpus")
@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_missing_file_or_a_folder_is_one_line(tmp_path, kind):
    target = tmp_path / "x.en"
    if kind == "folder":
        target.mkdir()
    result = run("--sentences", write(tmp_path / "a.zh", ZH), str(target))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {target}: ") and len(result.output.splitlines()) == 1


def test_help_does_not_import_the_aligner():
    import subprocess
    import sys

    code = ("import sys; from translate.cli import cli\n"
            "try:\n    cli(['align', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('LOADED' if 'translate.align.aligner' in sys.modules or 'jieba' in sys.modules else 'LAZY')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("LAZY")
