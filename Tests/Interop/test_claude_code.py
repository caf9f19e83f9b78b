"""The real Claude Code CLI (bundled in PyPI's claude-agent-sdk, pinned in requirements.txt) against
`ghc-api serve` on the stand-in, unmodified, as a user runs it: `claude -p` on all three paths, stream-json,
--continue, a Read tool turn, and count_tokens with Claude Code's own request."""
import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest

import claude_agent_sdk

CLAUDE = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
FIXTURE = Path(__file__).resolve().parents[1] / "GHCTranslationTests" / "Fixtures" / "claude-code-2.1.327-first-request.json"
ACCEPTED_BETAS = {"interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14", "token-efficient-tools-2025-02-19",
                  "context-1m-2025-08-07", "effort-2025-11-24"}


@pytest.fixture
def workdir(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("hello notes\n")
    (tmp_path / "home").mkdir()
    return work


def claude(proxy, workdir, *args, timeout=90):
    """Runs `claude` with a fresh HOME and only the variables a user sets for a proxy; returns its parsed output."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir.parent / "home"), "ANTHROPIC_BASE_URL": proxy.url,
           "ANTHROPIC_AUTH_TOKEN": "any-value", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}
    done = subprocess.run([str(CLAUDE), *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"claude exited {done.returncode}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return done.stdout


def result(output):
    answer = json.loads(output)
    assert answer["is_error"] is False, answer
    return answer


def test_the_bundled_claude_code_is_the_pinned_version():
    assert (CLAUDE.parent / "claude.version").read_text().startswith("2.1.327")


def test_print_mode_native_path(proxy, stand_in, workdir):
    answer = result(claude(proxy, workdir, "-p", "say hi", "--output-format", "json"))
    assert answer["result"] == "You said: say hi"
    assert answer["usage"]["input_tokens"] > 1000
    calls = stand_in.requests("/v1/messages")
    assert calls, "Claude Code's request never reached Copilot's /v1/messages"
    sent = json.loads(calls[-1]["body"])
    assert sent["model"] == "claude-opus-5.5"
    assert {m["role"] for m in sent["messages"]} == {"user"}
    assert sent["messages"][-1]["content"][-1]["text"].startswith("<system-reminder>\n# Environment")
    assert "context_management" not in sent and "display" not in sent["thinking"]
    assert sent["max_tokens"] <= 32000
    assert set(calls[-1]["headers"].get("anthropic-beta", "").split(",")) <= ACCEPTED_BETAS
    assert calls[-1]["headers"]["x-initiator"] == "user"


def test_stream_json_reports_every_step(proxy, workdir):
    lines = [json.loads(line) for line in claude(proxy, workdir, "-p", "stream me", "--output-format", "stream-json", "--verbose").splitlines()]
    assert lines[0]["type"] == "system" and lines[0]["subtype"] == "init"
    texts = [block["text"] for line in lines if line["type"] == "assistant" for block in line["message"]["content"] if block["type"] == "text"]
    assert texts == ["You said: stream me"]
    assert lines[-1]["type"] == "result" and lines[-1]["subtype"] == "success" and lines[-1]["result"] == "You said: stream me"


def test_continue_sends_the_earlier_turn(proxy, stand_in, workdir):
    result(claude(proxy, workdir, "-p", "first question", "--output-format", "json"))
    answer = result(claude(proxy, workdir, "-p", "and again", "--continue", "--output-format", "json"))
    assert answer["result"] == "You said: and again"
    sent = json.loads(stand_in.requests("/v1/messages")[-1]["body"])
    history = json.dumps(sent["messages"])
    assert "first question" in history and "You said: first question" in history
    assert stand_in.requests("/v1/messages")[-1]["headers"]["x-initiator"] == "user"


@pytest.mark.parametrize("model,path", [("claude-opus-5-5", "/v1/messages"), ("gpt-5.5", "/chat/completions"), ("gpt-5.3-codex", "/responses")])
def test_a_read_tool_turn_on_each_path(proxy, stand_in, workdir, model, path):
    answer = result(claude(proxy, workdir, "-p", "use Read on notes.txt", "--model", model, "--output-format", "json"))
    assert "hello notes" in answer["result"]
    assert answer["num_turns"] == 2
    calls = stand_in.requests(path)
    assert [c["headers"]["x-initiator"] for c in calls[-2:]] == ["user", "agent"]
    assert str(workdir / "notes.txt") in calls[-2]["body"] or "hello notes" in calls[-1]["body"]
    assert "hello notes" in calls[-1]["body"]
    # The history finds the turn by its tool input (the answer's Read call) and the next by the tool result.
    newest = httpx.get(f"{proxy.url}/api/requests", params={"endpoint": "/v1/messages", "per_page": 2}, timeout=10).json()["items"]
    assert newest[1]["model"] == newest[0]["model"] == model
    assert search(proxy, f'answer:"{workdir.name}/notes.txt"')[0] == newest[1]["id"]
    assert search(proxy, 'prompt:"hello notes"')[0] == newest[0]["id"]


def search(proxy, query):
    """The ids the dashboard's search finds, newest first."""
    found = httpx.get(f"{proxy.url}/api/requests/search", params={"q": query}, timeout=10)
    assert found.status_code == 200, found.text
    return [item["id"] for item in found.json()["items"]]


@pytest.mark.parametrize("model,path", [("gpt-5.5", "/chat/completions"), ("gpt-5.3-codex", "/responses")])
def test_print_mode_translated_paths(proxy, stand_in, workdir, model, path):
    answer = result(claude(proxy, workdir, "-p", "say hi", "--model", model, "--output-format", "json"))
    assert answer["result"] == "You said: say hi"
    body = json.loads(stand_in.requests(path)[-1]["body"])
    record = httpx.get(f"{proxy.url}/api/requests", timeout=10).json()["items"][0]
    asked = httpx.get(f"{proxy.url}/api/request/{record['id']}", timeout=10).json()["original_request_body"]["output_config"]["effort"]
    if path == "/chat/completions":
        assert body["messages"][-1]["role"] == "system" and body["messages"][-1]["content"].startswith("# Environment")
        assert body["reasoning_effort"] == asked
    else:
        assert body["input"][-1]["role"] == "developer"
        assert body["reasoning"]["effort"] == asked


def test_count_tokens_as_claude_code_calls_it(proxy):
    request = json.loads(FIXTURE.read_text())
    for key in ("stream", "max_tokens", "metadata", "context_management"):
        request.pop(key, None)
    headers = {"anthropic-version": "2023-06-01", "anthropic-beta": "claude-code-20250219,token-counting-2024-11-01,per-turn-control-2026-07-01",
               "authorization": "Bearer any-value", "user-agent": "claude-cli/2.1.327 (external, sdk-cli)", "x-app": "cli"}
    answer = httpx.post(f"{proxy.url}/v1/messages/count_tokens?beta=true", json=request, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    assert 8000 < answer.json()["input_tokens"] < 20000
