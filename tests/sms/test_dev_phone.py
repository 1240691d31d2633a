"""/dev/sms as a phone: text as a demo seeker, a counselor or a typed number and read the thread
both ways; the answers are the signed webhook's own; only in the demo, never with Twilio."""

from __future__ import annotations

import re

import pytest

from kiosk.core.phones import mask
from kiosk.seekers import store as seekers

TYPED = "010-4444-7777"


@pytest.fixture
def demo_client(app):
    app.config.update(DEVELOPMENT=True, DEV_SMS_PAGE=True)  # what `jobstop start` sets
    return app.test_client()


def token(client) -> str:
    page = client.get("/dev/sms").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def a_seeker(conn):
    return conn.execute("SELECT * FROM seekers WHERE status = 'active' AND phone IS NOT NULL AND center_id IS NOT NULL"
                        " ORDER BY id LIMIT 1").fetchone()


def a_counselor(conn):
    return conn.execute("SELECT * FROM counselors WHERE active = 1 ORDER BY id LIMIT 1").fetchone()


def text(client, who: str, body: str, **headers):
    return client.post("/dev/sms/text", data={"csrf_token": token(client), "who": who, "body": body}, headers=headers)


def phone_thread(page: str) -> str:
    """The phone's thread on the page (the inbox of every number follows it)."""
    return page.split('id="phone-thread"', 1)[1].split("</ol>", 1)[0]


def handled(conn, phone: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute("SELECT body, handled_by FROM sms_inbound WHERE from_number = ? ORDER BY id",
                                           (phone,))]


def test_a_seeker_texts_help_and_reads_the_answer_in_the_thread(demo_client, conn):
    seeker = a_seeker(conn)
    who = f"s{seeker['id']}"
    page = demo_client.get(f"/dev/sms?who={who}").get_data(as_text=True)
    assert f'<option value="{who}" selected>' in page and mask(seeker["phone"]) in page
    sent = text(demo_client, who, "도움")
    assert sent.status_code == 303 and sent.location == f"/dev/sms?who={who}#phone"
    thread = phone_thread(demo_client.get(f"/dev/sms?who={who}").get_data(as_text=True))
    assert "보낸 문자" in thread and "상담: 상담사 연결" in thread
    assert handled(conn, seeker["phone"]) == [("도움", "help")]  # stored as the webhook stores it
    assert seeker["phone"][3:] not in sent.location


def test_htmx_gets_the_thread_in_place(demo_client, conn):
    seeker = a_seeker(conn)
    answer = text(demo_client, f"s{seeker['id']}", "알림 저녁", **{"HX-Request": "true"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and body.lstrip().startswith('<div class="phone-thread"')
    assert "알림 저녁" in body and "저녁(오후 5:00~오후 9:00)에 보내 드립니다" in body
    assert answer.headers["Vary"] == "HX-Request"
    assert seekers.get(conn, seeker["id"])["digest_time"] == "evening"


def test_a_counselor_lists_the_day_and_the_answer_is_in_their_history(demo_client, conn):
    counselor = a_counselor(conn)
    text(demo_client, f"c{counselor['id']}", "목록")
    (reply,) = [r for r in conn.execute("SELECT body FROM sms_messages WHERE to_number = ? AND dedupe_key LIKE ?",
                                        (counselor["phone"], f"counselor:{counselor['id']}:reply:%"))]
    thread = phone_thread(demo_client.get(f"/dev/sms?who=c{counselor['id']}").get_data(as_text=True))
    assert thread.count(reply["body"].splitlines()[0]) == 1  # shown once, as the answer to 목록
    assert handled(conn, counselor["phone"])[0][0] == "목록"


def test_a_typed_number_stays_out_of_the_address(demo_client, conn):
    chosen = demo_client.post("/dev/sms/number", data={"csrf_token": token(demo_client), "number": TYPED})
    assert chosen.status_code == 303 and chosen.location == "/dev/sms?who=typed#phone"
    text(demo_client, "typed", "J1")
    thread = demo_client.get("/dev/sms?who=typed").get_data(as_text=True)
    assert "010-****-7777" in thread and "4444" not in thread
    assert handled(conn, "+821044447777")[0][0] == "J1"
    wrong = demo_client.post("/dev/sms/number", data={"csrf_token": token(demo_client), "number": "02-123-4567"})
    assert wrong.status_code == 422 and "휴대전화 번호만" in wrong.get_data(as_text=True)


def test_an_empty_text_is_refused_and_nothing_is_stored(demo_client, conn):
    seeker = a_seeker(conn)
    answer = text(demo_client, f"s{seeker['id']}", "   ")
    assert answer.status_code == 422 and "보낼 문자를 입력해 주세요" in answer.get_data(as_text=True)
    assert handled(conn, seeker["phone"]) == []


def test_not_in_development_mode_without_the_full_list(app, conn):
    app.config["DEVELOPMENT"] = True  # the inbox for a typed number only: no phone
    client = app.test_client()
    assert "phone-title" not in client.get("/dev/sms").get_data(as_text=True)
    assert text(client, f"s{a_seeker(conn)['id']}", "도움").status_code == 404


def test_never_with_twilio_configured(app, conn):
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="x", TWILIO_FROM_NUMBER="+15005550006",
                      DEVELOPMENT=True, DEV_SMS_PAGE=True)
    client = app.test_client()
    seeker = a_seeker(conn)
    assert client.get(f"/dev/sms?who=s{seeker['id']}").status_code == 404
    kiosk_page = client.get("/k/suwon-station/").get_data(as_text=True)
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', kiosk_page).group(1)
    sent = client.post("/dev/sms/text", data={"csrf_token": csrf, "who": f"s{seeker['id']}", "body": "도움"})
    assert sent.status_code == 404 and handled(conn, seeker["phone"]) == []
    assert client.post("/dev/sms/number", data={"csrf_token": csrf, "number": TYPED}).status_code == 404
