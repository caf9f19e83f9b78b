#!/usr/bin/env python3
"""Measures what ghc-api adds over calling the upstream directly and over nginx relaying to it, in one run.

Starts the stand-in upstream (`ghc-api stand-in`), `ghc-api serve` pointed at it (every request recorded in
requests.db, as users run it), a second `serve` with `history_enabled: false`, and nginx (Debian's nginx-light)
relaying to the stand-in with keep-alive, no buffering and a fixed Copilot token header: the best a pass-through proxy
can do on this machine. Then, interleaved so drift hits every target alike:

  * latency of a small chat request on one keep-alive connection (p50, p99, and what each proxy adds),
  * requests per second at 64 connections (wrk), as ratios to direct and to nginx,
  * CPU time and context switches per proxied request at 1 and 64 connections, read from /proc,
  * time to the first event of a streamed answer, at 1 and at 16 connections,
  * a 300 KB Claude Code request, native (/v1/messages) and translated (to Chat Completions),
  * Anthropic in, Chat Completions upstream, streamed, at 16 connections (wrk),
  * the proxies' RSS when idle and after 1,000 Claude Code requests of 300 KB,
  * what recording in the history database adds.

Usage: Benchmarks/run.py [--binary PATH] [--quick]
Needs wrk and nginx (scripts/benchmark installs both). Prints a Markdown table.
"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from harness import (ROOT, STANDIN_TOKEN, Endpoint, claude_code_request, free_port, interleaved, percentile,
                     process_tree, rss_kib, run_together, start, start_nginx, wrk, wrk_cost)

TARGETS = ("direct", "nginx", "ghc-api")


def ms(seconds):
    return f"{seconds * 1000:.3f} ms"


def added(values, base):
    return f"{(statistics.median(values) - statistics.median(base)) * 1000:+.3f} ms"


def concurrent_first_bytes(endpoints_for, body, clients, rounds):
    """Time to first event with `clients` connections busy at once: each client thread measures every target in turn."""
    results = [[] for _ in TARGETS]
    lock = threading.Lock()

    def client():
        endpoints = endpoints_for()
        local = interleaved(endpoints, body, rounds, Endpoint.first_byte)
        with lock:
            for values, measured in zip(results, local):
                values.extend(measured)

    run_together(client, clients)
    return results


def upstream_body_of(standin_port, path):
    """The body the stand-in received last on `path` (what ghc-api sent after translating)."""
    connection = http.client.HTTPConnection("127.0.0.1", standin_port)
    connection.request("GET", "/_standin/requests")
    requests = json.loads(connection.getresponse().read())
    return [r for r in requests if r["path"] == path][-1]["body"].encode()


def claude_code_times(bench, body, upstream_path, count):
    """Claude Code's request through ghc-api, against what ghc-api sends Copilot for it (shaped, or translated) sent
    directly and through nginx: Copilot refuses some of what Claude Code sends, so that is the fair direct call."""
    proxied = Endpoint("ghc-api", bench.proxy_port, "/v1/messages", bench.json_headers)
    proxied.post(body)
    sent = upstream_body_of(bench.standin_port, upstream_path)
    headers = {"anthropic-version": "2023-06-01"} if upstream_path == "/v1/messages" else {}
    direct = Endpoint("direct", bench.standin_port, upstream_path, dict(bench.direct_headers, **headers))
    nginx = Endpoint("nginx", bench.nginx_port, upstream_path, dict(bench.json_headers, **headers))
    times = [[], [], []]
    for _ in range(count):
        times[0].append(direct.time_post(sent))
        times[1].append(nginx.time_post(sent))
        times[2].append(proxied.time_post(body))
    return times


class Bench:
    """The processes under test and their endpoints."""

    def __init__(self, binary, scale):
        self.scale = scale
        self.standin_port, self.proxy_port, self.quiet_port = free_port(), free_port(), free_port()
        self.standin = start([binary, "stand-in", "-p", str(self.standin_port)], dict(os.environ), "listening on")
        config_dir = tempfile.mkdtemp()
        config = f"github_api_base_url: http://127.0.0.1:{self.standin_port}\nmax_request_body_size: 67108864\n"
        Path(config_dir, "config.yaml").write_text(config)
        env = dict(os.environ, GHC_API_CONFIG_DIR=config_dir, GITHUB_TOKEN=STANDIN_TOKEN, NO_COLOR="1")
        self.proxy = start([binary, "serve", "-p", str(self.proxy_port)], env, "Stop with Ctrl-C")
        quiet_dir = tempfile.mkdtemp()
        Path(quiet_dir, "config.yaml").write_text(config + "history_enabled: false\n")
        self.quiet = start([binary, "serve", "-p", str(self.quiet_port)], dict(env, GHC_API_CONFIG_DIR=quiet_dir), "Stop with Ctrl-C")
        connection = http.client.HTTPConnection("127.0.0.1", self.standin_port)
        connection.request("GET", "/copilot_internal/v2/token", headers={"Authorization": f"token {STANDIN_TOKEN}"})
        self.copilot_token = json.loads(connection.getresponse().read())["token"]
        self.nginx, self.nginx_port = start_nginx(self.standin_port, self.copilot_token)
        self.json_headers = {"Content-Type": "application/json"}
        self.direct_headers = dict(self.json_headers, Authorization=f"Bearer {self.copilot_token}")

    def endpoints(self, path):
        """Direct, nginx and ghc-api for an OpenAI-style `path` (`/chat/completions`)."""
        return [
            Endpoint("direct", self.standin_port, path, self.direct_headers),
            Endpoint("nginx", self.nginx_port, "/v1" + path, self.json_headers),
            Endpoint("ghc-api", self.proxy_port, "/v1" + path, self.json_headers),
        ]

    def url(self, target, path):
        port = {"direct": self.standin_port, "nginx": self.nginx_port, "ghc-api": self.proxy_port}[target]
        return f"http://127.0.0.1:{port}{path if target == 'direct' else '/v1' + path}"

    def headers(self, target):
        return self.direct_headers if target == "direct" else self.json_headers

    def stop(self):
        for proc in (self.quiet, self.proxy, self.standin, self.nginx):
            proc.send_signal(2)
        for proc in (self.quiet, self.proxy, self.standin, self.nginx):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def measure(bench):
    scale = bench.scale
    rows = []
    small = json.dumps({"model": "gpt-4.1", "messages": [{"role": "user", "content": "hello there"}]})
    stream = json.dumps({"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "hello there"}]})
    chat = bench.endpoints("/chat/completions")
    nginx_pids, proxy_pids = process_tree(bench.nginx.pid), [bench.proxy.pid]
    idle = {"nginx": rss_kib(nginx_pids), "ghc-api": rss_kib(proxy_pids)}

    for _ in range(300):
        for endpoint in chat:
            endpoint.post(small)
    latency = interleaved(chat, small, int(3000 * scale), Endpoint.time_post)
    p50 = [statistics.median(v) for v in latency]
    p99 = [percentile(v, 0.99) for v in latency]
    rows.append(("small chat, 1 connection: p50", *map(ms, p50), added(latency[1], latency[0]), added(latency[2], latency[0]),
                 "≤ +0.25 ms"))
    rows.append(("small chat, 1 connection: p99", *map(ms, p99), f"{(p99[1] - p99[0]) * 1000:+.3f} ms",
                 f"{(p99[2] - p99[0]) * 1000:+.3f} ms", ""))

    seconds = max(2, int(6 * scale))
    pids = {"direct": [bench.standin.pid], "nginx": nginx_pids, "ghc-api": proxy_pids}
    c1 = {t: wrk_cost(pids[t], bench.url(t, "/chat/completions"), bench.headers(t), small, seconds, 1) for t in TARGETS}
    c64 = {t: [] for t in TARGETS}
    for _ in range(2):
        for target in TARGETS:
            c64[target].append(wrk_cost(pids[target], bench.url(target, "/chat/completions"), bench.headers(target), small, seconds, 64))
    rate = {t: statistics.mean(r[0] for r in c64[t]) for t in TARGETS}
    cpu64 = {t: statistics.mean(r[1] for r in c64[t]) for t in TARGETS}
    rows.append(("small chat, 64 connections: requests/s (wrk)", *(f"{rate[t]:,.0f}" for t in TARGETS),
                 f"{rate['nginx'] / rate['direct']:.2f}× direct", f"{rate['ghc-api'] / rate['direct']:.2f}× direct, "
                 f"**{rate['ghc-api'] / rate['nginx']:.2f}× nginx**", "≥ 0.5× nginx"))
    rows.append(("proxy CPU per small request, 1 / 64 connections", "", f"{c1['nginx'][1]:.0f} / {cpu64['nginx']:.0f} µs",
                 f"{c1['ghc-api'][1]:.0f} / {cpu64['ghc-api']:.0f} µs", "", "", "≤ 150 µs"))
    rows.append(("proxy context switches per request, 1 connection", "", f"{c1['nginx'][2]:.1f}", f"{c1['ghc-api'][2]:.1f}",
                 "", "", "≤ 3"))

    streams = bench.endpoints("/chat/completions")
    first = interleaved(streams, stream, int(500 * scale), Endpoint.first_byte)
    rows.append(("streamed chat, first event, 1 connection: p50", *(ms(statistics.median(v)) for v in first),
                 added(first[1], first[0]), added(first[2], first[0]), "≤ +0.5 ms"))
    first16 = concurrent_first_bytes(lambda: bench.endpoints("/chat/completions"), stream, 16, int(60 * scale))
    rows.append(("streamed chat, first event, 16 connections: p50", *(ms(statistics.median(v)) for v in first16),
                 added(first16[1], first16[0]), added(first16[2], first16[0]), "≤ +1 ms"))

    native, translated = claude_code_request("claude-sonnet-4.6"), claude_code_request("gpt-5.5")
    for label, body, path in ((f"Claude Code request of {len(native) // 1000} KB, native /v1/messages, streamed: p50", native, "/v1/messages"),
                              ("the same, translated to Chat Completions (gpt-5.5): p50", translated, "/chat/completions")):
        times = claude_code_times(bench, body, path, int(200 * scale))
        rows.append((label, *(ms(statistics.median(v)) for v in times), added(times[1], times[0]), added(times[2], times[0]),
                     "≤ +3 ms"))

    chat_stream = json.dumps({"model": "gpt-4.1", "stream": True, "stream_options": {"include_usage": True},
                              "messages": [{"role": "user", "content": "hello there"}]})
    messages_stream = json.dumps({"model": "gpt-4.1", "stream": True, "max_tokens": 100, "messages": [{"role": "user", "content": "hello there"}]})
    anthropic = {t: [] for t in TARGETS}
    for _ in range(2):
        anthropic["direct"].append(wrk(bench.url("direct", "/chat/completions"), bench.direct_headers, chat_stream, seconds, 16)[0])
        anthropic["nginx"].append(wrk(bench.url("nginx", "/chat/completions"), bench.json_headers, chat_stream, seconds, 16)[0])
        anthropic["ghc-api"].append(wrk(f"http://127.0.0.1:{bench.proxy_port}/v1/messages", bench.json_headers, messages_stream, seconds, 16)[0])
    arate = {t: statistics.mean(v) for t, v in anthropic.items()}
    rows.append(("Anthropic in, Chat Completions upstream, streamed, 16 connections: requests/s", *(f"{arate[t]:,.0f}" for t in TARGETS),
                 f"{arate['nginx'] / arate['direct']:.2f}× direct", f"{arate['ghc-api'] / arate['direct']:.2f}× direct, "
                 f"{arate['ghc-api'] / arate['nginx']:.2f}× nginx", ""))

    quiet = Endpoint("ghc-api without history", bench.quiet_port, "/v1/chat/completions", bench.json_headers)
    for _ in range(200):
        quiet.post(small)
    recording, without = interleaved([chat[2], quiet], small, int(1500 * scale), Endpoint.time_post)
    rows.append(("small chat p50: recording in requests.db vs `history_enabled: false`", "", "",
                 f"{ms(statistics.median(recording))} vs {ms(statistics.median(without))}", "",
                 f"{(statistics.median(recording) - statistics.median(without)) * 1000:+.3f} ms", ""))

    claude = Endpoint("ghc-api", bench.proxy_port, "/v1/messages", bench.json_headers)
    for _ in range(1000):
        claude.post(native)
    loaded = {"nginx": rss_kib(process_tree(bench.nginx.pid)), "ghc-api": rss_kib(proxy_pids)}
    rows.append(("RSS idle", "", f"{idle['nginx'] / 1024:.1f} MB", f"{idle['ghc-api'] / 1024:.1f} MB", "", "", "≤ 25 MB"))
    rows.append(("RSS after 1,000 Claude Code requests of 300 KB (and the runs above)", "", f"{loaded['nginx'] / 1024:.1f} MB",
                 f"{loaded['ghc-api'] / 1024:.1f} MB", "", "", "≤ 120 MB"))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--quick", action="store_true", help="fewer iterations, for a smoke run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (scripts/benchmark installs it)")
    binary = args.binary
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "ghc-api", "--scratch-path", ".build-release"], cwd=ROOT, check=True)
        binary = str(ROOT / ".build-release" / "release" / "ghc-api")
    bench = Bench(binary, 0.2 if args.quick else 1.0)
    try:
        rows = measure(bench)
    finally:
        bench.stop()
    print("| measure | direct | nginx | ghc-api | nginx adds | ghc-api adds | target |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
