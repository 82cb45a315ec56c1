"""The glossary ladder, rung by rung, against fake engines that damage terms."""

from fakes import (
    Decoding,
    AligningEngine,
    DictionaryEngine,
    DroppingEngine,
    DuplicatingEngine,
    InflectingEngine,
    MangleFirstEngine,
)

from translate.engines import Capability
from translate.translation.constraints import (
    RUNG_ATTENTION,
    RUNG_NBEST,
    RUNG_NONE,
    RUNG_SUBSTITUTE,
    RUNG_VIOLATION,
    GlossaryLayer,
    substitute,
)

SENTENCE = "周明创立了澜舟科技。"


def test_rung1_puts_targets_into_the_source(glossary):
    text, spans = substitute(SENTENCE, glossary.find(SENTENCE))
    assert text == "Zhou Ming创立了Langboat。"
    assert [(text[s:e], t.zh) for s, e, t in spans] == [("Zhou Ming", "周明"), ("Langboat", "澜舟科技")]


def test_rung1_is_enough_when_the_model_copies_latin(glossary):
    engine = DictionaryEngine()
    [result] = GlossaryLayer(engine, glossary).translate([SENTENCE])
    assert result.en == "Zhou Ming founded Langboat."
    assert result.rung == RUNG_SUBSTITUTE
    assert engine.sentences == ["Zhou Ming创立了Langboat。"]


def test_sentences_without_terms_are_rung_zero(glossary):
    [result] = GlossaryLayer(DictionaryEngine(), glossary).translate(["我们喜欢创业。"])
    assert (result.en, result.rung) == ("we like start-up.", RUNG_NONE)


def test_rung2_keeps_the_best_hypothesis_that_carries_every_term(glossary):
    engine = MangleFirstEngine()
    [result] = GlossaryLayer(engine, glossary, num_hypotheses=4).translate([SENTENCE])
    assert (result.en, result.rung) == ("Zhou Ming founded Langboat.", RUNG_NBEST)
    assert result.raw == "Zhou Ming founded Lang boat."


def test_rung2_runs_only_on_sentences_still_missing_a_term(glossary):
    engine = MangleFirstEngine()
    GlossaryLayer(engine, glossary).translate([SENTENCE, "大模型很重要。", "我们喜欢创业。"])
    assert engine.calls == 2  # one batch for rung 1, one for rung 2 (one sentence)


def test_inflected_and_hyphenated_targets_are_honoured(glossary):
    [result] = GlossaryLayer(InflectingEngine(), glossary).translate(["大模型很重要。"])
    assert (result.en, result.rung) == ("Large-Models is important.", RUNG_SUBSTITUTE)


def test_duplicated_targets_are_collapsed(glossary):
    [result] = GlossaryLayer(DuplicatingEngine(), glossary).translate([SENTENCE])
    assert result.en == "Zhou Ming founded Langboat."


def test_rung3_replaces_the_span_aligned_with_the_term(glossary):
    engine = AligningEngine()
    [result] = GlossaryLayer(engine, glossary).translate(["我们创立了澜舟科技。"])
    assert (result.en, result.rung) == ("we founded Langboat.", RUNG_ATTENTION)


def test_rung4_gives_up_without_hiding_it(glossary):
    engine = DroppingEngine()
    [result] = GlossaryLayer(engine, glossary).translate(["我们创立了澜舟科技。"])
    assert result.rung == RUNG_VIOLATION
    assert "Langboat" not in result.en
    assert engine.calls == 2  # rung 1 and rung 2; this engine cannot align


def test_exact_case_terms_must_survive_exactly(glossary):
    class Lowercasing(DictionaryEngine):
        def damage(self, english, rank):
            return english.lower() if rank == 0 else english

    [result] = GlossaryLayer(Lowercasing(), glossary).translate(["Densing Law 很重要。"])
    assert (result.en, result.rung) == ("Densing Law is important.", RUNG_NBEST)


def test_rung1_spaces_only_next_to_latin(glossary):
    text, _ = substitute("To C大模型创业", glossary.find("To C大模型创业"))
    assert text == "To C large model创业"


# --- engines with ``decode`` (the Argos engine): one n-best decode with attention settles every rung ----------


def test_one_decode_settles_rung2_and_plain_sentences_keep_the_plain_beam(glossary):
    class Engine(Decoding, MangleFirstEngine):
        pass

    engine = Engine()
    results = GlossaryLayer(engine, glossary).translate([SENTENCE, "大模型很重要。", "我们喜欢创业。"])
    assert [(r.en, r.rung) for r in results] == [
        ("Zhou Ming founded Langboat.", RUNG_NBEST),
        ("large model is important.", RUNG_SUBSTITUTE),
        ("we like start-up.", RUNG_NONE),
    ]
    assert results[0].raw == "Zhou Ming founded Lang boat."
    assert engine.calls == 2  # the plain beam for the sentence without terms, one decode for the others
    assert engine.sentences == ["我们喜欢创业。"]
    assert engine.decoded == ["Zhou Ming创立了Langboat。", "large model很重要。"]


def test_one_decode_settles_rung3_from_the_attention_it_returned(glossary):
    class Engine(Decoding, AligningEngine):
        pass

    engine = Engine()
    [result] = GlossaryLayer(engine, glossary).translate(["我们创立了澜舟科技。"])
    assert (result.en, result.rung) == ("we founded Langboat.", RUNG_ATTENTION)
    assert engine.calls == 1


def test_one_decode_still_reports_what_no_rung_could_fix(glossary):
    class Engine(Decoding, DroppingEngine):
        pass

    engine = Engine()
    [result] = GlossaryLayer(engine, glossary).translate(["我们创立了澜舟科技。"])
    assert result.rung == RUNG_VIOLATION and "Langboat" not in result.en
    assert engine.calls == 1


def test_one_decode_repairs_the_first_hypothesis_whose_attention_can_be_repaired(glossary):
    # The best hypothesis attends to nothing of the term (no piece to replace); the second
    # aligns "boat" with it (Langboat, substituted at 5..13), and is repaired, in the same decode.
    from translate.translation.engine import Alignment

    class Engine(DroppingEngine):
        capabilities = frozenset({Capability.DECODE})

        def decode(self, sentences, n, attention=True, first_step=True):
            self.calls += 1
            scattered = Alignment("we founded the boat.", (" we", " founded", " the", " boat", "."),
                                  ((0, 2), (2, 5), (2, 5), (0, 2), (13, 14)))
            aligned = Alignment("we founded boat.", (" we", " founded", " boat", "."),
                                ((0, 2), (2, 5), (5, 13), (13, 14)))
            return [[scattered, aligned][:n] for _ in sentences]

    engine = Engine()
    source = "我们创立了澜舟科技。"
    [result] = GlossaryLayer(engine, glossary, num_hypotheses=2).translate([source])
    assert (result.en, result.rung) == ("we founded Langboat.", RUNG_ATTENTION)
    assert result.raw == "we founded the boat."
    assert engine.calls == 1
