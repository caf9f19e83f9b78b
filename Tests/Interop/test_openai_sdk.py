"""The official openai SDK against `ghc-api serve` on the stand-in upstream."""
import asyncio
import json

import httpx
import openai
import pytest

from conftest import sse_data_lines


def client(proxy, **kwargs):
    return openai.OpenAI(base_url=proxy.url + "/v1", api_key="anything", max_retries=0, **kwargs)


def test_banner_tells_where_and_how(proxy):
    assert f"listening on http://127.0.0.1:{proxy.port}" in proxy.banner
    assert "Account:  octocat (individual)" in proxy.banner
    assert "Models:   11" in proxy.banner
    assert f"export OPENAI_BASE_URL=http://127.0.0.1:{proxy.port}/v1" in proxy.banner


def test_models_list_keeps_copilot_metadata(proxy):
    models = {m.id: m for m in client(proxy).models.list()}
    assert {"claude-sonnet-4.5", "gpt-4.1", "gpt-5.2-codex", "text-embedding-3-small"} <= set(models)
    sonnet = models["claude-sonnet-4.5"].model_dump()
    assert sonnet["object"] == "model" and sonnet["owned_by"] == "Anthropic"
    assert sonnet["context_window"] == 200000 and sonnet["max_output_tokens"] == 16000
    assert sonnet["supported_endpoints"] == ["/chat/completions", "/v1/messages"]
    assert client(proxy).models.retrieve("gpt-4.1").id == "gpt-4.1"
    with pytest.raises(openai.NotFoundError):
        client(proxy).models.retrieve("no-such-model")


def test_chat_json(proxy, stand_in):
    reply = client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "hello"}], temperature=0.2, seed=7)
    assert reply.choices[0].message.content == "You said: hello"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage.total_tokens > 0
    sent = stand_in.requests("/chat/completions")[-1]
    body = json.loads(sent["body"])
    assert body["temperature"] == 0.2 and body["seed"] == 7, "unknown and known parameters pass through"
    assert sent["headers"]["x-initiator"] == "user"
    assert "copilot-vision-request" not in sent["headers"]
    assert sent["headers"]["authorization"].startswith("Bearer tid=standin-")
    assert sent["headers"]["copilot-integration-id"] == "vscode-chat"


def test_chat_stream_text_and_usage(proxy):
    stream = client(proxy).chat.completions.create(
        model="gpt-4.1", messages=[{"role": "user", "content": "stream me"}], stream=True, stream_options={"include_usage": True})
    text, usage = "", None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        if chunk.usage:
            usage = chunk.usage
    assert text == "You said: stream me"
    assert usage is not None and usage.completion_tokens > 0


def test_stream_is_relayed_byte_for_byte_with_one_done(proxy, stand_in):
    body = {"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "exact bytes"}]}
    through_proxy = httpx.post(proxy.url + "/v1/chat/completions", json=body, timeout=10).text
    data = sse_data_lines(through_proxy)
    assert data.count("[DONE]") == 1 and data[-1] == "[DONE]"
    token = stand_in.requests("/chat/completions")[-1]["headers"]["authorization"]
    direct = httpx.post(stand_in.url + "/chat/completions", json=body, headers={"authorization": token}, timeout=10).text
    strip = lambda text: [line for line in text.splitlines() if '"created"' not in line and "chatcmpl-standin" not in line]
    assert len(through_proxy.splitlines()) == len(direct.splitlines())
    assert strip(through_proxy) == strip(direct)


def test_parallel_tool_calls_stream(proxy, stand_in):
    tools = [
        {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}},
        {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}}}},
    ]
    calls = {}
    finish = None
    for chunk in client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "call get_weather for Paris and get_time for Tokyo"}], tools=tools, stream=True):
        for choice in chunk.choices:
            finish = choice.finish_reason or finish
            for call in choice.delta.tool_calls or []:
                entry = calls.setdefault(call.index, {"id": None, "name": None, "arguments": ""})
                entry["id"] = call.id or entry["id"]
                if call.function:
                    entry["name"] = call.function.name or entry["name"]
                    entry["arguments"] += call.function.arguments or ""
    assert finish == "tool_calls"
    assert [calls[i]["name"] for i in sorted(calls)] == ["get_weather", "get_time"]
    assert json.loads(calls[0]["arguments"]) == {"city": "Paris"}
    assert json.loads(calls[1]["arguments"]) == {"zone": "Tokyo"}
    followup = [
        {"role": "user", "content": "call get_weather for Paris and get_time for Tokyo"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": calls[0]["id"], "type": "function", "function": {"name": "get_weather", "arguments": calls[0]["arguments"]}}]},
        {"role": "tool", "tool_call_id": calls[0]["id"], "content": "sunny"},
    ]
    client(proxy).chat.completions.create(model="gpt-4.1", messages=followup, tools=tools)
    assert stand_in.requests("/chat/completions")[-1]["headers"]["x-initiator"] == "agent"


def test_vision_header_only_with_images(proxy, stand_in):
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    reply = client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": [{"type": "text", "text": "what is it"}, image]}])
    assert reply.choices[0].message.content == "You said: what is it I see 1 image(s)."
    assert stand_in.requests("/chat/completions")[-1]["headers"]["copilot-vision-request"] == "true"


def test_model_mapping_exact_and_prefix(proxy, stand_in):
    client(proxy).chat.completions.create(model="my-alias", messages=[{"role": "user", "content": "x"}])
    assert json.loads(stand_in.requests("/chat/completions")[-1]["body"])["model"] == "gpt-4.1"
    client(proxy).chat.completions.create(model="claude-sonnet-4-5-20250929", messages=[{"role": "user", "content": "x"}])
    assert json.loads(stand_in.requests("/chat/completions")[-1]["body"])["model"] == "claude-sonnet-4.5"


def test_a_new_question_after_a_conversation_counts_as_the_users(proxy, stand_in):
    history = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]
    client(proxy).chat.completions.create(model="gpt-4.1", messages=history)
    assert stand_in.requests("/chat/completions")[-1]["headers"]["x-initiator"] == "user"


def test_responses_passthrough_json_and_stream(proxy, stand_in):
    reply = client(proxy).responses.create(model="gpt-5.2-codex", input="hi codex")
    assert reply.output_text == "You said: hi codex"
    events = list(client(proxy).responses.create(model="gpt-5.2-codex", input="stream codex", stream=True))
    assert events[-1].type == "response.completed"
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == "You said: stream codex"
    assert stand_in.requests("/responses")[-1]["headers"]["x-initiator"] == "user"
    with pytest.raises(openai.BadRequestError) as error:
        client(proxy).responses.create(model="gpt-4.1", input="no")
    assert error.value.body["code"] == "unsupported_model"


def test_embeddings(proxy, stand_in):
    result = client(proxy).embeddings.create(model="text-embedding-3-small", input="hello")
    assert len(result.data) == 1 and len(result.data[0].embedding) == 8
    assert json.loads(stand_in.requests("/embeddings")[-1]["body"])["input"] == ["hello"]
    with pytest.raises(openai.BadRequestError):
        client(proxy).embeddings.create(model="gpt-4.1", input="hello")


def test_upstream_rate_limit_keeps_status_and_retry_after(proxy, stand_in):
    stand_in.scenario(faults=[{"path": "/chat/completions", "action": "status", "status": 429, "retry_after": "17",
                               "body": '{"error":{"message":"slow down","code":"user_global_rate_limited:pro"}}'}])
    with pytest.raises(openai.RateLimitError) as error:
        client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "x"}], stream=True)
    assert error.value.response.headers["retry-after"] == "17"
    assert error.value.body["message"] == "slow down"


def test_upstream_error_without_json_becomes_an_openai_error(proxy, stand_in):
    stand_in.scenario(faults=[{"path": "/chat/completions", "action": "status", "status": 503, "body": "<html>bad gateway</html>"}])
    with pytest.raises(openai.InternalServerError) as error:
        client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "x"}])
    assert error.value.status_code == 503
    assert error.value.body["type"] == "upstream_error"
    assert "bad gateway" in error.value.body["message"]


@pytest.mark.parametrize("action", ["drop_mid_stream", "malformed_line"])
def test_a_broken_stream_ends_with_an_error_not_a_silent_success(proxy, stand_in, action):
    stand_in.scenario(faults=[{"path": "/chat/completions", "action": action, "after_events": 2}])
    received = ""
    with pytest.raises(openai.APIError) as error:
        for chunk in client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "one two three"}], stream=True):
            received += (chunk.choices[0].delta.content or "") if chunk.choices else ""
    assert received == "You "
    assert "upstream" in str(error.value)


def test_idle_upstream_times_out_with_an_error_event(make_proxy, stand_in):
    proxy = make_proxy("upstream_read_timeout: 1\n")
    stand_in.scenario(faults=[{"path": "/chat/completions", "action": "stall", "after_events": 1, "delay_ms": 3000}])
    with pytest.raises(openai.APIError) as error:
        for _ in client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "x"}], stream=True):
            pass
    assert "upstream_read_timeout" in str(error.value)


def test_bad_requests_get_openai_errors_never_500(proxy):
    url = proxy.url + "/v1/chat/completions"
    bad_json = httpx.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "invalid_json"
    wrong_type = httpx.post(url, content=b"model=x", headers={"content-type": "application/x-www-form-urlencoded"})
    assert wrong_type.status_code == 400 and wrong_type.json()["error"]["code"] == "invalid_content_type"
    not_object = httpx.post(url, json=[1, 2])
    assert not_object.status_code == 400
    no_model = httpx.post(url, json={"messages": []})
    assert no_model.status_code == 400 and no_model.json()["error"]["param"] == "model"
    deep = httpx.post(url, content=("[" * 500 + "]" * 500).encode(), headers={"content-type": "application/json"})
    assert deep.status_code == 400


def test_body_over_the_limit_is_413(make_proxy):
    proxy = make_proxy("max_request_body_size: 2048\n")
    big = {"model": "gpt-4.1", "messages": [{"role": "user", "content": "x" * 5000}]}
    with pytest.raises(openai.APIStatusError) as error:
        client(proxy).chat.completions.create(**big)
    assert error.value.status_code == 413
    assert error.value.body["code"] == "request_too_large"
    chunked = httpx.post(proxy.url + "/v1/chat/completions", content=iter([json.dumps(big).encode()]), headers={"content-type": "application/json"})
    assert chunked.status_code == 413


def test_client_disconnect_cancels_the_upstream_stream(proxy, stand_in):
    stand_in.scenario(stream_event_delay_ms=300)
    before = stand_in.settled_stats()
    with httpx.stream("POST", proxy.url + "/v1/chat/completions", json={"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "a b c d e f g h"}]}, timeout=10) as response:
        lines = response.iter_lines()
        assert next(lines).startswith("data: ")
    deadline = __import__("time").time() + 5
    while stand_in.stats()["streams_aborted"] == before["streams_aborted"] and __import__("time").time() < deadline:
        __import__("time").sleep(0.1)
    after = stand_in.stats()
    assert after["streams_aborted"] == before["streams_aborted"] + 1
    assert after["streams_completed"] == before["streams_completed"]
    assert client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "still healthy"}]).choices[0].message.content == "You said: still healthy"


def test_twenty_parallel_streams(proxy, stand_in):
    stand_in.scenario(stream_event_delay_ms=20)

    async def one(api, index):
        text = ""
        async for chunk in await api.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"stream {index}"}], stream=True):
            text += (chunk.choices[0].delta.content or "") if chunk.choices else ""
        return text

    async def all_of_them():
        async with openai.AsyncOpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0) as api:
            return await asyncio.gather(*(one(api, i) for i in range(20)))

    assert asyncio.run(all_of_them()) == [f"You said: stream {i}" for i in range(20)]


def test_an_expired_copilot_token_is_renewed_and_the_request_retried(proxy, stand_in):
    client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "warm"}])
    exchanges = stand_in.stats()["token_exchanges"]
    stand_in.expire_tokens()
    reply = client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "after expiry"}])
    assert reply.choices[0].message.content == "You said: after expiry"
    assert stand_in.stats()["token_exchanges"] == exchanges + 1


def test_without_login_the_server_runs_and_answers_401_until_login(make_proxy, stand_in):
    proxy = make_proxy(with_token=False)
    assert "not logged in" in proxy.banner
    with pytest.raises(openai.AuthenticationError) as error:
        client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "x"}])
    assert "ghc-api auth login" in error.value.body["message"]
    # `ghc-api auth login` in another terminal writes the token file; the running server picks it up.
    (__import__("pathlib").Path(proxy.dir) / "github_token.txt").write_text("gho_standin0123456789abcdefghijklmnopq")
    assert client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "now"}]).choices[0].message.content == "You said: now"


def test_api_keys_are_required_when_configured(make_proxy):
    proxy = make_proxy("api_keys: [sk-local-1]\n")
    with pytest.raises(openai.AuthenticationError):
        client(proxy).models.list()
    assert openai.OpenAI(base_url=proxy.url + "/v1", api_key="sk-local-1", max_retries=0).models.list().data
    assert httpx.get(proxy.url + "/v1/models", headers={"x-api-key": "sk-local-1"}).status_code == 200


def test_dns_rebinding_hosts_are_refused(proxy):
    response = httpx.get(proxy.url + "/v1/models", headers={"host": "attacker.example:80"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "host_not_allowed"


def test_sigterm_lets_an_inflight_stream_finish_then_exits_0(make_proxy, stand_in):
    import glob
    import os
    import signal
    import threading

    proxy = make_proxy("save_request_to_file: true\n")
    stand_in.scenario(stream_event_delay_ms=150)
    result = {}

    def read():
        result["text"] = "".join((c.choices[0].delta.content or "") if c.choices else ""
                                 for c in client(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "slow graceful stream"}], stream=True))

    reader = threading.Thread(target=read)
    reader.start()
    __import__("time").sleep(0.4)
    proxy.process.proc.send_signal(signal.SIGTERM)
    reader.join(timeout=15)
    assert result.get("text") == "You said: slow graceful stream"
    assert proxy.process.proc.wait(timeout=15) == 0
    assert "ghc-api stopped" in proxy.process.proc.stdout.read()
    # The stream that was running at the signal reached the daily file: the writer is closed last.
    lines = [json.loads(line) for path in glob.glob(os.path.join(proxy.dir, "requests", "*.jl")) for line in open(path)]
    assert [(line["status_code"], line["state"]) for line in lines] == [(200, "completed")]
    assert lines[0]["request_body"]["messages"][0]["content"] == "slow graceful stream"


def test_a_port_in_use_is_one_line_and_exit_1(proxy, tmp_path):
    import subprocess
    from conftest import binary
    env = dict(__import__("os").environ, GHC_API_CONFIG_DIR=str(tmp_path), GITHUB_TOKEN="x")
    done = subprocess.run([binary(), "serve", "-p", str(proxy.port)], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == f"ghc-api: cannot listen on 127.0.0.1:{proxy.port}: the port is already in use (pick another with -p)"


def test_demo_mode_works_without_an_account(tmp_path):
    import os
    import subprocess
    from conftest import Process, binary, free_port
    port = free_port()
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(tmp_path), NO_COLOR="1")
    env.pop("GITHUB_TOKEN", None)
    demo = Process([binary(), "serve", "--demo", "-p", str(port)], env, "Stop with Ctrl-C", str(tmp_path / "demo.log"))
    try:
        assert "DEMO:" in "".join(demo.lines)
        api = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0)
        assert api.chat.completions.create(model="sonnet", messages=[{"role": "user", "content": "demo"}]).choices[0].message.content == "You said: demo"
        assert not (tmp_path / "github_token.txt").exists()
    finally:
        demo.stop()
