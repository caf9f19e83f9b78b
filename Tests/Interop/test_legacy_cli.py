"""ghc-api 1.0.x command lines still work, each with a note naming today's spelling."""
import os
import subprocess

import httpx
import pytest

from conftest import STANDIN_TOKEN, Process, binary, free_port


def env_for(stand_in, config_dir, **extra):
    (config_dir / "config.yaml").write_text(f"github_api_base_url: {stand_in.url}\ngithub_base_url: {stand_in.url}\n")
    return dict(os.environ, GHC_API_CONFIG_DIR=str(config_dir), GITHUB_TOKEN=STANDIN_TOKEN, NO_COLOR="1", **extra)


@pytest.mark.parametrize("words", [["-p", "{port}"], ["-p", "{port}", "-a", "127.0.0.1"], []])
def test_old_server_invocations_serve(stand_in, tmp_path, words):
    port = free_port()
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    env = env_for(stand_in, config)
    if not words:
        (config / "config.yaml").write_text((config / "config.yaml").read_text() + f"port: {port}\n")
    args = [binary(), *[w.format(port=port) for w in words]]
    server = Process(args, env, "Stop with Ctrl-C", str(tmp_path / "serve.log"))
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=5).status_code == 200
    finally:
        server.stop()
    assert "note:" in server.stderr() and "ghc-api serve" in server.stderr()


def test_old_short_flags(tmp_path):
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(tmp_path / "cfg"), NO_COLOR="1")
    version = subprocess.run([binary(), "-v"], env=env, capture_output=True, text=True, timeout=30)
    assert version.returncode == 0 and version.stdout.startswith("ghc-api ") and "ghc-api --version" in version.stderr
    written = subprocess.run([binary(), "-c"], env=env, capture_output=True, text=True, timeout=30)
    assert written.returncode == 0 and (tmp_path / "cfg" / "config.yaml").exists()
    assert "ghc-api config init" in written.stderr


def test_help_on_a_terminal_is_still_help():
    done = subprocess.run(["script", "-qec", binary(), "/dev/null"], capture_output=True, text=True, timeout=30)
    assert "Usage:" in done.stdout and "ghc-api COMMAND" in done.stdout and "note:" not in done.stdout
