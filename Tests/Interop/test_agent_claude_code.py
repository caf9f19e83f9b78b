"""A real ACP agent nobody here wrote: claude-code-acp 0.5.1 (PyPI), which runs the Claude Code bundled in
claude-agent-sdk, driven by `ghc-api agent chat` and by the /agent API, answered by the stand-in through serve."""
import json
import os
import subprocess

import httpx
import pytest

from conftest import binary, free_port

ACP_BIN = os.environ.get("CLAUDE_CODE_ACP_BIN", "")

pytestmark = pytest.mark.skipif(
    not os.path.exists(os.path.join(ACP_BIN, "claude-code-acp")),
    reason="scripts/interop-test installs claude-code-acp and sets CLAUDE_CODE_ACP_BIN",
)


@pytest.fixture
def served(make_proxy, tmp_path):
    """A serve whose config names its own port, so `agent chat` finds it and points the agent at it."""
    port = free_port()
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    agent_env = {
        "HOME": str(home),
        "PATH": ACP_BIN + os.pathsep + os.environ["PATH"],
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    }
    proxy = make_proxy(f"port: {port}\n", port=port, env_extra=agent_env)
    env = dict(os.environ, GHC_API_CONFIG_DIR=proxy.dir, NO_COLOR="1", **agent_env)
    for name in list(env):
        if name.startswith("ANTHROPIC_") or name.startswith("OPENAI_"):
            env.pop(name)
    return proxy, env, work


def turn(proxy, session_id, prompt, headers=None):
    """Runs one turn through the /agent API: its events, and the agent's answer text."""
    events = []
    with httpx.stream("POST", f"{proxy.url}/api/agent/sessions/{session_id}/prompt", json={"text": prompt}, headers=headers or {},
                      timeout=240) as response:
        event = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                events.append((event, json.loads(line[6:])))
    text = "".join(data["content"]["text"] for kind, data in events if kind == "update" and data.get("sessionUpdate") == "agent_message_chunk")
    return events, text


def test_agent_list_finds_claude_code_acp_on_path(served):
    _, env, _ = served
    listed = subprocess.run([binary(), "agent", "list", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    claude = next(agent for agent in json.loads(listed.stdout)["agents"] if agent["kind"] == "claude-code")
    assert claude["available"] is True
    assert claude["command"] == [os.path.join(ACP_BIN, "claude-code-acp")]
    assert claude["version"] and "0.1.0" in claude["version"]


def test_one_turn_comes_back_with_the_stand_ins_answer(served, stand_in):
    proxy, env, work = served
    done = subprocess.run(
        [binary(), "agent", "chat", "--cwd", str(work), "--prompt", "Say hello"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert "You said: Say hello" in done.stdout
    assert f"through ghc-api at http://127.0.0.1:{proxy.port}" in done.stderr
    assert stand_in.requests("/v1/messages"), "the agent's Claude Code did not go through the proxy"
    sessions = json.loads(subprocess.run([binary(), "agent", "sessions", "--json"], env=env, capture_output=True, text=True).stdout)
    item = sessions["items"][0]
    assert item["agent_kind"] == "claude-code" and item["message_count"] >= 2
    # claude-code-acp keeps sessions in memory only and does not advertise session/load.
    resumed = subprocess.run(
        [binary(), "agent", "chat", "--resume", item["session_id"], "--prompt", "again"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )
    assert resumed.returncode == 1
    assert "cannot resume" in resumed.stderr


@pytest.mark.parametrize("policy, created", [("--yes", True), ("--deny", False)])
def test_a_command_that_needs_permission_runs_only_when_allowed(served, policy, created):
    """Claude Code asks before `touch`; --yes picks the allow_once option by kind, --deny the reject_once one."""
    _, env, work = served
    done = subprocess.run(
        [binary(), "agent", "chat", "--cwd", str(work), policy, "--prompt", "use Bash on touch made-by-bash.txt"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert "Run: touch made-by-bash.txt" in done.stderr
    assert (work / "made-by-bash.txt").exists() == created
    assert ("✓" if created else "✗") in done.stderr


def test_the_agent_page_api_drives_claude_code_acp(served):
    proxy, env, work = served
    created = httpx.post(
        proxy.url + "/api/agent/sessions",
        json={"agent_kind": "claude-code", "working_directory": str(work), "bypass_permissions": True},
        timeout=120,
    )
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["agent_info"]["name"] == "claude-code-acp-py"
    events, text = turn(proxy, session["session_id"], "Say hello")
    assert "You said: Say hello" in text
    assert events[-1] == ("done", {"stop_reason": "end_turn"})
    detail = httpx.get(f"{proxy.url}/api/agent/sessions/{session['session_id']}").json()
    kinds = [update["sessionUpdate"] for message in detail["messages"] if message["role"] == "agent" for update in message["updates"]]
    assert "available_commands_update" in kinds
    assert httpx.delete(f"{proxy.url}/api/agent/sessions/{session['session_id']}").json() == {"ok": True}


def test_with_client_keys_the_servers_agents_and_agent_chat_still_get_through(served, stand_in):
    """Once `ghc-api keys` locks the server, the agents it starts use the key it gives them, and `agent chat`
    presents GHC_API_KEY."""
    from conftest import wait_for

    proxy, env, work = served
    made = subprocess.run([binary(), "keys", "add", "me"], env=env, capture_output=True, text=True, timeout=30)
    key = next(word for word in made.stdout.split() if word.startswith("ghc_"))
    wait_for(lambda: httpx.get(proxy.url + "/v1/models", timeout=10).status_code == 401, "the key file to be read", timeout=5)
    headers = {"x-api-key": key}
    created = httpx.post(
        proxy.url + "/api/agent/sessions", headers=headers, timeout=120,
        json={"agent_kind": "claude-code", "working_directory": str(work), "bypass_permissions": True},
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["session_id"]
    events, text = turn(proxy, session_id, "Say hello", headers)
    assert "You said: Say hello" in text and events[-1] == ("done", {"stop_reason": "end_turn"})
    records = httpx.get(proxy.url + "/api/requests", headers=headers, params={"endpoint": "/v1/messages"}, timeout=10).json()["items"]
    assert records and all(record["key_name"] == "agents (ghc-api)" for record in records)
    httpx.delete(f"{proxy.url}/api/agent/sessions/{session_id}", headers=headers, timeout=30)

    done = subprocess.run(
        [binary(), "agent", "chat", "--cwd", str(work), "--prompt", "Say hi"],
        env=dict(env, GHC_API_KEY=key), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert "You said: Say hi" in done.stdout
    newest = httpx.get(proxy.url + "/api/requests", headers=headers, params={"endpoint": "/v1/messages"}, timeout=10).json()["items"][0]
    assert newest["key_name"] == "me"
