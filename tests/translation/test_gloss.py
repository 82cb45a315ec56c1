"""The dictionary-gloss engine and engine selection."""

import pytest
from fakes import TERMS, StandInGlossary

from translate.errors import EngineError
from translate.models import Article, ArticleMeta, Block
from translate.settings import Settings
from translate.translation import gloss_warning, open_engine, translate_articles
from translate.translation.gloss import GlossEngine, clean_sense


@pytest.mark.parametrize("sense, cleaned", [
    ("to believe; to think; to consider", "believe"),
    ("friend", "friend"),
    ("(pronoun) this; these", "this"),
    ("some kind (of)", "some kind"),
    ("to make sb change their ways", "make someone change their ways"),
])
def test_senses_are_cleaned(sense, cleaned):
    assert clean_sense(sense) == cleaned


def test_no_model_means_gloss_and_a_warning_only_for_segments_that_show_it(tmp_path):
    engine = open_engine(Settings(root=tmp_path, models_dir=tmp_path / "models"))
    assert (engine.name, engine.warnings) == ("gloss", [])
    assert gloss_warning(engine, 0) is None  # every segment edited: the gloss is nowhere to be seen
    assert gloss_warning(engine, 1) == (
        "no zh→en model is installed: the English of 1 segment is a dictionary gloss, not a translation. To "
        "translate, install a CTranslate2 model folder (a converted OPUS-MT, M2M-100 or NLLB model) with "
        "`bitext model install FOLDER`, or an Argos package with `bitext model install FILE.argosmodel`, or use an "
        'LLM server with translation.engine = "llm" in edition.toml (see docs/engines.md).')
    assert gloss_warning(engine, 1218).startswith("no zh→en model is installed: the English of 1,218 segments is")


def test_a_gloss_asked_for_is_no_fallback_to_warn_about(tmp_path):
    engine = open_engine(Settings(root=tmp_path, models_dir=tmp_path / "models"), "gloss")
    assert gloss_warning(engine, 55) is None


def test_argos_without_a_model_says_how_to_install_one(tmp_path):
    with pytest.raises(EngineError, match=r"no zh→en Argos model is installed\. Install a model with `bitext model"):
        open_engine(Settings(root=tmp_path, models_dir=tmp_path / "models"), "argos")


def test_asking_for_gloss_gives_gloss_without_a_warning(tmp_path):
    engine = open_engine(Settings(root=tmp_path, models_dir=tmp_path / "models"), "gloss")
    assert (engine.name, engine.warnings) == ("gloss", [])
    assert engine.model_id.startswith("CC-CEDICT 20")


@pytest.mark.slow
def test_gloss_reads_word_by_word_and_passes_latin_through():
    engine = GlossEngine()
    assert engine.gloss("他认为 OpenAI 在 2020 年发布了 GPT-3。") == "he believe OpenAI at 2020 release GPT-3."
    assert engine.gloss("你为什么创业？") == "you why initiate?"
    assert engine.gloss("他说：“很难！”（笑）") == 'he say: "very difficult!" (laugh)'


@pytest.mark.slow
def test_gloss_honours_every_term_and_keeps_markdown(tmp_path):
    text = "周明创立了**澜舟科技**。他认为[大模型](https://x.org/a)会成为基础设施，Densing Law 也很重要。"
    block = Block(id="b001", kind="paragraph", text=text, original=text)
    meta = ArticleMeta(title="周明谈大模型", title_original="周明谈大模型", source_file="x", script="simplified")
    glossary = StandInGlossary(TERMS)
    memory = tmp_path / "memory.sqlite"
    [article] = translate_articles([Article("a", meta, (block,))], GlossEngine(), glossary, memory_path=memory)
    segments = article.blocks[0].segments
    assert not article.violations
    assert [s.en for s in segments] == [
        "Zhou Ming establish **Langboat**.",
        "He believe [large model](https://x.org/a) will become infrastructure, Densing Law also very important.",
    ]
    assert article.title_en == "Zhou Ming speak large model"
    # a warm build does not even segment words
    engine = GlossEngine()
    translate_articles([Article("a", meta, (block,))], engine, glossary, memory_path=memory)
    assert engine.calls == 0


@pytest.mark.slow
@pytest.mark.parametrize("chinese, gloss", [
    # numbers: Chinese numerals and 万/亿 become English numbers; a classifier after a number says nothing
    ("公司融资3亿元。", "company financing 300 million yuan."),
    ("有700亿参数的模型。", "have 70 billion parameters model."),
    ("最少用 128 块 A100。", "minimum use 128 A100."),
    ("要 2.5 万张 GPU。", "want 25,000 GPU."),
    ("三十多家公司", "more than 30 companies"),
    ("这之前 6 个月", "this before 6 months"),
    ("截至 2022 年 11 月，下降 61%。", "by November 2022, decline 61%."),
    ("二〇二三年是大模型元年。", "2023 is big model first year of an era."),
    ("百分之三十的人", "30% person"),
    ("千万不要这样。", "countless don't this way."),  # the adverb is not a number (the sense is the dictionary's)
    ("至少得投入上千万元人民币。", "least throw into on 10 million yuan RMB."),
    # senses: no classifier, literal reading, or place description pasted
    ("他住在杭州。", "he live at Hangzhou."),
    ("开门见山地说。", "get right to the point say."),
    ("一颗心", "one heart"),
    ("需要10,000 GPUs in a single cluster。", "need 10,000 GPUs in a single cluster."),  # a term's English intact
    # never twice in a row
    ("通用人工智能 (AGI)（AGI）很难。", "interchangeable artificial intelligence (AGI) very difficult."),
    ("说得清清楚楚", "say clear distinct"),
])
def test_the_gloss_reads(chinese, gloss):
    assert GlossEngine().gloss(chinese) == gloss


def test_gloss_rules_are_part_of_the_memory_key():
    assert GlossEngine().options == "gloss-v2"
