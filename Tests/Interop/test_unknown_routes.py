"""Requests no route takes get an answer in the caller's format, never an empty body."""
import httpx
import pytest


@pytest.mark.parametrize("path", ["/v1/nope", "/v1/chat/complete", "/v1/models-list"])
def test_unknown_openai_paths_are_openai_errors(proxy, path):
    answer = httpx.post(proxy.url + path, json={}, timeout=5)
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error" and error["code"] == "not_found" and path in error["message"]


@pytest.mark.parametrize("path", ["/v1/messages/batches", "/v1/messages/nope"])
def test_unknown_messages_paths_are_anthropic_errors(proxy, path):
    answer = httpx.get(proxy.url + path, timeout=5)
    assert answer.status_code == 404
    assert answer.json()["type"] == "error" and answer.json()["error"]["type"] == "not_found_error"


@pytest.mark.parametrize("method,path,allowed,dialect", [
    ("GET", "/v1/chat/completions", "POST", "openai"), ("DELETE", "/responses", "POST", "openai"),
    ("GET", "/v1/messages", "POST", "anthropic"), ("PUT", "/v1/messages/count_tokens", "POST", "anthropic"),
    ("POST", "/v1/models", "GET", "openai"),
])
def test_a_wrong_method_is_405_with_allow(proxy, method, path, allowed, dialect):
    answer = httpx.request(method, proxy.url + path, timeout=5, headers={"content-type": "application/json"})
    assert answer.status_code == 405 and answer.headers["allow"] == allowed
    message = answer.json()["error"]["message"] if dialect == "openai" else answer.json()["error"]["message"]
    assert f"use {allowed}" in message
    if dialect == "anthropic":
        assert answer.json()["type"] == "error"


def test_other_paths_answer_like_the_original(proxy):
    answer = httpx.get(proxy.url + "/no/such/page", timeout=5)
    assert answer.status_code == 404 and answer.json() == {"error": "Not found"}
