"""The development inbox: only in the demo or development mode, one typed number's texts there,
every number only in the demo, off with Twilio."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from process_helpers import free_port, interrupt, like_a_terminal, until

from kiosk.core import db
from kiosk.core.config import from_environment
from sms.outbound import outbox

PHONE = "+821012345678"
OTHER = "+821099998888"


def queue(conn, clock, key: str, body: str, to: str = PHONE) -> None:
    with db.transaction(conn):
        outbox.enqueue(conn, to=to, body=body, kind="otp", dedupe_key=key, now=clock.now())


def two_codes(conn, clock) -> None:
    queue(conn, clock, "otp:1", "[잡스탑] 인증번호 482913")
    queue(conn, clock, "otp:2", "[잡스탑] 인증번호 100200", to=OTHER)


def csrf(client) -> str:
    page = client.get("/dev/sms").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def statuses(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT status FROM sms_messages ORDER BY id")]


@pytest.fixture
def dev_client(app):
    """Development mode (JOBSTOP_DEVELOPMENT=1) without the demo's full list."""
    app.config["DEVELOPMENT"] = True
    return app.test_client()


@pytest.fixture
def demo_client(app):
    app.config.update(DEVELOPMENT=True, DEV_SMS_PAGE=True)  # what `jobstop start` sets
    return app.test_client()


@pytest.mark.parametrize("settings", [{}, {"DEV_SMS_PAGE": True}])
def test_outside_the_demo_and_development_mode_the_page_is_not_there(app, client, conn, clock, settings):
    """A production app without Twilio settings (`serve` refuses to start so, but an app made
    another way) still never shows anyone's login code."""
    two_codes(conn, clock)
    app.config.update(settings)
    assert client.get("/dev/sms").status_code == 404
    kiosk_page = client.get("/k/suwon-station/").get_data(as_text=True)
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', kiosk_page).group(1)  # this visitor's valid token
    answer = client.post("/dev/sms", data={"csrf_token": token, "phone": "010-1234-5678", "action": "send"})
    assert answer.status_code == 404 and "482913" not in answer.get_data(as_text=True)
    assert statuses(conn) == ["queued", "queued"]


def test_the_demo_lists_every_number_masked_and_reading_sends_nothing(demo_client, conn, clock):
    two_codes(conn, clock)
    page = demo_client.get("/dev/sms").get_data(as_text=True)
    assert "010-****-5678" in page and "010-****-8888" in page
    assert "1234-5678" not in page and "9999" not in page
    assert "인증번호 482913" in page and "인증번호 100200" in page and "대기" in page
    assert statuses(conn) == ["queued", "queued"], "a GET must not dispatch"


def test_send_now_is_a_post_that_dispatches(demo_client, conn, clock):
    two_codes(conn, clock)
    response = demo_client.post("/dev/sms", data={"csrf_token": csrf(demo_client), "action": "send"})
    assert response.status_code == 303 and response.headers["Location"] == "/dev/sms"
    assert statuses(conn) == ["delivered", "delivered"]
    assert "전달됨" in demo_client.get("/dev/sms").get_data(as_text=True)


def test_send_now_keeps_the_typed_number(dev_client, conn, clock):
    two_codes(conn, clock)
    client = dev_client
    page = client.post("/dev/sms", data={"csrf_token": csrf(client), "phone": "010-1234-5678",
                                         "action": "send"}).get_data(as_text=True)
    assert "482913" in page and "100200" not in page and "전달됨" in page


def test_in_development_mode_only_a_typed_number_is_shown(dev_client, conn, clock):
    two_codes(conn, clock)
    client = dev_client
    page = client.get("/dev/sms").get_data(as_text=True)
    assert "482913" not in page and "100200" not in page and "5678" not in page
    assert "그 번호로 보낸 문자만" in page and "전체 보기" not in page
    token = csrf(client)
    mine = client.post("/dev/sms", data={"csrf_token": token, "phone": "010 1234 5678"}).get_data(as_text=True)
    assert "482913" in mine and "100200" not in mine
    assert "<h2" in mine and "010-****-5678 <small>" in mine
    wrong = client.post("/dev/sms", data={"csrf_token": token, "phone": "02-123-4567"}).get_data(as_text=True)
    assert "휴대전화 번호만" in wrong and "482913" not in wrong and "100200" not in wrong
    empty = client.post("/dev/sms", data={"csrf_token": token, "phone": ""}).get_data(as_text=True)
    assert "482913" not in empty and "100200" not in empty


def test_lookup_in_the_demo_narrows_to_one_number(demo_client, conn, clock):
    two_codes(conn, clock)
    token = csrf(demo_client)
    page = demo_client.post("/dev/sms", data={"csrf_token": token, "phone": "01012345678"}).get_data(as_text=True)
    assert "482913" in page and "100200" not in page and "전체 보기" in page
    nobody = demo_client.post("/dev/sms", data={"csrf_token": token, "phone": "010-5555-0000"}).get_data(as_text=True)
    assert "이 번호로 보낸 문자가 없습니다" in nobody and "482913" not in nobody


def test_debug_mode_lists_every_number(app, conn, clock):
    two_codes(conn, clock)
    app.debug = True
    page = app.test_client().get("/dev/sms").get_data(as_text=True)
    assert "482913" in page and "100200" in page


@pytest.mark.parametrize(("raw", "on"), [("1", True), ("true", True), ("on", True), ("0", False), ("", False)])
def test_the_setting_comes_from_the_environment(raw, on):
    assert from_environment({"JOBSTOP_DEV_SMS_PAGE": raw})["DEV_SMS_PAGE"] is on


def test_gone_when_twilio_is_configured(app, client):
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x", TWILIO_FROM_NUMBER="+15005550006",
                      DEVELOPMENT=True, DEV_SMS_PAGE=True)
    assert client.get("/dev/sms").status_code == 404


def fetch(url: str) -> str | None:
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return None


def test_jobstop_start_shows_every_text_and_its_scheduler_delivers_them(database, conn, clock, tmp_path):
    two_codes(conn, clock)
    port = free_port()
    jobstop = Path(sys.executable).with_name("jobstop")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TWILIO_", "JOBSTOP_"))}
    env.update(JOBSTOP_DATABASE=database, JOBSTOP_SECRET_KEY="test-secret", JOBSTOP_DISPATCH_EVERY_SECONDS="1")
    server = subprocess.Popen([str(jobstop), "start", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=like_a_terminal)
    try:
        url = f"http://127.0.0.1:{port}/dev/sms"
        page = until(lambda: fetch(url), 30)
        assert page and "010-****-5678" in page and "인증번호 482913" in page and "인증번호 100200" in page
        assert until(lambda: statuses(conn) == ["delivered", "delivered"], 30)
    finally:
        interrupt(server)
