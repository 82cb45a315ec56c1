"""An LLM server's answer is untrusted input (issue 26 §1): each class of hostile answer, and what must hold.

Whatever a server sends — control characters, invented markup, 10 MB, an endless
or gzip-bombed body, a body dribbled a byte at a time, JSON nested 200,000 deep, an
error that echoes the key — the build ends within its bounds, in one line when it
stops, and nothing it writes (PO store, translation files, HTML, EPUB) carries it.
"""

from __future__ import annotations

import base64
import json
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from llmtools import FAST, API_KEY, Response, article, bitext, engine, glossary, make_project

from translate.errors import EngineError
from translate.postedit.store import StoreSegment, read_store, render_store
from translate.quality import segment_flags
from translate.models import Segment
from translate.resources import default_templates
from translate.translation.llm import LLMEngine
from translate.translation.llm_client import answer_bytes_limit
from translate.translation.llm_prompt import Prompt
from translate.translation.translator import translate_articles
from translate.translation.untrusted import english_limit, screen_english

hostile = pytest.mark.hostile("llm")

SENTENCE = "周明认为大模型很重要。"


def _translate(server, *paragraphs, **options):
    llm = engine(server, **options)
    (out,) = translate_articles([article("a", *(paragraphs or (SENTENCE,)), title="周明")], llm, glossary(),
                                memory_path=None)
    return llm, out


def _segments(out):
    return [out.title, *(s for b in out.blocks for s in b.segments)]


def _always(english_of):
    """A model answering every sentence asked with ``english_of(right English)``."""
    def model(request):
        return request.reply({n: english_of(en) for n, en in request.right().items()})
    return model


def _http(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


# --- control characters -----------------------------------------------------------------------------------------

POISONS = {
    "ansi": "\x1b[2J\x1b]0;PWNED\x07 cleared ",
    "nul": "\x00 nul ",
    "form-feed": "\x0c\x0b feed ",
    "c1": "\x9b31m\x85\x90 c1 ",
    "bidi": "\u202e\u2066reversed\u2069\u200b ",
    "tags": "\U000e0049\U000e0047\U000e004e hidden ",
}


#: Every character of the poisons that must be gone (their letters may stay as text).
GONE = set("\x00\x07\x0b\x0c\x1b\x85\x90\x9b\u200b\u202e\u2066\u2069\U000e0049\U000e0047\U000e004e")


def _unsafe(text: str) -> list[str]:
    return [c for c in text if c in GONE]


@hostile
@pytest.mark.parametrize("poison", sorted(POISONS))
def test_control_characters_in_an_answer_reach_no_file_and_no_page(server, api_key, tmp_path, poison):
    server.model = _always(lambda en: en.replace(" ", f" {POISONS[poison]}", 1))
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    written = [p for p in [*(project / "build").rglob("*"), *(project / "corpus").glob("*.po")]
               if p.is_file() and p.suffix in (".po", ".json", ".html", ".epub")]
    assert any(p.suffix == ".po" for p in written) and any(p.suffix == ".epub" for p in written)
    for path in written:
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for name in book.namelist():
                    if name.endswith((".xhtml", ".opf", ".ncx")):
                        ElementTree.fromstring(book.read(name))  # well-formed XML
                        assert _unsafe(book.read(name).decode("utf-8")) == [], name
        else:
            assert _unsafe(path.read_text(encoding="utf-8")) == [], path
    # The stores stay readable by every later command, and the report says what was removed.
    status = bitext(project, "postedit", "status")
    assert status.exit_code == 0, status.output
    assert bitext(project, "build", "--engine", "llm", "--no-pdf").exit_code == 0
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    screened = [f for row in report["articles"] for f in row["flags"] if f["kind"] == "screened"]
    assert screened and all("control or invisible characters removed" in f["detail"] for f in screened)


@hostile
def test_control_characters_are_sent_back_first(server):
    server.model = lambda request: request.reply(
        {n: ("\x1b[31m" if request.turn == 1 else "") + en for n, en in request.right().items()})
    llm, out = _translate(server)
    assert llm.counts.corrections >= 1
    assert any("control or invisible characters" in r.last_user for r in server.requests if r.turn > 1)
    assert all(not s.screened and "\x1b" not in s.en for s in _segments(out))


@hostile
def test_every_engines_output_passes_the_screen():
    class Writer:
        """A sentence engine (no LLM) whose output carries NUL, ESC and a bidi override."""
        name, model_id, options, capabilities = "fake", "poison", "", frozenset()

        def translate(self, sentences):
            return ["\x00Lorem\x1b[2J \u202eipsum " + s for s in sentences]

        def hypotheses(self, sentences, n):
            return [[e] for e in self.translate(sentences)]

    (out,) = translate_articles([article("a", SENTENCE, title="周明")], Writer(), glossary(), memory_path=None)
    for segment in _segments(out):
        assert segment.en.startswith("Lorem ipsum") and segment.screened
        assert [f["kind"] for f in segment_flags(segment)][0] == "screened"


@hostile
def test_a_po_store_written_with_a_poisoned_machine_draft_stays_readable(tmp_path):
    store = tmp_path / "a.en.po"
    draft = "Lorem\x00 \x1b[2J\x0c\u2028ipsum\x85"
    store.write_text(render_store("a", [StoreSegment("b001.s1", "周明。", draft=draft)], {}, []), encoding="utf-8")
    (entry,) = read_store(store)
    assert entry.id == "b001.s1" and "machine: Lorem ipsum" in store.read_text(encoding="utf-8")


@hostile
def test_lone_surrogates_in_an_answer_are_dropped_before_anything_is_written(server, tmp_path):
    raw = json.dumps({"translations": [{"n": 1, "en": "Lorem \ud800ipsum \udfff dolor sit amet consectetur."}]})
    server.model = lambda request: Response(content=raw)
    llm = engine(server)
    (out,) = translate_articles([article("a", SENTENCE, title="周明")], llm, glossary(),
                                memory_path=tmp_path / "memory.sqlite")  # the memory could not encode them
    assert all(s.en.startswith("Lorem ipsum") for s in _segments(out))


@hostile
def test_a_key_the_server_writes_into_its_answer_is_not_published(server):
    server.model = _always(lambda en: f"{en} {API_KEY}")
    _, out = _translate(server, api_key=API_KEY)
    assert all(API_KEY not in s.en and "[redacted]" in s.en for s in _segments(out))


@hostile
@pytest.mark.parametrize("line", ["*" * 40_000 + "x", "1. a" + " " * 40_000 + "b"], ids=["stars", "spaces"])
def test_a_line_built_to_make_the_answer_reader_backtrack_costs_linear_time(line):
    from translate.translation.llm_prompt import _NUMBERED

    started = time.monotonic()
    _NUMBERED.match(line)
    assert time.monotonic() - started < 2  # a few milliseconds; 40,000 stars took 20 s, 40,000 spaces 5 s


@hostile
def test_content_in_parts_or_of_another_type_is_read_or_refused(server):
    def parts(request):
        english = json.dumps({"translations": [{"n": n, "en": en} for n, en in request.right().items()]})
        return Response(body=json.dumps({"choices": [{"message": {"content": [
            {"type": "text", "text": english[:10]}, {"type": "text", "text": english[10:]}]},
            "finish_reason": "stop"}]}).encode())

    server.model = parts
    _, out = _translate(server)
    assert all(s.en.startswith("Lorem") for s in _segments(out))
    server.model = lambda request: Response(body=b'{"choices": [{"message": {"content": {"en": 1}}}]}')
    with pytest.raises(EngineError) as caught:
        _translate(server, http_retries=0)
    assert "sent a reply that is not a chat completion, 1 time in a row" in str(caught.value)


# --- markup ----------------------------------------------------------------------------------------------------

@hostile
def test_a_link_the_engine_invents_is_not_published(server, api_key, tmp_path):
    server.model = _always(lambda en: "[Lorem](https://evil.example/phish) " + en.removeprefix("Lorem "))
    project = make_project(tmp_path / "project", server)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 0, result.output
    pages = "".join(p.read_text(encoding="utf-8") for p in (project / "build" / "html").rglob("*.html"))
    assert "evil.example" not in pages
    # The model was told the import's rule, then the English was kept as plain text and flagged.
    assert any("link markup differs" in r.last_user for r in server.requests if r.turn > 1)
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    flags = [f for row in report["articles"] for f in row["flags"] if f["kind"] == "screened"]
    assert flags and all("link markup differs" in f["detail"] and "kept as plain text" in f["detail"]
                         for f in flags)


@hostile
@pytest.mark.parametrize("invented", ["**Lorem** ", "`Lorem` ", "~~Lorem~~ ", "*Lorem* "],
                         ids=["bold", "code", "strikethrough", "italic"])
def test_emphasis_the_source_has_not_is_dropped_and_its_text_kept(invented):
    screened = screen_english(SENTENCE, invented + "ipsum \\* dolor.")
    assert screened.en == "Lorem ipsum \\* dolor." and len(screened.changes) == 1
    assert screen_english(SENTENCE, screened.en) == (screened.__class__(screened.en, ()))  # idempotent


def test_markup_the_source_has_is_kept():
    zh = "因为**大模型**会成为[基础设施](https://example.com)。"
    en = "Because **large models** will become [infrastructure](https://example.com)."
    assert screen_english(zh, en).en == en and not screen_english(zh, en).changes


# --- size ----------------------------------------------------------------------------------------------------------

def _big_answer(size: int):
    filler = "lorem ipsum dolor sit amet " * (size // 27 + 1)

    def model(request):
        return request.reply({n: en + " " + filler[:size] for n, en in request.right().items()})
    return model


@hostile
@pytest.mark.parametrize("size", [300_000, 10_000_000])
def test_an_answer_far_longer_than_its_request_is_refused_and_bounded(server, size):
    server.model = _big_answer(size)
    tracemalloc.start()
    started = time.monotonic()
    try:
        llm, out = _translate(server)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < 60  # a ceiling far above the ~1 s it takes; it took 200 s+ in quality's loop check
    assert peak < 200 * 2**20  # the 10 MB answers are read once each, never held in copies
    for segment in _segments(out):
        assert len(segment.en) <= english_limit(segment.zh)
    assert llm.counts.corrections >= 1  # sent back: far longer than a translation of the request


def _endless(write, chunk=b"lorem ipsum " * 5000):
    write(_http("200 OK", {"Content-Type": "application/json"}) + b'{"choices": [{"message": {"content": "')
    while True:
        write(chunk)


@hostile
def test_an_endless_body_is_read_only_up_to_the_cap(server):
    """Stands for a 300 MB answer: reading stops at the cap, whatever the server would still send."""
    server.model = lambda request: Response(stream=_endless)
    tracemalloc.start()
    try:
        llm, out = _translate(server, timeout=20.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    cap = answer_bytes_limit(llm.max_tokens)
    requests = server.chat_requests
    # Each request stopped near the cap (socket buffers hold a few MB more), not after 300 MB.
    assert server.sent_bytes < requests * (cap + 16 * 2**20)
    assert peak < 64 * 2**20
    assert all(s.en == "" for s in _segments(out))  # refused: nothing of it is kept, and each is flagged empty


def _gzip_bomb(write):
    """An endless gzip body: every 1 KB piece inflates to 1 MB of zeros."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"0" * 2**20
    first = squeeze.compress(b'{"choices": [{"message": {"content": "' + zeros) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(zeros) + squeeze.flush(zlib.Z_FULL_FLUSH)
    write(_http("200 OK", {"Content-Type": "application/json", "Content-Encoding": "gzip"}) + first)
    while True:
        write(again * 64)


@hostile
def test_a_gzip_bomb_stops_at_the_cap_counted_decoded(server):
    server.model = lambda request: Response(stream=_gzip_bomb)
    tracemalloc.start()
    started = time.monotonic()
    try:
        llm, out = _translate(server, timeout=20.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 60
    assert peak < 64 * 2**20  # it reached 8.5 GB, then MemoryError
    # What the sockets' buffers took before each request stopped: a few MB of gzip, gigabytes inflated.
    assert server.sent_bytes < server.chat_requests * 16 * 2**20
    assert all(s.en == "" for s in _segments(out))


@hostile
def test_a_content_coding_not_asked_for_is_one_line(server):
    server.model = lambda request: Response(body=b"\x1b\x00garbage", headers={"Content-Encoding": "br"})
    with pytest.raises(EngineError) as caught:
        _translate(server, http_retries=0)
    assert "sent a reply that cannot be read: it used a content coding not asked for (br)" in str(caught.value)
    assert server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


class _CountingPattern:
    """A compiled pattern that counts the matches it hands out."""

    def __init__(self, pattern):
        self.pattern, self.matches = pattern, 0

    def finditer(self, text):
        for match in self.pattern.finditer(text):
            self.matches += 1
            yield match

    def findall(self, text):
        found = self.pattern.findall(text)
        self.matches += len(found)
        return found


@hostile
def test_one_sentence_costs_the_checks_little_whatever_its_length(monkeypatch):
    from translate import quality

    words = _CountingPattern(quality._WORD)
    monkeypatch.setattr(quality, "_WORD", words)
    english = " ".join(f"word{i}" for i in range(1_500_000))  # 10 MB of English without a loop
    segment = Segment(id="s1", zh="周明认为大模型很重要，他说了很多很多话。", zh_original="", en=english, engine="llm")
    started = time.monotonic()
    flags = segment_flags(segment)
    assert time.monotonic() - started < 30  # far above the 0.1 s it takes; the probe's 10 MB took 200 s+
    assert words.matches <= quality.MAX_LOOP_WORDS  # the loop check read 1.5 million words
    assert [f["kind"] for f in flags] == ["too_long"]


# --- time --------------------------------------------------------------------------------------------------------

def _dribble_body(write):
    write(_http("200 OK", {"Content-Type": "application/json"}))
    while True:
        write(b" ")
        time.sleep(0.05)


def _dribble_headers(write):
    for byte in _http("200 OK", {"Content-Type": "application/json", "Content-Length": "10"}):
        write(bytes([byte]))
        time.sleep(0.05)
    while True:
        write(b" ")
        time.sleep(0.05)


def _event_stream(write):
    write(_http("200 OK", {"Content-Type": "text/event-stream"}))
    while True:
        chunk = {"choices": [{"delta": {"content": "Lorem "}, "finish_reason": None}]}
        write(f"data: {json.dumps(chunk)}\n\n".encode())
        time.sleep(0.02)


@hostile
@pytest.mark.parametrize("stream", [_dribble_body, _dribble_headers, _event_stream],
                         ids=["dribbled-body", "dribbled-headers", "endless-event-stream"])
def test_a_request_ends_at_llm_timeout_however_the_server_sends(server, stream):
    server.model = lambda request: Response(stream=stream)
    started = time.monotonic()
    with pytest.raises(EngineError) as caught:
        _translate(server, timeout=0.5, http_retries=1, backoff=0.0)
    elapsed = time.monotonic() - started
    assert "gave no answer within 0.5 s (llm.timeout), 2 times in a row" in str(caught.value)
    assert elapsed < 10  # two tries of 0.5 s; it never ended before


# --- nesting -------------------------------------------------------------------------------------------------------

@hostile
def test_a_body_nested_200000_deep_is_one_line(server):
    server.model = lambda request: Response(body=b"[" * 200_000)
    with pytest.raises(EngineError) as caught:
        _translate(server, http_retries=1, backoff=0.0)
    assert "sent a reply that is not a chat completion, 2 times in a row" in str(caught.value)


@hostile
def test_content_nested_200000_deep_is_an_answer_that_cannot_be_read(server):
    server.model = lambda request: Response(content="[" * 200_000)
    llm, out = _translate(server)
    assert llm.counts.flagged >= 1  # salvaged and flagged, never a RecursionError
    for segment in _segments(out):
        assert len(segment.en) <= english_limit(segment.zh)


# --- secrets -------------------------------------------------------------------------------------------------------

def _echo_authorization(request):
    """A server whose 401 quotes the Authorization header it got, whole and in part."""
    header = request.headers.get("Authorization", "")
    message = f"Invalid API key: {header} (key {header.split()[-1][4:20]}…)"
    return Response(status=401, body=json.dumps({"error": {"message": message}}).encode())


def _engine_at(url: str, **options) -> LLMEngine:
    return LLMEngine(base_url=url, model="fake", prompt=Prompt(default_templates(), "translate.j2"),
                     **{**FAST, **options})


@hostile
def test_a_key_the_server_echoes_is_not_printed(server):
    server.model = _echo_authorization
    with pytest.raises(EngineError) as caught:
        _translate(server, api_key=API_KEY)
    message = str(caught.value)
    assert "refused the request (HTTP 401: Invalid API key: [redacted] (key [redacted]" in message
    assert API_KEY not in message and API_KEY[4:20] not in message and API_KEY[-8:] not in message


@hostile
def test_url_credentials_the_server_echoes_are_not_printed(server):
    server.model = _echo_authorization
    llm = _engine_at(server.url.replace("://", "://editor:s%3Acret-pass@"))
    with pytest.raises(EngineError) as caught:
        translate_articles([article("a", SENTENCE, title="周明")], llm, glossary(), memory_path=None)
    message = str(caught.value)
    sent = server.requests[0].headers["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"editor:s:cret-pass").decode()
    for secret in ("s:cret-pass", "s%3Acret-pass", sent.split()[1], sent.split()[1][4:20]):
        assert secret not in message
    assert (f"the LLM server at {server.url} refused the request (HTTP 401: Invalid API key: Basic [redacted] "
            f"(key [redacted]") in message


@hostile
def test_with_url_credentials_and_a_key_only_the_bearer_header_is_sent(server):
    llm = _engine_at(server.url.replace("://", "://editor:secret@"), api_key=API_KEY)
    translate_articles([article("a", SENTENCE, title="周明")], llm, glossary(), memory_path=None)
    assert {r.headers["Authorization"] for r in server.requests} == {f"Bearer {API_KEY}"}
    assert any("only the API key is sent (Authorization: Bearer)" in w for w in llm.warnings)


# --- base_url ------------------------------------------------------------------------------------------------------

@hostile
@pytest.mark.parametrize(("url", "why"), [
    ("http://[::1", "is not a URL (Invalid IPv6 URL)"),
    ("http://127.0.0.1\u0000:8080/v1", "holds a control character or a space"),
    ("http://127.0.0.1:99999/v1", "is not a URL (Port out of range 0-65535)"),
    ("file:///etc/passwd", "must start with http:// or https://"),
    ("http://" + "a" * 300 + "/v1", "has a host name that cannot be looked up (encoding with 'idna' codec failed "
                                    "(UnicodeError: label too l)"),
    ("http://user:pass@/v1", "has no host"),
], ids=["unclosed-ipv6", "nul", "port", "file", "long-label", "no-host"])
def test_a_broken_base_url_is_one_line_naming_edition_toml(server, api_key, tmp_path, url, why):
    """Never quoting the URL (it may hold credentials)."""
    project = make_project(tmp_path / "project", server, base_url=url)
    result = bitext(project, "build", "--engine", "llm", "--no-pdf")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {project.resolve() / 'edition.toml'}: 'llm.base_url' {why}; write it "
                                     f"as http://host:port/v1")
    assert server.chat_requests == 0


# --- what a real llama.cpp server answers ------------------------------------------------------------------------

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-servers" / "llama-server" / "recorded"


@pytest.mark.skipif(not REAL.is_dir(), reason="no recorded llama-server exchanges in this checkout")
def test_the_bounded_reader_reads_what_a_real_llama_server_sends(server):
    """Every recorded llama-server answer, replayed byte for byte, reads as the content it carried."""
    exchanges = [json.loads(line) for path in sorted(REAL.glob("*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers = [e for e in exchanges if e.get("status") == 200 and "choices" in (e.get("response") or {})]
    assert answers
    from translate.translation.llm_client import ChatClient

    client = ChatClient(server.url, model="fake", api_key=None, timeout=5.0, http_retries=0, backoff=0.0,
                        concurrency=1)
    try:
        for exchange in answers:
            body = json.dumps(exchange["response"], ensure_ascii=False).encode("utf-8")
            server.model = lambda request, body=body: Response(body=body)
            reply = client.complete([{"role": "user", "content": "x"}], schema=None, temperature=0.0, seed=0,
                                    max_tokens=exchange["request"].get("max_tokens", 4096))
            choice = exchange["response"]["choices"][0]
            assert reply.content == choice["message"]["content"]
            assert reply.truncated == (choice["finish_reason"] == "length") and not reply.refused
    finally:
        client.close()


@pytest.mark.skipif(not REAL.is_dir(), reason="no recorded llama-server exchanges in this checkout")
def test_a_real_servers_context_overflow_is_one_line_not_a_refused_schema(server):
    """llama-server's HTTP 400 exceed_context_size_error (recorded with -c 384) used to be read as a refused schema."""
    overflow = next(json.loads(line) for line in (REAL / "ctx384.jsonl").read_text(encoding="utf-8").splitlines()
                    if json.loads(line)["status"] == 400)
    server.model = lambda request: Response(status=400, body=json.dumps(overflow["response"]).encode("utf-8"))
    with pytest.raises(EngineError) as caught:
        _translate(server)
    assert str(caught.value).startswith(
        f"the request is longer than the context of the LLM server at {server.url} (HTTP 400: request (724 tokens) "
        f"exceeds the available context size (512 tokens), try increasing it); give the server a larger context")
    assert server.chat_requests == 1


@hostile
def test_a_host_name_the_resolver_refuses_is_one_line(server):
    llm = _engine_at("http://xn--/v1")
    with pytest.raises(EngineError) as caught:
        translate_articles([article("a", SENTENCE, title="周明")], llm, glossary(), memory_path=None)
    assert str(caught.value).startswith("llm.base_url cannot be used (")


@hostile
@pytest.mark.parametrize("key", ["sk-abc\ndef", "sk-\u00e9t\u00e9", "sk abc", "sk-\x00x"],
                         ids=["line-break", "non-ascii", "space", "nul"])
def test_a_key_a_header_cannot_carry_is_one_line_that_does_not_quote_it(server, key):
    with pytest.raises(EngineError) as caught:
        _translate(server, api_key=key)
    assert "holds characters an HTTP header cannot carry" in str(caught.value)
    assert key not in str(caught.value) and "abc" not in str(caught.value)
    assert server.chat_requests == 0


@pytest.mark.skipif(not REAL.is_dir(), reason="no recorded llama-server exchanges in this checkout")
def test_a_real_servers_json_cut_at_max_tokens_never_becomes_the_english(server):
    """llama-server with max_tokens 16 (recorded) answered ``{"translations" : [``: it was kept as the English."""
    cut = [json.loads(line)["response"] for line in (REAL / "len.jsonl").read_text(encoding="utf-8").splitlines()
           if json.loads(line)["status"] == 200]
    assert {json.loads(line)["request"]["max_tokens"] for line in (REAL / "len.jsonl").read_text(
        encoding="utf-8").splitlines()} == {16}
    server.model = lambda request: Response(body=json.dumps(cut[(request.number - 1) % len(cut)]).encode("utf-8"))
    llm, out = _translate(server, max_tokens=16)
    assert all(s.en == "" for s in _segments(out)) and llm.counts.flagged == len(_segments(out))
    assert all(s.failed for s in _segments(out))
    assert any("cut off at llm.max_tokens = 16: raise llm.max_tokens" in w for w in llm.warnings)


def test_a_json_answer_salvaged_gives_its_english_or_nothing():
    from translate.translation.llm_prompt import salvage

    assert salvage('{"translations": [{"n": 1, "en": "Lorem \\"ipsum\\" dolor') == 'Lorem "ipsum" dolor'
    assert salvage('```json\n{"translations" : [\n') == ""
    assert salvage("Here is the translation:\n1. Lorem ipsum.") == "Lorem ipsum."
