"""`show`: where a term occurs, in which sentence, and whether the English honoured it."""

import json

import pytest
from click.testing import CliRunner
from documents import memo_article
from factories import interview_article
from glossary_cases import FIXTURES

import translate.cli.glossary as glossary_cli
from translate.cli import cli
from translate.errors import BitextError, GlossaryError
from translate.glossary import Glossary
from translate.glossary.concordance import concordance
from translate.models import Article, ArticleMeta, Block

GLOSSARY = Glossary.load(FIXTURES / "terms.csv")
INTERVIEW = interview_article().article
TRADITIONAL = Article(
    slug="hk", path="corpus/hk.md",
    meta=ArticleMeta(title="後臺", title_original="後臺", source_file="001_x.txt", script="traditional"),
    blocks=(Block(id="b001", kind="paragraph", text="周明说：大模型很贵！我们做后台。",
                  original="周明說：大模型很貴！我們做後臺。", line=7),),
)

# What `bitext build` writes for the interview, cut down: b004 is not translated yet.
TRANSLATION = {
    "slug": "interview", "title_en": "Zhou Ming on large models", "engine": "gloss", "model": "CC-CEDICT",
    "blocks": [
        {"id": "b001", "kind": "heading", "segments": [
            {"id": "b001.s1", "zh": "大模型创业", "zh_original": "大模型创业", "en": "Large model start-ups",
             "terms": [{"zh": "大模型创业", "en": "large-model start-up", "surface": "大模型创业", "honoured": False}],
             "violations": [], "note": "", "cached": False}]},
        {"id": "b002", "kind": "paragraph", "segments": [
            {"id": "b002.s1", "zh": "周明创立了澜舟科技。", "zh_original": "周明创立了澜舟科技。",
             "en": "Zhou Ming founded Langboat.", "terms": [], "violations": [], "note": "", "cached": False},
            {"id": "b002.s2", "zh": "他认为大模型很重要。", "zh_original": "他认为大模型很重要。",
             "en": "He thinks big models matter.",
             "terms": [{"zh": "大模型", "en": "large model", "surface": "大模型", "honoured": False}],
             "violations": [], "note": "", "cached": False}]},
    ],
}


@pytest.fixture
def translations(tmp_path):
    folder = tmp_path / "build" / "translations"
    folder.mkdir(parents=True)
    (folder / "interview.json").write_text(json.dumps(TRANSLATION, ensure_ascii=False), encoding="utf-8")
    return folder


def test_occurrences_before_any_build():
    found = concordance(GLOSSARY, "大模型", [INTERVIEW, TRADITIONAL], None)
    assert [(o.article, o.block, o.line, o.segment, o.zh, o.en, o.honoured) for o in found] == [
        ("interview", "b002", 12, None, "他认为大模型很重要。", None, None),
        ("interview", "b004", 16, None, "因为**大模型**会成为基础设施。", None, None),
        ("hk", "b001", 7, None, "周明说：大模型很贵！", None, None),
    ]


def test_occurrences_once_translated(translations):
    found = concordance(GLOSSARY, "大模型", [INTERVIEW], translations)
    assert [(o.block, o.segment, o.en, o.honoured) for o in found] == [
        ("b002", "b002.s2", "He thinks big models matter.", False),
        ("b004", None, None, None),
    ]


def test_honoured_is_checked_when_the_build_did_not_know_the_term(translations):
    # 澜舟科技's segment lists no terms (say it was added after the build): the English is checked.
    (found,) = concordance(GLOSSARY, "澜舟科技", [INTERVIEW], translations)
    assert (found.segment, found.surface, found.honoured) == ("b002.s1", "澜舟科技", True)


def test_a_term_is_found_by_variant_traditional_form_or_target():
    for query in ("澜舟科技", "瀾舟", "langboat"):
        assert [o.block for o in concordance(GLOSSARY, query, [INTERVIEW], None)] == ["b002"]


def test_an_unknown_term_says_how_to_add_it():
    with pytest.raises(GlossaryError) as raised:
        concordance(GLOSSARY, "智谱", [INTERVIEW], None)
    assert str(raised.value).endswith("'智谱' is not in the glossary; add it with `bitext glossary add 智谱 EN`")


def test_a_damaged_translation_file_says_to_rebuild(translations):
    (translations / "interview.json").write_text("{", encoding="utf-8")
    with pytest.raises(BitextError, match=r"interview.json: cannot read the translation file .*; build again"):
        concordance(GLOSSARY, "大模型", [INTERVIEW], translations)
    (translations / "interview.json").write_text('{"blocks": [{"segments": []}]}', encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"interview.json: this translation file has an unexpected shape"):
        concordance(GLOSSARY, "大模型", [INTERVIEW], translations)


# The CLI ------------------------------------------------------------------------------------

@pytest.fixture
def corpus(monkeypatch):
    monkeypatch.setattr(glossary_cli, "_articles", lambda settings, required: (INTERVIEW, TRADITIONAL))


def test_cli_show(project, translations, corpus):
    result = CliRunner().invoke(cli, ["--root", str(project), "glossary", "show", "大模型"])
    assert result.exit_code == 0, result.output
    path = project / "glossary" / "terms.csv"
    assert result.output == f"""大模型 → large model  (concept)  [{path}:3]
note: The standard rendering; not "big model"

interview b002.s2 (line 12)
  zh: 他认为大模型很重要。
  en: He thinks big models matter.
  honoured: no

interview b004 (line 16)
  zh: 因为**大模型**会成为基础设施。
  en: (not translated yet)

hk b001 (line 7)
  zh: 周明说：大模型很贵！
  en: (not translated yet)

3 occurrences in 2 articles: 0 honoured, 1 not honoured, 2 not translated yet
"""


def test_cli_show_by_traditional_form_for_one_article(project, corpus):
    result = CliRunner().invoke(cli, ["--root", str(project), "glossary", "show", "後臺", "--article", "hk"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[3:] == [
        "hk b001 (line 7)",
        "  zh: 我们做后台。",
        "  en: (not translated yet)",
        "",
        "1 occurrence in 1 article: 0 honoured, 0 not honoured, 1 not translated yet",
    ]


def test_cli_show_an_unknown_article(project, corpus):
    result = CliRunner().invoke(cli, ["--root", str(project), "glossary", "show", "大模型", "--article", "nope"])
    assert result.exit_code == 1
    assert result.output == f"Error: {project}/corpus: no article 'nope' in the corpus\n"


def test_cli_show_a_term_that_does_not_occur(project, corpus):
    result = CliRunner().invoke(cli, ["--root", str(project), "glossary", "show", "乾隆"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "乾隆 does not occur in the corpus"


def test_cli_show_says_where_a_term_sits_in_a_table_or_a_note(project, monkeypatch):
    monkeypatch.setattr(glossary_cli, "_articles", lambda settings, required: (memo_article(),))
    (project / "glossary" / "terms.csv").write_text("zh,en,variants,keep,case,kind,note\n主控芯片,main control chip,,,,,\n",
                                                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(project), "glossary", "show", "主控芯片"])
    assert result.exit_code == 0, result.output
    assert "memo b006 (line 18, table t1, row 2, column 1 (header: 部件))" in result.output
    assert "memo b041 (line 68, footnote 2)" in result.output
