"""The code agent manager's tool sections in headless Chromium, against `ghc-api serve` with a fake npm first on
PATH and a temporary HOME: pointing Claude Code at the proxy (the diff, the confirmation, the backup, then nothing
left to change), installing tools with the output shown live, and the software versions. Screenshots land in
artifacts/screenshots/."""
import json
import os
import textwrap
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import ROOT, free_port, q, qa
from conftest import wait as page_wait

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def wait(driver, condition):
    """Waits up to 20 s: the page waits on whole runs of the fake npm."""
    return page_wait(driver, condition, timeout=20)


def scroll_to(driver, css):
    driver.execute_script("arguments[0].closest('section').scrollIntoView()", q(driver, css))


def console_errors(driver):
    """SEVERE console entries except Chrome's own line for a 4xx/5xx response (the install's 500 is expected)."""
    return [entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]]


def test_point_claude_code_then_install_tools_and_see_the_versions(browser, make_proxy, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text("#!/bin/sh\n" + textwrap.dedent("""\
        case "$1" in --version) echo "10.9.9"; exit 0;; esac
        echo "npm $*" >> "$HOME/npm-calls"
        echo "fetching $3"
        echo "npm WARN deprecated inflight@1.0.6: not supported" >&2
        case "$*" in *@openai/codex*) echo "npm ERR! 404 Not Found - @openai/codex" >&2; exit 1;; esac
        while [ ! -e "$HOME/gate" ]; do sleep 0.05; done
        echo "added 1 package in 1s"
        """))
    npm.chmod(0o755)
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    settings = home / ".claude" / "settings.json"
    settings.write_text('{"theme": "dark"}\n')
    port = free_port()
    proxy = make_proxy(f"port: {port}\n", port=port, env_extra={"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(home)})
    base_url = f"http://127.0.0.1:{port}"  # what the settings get: the address and port of config.yaml

    console_errors(browser)  # what earlier tests left in the log
    browser.get(proxy.url + "/code-agent-manager")
    wait(browser, lambda d: qa(d, "#software-versions tr[data-program=npm]"))
    assert q(browser, "#point-claude-code-apply").get_attribute("disabled") is not None, "nothing to apply before it is shown"

    # Point Claude Code at the proxy: the diff first, then the write after a confirmation.
    q(browser, "#point-claude-code-show").click()
    wait(browser, lambda d: qa(d, "#point-claude-code-diff pre.diff"))
    diff = q(browser, "#point-claude-code-diff")
    assert str(settings) in diff.text
    assert '+    "ANTHROPIC_MODEL": "claude-opus-5.5",' in diff.text
    added = [span.text for span in qa(browser, "#point-claude-code-diff pre.diff span.add")]
    assert f'+    "ANTHROPIC_BASE_URL": "{base_url}",' in added
    assert len(qa(browser, "#point-claude-code-diff pre.diff span.hunk")) == 1
    assert [span.text for span in qa(browser, "#point-claude-code-diff pre.diff span.del")] == ['-{"theme": "dark"}']
    assert settings.read_text() == '{"theme": "dark"}\n', "showing writes nothing"
    scroll_to(browser, "#point-claude-code-diff")
    browser.save_screenshot(str(SCREENSHOTS / "agent-manager-point.png"))

    browser.execute_script("window.__asked = []; window.confirm = function (q) { window.__asked.push(q); return true; };")
    q(browser, "#point-claude-code-apply").click()
    wait(browser, lambda d: "Written; the old file is" in q(d, "#point-claude-code-result").text)
    assert browser.execute_script("return window.__asked") == [f"Write {settings}? The old file is backed up first."]
    written = json.loads(settings.read_text())
    assert written["env"]["ANTHROPIC_BASE_URL"] == base_url and written["theme"] == "dark"
    backups = list((home / ".claude").glob("settings.json.*.bak"))
    assert len(backups) == 1 and backups[0].read_text() == '{"theme": "dark"}\n'
    assert q(browser, "#point-claude-code-result").text == f"Written; the old file is {backups[0]}"

    q(browser, "#point-claude-code-show").click()
    wait(browser, lambda d: q(d, "#point-claude-code-result").text == "Already points at this proxy.")
    assert qa(browser, "#point-claude-code-diff pre.diff") == []
    assert q(browser, "#point-claude-code-apply").get_attribute("disabled") is not None

    # Install Claude Code and Codex (the fake npm fails for Codex); the output shows as it comes.
    for name in ("acp-adapters", "copilot-cli"):
        box = q(browser, f"#install-{name}")
        assert box.is_selected()
        box.click()
    q(browser, "#install-button").click()
    # Live: Claude Code's npm waits for the gate, and what it printed so far is on the page already.
    wait(browser, lambda d: qa(d, "#install-steps li[data-tool=claude-code][data-status=running]"))
    wait(browser, lambda d: "fetching @anthropic-ai/claude-code" in q(d, "#install-output").text)
    assert "npm WARN deprecated inflight@1.0.6: not supported" in [span.text for span in qa(browser, "#install-output span.stderr")]
    assert q(browser, "#install-button").get_attribute("disabled") is not None
    assert q(browser, "#install-result").text == "Installing claude-code, codex…"
    scroll_to(browser, "#install-output")
    browser.save_screenshot(str(SCREENSHOTS / "agent-manager-installing.png"))
    (home / "gate").touch()
    wait(browser, lambda d: "Some failed; see " in q(d, "#install-result").text)
    log_file = Path(proxy.dir) / "code_agent_install.log"
    assert f"Some failed; see {log_file}" in q(browser, "#install-result").text
    assert log_file.exists()
    assert q(browser, "#install-button").get_attribute("disabled") is None
    steps = {item.get_attribute("data-tool"): item.get_attribute("data-status") for item in qa(browser, "#install-steps li[data-tool]")}
    assert steps == {"claude-code": "installed", "codex": "failed"}
    assert q(browser, "#install-steps li[data-tool=codex]").text == "codex: failed (exit 1)"
    output = q(browser, "#install-output")
    assert output.is_displayed()
    for line in ("fetching @anthropic-ai/claude-code", "added 1 package in 1s", "fetching @openai/codex", "npm ERR! 404 Not Found - @openai/codex"):
        assert line in output.text
    errors = [span.text for span in qa(browser, "#install-output span.stderr")]
    assert "npm ERR! 404 Not Found - @openai/codex" in errors and "added 1 package in 1s" not in errors
    assert (home / "npm-calls").read_text().splitlines() == ["npm install -g @anthropic-ai/claude-code", "npm install -g @openai/codex"]

    # The versions: npm is the fake one.
    npm_row = q(browser, "#software-versions tr[data-program=npm]")
    cells = [cell.text for cell in npm_row.find_elements(By.TAG_NAME, "td")]
    assert cells == ["npm", "installed", "10.9.9", str(npm)]
    assert [row.get_attribute("data-program") for row in qa(browser, "#software-versions tbody tr")] == [
        "node", "npm", "claude", "codex", "copilot", "claude-agent-acp", "codex-acp"]
    scroll_to(browser, "#install-output")
    browser.save_screenshot(str(SCREENSHOTS / "agent-manager-install.png"))
    assert console_errors(browser) == []
