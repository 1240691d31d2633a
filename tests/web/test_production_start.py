"""Production (`jobstop serve`, `jobstop scheduler`) refuses to start without the settings it
needs, in one line naming the missing one; development mode and the demo need none of them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import urllib.request

import pytest
from process_helpers import JOBSTOP, free_port, get, interrupt, jobstop_environment, like_a_terminal, until

from kiosk.core import config
from kiosk.demo.staff import DEMO_ACCOUNTS

TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "secret-token-value",
          "TWILIO_FROM_NUMBER": "+15005550006", "JOBSTOP_PUBLIC_URL": "https://jobstop.example.kr"}
KEY = {"JOBSTOP_SECRET_KEY": "a" * 64}


def run(tmp_path, database: str, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The real command; a start that is not refused would still be running at the timeout."""
    env = jobstop_environment(JOBSTOP_DATABASE=database, **settings)
    return subprocess.run([*JOBSTOP, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


def refusal(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0 and done.stdout == ""
    [line] = done.stderr.splitlines()
    return line


@pytest.mark.parametrize("command", [["serve", "--workers", "1"], ["scheduler"]])
def test_no_twilio_settings_refuse_a_production_start(tmp_path, database, command):
    line = refusal(run(tmp_path, database, *command, **KEY))
    assert line.startswith(f"Error: jobstop {command[0]} will not start: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,"
                           " TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID) are not set")
    assert "JOBSTOP_DEVELOPMENT=1" in line and "SECRET_KEY" not in line


def test_one_missing_twilio_setting_is_named_alone(tmp_path, database):
    settings = {key: value for key, value in TWILIO.items() if key != "TWILIO_AUTH_TOKEN"}
    line = refusal(run(tmp_path, database, "scheduler", **KEY, **settings))
    assert ": TWILIO_AUTH_TOKEN is not set: production sends texts through Twilio" in line
    assert "secret-token-value" not in line


@pytest.mark.parametrize("command", [["serve", "--workers", "1"], ["scheduler"]])
def test_no_secret_key_refuses_a_production_start(tmp_path, database, command):
    line = refusal(run(tmp_path, database, *command, **TWILIO))
    assert f"jobstop {command[0]} will not start: JOBSTOP_SECRET_KEY is not set" in line
    assert "token_hex(32)" in line and "TWILIO" not in line


@pytest.mark.parametrize("url", ["http://jobstop.example.kr", "https://127.0.0.1:8000"])
def test_twilio_with_a_public_url_twilio_cannot_sign_refuses_a_production_start(tmp_path, database, url):
    line = refusal(run(tmp_path, database, "serve", **KEY, **{**TWILIO, "JOBSTOP_PUBLIC_URL": url}))
    assert f"jobstop serve will not start: JOBSTOP_PUBLIC_URL ({url})" in line
    assert "https address Twilio calls" in line


def test_everything_missing_is_said_in_one_line(tmp_path, database):
    line = refusal(run(tmp_path, database, "serve"))
    assert "JOBSTOP_SECRET_KEY is not set" in line and "TWILIO_ACCOUNT_SID" in line


def test_listing_the_scheduler_jobs_needs_no_production_settings(tmp_path, database):
    done = run(tmp_path, database, "scheduler", "--list")
    assert done.returncode == 0 and "lease: free" in done.stdout


def serving(tmp_path, database: str, **settings: str):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - the child keeps writing to it
    server = subprocess.Popen([*JOBSTOP, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"], cwd=tmp_path,
                              env=jobstop_environment(JOBSTOP_DATABASE=database, **settings), stdout=log,
                              stderr=subprocess.STDOUT)
    log.close()
    return server, f"http://127.0.0.1:{port}"


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def through_proxy(url: str) -> dict:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https",
                                                   "X-Forwarded-Host": "jobstop.example.kr"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_production_with_every_setting_serves_behind_its_proxy_without_the_development_page(tmp_path, database):
    server, base = serving(tmp_path, database, JOBSTOP_PROXIES="1", **KEY, **TWILIO)
    try:
        assert until(lambda: get(f"{base}/healthz"), 30), (tmp_path / "serve.log").read_text()
        assert get(f"{base}/dev/sms")[0] == 404
        item = through_proxy(f"{base}/api/v1/openings?per_page=1")["items"][0]
        assert item["url"].startswith("https://jobstop.example.kr/api/v1/openings/")
    finally:
        stop(server)


@pytest.mark.slow
def test_development_mode_serves_without_twilio_or_a_key(tmp_path, database):
    server, base = serving(tmp_path, database, JOBSTOP_DEVELOPMENT="1")
    try:
        assert until(lambda: get(f"{base}/healthz"), 30), (tmp_path / "serve.log").read_text()
        status, _, body = get(f"{base}/dev/sms")
        assert status == 200 and "010-0000-0000" in body.decode()
    finally:
        stop(server)


@pytest.mark.slow
def test_jobstop_start_needs_no_settings_at_all(tmp_path, database):
    """The README's first command: the demo on the development transport, nothing configured."""
    port = free_port()
    env = jobstop_environment(JOBSTOP_DATABASE=database)  # only where the copied demo database is
    with open(tmp_path / "start.log", "w") as log:
        server = subprocess.Popen([*JOBSTOP, "start", "--port", str(port)], cwd=tmp_path, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, preexec_fn=like_a_terminal)
    try:
        assert until(lambda: get(f"http://127.0.0.1:{port}/dev/sms"), 30), (tmp_path / "start.log").read_text()
        assert get(f"http://127.0.0.1:{port}/dev/sms")[0] == 200
        assert get(f"http://127.0.0.1:{port}/k/suwon-station/")[0] == 200
    finally:
        interrupt(server)
    assert server.returncode == 0
    printed = (tmp_path / "start.log").read_text()
    assert f"Staff console: http://127.0.0.1:{port}/console/" in printed
    for email, _name, role, password in DEMO_ACCOUNTS:  # one account per role, to sign in with
        assert re.search(rf"{role}\s+{re.escape(email)}\s+password: {re.escape(password)}", printed), printed


def test_eight_processes_starting_together_read_one_whole_instance_key(tmp_path):
    """Development mode's key in the instance folder: never read half-written, never two."""
    for trial in range(20):
        folder = str(tmp_path / f"trial{trial}")
        start, keys = threading.Barrier(8), []

        def worker(folder=folder, start=start, keys=keys) -> None:
            start.wait()
            keys.append(config.instance_secret_key(folder))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64, keys
