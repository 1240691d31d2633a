"""Texting a job's short code back gets its details; unknown and closed codes get an answer."""

from __future__ import annotations

from datetime import datetime

import pytest
from scheduler_helpers import add_seeker, opening, post

from sms.inbound import jobcode
from sms.outbound import compose
from sms.outbound.inbox import InboundMessage


def received(phone: str, body: str) -> InboundMessage:
    """A received text as the reply chain hands it to handlers."""
    return InboundMessage(0, "SM-test", phone, body, datetime.fromisoformat("2026-11-23T01:00:00+00:00"))


CONFIG = {"TIMEZONE": "Asia/Seoul", "DEFAULT_LANGUAGE": "ko"}


@pytest.mark.parametrize("text", ["J1234", "j 1234", "J-1234", " j1234. ", "Ｊ１２３４", "J#1234", "제이1234"])
def test_codes_as_people_type_them(text):
    assert jobcode.parse(text) == 1234


@pytest.mark.parametrize("text", ["", "1234", "J", "JOB 1234", "J1234 J1235", "수신거부", "J12a", "예"])
def test_other_texts_are_not_codes(text):
    assert jobcode.parse(text) is None


def test_details_of_an_open_opening(conn, clock):
    (opening_id,) = post(conn, clock.now(), opening(title="아파트 경비원", employer="새솔아파트",
                                                    wage_amount=11000, deadline="2026-12-05"))
    reply = jobcode.handle(conn, received("+821011112222", f"j {opening_id}"), clock.now(), CONFIG)
    lines = reply.split("\n")
    assert lines[0] == f"[잡스탑] J{opening_id} 아파트 경비원"
    assert "새솔아파트 · 수원시" in lines
    assert "시급 11,000원 · 정규직" in lines
    assert "마감 12월 5일(토)" in lines
    assert compose.size(reply).segments <= compose.budget("transactional")


def test_in_the_seekers_language(conn, clock):
    add_seeker(conn, "+821033334444", clock.now(), language="en")
    (opening_id,) = post(conn, clock.now(), opening(deadline=None))
    reply = jobcode.handle(conn, received("+821033334444", f"J{opening_id}"), clock.now(), CONFIG)
    assert reply.startswith(f"[JobStop] J{opening_id}") and "Open until filled" in reply


def test_unknown_closed_and_expired_codes_say_so(conn, clock):
    closed, expired = post(conn, clock.now(), opening(status="closed", title="마감된 공고"),
                           opening(deadline="2026-11-22", title="지난 공고"))
    now = clock.now()
    ask = lambda body: jobcode.handle(conn, received("+821011112222", body), now, CONFIG)  # noqa: E731
    assert ask("J99999999") == "[잡스탑] J99999999 일자리를 찾지 못했습니다. 코드를 확인해 주세요(예: J1234)."
    gone = "공고는 마감되었습니다. 다른 일자리는 가까운 일자리센터 키오스크에서 보실 수 있습니다."
    assert ask(f"J{closed}") == f"[잡스탑] J{closed} 마감된 공고 {gone}"
    assert ask(f"J{expired}") == f"[잡스탑] J{expired} 지난 공고 {gone}"
    assert ask("안녕하세요") is None


def test_deadline_today_is_still_open(conn, clock):
    (opening_id,) = post(conn, clock.now(), opening(deadline="2026-11-23"))
    late_evening = datetime.fromisoformat("2026-11-23T14:30:00+00:00")  # 23:30 in Seoul
    reply = jobcode.handle(conn, received("+821011112222", f"J{opening_id}"), late_evening, CONFIG)
    assert "마감 11월 23일(월)" in reply


def test_a_signed_text_with_a_code_is_answered_through_the_webhook(app, conn, clock):
    from xml.etree import ElementTree

    from twilio.request_validator import RequestValidator

    app.config["TWILIO_AUTH_TOKEN"] = "hook-auth-token"
    (opening_id,) = post(conn, clock.now(), opening(title="물류센터 상하차"))
    form = {"MessageSid": "SM77", "AccountSid": "AC1", "From": "+821055556666", "To": "+15005550006",
            "Body": f"J-{opening_id}"}
    signature = RequestValidator("hook-auth-token").compute_signature("https://jobstop.example.kr/sms/inbound", form)
    response = app.test_client().post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    reply = ElementTree.fromstring(response.data).find("Message").text
    assert reply.startswith(f"[잡스탑] J{opening_id} 물류센터 상하차")
    handled = conn.execute("SELECT handled_by FROM sms_inbound WHERE message_sid = 'SM77'").fetchone()[0]
    assert handled == "jobcode"
