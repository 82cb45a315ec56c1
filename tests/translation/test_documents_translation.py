"""Protected inline spans through every kind of engine, and cells batched with the rest.

Inline code and footnote references are carried verbatim: a footnote reference never reaches an
engine and is put back after what it followed; code is never changed, wherever the engine put its
text. The memo fixture (tests/fixtures/documents/memo.md) holds both, in a paragraph, a table cell
and a footnote.
"""

from __future__ import annotations

import re

import pytest
from documents import memo_article, memo_translated
from fakes import TERMS, Decoding, DictionaryEngine, StandInGlossary

from translate.markup import footnote_labels, markup_problems
from translate.models import Article, ArticleMeta, Block
from translate.translation.constraints import GlossaryLayer
from translate.translation.inlinelayer import InlineLayer, carry_protected, plain_text, runs, without_notes
from translate.translation.translator import translate_articles

CODE = re.compile(r"`[^`]+`")


def carried(zh: str, en: str) -> bool:
    """True when the English has the Chinese's footnote references and inline code, letter for letter."""
    return footnote_labels(en) == footnote_labels(zh) and sorted(CODE.findall(en)) == sorted(CODE.findall(zh))


def segments(bilingual):
    return [s for block in bilingual.blocks for s in block.segments]


def sentence_layer(engine=None):
    return InlineLayer(GlossaryLayer(engine or DictionaryEngine(), StandInGlossary(TERMS)))


# --- the gloss (word by word: run order kept) --------------------------------------------------------------------

def test_the_gloss_carries_every_reference_and_code_span_of_the_memo():
    memo = segments(memo_translated())
    with_spans = [s for s in memo if "[^" in s.zh or "`" in s.zh]
    assert {s.id for s in with_spans} >= {"b002.s1", "b002.s2", "b006.s1"}
    for segment in memo:
        assert carried(segment.zh, segment.en), (segment.id, segment.zh, segment.en)
        assert markup_problems(segment.zh, segment.en) == [], (segment.id, segment.en)
        assert not segment.screened, (segment.id, segment.screened)


def test_the_gloss_puts_a_reference_where_it_was():
    by_id = {s.id: s.en for s in segments(memo_translated())}
    assert "**23%**[^1]," in by_id["b002.s1"]  # after the bold it followed, before the comma
    assert by_id["b006.s1"].endswith("[^2]")  # the cell 主控芯片[^2]
    assert "\\[" not in by_id["b002.s1"] and "^ 1" not in by_id["b002.s1"]


# --- a sentence engine (the whole plain sentence at once) --------------------------------------------------------

def test_a_sentence_engine_never_sees_a_reference_and_the_memo_keeps_them():
    engine = DictionaryEngine()
    [memo] = translate_articles([memo_article()], engine, StandInGlossary(TERMS), memory_path=None)
    assert engine.sentences and not [s for s in engine.sentences if "[^" in s]
    for segment in segments(memo):
        assert carried(segment.zh, segment.en), (segment.id, segment.zh, segment.en)
    by_id = {s.id: s.en for s in segments(memo)}
    assert by_id["b006.s1"].endswith("[^2]")


@pytest.mark.parametrize("zh, english", [
    # after the glossary term's target it followed
    ("周明创立了澜舟科技[^1]，他认为大模型很重要。",
     "Zhou Ming founded Langboat[^1], he thinks large model is important."),
    # after the mark it followed
    ("他认为**大模型**[^2]很重要。", "he thinks **large model**[^2] is important."),
    # after the English of the clause it followed
    ("我们喜欢报告[^3]，周明很重要。", "we like the report[^3], Zhou Ming is important."),
    # at the end of the sentence, before its final punctuation
    ("我们喜欢报告[^3]。", "we like the report[^3]."),
    ("[^4]我们喜欢报告。", "we like the report[^4]."),
    # two references after one term keep their order
    ("澜舟科技[^a][^b]很重要。", "Langboat[^a][^b] is important."),
])
def test_a_sentence_engine_gets_each_reference_put_back_after_what_it_followed(zh, english):
    engine = DictionaryEngine()
    [result] = sentence_layer(engine).translate([zh])
    assert result.en == english
    assert not any("[^" in sentence for sentence in engine.sentences)


class MangledCodeEngine(DictionaryEngine):
    """Does to an identifier what a sentence model does: breaks it apart and capitalises it."""

    def render(self, sentence):
        return re.sub(r"cost\W*model\W*py", "Cost_model. py", super().render(sentence))


class DroppedCodeEngine(DictionaryEngine):
    """Loses the identifier altogether."""

    def render(self, sentence):
        return re.sub(r"\s*cost\W*model\W*py", "", super().render(sentence))


def test_code_replaces_what_the_engine_made_of_it():
    engine = MangledCodeEngine()
    [result] = sentence_layer(engine).translate(["见 `cost_model.py` 报告。"])
    assert "Cost_model. py" in engine.render("见 cost_model.py 报告。")  # what the engine alone writes
    assert result.en == "see `cost_model.py` the report."


def test_code_the_engine_lost_is_kept_before_the_final_punctuation():
    [result] = sentence_layer(DroppedCodeEngine()).translate(["见 `cost_model.py` 报告。"])
    assert result.en == "see the report `cost_model.py`."


def test_code_at_the_start_of_a_gloss_is_not_capitalised():
    from translate.translation.gloss import GlossEngine

    layer = InlineLayer(GlossaryLayer(GlossEngine(), StandInGlossary(TERMS)))
    [result] = layer.translate(["`cost_model.py` 很重要。"])
    assert result.en.startswith("`cost_model.py`")


# --- the rule itself ---------------------------------------------------------------------------------------------

def test_carry_protected_leaves_english_that_already_carries_them():
    assert carry_protected("澜舟科技[^1]很重要。", "Langboat[^1] matters.") == "Langboat[^1] matters."


def test_carry_protected_replaces_references_an_engine_invented_or_moved():
    assert carry_protected("澜舟科技[^1]很重要。", "Langboat matters[^7].", StandInGlossary(TERMS)) == \
        "Langboat[^1] matters."


def test_code_an_engine_invented_loses_its_backticks_and_keeps_its_text():
    assert carry_protected("澜舟科技很重要。", "`Langboat` matters.") == "Langboat matters."
    assert carry_protected("见 `a.py` 和 `b.py`。", "See `b.py`, `a.py` and `c`.") == "See `b.py`, `a.py` and c."


def test_a_reference_inside_a_mark_is_carried_after_it():
    assert [r.markdown for r in runs("**芯片[^2]**很贵")] == ["**芯片**", "[^2]", "很贵"]
    assert without_notes("下降了 **23%**[^1]，其中") == "下降了 **23%**，其中"


def test_a_link_is_not_taken_for_a_reference():
    assert [r.note for r in runs("见[报告](https://example.com/r)和[^1]")] == [False, False, False, True]


# --- CTranslate2 and other sentence engines get cells in the same batches ----------------------------------------

class BatchCountingEngine(Decoding, DictionaryEngine):
    """Counts the engine's batch calls (decode, as CTranslate2 is called)."""


def test_cells_go_to_a_sentence_engine_in_the_batches_of_the_rest():
    engine = BatchCountingEngine()
    article = memo_article()
    cells = [b for b in article.blocks if b.kind == "cell" and b.text]
    [memo] = translate_articles([article], engine, StandInGlossary(TERMS), memory_path=None)
    assert len(cells) >= 12
    assert engine.calls <= 2, engine.calls  # one decode for everything (and one more at most), never one per cell
    decoded = set(getattr(engine, "decoded", []))
    assert {plain_text(cell.text) for cell in cells} <= decoded | set(engine.sentences)


@pytest.mark.slow
def test_a_real_ct2_model_translates_cells_with_the_rest(tmp_path):
    """The tiny OPUS-MT fixture model (it knows only its phrases: tests/fixtures/models/ct2-phrases.tsv)."""
    pytest.importorskip("ctranslate2")
    from pathlib import Path

    from translate.settings import Settings
    from translate.translation import open_engine
    from translate.translation.packages import install_model

    models = Path(__file__).parents[1] / "fixtures" / "models"
    settings = Settings(root=tmp_path, models_dir=tmp_path / "models")
    install_model(models / "opus-mt-zh-en-tiny", settings)
    engine = open_engine(settings, "ct2")
    cells = [Block(id=f"b{n:03d}", kind="cell", text=text, original=text) for n, text in
             enumerate(["大模型很有用。", "谢谢。", "大模型很便宜[^1]。", "[^2]"], 1)]
    article = Article("t", ArticleMeta("谢谢", "谢谢", "x", "simplified"), tuple(cells))
    [translated] = translate_articles([article], engine, StandInGlossary(TERMS), memory_path=None)
    assert engine.calls <= 2
    english = {s.id: s.en for s in segments(translated)}
    assert english["b003.s1"].endswith("[^1].")
    assert english["b004.s1"] == "[^2]"  # a sentence of nothing but a reference is not sent


def test_the_screen_keeps_the_chineses_footnote_references_when_it_drops_invented_markup():
    from translate.translation.untrusted import screen_english

    screened = screen_english("大模型[^1]很便宜。[^2]", "Large models[^1] are **cheap.[^2][^9]")
    assert screened.changes and footnote_labels(screened.en) == ["1", "2"], screened.en
    assert "**" not in screened.en.replace("\\*", "")


def test_sentences_holding_code_or_a_note_are_remembered_under_their_own_key():
    from translate.translation.inlinelayer import memory_options

    assert memory_options("gloss-v2", "大模型很便宜。") == "gloss-v2"
    assert memory_options("gloss-v2", "大模型很便宜。[^1]") != "gloss-v2"
    assert memory_options("gloss-v2", "运行 `make` 即可。") == memory_options("gloss-v2", "见[^a]。")


def test_a_label_the_cleaner_keeps_is_a_label_the_translation_keeps():
    """The cleaner read labels up to 64 characters, the inline layer up to 40: a 50-character reference became text."""
    from translate.corpus.structure import FOOTNOTE_DEFINITION, FOOTNOTE_REF

    label = "note-" + "x" * 45
    zh = f"大模型很重要[^{label}]。"
    assert FOOTNOTE_REF.search(zh) and FOOTNOTE_DEFINITION.match(f"[^{label}]: 注释")
    assert footnote_labels(zh) == [label]
    assert carry_protected(zh, "Large models matter.", StandInGlossary(TERMS)) == f"Large models matter[^{label}]."
    too_long = "y" * 65
    assert not FOOTNOTE_REF.search(f"文[^{too_long}]") and footnote_labels(f"文[^{too_long}]") == []
