#!/usr/bin/env python3
"""Measures the request history (requests.db) with Claude-Code-sized requests.

Sends N requests shaped like Claude Code's (its captured first request, with a conversation of prose and source
files that grows turn by turn to about 300 KB, as a session does) through `ghc-api serve` on the stand-in, streamed,
8 at a time. Then it restarts the server on the same folder and measures, over HTTP on one keep-alive connection:

  * search: words, prefixes and phrases of the conversations (`/api/requests/search`), p50 and p95,
  * a list page (`/api/requests?per_page=50`), the first and one deep in the history (keyset cursor),
  * the database's size against the raw JSON that went through (request and answer bodies),
  * the server's RSS after the run.

Usage: Benchmarks/history.py [--binary PATH] [--requests N]
"""
import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from harness import CLAUDE_CODE_FIXTURE as FIXTURE, ROOT, STANDIN_TOKEN, free_port, percentile, rss_kib, run_together, start



def corpus():
    """Prose and code of this repository: what Claude Code sessions read and write."""
    texts = [path.read_text() for path in sorted((ROOT / "Sources").rglob("*.swift")) if "Generated" not in str(path)]
    texts.append((ROOT / "README.md").read_text())
    return texts


def sessions(count, rng, texts):
    """`count` requests, ten turns of each session: the conversation so far plus a new turn."""
    base = json.loads(FIXTURE.read_text())
    made = 0
    while made < count:
        turns = []
        for _ in range(60):
            text = rng.choice(texts)
            start_at = rng.randrange(max(1, len(text) - 6000))
            chunk = text[start_at:start_at + rng.randint(5000, 9000)]
            name = f"Sources/{rng.choice(['Proxy', 'Store', 'Core'])}/File{rng.randint(1, 400)}.swift"
            turns.append([
                {"role": "assistant", "content": [{"type": "text", "text": f"Reading {name}."},
                                                  {"type": "tool_use", "id": f"toolu_{made}_{len(turns)}", "name": "Read",
                                                   "input": {"file_path": name}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"toolu_{made}_{len(turns)}", "content": chunk}]},
            ])
        for step in range(10):
            if made >= count:
                break
            body = dict(base)
            conversation = [base["messages"][0]] + [message for turn in turns[:45 + step] for message in turn]
            conversation.append({"role": "user", "content": f"step {step} of session {made // 10}: what changed?"})
            body["messages"] = conversation
            body["stream"] = True
            yield json.dumps(body).encode()
            made += 1


def send_all(port, bodies, workers=8):
    """Sends every body, `workers` at a time; returns the bytes of requests and answers."""
    lock = threading.Lock()
    totals = {"bytes": 0, "sent": 0}
    iterator = iter(bodies)

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                body = next(iterator, None)
            if body is None:
                return
            connection.request("POST", "/v1/messages", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                sys.exit(f"HTTP {response.status}: {answer[:200]}")
            with lock:
                totals["bytes"] += len(body) + len(answer)
                totals["sent"] += 1
                if totals["sent"] % 1000 == 0:
                    print(f"  {totals['sent']} sent", file=sys.stderr)

    run_together(worker, workers)
    return totals


def get(connection, path):
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        sys.exit(f"GET {path}: HTTP {response.status} {data[:200]}")
    return elapsed, json.loads(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build-release" / "release" / "ghc-api"))
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(5)
    texts = corpus()
    standin_port, port = free_port(), free_port()
    standin = start([args.binary, "stand-in", "-p", str(standin_port)], dict(os.environ), "listening on")
    config = tempfile.mkdtemp()
    Path(config, "config.yaml").write_text(f"github_api_base_url: http://127.0.0.1:{standin_port}\nmax_request_body_size: 67108864\n")
    env = dict(os.environ, GHC_API_CONFIG_DIR=config, GITHUB_TOKEN=STANDIN_TOKEN, NO_COLOR="1")
    server = start([args.binary, "serve", "-p", str(port)], env, "Stop with Ctrl-C")
    try:
        started = time.time()
        totals = send_all(port, sessions(args.requests, rng, texts))
        sending = time.time() - started
        connection = http.client.HTTPConnection("127.0.0.1", port)
        while get(connection, "/api/stats")[1]["history"]["written"] < args.requests:
            time.sleep(0.5)
        loaded_rss = rss_kib([server.pid])
        server.send_signal(2)
        server.wait(timeout=60)
        files = [Path(config, name) for name in os.listdir(config) if name.startswith("requests.db")]
        database_bytes = sum(path.stat().st_size for path in files)
        server = start([args.binary, "serve", "-p", str(port)], env, "Stop with Ctrl-C")
        connection = http.client.HTTPConnection("127.0.0.1", port)
        _, first = get(connection, "/api/requests?per_page=50")
        assert first["total"] == args.requests, first["total"]
        words = sorted({word for word in re.findall(r"[A-Za-z]{6,}", " ".join(texts))})
        queries = [rng.choice(words) for _ in range(100)] + [rng.choice(words)[:4] + "*" for _ in range(50)]
        for _ in range(50):
            text = rng.choice(texts)
            at = rng.randrange(max(1, len(text) - 40))
            phrase = " ".join(re.findall(r"[A-Za-z]+", text[at:at + 40])[1:3])
            queries.append(f'"{phrase}"' if phrase else rng.choice(words))
        search_times, hits = [], []
        for query in queries:
            elapsed, page = get(connection, "/api/requests/search?" + urllib.parse.urlencode({"q": query}))
            search_times.append(elapsed)
            hits.append(page["total"])
        list_times, deep_times = [], []
        cursor = first["next_cursor"]
        for _ in range(100):
            list_times.append(get(connection, "/api/requests?per_page=50")[0])
        for _ in range(100):
            elapsed, page = get(connection, "/api/requests?per_page=50&cursor=" + urllib.parse.quote(cursor))
            deep_times.append(elapsed)
            cursor = page["next_cursor"] or first["next_cursor"]
        rows = [
            ("requests recorded (streamed, 8 at a time)", f"{args.requests:,} in {sending:.0f} s"),
            ("raw JSON through the proxy (requests + answers)", f"{totals['bytes'] / 1e6:,.0f} MB"),
            ("requests.db", f"{database_bytes / 1e6:,.0f} MB ({database_bytes / totals['bytes'] * 100:.1f}% of the raw JSON)"),
            ("search p50 / p95 (200 words, prefixes, phrases)", f"{statistics.median(search_times) * 1000:.1f} ms / "
             f"{percentile(search_times, 0.95) * 1000:.1f} ms (median {statistics.median(hits):.0f} hits)"),
            ("list page p50 / p95, first page", f"{statistics.median(list_times) * 1000:.2f} ms / {percentile(list_times, 0.95) * 1000:.2f} ms"),
            ("list page p50 / p95, keyset pages deeper", f"{statistics.median(deep_times) * 1000:.2f} ms / {percentile(deep_times, 0.95) * 1000:.2f} ms"),
            (f"server RSS after the {args.requests:,} requests", f"{loaded_rss / 1024:.1f} MB"),
        ]
        print("| measure | value |")
        print("|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        server.send_signal(2)
        standin.send_signal(2)
        server.wait(timeout=30)
        standin.wait(timeout=15)


if __name__ == "__main__":
    main()
