"""The official anthropic SDK against `ghc-api serve` on the stand-in, on all three paths:
native /v1/messages (claude-sonnet-4.5), through Chat Completions (gpt-4.1), through Responses (gpt-5.2-codex)."""
import json
import time

import anthropic
import httpx
import pytest

NATIVE, CHAT, RESPONSES = "claude-sonnet-4.5", "gpt-4.1", "gpt-5.2-codex"
UPSTREAM_PATH = {NATIVE: "/v1/messages", CHAT: "/chat/completions", RESPONSES: "/responses"}
ALL = [NATIVE, CHAT, RESPONSES]
ASK_BOTH = "use get_weather for Paris and get_time for Tokyo"
TOOLS = [
    {"name": "get_weather", "description": "Weather in a city", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}},
    {"name": "get_time", "description": "Time in a zone", "input_schema": {"type": "object", "properties": {"zone": {"type": "string"}}}},
]


def client(proxy):
    return anthropic.Anthropic(base_url=proxy.url, api_key="anything", max_retries=0)


def user(text):
    return [{"role": "user", "content": text}]


def blocks(message):
    return [b.model_dump(exclude_none=True) for b in message.content]


@pytest.mark.parametrize("model", ALL)
def test_plain_message(proxy, stand_in, model):
    message = client(proxy).messages.create(model=model, max_tokens=200, messages=user("hello claude"))
    assert message.type == "message" and message.role == "assistant"
    assert message.content[0].text == "You said: hello claude"
    assert message.stop_reason == "end_turn"
    assert message.model == model
    assert message.usage.output_tokens > 0
    assert stand_in.requests(UPSTREAM_PATH[model])[-1]["headers"]["x-initiator"] == "user"


@pytest.mark.parametrize("model", ALL)
def test_stream_helpers_accumulate_the_same_message(proxy, model):
    api = client(proxy)
    whole = api.messages.create(model=model, max_tokens=200, messages=user("same either way"), tools=TOOLS[:1], tool_choice={"type": "none"})
    with api.messages.stream(model=model, max_tokens=200, messages=user("same either way"), tools=TOOLS[:1], tool_choice={"type": "none"}) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "You said: same either way"
    assert blocks(final) == blocks(whole)
    assert final.stop_reason == whole.stop_reason


@pytest.mark.parametrize("model", ALL)
def test_raw_stream_grammar_is_exact(proxy, model):
    body = {"model": model, "max_tokens": 200, "stream": True, "messages": user(ASK_BOTH), "tools": TOOLS}
    text = httpx.post(proxy.url + "/v1/messages", json=body, timeout=10).text
    events = [line[len("event: "):] for line in text.splitlines() if line.startswith("event: ")]
    assert events[0] == "message_start" and events[-2:] == ["message_delta", "message_stop"]
    assert events.count("message_stop") == 1
    data = [json.loads(line[len("data: "):]) for line in text.splitlines() if line.startswith("data: ")]
    open_index, next_index = None, 0
    for event in data:
        if event["type"] == "content_block_start":
            assert open_index is None and event["index"] == next_index
            open_index = event["index"]
        elif event["type"] == "content_block_delta":
            assert event["index"] == open_index
        elif event["type"] == "content_block_stop":
            assert event["index"] == open_index
            open_index, next_index = None, next_index + 1
    assert open_index is None and next_index == 2


@pytest.mark.parametrize("model", ALL)
def test_tools_round_trip(proxy, stand_in, model):
    api = client(proxy)
    first = api.messages.create(model=model, max_tokens=300, messages=user(ASK_BOTH), tools=TOOLS)
    assert first.stop_reason == "tool_use"
    uses = [b for b in first.content if b.type == "tool_use"]
    assert [u.name for u in uses] == ["get_weather", "get_time"]
    assert uses[0].input == {"city": "Paris"} and uses[1].input == {"zone": "Tokyo"}
    followup = user(ASK_BOTH) + [
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": uses[0].id, "content": "sunny"},
            {"type": "tool_result", "tool_use_id": uses[1].id, "content": [{"type": "text", "text": "noon"}], "is_error": False},
            {"type": "text", "text": "<system-reminder>keep going</system-reminder>"},
        ]},
    ]
    second = api.messages.create(model=model, max_tokens=300, messages=followup, tools=TOOLS)
    assert second.stop_reason == "end_turn"
    assert stand_in.requests(UPSTREAM_PATH[model])[-1]["headers"]["x-initiator"] == "agent"


def test_streamed_tool_arguments_arrive_whole(proxy):
    with client(proxy).messages.stream(model=CHAT, max_tokens=300, messages=user(ASK_BOTH), tools=TOOLS) as stream:
        final = stream.get_final_message()
    assert [b.input for b in final.content if b.type == "tool_use"] == [{"city": "Paris"}, {"zone": "Tokyo"}]


@pytest.mark.parametrize("model", ALL)
def test_the_stand_in_answers_text_unless_a_tool_is_named(proxy, model):
    message = client(proxy).messages.create(model=model, max_tokens=300, messages=user("what is the weather and time?"), tools=TOOLS)
    assert message.stop_reason == "end_turn"
    assert [b.type for b in message.content] == ["text"]


@pytest.mark.parametrize("model", ALL)
def test_the_stand_in_fills_arguments_by_the_schema(proxy, model):
    tool = {"name": "Read", "description": "Reads a file", "input_schema": {"type": "object", "required": ["file_path", "mode", "limit", "raw"],
            "properties": {"file_path": {"type": "string"}, "mode": {"type": "string", "enum": ["text", "bytes"]},
                           "limit": {"type": "integer", "minimum": 5}, "raw": {"type": "boolean"}, "offset": {"type": "integer"}}}}
    prompt = [{"role": "user", "content": [{"type": "text", "text": "use Read on notes.txt"},
                                           {"type": "text", "text": "<system-reminder>Primary working directory: /home/me/project</system-reminder>"}]}]
    message = client(proxy).messages.create(model=model, max_tokens=300, messages=prompt, tools=[tool])
    uses = [b for b in message.content if b.type == "tool_use"]
    assert [u.input for u in uses] == [{"file_path": "/home/me/project/notes.txt", "mode": "text", "limit": 5, "raw": False}]


def test_an_orphaned_tool_result_is_dropped_not_fatal(proxy, stand_in):
    messages = [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_gone", "content": "stale"}, {"type": "text", "text": "still here"}]}]
    message = client(proxy).messages.create(model=NATIVE, max_tokens=100, messages=messages)
    sent = json.loads(stand_in.requests("/v1/messages")[-1]["body"])
    assert sent["messages"] == [{"role": "user", "content": [{"type": "text", "text": "still here"}]}]
    assert message.content[0].text == "You said: still here"


@pytest.mark.parametrize("model", ALL)
def test_thinking_round_trip_keeps_signatures(proxy, stand_in, model):
    api = client(proxy)
    first = api.messages.create(model=model, max_tokens=4000, thinking={"type": "enabled", "budget_tokens": 2000}, messages=user("think first"))
    thinking = [b for b in first.content if b.type == "thinking"]
    assert len(thinking) == 1 and thinking[0].thinking == "Thinking about: think first" and thinking[0].signature
    history = user("think first") + [{"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]}] + user("and again")
    second = api.messages.create(model=model, max_tokens=4000, thinking={"type": "enabled", "budget_tokens": 2000}, messages=history)
    assert second.content[-1].text == "You said: and again"


def test_a_forged_signature_is_refused_in_the_anthropic_shape(proxy):
    history = user("a") + [{"role": "assistant", "content": [{"type": "thinking", "thinking": "x", "signature": "forged"}, {"type": "text", "text": "b"}]}] + user("c")
    with pytest.raises(anthropic.BadRequestError) as error:
        client(proxy).messages.create(model=NATIVE, max_tokens=100, messages=history)
    assert error.value.body["type"] == "error" and error.value.body["error"]["type"] == "invalid_request_error"


def test_native_thinking_becomes_adaptive_for_models_with_efforts(proxy, stand_in):
    client(proxy).messages.create(model=NATIVE, max_tokens=4000, thinking={"type": "enabled", "budget_tokens": 8000}, messages=user("x"))
    sent = json.loads(stand_in.requests("/v1/messages")[-1]["body"])
    assert sent["thinking"] == {"type": "adaptive"} and sent["output_config"] == {"effort": "medium"}
    assert stand_in.requests("/v1/messages")[-1]["headers"]["anthropic-version"] == "2023-06-01"


@pytest.mark.parametrize("model", ALL)
def test_images_set_the_vision_header(proxy, stand_in, model):
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
    client(proxy).messages.create(model=model, max_tokens=100, messages=[{"role": "user", "content": [{"type": "text", "text": "look"}, image]}])
    assert stand_in.requests(UPSTREAM_PATH[model])[-1]["headers"]["copilot-vision-request"] == "true"


def test_images_inside_tool_results_reach_the_model(proxy, stand_in):
    image = {"type": "image", "source": {"type": "url", "url": "https://example.test/cat.png"}}
    messages = user("look") + [
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "screenshot", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "here"}, image]}]},
    ]
    client(proxy).messages.create(model=CHAT, max_tokens=100, messages=messages)
    sent = stand_in.requests("/chat/completions")[-1]
    assert sent["headers"]["copilot-vision-request"] == "true"
    body = json.loads(sent["body"])
    assert body["messages"][-2] == {"role": "tool", "tool_call_id": "toolu_1", "content": "here"}
    assert body["messages"][-1]["content"] == [{"type": "image_url", "image_url": {"url": "https://example.test/cat.png"}}]


@pytest.mark.parametrize("model", [NATIVE, CHAT])
def test_system_blocks_lose_billing_header_and_cache_scope(proxy, stand_in, model):
    system = [{"type": "text", "text": "x-anthropic-billing-header: cc_version=2"},
              {"type": "text", "text": "You are helpful.", "cache_control": {"type": "ephemeral", "scope": "session"}}]
    client(proxy).messages.create(model=model, max_tokens=100, system=system, messages=user("hi"))
    sent = json.loads(stand_in.requests(UPSTREAM_PATH[model])[-1]["body"])
    if model == NATIVE:
        assert sent["system"] == [{"type": "text", "text": "You are helpful.", "cache_control": {"type": "ephemeral"}}]
    else:
        assert sent["messages"][0] == {"role": "system", "content": "You are helpful."}


@pytest.mark.parametrize("model", [NATIVE, CHAT])
@pytest.mark.parametrize("case", ["end_turn", "max_tokens", "stop_sequence", "tool_use", "refusal"])
def test_every_stop_reason(proxy, model, case):
    api = client(proxy)
    kwargs = {"model": model, "max_tokens": 200, "messages": user("one two three four five")}
    if case == "max_tokens":
        kwargs["max_tokens"] = 3
    if case == "stop_sequence":
        kwargs["messages"], kwargs["stop_sequences"] = user("alpha STOP beta"), ["STOP"]
    if case == "tool_use":
        kwargs["tools"], kwargs["messages"] = TOOLS[:1], user("use get_weather for Paris")
    if case == "refusal":
        kwargs["messages"] = user("please refuse")
    message = api.messages.create(**kwargs)
    assert message.stop_reason == case
    if case == "stop_sequence":
        assert message.stop_sequence == "STOP"
        assert message.content[0].text == "You said: alpha "
    with api.messages.stream(**kwargs) as stream:
        assert stream.get_final_message().stop_reason == case


def test_count_tokens(proxy):
    api = client(proxy)
    short = api.messages.count_tokens(model="sonnet", messages=user("How many tokens is this?")).input_tokens
    longer = api.messages.count_tokens(model="sonnet", messages=user("How many tokens is this? " * 20)).input_tokens
    with_tools = api.messages.count_tokens(model="sonnet", messages=user("How many tokens is this?"), tools=TOOLS).input_tokens
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
    with_image = api.messages.count_tokens(model="sonnet", messages=[{"role": "user", "content": [{"type": "text", "text": "How many tokens is this?"}, image]}]).input_tokens
    assert 5 <= short <= 15
    assert 19 * (short - 4) <= longer - short <= 21 * (short - 4) + 20
    assert with_tools - short >= 346
    assert with_image - short >= 1000


@pytest.mark.parametrize("model", ALL)
def test_errors_before_the_stream_keep_status_in_anthropic_shape(proxy, stand_in, model):
    stand_in.scenario(faults=[{"path": UPSTREAM_PATH[model], "action": "status", "status": 429, "retry_after": "9",
                               "body": '{"error":{"message":"rate limited","code":"user_global_rate_limited:pro"}}'}])
    with pytest.raises(anthropic.RateLimitError) as error:
        client(proxy).messages.create(model=model, max_tokens=100, messages=user("x"), stream=True)
    assert error.value.response.headers["retry-after"] == "9"
    assert error.value.body == {"type": "error", "error": {"type": "rate_limit_error", "message": "rate limited"}}
    stand_in.scenario(faults=[{"path": UPSTREAM_PATH[model], "action": "status", "status": 500, "body": "boom"}])
    with pytest.raises(anthropic.InternalServerError) as error:
        client(proxy).messages.create(model=model, max_tokens=100, messages=user("x"))
    assert error.value.body["error"]["type"] == "api_error"


@pytest.mark.parametrize("status,kind,exception", [
    (400, "invalid_request_error", anthropic.BadRequestError), (401, "authentication_error", anthropic.AuthenticationError),
    (403, "permission_error", anthropic.PermissionDeniedError), (404, "not_found_error", anthropic.NotFoundError),
    (413, "request_too_large", anthropic.APIStatusError), (529, "overloaded_error", anthropic.APIStatusError),
])
def test_status_to_error_type_mapping(proxy, stand_in, status, kind, exception):
    stand_in.scenario(faults=[{"path": "/chat/completions", "action": "status", "status": status, "body": '{"error":{"message":"nope"}}'}])
    with pytest.raises(exception) as error:
        client(proxy).messages.create(model=CHAT, max_tokens=100, messages=user("x"))
    assert error.value.status_code == status
    assert error.value.body == {"type": "error", "error": {"type": kind, "message": "nope"}}


@pytest.mark.parametrize("model", ALL)
def test_errors_after_the_stream_began_are_error_events_without_message_stop(proxy, stand_in, model):
    stand_in.scenario(faults=[{"path": UPSTREAM_PATH[model], "action": "drop_mid_stream", "after_events": 4}])
    body = {"model": model, "max_tokens": 100, "stream": True, "messages": user("one two three four five six")}
    text = httpx.post(proxy.url + "/v1/messages", json=body, timeout=10).text
    assert "event: error" in text and "event: message_stop" not in text
    error = json.loads([l for l in text.splitlines() if l.startswith("data: ") and '"error"' in l][-1][len("data: "):])
    assert error["type"] == "error" and error["error"]["type"] == "api_error"
    with pytest.raises(anthropic.APIError):
        with client(proxy).messages.stream(model=model, max_tokens=100, messages=user("one two three four five six")) as stream:
            for _ in stream:
                pass


def test_malformed_bodies_are_anthropic_400s(proxy):
    response = httpx.post(proxy.url + "/v1/messages", content=b"{nope", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["type"] == "error" and response.json()["error"]["type"] == "invalid_request_error"
    missing = httpx.post(proxy.url + "/v1/messages", json={"model": CHAT})
    assert missing.status_code == 400 and missing.json()["error"]["type"] == "invalid_request_error"


def test_login_problems_are_anthropic_401s(make_proxy):
    proxy = make_proxy(with_token=False)
    with pytest.raises(anthropic.AuthenticationError) as error:
        client(proxy).messages.create(model=CHAT, max_tokens=100, messages=user("x"))
    assert error.value.body["error"]["type"] == "authentication_error"
    assert "ghc-api auth login" in error.value.body["error"]["message"]


@pytest.mark.parametrize("model", [NATIVE, CHAT])
def test_client_disconnect_cancels_upstream(proxy, stand_in, model):
    stand_in.scenario(stream_event_delay_ms=300)
    before = stand_in.settled_stats()["streams_aborted"]
    body = {"model": model, "max_tokens": 100, "stream": True, "messages": user("a b c d e f g h i j")}
    with httpx.stream("POST", proxy.url + "/v1/messages", json=body, timeout=10) as response:
        next(response.iter_lines())
    deadline = time.time() + 5
    while stand_in.stats()["streams_aborted"] == before and time.time() < deadline:
        time.sleep(0.1)
    assert stand_in.stats()["streams_aborted"] == before + 1


def test_content_filters_apply(make_proxy, stand_in):
    proxy = make_proxy('system_prompt_remove: ["Claude Code"]\nsystem_prompt_add: ["Be brief."]\ntool_result_suffix_remove: ["\\n<reminder>x</reminder>"]\n')
    messages = user("go") + [
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_9", "name": "t", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_9", "content": "ok\n<reminder>x</reminder>"}]},
    ]
    client(proxy).messages.create(model=NATIVE, max_tokens=100, system="You are Claude Code, helpful.", messages=messages)
    sent = json.loads(stand_in.requests("/v1/messages")[-1]["body"])
    assert sent["system"] == "You are , helpful.\n\nBe brief."
    assert sent["messages"][-1]["content"][0]["content"] == "ok"
