"""What the benchmarks share: starting the stand-in, ghc-api and nginx, HTTP timing, wrk, and what the kernel says
about a process (CPU time, context switches, RSS) read from /proc."""
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANDIN_TOKEN = "gho_standin0123456789abcdefghijklmnopq"
CLAUDE_CODE_FIXTURE = ROOT / "Tests" / "GHCTranslationTests" / "Fixtures" / "claude-code-2.1.327-first-request.json"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, env, marker):
    """Starts `args` and waits for `marker` on its standard output."""
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


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


# --- what /proc says about a process and its children (nginx's workers) ---

def process_tree(pid):
    """`pid` and its direct children."""
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(pids):
    """User plus system CPU time of every thread of `pids`."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def context_switches(pids):
    """Voluntary and involuntary context switches of every thread of `pids`."""
    total = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                for line in (task / "status").read_text().splitlines():
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
            except OSError:
                continue
    return total


def rss_kib(pids):
    """Resident memory of `pids`, in KiB."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


# --- HTTP ---

class Endpoint:
    """One target (direct, nginx or ghc-api) on one keep-alive connection."""

    def __init__(self, name, port, path, headers):
        self.name, self.port, self.path, self.headers = name, port, path, headers
        self.connection = http.client.HTTPConnection("127.0.0.1", port)

    def at(self, path):
        """The same target on another path, with a connection of its own."""
        return Endpoint(self.name, self.port, path, self.headers)

    def post(self, body):
        self.connection.request("POST", self.path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{self.name} {self.path}: HTTP {response.status} {data[:300]}")
        return data

    def time_post(self, body):
        started = time.perf_counter()
        self.post(body)
        return time.perf_counter() - started

    def first_byte(self, body):
        """Time to the first byte of the answer's body (the first event of a stream), on the kept-alive connection."""
        started = time.perf_counter()
        self.connection.request("POST", self.path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        response.read(1)
        elapsed = time.perf_counter() - started
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{self.name} {self.path}: HTTP {response.status}")
        return elapsed


def run_together(work, count):
    """Runs `work` on `count` threads at once and waits for all of them."""
    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def interleaved(endpoints, body, count, measure):
    """`count` measurements of each endpoint, taken in turn so drift hits all alike."""
    results = [[] for _ in endpoints]
    for _ in range(count):
        for values, endpoint in zip(results, endpoints):
            values.append(measure(endpoint, body))
    return results


def wrk(url, headers, body, seconds, connections):
    """Runs wrk; returns (requests per second, requests completed)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\n')
    script.write(f"wrk.body = {json.dumps(body)}\n")
    for name, value in headers.items():
        script.write(f'wrk.headers["{name}"] = "{value}"\n')
    script.close()
    threads = min(2, connections)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
                         capture_output=True, text=True).stdout
    os.unlink(script.name)
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out) or re.search(r"Socket errors", out):
        sys.exit(f"wrk saw errors on {url}: {out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    done = re.search(r"(\d+) requests in", out)
    return (float(rate.group(1)) if rate else 0.0), (int(done.group(1)) if done else 0)


def wrk_cost(pids, url, headers, body, seconds, connections):
    """Runs wrk and reads what the run cost `pids`: (requests/s, CPU µs per request, context switches per request)."""
    cpu, switches = cpu_seconds(pids), context_switches(pids)
    rate, done = wrk(url, headers, body, seconds, connections)
    cpu, switches = cpu_seconds(pids) - cpu, context_switches(pids) - switches
    return rate, cpu * 1e6 / max(done, 1), switches / max(done, 1)


# --- nginx, the reference pass-through proxy ---

NGINX_CONFIG = """\
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 64m;
    client_body_buffer_size 1m;
    upstream standin {{ server 127.0.0.1:{upstream}; keepalive 128; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            rewrite ^/v1/(chat/completions|responses|embeddings)$ /$1 break;
            proxy_pass http://standin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer {token}";
            proxy_buffering off;
            proxy_request_buffering off;
        }}
    }}
}}
"""


def start_nginx(upstream_port, copilot_token):
    """nginx relaying to the stand-in with keep-alive, no buffering and a fixed Copilot token; returns (process, port)."""
    nginx = "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        sys.exit("nginx is needed: apt-get install nginx-light (scripts/benchmark installs it)")
    directory = tempfile.mkdtemp(prefix="bench-nginx-")
    port = free_port()
    config = Path(directory, "nginx.conf")
    config.write_text(NGINX_CONFIG.format(dir=directory, upstream=upstream_port, port=port, token=copilot_token))
    proc = subprocess.Popen([nginx, "-p", directory, "-c", str(config), "-g", "daemon off; master_process on;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("nginx did not start")


# --- request bodies ---

def varied_text(size, seed=7):
    """`size` characters of varied words: compresses about as well as real prompts, not like one repeated letter."""
    rng = random.Random(seed)
    vocabulary = [''.join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(5000)]
    return " ".join(rng.choice(vocabulary) for _ in range(size // 4))[:size]


def claude_code_request(model, size=300_000, seed=11):
    """A streamed request as Claude Code sends it in a long session: its captured first request (system prompt,
    tools, metadata) with a conversation of Read tool calls and their results grown to about `size` bytes."""
    body = json.loads(CLAUDE_CODE_FIXTURE.read_text())
    body["model"] = model
    body["stream"] = True
    rng = random.Random(seed)
    text = varied_text(size, seed)
    conversation = [body["messages"][0]]
    turn = 0
    while len(json.dumps(dict(body, messages=conversation))) < size:
        chunk = text[rng.randrange(len(text) - 8000):][:rng.randint(4000, 8000)]
        tool_id = f"toolu_bench{turn:04d}"
        conversation.append({"role": "assistant", "content": [
            {"type": "text", "text": f"Reading file {turn}."},
            {"type": "tool_use", "id": tool_id, "name": "Read", "input": {"file_path": f"/work/src/File{turn}.swift"}}]})
        conversation.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool_id, "content": chunk}]})
        turn += 1
    conversation.append({"role": "user", "content": "what changed?"})
    body["messages"] = conversation
    return json.dumps(body).encode()
