"""A fault matrix: every upstream fault at every phase, on every client path, streamed and not, checked as a user
would notice it: an error in the caller's own dialect (never a silent success), a request record that says what
happened, a server that keeps serving, and no leaked descriptors or memory after a burst of faults.

Client paths: OpenAI chat, OpenAI Responses, Anthropic native, Anthropic through chat, Anthropic through Responses.
Slow faults (timeouts, connection retries, token backoff) run once per module for all targets at the same time,
and each target's outcome is then checked by its own test case."""
import json
import os
import re
import socket
import struct
import threading
import time
import uuid
import select
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from conftest import Proxy

IN_FLIGHT = {"pending", "sending", "receiving"}
ANTHROPIC_ERROR_TYPES = {
    "invalid_request_error", "authentication_error", "permission_error", "not_found_error", "request_too_large",
    "rate_limit_error", "api_error", "overloaded_error", "timeout_error",
}


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    model: str
    upstream: str
    dialect: str  # "openai" or "anthropic"
    translated: bool


ROUTES = [
    Route("chat", "/v1/chat/completions", "gpt-4.1", "/chat/completions", "openai", False),
    Route("responses", "/v1/responses", "gpt-5.2-codex", "/responses", "openai", False),
    Route("messages-native", "/v1/messages", "claude-sonnet-4.5", "/v1/messages", "anthropic", False),
    Route("messages-via-chat", "/v1/messages", "gpt-4.1", "/chat/completions", "anthropic", True),
    Route("messages-via-responses", "/v1/messages", "gpt-5.2-codex", "/responses", "anthropic", True),
]
UPSTREAM_PATHS = ["/chat/completions", "/responses", "/v1/messages"]
# How many upstream events go out before a mid-stream fault: some of the answer has reached the client by then.
EVENTS_BEFORE_FAULT = {"/chat/completions": 2, "/responses": 4, "/v1/messages": 3}


@dataclass(frozen=True)
class Target:
    route: Route
    stream: bool

    @property
    def id(self):
        return f"{self.route.name}-{'stream' if self.stream else 'json'}"

    @property
    def upstream_streams(self):
        """Whether Copilot is asked for a stream: always on the translated paths."""
        return self.stream or self.route.translated

    @property
    def is_chat(self):
        return self.route.path == "/v1/chat/completions"

    @property
    def is_responses(self):
        return self.route.path == "/v1/responses"


TARGETS = [Target(route, stream) for route in ROUTES for stream in (False, True)]
# The targets on which a fault inside Copilot's stream reaches the client (Copilot streams to the proxy).
STREAMED_UPSTREAM = [t for t in TARGETS if t.upstream_streams]


def ids(targets):
    return [t.id for t in targets]


def new_nonce():
    return "fm" + uuid.uuid4().hex[:16]


def body_for(target, nonce):
    text = f"hi {nonce}"
    if target.is_responses:
        return {"model": target.route.model, "input": text, "stream": target.stream}
    body = {"model": target.route.model, "messages": [{"role": "user", "content": text}], "stream": target.stream}
    if target.route.dialect == "anthropic":
        body["max_tokens"] = 50
    return body


def post(proxy, target, nonce, timeout=20.0):
    return httpx.post(proxy.url + target.route.path, json=body_for(target, nonce), timeout=timeout)


def process_state(proxy):
    """Whether the proxy process still runs; if not, how it ended and the end of its log."""
    code = proxy.process.proc.poll()
    if code is None:
        return "the proxy process is running"
    return f"the proxy process has exited with {code}; its log ends: {proxy.process.stderr()[-800:]!r}"


@dataclass
class Outcome:
    nonce: str
    response: httpx.Response | None
    failure: Exception | None
    seconds: float
    state: str = ""

    def answer(self):
        if self.response is None:
            pytest.fail(f"the client got no answer: {self.failure!r} after {self.seconds:.1f} s; {self.state}")
        return self.response


def attempt(proxy, target, timeout=20.0):
    nonce = new_nonce()
    started = time.monotonic()
    try:
        return Outcome(nonce, post(proxy, target, nonce, timeout), None, time.monotonic() - started)
    except httpx.HTTPError as error:
        return Outcome(nonce, None, error, time.monotonic() - started, process_state(proxy))


def attempt_all(proxy, targets, timeout=20.0):
    """Sends one request per target, all at once; returns each target's outcome by id."""
    with ThreadPoolExecutor(len(targets)) as pool:
        futures = {t.id: pool.submit(attempt, proxy, t, timeout) for t in targets}
        return {key: future.result() for key, future in futures.items()}


def sse_events(text):
    """(event name or None, data) of every event, comments left out."""
    events = []
    for block in re.split(r"\r?\n\r?\n", text):
        name, data = None, []
        for line in block.splitlines():
            if line.startswith(":"):
                continue
            if line.startswith("event:"):
                name = line[len("event:"):].strip()
            elif line.startswith("data:"):
                value = line[len("data:"):]
                data.append(value[1:] if value.startswith(" ") else value)
        if name is not None or data:
            events.append((name, "\n".join(data)))
    return events


def check_error_shape(target, payload, context):
    if target.route.dialect == "openai":
        error = payload.get("error") if isinstance(payload, dict) else None
        assert isinstance(error, dict), f"not an OpenAI error: {context}"
        assert isinstance(error.get("message"), str) and error["message"], f"OpenAI error without a message: {context}"
        assert isinstance(error.get("type"), str) and error["type"], f"OpenAI error without a type: {context}"
        assert "code" in error, f"OpenAI error without a code: {context}"
        return error
    assert isinstance(payload, dict) and payload.get("type") == "error", f"not an Anthropic error: {context}"
    error = payload.get("error")
    assert isinstance(error, dict), f"Anthropic error without `error`: {context}"
    assert error.get("type") in ANTHROPIC_ERROR_TYPES, f"unknown Anthropic error type: {context}"
    assert isinstance(error.get("message"), str) and error["message"], f"Anthropic error without a message: {context}"
    return error


def assert_error_answer(target, response, status=None):
    """A JSON error in the caller's dialect (not a stream, not a success); returns the inner error object."""
    context = f"{response.status_code} {response.headers.get('content-type')} {response.text[:600]!r}"
    assert response.status_code >= 400, f"silent success: {context}"
    if status is not None:
        assert response.status_code == status, f"expected HTTP {status}: {context}"
    assert response.headers.get("content-type", "").startswith("application/json"), f"error is not JSON: {context}"
    try:
        payload = response.json()
    except ValueError:
        pytest.fail(f"error body is not JSON: {context}")
    return check_error_shape(target, payload, context)


def assert_stream_ends_in_error(target, response):
    """A stream that began (some of the answer arrived) and ends with an error event in the caller's dialect."""
    text = response.text
    context = f"{response.status_code} {text[-1500:]!r}"
    assert response.status_code == 200, f"expected a stream: {context}"
    assert response.headers.get("content-type", "").startswith("text/event-stream"), f"expected a stream: {context}"
    events = sse_events(text)
    assert len(events) >= 2, f"the stream never began: {context}"
    name, data = events[-1]
    if target.is_chat:
        assert "[DONE]" not in [d for _, d in events], f"a broken stream must not end with [DONE]: {context}"
        assert name is None, f"the last event must be a data line: {context}"
        try:
            payload = json.loads(data)
        except ValueError:
            pytest.fail(f"the last event is not JSON: {context}")
        check_error_shape(target, payload, context)
        assert json.loads(events[0][1]).get("choices") is not None, f"the stream did not begin with a chunk: {context}"
    elif target.is_responses:
        assert "response.completed" not in [n for n, _ in events], f"a broken stream must not complete: {context}"
        assert name == "error", f"the stream must end with `event: error`: {context}"
        payload = json.loads(data)
        assert payload.get("type") == "error" and payload.get("message") and "code" in payload, f"bad Responses error event: {context}"
        assert events[0][0] == "response.created", f"the stream did not begin: {context}"
    else:
        assert "message_stop" not in [n for n, _ in events], f"a broken stream must not end with message_stop: {context}"
        assert name == "error", f"the stream must end with `event: error`: {context}"
        check_error_shape(target, json.loads(data), context)
        assert events[0][0] == "message_start", f"the stream did not begin with message_start: {context}"
    return events


def assert_broken_answer(target, response):
    """What a client sees when Copilot's stream breaks after it began: a stream ending in an error event for a
    streaming client; a JSON 5xx error for one that asked for a whole answer (the proxy was still collecting it)."""
    if target.stream:
        assert_stream_ends_in_error(target, response)
    else:
        assert_error_answer(target, response)
        assert 500 <= response.status_code < 600, f"a broken upstream answer is a 5xx: {response.status_code} {response.text[:300]}"


def record_of(proxy, nonce, wait=6.0):
    """The request's record once it has left the in-flight states (or as last seen), found by the nonce in its body."""
    started = time.monotonic()
    found = None
    while True:
        items = httpx.get(proxy.url + "/api/requests", params={"search": nonce}, timeout=5).json()["items"]
        if items:
            found = items[0]
            if found["state"] not in IN_FLIGHT:
                return found
        # A record is made when the request arrives: one missing after a second will not appear.
        if time.monotonic() - started > (wait if found else min(wait, 1.0)):
            return found
        time.sleep(0.05)


def assert_record(proxy, nonce, state, status, mentions=(), wait=6.0):
    record = record_of(proxy, nonce, wait)
    assert record is not None, "no request record: the dashboard does not show this request at all"
    summary = {k: record.get(k) for k in ("state", "status_code", "error", "stream", "endpoint", "model")}
    assert record["state"] not in IN_FLIGHT, f"the record is still in flight after {wait} s: {summary}"
    assert (record["state"], record["status_code"]) == (state, status), f"expected {state}/{status}: {summary}"
    if state != "completed":
        assert record["error"], f"the record does not say what went wrong: {summary}"
        if mentions:
            assert any(word in record["error"].lower() for word in mentions), f"the record's error should mention one of {mentions}: {summary}"
    else:
        assert record["error"] is None, f"a completed record with an error: {summary}"
    return record


ENDS = {"chat": "data: [DONE]", "responses": "event: response.completed", "anthropic": "event: message_stop"}


def assert_success(target, response):
    text = response.text
    assert response.status_code == 200, f"a normal request failed: {response.status_code} {text[:600]}"
    if target.stream:
        kind = "chat" if target.is_chat else "responses" if target.is_responses else "anthropic"
        assert ENDS[kind] in text, f"the stream did not finish: {text[-600:]}"
        assert "event: error" not in text and 'data: {"error"' not in text, text[-600:]
    else:
        assert "You said: hi" in text, text[:600]


def assert_serves(proxy, stand_in, target):
    """The server keeps serving: with the fault gone, a normal request on the same path succeeds."""
    stand_in.scenario()
    outcome = attempt(proxy, target, timeout=15)
    assert_success(target, outcome.answer())


# --- Proxies and a switchable upstream --------------------------------------------------------------------------


class Switchboard:
    """A TCP front for the stand-in's Copilot API that forwards, refuses connections (nothing listens), or resets
    them as soon as they are accepted. Changing the mode cuts the connections it carries, so the proxy's pooled
    connections go too."""

    def __init__(self, target_port, mode="forward"):
        self.target = ("127.0.0.1", target_port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.mode = "forward"
        self.lock = threading.Lock()
        self.carried = set()
        self.listener = None
        self.set(mode)

    def _listen(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.mode == "reset":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                continue
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client):
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        with self.lock:
            self.carried.update((client, upstream))
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 1)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            with self.lock:
                self.carried.discard(client)
                self.carried.discard(upstream)
            for end in (client, upstream):
                try:
                    end.close()
                except OSError:
                    pass

    def set(self, mode):
        with self.lock:
            carried = list(self.carried)
        for end in carried:
            try:
                end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if mode == "refuse" and self.listener is not None:
            try:
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; close alone would not
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        if mode != "refuse" and self.listener is None:
            self._listen()
        self.mode = mode
        time.sleep(0.1)


def stand_in_port(stand_in):
    return int(stand_in.url.rsplit(":", 1)[1])


def start_proxy(stand_in, tmp_path_factory, name, config):
    return Proxy(stand_in, str(tmp_path_factory.mktemp(name)), config)


@pytest.fixture(scope="module")
def fast(stand_in, tmp_path_factory):
    """A proxy that gives up on a silent upstream after 1 s and retries a failed connection once."""
    proxy = start_proxy(stand_in, tmp_path_factory, "fast", "upstream_read_timeout: 1\nmax_connection_retries: 1\n")
    yield proxy
    proxy.stop()


def switched_proxy(stand_in, tmp_path_factory, name, mode):
    """A proxy whose Copilot API goes through its own Switchboard (`copilot_api_base_url`), in `mode` at start."""
    board = Switchboard(stand_in_port(stand_in), mode=mode)
    proxy = start_proxy(stand_in, tmp_path_factory, name,
                        f"copilot_api_base_url: http://127.0.0.1:{board.port}\nmax_connection_retries: 1\nupstream_read_timeout: 1\n")
    proxy.board = board
    return proxy


def stop_switched(proxy):
    proxy.stop()
    proxy.board.set("refuse")


def recovery(proxy, within):
    """Once Copilot is reachable again: seconds until a normal request succeeds, or None and the last failure."""
    started = time.monotonic()
    while True:
        outcome = attempt(proxy, TARGETS[0], timeout=10)
        if outcome.response is not None and outcome.response.status_code == 200:
            return time.monotonic() - started, None
        last = outcome.response.text[:300] if outcome.response is not None else repr(outcome.failure)
        if time.monotonic() - started > within:
            return None, last
        time.sleep(0.1)


def assert_recovered(proxy, stand_in, target, recovered, within):
    seconds, last = recovered
    assert seconds is not None, f"Copilot accepts connections again, yet {within} s later the proxy still answers: {last}"
    assert_serves(proxy, stand_in, target)


# --- The upstream refuses or resets the connection -----------------------------------------------------------------

CATALOG_RECOVERY = 12  # the outage lasts about 5 s; the catalog's own backoff after failed loads is 1, 2, 4, 8 … s
CONNECT_RECOVERY = 6  # max_connection_retries is 1: the proxy's own backoff is 1 s


@pytest.fixture(scope="module")
def outage(stand_in, tmp_path_factory):
    """Copilot's API port refuses connections from the proxy's start, so no model catalog can be loaded; every
    target's request is sent at once; then Copilot comes back."""
    proxy = switched_proxy(stand_in, tmp_path_factory, "outage", "refuse")
    results = attempt_all(proxy, TARGETS)
    proxy.board.set("forward")
    proxy.results, proxy.recovered = results, recovery(proxy, CATALOG_RECOVERY)
    yield proxy
    stop_switched(proxy)


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_refused_before_the_catalog_is_known(outage, target):
    outcome = outage.results[target.id]
    response = outcome.answer()
    error = assert_error_answer(target, response, status=503)
    assert "retry-after" in response.headers, response.headers
    if target.route.dialect == "openai":
        assert error["code"] == "model_catalog_unavailable", error
    assert "catalog" in error["message"], error
    assert_record(outage, outcome.nonce, "error", 503, mentions=("catalog", "refused"))


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_refused_before_the_catalog_is_known_then_serves_again(outage, stand_in, target):
    assert_recovered(outage, stand_in, target, outage.recovered, CATALOG_RECOVERY)


def connection_fault_burst(stand_in, tmp_path_factory, mode):
    """A proxy with its catalog loaded, every target's request sent at once while Copilot's API port does `mode`
    (refuse or reset), then the port forwarding again; its results and how it recovered are kept on it."""
    proxy = switched_proxy(stand_in, tmp_path_factory, f"{mode}-burst", "forward")
    assert attempt(proxy, TARGETS[0]).answer().status_code == 200
    proxy.board.set(mode)
    results = attempt_all(proxy, TARGETS)
    proxy.board.set("forward")
    proxy.results, proxy.recovered = results, recovery(proxy, CONNECT_RECOVERY)
    return proxy


@pytest.fixture(scope="module")
def refusing(stand_in, tmp_path_factory):
    """The catalog is loaded; then Copilot's API port refuses connections while every target's request is sent at
    once; then it accepts them again."""
    proxy = connection_fault_burst(stand_in, tmp_path_factory, "refuse")
    yield proxy
    stop_switched(proxy)


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_refused_connection(refusing, stand_in, target):
    outcome = refusing.results[target.id]
    assert_error_answer(target, outcome.answer(), status=502)
    assert_record(refusing, outcome.nonce, "error", 502, mentions=("refused",))


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_refused_connection_then_serves_again(refusing, stand_in, target):
    assert_recovered(refusing, stand_in, target, refusing.recovered, CONNECT_RECOVERY)


@pytest.fixture(scope="module")
def resetting(stand_in, tmp_path_factory):
    """The catalog is loaded; then Copilot's API resets every connection as soon as it is accepted."""
    proxy = connection_fault_burst(stand_in, tmp_path_factory, "reset")
    yield proxy
    stop_switched(proxy)


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_reset_connection(resetting, stand_in, target):
    outcome = resetting.results[target.id]
    assert_error_answer(target, outcome.answer(), status=502)
    assert_record(resetting, outcome.nonce, "error", 502, mentions=("reset", "closed"))


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_reset_connection_then_serves_again(resetting, stand_in, target):
    assert_recovered(resetting, stand_in, target, resetting.recovered, CONNECT_RECOVERY)


# --- Copilot answers an error status before the stream ----------------------------------------------------------------

STATUS_FAULTS = {
    "400": {"status": 400},
    "429-retry-after": {"status": 429, "retry_after": "7"},
    "500": {"status": 500},
    "503-retry-after": {"status": 503, "retry_after": "3"},
    "502-html": {"status": 502, "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"},
}
ANTHROPIC_TYPE_FOR = {400: {"invalid_request_error"}, 429: {"rate_limit_error"}, 500: {"api_error"},
                      502: {"api_error"}, 503: {"overloaded_error", "api_error"}}


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
@pytest.mark.parametrize("fault", list(STATUS_FAULTS))
def test_error_status_before_the_stream(fast, stand_in, fault, target):
    spec = STATUS_FAULTS[fault]
    stand_in.scenario(faults=[{"path": target.route.upstream, "action": "status", **spec}])
    outcome = attempt(fast, target)
    response = outcome.answer()
    error = assert_error_answer(target, response, status=spec["status"])
    if "retry_after" in spec:
        assert response.headers.get("retry-after") == spec["retry_after"], f"Retry-After lost: {response.headers}"
    if target.route.dialect == "anthropic":
        assert error["type"] in ANTHROPIC_TYPE_FOR[spec["status"]], error
    assert_record(fast, outcome.nonce, "error", spec["status"])
    assert_serves(fast, stand_in, target)


# --- Copilot stays silent: before the headers, or in the middle of the stream -----------------------------------------


@pytest.fixture(scope="module")
def header_stall_results(fast, stand_in):
    stand_in.scenario(faults=[{"path": path, "action": "delay", "delay_ms": 2500} for path in UPSTREAM_PATHS])
    try:
        return attempt_all(fast, TARGETS)
    finally:
        stand_in.scenario()


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_silent_before_the_headers(fast, stand_in, header_stall_results, target):
    outcome = header_stall_results[target.id]
    assert_error_answer(target, outcome.answer(), status=504)
    assert_record(fast, outcome.nonce, "error", 504)
    assert_serves(fast, stand_in, target)


@pytest.fixture(scope="module")
def stream_stall_results(fast, stand_in):
    stand_in.scenario(faults=[
        {"path": path, "action": "stall", "after_events": EVENTS_BEFORE_FAULT[path], "delay_ms": 2500} for path in UPSTREAM_PATHS])
    try:
        return attempt_all(fast, STREAMED_UPSTREAM)
    finally:
        stand_in.scenario()


@pytest.mark.parametrize("target", STREAMED_UPSTREAM, ids=ids(STREAMED_UPSTREAM))
def test_silent_mid_stream(fast, stand_in, stream_stall_results, target):
    outcome = stream_stall_results[target.id]
    response = outcome.answer()
    assert_broken_answer(target, response)
    assert_record(fast, outcome.nonce, "error", response.status_code, mentions=("timeout", "nothing", "silent", "within"))
    assert_serves(fast, stand_in, target)


# --- Copilot's stream breaks: garbage, or a dropped connection ------------------------------------------------------------


@pytest.mark.parametrize("target", STREAMED_UPSTREAM, ids=ids(STREAMED_UPSTREAM))
def test_garbage_in_the_stream(fast, stand_in, target):
    upstream = target.route.upstream
    stand_in.scenario(faults=[{"path": upstream, "action": "malformed_line", "after_events": EVENTS_BEFORE_FAULT[upstream]}])
    outcome = attempt(fast, target)
    response = outcome.answer()
    assert_broken_answer(target, response)
    assert_record(fast, outcome.nonce, "error", response.status_code, mentions=("json", "malformed"))
    assert_serves(fast, stand_in, target)


@pytest.mark.parametrize("target", STREAMED_UPSTREAM, ids=ids(STREAMED_UPSTREAM))
def test_dropped_mid_stream(fast, stand_in, target):
    upstream = target.route.upstream
    stand_in.scenario(faults=[{"path": upstream, "action": "drop_mid_stream", "after_events": EVENTS_BEFORE_FAULT[upstream]}])
    outcome = attempt(fast, target)
    response = outcome.answer()
    assert_broken_answer(target, response)
    assert_record(fast, outcome.nonce, "error", response.status_code,
                  mentions=("ended", "interrupted", "incomplete", "closed", "failed", "complete"))
    assert_serves(fast, stand_in, target)


# --- The token exchange fails -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def token_blip_results(proxy, stand_in):
    """The Copilot token expires and the first exchange answers 500: the proxy's backoff waits it out. (On the
    default proxy: the 1 s read timeout of `fast` is not what this case is about.)"""
    assert attempt(proxy, TARGETS[0]).answer().status_code == 200
    stand_in.scenario(faults=[{"path": "/copilot_internal/v2/token", "action": "status", "status": 500, "calls": [1]}])
    stand_in.expire_tokens()
    try:
        return attempt_all(proxy, TARGETS)
    finally:
        stand_in.scenario()


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_token_exchange_fails_briefly(proxy, stand_in, token_blip_results, target):
    outcome = token_blip_results[target.id]
    assert_success(target, outcome.answer())
    assert_record(proxy, outcome.nonce, "completed", 200)


@pytest.fixture(scope="module")
def token_outage_results(proxy, stand_in):
    """The Copilot token expires and every exchange answers 500 for a while."""
    assert attempt(proxy, TARGETS[0]).answer().status_code == 200
    stand_in.scenario(faults=[{"path": "/copilot_internal/v2/token", "action": "status", "status": 500}])
    stand_in.expire_tokens()
    try:
        return attempt_all(proxy, TARGETS)
    finally:
        stand_in.scenario()


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_token_exchange_down(proxy, stand_in, token_outage_results, target):
    outcome = token_outage_results[target.id]
    response = outcome.answer()
    error = assert_error_answer(target, response)
    assert 500 <= response.status_code < 600, f"a failing token exchange is an upstream failure: {response.status_code} {response.text[:300]}"
    assert "token" in error["message"].lower(), error
    assert_record(proxy, outcome.nonce, "error", response.status_code, mentions=("token",))
    assert_serves(proxy, stand_in, target)


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_github_rejects_the_token_exchange(fast, stand_in, target):
    stand_in.scenario(faults=[{"path": "/copilot_internal/v2/token", "action": "status", "status": 401,
                               "body": '{"message": "Bad credentials"}'}])
    stand_in.expire_tokens()
    outcome = attempt(fast, target)
    response = outcome.answer()
    error = assert_error_answer(target, response, status=401)
    if target.route.dialect == "anthropic":
        assert error["type"] == "authentication_error", error
    assert "auth login" in error["message"], error
    assert_record(fast, outcome.nonce, "error", 401)
    assert_serves(fast, stand_in, target)


# --- The client goes away: before the headers, mid-stream, during a retry ---------------------------------------------------


def open_raw(proxy, target, nonce):
    payload = json.dumps(body_for(target, nonce)).encode()
    raw = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
    raw.sendall(f"POST {target.route.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
    return raw


def read_until_events(raw, wait=5.0):
    """Reads until the head and at least one event of a streamed answer arrived; returns what was read."""
    received = b""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        chunk = raw.recv(4096)
        if not chunk:
            break
        received += chunk
        head, _, rest = received.partition(b"\r\n\r\n")
        if rest and b"data:" in rest:
            break
    return received


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_client_leaves_before_the_headers(proxy, stand_in, target):
    stand_in.scenario(faults=[{"path": target.route.upstream, "action": "delay", "delay_ms": 6000}])
    nonce = new_nonce()
    with open_raw(proxy, target, nonce):
        time.sleep(0.3)
    # Copilot would answer after 6 s: a final record well before then means the call was abandoned.
    record = assert_record(proxy, nonce, "cancelled", 499, wait=2.5)
    assert_serves(proxy, stand_in, target)


@pytest.mark.parametrize("target", STREAMED_UPSTREAM, ids=ids(STREAMED_UPSTREAM))
def test_client_leaves_mid_stream(proxy, stand_in, target):
    stand_in.scenario(stream_event_delay_ms=250)
    before = stand_in.stats()
    nonce = new_nonce()
    with open_raw(proxy, target, nonce) as raw:
        if target.stream:
            received = read_until_events(raw)
            assert received.startswith(b"HTTP/1.1 200") and b"data:" in received, received[:300]
        else:
            time.sleep(0.4)  # the proxy is collecting the translated answer
    assert_record(proxy, nonce, "cancelled", 499, wait=2.0)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        after = stand_in.stats()
        if after["streams_aborted"] > before["streams_aborted"]:
            break
        time.sleep(0.05)
    # The stand-in's stream would have finished within 2.5 s had the proxy kept reading it.
    assert after["streams_aborted"] > before["streams_aborted"], f"the upstream stream was not cancelled: {before} → {after}"
    assert after["streams_completed"] == before["streams_completed"], f"the upstream stream ran to its end: {before} → {after}"
    assert_serves(proxy, stand_in, target)


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_client_leaves_during_the_retry_after_a_401(proxy, stand_in, target):
    """Copilot answers 401 (token expired); the proxy renews the token and retries; the retry hangs; the client leaves."""
    upstream = target.route.upstream
    stand_in.scenario(faults=[{"path": upstream, "action": "delay", "delay_ms": 6000, "calls": [2]}])
    stand_in.expire_tokens()
    stand_in.clear()
    nonce = new_nonce()
    with open_raw(proxy, target, nonce):
        deadline = time.monotonic() + 5
        while len(stand_in.requests(upstream)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(stand_in.requests(upstream)) == 2, "the proxy did not retry after the 401"
        time.sleep(0.1)
    assert_record(proxy, nonce, "cancelled", 499, wait=2.0)
    assert_serves(proxy, stand_in, target)


@pytest.fixture(scope="module")
def leaving(stand_in, tmp_path_factory):
    """Copilot's API port refuses connections; every target's request is retrying (the proxy logged it) when its
    client leaves; then Copilot comes back."""
    proxy = switched_proxy(stand_in, tmp_path_factory, "leaving", "forward")
    assert attempt(proxy, TARGETS[0]).answer().status_code == 200
    log_before = len(proxy.process.stderr())
    proxy.board.set("refuse")
    sockets = {}
    for target in TARGETS:
        nonce = new_nonce()
        sockets[target.id] = (nonce, open_raw(proxy, target, nonce))
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        if proxy.process.stderr()[log_before:].count("cannot connect to Copilot") >= len(TARGETS):
            break
        time.sleep(0.05)
    proxy.retrying = proxy.process.stderr()[log_before:].count("cannot connect to Copilot")
    for nonce, raw in sockets.values():
        raw.close()
    left = time.monotonic()
    # The retries would end 2 s after the clients left: within 1.5 s every record must be final.
    proxy.records = {key: record_of(proxy, nonce, wait=max(0.1, left + 1.5 - time.monotonic())) for key, (nonce, _) in sockets.items()}
    proxy.board.set("forward")
    proxy.recovered = recovery(proxy, CONNECT_RECOVERY)
    yield proxy
    stop_switched(proxy)


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_client_leaves_during_a_connection_retry(leaving, stand_in, target):
    assert leaving.retrying >= len(TARGETS), f"only {leaving.retrying} requests were retrying a refused connection"
    record = leaving.records[target.id]
    assert record is not None, "no request record"
    assert (record["state"], record["status_code"]) == ("cancelled", 499), {k: record[k] for k in ("state", "status_code", "error")}


@pytest.mark.parametrize("target", TARGETS, ids=ids(TARGETS))
def test_client_leaves_during_a_connection_retry_then_serves_again(leaving, stand_in, target):
    assert_recovered(leaving, stand_in, target, leaving.recovered, CONNECT_RECOVERY)


# --- Nothing leaks ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leak_proxy(stand_in, tmp_path_factory):
    proxy = start_proxy(stand_in, tmp_path_factory, "leaks", "upstream_read_timeout: 1\nmax_connection_retries: 1\n")
    yield proxy
    proxy.stop()


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def wait_idle(proxy, wait=10.0):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if httpx.get(proxy.url + "/api/stats", timeout=5).json()["in_flight"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("requests still in flight")


def leave_mid_stream(proxy, target):
    with open_raw(proxy, target, new_nonce()) as raw:
        if target.stream:
            read_until_events(raw)
        else:
            time.sleep(0.15)
    return "left"


def faulty_burst(proxy, stand_in, total, workers=10):
    """`total` faulty requests over every target: error statuses, silences, garbage, drops and clients that leave.
    Returns the answers that were successes (there must be none)."""
    plan = [
        ({"faults": [{"path": p, "action": "status", "status": s} for p, s in zip(UPSTREAM_PATHS, (500, 429, 503))]}, TARGETS, 0.30),
        ({"faults": [{"path": p, "action": "delay", "delay_ms": 1500} for p in UPSTREAM_PATHS]}, TARGETS, 0.05),
        ({"faults": [{"path": p, "action": "drop_mid_stream", "after_events": EVENTS_BEFORE_FAULT[p]} for p in UPSTREAM_PATHS]}, STREAMED_UPSTREAM, 0.20),
        ({"faults": [{"path": p, "action": "malformed_line", "after_events": EVENTS_BEFORE_FAULT[p]} for p in UPSTREAM_PATHS]}, STREAMED_UPSTREAM, 0.20),
        ({"stream_event_delay_ms": 100}, STREAMED_UPSTREAM, 0.20),
    ]
    silent_successes = []
    sent = 0
    for index, (scenario, targets, share) in enumerate(plan):
        count = total - sent if index == len(plan) - 1 else round(total * share)
        sent += count
        stand_in.scenario(**scenario)
        chosen = [targets[i % len(targets)] for i in range(count)]
        with ThreadPoolExecutor(workers) as pool:
            if "faults" in scenario:
                outcomes = list(pool.map(lambda t: (t, attempt(proxy, t, timeout=10)), chosen))
                for target, outcome in outcomes:
                    response = outcome.answer()
                    text = response.text
                    broken = response.status_code >= 400 or "event: error" in text or '{"error"' in text
                    if not broken:
                        silent_successes.append((target.id, scenario, response.status_code, text[-300:]))
            else:
                list(pool.map(lambda t: leave_mid_stream(proxy, t), chosen))
    stand_in.scenario()
    return silent_successes


def test_a_burst_of_faults_leaks_no_descriptors_and_no_memory(leak_proxy, stand_in):
    pid = leak_proxy.process.proc.pid
    # Warm-up: the same mix, so the connection pool, caches and allocator reach their working size.
    assert faulty_burst(leak_proxy, stand_in, 40) == []
    for target in TARGETS:
        assert_success(target, attempt(leak_proxy, target).answer())
    wait_idle(leak_proxy)
    time.sleep(0.5)
    base_fds, base_rss = open_fds(pid), rss_kb(pid)

    silent = faulty_burst(leak_proxy, stand_in, 200)
    assert silent == [], f"faulty requests answered as successes: {silent[:3]}"
    wait_idle(leak_proxy)
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and open_fds(pid) > base_fds + 6:
        time.sleep(0.2)
    fds, rss = open_fds(pid), rss_kb(pid)
    assert fds <= base_fds + 6, f"open descriptors grew from {base_fds} to {fds} after 200 faulty requests: {sorted(os.listdir(f'/proc/{pid}/fd'))}"
    assert rss - base_rss < 50 * 1024, f"RSS grew by {(rss - base_rss) / 1024:.1f} MB after 200 faulty requests ({base_rss} → {rss} kB)"
    for target in TARGETS:
        assert_success(target, attempt(leak_proxy, target).answer())
