"""Structured logs and request ids, as a log shipper and a user chasing one request see them."""
import json
import os
import subprocess

import httpx
import openai

from conftest import binary, wait_for


def json_lines(server):
    lines = [line for line in server.process.stderr().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_json_log_lines_parse_and_name_the_request(make_proxy):
    server = make_proxy(args=("--log-format", "json"))
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0)
    raw = client.chat.completions.with_raw_response.create(model="gpt-4.1", messages=[{"role": "user", "content": "hi"}])
    request_id = raw.headers["x-request-id"]
    traced = httpx.post(
        f"{server.url}/v1/chat/completions", headers={"x-request-id": "trace-42"}, timeout=10,
        json={"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert traced.headers["x-request-id"] == "trace-42"

    def request_lines():
        found = [line for line in json_lines(server) if "request_id" in line and "route" in line]
        return found if len(found) >= 2 else None

    lines = wait_for(request_lines, "two request lines")
    for line in lines:
        assert {"time", "level", "message", "request_id", "route", "model", "status", "duration_ms"} <= line.keys()
        assert line["time"].endswith("Z") and line["level"] == "info" and isinstance(line["duration_ms"], int)
    first, second = lines[0], lines[1]
    assert first["request_id"] == request_id and first["route"] == "/v1/chat/completions" and first["status"] == 200
    assert second["request_id"] == "trace-42" and second["model"] == "gpt-4.1"
    # A generated id is the record's id, so the header finds the request on the dashboard; a client's is kept beside it.
    assert httpx.get(f"{server.url}/api/request/{request_id}", timeout=10).json()["model"] == "gpt-4.1"
    items = httpx.get(f"{server.url}/api/requests", timeout=10).json()["items"]
    traced_record = httpx.get(f"{server.url}/api/request/{items[0]['id']}", timeout=10).json()
    assert traced_record["client_request_id"] == "trace-42"


def test_the_config_key_chooses_json_and_refusals_carry_an_id(make_proxy):
    server = make_proxy("log_format: json\napi_keys: [k1]\n")
    refused = httpx.get(f"{server.url}/v1/models", timeout=10)
    assert refused.status_code == 401 and len(refused.headers["x-request-id"]) == 36
    wrong = httpx.get(f"{server.url}/v1/models", headers={"x-request-id": "bad id with spaces"}, timeout=10)
    assert wrong.headers["x-request-id"] != "bad id with spaces"
    assert all(isinstance(line, dict) for line in json_lines(server))


def test_text_lines_carry_the_request_id(make_proxy):
    server = make_proxy()
    httpx.post(f"{server.url}/v1/chat/completions", headers={"x-request-id": "text-7"}, timeout=10,
               json={"model": "gpt-4.1", "messages": [{"role": "user", "content": "hi"}]})
    wait_for(lambda: "POST /v1/chat/completions gpt-4.1 → 200" in server.process.stderr(), "the request line")
    line = next(l for l in server.process.stderr().splitlines() if "POST /v1/chat/completions" in l)
    assert " info " in line and line.endswith("request_id=text-7")


def test_a_log_format_that_does_not_exist_is_refused(tmp_path):
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(tmp_path), NO_COLOR="1")
    flag = subprocess.run([binary(), "serve", "--log-format", "xml"], env=env, capture_output=True, text=True, timeout=30)
    assert flag.returncode == 64 and "expected one of text, json" in flag.stderr
    (tmp_path / "config.yaml").write_text("log_format: yaml\n")
    check = subprocess.run([binary(), "config", "check"], env=env, capture_output=True, text=True, timeout=30)
    assert check.returncode != 0 and "log_format" in check.stdout + check.stderr
