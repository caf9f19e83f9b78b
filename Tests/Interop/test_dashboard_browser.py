"""The dashboard in headless Chromium (Debian `chromium` + `chromium-driver`, selenium from PyPI) against
`ghc-api serve` on the stand-in. Screenshots of each page land in artifacts/screenshots/."""
import json
import os

import openai
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ROOT, wait

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def sdk(proxy):
    return openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)


def test_overview_updates_live_without_reload(browser, make_proxy):
    proxy = make_proxy()
    browser.get(proxy.url + "/")
    wait(browser, lambda d: d.find_element(By.ID, "live-indicator").text == "live")
    browser.execute_script("window.__stillSamePage = true")
    for i in range(3):
        sdk(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": f"live {i}"}])
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#recent-table tbody tr[data-request-id]")) == 3)
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=total-requests]").text == "3")
    assert browser.execute_script("return window.__stillSamePage") is True
    assert "gpt-4.1" in browser.find_element(By.ID, "model-table").text
    assert browser.find_element(By.ID, "chart-per-minute").tag_name == "svg"
    browser.save_screenshot(str(SCREENSHOTS / "overview.png"))
    assert console_errors(browser) == []


def test_request_detail_shows_bodies_and_keeps_markup_as_text(browser, make_proxy):
    proxy = make_proxy()
    sdk(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": XSS}])
    list(sdk(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "stream to read"}], stream=True))
    browser.get(proxy.url + "/requests")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")) == 2)
    entries = browser.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")
    entries[1].click()
    # The body is shown as pretty JSON, so the payload appears JSON-escaped, as text.
    wait(browser, lambda d: json.dumps(XSS)[1:-1] in d.find_element(By.ID, "detail-request-body").text)
    assert "You said: " in browser.find_element(By.ID, "detail-response").text
    assert browser.execute_script("return window.__xss") is None
    assert browser.find_elements(By.CSS_SELECTOR, "#request-detail img") == []
    browser.save_screenshot(str(SCREENSHOTS / "request-detail.png"))
    browser.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")[0].click()
    wait(browser, lambda d: d.find_element(By.ID, "detail-stream-text").text == "You said: stream to read")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#detail-stream-events li")) >= 5
    browser.save_screenshot(str(SCREENSHOTS / "stream-detail.png"))
    assert console_errors(browser) == []


def test_search_and_live_list(browser, make_proxy):
    proxy = make_proxy()
    for word in ["apple", "banana"]:
        sdk(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": word}])
    browser.get(proxy.url + "/requests")
    wait(browser, lambda d: d.find_element(By.ID, "result-count").text.startswith("2 "))
    sdk(proxy).chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "cherry"}])
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")) == 3)
    search = browser.find_element(By.ID, "search")
    search.send_keys("banana")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")) == 1)
    assert browser.find_element(By.ID, "result-count").text.startswith("1 ")
    browser.save_screenshot(str(SCREENSHOTS / "requests-search.png"))
    assert console_errors(browser) == []


def test_with_api_keys_the_dashboard_asks_for_a_login_then_works_and_logs_out(browser, make_proxy):
    proxy = make_proxy("api_keys: [team-key-0123456789]\n")
    browser.delete_all_cookies()
    browser.get(proxy.url + "/")
    wait(browser, lambda d: d.current_url.endswith("/login"))
    field = browser.find_element(By.ID, "key")
    field.send_keys("wrong-key")
    field.send_keys(Keys.ENTER)
    wait(browser, lambda d: "is not accepted here" in d.find_element(By.CSS_SELECTOR, ".login .error").text)
    field = browser.find_element(By.ID, "key")
    field.send_keys("team-key-0123456789")
    field.send_keys(Keys.ENTER)
    wait(browser, lambda d: d.find_element(By.ID, "live-indicator").text == "live")
    openai.OpenAI(base_url=proxy.url + "/v1", api_key="team-key-0123456789", max_retries=0).chat.completions.create(
        model="gpt-4.1", messages=[{"role": "user", "content": "seen after login"}])
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=total-requests]").text == "1")
    cookie = browser.get_cookie("ghc_api_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert "team-key" not in json.dumps(browser.get_cookies())
    browser.save_screenshot(str(SCREENSHOTS / "dashboard-after-login.png"))
    logout = browser.find_element(By.CSS_SELECTOR, "form.logout button")
    wait(browser, lambda d: logout.is_displayed())
    logout.click()
    wait(browser, lambda d: d.current_url.endswith("/login"))
    browser.get(proxy.url + "/requests")
    wait(browser, lambda d: d.current_url.endswith("/login"))


def test_browsing_and_searching_ten_thousand_records_across_days(browser, make_proxy, tmp_path):
    """10,000 records over 20 days, imported with the CLI into requests.db before serve starts."""
    import datetime
    import random
    import subprocess
    from conftest import binary
    rng = random.Random(11)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(3000)]
    midnight = datetime.datetime.combine(datetime.date.today(), datetime.time()).timestamp()
    lines = []
    for index in range(10_000):
        day = index % 20
        prompt = " ".join(rng.choice(words) for _ in range(120)) + f" marker{index}"
        answer = " ".join(rng.choice(words) for _ in range(80))
        lines.append(json.dumps({
            "id": f"rec-{index:05d}", "timestamp": int(midnight - day * 86_400 + 3600 + index), "model": "claude-sonnet-4.6",
            "endpoint": "/v1/messages", "status_code": 200, "state": "completed",
            "request_body": {"messages": [{"role": "user", "content": prompt}]},
            "response_body": {"content": [{"type": "text", "text": answer + (" the velvet quokka" if index == 4321 else "")}]},
        }))
    archive = tmp_path / "ten-thousand.jsonl"
    archive.write_text("\n".join(lines) + "\n")
    proxy = make_proxy()
    proxy.stop()
    imported = subprocess.run([binary(), "import", str(archive)], env=dict(os.environ, GHC_API_CONFIG_DIR=proxy.dir),
                              capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0 and imported.stdout.startswith("Imported 10000, 0 duplicate(s)"), imported.stdout + imported.stderr
    proxy = make_proxy(directory=proxy.dir)
    console_errors(browser)  # what earlier tests left in the log
    browser.get(proxy.url + "/requests")
    wait(browser, lambda d: d.find_element(By.ID, "result-count").text == "10,000 requests", timeout=20)
    first_page = [e.get_attribute("data-request-id") for e in browser.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")]
    assert len(first_page) == 50 and first_page[0] == "rec-09980"
    for expected in ("page 2 of 200", "page 3 of 200"):
        browser.find_element(By.ID, "next-page").click()
        wait(browser, lambda d: d.find_element(By.ID, "page-info").text == expected)
    third_page = [e.get_attribute("data-request-id") for e in browser.find_elements(By.CSS_SELECTOR, "#request-list [data-request-id]")]
    assert len(third_page) == 50 and not set(third_page) & set(first_page)
    browser.find_element(By.ID, "prev-page").click()
    wait(browser, lambda d: d.find_element(By.ID, "page-info").text == "page 2 of 200")
    search = browser.find_element(By.ID, "search")
    search.send_keys('"velvet quokka"')
    wait(browser, lambda d: d.find_element(By.ID, "result-count").text == "1 requests")
    browser.find_element(By.CSS_SELECTOR, "#request-list [data-request-id]").click()
    wait(browser, lambda d: "velvet quokka" in d.find_element(By.ID, "request-detail").text)
    browser.save_screenshot(str(SCREENSHOTS / "history-search.png"))
    search.clear()
    search.send_keys("marker123*")
    # marker123 and marker1230 … marker1239
    wait(browser, lambda d: d.find_element(By.ID, "result-count").text == "11 requests")
    search.clear()
    search.send_keys('"never closed')
    wait(browser, lambda d: "never closed" in d.find_element(By.ID, "request-list").text)
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.DELETE)
    wait(browser, lambda d: d.find_element(By.ID, "result-count").text == "10,000 requests")
    three_days_ago = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    for field in ("since", "until"):
        browser.execute_script("var e = document.getElementById(arguments[0]); e.value = arguments[1];"
                               "e.dispatchEvent(new Event('change'));", field, three_days_ago)
    wait(browser, lambda d: d.find_element(By.ID, "result-count").text == "500 requests")
    assert "since=" in browser.find_element(By.ID, "export-link").get_attribute("href")
    browser.save_screenshot(str(SCREENSHOTS / "history-date-range.png"))
    assert [e for e in console_errors(browser) if "400" not in e["message"]] == []


def test_the_code_agent_manager_shows_pushes_and_pulls_with_confirmations(browser, make_proxy, stand_in, tmp_path):
    onedrive = tmp_path / "OneDrive"
    onedrive.mkdir()
    home = tmp_path / "alpha"
    (home / ".claude").mkdir(parents=True)
    (home / ".claude" / "settings.json").write_text('{"model": "opus"}\n')
    config = home / "cfg"
    config.mkdir(mode=0o700)
    (config / "config.yaml").write_text(f"machine_name: alpha\nonedrive_path: {onedrive}\ngithub_api_base_url: {stand_in.url}\n")
    proxy = make_proxy(directory=str(config), env_extra={"HOME": str(home)})
    console_errors(browser)
    browser.get(proxy.url + "/")
    wait(browser, lambda d: d.find_element(By.ID, "sync-badge").get_attribute("data-checked") == "true")
    assert browser.find_element(By.ID, "sync-badge").is_displayed(), "nothing is in OneDrive yet"
    browser.find_element(By.ID, "nav-agent-manager").click()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=state-claude]").text == "missing-there")
    assert "onedrive_path in config.yaml" in browser.find_element(By.ID, "sync-where").text
    assert '+{"model": "opus"}' in browser.find_element(By.ID, "sync-diffs").text
    browser.execute_script("window.__asked = []; window.confirm = function (q) { window.__asked.push(q); return true; };")
    browser.find_element(By.ID, "push-button").click()
    wait(browser, lambda d: "claude: copied to" in d.find_element(By.ID, "sync-result").text)
    asked = browser.execute_script("return window.__asked")
    assert len(asked) == 1 and "claude_settings.json (new)" in asked[0]
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=state-claude]").text == "same")
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#sync-machines [data-machine=alpha]").text.endswith("yes"))
    shared = onedrive / ".ghc-api" / "configSync" / "claude_settings.json"
    shared.write_text('{"model": "sonnet"}\n')
    browser.refresh()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=state-claude]").text == "different")
    browser.execute_script("window.__asked = []; window.confirm = function (q) { window.__asked.push(q); return true; };")
    browser.save_screenshot(str(SCREENSHOTS / "code-agent-manager.png"))
    browser.find_element(By.ID, "pull-button").click()
    wait(browser, lambda d: "the old file is in" in d.find_element(By.ID, "sync-result").text)
    assert "settings.json (backed up first)" in browser.execute_script("return window.__asked")[0]
    assert (home / ".claude" / "settings.json").read_text() == '{"model": "sonnet"}\n'
    assert len(list((home / ".claude").glob("settings.json.*.bak"))) == 1
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=state-claude]").text == "same")
    browser.get(proxy.url + "/")
    wait(browser, lambda d: d.find_element(By.ID, "live-indicator").text == "live")
    wait(browser, lambda d: d.find_element(By.ID, "sync-badge").get_attribute("data-checked") == "true")
    assert not browser.find_element(By.ID, "sync-badge").is_displayed(), "nothing differs any more"
    assert console_errors(browser) == []


def test_the_usage_view_updates_live_and_shows_the_quota(browser, make_proxy):
    proxy = make_proxy("usage_report_interval: 1\n")
    console_errors(browser)
    browser.get(proxy.url + "/usage")
    wait(browser, lambda d: "No usage in this range yet." in d.find_element(By.ID, "usage-chart").get_attribute("innerHTML"))
    wait(browser, lambda d: "211 of 300 left" in d.find_element(By.CSS_SELECTOR, "[data-quota=premium_interactions]").text)
    assert "unlimited" in browser.find_element(By.CSS_SELECTOR, "[data-quota=chat]").text
    for model in ("gpt-4.1", "gpt-4.1", "gpt-5-mini"):
        sdk(proxy).chat.completions.create(model=model, messages=[{"role": "user", "content": "usage view"}])
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#usage-chart rect")) >= 1, timeout=20)
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#usage-rows [data-model='gpt-4.1']").text.split()[1] == "2")
    assert browser.find_element(By.CSS_SELECTOR, "#usage-rows [data-model=Total]").text.split()[1] == "3"
    machine = browser.find_element(By.CSS_SELECTOR, "#usage-legend .legend-item").text
    assert machine.endswith("_Linux") or machine.endswith("_Mac")
    browser.find_element(By.CSS_SELECTOR, "#stack option[value=by_model]").click()
    wait(browser, lambda d: {e.text for e in d.find_elements(By.CSS_SELECTOR, "#usage-legend .legend-item")} == {"gpt-4.1", "gpt-5-mini"})
    browser.find_element(By.CSS_SELECTOR, "#range option[value=week]").click()
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#usage-chart rect")) >= 1)
    browser.save_screenshot(str(SCREENSHOTS / "usage.png"))
    assert console_errors(browser) == []
