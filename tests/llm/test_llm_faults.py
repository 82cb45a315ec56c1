"""Faults of the server: each ends in one line, and nothing already answered is lost."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from llmtools import ChatServer, Response, article, engine, glossary

from translate.errors import EngineError
from translate.translation.translator import translate_articles

PARAGRAPHS = [f"第{n}段说大模型很重要。" for n in range(1, 7)]


def _articles():
    return [article("a", *PARAGRAPHS, title="周明")]


def _run(server, memory=None, **options):
    llm = engine(server, **options)
    return llm, translate_articles(_articles(), llm, glossary(), memory_path=memory)


def _remembered(memory) -> int:
    with sqlite3.connect(memory) as db:
        return db.execute("SELECT count(*) FROM translations").fetchone()[0]


def test_no_server_is_one_line_naming_the_url_and_how_to_start_it():
    with ChatServer() as server:
        url = server.url
    with pytest.raises(EngineError) as caught:
        _run(server)
    message = str(caught.value)
    assert message.startswith(f"cannot reach the LLM server at {url} (connection refused); start it (Ollama: "
                              f"`ollama serve`, then `ollama pull fake`) or set llm.base_url in edition.toml")
    assert "\n" not in message


def test_500_then_success_is_tried_again(server):
    def flaky(request):
        if request.number == 1:
            return Response(status=500, body=b'{"error": {"message": "CUDA out of memory"}}')
        return request.reply(request.right())

    server.model = flaky
    llm, (out,) = _run(server)
    assert llm.client.retries == 1
    assert server.chat_requests == 1 + 1 + len(PARAGRAPHS)
    assert all(s.en.startswith("Lorem") for b in out.blocks for s in b.segments)


def test_429_waits_as_long_as_retry_after_says(server):
    seen: list[float] = []

    def busy(request):
        seen.append(time.monotonic())
        if request.number == 1:
            return Response(status=429, headers={"Retry-After": "1"}, body=b'{"error": "slow down"}')
        return request.reply(request.right())

    server.model = busy
    llm, _ = _run(server, backoff=0.0, concurrency=1)
    assert seen[1] - seen[0] >= 0.95
    assert llm.client.retries == 1


def test_a_timeout_is_tried_again(server):
    def slow_once(request):
        return request.reply(request.right(), delay=1.0 if request.number == 1 else 0.0)

    server.model = slow_once
    llm, (out,) = _run(server, timeout=0.2)
    assert llm.client.retries == 1
    assert out.title_en.startswith("Lorem")


def test_lasting_5xx_stops_with_one_line_and_keeps_what_was_answered(server, tmp_path):
    memory = tmp_path / "memory.sqlite"
    answered = []

    def dying(request):
        if len(answered) >= 3:
            return Response(status=503, body=b'{"error": {"message": "overloaded"}}')
        answered.append(request.number)
        return request.reply(request.right())

    server.model = dying
    with pytest.raises(EngineError) as caught:
        _run(server, memory=memory, concurrency=1, http_retries=2)
    message = str(caught.value)
    assert message == (f"the LLM server at {server.url} answered HTTP 503 (overloaded), 3 times in a row; the 3 "
                       f"blocks answered before are kept in the translation memory: build again to resume "
                       f"(4 of 7 blocks left)")
    assert _remembered(memory) == 3
    # The next run asks only for what is missing.
    server.model = lambda request: request.reply(request.right())
    before = server.chat_requests
    _run(server, memory=memory)
    assert server.chat_requests - before == 4


def test_a_server_that_dies_mid_build_loses_nothing_received_and_the_next_build_resumes(server, tmp_path):
    memory = tmp_path / "memory.sqlite"

    def crashing(request):
        if request.number == 4:
            server.kill()
            return Response(drop=True)
        return request.reply(request.right())

    server.model = crashing
    with pytest.raises(EngineError) as caught:
        _run(server, memory=memory, concurrency=1)
    assert "stopped answering (connection refused)" in str(caught.value) or "dropped the connection" in str(
        caught.value)
    assert "the 3 blocks answered before are kept in the translation memory: build again to resume" in str(
        caught.value)
    assert _remembered(memory) == 3
    server.restart()
    server.model = lambda request: request.reply(request.right())
    before = server.chat_requests
    _, (out,) = _run(server, memory=memory)
    assert server.chat_requests - before == 4
    assert all(s.en for b in out.blocks for s in b.segments)


def test_with_concurrency_the_answers_in_flight_when_one_fails_are_kept(server, tmp_path):
    memory = tmp_path / "memory.sqlite"
    gate = threading.Event()

    def one_bad(request):
        if "第1段" in request.first_user:
            gate.set()
            return Response(status=500, body=b"{}")
        gate.wait(2)
        return request.reply(request.right(), delay=0.1)

    server.model = one_bad
    with pytest.raises(EngineError):
        _run(server, memory=memory, concurrency=4, http_retries=0)
    kept = _remembered(memory)
    assert 1 <= kept <= 6  # the title and every paragraph in flight beside the failing one


@pytest.mark.parametrize(("status", "words"), [
    (401, "it wants an API key: put the key in an environment variable and set llm.api_key_env"),
    (404, "has no model 'fake' (HTTP 404: model \"fake\" not found, try pulling it first); pull it (Ollama: "
          "`ollama pull fake`) or set llm.model to a model it serves"),
])
def test_a_refused_key_or_an_unknown_model_stops_at_once(server, status, words):
    server.model = lambda request: Response(
        status=status, body=b'{"error": {"message": "model \\"fake\\" not found, try pulling it first"}}')
    with pytest.raises(EngineError) as caught:
        _run(server, concurrency=1)
    assert words in str(caught.value)
    assert server.chat_requests == 1


def test_a_refused_key_names_the_setting_that_holds_it(server):
    """With a key set, a 401 is about that key; without one (above), it says how to give one."""
    server.model = lambda request: Response(status=401, body=b'{"error": {"message": "Invalid API Key"}}')
    with pytest.raises(EngineError) as caught:
        _run(server, concurrency=1, api_key="sk-wrong-key-1234")
    assert "check the API key in the environment variable llm.api_key_env names" in str(caught.value)
    assert "sk-wrong" not in str(caught.value)
