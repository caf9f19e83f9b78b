"""/healthz and /readyz, as a service manager or a container's probe calls them: without a key, over HTTP."""
import httpx

from conftest import wait_for


def test_a_logged_in_server_is_up_and_ready(proxy):
    health = httpx.get(f"{proxy.url}/healthz", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = wait_for(lambda: (r := httpx.get(f"{proxy.url}/readyz", timeout=10)).status_code == 200 and r, "readiness")
    body = ready.json()
    assert body["status"] == "ready" and body["copilot_token"] is True and body["problems"] == []
    assert body["models"] == len(httpx.get(f"{proxy.url}/v1/models", timeout=10).json()["data"])


def test_without_a_login_the_server_is_up_but_not_ready(make_proxy):
    server = make_proxy(with_token=False)
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
    ready = httpx.get(f"{server.url}/readyz", timeout=10)
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "not_ready" and body["copilot_token"] is False
    assert any("auth login" in problem for problem in body["problems"])


def test_probes_need_no_key_when_the_api_does(make_proxy):
    server = make_proxy("api_keys: [team-key-1]\n")
    assert httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
    assert wait_for(lambda: httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200, "readiness")


def test_a_probe_path_with_another_method_is_405(proxy):
    refused = httpx.post(f"{proxy.url}/healthz", timeout=10)
    assert refused.status_code == 405 and refused.headers["allow"] == "GET"
