"""Fixtures: the built ghc-api binary, a stand-in upstream process, and proxies pointed at it."""
import contextlib
import json
import os
import threading
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STANDIN_TOKEN = "gho_standin0123456789abcdefghijklmnopq"


def binary() -> str:
    return os.environ.get("GHC_API_BINARY") or str(ROOT / ".build" / "debug" / "ghc-api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child process whose output is read line by line until a marker appears."""

    def __init__(self, args, env, marker, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w+")
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL, text=True)
        self.lines = []
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            if marker in line:
                return
        self.stop()
        raise RuntimeError(f"{args} did not start: {''.join(self.lines)} {Path(log_path).read_text()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def stderr(self) -> str:
        return Path(self.log_path).read_text()


class StandIn:
    def __init__(self, tmp):
        port = free_port()
        self.process = Process([binary(), "stand-in", "-p", str(port)], dict(os.environ), "listening on", os.path.join(tmp, "stand-in.log"))
        self.url = f"http://127.0.0.1:{port}"
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def scenario(self, **fields):
        self.http.put("/_standin/scenario", json=fields).raise_for_status()

    def requests(self, path=None):
        entries = self.http.get("/_standin/requests").json()
        return [e for e in entries if path is None or e["path"] == path]

    def clear(self):
        self.http.delete("/_standin/requests")

    def stats(self):
        return self.http.get("/_standin/stats").json()

    def settled_stats(self, timeout=10):
        """The stats once no stream is in progress: a stream an earlier test left (one stalled by a fault, say) ends
        seconds later and would be counted in the next test's window."""
        deadline = time.time() + timeout
        while True:
            stats = self.stats()
            if stats["streams_started"] == stats["streams_completed"] + stats["streams_aborted"] or time.time() > deadline:
                return stats
            time.sleep(0.05)

    def expire_tokens(self):
        self.http.post("/_standin/expire-tokens")


@pytest.fixture(scope="session")
def stand_in(tmp_path_factory):
    standin = StandIn(str(tmp_path_factory.mktemp("standin")))
    yield standin
    standin.process.stop()


@pytest.fixture(autouse=True)
def reset_stand_in(stand_in):
    stand_in.scenario()
    stand_in.clear()
    yield


class Proxy:
    def __init__(self, stand_in, tmp, config_text="", env_extra=None, with_token=True, args=(), directory=None, port=None):
        """A new config folder under `tmp`, or `directory` as it is (a second server on one folder, or a restart)."""
        self.dir = directory or tempfile.mkdtemp(dir=tmp)
        if directory is None:
            Path(self.dir, "config.yaml").write_text(f"github_api_base_url: {stand_in.url}\ngithub_base_url: {stand_in.url}\n" + config_text)
        env = dict(os.environ, GHC_API_CONFIG_DIR=self.dir, NO_COLOR="1")
        env.pop("GITHUB_TOKEN", None)
        if with_token:
            env["GITHUB_TOKEN"] = STANDIN_TOKEN
        env.update(env_extra or {})
        self.port = port or free_port()
        log = tempfile.mktemp(dir=self.dir, prefix="serve-", suffix=".log")
        self.process = Process([binary(), "serve", "-p", str(self.port), *args], env, "Stop with Ctrl-C", log)
        self.url = f"http://127.0.0.1:{self.port}"
        self.banner = "".join(self.process.lines)

    def stop(self):
        self.process.stop()


@pytest.fixture
def make_proxy(stand_in, tmp_path):
    started = []

    def make(config_text="", **kwargs):
        proxy = Proxy(stand_in, str(tmp_path), config_text, **kwargs)
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()


@pytest.fixture(scope="module")
def proxy(stand_in, tmp_path_factory):
    shared = Proxy(stand_in, str(tmp_path_factory.mktemp("proxy")), "model_mappings:\n  exact: {my-alias: gpt-4.1}\n  prefix: {claude-sonnet-4-5-: claude-sonnet-4.5}\n")
    yield shared
    shared.stop()


def sse_data_lines(body: str):
    return [line[len("data: "):] for line in body.splitlines() if line.startswith("data: ")]


def as_json(text):
    return json.loads(text)


def wait_for(condition, what="the condition", timeout=30, interval=0.1):
    """The first truthy value of `condition()`; fails the test when there is none within `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def traffic(proxy, clients, content):
    """Chat requests from `clients` threads, one after another each, until the block ends or the proxy goes away."""
    import openai
    stop = threading.Event()

    def send():
        client = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
        while not stop.is_set():
            try:
                client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": content}])
            except Exception:
                return

    workers = [threading.Thread(target=send) for _ in range(clients)]
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        stop.set()
        for worker in workers:
            worker.join()


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the dashboard tests (Debian `chromium` + `chromium-driver`, selenium from PyPI)."""
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver")
    assert driver_path, "chromium-driver is missing (scripts/test installs it)"
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    (ROOT / "artifacts" / "screenshots").mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def wait(driver, condition, timeout=10):
    """The first truthy value of `condition(driver)` in the browser, within `timeout` seconds.

    The pages re-render their tables while live events arrive, so an element found a moment ago can be
    replaced before its text is read; such a try counts as not yet true and is asked again."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(lambda d: condition(d))


def q(driver, css):
    """The element `css` selects on the page."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css)


def qa(driver, css):
    """Every element `css` selects on the page."""
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)
