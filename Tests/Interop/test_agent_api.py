"""The /api/agent routes of `ghc-api serve` that the /agent page uses, driven with httpx against the scripted ACP agent:
sessions, streamed turns (SSE), permission questions answered over HTTP, cancel, restart and resume, and sessions
that a shell `ghc-api agent chat` owns."""
import json
import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from conftest import binary, wait_for
from test_agent_cli import agent_config, agent_pids, decode_session_file


def sse(response):
    """(event, data) pairs of a text/event-stream response, data decoded from JSON; comment lines skipped."""
    event, data = None, []
    for line in response.iter_lines():
        if line.startswith(":"):
            continue
        if line == "":
            if event is not None:
                yield event, json.loads("\n".join(data))
            event, data = None, []
        elif line.startswith("event:"):
            event = line[len("event:"):].strip()
        elif line.startswith("data:"):
            data.append(line[len("data:"):].strip())


def answer_text(events):
    return "".join(data["content"]["text"] for event, data in events
                   if event == "update" and data["sessionUpdate"] == "agent_message_chunk")


class Server:
    def __init__(self, make_proxy, tmp_path, directory=None, extra_config=""):
        self.tmp_path = tmp_path
        self.state = tmp_path / "state"
        self.work = tmp_path / "work"
        self.work.mkdir(exist_ok=True)
        if directory is None:
            self.proxy = make_proxy(agent_config(self.state) + extra_config)
        else:
            self.proxy = make_proxy(directory=directory)
        self.api = httpx.Client(base_url=self.proxy.url + "/api/agent", timeout=30)

    def create(self, **fields):
        body = {"agent_kind": "scripted", "working_directory": str(self.work), **fields}
        response = self.api.post("/sessions", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def prompt(self, sid, text, on_event=None):
        """Every event of one turn; `on_event(event, data)` runs as each arrives."""
        events = []
        with self.api.stream("POST", f"/sessions/{sid}/prompt", json={"text": text}) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            for event, data in sse(response):
                events.append((event, data))
                if on_event:
                    on_event(event, data)
        assert events and events[-1][0] == "done", events
        return events

    def detail(self, sid):
        response = self.api.get(f"/sessions/{sid}")
        assert response.status_code == 200, response.text
        return response.json()

    def listed(self, sid):
        items = self.api.get("/sessions").json()["items"]
        return next((item for item in items if item["session_id"] == sid), None)

    def shell_env(self):
        return dict(os.environ, GHC_API_CONFIG_DIR=self.proxy.dir, NO_COLOR="1")


@pytest.fixture
def server(make_proxy, tmp_path):
    return Server(make_proxy, tmp_path)


def test_agents_lists_the_configured_scripted_agent(server):
    agents = {a["kind"]: a for a in server.api.get("/agents").json()["agents"]}
    assert {"claude-code", "codex", "copilot-cli", "scripted"} <= set(agents)
    scripted = agents["scripted"]
    assert scripted["available"] is True and scripted["configured"] is True and scripted["problem"] is None
    assert scripted["command"][1].endswith("scripted_agent.py")
    claude = agents["claude-code"]
    assert claude["configured"] is False and "npm install" in claude["install"]
    assert claude["available"] or "claude-code" in claude["problem"]


def test_a_new_session_has_the_agents_header_and_bad_requests_are_400(server):
    earlier = server.tmp_path / "earlier"
    earlier.mkdir()
    server.create(working_directory=str(earlier))
    header = server.create(bypass_permissions=False)
    assert header["session_id"].startswith("scripted-") and header["agent_kind"] == "scripted"
    assert header["status"] == "active" and header["working_directory"] == str(server.work)
    assert header["created_at"] and header["updated_at"] and header["messages"] == []
    assert header["agent_info"] == {"name": "scripted-agent", "version": "1.0"}
    assert header["modes"]["currentModeId"] == "ask"
    assert [m["id"] for m in header["modes"]["availableModes"]] == ["ask", "yolo"]
    assert header["load_session"] is True and header["models"] == {} and "config_options" in header
    machines = server.api.get("/machines").json()["machines"]
    assert machines == [header["machine"]]
    assert server.api.get("/workdirs").json()["dirs"][:2] == [str(server.work), str(earlier)], "the latest directory first"
    assert server.listed(header["session_id"])["status"] == "active"

    in_yolo = server.create(mode="yolo")
    assert in_yolo["modes"]["currentModeId"] == "yolo"

    unknown = server.api.post("/sessions", json={"agent_kind": "nope", "working_directory": str(server.work)})
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"] and "scripted" in unknown.json()["error"]
    no_dir = server.api.post("/sessions", json={"agent_kind": "scripted"})
    assert no_dir.status_code == 400 and "working_directory" in no_dir.json()["error"]
    missing = server.tmp_path / "not-there"
    gone = server.api.post("/sessions", json={"agent_kind": "scripted", "working_directory": str(missing)})
    assert gone.status_code == 400 and str(missing) in gone.json()["error"]
    not_found = server.api.get("/sessions/scripted-000000000000")
    assert not_found.status_code == 404 and not_found.json() == {"error": "Session not found"}


def test_a_turn_streams_updates_then_done_and_updates_before_it_are_kept(server):
    sid = server.create()["session_id"]
    wait_for(lambda: any(u["sessionUpdate"] == "available_commands_update"
                         for m in server.detail(sid)["messages"] for u in m.get("updates", [])),
             "the available_commands_update sent after session/new to be stored")
    events = server.prompt(sid, "hello")
    assert {event for event, _ in events[:-1]} == {"update"}
    assert answer_text(events) == "Hello from the scripted agent. You said: hello"
    assert events[-1] == ("done", {"stop_reason": "end_turn"})

    messages = server.detail(sid)["messages"]
    assert messages[0]["role"] == "agent" and "stop_reason" not in messages[0]
    assert messages[0]["updates"][0]["availableCommands"] == [{"name": "review", "description": "Review the changes"}]
    assert messages[1]["role"] == "user" and messages[1]["content"] == [{"type": "text", "text": "hello"}]
    assert messages[2]["role"] == "agent" and messages[2]["stop_reason"] == "end_turn"
    assert [u["sessionUpdate"] for u in messages[2]["updates"]] == ["agent_message_chunk"] * 3
    assert server.listed(sid)["message_count"] == 3

    empty = server.api.post(f"/sessions/{sid}/prompt", json={})
    assert empty.status_code == 400 and empty.json() == {"error": "text is required"}


def test_a_permission_question_is_answered_over_http(server):
    sid = server.create(bypass_permissions=False)["session_id"]
    answers = httpx.Client(base_url=server.api.base_url, timeout=30)
    seen = {}

    def on_event(event, data):
        if event != "permission":
            return
        seen["permission"] = data
        pending = server.detail(sid)["pending_permissions"]
        seen["pending"] = pending
        seen["bogus"] = answers.post(f"/sessions/{sid}/permission", json={"request_id": data["request_id"], "option_id": "bogus"})
        seen["unknown_request"] = answers.post(f"/sessions/{sid}/permission", json={"request_id": "perm-999", "option_id": "yes-always"})
        seen["answer"] = answers.post(f"/sessions/{sid}/permission", json={"request_id": data["request_id"], "option_id": "yes-always"})

    events = server.prompt(sid, "permission please", on_event)
    asked = seen["permission"]
    assert asked["tool_call"]["toolCallId"] == "perm-tool" and asked["tool_call"]["title"] == "Delete build folder"
    assert [(o["optionId"], o["kind"]) for o in asked["options"]] == [
        ("nope", "reject_once"), ("yes-always", "allow_always"), ("yes-once", "allow_once")]
    assert [p["request_id"] for p in seen["pending"]] == [asked["request_id"]]
    assert seen["bogus"].status_code == 400
    assert seen["unknown_request"].status_code == 404
    assert seen["answer"].status_code == 200 and seen["answer"].json() == {"ok": True}
    resolved = [data for event, data in events if event == "permission_resolved"]
    assert resolved == [{"request_id": asked["request_id"], "outcome": {"outcome": "selected", "optionId": "yes-always"}}]
    assert answer_text(events) == "permission: selected yes-always"
    assert events[-1] == ("done", {"stop_reason": "end_turn"})
    assert server.detail(sid)["pending_permissions"] == []


def test_bypass_permissions_allows_once_without_asking(server):
    sid = server.create()["session_id"]
    events = server.prompt(sid, "permission please")
    assert "permission" not in {event for event, _ in events}
    assert answer_text(events) == "permission: selected yes-once"


def test_cancel_ends_a_running_turn_and_a_second_prompt_meanwhile_is_409(server):
    sid = server.create()["session_id"]
    other = httpx.Client(base_url=server.api.base_url, timeout=30)
    seen = {}

    def on_event(event, data):
        if event == "update" and "tick 2" in data.get("content", {}).get("text", "") and "cancel" not in seen:
            seen["second"] = other.post(f"/sessions/{sid}/prompt", json={"text": "hello"})
            seen["cancel"] = other.post(f"/sessions/{sid}/cancel")

    events = server.prompt(sid, "slow", on_event)
    assert seen["second"].status_code == 409
    assert seen["cancel"].json() == {"ok": True}
    assert events[-1] == ("done", {"stop_reason": "cancelled"})
    assert "tick 60" not in answer_text(events)
    assert server.detail(sid)["messages"][-1]["stop_reason"] == "cancelled"
    assert answer_text(server.prompt(sid, "hello again")).endswith("You said: hello again"), "the session goes on"


def test_refusal_and_delete(server):
    sid = server.create()["session_id"]
    events = server.prompt(sid, "refuse")
    assert answer_text(events) == "no" and events[-1] == ("done", {"stop_reason": "refusal"})
    assert agent_pids(server.state)
    assert server.api.delete(f"/sessions/{sid}").json() == {"ok": True}
    assert server.listed(sid)["status"] == "terminated"
    after = server.api.post(f"/sessions/{sid}/prompt", json={"text": "hello"})
    assert after.status_code == 400 and after.json() == {"error": "Session is not active"}
    wait_for(lambda: not agent_pids(server.state), "the agent process to end")


def test_an_agent_that_crashes_ends_the_turn_with_an_error_and_the_session_can_be_resumed(server):
    sid = server.create()["session_id"]
    events = server.prompt(sid, "crash")
    assert answer_text(events) == "about to crash"
    errors = [data["message"] for event, data in events if event == "error"]
    assert len(errors) == 1 and "exit code 3" in errors[0] and "crashing on purpose" in errors[0]
    assert events[-1] == ("done", {"stop_reason": "error"})
    wait_for(lambda: not agent_pids(server.state), "the crashed agent to be gone")
    gone = ("disconnected", True), ("terminated", True)
    wait_for(lambda: (server.listed(sid)["status"], server.listed(sid)["resumable"]) in gone,
             "the list to show the dead agent's session as disconnected/terminated and resumable", timeout=15)
    shown = server.detail(sid)
    assert (shown["status"], shown["resumable"]) in gone
    refused = server.api.post(f"/sessions/{sid}/prompt", json={"text": "hello"})
    assert refused.status_code == 400 and refused.json() == {"error": "Session is not active"}
    assert server.api.post(f"/sessions/{sid}/resume").json()["status"] == "active"
    assert answer_text(server.prompt(sid, "hello")).endswith("You said: hello")


def test_an_agent_that_cannot_start_is_a_500_naming_the_problem(make_proxy, tmp_path):
    server = Server(make_proxy, tmp_path, extra_config='  broken:\n    command: ["/nonexistent/agent-bin", "--acp"]\n')
    broken = next(a for a in server.api.get("/agents").json()["agents"] if a["kind"] == "broken")
    assert broken["available"] is False and broken["configured"] is True and "/nonexistent/agent-bin" in broken["problem"]
    response = server.api.post("/sessions", json={"agent_kind": "broken", "working_directory": str(server.work)})
    assert response.status_code == 500 and "/nonexistent/agent-bin" in response.json()["error"]


def test_sessions_survive_a_crashed_server_and_resume_in_the_next(make_proxy, tmp_path):
    first = Server(make_proxy, tmp_path)
    sid = first.create()["session_id"]
    assert answer_text(first.prompt(sid, "first turn")).endswith("You said: first turn")
    first.proxy.process.proc.send_signal(signal.SIGKILL)
    first.proxy.process.proc.wait()
    wait_for(lambda: not agent_pids(first.state), "the agent to end with its server")

    second = Server(make_proxy, tmp_path, directory=first.proxy.dir)
    item = second.listed(sid)
    assert item["status"] == "disconnected" and item["resumable"] is True
    resumed = second.api.post(f"/sessions/{sid}/resume")
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "active" and resumed.json()["session_id"] == sid
    events = second.prompt(sid, "second turn")
    assert answer_text(events) == "Hello from the scripted agent. You said: second turn"
    history = json.loads((first.state / f"{sid}.json").read_text())["history"]
    assert [turn["role"] for turn in history] == ["user", "agent", "user", "agent"], "session/load gave the agent the first turn"
    users = [m["content"][0]["text"] for m in second.detail(sid)["messages"] if m["role"] == "user"]
    assert users == ["first turn", "second turn"], "the replayed transcript is not stored twice"
    assert second.listed(sid)["status"] == "active"


def test_serve_shutdown_ends_the_agents_and_records_terminated(make_proxy, tmp_path):
    server = Server(make_proxy, tmp_path)
    sid = server.create()["session_id"]
    server.prompt(sid, "hello")
    assert agent_pids(server.state)
    server.proxy.stop()
    assert server.proxy.process.proc.returncode is not None
    wait_for(lambda: not agent_pids(server.state), "no scripted agent left after serve stopped", timeout=10)
    records = decode_session_file(Path(server.proxy.dir) / "sessions" / f"{sid}.jl.b64gz")
    assert records[0]["session_id"] == sid and records[0]["agent_kind"] == "scripted"
    assert [r["status"] for r in records if r.get("type") == "status"][-1] == "terminated"

    again = Server(make_proxy, tmp_path, directory=server.proxy.dir)
    item = again.listed(sid)
    assert item["status"] == "terminated" and item["resumable"] is True
    assert again.api.post(f"/sessions/{sid}/resume").json()["status"] == "active"
    assert answer_text(again.prompt(sid, "after the restart")).endswith("You said: after the restart")


def test_shell_sessions_show_up_and_a_running_one_is_elsewhere(server):
    done = subprocess.run([binary(), "agent", "chat", "-a", "scripted", "-p", "from the shell"], env=server.shell_env(), cwd=server.work,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    finished = next(item for item in server.api.get("/sessions").json()["items"] if item["owner"]["via"] == "cli")
    assert finished["status"] == "terminated" and finished["message_count"] >= 2
    assert [m["content"][0]["text"] for m in server.detail(finished["session_id"])["messages"] if m["role"] == "user"] == ["from the shell"]

    running = subprocess.Popen([binary(), "agent", "chat", "-a", "scripted", "-p", "slow"], env=server.shell_env(), cwd=server.work,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        elsewhere = wait_for(lambda: next((item for item in server.api.get("/sessions").json()["items"]
                                           if item["status"] == "elsewhere"), None), "the shell's session to be listed as elsewhere")
        sid = elsewhere["session_id"]
        assert sid != finished["session_id"] and elsewhere["owner"]["pid"] == running.pid
        assert server.api.post(f"/sessions/{sid}/prompt", json={"text": "hello"}).status_code == 400
        assert server.api.post(f"/sessions/{sid}/resume").status_code == 409
        refused = server.api.delete(f"/sessions/{sid}")
        assert refused.status_code in (400, 409), f"the session is read-only here, yet DELETE answered {refused.status_code} {refused.text}"
        assert running.poll() is None and server.listed(sid)["status"] == "elsewhere"
        running.send_signal(signal.SIGINT)
        out, _ = running.communicate(timeout=30)
        assert running.returncode == 130 and "tick 1" in out
    finally:
        if running.poll() is None:
            running.kill()
            running.communicate()
    wait_for(lambda: server.listed(sid)["status"] == "terminated", "the shell's session to end as terminated")
