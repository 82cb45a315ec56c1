"""translate_articles: alignment, the translation memory, damaged spans and inline Markdown."""

import sqlite3

import pytest
from fakes import TERMS, DictionaryEngine, DroppingEngine, StandInGlossary

from translate.engines import Capability
from translate.models import Article, ArticleMeta, Block, Term
from translate.translation import translate_articles


def _article(slug="a", blocks=None, title="周明谈大模型"):
    meta = ArticleMeta(title=title, title_original=title, source_file="x.txt", script="simplified")
    blocks = blocks or (
        Block(id="b001", kind="heading", text="大模型创业", original="大模型创业", level=2),
        Block(id="b002", kind="paragraph", text="周明创立了澜舟科技。他认为大模型很重要。",
              original="周明創立了瀾舟科技。他認為大模型很重要。"),
        Block(id="b003", kind="paragraph", text="你为什么创业？", original="你為什麼創業？", speaker="晚点"),
    )
    return Article(slug=slug, meta=meta, blocks=tuple(blocks))


def test_blocks_become_aligned_sentences(glossary):
    [bilingual] = translate_articles([_article()], DictionaryEngine(), glossary, memory_path=None)
    block = bilingual.blocks[1]
    assert [s.id for s in block.segments] == ["b002.s1", "b002.s2"]
    assert [s.zh for s in block.segments] == ["周明创立了澜舟科技。", "他认为大模型很重要。"]
    assert [s.zh_original for s in block.segments] == ["周明創立了瀾舟科技。", "他認為大模型很重要。"]
    assert [s.en for s in block.segments] == ["Zhou Ming founded Langboat.", "he thinks large model is important."]
    assert block.segments[0].engine == "fake:fake-1"
    assert [(t.zh, t.honoured) for t in block.segments[0].terms] == [("周明", True), ("澜舟科技", True)]
    assert bilingual.title_en == "Zhou Ming large model"
    assert (bilingual.engine, bilingual.model) == ("fake", "fake-1")


def test_all_articles_go_through_the_engine_in_one_batch(glossary):
    engine = DictionaryEngine()
    translate_articles([_article("a"), _article("b", title="大模型")], engine, glossary, memory_path=None)
    assert engine.calls == 1
    # identical sentences are translated once
    assert len(engine.sentences) == len(set(engine.sentences)) == 6


def test_missing_terms_become_violations(glossary):
    [bilingual] = translate_articles([_article()], DroppingEngine(), glossary, memory_path=None)
    violations = bilingual.violations
    # The title is proven like every other segment (it used to be silent).
    assert [(v.article, v.block, v.segment, v.term, v.expected) for v in violations] == [
        ("a", "title", "title", "周明", "Zhou Ming"),
        ("a", "title", "title", "大模型", "large model"),
        ("a", "b001", "b001.s1", "大模型", "large model"),
        ("a", "b002", "b002.s1", "周明", "Zhou Ming"),
        ("a", "b002", "b002.s1", "澜舟科技", "Langboat"),
        ("a", "b002", "b002.s2", "大模型", "large model"),
    ]
    assert violations[3].got == "founded ." and violations[3].zh == "周明创立了澜舟科技。"


def test_a_second_build_makes_no_engine_calls(glossary, tmp_path):
    memory = tmp_path / "memory.sqlite"
    first = translate_articles([_article()], DictionaryEngine(), glossary, memory_path=memory)
    engine = DictionaryEngine()
    second = translate_articles([_article()], engine, glossary, memory_path=memory)
    assert engine.calls == 0
    assert second[0].stats.cache_hits == 5 and second[0].stats.cache_misses == 0
    assert all(s.cached for b in second[0].blocks for s in b.segments)
    assert [b.en for b in second[0].blocks] == [b.en for b in first[0].blocks]


def test_editing_one_entry_retranslates_exactly_the_sentences_that_contain_it(glossary, tmp_path):
    memory = tmp_path / "memory.sqlite"
    translate_articles([_article()], DictionaryEngine(), glossary, memory_path=memory)
    edited = StandInGlossary([Term(zh="澜舟科技", en="Langboat Technologies") if t.zh == "澜舟科技" else t
                              for t in TERMS])
    engine = DictionaryEngine()
    [again] = translate_articles([_article()], engine, edited, memory_path=memory)
    assert engine.sentences == ["Zhou Ming创立了Langboat Technologies。"]
    assert again.blocks[1].segments[0].en == "Zhou Ming founded Langboat Technologies."


def test_no_cache_means_no_memory_file(glossary, tmp_path):
    engine = DictionaryEngine()
    translate_articles([_article()], engine, glossary, memory_path=None)
    translate_articles([_article()], engine, glossary, memory_path=None)
    assert engine.calls == 2 and not list(tmp_path.iterdir())


def test_an_interrupted_build_keeps_what_it_translated(glossary, tmp_path, monkeypatch):
    from translate.translation import translator

    monkeypatch.setattr(translator, "CHUNK", 2)
    memory = tmp_path / "memory.sqlite"

    class Crashing(DictionaryEngine):
        def translate(self, sentences):
            if self.calls == 1:
                raise KeyboardInterrupt
            return super().translate(sentences)

    with pytest.raises(KeyboardInterrupt):
        translate_articles([_article()], Crashing(), glossary, memory_path=memory)
    assert sqlite3.connect(memory).execute("SELECT count(*) FROM translations").fetchone()[0] == 2
    engine = DictionaryEngine()
    [bilingual] = translate_articles([_article()], engine, glossary, memory_path=memory)
    assert len(engine.sentences) == 3 and bilingual.stats.cache_hits == 2


def test_damaged_spans_are_not_sent_to_the_engine(glossary):
    block = Block(id="b009", kind="paragraph", text="周明创立了⟦閿欒⟧澜舟科技。", original="周明创立了⟦閿欒⟧澜舟科技。")
    engine = DictionaryEngine()
    [bilingual] = translate_articles([_article(blocks=[block])], engine, glossary, memory_path=None)
    [segment] = bilingual.blocks[0].segments
    assert not any("閿" in s for s in engine.sentences)
    assert segment.en == "Zhou Ming founded [damaged text] Langboat."
    assert segment.note == "A damaged span of the source was not translated."
    assert not segment.violations


@pytest.mark.parametrize("zh, en", [
    ("**划重点：**", "**key points:**"),
    ("因为**大模型**会成为基础设施。", "because **large model** will become infrastructure."),
    ("见[报告](https://example.com/r)。", "see [the report](https://example.com/r)."),
    ("见[公司报告](https://example.com/r)。", "see [company the report](https://example.com/r)."),
    ("**划重点**：", "**key points**:"),
    ("*第一点*", "*first*"),
])
def test_inline_markdown_survives_a_sentence_engine(glossary, zh, en):
    block = Block(id="b001", kind="paragraph", text=zh, original=zh)
    [bilingual] = translate_articles([_article(blocks=[block])], DictionaryEngine(), glossary, memory_path=None)
    assert bilingual.blocks[0].segments[0].en == en


def test_a_link_that_cannot_be_placed_is_kept_after_the_sentence(glossary):
    class Paraphrasing(DictionaryEngine):
        def render(self, sentence):
            return "a paper" if sentence == "报告" else super().render(sentence)

    block = Block(id="b001", kind="paragraph", text="见[报告](https://example.com/r)。", original="")
    [bilingual] = translate_articles([_article(blocks=[block])], Paraphrasing(), glossary, memory_path=None)
    assert bilingual.blocks[0].segments[0].en == "see the report. ([a paper](https://example.com/r))"


def test_inline_markdown_survives_a_word_by_word_engine(glossary):
    class WordByWord(DictionaryEngine):
        capabilities = frozenset({Capability.WORD_BY_WORD})

    block = Block(id="b001", kind="paragraph", text="因为**大模型**会成为[基础设施](https://x.org)。",
                  original="因为**大模型**会成为[基础设施](https://x.org)。")
    [bilingual] = translate_articles([_article(blocks=[block])], WordByWord(), glossary, memory_path=None)
    assert bilingual.blocks[0].segments[0].en == "Because **large model** will become [infrastructure](https://x.org)."


def test_original_script_falls_back_to_the_whole_block_when_lengths_differ(glossary):
    block = Block(id="b001", kind="paragraph", text="周明创立了澜舟科技。他认为大模型很重要",
                  original="周明创立了瀾舟科技有限公司。他認為大模型很重要。再見")
    [bilingual] = translate_articles([_article(blocks=[block])], DictionaryEngine(), glossary, memory_path=None)
    assert [s.zh_original for s in bilingual.blocks[0].segments] == [block.original, ""]


def test_layers_speak_the_engine_protocol_and_wrap_any_layer(glossary, tmp_path):
    """The memory is a layer like the glossary and inline layers; the inline layer wraps a bare engine too."""
    from translate.translation.constraints import Constrained
    from translate.translation.inlinelayer import InlineLayer
    from translate.translation.memory import MemoryLayer, TranslationMemory

    class Upper:
        calls = 0

        def translate(self, sources):
            Upper.calls += 1
            return [Constrained(s.upper(), 0, s) for s in sources]

    inline = InlineLayer(Upper())
    assert [r.en for r in inline.translate(["ab **cd**"])][0].count("**") == 2
    keys = {"x": "k1", "y": "k2"}
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        first = MemoryLayer(Upper(), memory, keys, engine="fake", model="m").translate(["x", "y", "x"])
        assert [r.en for r in first] == ["X", "Y", "X"] and Upper.calls == 2
        again = MemoryLayer(Upper(), memory, keys, engine="fake", model="m")
        assert [r.en for r in again.translate(["y", "x"])] == ["Y", "X"]
        assert again.hits == {"x", "y"} and Upper.calls == 2  # the memory answered; nothing reached the layer


def test_an_engine_that_takes_calls_side_by_side_gets_two_chunks_at_once(tmp_path):
    """CTranslate2 engines (Capability.OVERLAP): the next chunk is translated while one is committed, in order."""
    import threading

    from translate.translation.constraints import Constrained
    from translate.translation.memory import MemoryLayer, TranslationMemory

    both = threading.Barrier(2, timeout=10)  # breaks (and fails the test) unless two chunks are in flight together

    class SideBySide:
        def translate(self, sources):
            if sources[0] in ("aaaa", "bbb"):  # the first two chunks (longest sources first)
                both.wait()
            return [Constrained(s.upper(), 0, s) for s in sources]

    sources = ["aaaa", "bbb", "cc", "d"]
    keys = {s: f"k{s}" for s in sources}
    committed = []
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        layer = MemoryLayer(SideBySide(), memory, keys, engine="fake", model="m", chunk=1, overlap=True,
                            on_chunk=committed.append)
        assert [r.en for r in layer.translate(sources)] == ["AAAA", "BBB", "CC", "D"]
        assert committed == [1, 1, 1, 1]
        assert [r.en for r in MemoryLayer(SideBySide(), memory, keys, engine="fake", model="m")
                .translate(["d", "cc"])] == ["D", "CC"]  # every chunk was committed
