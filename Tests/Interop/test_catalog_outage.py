"""When Copilot's /models fails, requests get a clear 503 in their own format at once, /models is not hammered,
and the proxy recovers by itself; a catalog it already has is kept through an outage."""
import time

import httpx

MESSAGES = {"model": "claude-sonnet-4.5", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}
RESPONSES = {"model": "gpt-5.2-codex", "input": "hi"}


def test_no_catalog_means_503_then_recovery(make_proxy, stand_in):
    stand_in.scenario(faults=[{"path": "/models", "action": "status", "status": 500}])
    proxy = make_proxy()
    stand_in.clear()
    anthropic_answer = httpx.post(proxy.url + "/v1/messages", json=MESSAGES, timeout=10)
    assert anthropic_answer.status_code == 503 and anthropic_answer.json()["type"] == "error"
    assert "model catalog" in anthropic_answer.json()["error"]["message"] and "retry-after" in anthropic_answer.headers
    openai_answer = httpx.post(proxy.url + "/v1/responses", json=RESPONSES, timeout=10)
    assert openai_answer.status_code == 503 and openai_answer.json()["error"]["code"] == "model_catalog_unavailable"
    for _ in range(20):
        httpx.post(proxy.url + "/v1/messages", json=MESSAGES, timeout=10)
    assert len(stand_in.requests("/models")) <= 3, "requests must not each fetch /models again"
    assert stand_in.requests("/v1/messages") == [] and stand_in.requests("/chat/completions") == []
    stand_in.scenario()
    deadline = time.time() + 20
    while time.time() < deadline:
        answer = httpx.post(proxy.url + "/v1/messages", json=MESSAGES, timeout=10)
        if answer.status_code == 200:
            break
        time.sleep(0.25)
    assert answer.status_code == 200 and answer.json()["content"][0]["text"] == "You said: hi"
    assert stand_in.requests("/v1/messages"), "a Claude model goes to native /v1/messages once the catalog is back"


def test_a_known_catalog_survives_an_outage(make_proxy, stand_in):
    proxy = make_proxy()
    assert httpx.post(proxy.url + "/v1/messages", json=MESSAGES, timeout=10).status_code == 200
    stand_in.scenario(faults=[{"path": "/models", "action": "status", "status": 502}])
    for _ in range(5):
        answer = httpx.post(proxy.url + "/v1/messages", json=MESSAGES, timeout=10)
        assert answer.status_code == 200
    assert stand_in.requests("/v1/messages")[-1]["path"] == "/v1/messages"
