"""The LLM engine against what a real llama.cpp ``llama-server`` answered (issue 31).

The answers are the recorded ones in ``../shared/real-servers/llama-server/recorded``
(a tiny random-weight qwen2 model behind the real server: gibberish English, but the
server's own JSON-schema grammar, errors, limits and fields), replayed by the tests'
server on 127.0.0.1. Each test names the fault the recording showed.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from llmtools import Response, article, engine, glossary

from translate.errors import EngineError
from translate.quality import segment_flags
from translate.translation.llm_prompt import json_schema
from translate.translation.translator import translate_articles

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-servers" / "llama-server" / "recorded"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="no recorded llama-server exchanges in this checkout")

TWO = "周明创立了澜舟科技。他认为大模型很重要。"


def _exchanges(name: str) -> list[dict]:
    return [json.loads(line) for line in (REAL / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _answers(name: str, finish: str | None = None) -> list[dict]:
    return [e["response"] for e in _exchanges(name) if e["status"] == 200
            and (finish is None or e["response"]["choices"][0]["finish_reason"] == finish)]


def _translate(server, *paragraphs, memory=None, **options):
    llm = engine(server, **options)
    (out,) = translate_articles([article("a", *(paragraphs or (TWO,)), title="周明")], llm, glossary(),
                                memory_path=memory)
    return llm, out


def _segments(out):
    return [out.title, *(s for b in out.blocks for s in b.segments)]


def _grammar(request) -> Response:
    """What llama-server's grammar lets a model answer: ``n`` is the schema's constant at each place, or the
    first number of an ``enum`` at every place (recorded: every two-sentence block came back ``1, 1``)."""
    listing = request.body["response_format"]["json_schema"]["schema"]["properties"]["translations"]
    right = request.right()
    if "prefixItems" in listing:
        numbers = [item["properties"]["n"]["const"] for item in listing["prefixItems"]]
    else:
        numbers = [listing["items"]["properties"]["n"]["enum"][0]] * listing["maxItems"]
    english = list(right.values())
    return Response(content=json.dumps({"translations": [{"n": n, "en": en} for n, en in zip(numbers, english)]}))


def test_the_recorded_server_numbered_every_item_alike_under_the_old_schema():
    """The recording the per-position schema answers: ``enum`` let two items share a number."""
    two = [r for r in _answers("default.jsonl") if r["choices"][0]["message"]["content"].count('"n"') == 2]
    assert two and all(re.findall(r'"n"\s*:\s*(\d+)', r["choices"][0]["message"]["content"]) == ["1", "1"]
                       for r in two)


def test_each_place_gets_its_own_number_so_a_block_takes_one_request(server):
    server.model = _grammar
    llm, out = _translate(server)
    assert server.chat_requests == 2  # the title and the two-sentence block: no correction, no fallback
    assert llm.counts.corrections == 0 and llm.counts.fallbacks == 0
    schema = server.requests[-1].body["response_format"]["json_schema"]["schema"]
    listing = schema["properties"]["translations"]
    assert [item["properties"]["n"]["const"] for item in listing["prefixItems"]] == [1, 2]
    assert "items" not in listing  # llama-server refuses "items": false with HTTP 400
    assert listing["minItems"] == listing["maxItems"] == 2


def test_under_the_old_schema_the_same_grammar_costs_corrections_and_a_fallback(server):
    """Why the per-position schema: a server that refuses it gets the older one, and pays as recorded."""
    def refuses_prefix_items(request):
        listing = request.body.get("response_format", {}).get("json_schema", {}).get("schema", {}).get(
            "properties", {}).get("translations", {})
        if "prefixItems" in listing:
            return Response(status=400, body=b'{"error": {"code": 400, "message": "prefixItems is not supported", '
                                             b'"type": "invalid_request_error"}}')
        return _grammar(request)

    server.model = refuses_prefix_items
    llm, out = _translate(server, retries=1)
    assert llm.counts.fallbacks == 1 and server.chat_requests >= 5
    assert all(s.en for s in _segments(out))
    assert any("refused the per-position JSON schema (positional: HTTP 400: prefixItems is not supported)" in w
               for w in llm.warnings)


def test_a_context_that_fills_up_while_answering_stops_the_build_saying_so(server):
    """Recorded with -c 384: usage 472 + 40 = 512 tokens, finish_reason "length" long before max_tokens 128."""
    full = [r for r in _answers("ctx384.jsonl", "length")
            if r["usage"]["completion_tokens"] < 128 and r["usage"]["prompt_tokens"] > 300]
    assert full
    server.model = lambda request: Response(body=json.dumps(full[0]).encode("utf-8"))
    with pytest.raises(EngineError) as caught:
        _translate(server, max_tokens=128)
    message = str(caught.value)
    assert "ran out of context before its answer was complete (472 tokens of request and 40 of answer)" in message
    assert "llama-server -c N" in message and "num_ctx" in message and "--max-model-len" in message
    assert "ran past" not in message and "\n" not in message


def test_a_complete_answer_marked_length_is_read(server):
    """The limit can fall just after the closing brace: valid, complete JSON is not thrown away."""
    def exact(request):
        answer = _grammar(request)
        return Response(content=answer.content, finish_reason="length")

    server.model = exact
    llm, out = _translate(server)
    assert server.chat_requests == 2 and llm.counts.corrections == 0
    assert not any(s.failed for s in _segments(out)) and all(s.en for s in _segments(out))


def test_answers_cut_at_max_tokens_are_never_remembered_and_the_next_build_asks_again(server, tmp_path):
    """Recorded with max_tokens 16: ``{"translations" : [`` was stored as the English and never asked again."""
    cut = _answers("len.jsonl")
    server.model = lambda request: Response(body=json.dumps(cut[request.number % len(cut)]).encode("utf-8"))
    memory = tmp_path / "memory.sqlite"
    llm, out = _translate(server, memory=memory, max_tokens=16)
    assert all(s.en == "" and s.failed for s in _segments(out))
    assert {f["kind"] for s in _segments(out) for f in segment_flags(s)} >= {"engine_failed"}
    with sqlite3.connect(memory) as db:
        assert db.execute("SELECT count(*) FROM translations").fetchone()[0] == 0
    asked = server.chat_requests
    _translate(server, memory=memory, max_tokens=16)
    assert server.chat_requests > asked  # asked again, not read back from the memory


def test_empty_answers_are_flagged_and_never_remembered(server, tmp_path):
    """Recorded (default flags): the model answered ``"en": ""`` in valid JSON; it stayed in the memory."""
    empty = [r for r in _answers("default.jsonl") if r["choices"][0]["message"]["content"].count('"n"') == 1]
    server.model = lambda request: Response(body=json.dumps(empty[0]).encode("utf-8"))
    memory = tmp_path / "memory.sqlite"
    llm, out = _translate(server, "周明很重要。", memory=memory, retries=0)
    (segment,) = [s for s in _segments(out) if s.id == "b001.s1"]
    assert segment.en == "" and segment.failed == "the LLM's answer was empty"
    assert any(f"{llm.counts.failed} sentence(s) got no English that could be kept (0 never took the format asked "
               f"for, the rest came back empty)" in w for w in llm.warnings) and llm.counts.failed >= 1
    with sqlite3.connect(memory) as db:
        assert db.execute("SELECT count(*) FROM translations WHERE en = ''").fetchone()[0] == 0


def test_fluent_nonsense_is_flagged_for_review(server):
    """Recorded (an English-biased tiny model): "canyon choked dinosaur" for 这个时代跟淘金时代很像。 passed."""
    nonsense = _answers("eng.jsonl")
    assert any("canyon choked dinosaur" in r["choices"][0]["message"]["content"] for r in nonsense)
    server.model = lambda request: Response(body=json.dumps(nonsense[2]).encode("utf-8"))
    llm, out = _translate(server, "这个时代跟淘金时代很像。", retries=1)
    (segment,) = [s for s in _segments(out) if s.id == "b001.s1"]
    assert "canyon" in segment.en
    assert "inadequate" in {f["kind"] for f in segment_flags(segment)}
    # A signal for a reviser, not a correction: the model is not told to pad its English with dictionary words.
    assert not [r for r in server.requests if len(r.messages) > 2 and "这个时代" in r.first_user]


def test_the_model_that_answered_is_recorded(server, tmp_path):
    """The server says which model answered (``tiny-qwen2.gguf``); the configured name is only what was asked."""
    def served(request):
        answer = _grammar(request)
        return Response(content=answer.content, model="tiny-qwen2.gguf")

    server.model = served
    memory = tmp_path / "memory.sqlite"
    _, out = _translate(server, memory=memory)
    assert out.model == "tiny-qwen2.gguf" and {s.engine for s in _segments(out)} == {"llm:tiny-qwen2.gguf"}
    with sqlite3.connect(memory) as db:
        assert {m for (m,) in db.execute("SELECT model FROM translations")} == {"tiny-qwen2.gguf"}
    asked = server.chat_requests
    _, again = _translate(server, memory=memory)  # from the memory: the same model named
    assert server.chat_requests == asked and again.model == "tiny-qwen2.gguf"


def test_a_model_name_from_the_server_is_bounded_and_printable(server):
    def odd(request):
        answer = _grammar(request)
        return Response(content=answer.content, model="evil\x1b[31m" + "x" * 500)

    server.model = odd
    _, out = _translate(server)
    assert "\x1b" not in out.model and len(out.model) <= 80


def test_the_schema_never_sends_items_false():
    for dialect in ("positional", "numbers"):
        assert '"items": false' not in json.dumps(json_schema([1, 2, 3], dialect))


def test_a_build_names_the_served_model_in_its_report(server, api_key, tmp_path):
    from llmtools import bitext, make_project

    def served(request):
        answer = _grammar(request)
        return Response(content=answer.content, model="tiny-qwen2.gguf")

    server.model = served
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf", "--no-epub")
    assert result.exit_code == 0, result.output
    assert "machine engine: llm — tiny-qwen2.gguf" in result.output
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    assert report["edition"]["model"] == "tiny-qwen2.gguf"
    assert {a["model"] for a in report["articles"]} == {"tiny-qwen2.gguf"}
    assert "<dd>tiny-qwen2.gguf</dd>" in (project / "build" / "html" / "report.html").read_text(encoding="utf-8")
