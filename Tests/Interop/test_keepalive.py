"""HTTP keep-alive after streamed answers, SSE keepalives while the upstream is silent, and upstream cancellation
when the client goes away: on one raw connection, as clients with a connection pool use the proxy."""
import http.client
import json
import socket
import time

import httpx
import pytest

STREAMS = {
    "/v1/chat/completions": {"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    "/v1/responses": {"model": "gpt-5.3-codex", "stream": True, "input": "hi"},
    "/v1/messages": {"model": "claude-opus-5.5", "max_tokens": 100, "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    "/v1/messages#chat": {"model": "gpt-4.1", "max_tokens": 100, "stream": True, "messages": [{"role": "user", "content": "hi"}]},
}
ENDS = {"/v1/chat/completions": "data: [DONE]", "/v1/responses": "response.completed", "/v1/messages": "message_stop", "/v1/messages#chat": "message_stop"}


def claude_code_sized(path):
    """A ~300 KB request, the size of a long Claude Code session."""
    body = dict(STREAMS[path])
    filler = "lorem ipsum dolor sit amet " * 11_500
    if "messages" in body:
        body["messages"] = [{"role": "user", "content": filler}, {"role": "assistant", "content": "ok"}, {"role": "user", "content": "hi"}]
    else:
        body["input"] = [{"role": "user", "content": filler}, {"role": "assistant", "content": "ok"}, {"role": "user", "content": "hi"}]
    return body


@pytest.mark.parametrize("path", list(STREAMS))
@pytest.mark.parametrize("size", ["small", "300KB"])
def test_twenty_streams_share_one_connection(proxy, path, size):
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    local_ports = set()
    for _ in range(20):
        body = STREAMS[path] if size == "small" else claude_code_sized(path)
        if size == "300KB":
            assert len(json.dumps(body)) > 300_000
        connection.request("POST", path.split("#")[0], json.dumps(body), {"content-type": "application/json"})
        answer = connection.getresponse()
        text = answer.read().decode()
        assert answer.status == 200, text
        assert answer.getheader("connection") != "close"
        assert ENDS[path] in text
        local_ports.add(connection.sock.getsockname()[1])
    assert len(local_ports) == 1, "every request must reuse the first connection"
    connection.close()


@pytest.mark.parametrize("path,keepalive", [("/v1/chat/completions", ": keepalive"), ("/v1/messages", "event: ping"),
                                            ("/v1/messages#chat", "event: ping"), ("/v1/responses", ": keepalive")])
def test_a_silent_upstream_gets_keepalives(make_proxy, stand_in, path, keepalive):
    """On /v1/responses the silence follows `response.created`, while the proxy holds the stream's prelude back (to
    replay an early failure): keepalives still go out."""
    proxy = make_proxy("sse_keepalive_interval: 1\nenable_responses_early_failure_retry: true\n")
    upstream = {"/v1/chat/completions": "/chat/completions", "/v1/messages": "/v1/messages", "/v1/messages#chat": "/chat/completions",
                "/v1/responses": "/responses"}[path]
    stand_in.scenario(faults=[{"path": upstream, "action": "stall", "after_events": 1, "delay_ms": 2600}])
    text = httpx.post(proxy.url + path.split("#")[0], json=STREAMS[path], timeout=20).text
    # The stand-in sends one ping of its own on the native path; the rest are the proxy's.
    assert text.count(keepalive) >= (3 if path == "/v1/messages" else 2)
    assert ENDS[path] in text


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/messages", "/v1/messages#chat"])
def test_a_client_that_leaves_a_silent_stream_cancels_the_upstream_at_once(proxy, stand_in, path):
    upstream = {"/v1/chat/completions": "/chat/completions", "/v1/messages": "/v1/messages", "/v1/messages#chat": "/chat/completions"}[path]
    stand_in.scenario(faults=[{"path": upstream, "action": "stall", "after_events": 1, "delay_ms": 20_000}])
    body = json.dumps(STREAMS[path]).encode()
    with socket.create_connection(("127.0.0.1", proxy.port)) as raw:
        raw.sendall(f"POST {path.split('#')[0]} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        assert raw.recv(100).startswith(b"HTTP/1.1 200")
        time.sleep(0.3)
    left = time.time()
    while time.time() - left < 5:
        newest = httpx.get(proxy.url + "/api/requests", timeout=5).json()["items"][0]
        if newest["state"] != "receiving":
            break
        time.sleep(0.05)
    # The upstream stays silent for 20 s: a proxy that noticed only on its next write would still be waiting.
    assert newest["state"] == "cancelled" and newest["status_code"] == 499


@pytest.mark.parametrize("path,upstream,stream", [
    ("/v1/messages#chat", "/chat/completions", False), ("/v1/messages", "/v1/messages", False),
    ("/v1/chat/completions", "/chat/completions", True), ("/v1/responses", "/responses", False),
])
def test_a_client_that_leaves_before_copilot_answers_cancels_the_call(proxy, stand_in, path, upstream, stream):
    stand_in.scenario(faults=[{"path": upstream, "action": "delay", "delay_ms": 20_000}])
    body = dict(STREAMS[path], stream=stream)
    payload = json.dumps(body).encode()
    with socket.create_connection(("127.0.0.1", proxy.port)) as raw:
        raw.sendall(f"POST {path.split('#')[0]} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
        time.sleep(0.5)
    left = time.time()
    while time.time() - left < 5:
        newest = httpx.get(proxy.url + "/api/requests", timeout=5).json()["items"][0]
        if newest["state"] not in ("pending", "sending", "receiving"):
            break
        time.sleep(0.05)
    # Copilot would take 20 s to answer: the record is final long before, because the call was cancelled.
    assert newest["state"] == "cancelled" and newest["status_code"] == 499


def test_a_client_that_closes_as_the_answer_ends_gets_a_completed_record(proxy):
    """curl and many scripts close the connection the moment Content-Length bytes have arrived; the request was a
    success and its usage counts, whatever the proxy was still doing with the connection."""
    import socket
    body = json.dumps({"model": "gpt-4.1", "messages": [{"role": "user", "content": "close after reading"}]}).encode()
    request = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    port = int(proxy.url.rsplit(":", 1)[1])
    for _ in range(30):
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                data += client.recv(65536)
            head, rest = data.split(b"\r\n\r\n", 1)
            length = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0])
            while len(rest) < length:
                rest += client.recv(65536)
            assert json.loads(rest)["choices"][0]["message"]["content"] == "You said: close after reading"
    time.sleep(0.5)
    items = httpx.get(proxy.url + "/api/requests", params={"search": "close after reading", "per_page": 100}, timeout=10).json()["items"]
    assert len(items) >= 30
    assert [(item["state"], item["error"]) for item in items if item["state"] != "completed"] == []
    assert all(item["input_tokens"] > 0 for item in items)
