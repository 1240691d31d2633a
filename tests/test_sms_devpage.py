"""The development inbox: stored texts per number, off once Twilio is configured."""

from __future__ import annotations

import re

import pytest

from kiosk import db
from sms import outbox

PHONE = "+821012345678"


def queue(conn, clock, key: str, body: str, to: str = PHONE) -> None:
    with db.transaction(conn):
        outbox.enqueue(conn, to=to, body=body, kind="otp", dedupe_key=key, now=clock.now())


def csrf(client) -> str:
    page = client.get("/dev/sms").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_lists_texts_grouped_by_number_and_delivers_them(client, conn, clock):
    queue(conn, clock, "otp:1", "[잡스탑] 인증번호 482913")
    queue(conn, clock, "otp:2", "[잡스탑] 인증번호 100200", to="+821099998888")
    page = client.get("/dev/sms").get_data(as_text=True)
    assert "010-1234-5678" in page and "010-9999-8888" in page
    assert "인증번호 482913" in page and "전달됨" in page
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE status = 'delivered'").fetchone()[0] == 2


def test_lookup_by_number_is_a_post(client, conn, clock):
    queue(conn, clock, "otp:1", "[잡스탑] 인증번호 482913")
    queue(conn, clock, "otp:2", "[잡스탑] 인증번호 100200", to="+821099998888")
    token = csrf(client)
    page = client.post("/dev/sms", data={"csrf_token": token, "phone": "010 1234 5678"}).get_data(as_text=True)
    assert "482913" in page and "100200" not in page
    wrong = client.post("/dev/sms", data={"csrf_token": token, "phone": "02-123-4567"}).get_data(as_text=True)
    assert "휴대전화 번호만" in wrong and "482913" not in wrong
    nobody = client.post("/dev/sms", data={"csrf_token": token, "phone": "010-5555-0000"}).get_data(as_text=True)
    assert "이 번호로 보낸 문자가 없습니다" in nobody


def test_gone_when_twilio_is_configured(app, client):
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x", TWILIO_FROM_NUMBER="+15005550006")
    assert client.get("/dev/sms").status_code == 404


@pytest.mark.browser
def test_a_demo_visitor_finds_their_code(page, conn, clock):
    from conftest import axe_violations

    queue(conn, clock, "otp:1", "[잡스탑] 인증번호 482913")
    queue(conn, clock, "otp:2", "[잡스탑] 인증번호 100200", to="+821099998888")
    page.goto("/dev/sms")
    page.get_by_label("휴대전화 번호").fill("010-1234-5678")
    page.get_by_role("button", name="보기").click()
    page.wait_for_url("**/dev/sms")
    assert page.get_by_text("인증번호 482913").is_visible()
    assert page.get_by_text("인증번호 100200").count() == 0
    assert "5678" not in page.url
    assert axe_violations(page) == []
