"""The LLM engine against a real chat server on 127.0.0.1: prompts, answers, the glossary ladder, the memory."""

from __future__ import annotations

import json
import sqlite3

import pytest
from llmtools import (
    LANGBOAT,
    LARGE_MODEL,
    Response,
    article,
    engine,
    english_of,
    glossary,
)

from translate.translation.constraints import RUNG_AFTER_CORRECTION, RUNG_FIRST_ANSWER, RUNG_NONE, RUNG_VIOLATION
from translate.engines import Capability
from translate.translation.translator import translate_articles

TWO_SENTENCES = "周明创立了澜舟科技。他认为大模型很重要。"
NO_TERMS = "我们很喜欢创业。"


def _translate(server, *articles, memory=None, **options):
    llm = engine(server, **options)
    return llm, translate_articles(list(articles), llm, glossary(), memory_path=memory)


def _rungs(memory) -> dict[str, int]:
    with sqlite3.connect(memory) as db:
        return dict(db.execute("SELECT source, rung FROM translations"))


def test_the_engine_declares_that_it_translates_blocks(server):
    assert engine(server).capabilities == {Capability.BLOCKS}


def test_one_request_per_block_with_its_sentences_numbered_and_only_its_glossary_entries(server):
    llm, (out,) = _translate(server, article("a", TWO_SENTENCES, NO_TERMS, title="周明"))
    assert server.chat_requests == 3  # the title and two paragraphs
    prompts = {r.sentences[1]: r.first_user for r in server.requests}
    block = prompts["周明创立了澜舟科技。"]
    assert "1. 周明创立了澜舟科技。\n2. 他认为大模型很重要。" in block
    assert "- 周明 → Zhou Ming" in block and "- 澜舟科技 → Langboat" in block
    assert "- 大模型 → large model — the standard rendering" in block
    assert "Microsoft Research Asia" not in block and "Densing Law" not in block
    assert "Glossary" not in prompts[NO_TERMS]
    assert [r.body["model"] for r in server.requests] == ["fake"] * 3
    assert all(r.body["temperature"] == 0 and r.body["seed"] == 0 for r in server.requests)
    schema = server.requests[0].body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["translations"]["maxItems"] in (1, 2)
    # One English sentence per Chinese sentence, every term honoured and proven.
    segments = [s for b in out.blocks for s in b.segments]
    assert [s.id for s in segments] == ["b001.s1", "b001.s2", "b002.s1"]
    assert all(t.honoured for s in segments for t in s.terms) and not any(s.violations for s in segments)
    assert out.engine == "llm" and segments[0].engine == "llm:fake"


def test_a_variant_in_the_source_is_shown_with_its_entry(server):
    _translate(server, article("a", "瀾舟科技很重要。"))
    assert "- 瀾舟科技 (= 澜舟科技) → Langboat" in server.requests[-1].first_user


def test_keep_as_is_and_exact_entries_say_so_in_the_prompt(server):
    _translate(server, article("a", "要把 Densing Law 讲清楚。"))
    assert "- Densing Law → Densing Law (keep exactly) — " not in server.requests[-1].first_user
    assert "- Densing Law → Densing Law (keep exactly)" in server.requests[-1].first_user


def test_first_answers_are_recorded_as_such_in_the_memory(server, tmp_path):
    memory = tmp_path / "memory.sqlite"
    _translate(server, article("a", TWO_SENTENCES, NO_TERMS), memory=memory)
    rungs = _rungs(memory)
    assert rungs["周明创立了澜舟科技。"] == RUNG_FIRST_ANSWER
    assert rungs[NO_TERMS] == RUNG_NONE


def test_a_second_translation_makes_no_request(server, tmp_path):
    memory = tmp_path / "memory.sqlite"
    _, (first,) = _translate(server, article("a", TWO_SENTENCES, NO_TERMS), memory=memory)
    asked = server.chat_requests
    _, (second,) = _translate(server, article("a", TWO_SENTENCES, NO_TERMS), memory=memory)
    assert server.chat_requests == asked
    assert english_of(second) == english_of(first)
    assert second.stats.cache_misses == 0


def test_an_inflected_term_is_honoured_without_a_correction(server, tmp_path):
    def plural(request):
        english = request.right()
        return request.reply({n: en.replace("large model", "large models") for n, en in english.items()})

    server.model = plural
    memory = tmp_path / "memory.sqlite"
    _, (out,) = _translate(server, article("a", TWO_SENTENCES), memory=memory)
    assert server.chat_requests == 2
    assert "large models" in english_of(out)["b001.s2"]
    assert _rungs(memory)["他认为大模型很重要。"] == RUNG_FIRST_ANSWER


def test_a_dropped_term_is_sent_back_naming_it_and_the_correction_is_kept(server, tmp_path):
    def forgetful(request):
        english = request.right()
        if request.turn == 1:
            english = {n: en.replace("large model", "big model") for n, en in english.items()}
        return request.reply(english)

    server.model = forgetful
    memory = tmp_path / "memory.sqlite"
    llm, (out,) = _translate(server, article("a", TWO_SENTENCES), memory=memory, retries=1)
    paragraph = [r for r in server.requests if "澜舟科技" in r.first_user]
    assert len(paragraph) == 2
    correction = paragraph[1].last_user
    assert "Sentence 2: it must say “large model” for 大模型" in correction
    assert "sentence 2 only" in correction and "Sentence 1" not in correction
    assert paragraph[1].messages[-2]["role"] == "assistant"  # the answer being corrected goes back with it
    items = paragraph[1].body["response_format"]["json_schema"]["schema"]["properties"]["translations"]["prefixItems"]
    assert [item["properties"]["n"]["const"] for item in items] == [2]
    assert '{"n": 2, "en": "…"}]}' in correction  # the example numbers as asked
    assert "large model" in english_of(out)["b001.s2"]
    rungs = _rungs(memory)
    assert rungs["他认为大模型很重要。"] == RUNG_AFTER_CORRECTION
    assert rungs["周明创立了澜舟科技。"] == RUNG_FIRST_ANSWER
    with sqlite3.connect(memory) as db:
        raw = db.execute("SELECT raw FROM translations WHERE source = ?", ("他认为大模型很重要。",)).fetchone()[0]
    assert "big model" in raw  # the first answer is kept as the raw output


@pytest.mark.parametrize("retries", [0, 1, 2])
def test_a_term_never_given_is_a_violation_after_retries_corrections(server, tmp_path, retries):
    def stubborn(request):
        return request.reply({n: en.replace("Langboat", "Lanzhou Tech") for n, en in request.right().items()})

    server.model = stubborn
    memory = tmp_path / "memory.sqlite"
    _, (out,) = _translate(server, article("a", "澜舟科技很重要。", title="周明"), memory=memory, retries=retries)
    assert len([r for r in server.requests if "澜舟科技" in r.first_user]) == 1 + retries
    (segment,) = out.blocks[0].segments
    assert [(v.term, v.expected) for v in segment.violations] == [("澜舟科技", "Langboat")]
    assert _rungs(memory)["澜舟科技很重要。"] == RUNG_VIOLATION


def test_a_correction_answered_in_full_is_read_for_the_sentences_asked(server):
    def thorough(request):
        english = request.right()
        if request.turn == 1:
            return request.reply({n: en.replace("large model", "big model") for n, en in english.items()})
        sentences = request.sentences
        return request.reply({n: fake for n, fake in
                              ((n, request.right().get(n) or "Lorem Zhou Ming ipsum dolor.") for n in sentences)},
                             )

    server.model = thorough
    llm, (out,) = _translate(server, article("a", TWO_SENTENCES, title="周明"), retries=1)
    assert "large model" in english_of(out)["b001.s2"]
    assert llm.requests == 3 and not out.blocks[0].segments[1].violations


def test_a_correction_that_is_worse_is_not_kept(server):
    def worse(request):
        english = request.right()
        if request.turn == 1:
            return request.reply({n: en.replace("large model", "big model") for n, en in english.items()})
        return request.reply({n: "这是中文。" for n in english})

    server.model = worse
    _, (out,) = _translate(server, article("a", TWO_SENTENCES), retries=1)
    assert "big model" in english_of(out)["b001.s2"]  # still a violation, but English


def test_commentary_is_sent_back(server):
    def chatty(request):
        english = request.right()
        if request.turn == 1:
            english = {n: f"Here is the translation: {en}" for n, en in english.items()}
        return request.reply(english)

    server.model = chatty
    _, (out,) = _translate(server, article("a", NO_TERMS, title="周明"))
    assert "comment, not a translation" in server.requests[-1].last_user
    assert not english_of(out)["b001.s1"].startswith("Here is")


def test_a_preamble_outside_the_numbered_lines_is_dropped(server):
    server.model = lambda request: Response(content="Sure! Here is the translation:\n\n" + "\n".join(
        f"{n}. {en}" for n, en in request.right().items()))
    _, (out,) = _translate(server, article("a", TWO_SENTENCES, title="周明"))
    assert server.chat_requests == 2
    assert english_of(out)["b001.s1"] == "Lorem Langboat Zhou Ming."


def test_chinese_left_in_the_english_is_sent_back(server):
    def lazy(request):
        english = request.right()
        if request.turn == 1:
            english = {n: en + " 基础设施" for n, en in english.items()}
        return request.reply(english)

    server.model = lazy
    _, (out,) = _translate(server, article("a", NO_TERMS, title="周明"))
    assert "still contains Chinese (基础设施)" in server.requests[-1].last_user
    assert "基础设施" not in english_of(out)["b001.s1"]


def test_a_lost_number_is_sent_back(server):
    def innumerate(request):
        english = request.right()
        if request.turn == 1:
            english = {n: en.replace("2020", "") for n, en in english.items()}
        return request.reply(english)

    server.model = innumerate
    _, (out,) = _translate(server, article("a", "那是 2020 年底。", title="周明"))
    assert "lost the number 2020" in server.requests[-1].last_user
    assert "2020" in english_of(out)["b001.s1"]


def test_a_wrong_sentence_count_is_sent_back_then_asked_sentence_by_sentence(server):
    def merging(request):
        english = request.right()
        if len(request.sentences) > 1:
            return request.reply({1: " ".join(english.values())})
        return request.reply(english)

    server.model = merging
    llm, (out,) = _translate(server, article("a", TWO_SENTENCES, title="周明"), retries=1)
    paragraph = [r for r in server.requests if len(r.sentences) == 2]
    assert len(paragraph) == 2
    assert "it had 1 sentence for 2; missing 2" in paragraph[1].last_user
    singles = [r.sentences[1] for r in server.requests if len(r.sentences) == 1 and r.sentences[1] != "周明"]
    assert singles == ["周明创立了澜舟科技。", "他认为大模型很重要。"]
    english = english_of(out)
    assert "Zhou Ming" in english["b001.s1"] and "large model" in english["b001.s2"]
    assert llm.counts.fallbacks == 1


def test_malformed_json_is_sent_back(server):
    def broken(request):
        if request.turn == 1:
            return Response(content='{"translations": [{"n": 1, "en": "Lorem')
        return request.reply(request.right())

    server.model = broken
    _, (out,) = _translate(server, article("a", NO_TERMS, title="周明"))
    assert "neither the JSON asked for nor numbered lines" in server.requests[1].last_user
    assert english_of(out)["b001.s1"].startswith("Lorem")


def test_an_answer_cut_off_at_max_tokens_is_sent_back(server):
    def runaway(request):
        if request.turn == 1:
            return Response(content='{"translations": [{"n": 1, "en": "Lorem lorem lorem lorem', finish_reason="length")
        return request.reply(request.right())

    server.model = runaway
    _, (out,) = _translate(server, article("a", NO_TERMS, title="周明"), max_tokens=64)
    assert "ran past 64 tokens" in server.requests[1].last_user
    assert server.requests[0].body["max_tokens"] == 64


def test_a_sentence_that_never_takes_the_format_is_salvaged_and_flagged(server):
    server.model = lambda request: Response(content="Here is the translation:\nWe like start-ups a lot.")
    llm, (out,) = _translate(server, article("a", NO_TERMS, title="周明"), retries=1)
    assert english_of(out)["b001.s1"] == "We like start-ups a lot."
    assert any("never took the format" in w for w in llm.warnings)


def test_a_server_without_json_schemas_gets_numbered_lines(server):
    def old_server(request):
        if request.json:
            return Response(status=400, body=b'{"error": {"message": "response_format is not supported"}}')
        assert "exactly 2 lines, each starting with its sentence number" in request.first_user or \
            len(request.sentences) == 1
        return request.reply(request.right())

    server.model = old_server
    llm, (out,) = _translate(server, article("a", TWO_SENTENCES, NO_TERMS, title="周明"))
    # The per-position schema, then the older one, then numbered lines for good.
    assert [r.json for r in server.requests] == [True, True, False, False, False]
    assert "Zhou Ming" in english_of(out)["b001.s1"]
    assert any("does not take JSON schemas" in w for w in llm.warnings)


def test_sentence_context_sends_one_sentence_per_request(server):
    _translate(server, article("a", TWO_SENTENCES, title="周明"), context="sentence")
    assert sorted(len(r.sentences) for r in server.requests) == [1, 1, 1]


def test_markdown_and_damaged_spans(server):
    _, (out,) = _translate(server, article("a", "因为**大模型**会成为基础设施。", "周明⟦閿欒⟧很重要。", title="周明"))
    english = english_of(out)
    assert english["b001.s1"].count("**") == 2
    assert "Zhou Ming. [damaged text] Lorem" in english["b002.s1"]
    assert all("⟦" not in "".join(r.sentences.values()) for r in server.requests)


def test_the_memory_key_holds_neither_the_host_nor_the_key(server):
    here = engine(server)
    elsewhere = engine(server, api_key="another-key")
    elsewhere.base_url = "http://10.1.2.3:8000/v1"
    assert here.options == elsewhere.options and "127.0.0.1" not in here.options
    assert engine(server, temperature=0.5).options != here.options
    assert engine(server, context="sentence").options != here.options
    assert "another-key" not in repr(elsewhere)


def test_a_base_url_off_this_machine_is_warned_about_and_loopback_is_not(server):
    from translate.resources import default_templates
    from translate.translation.llm import LLMEngine
    from translate.translation.llm_prompt import Prompt

    prompt = Prompt(default_templates(), "translate.j2")
    remote = LLMEngine(base_url="http://gpu.example.org:8000/v1", model="m", prompt=prompt)
    assert remote.warnings == ["llm.base_url http://gpu.example.org:8000/v1 is not on this machine: the articles' "
                               "text is sent to gpu.example.org unencrypted (http) to be translated"]
    for local in ("http://127.0.0.1:11434/v1", "http://localhost:8080/v1", "http://[::1]:8000/v1"):
        assert LLMEngine(base_url=local, model="m", prompt=prompt).warnings == []


def test_requests_carry_the_whole_conversation_in_openai_form(server):
    _translate(server, article("a", NO_TERMS, title="周明"))
    body = server.requests[-1].body
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["stream"] is False
    json.dumps(body)  # plain JSON
    assert LARGE_MODEL.en not in body["messages"][1]["content"] and LANGBOAT.en not in body["messages"][1]["content"]
