"""Senses and accepted forms: the ``alternates`` and ``pos`` columns, through every reader and writer,
and the one honour rule that reads them (:data:`translate.glossary.honour.INFLECTIONS`)."""

from pathlib import Path

import pytest

from translate.errors import GlossaryError
from translate.glossary import Glossary
from translate.glossary.checks import check_glossary
from translate.glossary.interchange import export_glossary, import_glossary
from translate.glossary.tbx import read_tbx, write_tbx
from translate.glossary.termbase import COLUMNS, REQUIRED_COLUMNS, term_from_cells, term_to_cells
from translate.glossary.termedits import add_term, entries
from translate.glossary.honour import INFLECTIONS, proof_terms, rule_markdown, target_honoured, term_honoured
from translate.models import Term

OLD_HEADER = ",".join(REQUIRED_COLUMNS) + "\n"
NEW_HEADER = ",".join(COLUMNS) + "\n"
LUODI = Term("落地", "deployment", pos="noun",
             alternates=("deploy", "put into practice", "real-world use", "bring to market"))


def write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


def test_an_older_termbase_without_the_columns_loads_and_is_not_rewritten(tmp_path):
    text = OLD_HEADER + "大模型,large model,,,,concept,\n"
    path = write(tmp_path / "terms.csv", text)
    [term] = Glossary.load(path).terms
    assert (term.en, term.alternates, term.pos) == ("large model", (), "")
    assert check_glossary(path) == []
    add_term(path, Term("周明", "Zhou Ming", kind="person"))
    assert path.read_text(encoding="utf-8") == text + "周明,Zhou Ming,,,,person,\n"


def test_an_entry_with_alternates_is_refused_by_a_termbase_without_the_column(tmp_path):
    text = OLD_HEADER + "大模型,large model,,,,concept,\n"
    path = write(tmp_path / "terms.csv", text)
    with pytest.raises(GlossaryError) as raised:
        add_term(path, LUODI)
    assert "'alternates', 'pos' but the termbase has no such column" in str(raised.value)
    assert path.read_text(encoding="utf-8") == text


def test_the_columns_are_read_written_and_checked(tmp_path):
    path = write(tmp_path / "terms.csv", NEW_HEADER
                 + "落地,deployment,,,,concept,,deploy| put into practice |deployment|deploy,Noun\n"
                 + "周明,Zhou Ming,,,,person,,,person\n")
    found = [d.message for d in check_glossary(path)]
    assert found == ["'pos' must be 'noun', 'verb', 'adjective', 'name' or empty, not 'person'"]
    with pytest.raises(GlossaryError, match=":3: 'pos' must be"):
        Glossary.load(path)
    luodi = term_from_cells({"zh": "落地", "en": "deployment", "alternates": "deploy| put into practice |deployment",
                             "pos": "Noun"})
    assert (luodi.alternates, luodi.pos) == (("deploy", "put into practice"), "noun")
    assert term_from_cells(term_to_cells(LUODI)) == LUODI
    assert [t.zh for t in entries(write(tmp_path / "b.csv", NEW_HEADER + "落地,deployment,,,,,,deploy,noun\n"),
                                  "DEPLOY")] == ["落地"]


def test_too_many_alternates_are_refused(tmp_path):
    many = "|".join(f"form {n}" for n in range(30))
    path = write(tmp_path / "terms.csv", NEW_HEADER + f"落地,deployment,,,,,,{many},\n")
    with pytest.raises(GlossaryError, match="30 alternates; an entry has at most"):
        Glossary.load(path)


@pytest.mark.parametrize(("english", "honoured", "forced"), [
    ("bring the model to deployment", True, True),
    ("two deployments", True, True),
    ("the model was deployed", True, False),  # by the alternate deploy (a verb), not by en (a noun)
    ("deploying it", True, False),
    ("put into practice", True, False),
    ("its real-world use", True, False),
    ("a deployable model", False, False),
    ("they brought it to market", False, False),  # a phrase's verb is not inflected: list it if needed
])
def test_alternates_are_honoured_and_the_engines_target_is_en(english, honoured, forced):
    assert term_honoured(LUODI, english) is honoured
    assert target_honoured(LUODI, english) is forced


@pytest.mark.parametrize(("pos", "english", "honoured"), [
    ("noun", "large models", True),
    ("noun", "large-model era", True),
    ("noun", "large modelling", False),
    ("noun", "start-ups", True),
    ("noun", "three companies", True),
    ("verb", "it converges", True),
    ("verb", "they converged", True),
    ("verb", "converging", True),
    ("verb", "convergence", False),
    ("adjective", "To B companies", True),
    ("adjective", "To Bs", False),
    ("name", "Zhou Mings", False),
    ("", "converged", True),
    ("", "large models", True),
])
def test_pos_decides_the_inflections_of_the_last_word(pos, english, honoured):
    targets = {"large": "large model", "start": "start-up", "three": "company", "it": "converge", "they": "converge",
               "converging": "converge", "convergence": "converge", "To": "To B", "Zhou": "Zhou Ming",
               "converged": "converge"}
    target = targets[english.split(" ")[0].split("-")[0]]
    assert term_honoured(Term("x", target, pos=pos), english) is honoured


def test_kept_targets_take_a_plural_only_as_nouns():
    assert term_honoured(Term("GPU", "GPU", keep=True, case="exact"), "GPUs")
    assert term_honoured(Term("GPU", "GPU", keep=True, case="exact", pos="noun"), "GPUs")
    assert not term_honoured(Term("GPU", "GPU", keep=True, case="exact", pos="name"), "GPUs")
    assert not term_honoured(Term("密度法则", "Densing Law", keep=True, case="exact"), "Densing Laws")
    assert term_honoured(Term("密度法则", "Densing Law", keep=True, case="exact", pos="noun"), "Densing Laws")


def test_the_proof_highlights_the_alternate_and_carries_the_alternates():
    glossary = Glossary.from_terms([LUODI])
    [use], violations = proof_terms("a", "b001", "b001.s1", "技术落地很难。", "Putting it into real-world use is hard.",
                                    glossary)
    assert violations == ()
    assert use.honoured and use.alternates == LUODI.alternates
    assert "Putting it into real-world use is hard."[slice(*use.en_spans[0])] == "real-world use"


def test_tbx_carries_alternates_as_admitted_terms_and_pos_as_part_of_speech(tmp_path):
    text = write_tbx([LUODI, Term("周明", "Zhou Ming", pos="name")])
    assert '<termNote type="partOfSpeech">noun</termNote>' in text
    assert '<termNote type="partOfSpeech">properNoun</termNote>' in text
    assert text.count("admittedTerm-admn-sts") == 4 and text.count("preferredTerm-admn-sts") == 1
    path = write(tmp_path / "terms.tbx", text)
    luodi, zhou = read_tbx(path)
    assert (luodi.en, luodi.alternates, luodi.pos) == (LUODI.en, LUODI.alternates, "noun")
    assert (zhou.en, zhou.alternates, zhou.pos) == ("Zhou Ming", (), "name")


def test_tbx_from_elsewhere_admitted_first_deprecated_dropped(tmp_path):
    path = write(tmp_path / "vendor.tbx", """<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="1"><langSet xml:lang="zh"><tig><term>落地</term></tig></langSet>
<langSet xml:lang="en">
 <tig><term>deploy</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
 <tig><term>landing</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
 <ntig><termGrp><term>deployment</term><termNote type="partOfSpeech">Noun</termNote></termGrp></ntig>
 <tig><term>rollout</term><termNote type="partOfSpeech">adverb</termNote></tig>
</langSet></termEntry></body></text></martif>
""")
    [term] = read_tbx(path)
    assert (term.en, term.alternates, term.pos) == ("deployment", ("deploy", "rollout"), "noun")


def test_import_adds_alternates_and_reports_a_different_pos(tmp_path):
    path = write(tmp_path / "terms.csv", NEW_HEADER + "落地,deployment,,,,concept,,deploy,noun\n")
    source = write(tmp_path / "in.csv", NEW_HEADER + "落地,deployment,,,,concept,,put into practice|deploy,verb\n")
    report = import_glossary(path, source)
    assert [c.what for c in report.changed] == [("alternates + put into practice",)]
    assert [(c.field, c.ours, c.theirs) for c in report.conflicts] == [("pos", "noun", "verb")]
    [term] = Glossary.load(path).terms
    assert (term.alternates, term.pos) == (("deploy", "put into practice"), "noun")
    assert export_glossary(path, "tsv").splitlines()[1].split("\t")[-2:] == ["deploy|put into practice", "noun"]


def test_import_of_alternates_into_an_older_termbase_is_refused_not_dropped(tmp_path):
    text = OLD_HEADER + "大模型,large model,,,,concept,\n"
    path = write(tmp_path / "terms.csv", text)
    source = write(tmp_path / "in.csv", NEW_HEADER + "落地,deployment,,,,concept,,deploy,noun\n")
    with pytest.raises(GlossaryError, match="no such column"):
        import_glossary(path, source)
    assert path.read_text(encoding="utf-8") == text


ROOT = Path(__file__).resolve().parents[2]


def test_the_docs_show_the_rule_as_the_code_states_it():
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("<!-- honour-rule:start -->\n", 1)[1].split("<!-- honour-rule:end -->", 1)[0]
    assert block == rule_markdown()
    for guide in ("glossary/STYLE.md", "glossary/README.md"):  # they refer to it, they do not restate it
        words = " ".join((ROOT / guide).read_text(encoding="utf-8").replace("`", "").split())
        assert 'docs/glossary.md ("When a term is honoured")' in words
        assert "-ing" not in words and "-ed " not in words


@pytest.mark.parametrize("row", INFLECTIONS, ids=[row.pos or "empty" for row in INFLECTIONS])
def test_every_example_of_the_rule_holds(row):
    term = Term("x", row.target, pos=row.pos)
    assert [english for english in row.counts if not term_honoured(term, english)] == []
    assert [english for english in row.fails if term_honoured(term, english)] == []


def test_the_concordance_finds_an_entry_by_alternate_and_says_which_form_honoured_it(tmp_path):
    import json

    from translate.glossary.concordance import concordance, resolve_term
    from translate.models import Article, ArticleMeta, Block

    glossary = Glossary.from_terms([LUODI])
    assert resolve_term(glossary, "Put Into Practice").zh == "落地"
    article = Article(slug="a", path="corpus/a.md", meta=ArticleMeta(title="t", title_original="t", source_file="a.txt",
                                                                  script="simplified"),
                      blocks=(Block(id="b001", kind="paragraph", text="技术落地。模型落地。", original="技术落地。模型落地。",
                                    line=3),))
    folder = tmp_path / "translations"
    folder.mkdir()
    segments = [{"id": "b001.s1", "zh": "技术落地。", "en": "The technology is put into practice."},
                {"id": "b001.s2", "zh": "模型落地。", "en": "The model lands."}]
    (folder / "a.json").write_text(json.dumps({"blocks": [{"id": "b001", "segments": segments}]}), encoding="utf-8")
    found = concordance(glossary, "落地", [article], folder)
    assert [(o.segment, o.honoured, o.en_form) for o in found] == [("b001.s1", True, "put into practice"),
                                                                    ("b001.s2", False, "")]


def test_cli_add_and_list_carry_alternates_and_pos(project, termbase):
    from click.testing import CliRunner

    from translate.cli import cli

    def run(*args):
        return CliRunner().invoke(cli, ["--root", str(project), "glossary", *args])

    before = termbase.read_bytes()  # the fixture is an older termbase: no alternates, no pos column
    refused = run("add", "落地", "deployment", "--pos", "noun", "--alternates", "deploy|put into practice")
    assert refused.exit_code == 1 and "no such column" in refused.output and termbase.read_bytes() == before
    lines = termbase.read_text(encoding="utf-8").splitlines()
    termbase.write_text("\n".join([lines[0] + ",alternates,pos", *(line + ",," for line in lines[1:])]) + "\n",
                        encoding="utf-8")
    added = run("add", "落地", "deployment", "--pos", "noun", "--alternates", "deploy|put into practice")
    assert added.exit_code == 0, added.output
    assert termbase.read_text(encoding="utf-8").endswith("落地,deployment,,,,,,deploy|put into practice,noun\n")
    listed = run("list", "--grep", "practice")
    assert "落地 → deployment  (noun; also: deploy | put into practice)" in listed.output


def test_the_po_store_lists_the_alternates_beside_the_target(tmp_path):
    from translate.models import Article, ArticleMeta, BilingualArticle, BilingualBlock, Block, Segment, TranslationStats
    from translate.postedit.apply import apply_edits

    glossary = Glossary.from_terms([LUODI, Term("大模型", "large model", pos="noun")])
    zh = "大模型落地很难。"
    uses, violations = proof_terms("a", "b001", "b001.s1", zh, "Large models are hard.", glossary)
    block = Block(id="b001", kind="paragraph", text=zh, original=zh, line=3)
    segment = Segment(id="b001.s1", zh=zh, zh_original=zh, en="Large models are hard.", engine="gloss", terms=uses,
                      violations=violations, origin="gloss")
    article = Article(slug="a", path="corpus/a.md", blocks=(block,),
                      meta=ArticleMeta(title="t", title_original="t", source_file="a.txt", script="simplified"))
    bilingual = BilingualArticle(article=article, title_en="t", blocks=(BilingualBlock(block, (segment,)),),
                                 engine="gloss", model="m", stats=TranslationStats(segments=1))
    apply_edits([bilingual], glossary, tmp_path)
    comments = [line for line in (tmp_path / "a.en.po").read_text(encoding="utf-8").splitlines()
                if line.startswith("#. glossary:")]
    assert comments == ["#. glossary: 大模型 → large model",
                        "#. glossary: 落地 → deployment (also: deploy, put into practice, real-world use, "
                        "bring to market)"]


@pytest.mark.parametrize(("cell", "message"), [
    ("deploy|\u200b", "an alternate contains the invisible character U+200B"),
    ("deploy|...", "an alternate has no letter or digit"),
    ("=HYPERLINK(1)", "cell would run as a spreadsheet formula: 'alternates'"),
    ("deploy|" + "x" * 201, "an alternate is 201 characters long"),
])
def test_an_alternate_nobody_could_honour_or_that_would_run_is_refused(tmp_path, cell, message):
    # An alternate of U+200B alone would be honoured by English nobody can read.
    path = write(tmp_path / "terms.csv", NEW_HEADER + f'落地,deployment,,,,concept,,"{cell}",noun\n')
    with pytest.raises(GlossaryError) as raised:
        Glossary.load(path)
    assert message in str(raised.value)
    with pytest.raises(GlossaryError):
        add_term(write(tmp_path / "new.csv", NEW_HEADER), Term("落地", "deployment", alternates=tuple(cell.split("|"))))


def test_translator_exports_list_the_alternates():
    import polib

    from translate.postedit.exchange import ExportArticle, ExportUnit
    from translate.postedit.pofile import write_po
    from translate.postedit.xliff import write_xliff2, write_xliff12

    unit = ExportUnit(id="b001.s1", zh="技术落地。", source="技术落地。", en="", exported="machine",
                      draft="Technology deployment.", terms=(("落地", "deployment", ("deploy", "put into practice")),))
    article = ExportArticle(slug="a", title="t", script="simplified", units=(unit,))
    assert ("<gls:glossEntry><gls:term>落地</gls:term><gls:translation>deployment</gls:translation>"
            "<gls:translation>deploy</gls:translation><gls:translation>put into practice</gls:translation>"
            "</gls:glossEntry>") in write_xliff2(article)
    assert ('<note from="glossary">落地 → deployment (also: deploy, put into practice)</note>'
            in write_xliff12(article))
    [entry] = polib.pofile(write_po(article))
    assert "glossary: 落地 → deployment (also: deploy, put into practice)" in entry.comment
