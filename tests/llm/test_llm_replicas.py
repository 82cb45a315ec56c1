"""``llm.servers``: several OpenAI-compatible servers used together (vLLM replicas), all on 127.0.0.1.

Each test starts two or three :class:`chatserver.ChatServer` stubs and checks how the
requests are spread (the fewest in flight), what a server that dies mid-build costs
(nothing: its requests go to the others, no English cut off is kept), and the one
line the build stops with when every server is out.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest
from llmtools import FAST, ChatServer, Response, article, bitext, glossary, make_project

from translate.errors import EngineError, SettingsError
from translate.resources import default_templates
from translate.settings import load_settings
from translate.translation.llm import LLMEngine, open_llm_engine
from translate.translation.llm_prompt import Prompt
from translate.translation.translator import translate_articles

PARAGRAPHS = [f"第{n}段说大模型很重要。周明认为澜舟科技第{n}年会成功。" for n in range(1, 13)]


def _engine(servers, **options) -> LLMEngine:
    settings = {**FAST, **options}
    return LLMEngine(base_url=servers[0].url, servers=[s.url for s in servers], model="fake",
                     prompt=Prompt(default_templates(), "translate.j2"), **settings)


def _translate(servers, paragraphs=PARAGRAPHS, memory=None, **options):
    llm = _engine(servers, **options)
    (out,) = translate_articles([article("a", *paragraphs, title="周明")], llm, glossary(), memory_path=memory)
    return llm, out


def _segments(out):
    return [out.title, *(s for b in out.blocks for s in b.segments)]


def _remembered(memory) -> dict[str, tuple[str, str]]:
    """Source → (English, model) of every sentence in the memory."""
    with sqlite3.connect(memory) as db:
        return {source: (en, model) for source, en, model in db.execute("SELECT source, en, model FROM translations")}


def _reference(tmp_path, paragraphs=PARAGRAPHS) -> dict[str, tuple[str, str]]:
    """The memory one healthy server leaves for ``paragraphs``."""
    memory = tmp_path / "reference.sqlite"
    with ChatServer() as healthy:
        _translate([healthy], paragraphs, memory=memory)
    return _remembered(memory)


@pytest.fixture
def servers():
    """Three healthy stub servers (tests change their ``model``, ``latency``, or kill them)."""
    running = [ChatServer().start() for _ in range(3)]
    yield running
    for server in running:
        server.stop()


# --- the spread -----------------------------------------------------------------------------------------------------

def test_a_slow_server_gets_fewer_requests(servers):
    fast, slow, _ = servers
    slow.latency = 0.3
    # A timeout far above the latency: on a loaded machine 0.3 s of latency could pass the tests' usual 0.5 s
    # timeout, and the request asked again would be counted twice.
    llm, out = _translate([fast, slow], concurrency=1, timeout=10)
    assert all(s.en.startswith("Lorem") for s in _segments(out))
    assert fast.chat_requests + slow.chat_requests == len(PARAGRAPHS) + 1
    assert 1 <= slow.chat_requests and fast.chat_requests >= 3 * slow.chat_requests
    assert not llm.warnings


def test_in_flight_is_concurrency_per_live_server(servers):
    """``llm.concurrency`` per server: with two servers, twice as many requests in flight, never more on one."""
    lock = threading.Lock()
    now: dict[int, int] = {}
    peak: dict[int, int] = {}
    total_peak = [0]

    def counting(port):
        def model(request):
            with lock:
                now[port] = now.get(port, 0) + 1
                peak[port] = max(peak.get(port, 0), now[port])
                total_peak[0] = max(total_peak[0], sum(now.values()))
            time.sleep(0.08)
            with lock:
                now[port] -= 1
            return request.reply(request.right())
        return model

    one, two, _ = servers
    for server in (one, two):
        server.model = counting(server.port)
    _translate([one, two], concurrency=2)
    assert peak[one.port] <= 2 and peak[two.port] <= 2
    assert 2 < total_peak[0] <= 4  # more than one server's concurrency in flight at once
    assert one.chat_requests >= 4 and two.chat_requests >= 4  # equal servers share the work


def test_adding_a_server_translates_nothing_again(servers, tmp_path):
    """The servers are not in the memory key (neither is a single server's URL): a second build asks nothing."""
    memory = tmp_path / "memory.sqlite"
    one, two, three = servers
    _translate([one], memory=memory)
    asked = one.chat_requests
    _, out = _translate([one, two, three], memory=memory)
    assert one.chat_requests == asked and two.chat_requests == three.chat_requests == 0
    assert all(s.cached for s in _segments(out))


# --- a server that dies mid-build --------------------------------------------------------------------------------

def _half_then_die(server):
    """A model that answers the first two requests, then sends half of an answer and dies (a crashed replica)."""
    def model(request):
        if request.number <= 2:
            return request.reply(request.right(), delay=0.05)
        body = json.dumps({"id": "x", "object": "chat.completion", "model": "fake", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": request.reply(request.right()).content},
             "finish_reason": "stop"}]}).encode()

        def stream(write):
            write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:len(body) // 2])
            server.kill()

        return Response(stream=stream)
    return model


def test_a_server_killed_mid_build_loses_nothing_and_keeps_no_cut_english(servers, tmp_path):
    reference = _reference(tmp_path)
    memory = tmp_path / "memory.sqlite"
    one, two, dying = servers
    dying.model = _half_then_die(dying)
    for server in (one, two):
        server.latency = 0.1  # the build lasts long enough for three faults in a row (0.03 s of backoff)
    llm, out = _translate([one, two, dying], memory=memory, concurrency=2)
    assert dying.dead and dying.chat_requests >= 3
    assert _remembered(memory) == reference  # every sentence, each whole: none from the half answer
    assert [s.en for s in _segments(out)] == [s.en for s in _segments(_translate([one], memory=memory)[1])]
    taken_out = [w for w in llm.warnings if dying.url in w]
    assert len(taken_out) == 1 and "was taken out once" in taken_out[0] and "never came back" in taken_out[0]
    assert llm.client.live == 2


def test_tries_failing_together_are_one_fault_not_one_each(servers):
    """Four requests in flight on a server that answers 503 to all of them at once count as one fault: with
    llm.http_retries = 1 it is not taken out, and it serves again once it recovers."""
    blip, steady, _ = servers
    together = threading.Barrier(4, timeout=5)

    def blipping(request):
        if request.number <= 4:
            together.wait()
            return Response(status=503, body=b'{"error": {"message": "restarting"}}')
        return request.reply(request.right(), delay=0.05)

    blip.model = blipping
    steady.latency = 0.05
    llm, out = _translate([blip, steady], concurrency=4, http_retries=1, timeout=10.0)
    assert all(s.en.startswith("Lorem") for s in _segments(out))
    first, _ = llm.client.replicas
    assert first.faults == 1 and first.outs == 0 and first.answered >= 1
    assert [w for w in llm.warnings if blip.url in w] == [
        f"llm: the LLM server at {blip.url} failed once (last: it answered HTTP 503 (restarting)); those requests "
        f"were sent again to the other servers"]


def test_a_hanging_server_is_taken_out_after_its_timeouts(servers):
    one, hanging, _ = servers
    one.latency = 0.05  # the build outlasts two timeouts, not the time out (1 s) after them
    hanging.model = lambda request: request.reply(request.right(), delay=5.0)
    llm, out = _translate([one, hanging], timeout=0.3, http_retries=1)
    assert all(s.en.startswith("Lorem") for s in _segments(out))
    # The first request and then one probe at a time: two timeouts in a row take it out.
    assert hanging.chat_requests == 2
    assert llm.client.live == 1
    (warning,) = [w for w in llm.warnings if hanging.url in w]
    assert "gave no answer within 0.3 s (llm.timeout)" in warning


def test_a_server_that_was_down_is_probed_later_and_used_again(servers):
    one, late, _ = servers
    late.kill()  # nothing listens on its port yet: taken out at once

    def slow_then_revive(request):
        if request.number == 3:
            late.restart()
        return request.reply(request.right(), delay=0.1)

    one.model = slow_then_revive
    paragraphs = [f"第{n}段说大模型很重要。" for n in range(1, 25)]
    llm, out = _translate([one, late], paragraphs, concurrency=1)
    assert all(s.en.startswith("Lorem") for s in _segments(out))
    assert late.chat_requests >= 2  # after its time out (1 s), a probe, then its share
    (warning,) = [w for w in llm.warnings if late.url in w]
    assert "could not be reached (connection refused)" in warning and "it came back once" in warning


# --- every server out ------------------------------------------------------------------------------------------------

def test_every_server_out_is_one_line_naming_each_and_what_was_answered_is_kept(servers, tmp_path):
    memory = tmp_path / "memory.sqlite"
    one, two, _ = servers
    answered = []
    lock = threading.Lock()

    def tired(request):
        with lock:
            if len(answered) >= 4:
                return Response(status=503, body=b'{"error": {"message": "overloaded"}}')
            answered.append(request.number)
        return request.reply(request.right())

    one.model = two.model = tired
    with pytest.raises(EngineError) as caught:
        _translate([one, two], memory=memory, concurrency=1, http_retries=2)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"every LLM server of llm.servers failed: {one.url} answered HTTP 503 (overloaded), "
                              f"3 times in a row; {two.url} answered HTTP 503 (overloaded), 3 times in a row; "
                              f"the 4 blocks answered before are kept in the translation memory: build again to "
                              f"resume (9 of 13 blocks left)")
    assert len(_remembered(memory)) == 1 + 3 * 2  # the title and three paragraphs of two sentences
    # The next build asks only for the rest, from whichever server.
    one.model = two.model = lambda request: request.reply(request.right())
    before = one.chat_requests + two.chat_requests
    _translate([one, two], memory=memory)
    assert one.chat_requests + two.chat_requests - before == 9


def test_no_server_listening_is_one_line_naming_them(servers):
    one, two, _ = servers
    one.kill()
    two.kill()
    with pytest.raises(EngineError) as caught:
        _translate([one, two])
    assert str(caught.value).startswith(
        f"cannot reach any of the 2 LLM servers in llm.servers ({one.url}, {two.url}; connection refused); start "
        f"them or correct llm.servers in edition.toml; no block was answered")


def test_a_fault_no_retry_mends_stops_at_once_naming_the_server(servers):
    one, wrong, _ = servers
    wrong.model = lambda request: Response(status=404, body=b'{"error": {"message": "model \\"fake\\" not found"}}')
    one.latency = 0.2  # the wrong server gets a request before the first answer
    with pytest.raises(EngineError) as caught:
        _translate([one, wrong])
    assert f"the LLM server at {wrong.url} has no model 'fake'" in str(caught.value)


def test_two_recorded_llama_servers_one_killed_answer_every_block_once(servers):
    """Two replicas replaying the recorded llama-server's grammar (tests/llm/test_llm_real_server.py), the first
    killed after its third answer: each block is still answered in one request, with the recorded model name."""
    from test_llm_real_server import REAL, _grammar

    if not REAL.is_dir():
        pytest.skip("no recorded llama-server exchanges in this checkout")
    one, two, _ = servers

    def recorded(server):
        def model(request):
            if server is one and request.number == 4:
                server.kill()
                return Response(drop=True)
            return Response(content=_grammar(request).content, model="tiny-qwen2.gguf", delay=0.02)
        return model

    one.model, two.model = recorded(one), recorded(two)
    llm, out = _translate([one, two], concurrency=2)
    assert all(s.en and not s.failed for s in _segments(out))
    assert {s.engine for s in _segments(out)} == {"llm:tiny-qwen2.gguf"}
    assert llm.counts.corrections == 0 and llm.counts.fallbacks == 0
    first, second = llm.client.replicas
    assert first.answered <= 3 and first.outs == 1
    assert first.answered + second.answered == len(PARAGRAPHS) + 1  # one answer a block: those lost asked again
    assert not any("different models" in w for w in llm.warnings)


# --- the model of each answer ----------------------------------------------------------------------------------------

def test_two_replicas_serving_different_models_each_sentence_records_its_own(servers, tmp_path):
    memory = tmp_path / "memory.sqlite"
    one, two, three = servers
    one.model = lambda request: request.reply(request.right(), model="qwen-a", delay=0.02)
    two.model = lambda request: request.reply(request.right(), model="qwen-b", delay=0.02)
    llm, out = _translate([one, two], memory=memory, concurrency=2)
    served = {**{zh: "qwen-a" for r in one.requests for zh in r.sentences.values()},
              **{zh: "qwen-b" for r in two.requests for zh in r.sentences.values()}}
    assert set(served.values()) == {"qwen-a", "qwen-b"}
    for segment in _segments(out):
        assert segment.engine == f"llm:{served[segment.zh]}", segment.id
    assert {source: model for source, (_, model) in _remembered(memory).items()} == served
    (mixed,) = [w for w in llm.warnings if "different models" in w]
    assert "'qwen-a'" in mixed and one.url in mixed and "'qwen-b'" in mixed and two.url in mixed
    assert "llm.model = 'fake'" in mixed
    # The memory keys llm.model, not the model a server names: a third server serving another model asks nothing.
    three.model = lambda request: request.reply(request.right(), model="qwen-c")
    _, again = _translate([three], memory=memory)
    assert three.chat_requests == 0
    assert [s.engine for s in _segments(again)] == [s.engine for s in _segments(out)]


# --- settings -------------------------------------------------------------------------------------------------------

def test_a_project_with_servers_builds_through_all_of_them(servers, tmp_path, api_key):
    one, two, _ = servers
    one.latency = two.latency = 0.05
    project = make_project(tmp_path / "project", one, servers=[one.url, two.url], concurrency=1)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert one.chat_requests > 0 and two.chat_requests > 0
    assert "is not used" not in result.output  # base_url is one of the servers


def test_servers_are_checked(tmp_path):
    def load(servers: str):
        (tmp_path / "edition.toml").write_text(f"[llm]\nservers = {servers}\n", encoding="utf-8")
        return open_llm_engine(load_settings(tmp_path))

    many = json.dumps([f"http://127.0.0.1:{8000 + n}/v1" for n in range(65)])
    with pytest.raises(SettingsError, match=r"edition\.toml:2: 'llm\.servers' must list between 0 and 64 items, "
                                            r"not 65"):
        load(many)
    with pytest.raises(SettingsError, match=r"'llm\.servers' item 2 must start with http:// or https://"):
        load('["http://127.0.0.1:8001/v1", "ftp://127.0.0.1/v1"]')
    with pytest.raises(SettingsError) as caught:
        load('["http://127.0.0.1:8001/v1", "http://u:secret-pass@127.0.0.1:8001/v1/"]')
    assert "item 2 repeats item 1 (http://127.0.0.1:8001/v1/)" in str(caught.value)
    assert "secret-pass" not in str(caught.value)
    assert load("[]").servers == ("http://127.0.0.1:11434/v1",)  # none listed: llm.base_url alone
    engine = load('["http://127.0.0.1:8001/v1", "http://gpu-2.example.org:8000/v1"]')
    assert engine.servers == ("http://127.0.0.1:8001/v1", "http://gpu-2.example.org:8000/v1")
    assert engine.warnings == ["llm.servers http://gpu-2.example.org:8000/v1 is not on this machine: the articles' "
                               "text is sent to gpu-2.example.org unencrypted (http) to be translated"]
    (tmp_path / "edition.toml").write_text('[llm]\nbase_url = "http://127.0.0.1:9/v1"\n'
                                           'servers = ["http://127.0.0.1:8001/v1"]\n', encoding="utf-8")
    assert any("llm.base_url http://127.0.0.1:9/v1 is not used" in w
               for w in open_llm_engine(load_settings(tmp_path)).warnings)
