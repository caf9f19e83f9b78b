"""`ghc-api agent …` as a user meets it in a shell: one-shot turns through pipes against the scripted ACP agent
(Tests/Interop/agents/scripted_agent.py, configured under acp_agents), the session files it leaves behind, and the
interactive chat on a pseudo-terminal with inline permission questions and Ctrl-C."""
import base64
import gzip
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, binary, wait_for

SCRIPTED = ROOT / "Tests" / "Interop" / "agents" / "scripted_agent.py"


def agent_config(state) -> str:
    return ("acp_agents:\n"
            "  scripted:\n"
            f"    command: [{json.dumps(sys.executable)}, {json.dumps(str(SCRIPTED))}]\n"
            f"    env: {{SCRIPTED_AGENT_STATE: {json.dumps(str(state))}}}\n")


def agent_pids(state) -> list:
    """Pids of scripted agents started with this (unique) state directory, found through /proc/<pid>/environ."""
    needle = f"SCRIPTED_AGENT_STATE={state}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def decode_session_file(path) -> list:
    """A stored session: one base64 line of gzip'd JSON per record."""
    return [json.loads(gzip.decompress(base64.b64decode(line)).decode()) for line in Path(path).read_text().splitlines() if line.strip()]


class Shell:
    """A config dir whose acp_agents has `scripted`, a working directory with notes.txt, and a way to run ghc-api there."""

    def __init__(self, tmp_path):
        self.config = tmp_path / "cfg"
        self.config.mkdir(mode=0o700)
        self.state = tmp_path / "state"
        self.work = tmp_path / "work"
        self.work.mkdir()
        (self.work / "notes.txt").write_text("the notes say hi")
        (self.config / "config.yaml").write_text(agent_config(self.state))
        self.env = dict(os.environ, GHC_API_CONFIG_DIR=str(self.config), NO_COLOR="1")

    def run(self, *args, input=None, cwd=None, timeout=60):
        return subprocess.run([binary(), *args], env=self.env, cwd=str(cwd or self.work), capture_output=True, text=True, timeout=timeout,
                              input=input, stdin=None if input is not None else subprocess.DEVNULL)

    def chat(self, *args, **kwargs):
        return self.run("agent", "chat", "-a", "scripted", *args, **kwargs)


def session_id(done) -> str:
    return re.search(r"\b(?:Session|Resumed) (scripted-[0-9a-f]{12})\b", done.stderr).group(1)


@pytest.fixture
def shell(tmp_path):
    return Shell(tmp_path)


def test_a_one_shot_turn_prints_the_answer_and_the_stop_reason_is_the_exit_status(shell):
    hello = shell.chat("-p", "hello")
    assert hello.returncode == 0, hello.stderr
    assert hello.stdout.strip() == "Hello from the scripted agent. You said: hello"
    assert "Session scripted-" in hello.stderr and "You said" not in hello.stderr

    refused = shell.chat("-p", "refuse")
    assert (refused.returncode, refused.stdout.strip()) == (2, "no")
    assert "refusal" in refused.stderr
    out_of_tokens = shell.chat("-p", "maxtokens")
    assert (out_of_tokens.returncode, out_of_tokens.stdout.strip()) == (3, "out of tokens")


def test_piped_stdin_is_the_prompt(shell):
    done = shell.chat(input="hello from a pipe\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Hello from the scripted agent. You said: hello from a pipe"


def test_permission_questions_are_answered_by_kind_or_declined_without_a_terminal(shell):
    allowed = shell.chat("--yes", "-p", "permission")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.strip() == "permission: selected yes-once", "the allow_once option, though the reject option comes first"
    assert "Delete build folder" in allowed.stderr

    denied = shell.chat("--deny", "-p", "permission")
    assert denied.stdout.strip() == "permission: selected nope"

    unasked = shell.chat("-p", "permission")
    assert unasked.returncode == 0
    assert unasked.stdout.strip() == "permission: cancelled"
    assert "--yes" in unasked.stderr and "--deny" in unasked.stderr, unasked.stderr


def test_file_reads_stay_inside_the_session_directories(shell, tmp_path):
    inside = shell.chat("--cwd", str(shell.work), "-p", "read notes.txt")
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.strip() == "read: the notes say hi"

    outside = shell.chat("--cwd", str(shell.work), "-p", "read /etc/hostname")
    assert outside.stdout.startswith("read error -32002"), outside.stdout

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("top secret")
    (shell.work / "link.txt").symlink_to(elsewhere / "secret.txt")
    through_link = shell.chat("--cwd", str(shell.work), "-p", "read link.txt")
    assert through_link.stdout.startswith("read error -32002"), through_link.stdout
    assert "top secret" not in through_link.stdout

    not_added = shell.chat("--cwd", str(shell.work), "-p", f"read {elsewhere / 'secret.txt'}")
    assert not_added.stdout.startswith("read error -32002"), not_added.stdout
    added = shell.chat("--cwd", str(shell.work), "--add-dir", str(elsewhere), "-p", f"read {elsewhere / 'secret.txt'}")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "read: top secret"


def test_writes_and_terminal_commands(shell):
    wrote = shell.chat("-p", "write out/new.txt fresh text")
    assert wrote.returncode == 0, wrote.stderr
    target = shell.work / "out" / "new.txt"
    assert wrote.stdout.strip() == f"wrote: {target}"
    assert target.read_text() == "fresh text"
    assert "fresh text" in wrote.stderr, "the diff is shown on stderr"

    ran = shell.chat("-p", "run echo hi")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "ran: exit=0 signal=null truncated=false output=hi"

    tiny = shell.chat("-p", "tiny run seq 1 100")
    assert tiny.stdout.startswith("ran: exit=0 signal=null truncated=true output="), tiny.stdout
    assert tiny.stdout.strip().endswith("100") and "output=1\n" not in tiny.stdout, "the tail of the output is kept"


def test_at_path_attaches_a_resource_link(shell):
    done = shell.chat("--cwd", str(shell.work), "-p", "look at @notes.txt please")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f" links: file://{shell.work}/notes.txt"), done.stdout


def test_an_agent_that_crashes_mid_turn_is_an_error_with_its_stderr(shell):
    done = shell.chat("-p", "crash")
    assert done.returncode == 1
    assert "about to crash" in done.stdout
    assert "exit code 3" in done.stderr and "crashing on purpose (exit 3)" in done.stderr, done.stderr
    assert wait_for(lambda: not agent_pids(shell.state), "the crashed agent to be gone", timeout=10)
    listed = {item["session_id"]: item for item in json.loads(shell.run("agent", "sessions", "--json").stdout)["items"]}
    assert listed[session_id(done)]["status"] == "terminated" and listed[session_id(done)]["resumable"] is True


def test_resume_continues_a_session_in_a_new_process_and_show_lists_its_turns(shell):
    first = shell.chat("-p", "first turn")
    assert first.returncode == 0, first.stderr
    sid = session_id(first)
    second = shell.chat("--resume", sid[:15], "-p", "second turn")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "Hello from the scripted agent. You said: second turn"
    assert session_id(second) == sid

    agent_state = json.loads((shell.state / f"{sid}.json").read_text())
    history = agent_state["history"]
    assert [turn["role"] for turn in history] == ["user", "agent", "user", "agent"], "the agent loaded the first turn in its second process"
    assert history[0]["text"] == "first turn" and history[1]["text"].endswith("You said: first turn") and history[2]["text"] == "second turn"

    shown = shell.run("agent", "show", sid, "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["session_id"] == sid and document["agent_kind"] == "scripted" and document["status"] == "terminated"
    assert len(document["messages"]) >= 4
    users = [m["content"][0]["text"] for m in document["messages"] if m["role"] == "user"]
    assert users == ["first turn", "second turn"]
    assert [m["stop_reason"] for m in document["messages"] if m["role"] == "agent" and "stop_reason" in m] == ["end_turn", "end_turn"]
    human = shell.run("agent", "show", sid).stdout
    assert "> first turn" in human and "You said: second turn" in human

    sessions = json.loads(shell.run("agent", "sessions", "--json").stdout)
    listed = {item["session_id"]: item for item in sessions["items"]}
    assert listed[sid]["message_count"] >= 4 and listed[sid]["status"] == "terminated" and listed[sid]["resumable"] is True
    assert sid in shell.run("agent", "sessions").stdout


def test_the_stored_session_file_is_base64_gzip_json_lines(shell):
    done = shell.chat("-p", "hello")
    sid = session_id(done)
    path = shell.config / "sessions" / f"{sid}.jl.b64gz"
    records = decode_session_file(path)
    header = records[0]
    assert header["session_id"] == sid and header["agent_kind"] == "scripted"
    assert header["working_directory"] == str(shell.work) and header["agent_info"]["name"] == "scripted-agent"
    messages = [r["data"] for r in records[1:] if r.get("type") == "message"]
    assert messages[0]["role"] == "user" and messages[0]["content"] == [{"type": "text", "text": "hello"}]
    assert messages[-1]["stop_reason"] == "end_turn"
    assert [r["status"] for r in records if r.get("type") == "status"][-1] == "terminated"


def test_agent_list_shows_the_configured_agent_and_how_to_install_the_others(shell):
    done = shell.run("agent", "list", "--json")
    assert done.returncode == 0, done.stderr
    agents = {a["kind"]: a for a in json.loads(done.stdout)["agents"]}
    assert {"claude-code", "codex", "copilot-cli", "scripted"} <= set(agents)
    scripted = agents["scripted"]
    assert scripted["available"] is True and scripted["configured"] is True
    assert scripted["version"] == "scripted-agent 1.0"
    assert scripted["command"] == [sys.executable, str(SCRIPTED)]
    claude = agents["claude-code"]
    assert claude["available"] or "npm install" in claude["install"], claude
    table = shell.run("agent", "list").stdout
    assert re.search(r"^scripted\s+installed\s+scripted-agent 1\.0", table, re.M), table


def test_usage_errors(shell):
    unknown = shell.run("agent", "chat", "-a", "nope", "-p", "hi")
    assert unknown.returncode != 0
    assert "nope" in unknown.stderr and "claude-code" in unknown.stderr and "scripted" in unknown.stderr, unknown.stderr
    both = shell.chat("--yes", "--deny", "-p", "hi")
    assert both.returncode == 64
    assert "--yes" in both.stderr and "--deny" in both.stderr


def test_a_bad_acp_agents_entry_is_reported(tmp_path):
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    (config / "config.yaml").write_text("acp_agents: {x: {cmd: foo}}\n")
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config), NO_COLOR="1")
    for words in (["config", "check"], ["agent", "list"], ["agent", "chat", "-a", "x", "-p", "hi"]):
        done = subprocess.run([binary(), *words], env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert done.returncode == 1, words
        assert "acp_agents.x.cmd" in done.stderr and "command" in done.stderr, (words, done.stderr)


class Terminal:
    """ghc-api on a pseudo-terminal: what it printed so far, and waits for more from where the last wait stopped."""

    def __init__(self, args, env, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.chdir(cwd)
                os.execve(binary(), [binary(), *args], env)
            finally:
                os._exit(127)
        self.output = b""
        self.seen = 0
        self.status = None

    def _read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            return False
        self.output += data
        return bool(data)

    def expect(self, text, timeout=30):
        wanted = text.encode()
        deadline = time.time() + timeout
        while True:
            at = self.output.find(wanted, self.seen)
            if at >= 0:
                self.seen = at + len(wanted)
                return
            if time.time() > deadline or not self._read(0.1):
                raise AssertionError(f"no {text!r} on the terminal; it shows:\n{self.text()}")

    def type(self, data: bytes):
        os.write(self.fd, data)

    def text(self):
        return self.output.decode(errors="replace")

    def exited(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        self._read(0)
        return self.status is not None

    def wait(self, what, timeout=20):
        wait_for(self.exited, what, timeout=timeout)
        return self.status

    def close(self):
        if self.status is None and not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def terminal(shell):
    opened = []

    def start(*args):
        opened.append(Terminal(["agent", "chat", "-a", "scripted", *args], shell.env, str(shell.work)))
        return opened[-1]

    yield start
    for term in opened:
        term.close()


def test_interactive_chat_asks_for_permission_and_ctrl_c_cancels_the_turn(shell, terminal):
    term = terminal()
    term.expect("> ")
    term.type(b"permission please\n")
    term.expect("1) Reject")
    term.expect("2) Always")
    term.expect("3) Allow")
    term.expect("Choose 1-3")
    term.type(b"3\n")
    term.expect("permission: selected yes-once")
    term.expect("> ")

    term.type(b"slow\n")
    term.expect("tick 2")
    term.type(b"\x03")
    term.expect("cancelling")
    term.expect("[stop: cancelled]")
    term.expect("> ")
    assert agent_pids(shell.state), "the agent lives on after a cancelled turn"

    term.type(b"/exit\n")
    assert term.wait("ghc-api to exit after /exit") == 0, term.text()
    assert wait_for(lambda: not agent_pids(shell.state), "the agent to be gone", timeout=10)


def test_ctrl_c_twice_during_a_turn_quits_with_130_and_ends_the_agent(shell, terminal):
    term = terminal()
    term.expect("> ")
    term.type(b"slow\n")
    term.expect("tick 2")
    assert agent_pids(shell.state)
    term.type(b"\x03")
    term.expect("Ctrl-C again to quit")
    term.type(b"\x03")
    assert term.wait("ghc-api to quit on the second Ctrl-C") == 130, term.text()
    assert wait_for(lambda: not agent_pids(shell.state), "the agent to be gone", timeout=10)


def test_a_quick_double_ctrl_c_during_a_turn_quits(shell, terminal):
    """A user's double tap, ~0.1 s apart; the scripted agent cancels at once, so the second press may land on the fresh prompt."""
    term = terminal()
    term.expect("> ")
    term.type(b"slow\n")
    term.expect("tick 2")
    term.type(b"\x03")
    time.sleep(0.1)  # the gap between two key presses, not a wait for ghc-api
    term.type(b"\x03")
    assert term.wait("ghc-api to quit on the double Ctrl-C", timeout=10) == 130, term.text()
    assert wait_for(lambda: not agent_pids(shell.state), "the agent to be gone", timeout=10)
