"""The code agent manager's tool routes through httpx, with fake npm executables and a temporary HOME:
GET/POST /api/config-manager/point/{claude-code|codex} (the diff, then the write with its backup; repeats change
nothing), POST /api/config-manager/install-tools (the original's result shape, 200 or 500), its output on
GET /api/config-manager/install-tools/events (live while npm runs, replayed from the start of the run), and
GET /api/config-manager/software-versions."""
import json
import os
import textwrap
import threading
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from conftest import free_port, wait_for

POINT = "/api/config-manager/point/"
INSTALL = "/api/config-manager/install-tools"
EVENTS = "/api/config-manager/install-tools/events"
VERSIONS = "/api/config-manager/software-versions"


def fake_npm(bin_dir, script):
    """`npm` in `bin_dir`: answers --version with 10.9.9, logs its arguments to $HOME/npm-calls, then runs `script`."""
    path = Path(bin_dir) / "npm"
    path.write_text('#!/bin/sh\ncase "$1" in --version) echo "10.9.9"; exit 0;; esac\necho "npm $*" >> "$HOME/npm-calls"\n'
                    + textwrap.dedent(script))
    path.chmod(0o755)
    return path


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    (home / ".claude" / "settings.json").write_text('{"theme": "dark"}\n')
    return home


@pytest.fixture
def bin_dir(tmp_path):
    path = tmp_path / "bin"
    path.mkdir()
    return path


@pytest.fixture
def start(make_proxy, home, bin_dir):
    """A proxy whose PATH starts with `bin_dir` (or is just `path`) and whose HOME is `home`; its port is in its config."""
    def start(path=None):
        port = free_port()
        proxy = make_proxy(f"port: {port}\n", port=port,
                           env_extra={"PATH": path or f"{bin_dir}:{os.environ['PATH']}", "HOME": str(home)})
        return proxy, httpx.Client(base_url=proxy.url, timeout=60)
    return start


def events(lines):
    """(name, data) of each server-sent event in `lines` (an iterator of text lines)."""
    name, data = None, []
    for line in lines:
        if line == "":
            if data:
                yield name or "message", json.loads("\n".join(data))
            name, data = None, []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


def test_claude_code_is_shown_then_written_once_with_a_backup(start, home):
    proxy, client = start()
    settings = home / ".claude" / "settings.json"
    shown = client.get(POINT + "claude-code")
    assert shown.status_code == 200
    change = shown.json()
    assert change["tool"] == "claude-code" and change["path"] == str(settings) and change["changes"] is True
    assert f'+    "ANTHROPIC_BASE_URL": "{proxy.url}",' in change["diff"]
    assert '+    "ANTHROPIC_MODEL": "claude-opus-5.5",' in change["diff"]
    assert change["warnings"] == []
    assert settings.read_text() == '{"theme": "dark"}\n', "showing writes nothing"

    applied = client.post(POINT + "claude-code", json={})
    assert applied.status_code == 200
    answer = applied.json()
    assert answer["ok"] is True and answer["path"] == str(settings)
    assert Path(answer["backup"]).read_text() == '{"theme": "dark"}\n'
    assert Path(answer["backup"]).name.startswith("settings.json.") and answer["backup"].endswith(".bak")
    written = json.loads(settings.read_text())
    assert written["theme"] == "dark"
    assert written["env"]["ANTHROPIC_BASE_URL"] == proxy.url and written["env"]["ANTHROPIC_MODEL"] == "claude-opus-5.5"

    again = client.get(POINT + "claude-code").json()
    assert again["changes"] is False and not any(line[:1] in "+-" and line[:3] not in ("+++", "---") for line in again["diff"])
    text = settings.read_text()
    repeated = client.post(POINT + "claude-code", json={}).json()
    assert repeated["ok"] is True and repeated["backup"] is None
    assert settings.read_text() == text
    assert len(list((home / ".claude").glob("settings.json.*.bak"))) == 1


def test_codex_gets_a_new_config_without_a_backup_then_nothing_changes(start, home):
    proxy, client = start()
    config = home / ".codex" / "config.toml"
    change = client.get(POINT + "codex").json()
    assert change["changes"] is True and change["path"] == str(config)
    assert f'+base_url = "{proxy.url}/v1"' in change["diff"]
    assert not config.exists()
    answer = client.post(POINT + "codex", json={}).json()
    assert answer["ok"] is True and answer["backup"] is None, "there was no file to back up"
    parsed = tomllib.loads(config.read_text())
    assert parsed["model_provider"] == "ghc-api" and parsed["model_providers"]["ghc-api"]["base_url"] == proxy.url + "/v1"
    assert client.get(POINT + "codex").json()["changes"] is False
    assert client.post(POINT + "codex", json={}).json()["backup"] is None
    assert list((home / ".codex").glob("config.toml.*.bak")) == []


def test_an_unknown_tool_is_a_404(start):
    _, client = start()
    for method in ("GET", "POST"):
        answer = client.request(method, POINT + "copilot-cli")
        assert answer.status_code == 404 and "use claude-code or codex" in answer.json()["error"]


def test_a_failing_tool_makes_it_a_500_with_every_result_and_the_events_replay_the_run(start, home, bin_dir, tmp_path):
    gate = tmp_path / "gate"
    fake_npm(bin_dir, f"""\
        echo "resolving $3"
        echo "npm WARN deprecated inflight@1.0.6" >&2
        case "$*" in *@openai/codex*) echo "npm ERR! 404 Not Found - @openai/codex" >&2; exit 1;; esac
        while [ ! -e "{gate}" ]; do sleep 0.05; done
        echo "added 1 package in 1s"
        """)
    _, client = start()

    # A follower started before the POST, as the page does: a connection made before the run begins ends with the
    # previous run's events (none here), so it connects again until it has seen `done`.
    seen, finished = [], threading.Event()

    def follow():
        with httpx.Client(base_url=client.base_url, timeout=60) as own:
            while not finished.is_set():
                with own.stream("GET", EVENTS) as stream:
                    assert stream.status_code == 200 and stream.headers["content-type"] == "text/event-stream"
                    del seen[:]
                    for event in events(stream.iter_lines()):
                        seen.append(event)
                        if event[0] == "done":
                            finished.set()
                if not finished.is_set():
                    time.sleep(0.05)

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    answers = {}
    poster = threading.Thread(target=lambda: answers.update(first=client.post(INSTALL, json={"tools": ["claude-code", "codex"]})))
    poster.start()

    # Live: npm is still waiting for the gate, and its first lines are already on the stream.
    wait_for(lambda: ("output", {"event": "output", "tool": "claude-code", "stream": "stdout", "line": "resolving @anthropic-ai/claude-code"}) in seen,
             "the first line while npm runs")
    assert ("step", {"event": "step", "tool": "claude-code", "status": "running"}) == seen[0]
    assert ("output", {"event": "output", "tool": "claude-code", "stream": "stderr", "line": "npm WARN deprecated inflight@1.0.6"}) in seen
    assert poster.is_alive() and not finished.is_set()
    busy = client.post(INSTALL, json={"tools": ["codex"]})
    assert busy.status_code == 409 and "already running" in busy.json()["error"]

    gate.touch()
    poster.join(30)
    follower.join(30)
    assert not follower.is_alive()
    answer = answers["first"]
    assert answer.status_code == 500
    body = answer.json()
    assert body["ok"] is False
    assert set(body["results"]) == {"claude", "codex"}
    claude, codex = body["results"]["claude"], body["results"]["codex"]
    assert claude["returncode"] == 0 and claude["command"] == "npm install -g @anthropic-ai/claude-code"
    assert claude["resolved_command"] == f"{bin_dir}/npm install -g @anthropic-ai/claude-code"
    assert claude["stdout"] == "resolving @anthropic-ai/claude-code\nadded 1 package in 1s\n"
    assert codex["returncode"] == 1 and "npm ERR! 404 Not Found - @openai/codex" in codex["stderr"]
    assert set(body["backups"]) == {"claude"}, "only Claude Code's settings exist"
    assert Path(body["backups"]["claude"]).read_text() == '{"theme": "dark"}\n'
    log = Path(body["log_file"])
    assert log.name == "code_agent_install.log" and "codex failed (exit 1)" in log.read_text()
    assert (home / "npm-calls").read_text().splitlines() == ["npm install -g @anthropic-ai/claude-code", "npm install -g @openai/codex"]

    steps = [(data["tool"], data["status"], data.get("returncode")) for name, data in seen if name == "step"]
    assert steps == [("claude-code", "running", None), ("claude-code", "installed", 0), ("codex", "running", None), ("codex", "failed", 1)]
    lines = {(data["tool"], data["stream"], data["line"]) for name, data in seen if name == "output"}
    assert lines == {
        ("claude-code", "stdout", "resolving @anthropic-ai/claude-code"), ("claude-code", "stderr", "npm WARN deprecated inflight@1.0.6"),
        ("claude-code", "stdout", "added 1 package in 1s"),
        ("codex", "stdout", "resolving @openai/codex"), ("codex", "stderr", "npm WARN deprecated inflight@1.0.6"),
        ("codex", "stderr", "npm ERR! 404 Not Found - @openai/codex"),
    }
    assert seen[-1] == ("done", {"event": "done", "ok": False})

    # After the run, a new connection replays all of it and ends.
    with client.stream("GET", EVENTS) as stream:
        replayed = list(events(stream.iter_lines()))
    assert replayed == seen


def test_all_installed_is_a_200_and_only_the_ticked_tools_run(start, home, bin_dir):
    fake_npm(bin_dir, 'echo "added 1 package"\n')
    (home / ".codex").mkdir()
    (home / ".codex" / "config.toml").write_text('model = "o3"\n')
    _, client = start()
    answer = client.post(INSTALL, json={"tools": ["copilot-cli", "acp-adapters"]})
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] is True and set(body["results"]) == {"copilot-cli", "acp-adapters"}
    assert all(result["returncode"] == 0 and result["stdout"] == "added 1 package\n" for result in body["results"].values())
    assert set(body["backups"]) == {"claude", "codex"}
    assert Path(body["backups"]["codex"]).read_text() == 'model = "o3"\n'
    assert (home / "npm-calls").read_text().splitlines() == [
        "npm install -g @github/copilot", "npm install -g @zed-industries/claude-agent-acp @zed-industries/codex-acp"]
    with client.stream("GET", EVENTS) as stream:
        replayed = list(events(stream.iter_lines()))
    assert replayed[-1] == ("done", {"event": "done", "ok": True})
    assert [data["tool"] for name, data in replayed if name == "step" and data["status"] == "installed"] == ["copilot-cli", "acp-adapters"]


def test_without_npm_nothing_runs_and_the_error_says_to_install_node(start, home, bin_dir):
    _, client = start(path=str(bin_dir))  # an empty folder: no npm, no node
    answer = client.post(INSTALL, json={"tools": ["claude-code"]})
    assert answer.status_code == 500
    body = answer.json()
    assert body["ok"] is False and "npm was not found" in body["error"] and "Node.js" in body["error"]
    assert body["log_file"].endswith("code_agent_install.log") and "results" not in body
    assert list((home / ".claude").glob("settings.json.*.bak")) == [], "nothing is backed up when nothing runs"
    software = {row["program"]: row for row in client.get(VERSIONS).json()["software"]}
    assert software["npm"]["status"] == "missing" and software["npm"]["command"] is None and software["npm"]["version"] is None


def test_software_versions_lists_every_program_and_the_fake_npm(start, bin_dir):
    npm = fake_npm(bin_dir, "exit 1\n")
    _, client = start()
    answer = client.get(VERSIONS)
    assert answer.status_code == 200
    rows = answer.json()["software"]
    assert [row["name"] for row in rows] == ["Node.js", "npm", "Claude Code", "Codex", "Copilot CLI", "Claude ACP adapter", "Codex ACP adapter"]
    assert [row["program"] for row in rows] == ["node", "npm", "claude", "codex", "copilot", "claude-agent-acp", "codex-acp"]
    npm_row = rows[1]
    assert npm_row == {"name": "npm", "program": "npm", "status": "installed", "version": "10.9.9", "command": str(npm)}
    for row in rows:
        assert row["status"] in ("installed", "missing")
        assert (row["command"] is None) == (row["status"] == "missing")
