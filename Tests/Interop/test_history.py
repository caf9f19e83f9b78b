"""The request history in requests.db, as a user meets it: it survives restarts, finds words of answers, refuses
searches it cannot read in the API's own shape, survives kill -9, is shared by two servers, and pauses and resumes
recording when its folder cannot be written."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from conftest import Process, binary, free_port, traffic, wait_for


def search(proxy, query, **params):
    found = httpx.get(f"{proxy.url}/api/requests/search", params={"q": query, **params}, timeout=10)
    assert found.status_code == 200, found.text
    return found.json()


def history(proxy):
    return httpx.get(f"{proxy.url}/api/stats", timeout=10).json()["history"]


def restart(proxy, make_proxy):
    """Stops a proxy and starts another on the same config folder."""
    proxy.stop()
    return make_proxy(directory=proxy.dir)


def test_a_restarted_server_finds_yesterdays_request_by_a_word_of_its_answer(make_proxy):
    proxy = make_proxy()
    client = anthropic.Anthropic(base_url=proxy.url, api_key="x", max_retries=0)
    with client.messages.stream(model="claude-sonnet-4.6", max_tokens=50,
                                messages=[{"role": "user", "content": "the aardvark sleeps"}]) as stream:
        assert stream.get_final_text() == "You said: the aardvark sleeps"
    openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0).chat.completions.create(
        model="gpt-4.1", messages=[{"role": "user", "content": "a quiet pangolin"}])
    again = restart(proxy, make_proxy)
    try:
        assert history(again)["records"] == 2
        listed = httpx.get(f"{again.url}/api/requests", timeout=10).json()
        assert listed["total"] == 2 and listed["source"] == "database"
        assert [item["model"] for item in listed["items"]] == ["gpt-4.1", "claude-sonnet-4.6"]
        found = search(again, "aardvark")
        assert found["total"] == 1 and found["items"][0]["model"] == "claude-sonnet-4.6"
        assert search(again, "pango*")["total"] == 1
        assert search(again, '"said the aardvark"')["total"] == 1, "the streamed answer, rebuilt from its deltas"
        assert search(again, '"aardvark said"')["total"] == 0
        assert search(again, "aardvark OR pangolin")["total"] == 2
        assert search(again, "aardvark", model="gpt-4.1")["total"] == 0
        detail = httpx.get(f"{again.url}/api/request/{found['items'][0]['id']}", timeout=10).json()
        assert detail["original_request_body"]["messages"][0]["content"] == "the aardvark sleeps"
        assert any("aardvark" in event for event in detail["raw_events"])
        # A search with the original's parameter name, and keyset paging from a page's cursor.
        assert httpx.get(f"{again.url}/api/requests", params={"search": "pangolin"}, timeout=10).json()["total"] == 1
        first = httpx.get(f"{again.url}/api/requests", params={"per_page": 1}, timeout=10).json()
        second = httpx.get(f"{again.url}/api/requests", params={"per_page": 1, "cursor": first["next_cursor"]}, timeout=10).json()
        assert [first["items"][0]["model"], second["items"][0]["model"]] == ["gpt-4.1", "claude-sonnet-4.6"]
        assert second["next_cursor"] is None
    finally:
        again.stop()


@pytest.mark.parametrize("query", ['"never closed', "zebra AND", "(zebra", "zebra OR OR"])
def test_a_search_fts5_cannot_read_is_a_400_in_the_apis_shape(proxy, query):
    openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0).chat.completions.create(
        model="gpt-4.1", messages=[{"role": "user", "content": "zebra"}])
    for path, name in (("/api/requests/search", "q"), ("/api/requests", "search")):
        answer = httpx.get(f"{proxy.url}{path}", params={name: query}, timeout=10)
        assert answer.status_code == 400, answer.text
        assert isinstance(answer.json()["error"], str) and answer.json()["error"]
    bad_cursor = httpx.get(f"{proxy.url}/api/requests", params={"cursor": "nonsense"}, timeout=10)
    assert bad_cursor.status_code == 400 and "cursor" in bad_cursor.json()["error"]
    bad_status = httpx.get(f"{proxy.url}/api/requests", params={"status": "teapot"}, timeout=10)
    assert bad_status.status_code == 400 and "status" in bad_status.json()["error"]
    far = httpx.get(f"{proxy.url}/api/requests", params={"page": str(2**63 - 1), "per_page": "500"}, timeout=10)
    assert far.status_code == 200 and far.json()["items"] == [], "a huge page number is an empty page, not a crash"
    assert httpx.get(f"{proxy.url}/api/stats", timeout=10).status_code == 200


def test_kill_9_in_the_middle_of_traffic_loses_at_most_the_unwritten_batch(make_proxy):
    proxy = make_proxy()
    client = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    for index in range(40):
        client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"before {index}"}])
    wait_for(lambda: history(proxy)["written"] == 40, "the first 40 records to be written")
    with traffic(proxy, clients=8, content="during"):
        wait_for(lambda: history(proxy)["written"] > 200, "writes under load")
        proxy.process.proc.send_signal(signal.SIGKILL)
        proxy.process.proc.wait()
    again = restart(proxy, make_proxy)
    try:
        state = history(again)
        assert state["state"] == "recording" and "corrupt" not in again.process.stderr()
        assert not [name for name in os.listdir(proxy.dir) if ".corrupt-" in name]
        assert search(again, "before")["total"] == 40
        assert state["records"] > 200
        exported = subprocess.run([binary(), "export", "-o", "-"], env=dict(os.environ, GHC_API_CONFIG_DIR=proxy.dir),
                                  capture_output=True, timeout=60)
        assert exported.returncode == 0 and len(exported.stdout.splitlines()) == state["records"]
    finally:
        again.stop()


def test_two_servers_on_one_config_folder_share_the_history(make_proxy):
    first = make_proxy()
    other = make_proxy(directory=first.dir)

    def send(proxy, count):
        client = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
        for index in range(count):
            client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"shared {index}"}])

    threads = [threading.Thread(target=send, args=(proxy, 150)) for proxy in (first, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wait_for(lambda: search(first, "shared")["total"] == 300, "both servers' records in one history")
    assert search(other, "shared")["total"] == 300
    other.stop()
    first.stop()
    exported = subprocess.run([binary(), "export", "-o", "-"], env=dict(os.environ, GHC_API_CONFIG_DIR=first.dir),
                              capture_output=True, timeout=60)
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) == 300


@pytest.mark.skipif(os.geteuid() != 0, reason="runs serve as another user with setpriv, which needs root")
def test_a_read_only_folder_pauses_recording_with_one_warning_and_it_resumes_by_itself(stand_in, tmp_path):
    """As the unprivileged user `nobody`, so file permissions apply as they do to users."""
    # Under /tmp itself: pytest's own folders are closed to other users.
    home = Path(tempfile.mkdtemp(prefix="ghc-api-nobody-"))
    os.chmod(home, 0o755)
    config = home / "cfg"
    config.mkdir()
    (config / "config.yaml").write_text(f"github_api_base_url: {stand_in.url}\ngithub_base_url: {stand_in.url}\n")
    shutil.chown(config, 65534, 65534)
    shutil.chown(config / "config.yaml", 65534, 65534)
    os.chmod(config, 0o500)
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config), NO_COLOR="1", HOME=str(home),
               GITHUB_TOKEN="gho_standin0123456789abcdefghijklmnopq")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = Process(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary(), "serve", "-p", str(port)],
                     env, "Stop with Ctrl-C", str(tmp_path / "serve.log"))
    try:
        client = openai.OpenAI(base_url=url + "/v1", api_key="x", max_retries=0)
        for index in range(3):
            answer = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"paused {index}"}])
            assert answer.choices[0].message.content == f"You said: paused {index}"
        state = wait_for(lambda: (lambda h: h if h["state"] == "unavailable" and h["problem"] else None)(
            httpx.get(url + "/api/stats", timeout=10).json()["history"]), "the paused state")
        assert "requests.db" in state["problem"]
        listed = httpx.get(url + "/api/requests", timeout=10).json()
        assert listed["source"] == "memory" and listed["total"] == 3, "the dashboard still shows the requests from memory"
        os.chmod(config, 0o700)
        wait_for(lambda: httpx.get(url + "/api/stats", timeout=10).json()["history"]["state"] == "recording", "recording to resume")
        wait_for(lambda: httpx.get(url + "/api/requests/search", params={"q": "paused"}, timeout=10).json()["total"] == 3,
                 "the queued records in the database")
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    log = server.stderr()
    assert log.count("recording resumes when it can") == 1, log
    assert "recording resumed" in log


def test_the_demo_keeps_its_requests_out_of_the_real_history_and_usage(tmp_path):
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config), NO_COLOR="1")
    port = free_port()
    server = Process([binary(), "serve", "--demo", "-p", str(port)], env, "Stop with Ctrl-C", str(tmp_path / "demo.log"))
    try:
        openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0).chat.completions.create(
            model="gpt-4.1", messages=[{"role": "user", "content": "demo only"}])
    finally:
        server.stop()
    names = sorted(os.listdir(config))
    assert "requests-demo.db" in names and "token_usage-demo.jl" in names
    assert "requests.db" not in names and "token_usage.jl" not in names
