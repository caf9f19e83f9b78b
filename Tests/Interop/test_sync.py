"""`ghc-api sync` as two machines on one host use it: temporary homes, a shared fake OneDrive folder, and
`machine_name` to tell them apart; then the server's routes, live reload and the dashboard page."""
import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

import httpx
import openai
import pytest

from conftest import binary, wait_for

CLAUDE = '{"model": "opus", "permissions": {"allow": ["Bash(ls)"]}}\n'
CODEX_A = 'model = "gpt-5.5"\napproval_policy = "never"\n[projects."/home/alpha/src"]\ntrust_level = "trusted"\n'
CODEX_B = 'model = "old"\n[projects."/home/beta/work"]\ntrust_level = "trusted"\n'


class Machine:
    def __init__(self, root, name, onedrive, config_text=""):
        self.home = root / name
        self.config = self.home / "cfg"
        self.config.mkdir(parents=True, mode=0o700)
        self.name = name
        (self.config / "config.yaml").write_text(f"machine_name: {name}\nonedrive_path: {onedrive}\n" + config_text)

    def env(self):
        return dict(os.environ, HOME=str(self.home), GHC_API_CONFIG_DIR=str(self.config), NO_COLOR="1")

    def run(self, *args):
        return subprocess.run([binary(), "sync", *args], env=self.env(), capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    def write(self, relative, text):
        path = self.home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def machines(tmp_path):
    onedrive = tmp_path / "OneDrive - Contoso"
    onedrive.mkdir()
    alpha = Machine(tmp_path, "alpha", onedrive, "port: 9000\nsave_request_to_file: true\n")
    beta = Machine(tmp_path, "beta", onedrive, "port: 8313\n")
    alpha.write(".claude/settings.json", CLAUDE)
    alpha.write(".codex/config.toml", CODEX_A)
    beta.write(".codex/config.toml", CODEX_B)
    return alpha, beta, onedrive


def snapshot(folder):
    return {str(p): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def original_hash(config_yaml, settings_json, codex_toml):
    """The Python original's hash, computed independently: SHA-1 over the tagged concatenation (§6.5)."""
    header = codex_toml.split("\n[projects.", 1)[0] if codex_toml is not None else None
    parts = [b"[ghc-api]", config_yaml.encode() if config_yaml is not None else b"<missing>",
             b"[claude]", settings_json.encode() if settings_json is not None else b"<missing>",
             b"[codex]", header.encode() if header is not None else b"<missing>"]
    return hashlib.sha1(b"".join(parts)).hexdigest()


def test_two_machines_keep_their_settings_in_step(machines, tmp_path):
    alpha, beta, onedrive = machines
    before = alpha.run("status")
    assert before.returncode == 3, before.stdout + before.stderr
    assert "missing-there" in before.stdout and "Machine:  alpha" in before.stdout

    tree = snapshot(tmp_path)
    dry = alpha.run("push", "--dry-run")
    assert dry.returncode == 0 and "Dry run: nothing was changed." in dry.stdout
    assert snapshot(tmp_path) == tree, "a dry run changes no byte"

    pushed = alpha.run("push")
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.count("copied to") == 3
    shared = onedrive / ".ghc-api" / "configSync"
    assert (shared / "codex_config.toml").read_text() == 'model = "gpt-5.5"\napproval_policy = "never"'
    assert (shared / "ghc_api_config.yaml").read_text() == "port: 9000\nsave_request_to_file: true\n"
    assert alpha.run("status").returncode == 0

    diff = beta.run("diff", "codex")
    assert diff.returncode == 3
    assert '-model = "gpt-5.5"' in diff.stdout and '+model = "old"' in diff.stdout

    pulled = beta.run("pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "the old file is in" in pulled.stdout
    assert (beta.home / ".claude/settings.json").read_text() == CLAUDE
    assert (beta.home / ".codex/config.toml").read_text() == \
        'model = "gpt-5.5"\napproval_policy = "never"\n[projects."/home/beta/work"]\ntrust_level = "trusted"\n'
    config_b = (beta.config / "config.yaml").read_text()
    assert "port: 9000" in config_b and "machine_name: beta" in config_b and f"onedrive_path: {onedrive}" in config_b
    backups = list((beta.home / ".codex").glob("config.toml.*.bak"))
    assert len(backups) == 1 and backups[0].read_text() == CODEX_B

    status = json.loads(beta.run("status", "--json").stdout)
    assert status["has_differences"] is False and status["machine"] == "beta"
    expected = original_hash("port: 9000\nsave_request_to_file: true\n", CLAUDE, CODEX_A)
    agents = onedrive / ".ghc-api" / "agents"
    assert (agents / "alpha" / "config.sha1").read_text() == expected, "the same bytes the original writes"
    assert (agents / "beta" / "config.sha1").read_text() == expected
    assert (shared / "config.sha1").read_text() == expected

    # A machine still on the Python original wrote its hash file the same way: it is shown as matching.
    (agents / "gamma_Win").mkdir()
    (agents / "gamma_Win" / "config.sha1").write_text(expected)
    text = alpha.run("status").stdout
    assert "gamma_Win" in text and text.count("matches shared") == 3


def test_sync_needs_to_be_switched_on(tmp_path):
    home = tmp_path / "home"
    (home / "cfg").mkdir(parents=True, mode=0o700)
    env = dict(os.environ, HOME=str(home), GHC_API_CONFIG_DIR=str(home / "cfg"), NO_COLOR="1")
    for command in (["status"], ["push"], ["pull"], ["diff"], ["backups"]):
        done = subprocess.run([binary(), "sync", *command], env=env, capture_output=True, text=True, timeout=30)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and "disable_onedrive_access" in done.stderr and "--onedrive" in done.stderr
    missing = subprocess.run([binary(), "sync", "status", "--onedrive", str(tmp_path / "nowhere")], env=env,
                             capture_output=True, text=True, timeout=30)
    assert missing.returncode == 1 and "OneDrive path not found" in missing.stderr


def test_a_bad_file_or_a_vanished_onedrive_changes_nothing(machines, tmp_path):
    alpha, beta, onedrive = machines
    assert alpha.run("push").returncode == 0
    alpha.write(".claude/settings.json", '{"model": "opus", ')
    tree = snapshot(tmp_path)
    refused = alpha.run("push")
    assert refused.returncode == 1 and "settings.json is not valid" in refused.stderr
    assert snapshot(tmp_path) == tree
    status = alpha.run("status")
    assert status.returncode == 1 and "error" in status.stdout
    local = snapshot(beta.home)
    os.rename(onedrive, tmp_path / "unmounted")
    gone = beta.run("pull")
    assert gone.returncode == 1 and "OneDrive" in gone.stderr
    assert snapshot(beta.home) == local


def test_a_pulled_config_applies_to_a_running_server(machines, make_proxy, stand_in):
    alpha, beta, onedrive = machines
    alpha.write("cfg/config.yaml", f"machine_name: alpha\nonedrive_path: {onedrive}\n"
                                   f"github_api_base_url: {stand_in.url}\nmodel_mappings:\n  exact: {{team-model: gpt-4.1}}\n")
    assert alpha.run("push", "ghc-api").returncode == 0
    (beta.config / "config.yaml").write_text(f"machine_name: beta\nonedrive_path: {onedrive}\ngithub_api_base_url: {stand_in.url}\n")
    server = make_proxy(directory=str(beta.config), env_extra={"HOME": str(beta.home)})
    assert "Config sync: local config differs from OneDrive's for" in server.banner
    client = openai.OpenAI(base_url=server.url + "/v1", api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="team-model", messages=[{"role": "user", "content": "hi"}])
    assert beta.run("pull", "ghc-api").returncode == 0

    def mapped():
        try:
            return client.chat.completions.create(model="team-model", messages=[{"role": "user", "content": "hi"}])
        except openai.BadRequestError:
            return None

    answer = wait_for(mapped, "the pulled config.yaml to be applied", timeout=15, interval=0.3)
    assert answer.model == "gpt-4.1"
    (beta.config / "config.yaml").write_text("port: [broken\n")
    time.sleep(3)
    assert client.chat.completions.create(model="team-model", messages=[{"role": "user", "content": "hi"}]).model == "gpt-4.1"
    log = server.process.stderr()
    assert "changed; its settings apply now" in log and "cannot be used" in log


def test_the_config_manager_routes_keep_the_originals_shapes(machines, make_proxy, stand_in):
    alpha, beta, onedrive = machines
    (alpha.config / "config.yaml").write_text(f"machine_name: alpha\nonedrive_path: {onedrive}\ngithub_api_base_url: {stand_in.url}\n")
    server = make_proxy(directory=str(alpha.config), env_extra={"HOME": str(alpha.home)})
    status = httpx.get(server.url + "/api/config-manager/status", timeout=10).json()
    assert set(status) >= {"onedrive_access_disabled", "onedrive_path", "sync_root", "agent_root", "has_sync_files",
                           "has_differences", "files", "hash_paths", "hash_refreshed", "hash_errors"}
    assert set(status["files"]) == {"claude", "codex", "ghc-api"}
    assert set(status["files"]["claude"]) >= {"local_path", "sync_path", "local_exists", "sync_exists", "different"}
    assert status["has_differences"] is True and status["has_sync_files"] is False
    pulled = httpx.post(server.url + "/api/config-manager/sync-from-onedrive", json={}, timeout=10)
    assert pulled.status_code == 400 and pulled.json()["ok"] is False and "Sync folder not found" in pulled.json()["error"]
    pushed = httpx.post(server.url + "/api/config-manager/sync-to-onedrive", json={}, timeout=10).json()
    assert pushed["ok"] is True and set(pushed["copied"]) == {"claude", "codex", "ghc-api"} and pushed["status"]["has_differences"] is False
    hashes = httpx.get(server.url + "/api/config-manager/config-hashes", timeout=10).json()
    assert hashes["shared_hash"]["exists"] is True and len(hashes["shared_hash"]["hash"]) == 40
    assert [m["machine"] for m in hashes["machines"]] == ["alpha"]
    assert set(hashes["machines"][0]) == {"path", "exists", "hash", "created_ts", "created_at", "machine"}
