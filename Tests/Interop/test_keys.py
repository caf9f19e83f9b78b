"""Client API keys as a team uses them: `ghc-api keys add` hands out a key, the official SDKs call through it, the
records and the usage page name it, and `keys revoke` or expiry shut it out within a second, without a restart."""
import json
import os
import stat
import subprocess
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from conftest import binary, free_port, wait_for


def keys(server, *args):
    env = dict(os.environ, GHC_API_CONFIG_DIR=server.dir, NO_COLOR="1")
    return subprocess.run([binary(), "keys", *args], env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def add_key(server, name, *flags):
    made = keys(server, "add", name, *flags)
    assert made.returncode == 0, made.stderr
    key = next(word for word in made.stdout.split() if word.startswith("ghc_"))
    assert len(key) == 44 and "shown only now" in made.stdout
    return key


def openai_client(server, key):
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)


def anthropic_client(server, key):
    return anthropic.Anthropic(base_url=server.url, api_key=key, max_retries=0)


def refused(call):
    try:
        call()
    except (openai.AuthenticationError, anthropic.AuthenticationError):
        return True
    return False


def chat(server, key):
    return openai_client(server, key).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "hi"}])


def message(server, key):
    return anthropic_client(server, key).messages.create(
        model="claude-sonnet-4.5", max_tokens=64, messages=[{"role": "user", "content": "hi"}]
    )


def test_a_key_is_handed_out_used_named_and_revoked_without_a_restart(make_proxy):
    server = make_proxy()
    assert httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 200
    alice = add_key(server, "alice")
    keys_file = Path(server.dir, "client_keys.json")
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600 and alice not in keys_file.read_text()

    # The first key locks the server within a second: anonymous calls are refused in each caller's dialect.
    wait_for(lambda: httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401, "the key file to be read", timeout=5)
    anonymous = httpx.post(f"{server.url}/v1/messages", json={"model": "x", "max_tokens": 1, "messages": []}, timeout=10)
    assert anonymous.status_code == 401 and anonymous.json()["type"] == "error"
    assert anonymous.json()["error"]["type"] == "authentication_error"

    assert chat(server, alice).choices[0].message.content
    assert message(server, alice).content[0].text
    assert refused(lambda: chat(server, "ghc_" + "x" * 40))

    records = httpx.get(f"{server.url}/api/requests", headers={"authorization": f"Bearer {alice}"}, timeout=10).json()["items"]
    assert [r.get("key_name") for r in records[:2]] == ["alice", "alice"]
    assert alice not in json.dumps(records)

    def listed():
        entries = json.loads(keys(server, "list", "--json").stdout)
        return entries if entries and entries[0]["requests"] == 2 else None

    entry = wait_for(listed, "the usage to be saved", timeout=15)[0]
    assert entry["name"] == "alice" and alice.startswith(entry["prefix"]) and entry["last_used_at"] and not entry["expired"]
    assert entry["input_tokens"] > 0 and entry["output_tokens"] > 0
    page = httpx.get(f"{server.url}/api/keys", headers={"x-api-key": alice}, timeout=10).json()["keys"]
    assert page[0]["name"] == "alice" and page[0]["requests"] == 2

    revoked = keys(server, "revoke", "alice")
    assert revoked.returncode == 0 and "Revoked key 'alice'" in revoked.stdout
    wait_for(lambda: refused(lambda: chat(server, alice)), "the revoked key to be refused", timeout=5)
    assert refused(lambda: message(server, alice))
    # Revoking the last key does not open the server to everyone.
    assert "No client keys remain" in revoked.stdout
    assert httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401


def test_an_expired_key_is_refused_and_plain_api_keys_keep_working(make_proxy):
    server = make_proxy("api_keys: [team-key-1]\n")
    ci = add_key(server, "ci", "--expires", "1")
    wait_for(lambda: not refused(lambda: chat(server, ci)), "the new key to be read", timeout=5)
    document = json.loads(Path(server.dir, "client_keys.json").read_text())
    document["keys"][0]["expires_at"] = document["keys"][0]["created_at"] - 1
    Path(server.dir, "client_keys.json").write_text(json.dumps(document))
    wait_for(lambda: refused(lambda: chat(server, ci)), "the expired key to be refused", timeout=5)
    assert chat(server, "team-key-1").choices[0].message.content
    listing = keys(server, "list")
    assert "ci" in listing.stdout and "(expired)" in listing.stdout and ci not in listing.stdout


def test_a_damaged_keys_file_keeps_the_keys_in_force_and_stops_a_fresh_start(make_proxy, tmp_path):
    server = make_proxy()
    alice = add_key(server, "alice")
    wait_for(lambda: httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401, "the key file to be read", timeout=5)
    Path(server.dir, "client_keys.json").write_text("{ not json")
    wait_for(lambda: "keys read before stay in force" in server.process.stderr(), "the warning", timeout=5)
    assert chat(server, alice).choices[0].message.content
    assert httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401
    env = dict(os.environ, GHC_API_CONFIG_DIR=server.dir, NO_COLOR="1")
    fresh = subprocess.run([binary(), "serve", "-p", str(free_port())], env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert fresh.returncode == 1 and "client_keys.json is not a keys file" in fresh.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "a b"], "cannot name a key"),
        (["revoke", "nobody"], "no key is named 'nobody'; there are no keys"),
        (["add", "x", "--expires", "0"], "--expires"),
    ],
)
def test_bad_key_commands_say_what_is_wrong(make_proxy, args, message):
    server = make_proxy()
    result = keys(server, *args)
    assert result.returncode != 0 and message in result.stderr
    assert not Path(server.dir, "client_keys.json").exists()


def test_the_usage_page_shows_each_key_and_a_revoked_key_logs_its_browser_out(browser, make_proxy):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from conftest import ROOT, q, qa, wait

    server = make_proxy()
    alice = add_key(server, "alice")
    add_key(server, "ci", "--expires", "30")
    wait_for(lambda: httpx.get(f"{server.url}/v1/models", timeout=10).status_code == 401, "the key file to be read", timeout=5)
    chat(server, alice)
    chat(server, alice)
    browser.delete_all_cookies()
    browser.get(server.url + "/usage")
    wait(browser, lambda d: d.current_url.endswith("/login"))
    field = browser.find_element(By.ID, "key")
    field.send_keys(alice)
    field.send_keys(Keys.ENTER)
    # Navigating before the login's redirect lands would abort the POST and leave the browser without its session.
    wait(browser, lambda d: not d.current_url.endswith("/login"))
    browser.get(server.url + "/usage")
    wait(browser, lambda d: not q(d, "#keys-table").get_attribute("hidden"), timeout=15)
    wait(browser, lambda d: q(d, "[data-key=alice] td:nth-child(6)").text == "2", timeout=15)
    rows = {row.get_attribute("data-key"): [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")] for row in qa(browser, "#keys-rows tr")}
    assert list(rows) == ["alice", "ci"]
    assert rows["alice"][1] == alice[:12] + "…" and rows["alice"][3] != "never"
    assert rows["ci"][3] == "never" and rows["ci"][4] != "never" and rows["ci"][5] == "0"
    assert alice not in browser.page_source
    browser.save_screenshot(str(ROOT / "artifacts" / "screenshots" / "usage-client-keys.png"))

    keys(server, "revoke", "alice")
    wait_for(lambda: refused(lambda: chat(server, alice)), "the revoked key to be refused", timeout=5)
    browser.get(server.url + "/usage")
    wait(browser, lambda d: d.current_url.endswith("/login"))
