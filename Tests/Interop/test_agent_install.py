"""`ghc-api agent install` against fake npm executables: success, failure, no npm, output streamed as it comes."""
import json
import os
import subprocess
import textwrap

import pytest

from conftest import binary


@pytest.fixture
def env(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "home" / ".claude").mkdir(parents=True)
    (tmp_path / "home" / ".claude" / "settings.json").write_text('{"theme": "dark"}\n')
    return {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path / "home"), "GHC_API_CONFIG_DIR": str(tmp_path / "cfg"), "NO_COLOR": "1"}


def fake_npm(env, script):
    path = os.path.join(env["PATH"], "npm")
    with open(path, "w") as out:
        out.write("#!/bin/sh\n" + textwrap.dedent(script))
    os.chmod(path, 0o755)


def run(env, *args):
    return subprocess.run([binary(), "agent", "install", *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_every_tool_installs_in_order_after_a_backup_and_is_logged(env, tmp_path):
    fake_npm(env, 'echo "npm $*" >> "$HOME/npm-calls"; echo "added 1 package"\n')
    done = run(env)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "home" / "npm-calls").read_text().splitlines()
    assert calls == [
        "npm install -g @anthropic-ai/claude-code",
        "npm install -g @openai/codex",
        "npm install -g @github/copilot",
        "npm install -g @zed-industries/claude-agent-acp @zed-industries/codex-acp",
    ]
    assert done.stdout.count("added 1 package") == 4
    assert "✓ [4/4] acp-adapters installed" in done.stderr
    backups = list((tmp_path / "home" / ".claude").glob("settings.json.*.bak"))
    assert len(backups) == 1 and backups[0].read_text() == '{"theme": "dark"}\n'
    log = (tmp_path / "cfg" / "code_agent_install.log").read_text()
    assert "[Config Sync] installing codex: npm install -g @openai/codex" in log
    assert "[Config Sync] acp-adapters installed" in log


def test_a_failing_step_is_reported_and_the_others_still_run(env, tmp_path):
    fake_npm(env, 'case "$*" in *@openai/codex*) echo "npm ERR! 404 Not Found - @openai/codex" >&2; exit 1;; esac\necho ok\n')
    done = run(env, "codex", "copilot-cli")
    assert done.returncode == 1
    assert "✗ [1/2] codex failed (exit 1)" in done.stderr
    assert "✓ [2/2] copilot-cli installed" in done.stderr
    assert "could not install codex" in done.stderr
    assert "codex failed (exit 1): npm ERR! 404 Not Found - @openai/codex" in (tmp_path / "cfg" / "code_agent_install.log").read_text()


def test_without_npm_it_says_how_to_get_node(env):
    done = run(env)
    assert done.returncode == 1
    assert "npm was not found. Install Node.js" in done.stderr


def test_dry_run_runs_nothing(env, tmp_path):
    fake_npm(env, 'touch "$HOME/ran"\n')
    done = run(env, "acp-adapters", "--dry-run")
    assert done.returncode == 0
    assert done.stdout.strip().endswith("npm install -g @zed-industries/claude-agent-acp @zed-industries/codex-acp")
    assert not (tmp_path / "home" / "ran").exists()


def test_output_streams_while_npm_is_still_working(env, tmp_path):
    gate = tmp_path / "gate"
    fake_npm(env, f'echo "downloading"\nwhile [ ! -e "{gate}" ]; do sleep 0.05; done\necho "done"\n')
    process = subprocess.Popen([binary(), "agent", "install", "codex"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        assert process.stdout.readline().strip() == "downloading"  # npm has not finished: it waits for the gate
        assert process.poll() is None
        gate.touch()
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert out.strip() == "done"
    assert process.returncode == 0, err


def test_agent_list_shows_the_installed_tools_versions(env):
    for name, version in [("claude", "2.1.327 (Claude Code)"), ("codex", "codex-cli 0.98.0"), ("npm", "10.8.2")]:
        path = os.path.join(env["PATH"], name)
        with open(path, "w") as out:
            out.write(f'#!/bin/sh\n[ "$1" = "--version" ] && echo "{version}"\n')
        os.chmod(path, 0o755)
    done = subprocess.run([binary(), "agent", "list", "--json"], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    software = {row["program"]: row for row in json.loads(done.stdout)["software"]}
    assert software["claude"]["version"] == "2.1.327 (Claude Code)" and software["claude"]["installed"] is True
    assert software["codex"]["version"] == "codex-cli 0.98.0"
    assert software["copilot"]["installed"] is False and software["copilot"]["version"] is None
