"""Request records after real SDK calls, the dashboard JSON APIs, and `export` / `import` through API and CLI."""
import gzip
import json
import os
import subprocess
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from conftest import binary, wait_for


def records(proxy, **params):
    return httpx.get(proxy.url + "/api/requests", params=params).json()


def test_sdk_calls_become_records_with_usage_and_bodies(make_proxy):
    proxy = make_proxy("model_mappings:\n  exact: {my-alias: gpt-4.1}\n")
    oa = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    an = anthropic.Anthropic(base_url=proxy.url, api_key="x", max_retries=0)
    oa.chat.completions.create(model="my-alias", messages=[{"role": "user", "content": "record me json"}])
    list(oa.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "record me stream"}], stream=True, stream_options={"include_usage": True}))
    an.messages.create(model="claude-sonnet-4.5", max_tokens=100, messages=[{"role": "user", "content": "record me native"}])
    with an.messages.stream(model="gpt-4.1", max_tokens=100, messages=[{"role": "user", "content": "record me translated"}]) as s:
        s.get_final_message()
    listing = wait_for(lambda: (lambda r: r if r["total"] == 4 and all(i["state"] == "completed" for i in r["items"]) else None)(records(proxy)), "the finished records",
                       timeout=5, interval=0.05)
    items = listing["items"]
    assert [i["endpoint"] for i in items] == ["/v1/messages", "/v1/messages", "/v1/chat/completions", "/v1/chat/completions"]
    first = items[-1]
    assert first["model"] == "my-alias" and first["translated_model"] == "gpt-4.1" and first["status_code"] == 200
    assert first["input_tokens"] > 0 and first["output_tokens"] > 0 and first["time_to_first_byte"] is not None
    detail = httpx.get(proxy.url + f"/api/request/{items[2]['id']}").json()
    assert detail["original_request_body"]["messages"][0]["content"] == "record me stream"
    assert detail["raw_events"] and json.loads(detail["raw_events"][0])["object"] == "chat.completion.chunk"
    assert detail["output_tokens"] > 0
    assert "authorization" not in {k.lower(): v for k, v in detail["request_headers"].items() if v != "***REDACTED***"}
    assert httpx.get(proxy.url + f"/api/request/{items[2]['id']}/response-body").json()["raw_events"] == detail["raw_events"]
    native = httpx.get(proxy.url + f"/api/request/{items[1]['id']}").json()
    assert native["response_body"]["content"][0]["text"] == "You said: record me native"
    stats = httpx.get(proxy.url + "/api/stats").json()
    assert stats["total_requests"] == 4 and stats["errors"] == 0
    assert stats["model_stats"]["gpt-4.1"]["request_count"] == 3 and stats["endpoint_stats"]["/v1/messages"]["request_count"] == 2
    assert stats["latency_ms"]["p50"] is not None


def test_failures_and_cancellations_are_recorded(make_proxy, stand_in):
    proxy = make_proxy()
    stand_in.scenario(faults=[{"path": "/chat/completions", "action": "status", "status": 429, "calls": [1], "body": '{"error":{"message":"slow"}}'}])
    with pytest.raises(openai.RateLimitError):
        openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "x"}])
    stand_in.scenario(stream_event_delay_ms=300)
    with httpx.stream("POST", proxy.url + "/v1/chat/completions", json={"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "a b c d e f"}]}) as r:
        next(r.iter_lines())
    listing = wait_for(lambda: (lambda r: r if r["total"] == 2 and r["items"][0]["state"] == "cancelled" else None)(records(proxy)), "the finished records",
                       timeout=5, interval=0.05)
    assert listing["items"][0]["status_code"] == 499
    assert listing["items"][1]["state"] == "error" and listing["items"][1]["status_code"] == 429
    assert httpx.get(proxy.url + "/api/stats").json()["errors"] == 2


def test_search_and_paging(make_proxy):
    proxy = make_proxy()
    oa = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    for word in ["apple", "banana", "cherry", "apple pie"]:
        oa.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": word}])
    assert records(proxy, search="APPLE")["total"] == 2
    assert records(proxy, search="you said: banana")["total"] == 1, "response bodies are searched too"
    page = records(proxy, per_page=3, page=2)
    assert page["total"] == 4 and page["total_pages"] == 2 and len(page["items"]) == 1
    assert httpx.get(proxy.url + "/api/requests/search", params={"q": "cherry"}).json()["total"] == 1


def test_export_and_import_through_the_api(make_proxy):
    source = make_proxy()
    oa = openai.OpenAI(base_url=source.url + "/v1", api_key="x", max_retries=0)
    for i in range(3):
        oa.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"archive {i}"}])
    wait_for(lambda: records(source)["total"] == 3, "three records", timeout=5, interval=0.05)
    exported = httpx.get(source.url + "/api/requests/export")
    assert exported.headers["content-type"].startswith("application/x-jsonlines")
    lines = exported.text.strip().split("\n")
    assert len(lines) == 3 and json.loads(lines[0])["request_body"]["messages"][0]["content"] == "archive 0"
    assert list(json.loads(lines[0]).keys())[:8] == ["id", "timestamp", "client_ip", "request_headers", "original_request_body", "request_body", "response_body", "raw_events"]
    target = make_proxy()
    python_line = json.dumps({"id": "py-1", "timestamp": "2026-11-24T10:00:00Z", "model": "sonnet", "endpoint": "/v1/messages", "request_body": {"x": 1}})
    body = "\n".join(lines + ["not json", "", python_line, lines[0]]) + "\n"
    report = httpx.post(target.url + "/api/requests/import", content=gzip.compress(body.encode()), headers={"content-type": "application/x-jsonlines"}).json()
    assert report == {"imported": 4, "duplicates": 1, "errors": ["Line 4: Invalid JSON - invalid literal at byte 0"], "total_errors": 1}
    imported = records(target)
    assert imported["total"] == 4
    from datetime import datetime, timezone
    expected = int(datetime(2026, 11, 24, 10, tzinfo=timezone.utc).timestamp())
    python_record = httpx.get(target.url + "/api/request/py-1").json()
    assert python_record["timestamp"] == expected and python_record["state"] == "completed" and python_record["request_body"] == {"x": 1}


def test_state_changing_apis_check_origin(proxy):
    refused = httpx.post(proxy.url + "/api/requests/import", content=b"", headers={"origin": "https://evil.example"})
    assert refused.status_code == 403
    config = httpx.post(proxy.url + "/api/runtime-config", json={"changes": {"system_prompt_add": ["x"]}}, headers={"origin": "https://evil.example"})
    assert config.status_code == 403


def test_runtime_config_changes_apply_and_can_be_saved(make_proxy, stand_in):
    proxy = make_proxy("# my comment\n")
    current = httpx.get(proxy.url + "/api/runtime-config").json()
    assert "model_mappings" in current["config"]
    bad = httpx.post(proxy.url + "/api/runtime-config", json={"changes": {"sse_keepalive_interval": "many"}})
    assert bad.status_code == 400 and "sse_keepalive_interval" in bad.json()["error"]
    for fixed in ("max_connection_retries", "vscode_version", "copilot_version", "api_version"):
        refused = httpx.post(proxy.url + "/api/runtime-config", json={"changes": {fixed: "1"}})
        assert refused.status_code == 400 and "not changeable at runtime" in refused.json()["error"]
    changed = httpx.post(proxy.url + "/api/runtime-config", json={"changes": {"model_mappings": {"exact": {"zz": "gpt-4.1"}, "prefix": {}}}, "save": True}).json()
    assert changed["saved_to"].endswith("config.yaml") and changed["backup"]
    openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0).chat.completions.create(model="zz", messages=[{"role": "user", "content": "x"}])
    assert json.loads(stand_in.requests("/chat/completions")[-1]["body"])["model"] == "gpt-4.1"
    saved = (Path(proxy.dir) / "config.yaml").read_text()
    assert "# my comment" in saved and "zz: gpt-4.1" in saved


def test_every_runtime_key_takes_effect_at_once(make_proxy, stand_in):
    proxy = make_proxy()
    editable = httpx.get(proxy.url + "/api/runtime-config").json()["editable"]
    assert set(editable) == {"model_mappings", "anthropic_system_messages", "system_prompt_remove", "system_prompt_add",
                             "tool_result_suffix_remove", "save_request_to_file", "cache_max_request_size", "sse_keepalive_interval"}

    def change(**changes):
        answer = httpx.post(proxy.url + "/api/runtime-config", json={"changes": changes})
        assert answer.status_code == 200, answer.text

    api = anthropic.Anthropic(base_url=proxy.url, api_key="x", max_retries=0)
    change(system_prompt_remove=["secret"], system_prompt_add=["Be brief."], tool_result_suffix_remove=["<tail>"])
    api.messages.create(model="claude-sonnet-4.5", max_tokens=50, system="keep secret words", messages=[
        {"role": "user", "content": "q"}, {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "x", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "result<tail>"}]}])
    sent = json.loads(stand_in.requests("/v1/messages")[-1]["body"])
    assert "secret" not in json.dumps(sent["system"]) and "Be brief." in json.dumps(sent["system"])
    assert sent["messages"][-1]["content"][0]["content"] == "result"
    system_turn = [{"role": "user", "content": "q"}, {"role": "system", "content": "ctx"}]
    change(anthropic_system_messages="pass")
    with pytest.raises(anthropic.BadRequestError):
        api.messages.create(model="claude-sonnet-4.5", max_tokens=50, messages=system_turn)
    assert json.loads(stand_in.requests("/v1/messages")[-1]["body"])["messages"][-1]["role"] == "system"
    change(anthropic_system_messages="fold")
    assert api.messages.create(model="claude-sonnet-4.5", max_tokens=50, messages=system_turn).content[0].text == "You said: q"
    change(cache_max_request_size=10)
    api.messages.create(model="claude-sonnet-4.5", max_tokens=50, messages=[{"role": "user", "content": "a long enough question"}])
    newest = httpx.get(proxy.url + "/api/requests").json()["items"][0]
    detail = httpx.get(proxy.url + f"/api/request/{newest['id']}").json()
    assert detail["response_body"]["_truncated"] is True and detail["request_body"]["_truncated"] is True
    change(save_request_to_file=True)
    api.messages.create(model="claude-sonnet-4.5", max_tokens=50, messages=[{"role": "user", "content": "to the file"}])
    assert wait_for(lambda: list((Path(proxy.dir) / "requests").glob("*.jl")), "a daily file", timeout=5, interval=0.05)
    assert wait_for(lambda: httpx.get(proxy.url + "/api/stats").json()["daily_files"] == {"queued_bytes": 0, "dropped": 0, "failed": 0},
                    "an empty daily-file queue", timeout=5, interval=0.05)
    change(sse_keepalive_interval=1)
    stand_in.scenario(faults=[{"path": "/v1/messages", "action": "stall", "after_events": 1, "delay_ms": 1600}])
    text = httpx.post(proxy.url + "/v1/messages", json={"model": "claude-sonnet-4.5", "max_tokens": 50, "stream": True,
                                                         "messages": [{"role": "user", "content": "slow"}]}, timeout=10).text
    assert text.count("event: ping") >= 2, "the stand-in sends one ping; the others are keepalives"


def run_cli(args, proxy_dir, **kwargs):
    env = dict(os.environ, GHC_API_CONFIG_DIR=proxy_dir, NO_COLOR="1")
    return subprocess.run([binary(), *args], env=env, capture_output=True, timeout=60, **kwargs)


def test_daily_files_and_cli_export_import_round_trip(make_proxy, tmp_path):
    proxy = make_proxy("save_request_to_file: true\n")
    oa = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    for i in range(5):
        oa.chat.completions.create(model="gpt-4.1" if i % 2 else "gpt-5-mini", messages=[{"role": "user", "content": f"daily {i}"}])
    proxy.stop()  # flushed on shutdown
    days = sorted((Path(proxy.dir) / "requests").glob("*.jl"))
    assert len(days) == 1 and len(days[0].read_text().splitlines()) == 5
    archive = tmp_path / "day.jsonl.gz"
    done = run_cli(["export", "--model", "gpt-4.1", "-o", str(archive)], proxy.dir, text=True)
    assert done.returncode == 0, done.stderr
    assert "Exported 2 record(s)" in done.stderr
    assert len(gzip.decompress(archive.read_bytes()).decode().splitlines()) == 2
    everything = tmp_path / "all.jsonl"
    assert run_cli(["export", "--status", "ok", "-o", str(everything)], proxy.dir).returncode == 0
    assert len(everything.read_text().splitlines()) == 5
    fresh = tmp_path / "other-machine"
    fresh.mkdir()
    first = run_cli(["import", str(archive)], str(fresh), text=True)
    assert first.returncode == 0 and first.stdout.startswith("Imported 2, 0 duplicate(s), 0 bad line(s)")
    again = run_cli(["import", str(everything)], str(fresh), text=True)
    assert again.stdout.startswith("Imported 3, 2 duplicate(s), 0 bad line(s)")
    stdout = run_cli(["export", "-o", "-"], str(fresh))
    assert len(stdout.stdout.decode().splitlines()) == 5
    assert (fresh / "requests.db").exists() and not (fresh / "requests").exists(), "import writes the history by default"
    daily = run_cli(["export", "--from-daily", "--model", "gpt-4.1", "-o", "-"], proxy.dir)
    assert len(daily.stdout.decode().splitlines()) == 2
    into_daily = run_cli(["import", "--into-daily-files", str(everything)], str(fresh), text=True)
    assert into_daily.stdout.startswith("Imported 5, 0 duplicate(s)")
    assert len(next((fresh / "requests").glob("*.jl")).read_text().splitlines()) == 5


def test_bad_archives_are_reported_and_bombs_refused(tmp_path):
    good = json.dumps({"id": "a", "timestamp": 1, "model": "m", "endpoint": "/v1/x"})
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(good + "\n{broken\n[1,2]\n")
    done = run_cli(["import", str(mixed)], str(tmp_path / "cfg"), text=True)
    assert done.returncode == 1
    assert done.stdout.startswith("Imported 1, 0 duplicate(s), 2 bad line(s)")
    assert "line 2: Invalid JSON" in done.stderr and "line 3: a line must be a JSON object" in done.stderr
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(((good + "\n") * 1000).encode())[:-40])
    cut = run_cli(["import", str(truncated)], str(tmp_path / "cfg2"), text=True)
    assert cut.returncode == 1 and "damaged" in cut.stderr
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b" " * (20 << 20)))
    refused = run_cli(["import", str(bomb), "--max-size", "1048576"], str(tmp_path / "cfg3"), text=True)
    assert refused.returncode == 1 and "refused" in refused.stderr


def test_export_never_destroys_its_input(make_proxy, tmp_path):
    proxy = make_proxy("save_request_to_file: true\n")
    oa = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    for i in range(3):
        oa.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"keep me {i}"}])
    proxy.stop()
    day = sorted((Path(proxy.dir) / "requests").glob("*.jl"))[0]
    before = day.read_bytes()
    onto_daily = run_cli(["export", "--from-daily", "-o", str(day)], proxy.dir, text=True)
    assert onto_daily.returncode == 1 and "is also an input" in onto_daily.stderr
    same = run_cli(["export", "--from", str(day), "-o", str(day)], proxy.dir, text=True)
    assert same.returncode == 1 and "is also an input" in same.stderr
    assert day.read_bytes() == before
    onto_history = run_cli(["export", "-o", str(Path(proxy.dir) / "requests.db")], proxy.dir, text=True)
    assert onto_history.returncode == 1 and "is the history database" in onto_history.stderr
    missing = run_cli(["export", "--from", str(tmp_path / "nope.jl"), "-o", str(tmp_path / "out.jl")], proxy.dir, text=True)
    assert missing.returncode == 1 and not (tmp_path / "out.jl").exists()
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_hostile_lines_in_a_daily_file_are_skipped_by_export(tmp_path):
    config = tmp_path / "cfg"
    (config / "requests").mkdir(parents=True)
    good = json.dumps({"id": "ok", "timestamp": 1795514400, "model": "m", "endpoint": "/v1/x"})
    lines = [good, '{"id": "n", "timestamp": "nan"}', '{"id": "s", "request_body": {"_truncated": true, "_size": 1e15}}',
             '{"id": "big", "timestamp": 1e19}', '{"id": "neg", "response_body": {"_truncated": true, "_size": -1}}']
    (config / "requests" / "2026-11-24.jl").write_text("\n".join(lines) + "\n")
    done = run_cli(["export", "-o", str(tmp_path / "out.jsonl")], str(config), text=True)
    assert done.returncode == 0, done.stderr
    assert "Exported 1 record(s)" in done.stderr and "4 bad line(s) skipped" in done.stderr
    for number in (2, 3, 4, 5):
        assert f"line {number}:" in done.stderr


def test_uploads_stream_through_multipart_and_import_server(make_proxy, tmp_path):
    target = make_proxy()
    lines = [json.dumps({"id": f"up-{i}", "timestamp": 1795514400 + i, "model": "m", "endpoint": "/v1/x",
                         "request_body": {"text": "lorem ipsum " * 400}}) for i in range(600)]
    archive = gzip.compress(("\n".join(lines) + "\n").encode())
    form = httpx.post(target.url + "/api/requests/import", files={"note": ("n.txt", b"ignored"), "file": ("a.jsonl.gz", archive)}, timeout=30)
    assert form.status_code == 200 and form.json()["imported"] == 600
    missing = httpx.post(target.url + "/api/requests/import", files={"note": ("n.txt", b"x")}, timeout=10)
    assert missing.status_code == 400 and missing.json()["error"] == "No file provided"
    broken = httpx.post(target.url + "/api/requests/import", content=b"--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{",
                        headers={"content-type": "multipart/form-data; boundary=b"}, timeout=10)
    # A form cut off inside its file: what arrived is judged line by line.
    assert broken.status_code == 200 and broken.json()["total_errors"] == 1 and broken.json()["imported"] == 0
    # A form that breaks multipart's syntax (a part header without a colon) is the caller's mistake: 400, said so.
    garbled = httpx.post(target.url + "/api/requests/import",
                         content=b"--b\r\nContent-Disposition: form-data; name=\"file\"\r\nno colon here\r\n\r\n{}\r\n--b--\r\n",
                         headers={"content-type": "multipart/form-data; boundary=b"}, timeout=10)
    assert garbled.status_code == 400 and garbled.json()["error"] == "the multipart upload is malformed"
    path = tmp_path / "more.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(line.replace('"up-', '"cli-') for line in lines) + "\nnot json\n").encode()))
    done = run_cli(["import", str(path), "--server", target.url], target.dir, text=True)
    assert done.returncode == 1 and done.stdout.startswith("Imported 600, 0 duplicate(s), 1 bad line(s)")
    assert "Line 601: Invalid JSON" in done.stderr


def test_a_full_disk_never_leaves_half_a_line_in_a_daily_file(tmp_path):
    """A file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) makes a write stop part way, as a full disk does."""
    lines = [json.dumps({"id": f"big-{i}", "timestamp": 1795514400 + i, "model": "m", "endpoint": "/v1/x",
                         "request_body": {"text": "x" * 3000}}) for i in range(40)]
    archive = tmp_path / "big.jsonl"
    archive.write_text("\n".join(lines) + "\n")
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config), NO_COLOR="1")
    limited = subprocess.run(["bash", "-c", f"trap '' XFSZ; ulimit -f 40; exec {binary()} import --into-daily-files {archive}"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert limited.returncode != 0, limited.stdout + limited.stderr
    day = next((config / "requests").glob("*.jl"))
    text = day.read_text()
    assert text == "" or text.endswith("\n"), "a failed write left a partial line behind"
    kept = [json.loads(line) for line in text.splitlines()]
    again = subprocess.run([binary(), "import", "--into-daily-files", str(archive)], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert f"Imported {40 - len(kept)}, {len(kept)} duplicate(s)" in again.stdout
    assert [json.loads(line)["id"] for line in day.read_text().splitlines()] == [f"big-{i}" for i in range(40)]


def test_a_full_disk_rolls_an_import_into_the_history_back_whole(tmp_path):
    """The same file size limit under an import into requests.db: the batch that hits it is rolled back, the database
    stays readable, and a second run adds exactly what is missing."""
    lines = [json.dumps({"id": f"big-{i}", "timestamp": 1795514400 + i, "model": "m", "endpoint": "/v1/x",
                         "request_body": {"text": " ".join(f"word{i}x{j}" for j in range(3000))}}) for i in range(400)]
    archive = tmp_path / "big.jsonl"
    archive.write_text("\n".join(lines) + "\n")
    config = tmp_path / "cfg"
    config.mkdir(mode=0o700)
    env = dict(os.environ, GHC_API_CONFIG_DIR=str(config), NO_COLOR="1")
    limited = subprocess.run(["bash", "-c", f"trap '' XFSZ; ulimit -f 2000; exec {binary()} import {archive}"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert limited.returncode != 0, limited.stdout + limited.stderr
    kept = export_ids(config)
    assert len(kept) < 400 and len(kept) % 64 == 0, "only whole batches are in the database"
    again = subprocess.run([binary(), "import", str(archive)], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"Imported {400 - len(kept)}, {len(kept)} duplicate(s)" in again.stdout
    assert export_ids(config) == [f"big-{i}" for i in range(400)]


def export_ids(config):
    done = run_cli(["export", "-o", "-"], str(config))
    assert done.returncode == 0, done.stderr
    return [json.loads(line)["id"] for line in done.stdout.decode().splitlines()]
