"""The LLM engine against the error shapes of the servers users run (issue 31).

Each answer body is built as that server writes it (the file and function are named in
each test's docstring; LM Studio and OpenAI are closed, so their shapes are the ones
their users quote in public issue threads, and the OpenAI Python client reads), then
served by the tests' server on 127.0.0.1. What each maps to, and what the user is told
to change, is the table in the "LLM servers" section of docs/engines.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from llmtools import Response, article, engine, glossary, right_model

from translate.errors import EngineError
from translate.translation.llm_client import ServerError, token_floor
from translate.translation.translator import translate_articles

TWO = "周明创立了澜舟科技。他认为大模型很重要。"


def _run(server, *paragraphs, **options):
    llm = engine(server, **options)
    (out,) = translate_articles([article("a", *(paragraphs or (TWO,)), title="周明")], llm, glossary(),
                                memory_path=None)
    return llm, out


def _fails(server, **options) -> str:
    """The one-line error a build stops with."""
    with pytest.raises(EngineError) as caught:
        _run(server, concurrency=1, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _error(status: int, payload, headers: dict | None = None) -> Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    return Response(status=status, body=body, headers=headers or {})


def _positional(request) -> bool:
    """Whether the request carries the per-position schema (``prefixItems``)."""
    schema = request.body.get("response_format", {}).get("json_schema", {}).get("schema", {})
    return "prefixItems" in schema.get("properties", {}).get("translations", {})


def _openai(message: str, type: str, code: str | None = None, param: str | None = None) -> dict:
    """OpenAI's error object (openai-python ``_exceptions.APIStatusError`` reads ``body["error"]``)."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def _ollama(message: str, status: int) -> dict:
    """ollama/ollama openai/openai.go ``NewError``: the type follows the status, param and code null."""
    kind = {400: "invalid_request_error", 404: "not_found_error"}.get(status, "api_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _vllm(message: str, type: str, code: int, param: str | None = None) -> dict:
    """vllm-project/vllm entrypoints/openai/engine/serving.py ``create_error_response``: ErrorResponse(error=ErrorInfo)."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


# --- Ollama ---------------------------------------------------------------------------------------------------------

def test_ollama_unknown_model_says_ollama_pull(server):
    """server/routes.go ``ChatHandler``: getModel fails with os.IsNotExist → 404 "model 'fake' not found",
    rewritten by middleware/openai.go ``BaseWriter.writeError`` into ``NewError(404, …)``."""
    server.model = lambda request: _error(404, _ollama("model 'fake' not found", 404))
    message = _fails(server)
    assert "has no model 'fake' (HTTP 404: model 'fake' not found); pull it (Ollama: `ollama pull fake`)" in message
    assert server.chat_requests == 1


def test_ollama_go_runner_refusing_a_schema_with_500_steps_down_instead_of_retrying(server):
    """llm/server.go ``Completion`` (the Go runners, before ollama 9db4bdbad): a schema its grammar converter
    cannot take is ``fmt.Errorf("invalid JSON schema in format")`` with no status → ChatHandler sends 500 →
    ``NewError(500, …)``, type api_error. Played here for the per-position schema."""
    def model(request):
        if _positional(request):
            return _error(500, _ollama("invalid JSON schema in format", 500))
        return right_model(request)

    server.model = model
    llm, out = _run(server, http_retries=2)
    assert llm.client.retries == 0 and llm.client.dialects == ["numbers"]
    assert all(s.en.startswith("Lorem") for b in out.blocks for s in b.segments)
    assert any("refused the per-position JSON schema (positional: HTTP 500: invalid JSON schema in format)" in w
               for w in llm.warnings)


def test_ollama_quoting_its_llama_server_context_error_is_read_through(server):
    """llm/llama_server.go ``Chat``: a llama-server error becomes ``api.StatusError{400, statusErrorMessage(body)}``,
    the runner's whole JSON body as the message; server/routes.go ``writeChatResponse`` → ``NewError(400, body)``."""
    inner = {"error": {"code": 400, "message": "request (5000 tokens) exceeds the available context size (4096 "
                                                "tokens), try increasing it",
                       "type": "exceed_context_size_error", "n_prompt_tokens": 5000, "n_ctx": 4096}}
    server.model = lambda request: _error(400, _ollama(json.dumps(inner), 400))
    message = _fails(server)
    assert ("(HTTP 400: request (5000 tokens) exceeds the available context size (4096 tokens), try increasing it)"
            in message)
    assert "Ollama num_ctx" in message and server.chat_requests == 1


def test_ollama_prompt_longer_than_its_context_is_a_context_error_not_a_refused_schema(server):
    """llm/llama_server.go ``completionPromptForRequest`` with context shift off: ``api.StatusError{400, "the prompt
    is longer than the context length currently available to the model; …"}`` → ``NewError(400, …)``."""
    server.model = lambda request: _error(400, _ollama(
        "the prompt is longer than the context length currently available to the model; shorten the prompt, adjust "
        "the context length in settings, or use a model with a longer context length", 400))
    message = _fails(server)
    assert message.startswith(f"the request is longer than the context of the LLM server at {server.url}")
    assert "Ollama num_ctx" in message and 'llm.context = "sentence"' in message
    assert server.chat_requests == 1  # not taken for a refused schema: no step down, no numbered lines


def test_ollama_cutting_a_long_prompt_to_num_ctx_is_warned(server):
    """runner/ollamarunner/runner.go ``NewSequence`` (before 9db4bdbad): a prompt longer than num_ctx is cut to
    num_ctx tokens ("truncating input prompt" in the log only) and ``numPromptInputs`` = num_ctx is what
    openai/openai.go ``ToUsage`` reports as prompt_tokens: here num_ctx 512 for ~2,400 Chinese characters."""
    long = "".join(f"第{n}段说周明认为大模型未来会成为某种基础设施，澜舟科技要把它讲清楚。" for n in range(70))
    assert len(long) > 2400

    def cut(request):
        answer = right_model(request)
        return Response(content=answer.content, usage={"prompt_tokens": min(512, len(json.dumps(request.body)) // 4),
                                                       "completion_tokens": 100})

    server.model = cut
    llm, _ = _run(server, long)
    (warning,) = [w for w in llm.warnings if "shorter than they were sent" in w]
    assert "(512 prompt tokens counted, at least" in warning and "num_ctx" in warning
    assert llm.client.clipped == 1  # the long block only; the title fits


def test_ollama_dropping_the_first_turn_of_a_correction_is_warned(server):
    """server/prompt.go ``chatPrompt``: messages that do not fit num_ctx are dropped from the front, keeping the
    system message and the last one; the correction turn then counts fewer tokens than the turn it repeats."""
    def dropping(request):
        english = request.right()
        if request.turn == 1:  # the first answer leaves out "large model": a correction follows
            english = {n: en.replace("large model", "big model") for n, en in english.items()}
            return request.reply(english, usage={"prompt_tokens": token_floor(request.messages) + 2000,
                                                 "completion_tokens": 30})
        return request.reply(english, usage={"prompt_tokens": token_floor(request.messages) + 1,
                                             "completion_tokens": 30})

    server.model = dropping
    llm, out = _run(server)
    assert llm.counts.corrections >= 1
    assert any("prompt tokens counted for a turn that repeats the previous one's" in w for w in llm.warnings)


def test_ollama_length_from_a_full_context_says_num_ctx(server):
    """openai/openai.go ``ToChatCompletion``: finish_reason is the runner's DoneReason ("length" when llama-server
    stops at its limit, llm/llama_server.go ``Completion``: StopType "limit"), usage from ``ToUsage``: here the
    context (num_ctx 2048) filled after 48 answer tokens of the 4096 asked for."""
    server.model = lambda request: Response(content='{"translations": [{"n": 1, "en": "Zhou', finish_reason="length",
                                            usage={"prompt_tokens": 2000, "completion_tokens": 48})
    message = _fails(server, max_tokens=4096)
    assert "ran out of context before its answer was complete (2000 tokens of request and 48 of answer)" in message
    assert "Ollama num_ctx" in message


def test_the_floor_is_below_every_count_a_real_llama_server_made():
    """The recorded llama-server (the real Qwen2 tokenizer) counted 2.5 to 3.1 times :func:`token_floor` for every
    answer: a count below the floor is never an ordinary one."""
    recorded = Path(__file__).resolve().parents[3] / "shared" / "real-servers" / "llama-server" / "recorded"
    if not recorded.is_dir():
        pytest.skip("no recorded llama-server exchanges in this checkout")
    ratios = []
    for path in sorted(recorded.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            exchange = json.loads(line) if line.strip() else {}
            counted = exchange.get("response", {}).get("usage", {}).get("prompt_tokens") if exchange.get(
                "status") == 200 else None
            if counted is not None:
                ratios.append(counted / token_floor(exchange["request"]["messages"]))
    assert len(ratios) > 50 and min(ratios) > 2


@pytest.mark.parametrize("usage", [None, {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}])
def test_a_server_counting_the_whole_prompt_or_nothing_is_never_warned(server, usage):
    """The tests' server counts the request's bytes / 4 (llama-server, vLLM and OpenAI count every token); a proxy
    that counts nothing says 0, which is no count at all."""
    if usage is not None:
        server.model = lambda request: Response(content=right_model(request).content, usage=usage)
    llm, _ = _run(server)
    assert llm.client.clipped == 0 and not any("shorter than they were sent" in w for w in llm.warnings)


def test_a_base_url_without_the_api_root_is_named(server):
    """gin's default 404 (Ollama, any unknown path such as a base_url without /v1) is ``404 page not found``."""
    server.model = lambda request: _error(404, b"404 page not found")
    message = _fails(server)
    assert "has no chat/completions endpoint (HTTP 404: 404 page not found); set llm.base_url" in message


# --- vLLM -------------------------------------------------------------------------------------------------------------

def test_vllm_prompt_over_max_model_len(server):
    """entrypoints/openai/engine/serving.py ``OpenAIServing._validate_input``: VLLMValidationError(parameter=
    "input_tokens") → ``create_error_response``: 400 BadRequestError."""
    server.model = lambda request: _error(400, _vllm(
        "This model's maximum context length is 4096 tokens. However, your request has 5000 input tokens. Please "
        "reduce the length of the input messages.", "BadRequestError", 400, "input_tokens"))
    message = _fails(server)
    assert "vLLM --max-model-len" in message and "llm.max_tokens" not in message
    assert server.chat_requests == 1


def test_vllm_max_tokens_over_what_the_context_leaves_says_lower_max_tokens(server):
    """The same ``_validate_input``: prompt + max_tokens > max_model_len is refused before anything is generated
    (parameter "max_tokens"): the engine's default max_tokens 4096 against --max-model-len 4096 refuses every request."""
    server.model = lambda request: _error(400, _vllm(
        "'max_tokens' or 'max_completion_tokens' is too large: 4096. This model's maximum context length is 4096 "
        "tokens and your request has 812 input tokens (4096 > 4096 - 812).", "BadRequestError", 400, "max_tokens"))
    message = _fails(server, max_tokens=4096)
    assert "the 4096 tokens llm.max_tokens keeps for its answer do not fit the context" in message
    assert "lower llm.max_tokens in edition.toml, or give the server a larger context" in message


def test_vllm_before_0_11_wrote_its_error_at_the_top_level(server):
    """entrypoints/openai/serving_engine.py ``_validate_input`` (vLLM ≤ 0.10): ValueError → ``ErrorResponse``
    with object "error" and message, type, param, code at the top level; the message counts the completion."""
    server.model = lambda request: _error(400, {
        "object": "error", "message": "This model's maximum context length is 2048 tokens. However, you requested "
        "4900 tokens (804 in the messages, 4096 in the completion). Please reduce the length of the messages or "
        "completion.", "type": "BadRequestError", "param": None, "code": 400})
    message = _fails(server)
    assert "(HTTP 400: This model's maximum context length is 2048 tokens." in message
    assert "lower llm.max_tokens" in message


def test_vllm_unknown_model_says_served_model_name(server):
    """entrypoints/openai/engine/serving.py ``OpenAIServing._check_model``: 404 NotFoundError, param "model"."""
    server.model = lambda request: _error(404, _vllm("The model `fake` does not exist.", "NotFoundError", 404,
                                                     "model"))
    message = _fails(server)
    assert "(HTTP 404: The model `fake` does not exist.); start vLLM with --served-model-name fake" in message


def test_vllm_xgrammar_refusing_the_schema_steps_down(server):
    """v1/structured_output/backend_xgrammar.py ``validate_xgrammar_grammar``: VLLMValidationError "The provided
    JSON schema contains features not supported by xgrammar." → 400 BadRequestError (played for prefixItems)."""
    def model(request):
        if _positional(request):
            return _error(400, _vllm("The provided JSON schema contains features not supported by xgrammar.",
                                     "BadRequestError", 400))
        return right_model(request)

    server.model = model
    llm, out = _run(server)
    assert llm.client.dialects == ["numbers"] and all(s.en for b in out.blocks for s in b.segments)


# --- LM Studio ---------------------------------------------------------------------------------------------------------

def test_lm_studio_context_overflow_as_a_plain_string(server):
    """LM Studio's 400 ``{"error": "The number of tokens to keep from the initial prompt is greater than the context
    length (n_keep: … >= n_ctx: …). …"}`` (lmstudio-bug-tracker #2205, #546; quoted whole in openclaude #353)."""
    server.model = lambda request: _error(400, {"error": (
        "The number of tokens to keep from the initial prompt is greater than the context length (n_keep: 13055>= "
        "n_ctx: 4096). Try to load the model with a larger context length, or provide a shorter input.")})
    message = _fails(server)
    assert "(HTTP 400: The number of tokens to keep from the initial prompt is greater than the context" in message
    assert "LM Studio's context length" in message and server.chat_requests == 1


def test_lm_studio_with_no_model_loaded_says_load_it(server):
    """LM Studio's 400 ``{"error": "No models loaded. Please load a model in the developer page or use the 'lms load'
    command."}`` (quoted in gpt-researcher #1556; lmstudio-bug-tracker #1730 shows it as an error object)."""
    server.model = lambda request: _error(400, {"error": "No models loaded. Please load a model in the developer "
                                                         "page or use the 'lms load' command."})
    message = _fails(server)
    assert "has no model 'fake' (HTTP 400: No models loaded." in message
    assert "load it in LM Studio (`lms load fake`" in message
    assert server.chat_requests == 1  # not three: no schema was refused


def test_lm_studio_invalid_model_identifier(server):
    """LM Studio's 400 model_not_found (gpt-researcher #1556): "Invalid model identifier …", param "model"."""
    server.model = lambda request: _error(400, _openai(
        'Invalid model identifier "fake". Please specify a valid downloaded model (e.g., qwen2.5-7b-instruct).',
        "invalid_request_error", "model_not_found", "model"))
    message = _fails(server)
    assert "load it in LM Studio (`lms load fake`" in message and server.chat_requests == 1


# --- OpenAI and hosted OpenAI-compatible APIs ----------------------------------------------------------------------------

def test_openai_quota_used_up_stops_at_once(server):
    """429 insufficient_quota (NextChat #3664 quotes the body): no wait makes it pass, so it is never tried again."""
    server.model = lambda request: _error(429, _openai(
        "You exceeded your current quota, please check your plan and billing details. For more information on this "
        "error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
        "insufficient_quota", "insufficient_quota"))
    message = _fails(server, http_retries=3)
    assert message.startswith(f"the account's quota is used up at the LLM server at {server.url} (HTTP 429: You "
                              f"exceeded your current quota")
    assert server.chat_requests == 1


def test_openai_rate_limit_waits_as_long_as_the_message_says(server):
    """429 rate_limit_exceeded with "Please try again in 300ms" and no Retry-After header: waited, then answered."""
    seen: list[float] = []

    def limited(request):
        seen.append(time.monotonic())
        if request.number == 1:
            return _error(429, _openai("Rate limit reached for gpt-4o-mini in organization org-x on requests per min "
                                       "(RPM): Limit 3, Used 3, Requested 1. Please try again in 300ms.", "requests",
                                       "rate_limit_exceeded"))
        return right_model(request)

    server.model = limited
    llm, _ = _run(server, concurrency=1, backoff=0.0)
    assert seen[1] - seen[0] >= 0.28 and llm.client.retries == 1


def test_retry_after_ms_is_honoured(server):
    """openai-python ``_base_client._parse_retry_after_header`` reads ``retry-after-ms`` before ``retry-after``
    (Azure OpenAI sends it)."""
    seen: list[float] = []

    def limited(request):
        seen.append(time.monotonic())
        if request.number == 1:
            return _error(429, _openai("Requests to the ChatCompletions_Create Operation have exceeded the rate "
                                       "limit.", "requests", "429"), headers={"retry-after-ms": "350"})
        return right_model(request)

    server.model = limited
    _run(server, concurrency=1, backoff=0.0)
    assert seen[1] - seen[0] >= 0.33


def test_a_request_larger_than_the_per_minute_limit_stops_at_once(server):
    """A 429 "Request too large … tokens per minute (TPM)" (Groq) can never pass by waiting."""
    server.model = lambda request: _error(429, _openai(
        "Request too large for model `llama-3.3-70b-versatile` in organization `org_x` on tokens per minute (TPM): "
        "Limit 12000, Requested 15318, please reduce your message size and try again.", "tokens",
        "rate_limit_exceeded"))
    message = _fails(server)
    assert "larger than the per-minute token limit" in message and server.chat_requests == 1


def test_openai_context_length_exceeded(server):
    """400 context_length_exceeded, param "messages"."""
    server.model = lambda request: _error(400, _openai(
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please "
        "reduce the length of the messages.", "invalid_request_error", "context_length_exceeded", "messages"))
    assert "the request is longer than the context" in _fails(server) and server.chat_requests == 1


def test_openai_unknown_model(server):
    """404 model_not_found: "The model `…` does not exist or you do not have access to it."."""
    server.model = lambda request: _error(404, _openai(
        "The model `fake` does not exist or you do not have access to it.", "invalid_request_error",
        "model_not_found"))
    assert "set llm.model to a model the account may use" in _fails(server)


def test_openai_refusing_a_schema_keyword_steps_down_to_the_numbers_schema(server):
    """400 invalid_request_error naming response_format (strict structured outputs take a subset of JSON Schema)."""
    def model(request):
        if _positional(request):
            return _error(400, _openai("Invalid schema for response_format 'translations': 'prefixItems' is not "
                                       "permitted.", "invalid_request_error", None, "response_format"))
        return right_model(request)

    server.model = model
    llm, out = _run(server)
    assert llm.client.dialects == ["numbers"] and all(s.en for b in out.blocks for s in b.segments)


def test_openai_reasoning_model_refusing_max_tokens_is_asked_with_max_completion_tokens(server):
    """400 unsupported_parameter, param "max_tokens" (quoted whole in ComfyUI-Griptape #312, YPrompt #26: GPT-5,
    o-series): "Use 'max_completion_tokens' instead"."""
    def reasoning(request):
        if "max_tokens" in request.body:
            return _error(400, _openai("Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                                       "'max_completion_tokens' instead.", "invalid_request_error",
                                       "unsupported_parameter", "max_tokens"))
        return right_model(request)

    server.model = reasoning
    llm, out = _run(server, max_tokens=700)
    assert server.chat_requests == 3  # one refused, then the title and the block, each asked once
    assert [r.body.get("max_completion_tokens") for r in server.requests[1:]] == [700, 700]
    assert llm.client.dialects == ["positional", "numbers"]  # not taken for a refused schema
    assert all(s.en for b in out.blocks for s in b.segments)


def test_openai_model_refusing_the_temperature_names_the_setting(server):
    """400 unsupported_value, param "temperature": the reasoning models take only their default (1)."""
    server.model = lambda request: _error(400, _openai(
        "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is "
        "supported.", "invalid_request_error", "unsupported_value", "temperature"))
    message = _fails(server)
    assert "does not take the temperature bitext sends" in message and "set llm.temperature in edition.toml" in message
    assert server.chat_requests == 1


def test_openai_invalid_api_key(server, api_key):
    """401 invalid_api_key: the key is never quoted back, even when the server's message does."""
    server.model = lambda request: _error(401, _openai(
        f"Incorrect API key provided: {api_key}. You can find your API key at "
        f"https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"))
    message = _fails(server, api_key=api_key)
    assert "check the API key in the environment variable llm.api_key_env names" in message
    assert api_key not in message and "[redacted]" in message


# --- the reader itself ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "message", "kinds"), [
    (b'{"error": {"message": "m", "type": "t", "code": "c", "param": "model"}}', "m", "t c"),
    (b'{"object": "error", "message": "m", "type": "BadRequestError", "code": 400}', "m", "badrequesterror"),
    (b'{"error": "m"}', "m", ""),
    (b'{"detail": "Not Found"}', "Not Found", ""),
    (b"404 page not found", "404 page not found", ""),
    (b'{"error": {"message": "{\\"error\\": {\\"message\\": \\"inner\\", \\"type\\": \\"x\\"}}"}}', "inner", "x"),
    (b'{"error": {"message": "a\\u001b[31m\\nb"}}', "a b", ""),
])
def test_every_error_shape_is_read_as_one_line(body, message, kinds):
    error = ServerError.parse(400, body)
    assert error.message == message and error.kinds == kinds
