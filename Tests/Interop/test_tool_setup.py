"""`ghc-api config claude-code` and `config codex` in a fresh HOME, then the real Claude Code with no ANTHROPIC_*
variables at all answering through the proxy; repeats change nothing; --undo puts the old files back."""
import json
import os
import subprocess
from pathlib import Path

import claude_agent_sdk
import pytest

from conftest import binary, free_port

CLAUDE = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"


@pytest.fixture
def setup(make_proxy, tmp_path):
    port = free_port()
    proxy = make_proxy(f"port: {port}\n", port=port)
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "GHC_API_CONFIG_DIR": proxy.dir, "NO_COLOR": "1"}

    def ghc(*args):
        return subprocess.run([binary(), *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)

    return proxy, home, ghc


def test_claude_code_uses_the_proxy_after_one_command(setup, tmp_path):
    proxy, home, ghc = setup
    settings = home / ".claude" / "settings.json"
    original = '{\n  "theme": "dark",\n  "permissions": {"allow": ["Bash(ls:*)"]},\n  "env": {"MY_VAR": "kept"}\n}\n'
    settings.write_text(original)

    done = ghc("config", "claude-code")
    assert done.returncode == 0, done.stderr
    assert f'"ANTHROPIC_BASE_URL": "http://127.0.0.1:{proxy.port}"' in done.stdout  # the diff comes first
    assert "-  \"env\": {\"MY_VAR\": \"kept\"}" in done.stdout
    written = json.loads(settings.read_text())
    assert written["theme"] == "dark" and written["permissions"] == {"allow": ["Bash(ls:*)"]}
    assert written["env"]["MY_VAR"] == "kept"
    assert written["env"]["ANTHROPIC_BASE_URL"] == f"http://127.0.0.1:{proxy.port}"
    assert written["env"]["ANTHROPIC_MODEL"] == "claude-opus-5.5"  # the best Claude model of the catalog
    assert written["env"]["ANTHROPIC_SMALL_FAST_MODEL"] == "gpt-5-mini"  # a 0x model
    assert written["env"]["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    backups = sorted((home / ".claude").glob("settings.json.*.bak"))
    assert len(backups) == 1 and backups[0].read_text() == original

    again = ghc("config", "claude-code")
    assert again.returncode == 0 and "nothing changed" in again.stdout
    assert len(list((home / ".claude").glob("settings.json.*.bak"))) == 1

    # The real Claude Code, with no ANTHROPIC_* variable anywhere: only the settings file points it here.
    work = tmp_path / "work"
    work.mkdir()
    clean = {"PATH": os.environ["PATH"], "HOME": str(home)}
    answered = subprocess.run([str(CLAUDE), "-p", "Say hello"], cwd=work, env=clean, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "You said: Say hello" in answered.stdout

    undone = ghc("config", "claude-code", "--undo")
    assert undone.returncode == 0, undone.stderr
    assert settings.read_text() == original


def test_print_changes_nothing_and_an_unknown_model_is_warned_about(setup):
    _, home, ghc = setup
    done = ghc("config", "claude-code", "--print", "--model", "claude-nope-9")
    assert done.returncode == 0
    assert "claude-nope-9 is not in the Copilot catalog; it has: claude-opus-5.5" in done.stderr
    assert '"ANTHROPIC_MODEL": "claude-nope-9"' in done.stdout
    assert not (home / ".claude" / "settings.json").exists()


def test_codex_gets_a_provider_and_keeps_its_projects(setup):
    proxy, home, ghc = setup
    (home / ".codex").mkdir()
    config = home / ".codex" / "config.toml"
    original = '# mine\nmodel = "o3"\n\n[projects."/src/app"]\ntrust_level = "trusted"\n'
    config.write_text(original)
    done = ghc("config", "codex")
    assert done.returncode == 0, done.stderr
    text = config.read_text()
    assert text.startswith('# mine\nmodel = "gpt-5.3-codex"\nmodel_provider = "ghc-api"\n')
    assert f'[model_providers.ghc-api]\nname = "ghc-api"\nbase_url = "http://127.0.0.1:{proxy.port}/v1"\nwire_api = "responses"\n' in text
    assert text.endswith('[projects."/src/app"]\ntrust_level = "trusted"\n')
    import tomllib
    parsed = tomllib.loads(text)
    assert parsed["model_provider"] == "ghc-api" and parsed["projects"]["/src/app"]["trust_level"] == "trusted"
    assert "nothing changed" in ghc("config", "codex").stdout
    assert ghc("config", "codex", "--undo").returncode == 0
    assert config.read_text() == original


def test_copilot_cli_is_told_plainly(setup):
    _, _, ghc = setup
    done = ghc("config", "copilot-cli")
    assert done.returncode == 0
    assert "cannot be pointed at this proxy" in done.stdout


def test_with_client_keys_claude_code_gets_the_key_it_is_given(setup, tmp_path):
    proxy, home, ghc = setup
    key = next(word for word in ghc("keys", "add", "claude-code").stdout.split() if word.startswith("ghc_"))
    unkeyed = ghc("config", "claude-code", "--print")
    assert "the server requires a key and none was given" in unkeyed.stderr
    done = ghc("config", "claude-code", "--api-key", key)
    assert done.returncode == 0, done.stderr
    assert json.loads((home / ".claude" / "settings.json").read_text())["env"]["ANTHROPIC_AUTH_TOKEN"] == key
    work = tmp_path / "work"
    work.mkdir()
    clean = {"PATH": os.environ["PATH"], "HOME": str(home)}
    answered = subprocess.run([str(CLAUDE), "-p", "Say hello"], cwd=work, env=clean, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "You said: Say hello" in answered.stdout
    codex = ghc("config", "codex", "--print", "--model", "gpt-5.3-codex")
    assert 'env_key = "GHC_API_KEY"' in codex.stdout
