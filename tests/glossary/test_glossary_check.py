"""The checker: every malformed fixture is rejected with its line and exact message."""

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import edition_folder
from glossary_cases import read_cases

from translate.cli import cli
from translate.errors import GlossaryError
from translate.glossary import Glossary, check_glossary

CASES = read_cases("malformed.txt")


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_malformed_fixture(case, tmp_path):
    content, expected = case.parts
    path = write(tmp_path / "terms.csv", content)
    assert [f"{d.severity} {d.line}: {d.message}" for d in check_glossary(path)] == list(expected)


@pytest.mark.parametrize("case", [c for c in CASES if any(e.startswith("error") for e in c.parts[1])],
                         ids=lambda c: c.title)
def test_load_stops_at_the_first_error_with_file_and_line(case, tmp_path):
    content, expected = case.parts
    path = write(tmp_path / "terms.csv", content)
    first = next(e for e in expected if e.startswith("error"))
    line, message = first.removeprefix("error ").split(": ", 1)
    with pytest.raises(GlossaryError) as raised:
        Glossary.load(path)
    assert str(raised.value) == f"{path}:{line}: {message}"


def test_diagnostic_prints_as_path_line_message(tmp_path):
    path = write(tmp_path / "terms.csv", ["zh,en,variants,keep,case,kind,note", "大模型,,,,,concept,"])
    (diagnostic,) = check_glossary(path)
    assert str(diagnostic) == (f"{path}:2: empty target: the 'en' cell is empty; fill in the English "
                               "(for a term kept as is, repeat it)")


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_bytes("zh,en,variants,keep,case,kind,note\n大模型,large model,,,,,\n".encode("utf-8")
                     + "周明,Zhou Ming,,,,,\n".encode("gb18030"))
    (diagnostic,) = check_glossary(path)
    assert (diagnostic.line, diagnostic.message) == (
        3, "not UTF-8 (byte 0xd6); save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')")


def test_an_empty_file_has_no_header(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_bytes(b"")
    with pytest.raises(GlossaryError, match=r"terms.csv:1: no header row; the first line must be: zh,en,"):
        Glossary.load(path)


def test_a_bom_and_crlf_are_tolerated(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_bytes(codecs.BOM_UTF8 + "zh,en,variants,keep,case,kind,note\r\n大模型,large model,,,,,\r\n".encode())
    assert check_glossary(path) == []
    assert Glossary.load(path).lookup("大模型").en == "large model"


def test_tsv_with_the_same_header(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("zh\ten\tvariants\tkeep\tcase\tkind\tnote\n澜舟科技\tLangboat\t澜舟\t\t\tcompany\tuses, commas\n",
                    encoding="utf-8")
    term = Glossary.load(path).lookup("澜舟")
    assert (term.zh, term.note) == ("澜舟科技", "uses, commas")


def test_corpus_warnings_for_terms_that_never_apply(tmp_path):
    path = write(tmp_path / "terms.csv", [
        "zh,en,variants,keep,case,kind,note",
        "大模型,large model,,,,concept,",
        "模型,model,,,,concept,",
        "周明,Zhou Ming,,,,person,",
    ])
    diagnostics = check_glossary(path, ["周明说大模型很重要。", "瀾舟科技"])
    assert [f"{d.severity} {d.line}: {d.message}" for d in diagnostics] == [
        "warning 3: '模型' is nested in '大模型' (line 2); where both could match, the longer term wins",
        "warning 3: '模型' occurs in the corpus only inside longer terms or words, so it never applies",
    ]
    diagnostics = check_glossary(path, ["周明"])
    assert "warning 2: '大模型' never occurs in the corpus" in [f"{d.severity} {d.line}: {d.message}" for d in diagnostics]


def test_the_fixture_termbase_has_no_errors():
    from glossary_cases import FIXTURES

    assert [d for d in check_glossary(FIXTURES / "terms.csv") if d.severity == "error"] == []


# The CLI ------------------------------------------------------------------------------------

def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "glossary", *args])


def test_cli_check_counts_warnings_by_kind(project):
    result = run(project, "check", "--no-corpus")
    assert result.exit_code == 0, result.output
    path = project / "glossary" / "terms.csv"
    assert result.output.splitlines() == [
        f"{path}: 0 errors, 3 warnings (3 nested terms); list them with --warnings"]


def test_cli_check_lists_warnings_with_the_option(project):
    result = run(project, "check", "--no-corpus", "--warnings")
    assert result.exit_code == 0, result.output
    path = project / "glossary" / "terms.csv"
    lines = result.output.splitlines()
    assert lines[0] == (
        f"Warning: {path}:3: '大模型' is nested in '大模型创业' (line 2); where both could match, the longer term wins")
    assert len(lines) == 4 and lines[-1] == f"{path}: 0 errors, 3 warnings (3 nested terms)"


def test_cli_check_prints_errors_before_any_warning(project):
    path = project / "glossary" / "terms.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("大模型创业,large-model start-up,,,,concept,\n")  # an exact duplicate: a warning, last line
        handle.write("大模型,big model,,,,concept,\n")
    for options in ((), ("--warnings",)):
        lines = run(project, "check", "--no-corpus", *options).output.splitlines()
        kinds = [line.split(":", 1)[0] for line in lines[:-2]]
        assert kinds == sorted(kinds, key=lambda kind: kind != "Error"), lines
        assert kinds[0] == "Error" and kinds.count("Error") == 1
    assert lines[-2] == f"{path}: 1 error, 5 warnings (4 nested terms, 1 duplicate)"


def test_cli_check_strict_fails_on_warnings(project):
    result = run(project, "check", "--no-corpus", "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: 3 glossary warnings (--strict)"


def test_cli_check_exits_1_with_the_line_of_each_error(project):
    path = project / "glossary" / "terms.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('大模型,big model,,,,concept,\n周明,"Zhou Ming,,,,person,\n')
    result = run(project, "check", "--no-corpus")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (f"Error: {path}:14: '大模型' is already at line 3 with target 'large model'; "
            "one source has one target (merge the two lines)") in lines
    assert (f"Error: {path}:15: broken quoting: a quote opened in this line is never closed "
            "(line breaks inside cells are not allowed)") in lines
    assert lines[-2:] == [f"{path}: 2 errors, 4 warnings (4 nested terms); list them with --warnings",
                          f"Error: {path}: 2 errors; fix the lines above and check again"]


def test_cli_check_without_a_termbase(tmp_path):
    result = run(edition_folder(tmp_path), "check", "--no-corpus")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"Error: {tmp_path}/glossary/terms.csv: no glossary here; start one with `bitext glossary add ZH EN`")


def test_the_shipped_termbase_has_no_errors():
    shipped = Path(__file__).resolve().parents[2] / "glossary" / "terms.csv"
    if not shipped.exists():
        pytest.skip("no shipped termbase in this checkout")
    assert [str(d) for d in check_glossary(shipped) if d.severity == "error"] == []
