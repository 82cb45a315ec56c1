"""Edits keep the file's order, quoting, line endings and BOM: one change, one changed line."""

import codecs
import difflib

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import GlossaryError
from translate.glossary import Glossary
from translate.glossary.termedits import add_term, remove_term
from translate.models import Term

# Quoted in several styles, CRLF line endings, a BOM: a spreadsheet's export after hand edits.
SPREADSHEET = codecs.BOM_UTF8 + (
    '"zh","en","variants","keep","case","kind","note"\r\n'
    '"大模型","large model","","","","concept","not ""big model"""\r\n'
    '周明,Zhou Ming,,,,person,  spaced   note  \r\n'
    '澜舟科技,"Langboat","澜舟",,,company,"Founded 2021, Beijing"\r\n'
).encode("utf-8")


def changed_lines(before: bytes, after: bytes) -> list[str]:
    old = before.decode("utf-8").splitlines(keepends=True)
    new = after.decode("utf-8").splitlines(keepends=True)
    return [line for line in difflib.ndiff(old, new) if line[:1] in "+-"]


@pytest.fixture
def spreadsheet(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_bytes(SPREADSHEET)
    return path


def test_add_appends_one_line_in_the_files_own_style(spreadsheet):
    added = add_term(spreadsheet, Term("面壁智能", "ModelBest", variants=("面壁",), kind="company",
                                       note='Beijing, "MiniCPM"'))
    after = spreadsheet.read_bytes()
    assert added.line == 5
    assert after.startswith(codecs.BOM_UTF8 + SPREADSHEET[3:])
    assert changed_lines(SPREADSHEET, after) == ['+ 面壁智能,ModelBest,面壁,,,company,"Beijing, ""MiniCPM"""\r\n']
    assert Glossary.load(spreadsheet).lookup("面壁").note == 'Beijing, "MiniCPM"'


def test_remove_deletes_exactly_one_line(spreadsheet):
    (removed,) = remove_term(spreadsheet, "周明")
    assert (removed.zh, removed.line) == ("周明", 3)
    assert changed_lines(SPREADSHEET, spreadsheet.read_bytes()) == ["- 周明,Zhou Ming,,,,person,  spaced   note  \r\n"]


def test_add_then_remove_restores_the_bytes(spreadsheet):
    add_term(spreadsheet, Term("面壁智能", "ModelBest"))
    remove_term(spreadsheet, "面壁智能")
    assert spreadsheet.read_bytes() == SPREADSHEET


def test_add_to_a_file_without_a_final_newline(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("zh,en,variants,keep,case,kind,note\n大模型,large model,,,,,", encoding="utf-8")
    add_term(path, Term("周明", "Zhou Ming"))
    assert path.read_text(encoding="utf-8") == (
        "zh,en,variants,keep,case,kind,note\n大模型,large model,,,,,\n周明,Zhou Ming,,,,,\n")


def test_add_creates_a_missing_termbase(tmp_path):
    path = tmp_path / "glossary" / "terms.tsv"
    add_term(path, Term("Densing Law", "Densing Law", keep=True, case="exact"))
    assert path.read_text(encoding="utf-8") == (
        "zh\ten\tvariants\tkeep\tcase\tkind\tnote\talternates\tpos\n"
        "Densing Law\tDensing Law\t\tyes\texact\t\t\t\t\n")


@pytest.mark.parametrize(("term", "message"), [
    (Term("大模型", "big model"),
     "2: '大模型' is already an entry (→ large model); edit that line, or remove it first with "
     "`bitext glossary remove 大模型`"),
    (Term("澜舟", "Langboat"),
     "4: '澜舟' is already a source form of '澜舟科技' (→ Langboat); edit that line, or remove it first with "
     "`bitext glossary remove 澜舟科技`"),
    (Term("智谱", "=cmd|' /C calc'!A0"),
     "5: en '=cmd|' /C calc'!A0' would run as a spreadsheet formula (it starts with '='); "
     "reword it so that it starts with another character"),
    (Term("智谱", ""), "5: empty target for '智谱': give the English (for a term kept as is, repeat it)"),
])
def test_add_refuses_what_would_damage_the_termbase(spreadsheet, term, message):
    with pytest.raises(GlossaryError) as raised:
        add_term(spreadsheet, term)
    assert str(raised.value) == f"{spreadsheet}:{message}"
    assert spreadsheet.read_bytes() == SPREADSHEET


def test_remove_a_variant_points_at_its_entry(spreadsheet):
    with pytest.raises(GlossaryError) as raised:
        remove_term(spreadsheet, "澜舟")
    assert str(raised.value) == (f"{spreadsheet}:4: '澜舟' is not an entry but a source form of '澜舟科技'; "
                                 "remove '澜舟科技' or edit its variants")


# The CLI ------------------------------------------------------------------------------------

def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "glossary", *args])


def test_cli_add_list_remove(project, termbase):
    before = termbase.read_bytes()
    result = run(project, "add", "面壁智能", "ModelBest", "--variants", "面壁", "--kind", "company",
                 "--note", "MiniCPM, Beijing")
    assert result.exit_code == 0, result.output
    assert result.output == f"Added 面壁智能 → ModelBest at {termbase}:14\n"
    assert changed_lines(before, termbase.read_bytes()) == ['+ 面壁智能,ModelBest,面壁,,,company,"MiniCPM, Beijing"\n']

    result = run(project, "list", "--grep", "modelbest")
    assert result.output == "   14  面壁智能 → ModelBest  (company; variants: 面壁)\n1 of 13 entries\n"

    result = run(project, "remove", "面壁智能")
    assert result.output == f"Removed 面壁智能 → ModelBest (was {termbase}:14)\n"
    assert termbase.read_bytes() == before


def test_cli_add_keep_and_case(project, termbase):
    result = run(project, "add", "Scaling Law", "Scaling Law", "--keep", "--case", "exact")
    assert result.exit_code == 0, result.output
    assert termbase.read_text(encoding="utf-8").splitlines()[-1] == "Scaling Law,Scaling Law,,yes,exact,,"


def test_cli_add_an_existing_term_exits_1(project, termbase):
    result = run(project, "add", "大模型", "big model")
    assert result.exit_code == 1
    assert result.output == (f"Error: {termbase}:3: '大模型' is already an entry (→ large model); edit that line, "
                             "or remove it first with `bitext glossary remove 大模型`\n")


def test_cli_remove_unknown_term_exits_1(project, termbase):
    result = run(project, "remove", "不存在")
    assert result.exit_code == 1
    assert result.output == f"Error: {termbase}: '不存在' is not in the glossary; see `bitext glossary list --grep 不存在`\n"


def test_cli_list_everything(project):
    result = run(project, "list")
    lines = result.output.splitlines()
    assert lines[0] == "    2  大模型创业 → large-model start-up  (concept)"
    assert lines[9] == "   11  AI芯片 → AI chip  (concept)"
    assert "   10  Densing Law → Densing Law  (concept; keep; case exact; variants: 密度法则)" in lines
    assert lines[-1] == "12 entries"
