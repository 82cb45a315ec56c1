"""The Argos engine through the real path: the tiny fixture model, installed, opened, batched, aligned."""

from pathlib import Path

import pytest

from translate.glossary import Glossary
from translate.models import Article, ArticleMeta, Block, Term
from translate.settings import Settings
from translate.translation import open_engine, translate_articles
from translate.translation.constraints import RUNG_NBEST, RUNG_NONE, RUNG_SUBSTITUTE, GlossaryLayer
from translate.translation.packages import install_package

FIXTURE = Path(__file__).parents[1] / "fixtures" / "models" / "translate-zh_en-tiny.argosmodel"
PHRASES = FIXTURE.with_name("phrases.tsv")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not FIXTURE.exists(), reason="the fixture model has not been built yet"),
]

TERMS = (
    Term(zh="大模型", en="large model", kind="concept"),
    Term(zh="澜舟科技", en="Langboat", kind="company"),
    Term(zh="周明", en="Zhou Ming", kind="person"),
    Term(zh="密度法则", en="Densing Law", keep=True, case="exact", kind="concept"),
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    settings = Settings(root=root, models_dir=root / "models")
    install_package(FIXTURE, settings)
    return settings


@pytest.fixture(scope="module")
def engine(settings):
    return open_engine(settings)


def test_auto_picks_the_installed_model(engine):
    assert (engine.name, engine.model_id, engine.warnings) == ("argos", "translate-zh_en-1.0", [])


def test_it_translates_what_it_was_trained_on(engine):
    pairs = [line.split("\t") for line in PHRASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    english = engine.translate([zh for zh, _ in pairs])
    exact = sum(out == en for out, (_, en) in zip(english, pairs))
    assert exact / len(pairs) >= 0.9
    assert engine.calls == 1


def test_n_best_lists_several_hypotheses(engine):
    [hypotheses] = engine.hypotheses(["大模型很便宜。"], 4)
    assert hypotheses[0] == "Big models are cheap."
    assert "Large models are cheap." in hypotheses


def test_alignment_pieces_rebuild_the_translation(engine):
    sentence = "周明创立了澜舟科技。"
    [alignment] = engine.align([sentence])
    assert alignment.text == engine.translate([sentence])[0] == "Zhou Ming founded Langboat."
    assert "".join(alignment.pieces).strip() == alignment.text
    assert len(alignment.sources) == len(alignment.pieces)
    assert all(span is None or 0 <= span[0] <= span[1] <= len(sentence) for span in alignment.sources)


def test_rung1_and_rung2_repair_glossary_misses(engine):
    layer = GlossaryLayer(engine, Glossary.from_terms(TERMS))
    useful, cheap = layer.translate(["大模型很有用。", "大模型很便宜。"])
    assert (useful.en, useful.rung) == ("The large model is useful.", RUNG_SUBSTITUTE)
    assert cheap.rung in (RUNG_SUBSTITUTE, RUNG_NBEST) and "arge model" in cheap.en


def test_a_build_through_the_real_path_is_cached_the_second_time(settings, tmp_path):
    texts = ["周明创立了澜舟科技。大模型很有用。", "面壁智能提出了密度法则。", "谢谢。"]
    blocks = tuple(Block(id=f"b{i:03d}", kind="paragraph", text=t, original=t) for i, t in enumerate(texts, 1))
    article = Article("tiny", ArticleMeta("谢谢", "谢谢", "x", "simplified"), blocks)
    glossary = Glossary.from_terms(TERMS)
    memory = tmp_path / "memory.sqlite"
    [first] = translate_articles([article], open_engine(settings), glossary, memory_path=memory)
    segments = [s for b in first.blocks for s in b.segments]
    assert [s.en for s in segments[:2]] == ["Zhou Ming founded Langboat.", "The large model is useful."]
    assert segments[0].engine == "argos:translate-zh_en-1.0"
    # every term is either honoured or reported
    for segment in segments:
        missing = {t.zh for t in segment.terms if not t.honoured}
        assert missing == {v.term for v in segment.violations}
    again = open_engine(settings)
    [second] = translate_articles([article], again, glossary, memory_path=memory)
    assert again.calls == 0
    assert [b.en for b in second.blocks] == [b.en for b in first.blocks]


def test_one_decode_gives_the_n_best_list_with_alignments(engine):
    [hypotheses] = engine.decode(["大模型很便宜。"], 4)
    assert [h.text for h in hypotheses] == engine.hypotheses(["大模型很便宜。"], 4)[0]
    for hypothesis in hypotheses:
        assert "".join(hypothesis.pieces).strip() == hypothesis.text
        assert len(hypothesis.sources) == len(hypothesis.pieces)


def test_the_ladder_costs_one_decode_on_the_real_engine(engine):
    layer = GlossaryLayer(engine, Glossary.from_terms(TERMS))
    calls = engine.calls
    useful, cheap, thanks = layer.translate(["大模型很有用。", "大模型很便宜。", "谢谢。"])
    assert (useful.en, useful.rung) == ("The large model is useful.", RUNG_SUBSTITUTE)
    assert cheap.rung in (RUNG_SUBSTITUTE, RUNG_NBEST) and "arge model" in cheap.en
    assert thanks.rung == RUNG_NONE
    assert engine.calls - calls == 2
