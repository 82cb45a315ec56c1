"""Export and import: CSV, TSV and TBX round trips keep every entry and note; merges never overwrite silently."""

import pytest
from click.testing import CliRunner
from glossary_cases import FIXTURES

from translate.cli import cli
from translate.errors import GlossaryError
from translate.glossary.checks import file_errors
from translate.glossary.interchange import export_glossary, import_glossary, read_entries
from translate.glossary.tbx import read_tbx

TERMS = file_errors(FIXTURES / "terms.csv")[1]


def fields(terms):
    return [(t.zh, t.en, t.variants, t.keep, t.case, t.kind, t.note) for t in terms]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_round_trip_keeps_every_entry_and_note(fmt, tmp_path):
    exported = tmp_path / f"out.{fmt}"
    exported.write_text(export_glossary(FIXTURES / "terms.csv", fmt), encoding="utf-8")
    assert fields(read_entries(exported)) == fields(TERMS)


def test_tbx_shape():
    tbx = export_glossary(FIXTURES / "terms.csv", "tbx")
    assert tbx.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en">')
    assert '<langSet xml:lang="zh">' in tbx and '<langSet xml:lang="en">' in tbx
    assert '<descrip type="note">The standard rendering; not "big model"</descrip>' in tbx
    assert '<descrip type="keep">yes</descrip>' in tbx and '<descrip type="case">exact</descrip>' in tbx


def test_tbx_from_another_tool(tmp_path):
    path = tmp_path / "vendor.tbx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en"><text><body>
  <termEntry id="a">
    <descrip type="subjectField">company</descrip>
    <langSet xml:lang="zh-Hant"><ntig><termGrp><term>瀾舟科技</term></termGrp></ntig></langSet>
    <langSet xml:lang="en-US"><tig><term>Langboat</term></tig><tig><term>Langboat Tech</term></tig></langSet>
    <note>Founded by
      Zhou Ming</note>
  </termEntry>
</body></text></martif>
""", encoding="utf-8")
    (term,) = read_tbx(path)
    assert (term.zh, term.en, term.variants, term.kind, term.note, term.line) == (
        "澜舟科技", "Langboat", ("瀾舟科技",), "company", "Founded by Zhou Ming", 4)


@pytest.mark.parametrize(("text", "message"), [
    ("<martif><text><body><termEntry>\n<langSet xml:lang='en'><tig><term>x</term></tig></langSet>"
     "</termEntry></body></text></martif>",
     '1: entry has no Chinese term (a <langSet xml:lang="zh"> with a <term>)'),
    ("<martif>\n<text>\n</martif>", "3: not well-formed XML (mismatched tag)"),
    ('<?xml version="1.0"?>\n<!DOCTYPE m [\n<!ENTITY a "aaaa">\n]>\n<m>&a;</m>',
     "3: entity declarations are not allowed in a TBX file ('a')"),
    ("<martif><text><body><termEntry><langSet xml:lang='zh'><tig><term>大模型</term></tig></langSet>"
     "<langSet xml:lang='en'><tig><term>=1+1</term></tig></langSet></termEntry></body></text></martif>",
     "1: en '=1+1' would run as a spreadsheet formula (it starts with '='); "
     "reword it so that it starts with another character"),
])
def test_broken_tbx_is_rejected_with_its_line(tmp_path, text, message):
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        read_entries(path)
    assert str(raised.value) == f"{path}:{message}"


INCOMING = """zh,en,variants,note,kind
面壁智能,ModelBest,面壁,,company
周明,Zhou Ming,,Founder of Langboat,
大模型,big model,,,concept
澜舟科技,Langboat,瀾舟|澜舟AI,,company
模型,model,,,concept
智谱,Zhipu,澜舟,,company
"""


def test_import_reports_added_changed_conflicting(termbase, tmp_path):
    source = tmp_path / "reviewed.csv"
    source.write_text(INCOMING, encoding="utf-8")
    before = termbase.read_text(encoding="utf-8").splitlines()
    report = import_glossary(termbase, source)
    assert [(t.zh, t.line) for t in report.added] == [("面壁智能", 14)]
    assert [(c.term.zh, c.term.line, c.what) for c in report.changed] == [
        ("周明", 6, ("note filled in",)), ("澜舟科技", 5, ("variants + 澜舟AI",))]
    assert [(c.zh, c.field, c.ours, c.theirs, c.line, c.source_line) for c in report.conflicts] == [
        ("大模型", "en", "large model", "big model", 3, 4),
        ("智谱", "source form", "澜舟科技", "澜舟", 5, 7)]
    assert report.unchanged == 1 and report.written
    after = termbase.read_text(encoding="utf-8").splitlines()
    assert after[2] == before[2]  # the translator's 大模型 is untouched
    assert after[4] == '澜舟科技,Langboat,澜舟|澜舟AI,,,company,"Founded by Zhou Ming, 2021"'
    assert after[5] == "周明,Zhou Ming,,,,person,Founder of Langboat"
    assert after[13] == "面壁智能,ModelBest,面壁,,,company,"
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [4, 5]


def test_import_overwrite_takes_the_incoming_target(termbase, tmp_path):
    source = tmp_path / "reviewed.csv"
    source.write_text("zh,en\n大模型,big model\n", encoding="utf-8")
    report = import_glossary(termbase, source, overwrite=True)
    assert report.conflicts[0].overwritten
    assert termbase.read_text(encoding="utf-8").splitlines()[2] == \
        '大模型,big model,,,,concept,"The standard rendering; not ""big model"""'


def test_import_dry_run_writes_nothing(termbase, tmp_path):
    source = tmp_path / "reviewed.csv"
    source.write_text(INCOMING, encoding="utf-8")
    before = termbase.read_bytes()
    report = import_glossary(termbase, source, dry_run=True)
    assert len(report.added) == 1 and not report.written
    assert termbase.read_bytes() == before


def test_importing_an_export_changes_nothing(termbase, tmp_path):
    exported = tmp_path / "all.tbx"
    exported.write_text(export_glossary(termbase, "tbx"), encoding="utf-8")
    before = termbase.read_bytes()
    report = import_glossary(termbase, exported)
    assert (report.added, report.changed, report.conflicts, report.unchanged) == ((), (), (), 12)
    assert termbase.read_bytes() == before


def test_import_a_malformed_csv_names_its_line(termbase, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("zh,en\n大模型,\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        import_glossary(termbase, source)
    assert str(raised.value) == (f"{source}:2: empty target: the 'en' cell is empty; "
                                 "fill in the English (for a term kept as is, repeat it)")


# The CLI ------------------------------------------------------------------------------------

def run(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project), "glossary", *args])


def test_cli_import_prints_the_merge_report(project, termbase, tmp_path):
    source = tmp_path / "reviewed.csv"
    source.write_text(INCOMING, encoding="utf-8")
    result = run(project, "import", str(source))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"added     面壁智能 → ModelBest ({termbase}:14)",
        f"changed   周明 ({termbase}:6): note filled in",
        f"changed   澜舟科技 ({termbase}:5): variants + 澜舟AI",
        f"conflict  {source}:4: 大模型 en 'big model', but {termbase}:3 says 'large model'; "
        "kept (use --overwrite to take the import's)",
        f"conflict  {source}:7: '澜舟' of '智谱' is already a source form of '澜舟科技' ({termbase}:5); not imported",
        f"Imported {source} into {termbase}: 1 added, 2 changed, 2 conflicting, 1 unchanged",
    ]


def test_cli_import_strict_fails_on_conflicts(project, tmp_path):
    source = tmp_path / "reviewed.csv"
    source.write_text("zh,en\n大模型,big model\n", encoding="utf-8")
    result = run(project, "import", str(source), "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: 1 conflicting entries were not imported (--strict)"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_cli_export_to_a_file(project, tmp_path, fmt):
    output = tmp_path / f"terms.{fmt}"
    result = run(project, "export", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert fields(read_entries(output)) == fields(TERMS)


def test_cli_export_to_stdout(project):
    result = run(project, "export", "--format", "tsv")
    assert result.output.splitlines()[:2] == ["zh\ten\tvariants\tkeep\tcase\tkind\tnote\talternates\tpos",
                                              "大模型创业\tlarge-model start-up\t\t\t\tconcept\t\t\t"]


@pytest.mark.hostile("glossary")
def test_importing_thousands_of_entries_does_not_scan_the_termbase_for_each(termbase, tmp_path, monkeypatch):
    # A TBX of 8,000 entries took two minutes: each entry looked for its term and forms in a list of all.
    import translate.glossary.termedits as edits_module
    import translate.glossary.interchange as interchange_module
    from translate.glossary.tbx import write_tbx
    from translate.models import Term

    calls = []

    def counted(term):
        calls.append(term)
        return original(term)

    original = interchange_module.source_forms
    monkeypatch.setattr(interchange_module, "source_forms", counted)
    monkeypatch.setattr(edits_module, "source_forms", counted)
    count = 3_000
    incoming = [Term(zh=f"词{n:04d}", en=f"word {n}", variants=(f"W{n}X",)) for n in range(count)]
    incoming += [Term(zh=f"词{n:04d}", en=f"word {n}", note="reviewed") for n in range(0, count, 3)]  # merges
    source = tmp_path / "vendor.tbx"
    source.write_text(write_tbx(incoming), encoding="utf-8")
    report = import_glossary(termbase, source)
    assert len(report.added) == count and len(report.changed) == count // 3
    assert len(calls) < 10 * len(incoming), f"{len(calls):,} looks at entries' forms for {len(incoming):,} entries"
