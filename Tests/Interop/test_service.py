"""`ghc-api service`: the login service files as systemd and launchd read them, and install/status/uninstall as a user
runs them (in a container without a user service manager, install writes the file and says what to run)."""
import os
import plistlib
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, binary, free_port, wait_for


def service(home, config_dir, *args):
    env = dict(os.environ, HOME=str(home), GHC_API_CONFIG_DIR=str(config_dir), NO_COLOR="1")
    env.pop("XDG_CONFIG_HOME", None)
    return subprocess.run([binary(), "service", *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def file_part(dry_run_output):
    """The file a `--dry-run` prints: between its 'Would write' line and 'Would run:'."""
    lines = dry_run_output.splitlines()
    return "\n".join(lines[1:lines.index("Would run:")]) + "\n"


def unit_entries(text):
    entries, section = [], None
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entries.append((section, key, value))
    return entries


def test_the_systemd_unit_has_what_a_login_service_needs_and_systemd_accepts_it(tmp_path):
    home, config = tmp_path / "home", tmp_path / "config dir"
    dry = service(home, config, "install", "--dry-run", "--manager", "systemd")
    assert dry.returncode == 0 and dry.stdout.startswith(f"Would write {home}/.config/systemd/user/ghc-api.service:")
    assert "systemctl --user enable --now ghc-api.service" in dry.stdout
    assert not (home / ".config").exists()
    unit = file_part(dry.stdout)
    entries = unit_entries(unit)
    service_keys = {key: value for section, key, value in entries if section == "Service" and key != "Environment"}
    real_binary = os.path.realpath(binary())
    assert service_keys["ExecStart"] == f'"{real_binary}" serve'
    assert service_keys["Restart"] == "on-failure" and service_keys["ReadWritePaths"] == f'"{config}"'
    assert service_keys["NoNewPrivileges"] == "yes" and service_keys["ProtectSystem"] == "full"
    environment = [value for section, key, value in entries if key == "Environment"]
    assert f'"GHC_API_CONFIG_DIR={config}"' in environment and any(v.startswith('"PATH=') for v in environment)
    assert ("Install", "WantedBy", "default.target") in entries

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed; the unit's keys were checked above")
    unit_file = tmp_path / "ghc-api.service"
    unit_file.write_text(unit)
    manual = tmp_path / "man" / "man1"
    manual.mkdir(parents=True)
    shutil.copy(ROOT / "man" / "ghc-api.1", manual)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, MANPATH=str(tmp_path / "man"), XDG_RUNTIME_DIR=str(runtime))
    verified = subprocess.run(["systemd-analyze", "--user", "verify", str(unit_file)], env=env, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr


def test_the_launchd_agent_is_a_plist_launchd_can_load(tmp_path):
    home, config = tmp_path / "home", tmp_path / "config"
    dry = service(home, config, "install", "--dry-run", "--manager", "launchd")
    assert dry.stdout.startswith(f"Would write {home}/Library/LaunchAgents/com.github.ghc-api.plist:")
    assert f"launchctl bootstrap gui/{os.getuid()}" in dry.stdout
    text = file_part(dry.stdout)
    agent = plistlib.loads(text.encode())
    assert agent["Label"] == "com.github.ghc-api"
    assert agent["ProgramArguments"] == [os.path.realpath(binary()), "serve"]
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["EnvironmentVariables"]["GHC_API_CONFIG_DIR"] == str(config)
    assert agent["StandardErrorPath"] == f"{home}/Library/Logs/ghc-api.log"
    if shutil.which("plutil"):
        plist = tmp_path / "agent.plist"
        plist.write_text(text)
        linted = subprocess.run(["plutil", "-lint", str(plist)], capture_output=True, text=True)
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_install_status_and_uninstall_as_a_user_runs_them(tmp_path, stand_in):
    home, config = tmp_path / "home", tmp_path / "config"
    port = free_port()
    config.mkdir(mode=0o700)
    (config / "config.yaml").write_text(f"port: {port}\ngithub_api_base_url: {stand_in.url}\n")
    installed = service(home, config, "install")
    assert installed.returncode == 0, installed.stderr
    unit = home / ".config" / "systemd" / "user" / "ghc-api.service"
    assert unit.read_text() == file_part(service(home, config, "install", "--dry-run").stdout)
    if "Installed and started" not in installed.stdout:
        # No user service manager here (a container): the file is in place and the output says what to run.
        assert "systemctl --user enable --now ghc-api.service" in installed.stdout
        assert "under the container's own supervisor" in installed.stdout

    down = service(home, config, "status")
    assert down.returncode == 1 and f"{unit} (installed)" in down.stdout and "does not answer" in down.stdout
    env = dict(os.environ, HOME=str(home), GHC_API_CONFIG_DIR=str(config), GITHUB_TOKEN="gho_standin0123456789abcdefghijklmnopq")
    server = subprocess.Popen([binary(), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        up = wait_for(lambda: (r := service(home, config, "status")).returncode == 0 and r, "the server to answer")
        assert f"http://127.0.0.1:{port}/healthz answers: ok" in up.stdout and "Runs" in up.stdout
    finally:
        server.send_signal(2)
        server.wait(timeout=20)

    removed = service(home, config, "uninstall")
    assert removed.returncode == 0 and f"Removed {unit}" in removed.stdout and not unit.exists()
    again = service(home, config, "uninstall")
    assert again.returncode == 0 and "nothing to uninstall" in again.stdout
