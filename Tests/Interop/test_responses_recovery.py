"""Copilot's Responses quirks, handled as ghc-api 1.0.31 did: a stream that fails before any output is sent again,
and content Copilot can no longer decrypt is left out once (when enabled)."""
import json

import anthropic
import httpx
import pytest

STREAM = {"model": "gpt-5.2-codex", "input": "hello again", "stream": True}


def events(text):
    return [line[len("event: "):] for line in text.splitlines() if line.startswith("event: ")]


def test_an_early_failure_is_replayed_and_the_client_never_sees_it(proxy, stand_in):
    stand_in.scenario(faults=[{"path": "/responses", "action": "fail_early", "calls": [1]}])
    text = httpx.post(proxy.url + "/v1/responses", json=STREAM, timeout=10).text
    assert "response.failed" not in events(text) and events(text)[-1] == "response.completed"
    deltas = [json.loads(line[6:])["delta"] for line in text.splitlines() if line.startswith("data: ") and '"response.output_text.delta"' in line]
    assert "".join(deltas) == "You said: hello again"
    assert len(stand_in.requests("/responses")) == 2


def test_a_diagnosed_failure_is_not_replayed(proxy, stand_in):
    stand_in.scenario(faults=[{"path": "/responses", "action": "fail_early", "calls": [1], "body": "quota exceeded for this model"}])
    text = httpx.post(proxy.url + "/v1/responses", json=STREAM, timeout=10).text
    # The failure is explained, so sending it again would fail alike: the client gets Copilot's answer as it was.
    assert events(text) == ["response.created", "response.failed"]
    assert len(stand_in.requests("/responses")) == 1


def test_replays_stop_after_max_connection_retries(make_proxy, stand_in):
    proxy = make_proxy("max_connection_retries: 2\n")
    stand_in.scenario(faults=[{"path": "/responses", "action": "fail_early"}])
    text = httpx.post(proxy.url + "/v1/responses", json=STREAM, timeout=10).text
    assert "response.failed" in events(text)
    assert len(stand_in.requests("/responses")) == 3


def test_replay_can_be_turned_off(make_proxy, stand_in):
    proxy = make_proxy("enable_responses_early_failure_retry: false\n")
    stand_in.scenario(faults=[{"path": "/responses", "action": "fail_early", "calls": [1]}])
    assert "response.failed" in events(httpx.post(proxy.url + "/v1/responses", json=STREAM, timeout=10).text)
    assert len(stand_in.requests("/responses")) == 1


@pytest.mark.parametrize("stream", [True, False])
def test_anthropic_through_responses_is_replayed_too(proxy, stand_in, stream):
    stand_in.scenario(faults=[{"path": "/responses", "action": "fail_early", "calls": [1]}])
    api = anthropic.Anthropic(base_url=proxy.url, api_key="x", max_retries=0)
    request = {"model": "gpt-5.2-codex", "max_tokens": 50, "messages": [{"role": "user", "content": "replayed"}]}
    if stream:
        with api.messages.stream(**request) as events_stream:
            message = events_stream.get_final_message()
    else:
        message = api.messages.create(**request)
    assert message.content[-1].text == "You said: replayed"
    assert len(stand_in.requests("/responses")) == 2


UNDECRYPTABLE = {"model": "gpt-5.2-codex", "input": [
    {"role": "user", "content": "first"},
    {"type": "reasoning", "id": "rs_old", "summary": [], "encrypted_content": "gAAAA-from-another-session"},
    {"type": "function_call", "call_id": "call_1", "name": "ls", "arguments": "{}"},
    {"type": "function_call_output", "call_id": "call_1", "output": "a.txt"},
    {"role": "user", "content": "and now?"},
]}


def test_undecryptable_content_is_left_out_once_when_enabled(make_proxy, stand_in):
    proxy = make_proxy("auto_remove_encrypted_content_on_parse_error: true\n")
    answer = httpx.post(proxy.url + "/v1/responses", json=UNDECRYPTABLE, timeout=10)
    assert answer.status_code == 200, answer.text
    calls = stand_in.requests("/responses")
    assert len(calls) == 2
    retried = json.loads(calls[-1]["body"])
    assert "encrypted_content" not in calls[-1]["body"]
    assert [item.get("type", "message") for item in retried["input"]] == ["message", "function_call", "function_call_output", "message"]


def test_undecryptable_content_is_copilots_error_by_default(proxy, stand_in):
    answer = httpx.post(proxy.url + "/v1/responses", json=UNDECRYPTABLE, timeout=10)
    assert answer.status_code == 400 and "could not be verified" in answer.json()["error"]["message"]
    assert len(stand_in.requests("/responses")) == 1
