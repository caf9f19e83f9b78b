#!/usr/bin/env python3
"""Measures what ghc-api adds over calling the upstream directly.

Starts the stand-in upstream (`ghc-api stand-in`) and the proxy (`ghc-api serve`) pointed at it, both from the
release build, then measures direct and proxied calls interleaved in one run:

  * latency of a small chat request on one keep-alive connection (p50 / p99, and what the proxy adds),
  * requests per second at 64 connections (wrk), as a ratio of proxied to direct,
  * time to the first byte of a streamed answer,
  * latency of a 300 KB request,
  * the proxy's RSS when idle and after 1,000 requests of 300 KB,
  * what recording in the history database adds: the same small request through a second proxy with
    `history_enabled: false`, interleaved with the first.

Usage: Benchmarks/run.py [--binary PATH] [--quick]
Needs wrk (apt-get install wrk). Prints a Markdown table.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANDIN_TOKEN = "gho_standin0123456789abcdefghijklmnopq"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, env, marker):
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if marker in line:
            return proc
        if not line and proc.poll() is not None:
            break
    proc.kill()
    sys.exit(f"{args[1]} did not start")


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Endpoint:
    def __init__(self, name, port, path, headers):
        self.name, self.port, self.path, self.headers = name, port, path, headers
        self.connection = http.client.HTTPConnection("127.0.0.1", port)

    def post(self, body):
        self.connection.request("POST", self.path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{self.name}: HTTP {response.status} {data[:200]}")
        return data

    def time_post(self, body):
        started = time.perf_counter()
        self.post(body)
        return time.perf_counter() - started

    def first_byte(self, body):
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        started = time.perf_counter()
        connection.request("POST", self.path, body=body, headers=self.headers)
        response = connection.getresponse()
        response.read(1)
        elapsed = time.perf_counter() - started
        response.read()
        connection.close()
        return elapsed


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def interleaved(direct, proxy, body, count, measure):
    d, p = [], []
    for _ in range(count):
        d.append(measure(direct, body))
        p.append(measure(proxy, body))
    return d, p


def wrk(url, headers, body, seconds, connections):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\n')
    script.write(f"wrk.body = {json.dumps(body)}\n")
    for name, value in headers.items():
        script.write(f'wrk.headers["{name}"] = "{value}"\n')
    script.close()
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url], capture_output=True, text=True).stdout
    os.unlink(script.name)
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"wrk saw errors on {url}: {out}")
    return float(match.group(1)) if match else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--quick", action="store_true", help="fewer iterations, for a smoke run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    binary = args.binary
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "ghc-api", "--scratch-path", ".build-release"], cwd=ROOT, check=True)
        binary = str(ROOT / ".build-release" / "release" / "ghc-api")
    scale = 0.2 if args.quick else 1.0

    standin_port, proxy_port = free_port(), free_port()
    standin = start([binary, "stand-in", "-p", str(standin_port)], dict(os.environ), "listening on")
    config_dir = tempfile.mkdtemp()
    Path(config_dir, "config.yaml").write_text(f"github_api_base_url: http://127.0.0.1:{standin_port}\nmax_request_body_size: 67108864\n")
    env = dict(os.environ, GHC_API_CONFIG_DIR=config_dir, GITHUB_TOKEN=STANDIN_TOKEN, NO_COLOR="1")
    proxy_proc = start([binary, "serve", "-p", str(proxy_port)], env, "Stop with Ctrl-C")
    quiet_port = free_port()
    quiet_dir = tempfile.mkdtemp()
    Path(quiet_dir, "config.yaml").write_text(Path(config_dir, "config.yaml").read_text() + "history_enabled: false\n")
    quiet_proc = start([binary, "serve", "-p", str(quiet_port)], dict(env, GHC_API_CONFIG_DIR=quiet_dir), "Stop with Ctrl-C")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", standin_port)
        connection.request("GET", "/copilot_internal/v2/token", headers={"Authorization": f"token {STANDIN_TOKEN}"})
        copilot_token = json.loads(connection.getresponse().read())["token"]
        json_headers = {"Content-Type": "application/json"}
        direct = Endpoint("direct", standin_port, "/chat/completions", dict(json_headers, Authorization=f"Bearer {copilot_token}"))
        proxy = Endpoint("proxy", proxy_port, "/v1/chat/completions", json_headers)
        quiet = Endpoint("proxy without history", quiet_port, "/v1/chat/completions", json_headers)

        small = json.dumps({"model": "gpt-4.1", "messages": [{"role": "user", "content": "hello there"}]})
        stream = json.dumps({"model": "gpt-4.1", "stream": True, "messages": [{"role": "user", "content": "hello there"}]})
        # 300 KB of varied text (it compresses about as well as real prompts and code, not like one repeated letter).
        rng = random.Random(7)
        vocabulary = [''.join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(5000)]
        text = " ".join(rng.choice(vocabulary) for _ in range(60_000))[:300_000]
        big = json.dumps({"model": "gpt-4.1", "messages": [{"role": "user", "content": text}]})

        idle_rss = rss_kib(proxy_proc.pid)
        for _ in range(200):
            direct.post(small)
            proxy.post(small)

        n = int(3000 * scale)
        d, p = interleaved(direct, proxy, small, n, Endpoint.time_post)
        lat = {k: (percentile(v, 0.5) * 1000, percentile(v, 0.99) * 1000) for k, v in (("direct", d), ("proxy", p))}
        added = [pp - dd for dd, pp in zip(d, p)]
        for _ in range(200):
            quiet.post(small)
        recording, without = interleaved(proxy, quiet, small, n, Endpoint.time_post)

        fb_d, fb_p = interleaved(direct, proxy, stream, int(500 * scale), Endpoint.first_byte)
        big_d, big_p = interleaved(direct, proxy, big, int(200 * scale), Endpoint.time_post)

        seconds = max(2, int(8 * scale))
        rates = {"direct": [], "proxy": []}
        for _ in range(2):
            rates["direct"].append(wrk(f"http://127.0.0.1:{standin_port}/chat/completions", direct.headers, small, seconds, 64))
            rates["proxy"].append(wrk(f"http://127.0.0.1:{proxy_port}/v1/chat/completions", proxy.headers, small, seconds, 64))
        rps_d, rps_p = statistics.mean(rates["direct"]), statistics.mean(rates["proxy"])

        # Anthropic in, Chat Completions upstream, streaming, 16 connections: against streaming chat directly.
        chat_stream = json.dumps({"model": "gpt-4.1", "stream": True, "stream_options": {"include_usage": True}, "messages": [{"role": "user", "content": "hello there"}]})
        messages_stream = json.dumps({"model": "gpt-4.1", "stream": True, "max_tokens": 100, "messages": [{"role": "user", "content": "hello there"}]})
        anthropic_rates = {"direct": [], "proxy": []}
        for _ in range(2):
            anthropic_rates["direct"].append(wrk(f"http://127.0.0.1:{standin_port}/chat/completions", direct.headers, chat_stream, seconds, 16))
            anthropic_rates["proxy"].append(wrk(f"http://127.0.0.1:{proxy_port}/v1/messages", proxy.headers, messages_stream, seconds, 16))
        arps_d, arps_p = statistics.mean(anthropic_rates["direct"]), statistics.mean(anthropic_rates["proxy"])

        for _ in range(1000):
            proxy.post(big)
        loaded_rss = rss_kib(proxy_proc.pid)

        rows = [
            ("small request, 1 connection: p50", f"{lat['direct'][0]:.3f} ms", f"{lat['proxy'][0]:.3f} ms", f"+{statistics.median(added) * 1000:.3f} ms"),
            ("small request, 1 connection: p99", f"{lat['direct'][1]:.3f} ms", f"{lat['proxy'][1]:.3f} ms", f"+{(lat['proxy'][1] - lat['direct'][1]):.3f} ms"),
            ("requests/s, 64 connections (wrk)", f"{rps_d:,.0f}", f"{rps_p:,.0f}", f"{rps_p / rps_d:.2f}x of direct"),
            ("Anthropic in → chat upstream, streamed, 16 connections: requests/s", f"{arps_d:,.0f}", f"{arps_p:,.0f}", f"{arps_p / arps_d:.2f}x of direct"),
            ("first streamed byte: p50", f"{statistics.median(fb_d) * 1000:.3f} ms", f"{statistics.median(fb_p) * 1000:.3f} ms", f"+{(statistics.median(fb_p) - statistics.median(fb_d)) * 1000:.3f} ms"),
            ("300 KB request: p50", f"{statistics.median(big_d) * 1000:.3f} ms", f"{statistics.median(big_p) * 1000:.3f} ms", f"+{(statistics.median(big_p) - statistics.median(big_d)) * 1000:.3f} ms"),
            ("small request p50: recording in requests.db vs history_enabled: false", f"{statistics.median(without) * 1000:.3f} ms",
             f"{statistics.median(recording) * 1000:.3f} ms", f"{(statistics.median(recording) - statistics.median(without)) * 1000:+.3f} ms"),
            ("proxy RSS idle", "", f"{idle_rss / 1024:.1f} MB", ""),
            ("proxy RSS after 1,000 × 300 KB", "", f"{loaded_rss / 1024:.1f} MB", ""),
        ]
        print("| measure | direct | through ghc-api | added / ratio |")
        print("|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        quiet_proc.send_signal(2)
        quiet_proc.wait(timeout=15)
        proxy_proc.send_signal(2)
        standin.send_signal(2)
        proxy_proc.wait(timeout=15)
        standin.wait(timeout=15)


if __name__ == "__main__":
    main()
