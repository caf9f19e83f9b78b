"""Token usage as users meet it: serve's reporter lines (the original's format), `ghc-api usage` over two machines
sharing a OneDrive folder with Claude Code on one of them, the Copilot quota, and the dashboard's usage view."""
import gzip
import json
import os
import signal
import subprocess
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from conftest import binary, traffic, wait_for
from test_claude_code import claude, result

CLAUDE_CODE_USER = json.dumps({"device_id": "dev-1", "account_uuid": "acct-42", "session_id": "s"})


def lines(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def usage(config_dir, *args, env_extra=None):
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config_dir), NO_COLOR="1", **(env_extra or {}))
    return subprocess.run([binary(), "usage", *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_serve_writes_the_originals_lines_per_user_and_flushes_on_sigterm(make_proxy):
    proxy = make_proxy()
    anthropic.Anthropic(base_url=proxy.url, api_key="x", max_retries=0).messages.create(
        model="claude-sonnet-4.6", max_tokens=50, metadata={"user_id": CLAUDE_CODE_USER},
        messages=[{"role": "user", "content": "count me"}])
    client = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    for _ in range(2):
        client.chat.completions.create(model="gpt-4.1", user="script-7", messages=[{"role": "user", "content": "and me"}])
    path = Path(proxy.dir) / "token_usage.jl"
    assert not path.exists(), "the interval (300 s) has not passed"
    proxy.process.proc.send_signal(signal.SIGTERM)
    proxy.process.proc.wait(timeout=15)
    written = lines(path)
    assert [line["user_id"] for line in written] == ["acct-42", "script-7"]
    assert len({line["timestamp"] for line in written}) == 1
    gpt = written[1]["models"][0]
    assert list(gpt) == ["model", "request_count", "input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
                         "output_tokens", "total_tokens", "data_sent", "data_received", "total_data"]
    assert gpt["model"] == "gpt-4.1" and gpt["request_count"] == 2 and gpt["input_tokens"] > 0
    assert gpt["total_tokens"] == gpt["input_tokens"] + gpt["output_tokens"] + gpt["cache_read_input_tokens"] + gpt["cache_creation_input_tokens"]
    assert gpt["total_data"] == gpt["data_sent"] + gpt["data_received"] > 0


def test_kill_9_leaves_whole_lines_and_imports_are_not_usage(make_proxy):
    proxy = make_proxy("usage_report_interval: 1\n")
    archive = gzip.compress((json.dumps({"id": "old-1", "timestamp": 1795514400, "model": "gpt-4.1", "endpoint": "/v1/chat/completions",
                                         "input_tokens": 1000000, "output_tokens": 5}) + "\n").encode())
    assert httpx.post(proxy.url + "/api/requests/import", content=archive, timeout=10).json()["imported"] == 1
    path = Path(proxy.dir) / "token_usage.jl"
    with traffic(proxy, clients=4, content="busy"):
        wait_for(lambda: path.exists() and path.read_text().count("\n") >= 3, "three usage lines", timeout=20, interval=0.2)
        proxy.process.proc.send_signal(signal.SIGKILL)
        proxy.process.proc.wait()
    text = path.read_text()
    assert text.endswith("\n")
    written = lines(path)
    assert len(written) >= 3
    assert all(model["input_tokens"] < 1000000 for line in written for model in line["models"]), "the import was not counted"


@pytest.fixture
def two_machines(tmp_path, stand_in):
    onedrive = tmp_path / "OneDrive"
    onedrive.mkdir()
    machines = []
    for name in ("alpha", "beta"):
        config = tmp_path / name / "cfg"
        config.mkdir(parents=True, mode=0o700)
        (config / "config.yaml").write_text(
            f"github_api_base_url: {stand_in.url}\ngithub_base_url: {stand_in.url}\ndisable_onedrive_access: false\n"
            f"onedrive_path: {onedrive}\nmachine_name: {name}\nusage_report_interval: 1\n")
        machines.append(config)
    return machines, onedrive


def test_usage_shows_each_machine_and_model_of_today_with_claude_code_on_one(two_machines, make_proxy, tmp_path):
    (alpha, beta), onedrive = two_machines
    first = make_proxy(directory=str(alpha))
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "home").mkdir()
    assert result(claude(first, work, "-p", "say hi", "--output-format", "json"))["result"] == "You said: say hi"
    second = make_proxy(directory=str(beta))
    openai.OpenAI(base_url=second.url + "/v1", api_key="x", max_retries=0).chat.completions.create(
        model="gpt-4.1", messages=[{"role": "user", "content": "from beta"}])
    first.stop()
    second.stop()
    agents = onedrive / ".ghc-api" / "agents"
    assert (agents / "alpha" / "token_usage.jl").exists() and (agents / "beta" / "token_usage.jl").exists()

    by_machine = usage(beta, "--by", "machine")
    assert by_machine.returncode == 0, by_machine.stderr
    table = by_machine.stdout.splitlines()
    assert table[0].split()[:3] == ["machine", "requests", "input"]
    assert [row.split()[0] for row in table[1:3]] == ["alpha", "beta"] and table[-1].startswith("total")
    assert "claude-opus-5.5" in usage(beta, "--by", "model").stdout
    by_user = usage(beta, "--by", "user").stdout
    assert "anonymous" in by_user
    day = usage(beta, "--by", "day").stdout
    assert "Total tokens by day (UTC)" in day and "█" in day
    document = json.loads(usage(beta, "--json", "--by", "machine").stdout)
    assert document["machines"] == ["alpha", "beta"] and document["by"] == "machine"
    assert {row["machine"] for row in document["rows"]} == {"alpha", "beta"}
    assert set(document["totals"]) == {"request_count", "input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
                                       "output_tokens", "total_tokens", "data_sent", "data_received", "total_data"}
    assert document["timeseries"]["granularity"] == "hour" and set(document["timeseries"]["by_machine"]) == {"alpha", "beta"}
    assert sum(group["total_tokens"] for group in document["groups"]) == document["totals"]["total_tokens"] > 1000
    only = json.loads(usage(beta, "--json", "--machine", "alpha").stdout)
    assert {row["machine"] for row in only["rows"]} == {"alpha"}
    (agents / "alpha" / "token_usage.jl").open("a").write("{broken\n")
    assert "1 bad line(s) in" in usage(beta).stderr


@pytest.mark.parametrize("kind", ["limited", "unlimited", "none"])
def test_the_quota_of_each_kind_of_plan(kind, make_proxy, stand_in, tmp_path):
    stand_in.scenario(quota=kind)
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    (config / "config.yaml").write_text(f"github_api_base_url: {stand_in.url}\n")
    token = {"GITHUB_TOKEN": "gho_standin0123456789abcdefghijklmnopq"}
    shown = usage(config, "--quota", env_extra=token)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(usage(config, "--quota", "--json", env_extra=token).stdout)
    assert document["plan"] == "individual" and isinstance(document["days_to_reset"], int)
    if kind == "limited":
        assert "premium requests  88.5 of 300 used, 211.5 left" in shown.stdout and "chat              unlimited" in shown.stdout
        assert document["quotas"][0] == {"name": "premium_interactions", "entitlement": 300.0, "used": 88.5, "remaining": 211.5,
                                         "percent_remaining": 70.5, "unlimited": False, "overage_count": 0.0, "overage_permitted": True}
    elif kind == "unlimited":
        assert shown.stdout.count("unlimited") == 3
    else:
        assert "GitHub reported no quotas for this plan." in shown.stdout and document["quotas"] == []
    proxy = make_proxy()
    if kind == "limited":
        assert "Quota:    Copilot individual: 211 of 300 premium requests left until" in proxy.banner
        assert httpx.get(proxy.url + "/api/quota", timeout=10).json()["quotas"][0]["remaining"] == 211.5


def test_the_quota_needs_a_login(tmp_path):
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    done = subprocess.run([binary(), "usage", "--quota"], env=dict(env, GHC_API_CONFIG_DIR=str(config), HOME=str(tmp_path)),
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and "ghc-api auth login" in done.stderr
