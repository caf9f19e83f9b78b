"""The /agent page in headless Chromium (Debian `chromium` + `chromium-driver`, selenium from PyPI) against
`ghc-api serve` running the scripted ACP agent (agents/scripted_agent.py, see agents/README.md for its answers).
Each test clicks and types as a user would and checks what the page shows. Screenshots land in
artifacts/screenshots/."""
import os
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import ROOT, binary, q, qa, wait

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SCRIPTED_AGENT = ROOT / "Tests" / "Interop" / "agents" / "scripted_agent.py"
GREETING = "Hello from the scripted agent. You said: "
# Starting the agent imports acp/pydantic (~1-2 s); a turn is quick after that.
AGENT_TIMEOUT = 30


@pytest.fixture
def agent_proxy(make_proxy, tmp_path):
    """A serve whose config names the scripted agent `scripted`, and an empty project folder for its sessions."""
    state = tmp_path / "state"
    state.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    proxy = make_proxy(
        "acp_agents:\n"
        "  scripted:\n"
        f'    command: ["{sys.executable}", "{SCRIPTED_AGENT}"]\n'
        f'    env: {{SCRIPTED_AGENT_STATE: "{state}"}}\n'
    )
    return proxy, project


def console_errors(driver):
    """SEVERE console entries except Chrome's own line for a 4xx/5xx response."""
    return [entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]]


def last_text(driver, css):
    found = qa(driver, css)
    return found[-1].text if found else None


def dialog_open(driver):
    return q(driver, "#permission-dialog").get_attribute("open") is not None


def open_agent_page(driver, proxy):
    console_errors(driver)  # what earlier tests left in the log
    driver.get(proxy.url + "/agent")
    wait(driver, lambda d: qa(d, "#agent-kind option[value=scripted]"))
    option = q(driver, "#agent-kind option[value=scripted]")
    assert option.get_attribute("disabled") is None, option.get_attribute("title")


def create_session(driver, workdir, bypass):
    Select(q(driver, "#agent-kind")).select_by_value("scripted")
    field = q(driver, "#workdir")
    field.clear()
    field.send_keys(str(workdir))
    if q(driver, "#bypass").is_selected() != bypass:
        q(driver, "#bypass").click()
    assert q(driver, "#bypass").is_selected() == bypass
    q(driver, "#create-session").click()
    wait(driver, lambda d: qa(d, "#session-header") and q(d, "#prompt-area").is_displayed(), AGENT_TIMEOUT)
    return q(driver, "#session-header").get_attribute("data-session-id")


def send_with_enter(driver, text):
    box = q(driver, "#prompt-text")
    wait(driver, lambda d: q(d, "#send").is_enabled())
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    wait(driver, lambda d: last_text(d, ".msg.msg-user .user-text") == text)


def turn_over(driver):
    wait(driver, lambda d: q(d, "#send").is_enabled() and not q(d, "#cancel").is_enabled(), AGENT_TIMEOUT)


def answer_is(driver, text):
    wait(driver, lambda d: last_text(d, ".msg.msg-agent .agent-text") == text, AGENT_TIMEOUT)
    turn_over(driver)


def test_one_conversation_with_a_diff_a_plan_questions_and_a_cancelled_turn(browser, agent_proxy):
    proxy, project = agent_proxy
    open_agent_page(browser, proxy)
    session_id = create_session(browser, project, bypass=False)
    assert session_id
    wait(browser, lambda d: q(d, "#session-status").text == "active")
    assert q(browser, "#session-status").get_attribute("data-status") == "active"
    wait(browser, lambda d: q(d, "#session-mode").text == "Mode: Ask")
    assert q(browser, "#session-dir").text == str(project)

    send_with_enter(browser, "hello")
    answer_is(browser, GREETING + "hello")
    assert q(browser, "#prompt-text").get_attribute("value") == ""

    target = project / "new.txt"
    send_with_enter(browser, f"write {target} fresh text")
    answer_is(browser, f"wrote: {target}")
    diff = q(browser, f'.tool-call .tool-diff[data-path="{target}"]')
    assert diff.is_displayed()
    assert [line.text for line in diff.find_elements(By.CSS_SELECTOR, "pre.diff span.add")] == ["+fresh text"]
    assert "(new file)" in diff.find_element(By.CSS_SELECTOR, ".diff-path").text
    assert target.read_text() == "fresh text"

    send_with_enter(browser, "plan")
    answer_is(browser, "planned")
    entries = qa(browser, ".plan li.plan-entry")
    assert [(e.get_attribute("data-status"), e.find_element(By.CSS_SELECTOR, ".plan-text").text) for e in entries] == [
        ("completed", "Read the code"), ("in_progress", "Write the fix")]
    assert all(e.is_displayed() for e in entries)

    send_with_enter(browser, "permission")
    wait(browser, dialog_open, AGENT_TIMEOUT)
    options = qa(browser, "#permission-options button.perm-option")
    assert [(b.get_attribute("data-option-id"), b.get_attribute("data-kind"), b.text) for b in options] == [
        ("nope", "reject_once", "Reject"), ("yes-always", "allow_always", "Always"), ("yes-once", "allow_once", "Allow")]
    assert "Delete build folder" in q(browser, "#permission-tool").text
    browser.save_screenshot(str(SCREENSHOTS / "agent-permission.png"))
    q(browser, '#permission-options button.perm-option[data-kind="allow_always"]').click()
    wait(browser, lambda d: not dialog_open(d))
    answer_is(browser, "permission: selected yes-always")
    wait(browser, lambda d: qa(d, '.tool-call[data-tool-call-id="perm-tool"]')[-1].get_attribute("data-status") == "completed")

    send_with_enter(browser, "permission")
    wait(browser, dialog_open, AGENT_TIMEOUT)
    q(browser, "#permission-cancel").click()
    wait(browser, lambda d: not dialog_open(d))
    answer_is(browser, "permission: cancelled")
    wait(browser, lambda d: qa(d, '.tool-call[data-tool-call-id="perm-tool"]')[-1].get_attribute("data-status") == "failed")

    send_with_enter(browser, "slow")
    wait(browser, lambda d: "tick 2" in (last_text(d, ".msg.msg-agent .agent-text") or ""), AGENT_TIMEOUT)
    assert not q(browser, "#send").is_enabled()
    q(browser, "#cancel").click()
    wait(browser, lambda d: last_text(d, ".stop-reason[data-stop-reason=cancelled]") == "Stop: cancelled", AGENT_TIMEOUT)
    turn_over(browser)
    assert "tick 60" not in q(browser, "#conversation").text
    send_with_enter(browser, "after the cancel")
    answer_is(browser, GREETING + "after the cancel")
    assert len(qa(browser, ".stop-reason")) == 1, "only the cancelled turn shows a stop line"
    browser.save_screenshot(str(SCREENSHOTS / "agent-conversation.png"))
    assert console_errors(browser) == []


def test_ending_and_resuming_a_session_from_the_list(browser, agent_proxy):
    proxy, project = agent_proxy
    open_agent_page(browser, proxy)
    session_id = create_session(browser, project, bypass=True)
    item_css = f'#session-list li.session-item[data-session-id="{session_id}"]'
    wait(browser, lambda d: qa(d, item_css) and q(d, item_css).get_attribute("data-status") == "active")
    assert q(browser, item_css + " .session-status").text == "active"
    assert "selected" in q(browser, item_css).get_attribute("class")
    send_with_enter(browser, "hello")
    answer_is(browser, GREETING + "hello")

    q(browser, "#end-session").click()
    wait(browser, lambda d: q(d, item_css).get_attribute("data-status") == "terminated")
    assert q(browser, item_css + " .session-status").text == "terminated"
    wait(browser, lambda d: not q(d, "#prompt-area").is_displayed())
    wait(browser, lambda d: q(d, "#session-status").text == "terminated")
    assert q(browser, "#readonly-note").text == "This session was ended."
    assert last_text(browser, ".msg.msg-agent .agent-text") == GREETING + "hello", "the ended session still shows its history"
    resume = q(browser, "#resume-session")
    wait(browser, lambda d: resume.is_displayed())

    resume.click()
    wait(browser, lambda d: q(d, "#session-status").text == "active" and q(d, "#prompt-area").is_displayed(), AGENT_TIMEOUT)
    assert not q(browser, "#resume-session").is_displayed()
    wait(browser, lambda d: q(d, item_css).get_attribute("data-status") == "active")
    send_with_enter(browser, "hello again")
    answer_is(browser, GREETING + "hello again")
    browser.save_screenshot(str(SCREENSHOTS / "agent-resumed.png"))
    assert console_errors(browser) == []


def test_the_verbose_box_shows_and_hides_the_agents_thoughts(browser, agent_proxy):
    proxy, project = agent_proxy
    open_agent_page(browser, proxy)
    assert q(browser, "#verbose").is_selected(), "Verbose is on by default"
    create_session(browser, project, bypass=True)
    send_with_enter(browser, "think")
    answer_is(browser, "thought")
    thought = q(browser, ".msg.msg-agent .agent-thought")
    wait(browser, lambda d: thought.is_displayed())
    assert "Thinking about it" in thought.text
    q(browser, "#verbose").click()
    wait(browser, lambda d: not thought.is_displayed())
    assert q(browser, ".msg.msg-agent .agent-text").is_displayed(), "the answer itself stays"
    q(browser, "#verbose").click()
    wait(browser, lambda d: thought.is_displayed())
    assert thought.text.endswith("Thinking about it")
    assert console_errors(browser) == []


def test_a_session_started_from_the_shell_shows_up_after_refresh(browser, agent_proxy):
    proxy, project = agent_proxy
    open_agent_page(browser, proxy)
    wait(browser, lambda d: qa(d, "#session-list li.empty"))
    assert qa(browser, "#session-list li.session-item") == []
    chat = subprocess.run(
        [binary(), "agent", "chat", "-a", "scripted", "--cwd", str(project), "-p", "hi"],
        env=dict(os.environ, GHC_API_CONFIG_DIR=proxy.dir, NO_COLOR="1"),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert chat.returncode == 0, chat.stdout + chat.stderr
    assert GREETING + "hi" in chat.stdout
    assert qa(browser, "#session-list li.session-item") == [], "the page does not poll"

    q(browser, "#refresh-sessions").click()
    wait(browser, lambda d: len(qa(d, "#session-list li.session-item")) == 1)
    item = q(browser, "#session-list li.session-item")
    session_id = item.get_attribute("data-session-id")
    assert session_id and item.get_attribute("data-status") != "active"
    item.click()
    wait(browser, lambda d: qa(d, "#session-header") and q(d, "#session-header").get_attribute("data-session-id") == session_id)
    wait(browser, lambda d: last_text(d, ".msg.msg-user .user-text") == "hi")
    assert last_text(browser, ".msg.msg-agent .agent-text") == GREETING + "hi"
    assert not q(browser, "#prompt-area").is_displayed()
    assert q(browser, "#session-actions").is_displayed()
    assert q(browser, "#readonly-note").text
    status = item.get_attribute("data-status")
    assert q(browser, "#session-status").text == status
    # the scripted agent has session/load, so once `agent chat` is gone the session can be resumed here
    assert status == "elsewhere" or q(browser, "#resume-session").is_displayed(), status
    browser.save_screenshot(str(SCREENSHOTS / "agent-from-shell.png"))
    assert console_errors(browser) == []
