"""The first decoding step's attention is fetched only for the sentences whose outcome depends on it.

CTranslate2's beam search returns another sentence's attention for the first step of a batch,
so the engine needs a second (one-step) pass to know it; the glossary layer asks for that pass
only where rung 3's outcome changes with it, and the outcome is the one the eager pass gives.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fakes import DroppingEngine

from translate.engines import Capability
from translate.glossary import Glossary
from translate.settings import Settings
from translate.translation import open_engine
from translate.translation.constraints import RUNG_ATTENTION, GlossaryLayer
from translate.translation.engine import Alignment
from translate.translation.packages import install_model

MODELS = Path(__file__).parents[1] / "fixtures" / "models"

# 我们创立了澜舟科技。 with Langboat substituted at 5..13: the sentence the fakes' glossary knows.
SOURCE = "我们创立了澜舟科技。"
TERM_SPAN, OTHER_SPAN = (5, 13), (0, 2)


class OpenFirstEngine(DroppingEngine):
    """A decoding engine that leaves each hypothesis's first source open; ``truth`` is what the pass finds."""

    capabilities = frozenset({Capability.DECODE})

    def __init__(self, pieces, sources, truth):
        super().__init__()
        self.pieces, self.sources, self.truth = pieces, sources, truth
        self.passes: list[list[str]] = []

    def decode(self, sentences, n, attention=True, first_step=True):
        self.calls += 1
        options = () if first_step else (None, OTHER_SPAN, TERM_SPAN, (13, 14))
        first = self.truth if first_step else None
        text = "".join(self.pieces).strip()
        return [[Alignment(text, self.pieces, (first, *self.sources[1:]), options)] for _ in sentences]

    def first_sources(self, sentences):
        self.passes.append(list(sentences))
        return {k: self.truth for k in range(len(sentences))}


def _eager(engine):
    """The same engine, asked for the first step up front (what the ladder did before)."""
    decode = engine.decode
    engine.decode = lambda sentences, n, attention=True, first_step=True: decode(sentences, n, attention, True)
    return engine


def test_no_second_pass_when_the_term_is_found_without_the_first_piece(glossary):
    # " Lang" + "bot" attend to the term: a longer run than the first piece could make, whatever it attends to.
    pieces, sources = (" we", " founded", " Lang", "bot", "."), (None, (2, 5), TERM_SPAN, TERM_SPAN, (13, 14))
    engine = OpenFirstEngine(pieces, sources, truth=OTHER_SPAN)
    [result] = GlossaryLayer(engine, glossary, num_hypotheses=1).translate([SOURCE])
    assert (result.en, result.rung) == ("we founded Langboat.", RUNG_ATTENTION)
    assert engine.passes == []
    eager = _eager(OpenFirstEngine(pieces, sources, truth=OTHER_SPAN))
    assert GlossaryLayer(eager, glossary, num_hypotheses=1).translate([SOURCE]) == [result]


@pytest.mark.parametrize("truth", [TERM_SPAN, OTHER_SPAN, None])
def test_the_pass_runs_for_the_sentence_whose_repair_hangs_on_the_first_piece(glossary, truth):
    # " boat" is the first piece: whether it is replaced depends on what it attends to.
    pieces, sources = (" boat", " we", " founded", "."), (None, (0, 2), (2, 5), (13, 14))
    engine = OpenFirstEngine(pieces, sources, truth=truth)
    lazy = GlossaryLayer(engine, glossary, num_hypotheses=1).translate([SOURCE, "你好。", SOURCE])
    assert engine.passes == [["我们创立了Langboat。"] * 2]  # the substituted source; the one without terms never goes
    eager = GlossaryLayer(_eager(OpenFirstEngine(pieces, sources, truth=truth)), glossary,
                          num_hypotheses=1).translate([SOURCE, "你好。", SOURCE])
    assert lazy == eager
    assert (lazy[0].rung == RUNG_ATTENTION) is (truth == TERM_SPAN)


@pytest.fixture(scope="module")
def opus(tmp_path_factory):
    root = tmp_path_factory.mktemp("opus")
    settings = Settings(root=root, models_dir=root / "models")
    install_model(MODELS / "opus-mt-zh-en-tiny", settings)
    return open_engine(settings)


SENTENCES = ["大模型很有用。", "大模型很便宜。", "我们需要更多数据。", "谢谢王小川。", "周明创立了澜舟科技。",
             "我们需要更多数据，大模型很有用。", "王小川需要更多数据。"]


@pytest.mark.slow
def test_the_model_settles_every_sentence_as_the_eager_pass_does(opus):
    glossary = Glossary.load(MODELS / "ct2-glossary.csv")
    lazy = GlossaryLayer(opus, glossary, num_hypotheses=2).translate(SENTENCES)
    decode = opus.decode
    try:
        opus.decode = lambda sentences, n, attention=True, first_step=True: decode(sentences, n, attention, True)
        eager = GlossaryLayer(opus, glossary, num_hypotheses=2).translate(SENTENCES)
    finally:
        opus.decode = decode
    assert lazy == eager


@pytest.mark.slow
def test_the_engine_leaves_the_first_source_open_and_the_pass_gives_the_eager_one(opus):
    eager = opus.decode(SENTENCES, 2, attention=True)
    lazy = opus.decode(SENTENCES, 2, attention=True, first_step=False)
    assert all(not h.first_options for hypotheses in eager for h in hypotheses)
    assert all(h.first_options and None in h.first_options for hypotheses in lazy for h in hypotheses if h.pieces)
    firsts = opus.first_sources(SENTENCES)
    for k, (ours, theirs) in enumerate(zip(lazy, eager)):
        for mine, right in zip(ours, theirs):
            assert mine.sources[1:] == right.sources[1:] and mine.pieces == right.pieces
            if mine.pieces:
                assert firsts[k] in mine.first_options
                assert replace(mine, sources=(firsts[k], *mine.sources[1:]), first_options=()) == right
    # One sentence: no batch, no wrong first step, nothing left open.
    assert not any(h.first_options for h in opus.decode(SENTENCES[:1], 2, attention=True, first_step=False)[0])
