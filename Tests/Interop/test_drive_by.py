"""Web pages the user visits cannot spend the user's Copilot quota, and secrets stay out of sight."""
import json
import os
import socket
import stat
import subprocess

import httpx
import pytest

from conftest import binary

CHAT = {"model": "gpt-4.1", "messages": [{"role": "user", "content": "drive-by"}]}


def test_a_no_cors_post_without_content_type_is_refused_before_copilot(proxy, stand_in):
    # fetch(url, {method: "POST", mode: "no-cors", body: new Blob([json])}) sends no Content-Type.
    answer = httpx.post(proxy.url + "/v1/chat/completions", content=json.dumps(CHAT).encode(), timeout=5)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_content_type"
    assert stand_in.requests("/chat/completions") == []


@pytest.mark.parametrize("path,body", [("/v1/chat/completions", CHAT), ("/v1/messages", dict(CHAT, max_tokens=10)), ("/v1/models", None)])
def test_a_foreign_origin_is_refused_on_every_route(proxy, stand_in, path, body):
    headers = {"origin": "https://evil.example"}
    answer = httpx.post(proxy.url + path, json=body, headers=headers, timeout=5) if body else httpx.get(proxy.url + path, headers=headers, timeout=5)
    assert answer.status_code == 403
    assert "evil.example" in json.dumps(answer.json())
    assert stand_in.requests("/chat/completions") == [] and stand_in.requests("/v1/messages") == []


def test_the_same_origin_is_welcome(proxy):
    answer = httpx.get(proxy.url + "/api/stats", headers={"origin": proxy.url}, timeout=5)
    assert answer.status_code == 200


def test_a_request_without_host_is_refused(proxy):
    with socket.create_connection(("127.0.0.1", proxy.port)) as raw:
        raw.sendall(b"GET /v1/models HTTP/1.0\r\n\r\n")
        head = raw.recv(200)
    assert head.startswith(b"HTTP/1.0 400") or head.startswith(b"HTTP/1.1 400")


def test_dashboard_pages_cannot_be_framed(proxy):
    policy = httpx.get(proxy.url + "/", timeout=5).headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy


def test_config_show_redacts_api_keys(tmp_path):
    (tmp_path / "config.yaml").write_text("api_keys: [sk-team-0123456789abcdef]\n")
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(tmp_path), NO_COLOR="1")
    for args in (["config", "show"], ["config", "show", "--json"]):
        shown = subprocess.run([binary(), *args], env=env, capture_output=True, text=True, timeout=30)
        assert shown.returncode == 0 and "sk-team-0123456789abcdef" not in shown.stdout
    listed = json.loads(subprocess.run([binary(), "config", "show", "--json"], env=env, capture_output=True, text=True).stdout)
    assert listed["values"]["api_keys"] == ["sk-tea…"]


def test_files_the_original_left_readable_are_tightened_once(tmp_path):
    config = tmp_path / "cfg"
    config.mkdir(mode=0o755)
    os.chmod(config, 0o755)
    token = config / "github_token.txt"
    token.write_text("gho_x")
    os.chmod(token, 0o644)
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config), NO_COLOR="1")
    first = subprocess.run([binary(), "config", "show"], env=env, capture_output=True, text=True, timeout=30)
    assert first.stderr.count("note:") == 2 and "github_token.txt was readable by others (mode 644); it is now 600" in first.stderr
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o700 and stat.S_IMODE(os.stat(token).st_mode) == 0o600
    second = subprocess.run([binary(), "config", "show"], env=env, capture_output=True, text=True, timeout=30)
    assert "note:" not in second.stderr
