"""Speaker labels in English: the glossary's rendering, else the usual interview labels' English, else pinyin."""

import pytest
from fakes import TERMS, DictionaryEngine, StandInGlossary

from translate.glossary.labels import speaker_english
from translate.models import Article, ArticleMeta, Block, Term
from translate.translation import translate_articles

GLOSSARY = StandInGlossary(TERMS)

#: (label as the article gives it, English): the usual labels in both scripts, then names.
CASES = [
    ("记者", "Reporter"), ("記者", "Reporter"),
    ("记者问", "Reporter"), ("記者問", "Reporter"),
    ("主持人", "Host"), ("问", "Q"), ("問", "Q"), ("答", "A"),
    ("编者按", "Editor's note"), ("編者按", "Editor's note"),
    ("嘉宾", "Guest"), ("嘉賓", "Guest"), ("采访者", "Interviewer"), ("採訪者", "Interviewer"),
    ("受访者", "Interviewee"), ("受訪者", "Interviewee"), ("提问", "Q"), ("提問", "Q"), ("回答", "A"),
    ("主持人问", "Host"), ("《记者》", "Reporter"),
    ("Q", "Q"), ("A", "A"),
    # Names stay names: romanised, surname first (a name ending in 问 is not a label).
    ("王小川", "Wang Xiaochuan"), ("周问", "Zhou Wen"), ("晚点", "Wan Dian"),
]


@pytest.mark.parametrize(("label", "english"), CASES, ids=[c[0] for c in CASES])
def test_a_speaker_label_in_english(label, english):
    assert speaker_english(label, GLOSSARY) == english


def test_the_glossary_wins_over_the_usual_labels():
    glossary = StandInGlossary([*TERMS, Term(zh="记者", en="Correspondent", kind="person", line=6)])
    glossary.lookup = lambda zh: next((t for t in glossary.terms if zh in (t.zh, *t.variants)), None)
    assert speaker_english("记者", glossary) == "Correspondent"


def test_the_table_is_keyed_by_simplified_labels_with_english_values():
    from translate.script import to_simplified
    from translate.glossary.labels import COMMON_LABELS

    assert all(to_simplified(zh) == zh and english.strip() == english and english for zh, english in
               COMMON_LABELS.items())


def test_an_interview_labelled_reporter_and_answer_translates_its_labels(glossary):
    meta = ArticleMeta(title="访谈", title_original="访谈", source_file="x.txt", script="simplified")
    blocks = (Block(id="b001", kind="paragraph", text="你为什么创业？", original="你为什么创业？", speaker="记者",
                    role="question"),
              Block(id="b002", kind="paragraph", text="因为大模型。", original="因为大模型。", speaker="答",
                    role="answer"))
    [bilingual] = translate_articles([Article(slug="a", meta=meta, blocks=blocks)], DictionaryEngine(), glossary,
                                     memory_path=None)
    assert [(b.speaker.id, b.speaker.zh, b.speaker.en) for b in bilingual.blocks] == [
        ("b001.speaker", "记者", "Reporter"), ("b002.speaker", "答", "A")]
