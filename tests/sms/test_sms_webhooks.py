"""Signed webhooks: inbound texts with keyword replies, delivery status callbacks."""

from __future__ import annotations

import logging
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from kiosk.core import db
from sms.outbound import delivery, optout, outbox

TOKEN = "hook-auth-token"
BASE = "https://jobstop.example.kr"
PHONE = "+821012345678"


@pytest.fixture
def hooks(app):
    app.config["TWILIO_AUTH_TOKEN"] = TOKEN
    return app.test_client()


def sign(url: str, form: dict, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def text_from(phone: str = PHONE, body: str = "도움", sid: str = "SM1", **extra) -> dict:
    return {"MessageSid": sid, "AccountSid": "AC1", "From": phone, "To": "+15005550006", "Body": body, **extra}


def post(client, path: str, form: dict, *, signed_url: str | None = None, token: str = TOKEN,
         signature: str | None = None):
    header = signature if signature is not None else sign(signed_url or BASE + path, form, token)
    return client.post(path, data=form, headers={"X-Twilio-Signature": header} if header else {})


def reply_of(response) -> str:
    messages = ElementTree.fromstring(response.data).findall("Message")
    return messages[0].text if messages else ""


def stored(conn) -> int:
    return conn.execute("SELECT count(*) FROM sms_inbound").fetchone()[0]


def test_valid_signature_is_answered_in_twiml(hooks, conn):
    response = post(hooks, "/sms/inbound", text_from(body="도움말"))
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert "1588-0000" in reply_of(response) and "수신거부" in reply_of(response)
    row = conn.execute("SELECT from_number, body, handled_by FROM sms_inbound").fetchone()
    assert tuple(row) == (PHONE, "도움말", "help")


@pytest.mark.parametrize("case", ["wrong token", "wrong url", "missing header", "tampered body",
                                  "query left out"])
def test_unsigned_or_mis_signed_requests_change_nothing(hooks, conn, case):
    form = text_from(body="STOP")
    if case == "wrong token":
        response = post(hooks, "/sms/inbound", form, token="someone-else")
    elif case == "wrong url":
        response = post(hooks, "/sms/inbound", form, signed_url="http://127.0.0.1:5000/sms/inbound")
    elif case == "missing header":
        response = post(hooks, "/sms/inbound", form, signature="")
    elif case == "tampered body":
        response = hooks.post("/sms/inbound", data={**form, "Body": "START"},
                              headers={"X-Twilio-Signature": sign(BASE + "/sms/inbound", form)})
    else:
        response = post(hooks, "/sms/inbound?attempt=2", form, signed_url=BASE + "/sms/inbound")
    assert response.status_code == 403
    assert stored(conn) == 0 and not optout.is_opted_out(conn, PHONE)


def test_the_query_string_is_part_of_what_is_signed(hooks, conn):
    response = post(hooks, "/sms/inbound?center=suwon", text_from(), signed_url=BASE + "/sms/inbound?center=suwon")
    assert response.status_code == 200 and stored(conn) == 1


def test_without_an_auth_token_nothing_is_accepted(client, conn):
    assert post(client, "/sms/inbound", text_from()).status_code == 403
    assert stored(conn) == 0


def test_a_repeated_message_sid_is_handled_once(hooks, conn, clock):
    first = post(hooks, "/sms/inbound", text_from(body="수신거부", sid="SMrepeat"))
    with db.transaction(conn):
        optout.opt_in(conn, PHONE, clock.now(), "console")
    again = post(hooks, "/sms/inbound", text_from(body="수신거부", sid="SMrepeat"))
    assert "시작" in reply_of(first)
    assert reply_of(again) == reply_of(first), "a retry gets the answer the first try got"
    assert stored(conn) == 1 and not optout.is_opted_out(conn, PHONE), "but is not acted on again"


def test_a_retry_of_an_unanswered_text_stays_unanswered(hooks, conn):
    for i in range(7):  # six answers, then the one notice that answers pause
        post(hooks, "/sms/inbound", text_from(body="Auto-reply: I am away", sid=f"SMaway{i}"))
    limited = text_from(body="Auto-reply: I am away", sid="SMaway7")
    assert reply_of(post(hooks, "/sms/inbound", limited)) == ""
    assert reply_of(post(hooks, "/sms/inbound", limited)) == ""
    rows = conn.execute("SELECT handled_by, reply FROM sms_inbound WHERE message_sid = 'SMaway7'").fetchall()
    assert [tuple(row) for row in rows] == [("fallback:rate_limited", None)]


def test_stop_and_start_end_to_end(hooks, conn, clock):
    with db.transaction(conn):
        outbox.enqueue(conn, to=PHONE, body="알림", kind="alert", dedupe_key="alert:1", now=clock.now())
    answer = reply_of(post(hooks, "/sms/inbound", text_from(body=" 수신 거부. ", sid="SM1")))
    assert "수신거부 처리" in answer and "'시작'" in answer
    assert optout.is_opted_out(conn, PHONE)
    assert outbox.get(conn, 1)["status"] == "cancelled"
    assert reply_of(post(hooks, "/sms/inbound", text_from(body="안녕하세요", sid="SM2"))) == ""
    assert optout.is_opted_out(conn, PHONE), "only START re-subscribes"
    assert "다시 시작" in reply_of(post(hooks, "/sms/inbound", text_from(body="시작", sid="SM3")))
    assert not optout.is_opted_out(conn, PHONE)


def test_cancel_is_not_an_opt_out(hooks, conn):
    for n, body in enumerate(["CANCEL", "취소"]):
        answer = reply_of(post(hooks, "/sms/inbound", text_from(body=body, sid=f"SMc{n}")))
        assert "도움" in answer
    assert not optout.is_opted_out(conn, PHONE)


def test_replies_use_the_seekers_language(hooks, conn, clock):
    with db.transaction(conn):
        conn.execute("INSERT INTO seekers (phone, language, registered_at, last_active_at) VALUES (?, 'en', ?, ?)",
                     (PHONE, "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"))
    assert reply_of(post(hooks, "/sms/inbound", text_from(body="ＳＴＯＰ!", sid="SMen"))).startswith(
        "[JobStop] You will get no more texts")
    unknown = reply_of(post(hooks, "/sms/inbound", text_from(phone="+821055556666", body="hello", sid="SMko")))
    assert unknown.startswith("[잡스탑]")


def test_help_names_the_seekers_own_center_else_the_configured_one(hooks, conn, app):
    center = conn.execute("SELECT id, name, phone FROM centers ORDER BY id LIMIT 1").fetchone()
    with db.transaction(conn):
        conn.execute("INSERT INTO seekers (phone, language, center_id, registered_at, last_active_at)"
                     " VALUES (?, 'ko', ?, ?, ?)", (PHONE, center["id"], *["2026-11-01T00:00:00Z"] * 2))
    own = reply_of(post(hooks, "/sms/inbound", text_from(body="도움", sid="SMh1")))
    assert own.startswith(f"[잡스탑] {center['name']} {center['phone']}\n")
    other = reply_of(post(hooks, "/sms/inbound", text_from(phone="+821055556666", body="도움", sid="SMh2")))
    assert other.startswith(f"[잡스탑] {app.config['CENTER_NAME']} {app.config['CENTER_PHONE']}\n")
    assert center["phone"] != app.config["CENTER_PHONE"]


def test_auto_replies_to_one_number_are_limited(hooks, conn):
    answers = [reply_of(post(hooks, "/sms/inbound", text_from(body="Auto-reply: I am away", sid=f"SMloop{i}")))
               for i in range(8)]
    assert all(answers[:6]) and "자동 답장을 멈춥니다" in answers[6] and answers[7] == ""
    assert stored(conn) == 8
    other = post(hooks, "/sms/inbound", text_from(phone="+821055556666", body="?", sid="SMother"))
    assert reply_of(other) != ""


def test_an_opt_out_is_confirmed_even_at_the_auto_reply_limit(hooks, conn):
    for i in range(6):
        assert reply_of(post(hooks, "/sms/inbound", text_from(body="운전 중입니다", sid=f"SMcar{i}")))
    assert "멈춥니다" in reply_of(post(hooks, "/sms/inbound", text_from(body="운전 중입니다", sid="SMcar6")))
    confirmation = reply_of(post(hooks, "/sms/inbound", text_from(body="수신거부", sid="SMstop")))
    assert "수신거부 처리" in confirmation and optout.is_opted_out(conn, PHONE)
    # confirmed once: an auto-responder repeating STOP does not get a confirmation each time
    assert reply_of(post(hooks, "/sms/inbound", text_from(body="STOP", sid="SMstop2"))) == ""


def test_only_the_whole_text_start_opts_back_in(hooks, conn, clock):
    with db.transaction(conn):
        optout.opt_out(conn, PHONE, clock.now(), "keyword")
    for n, body in enumerate(["시작 시간이 언제예요?", "start please", "시작했어요"]):
        assert reply_of(post(hooks, "/sms/inbound", text_from(body=body, sid=f"SMq{n}"))) == ""
        assert optout.is_opted_out(conn, PHONE), body
    assert "다시 시작" in reply_of(post(hooks, "/sms/inbound", text_from(body="START!", sid="SMgo")))
    assert not optout.is_opted_out(conn, PHONE)


@pytest.mark.parametrize("body", ["수신거부(무료)", "STOP.Thanks", "그만ㅠㅠ", "보내지 마세요", "문자 수신 거부"])
def test_opt_out_variants_through_the_webhook(hooks, conn, body):
    assert "수신거부 처리" in reply_of(post(hooks, "/sms/inbound", text_from(body=body)))
    assert optout.is_opted_out(conn, PHONE)


def test_rejected_signatures_are_logged_with_the_path_only(hooks, conn, caplog):
    with caplog.at_level(logging.WARNING, logger="sms.inbound.webhooks"):
        forged = post(hooks, "/sms/inbound?center=suwon", text_from(body="비밀 내용"), token="forged")
        unsigned = post(hooks, "/sms/status", {"MessageSid": "SMx", "MessageStatus": "failed", "To": PHONE},
                        signature="")
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert conn.execute("SELECT (SELECT count(*) FROM sms_inbound) + (SELECT count(*) FROM sms_early_statuses)"
                        ).fetchone()[0] == 0, "a rejected request changes nothing"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "rejected a request to /sms/inbound: no valid Twilio signature",
        "rejected a request to /sms/status: no valid Twilio signature"]
    assert "1012345678" not in caplog.text and "비밀" not in caplog.text and "suwon" not in caplog.text


def test_long_text_starting_with_a_keyword(hooks, conn):
    post(hooks, "/sms/inbound", text_from(body="그만 보내주세요 감사합니다", sid="SMlong"))
    assert optout.is_opted_out(conn, PHONE)


def sent_message(conn, clock, sid: str = "SMdelivery") -> int:
    with db.transaction(conn):
        queued = outbox.enqueue(conn, to=PHONE, body="x", kind="transactional", dedupe_key=sid, now=clock.now())
        conn.execute("UPDATE sms_messages SET status = 'sending' WHERE id = ?", (queued.id,))
        delivery.record_accepted(conn, queued.id, clock.now(), sid=sid, transport="twilio")
    return queued.id


def callback(client, sid: str, status: str, **extra):
    return post(client, "/sms/status", {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1", **extra})


def test_status_never_moves_backwards(hooks, conn, clock):
    message_id = sent_message(conn, clock)
    for reported in ("delivered", "sent", "queued", "sending", "undelivered"):
        assert callback(hooks, "SMdelivery", reported).status_code == 200
    row = outbox.get(conn, message_id)
    assert (row["status"], row["delivered_at"]) == ("delivered", "2026-11-23T01:00:00Z")


def test_status_moves_forward_and_keeps_the_error_code(hooks, conn, clock):
    message_id = sent_message(conn, clock)
    callback(hooks, "SMdelivery", "queued")
    assert outbox.get(conn, message_id)["status"] == "sent"
    callback(hooks, "SMdelivery", "undelivered", ErrorCode="30003")
    row = outbox.get(conn, message_id)
    assert (row["status"], row["error_code"], row["delivered_at"]) == ("undelivered", 30003, None)


def test_a_late_unsubscribed_report_opts_the_number_out(hooks, conn, clock):
    message_id = sent_message(conn, clock)
    callback(hooks, "SMdelivery", "failed", ErrorCode="21610")
    assert outbox.get(conn, message_id)["status"] == "failed"
    assert optout.is_opted_out(conn, PHONE)


def test_an_unsubscribed_report_that_is_not_forward_still_opts_the_number_out(hooks, conn, clock):
    message_id = sent_message(conn, clock)
    callback(hooks, "SMdelivery", "delivered")
    callback(hooks, "SMdelivery", "undelivered", ErrorCode="21610")  # final already: ignored
    assert outbox.get(conn, message_id)["status"] == "delivered"
    assert optout.is_opted_out(conn, PHONE)


def test_unknown_sid_is_answered_and_logged_without_numbers(hooks, caplog):
    with caplog.at_level(logging.WARNING, logger="sms.inbound.webhooks"):
        response = callback(hooks, "SMnobody", "delivered", To=PHONE)
    assert response.status_code == 200
    assert "SMnobody" in caplog.text and "1012345678" not in caplog.text


def test_unsigned_status_changes_nothing(hooks, conn, clock):
    message_id = sent_message(conn, clock)
    form = {"MessageSid": "SMdelivery", "MessageStatus": "failed"}
    assert post(hooks, "/sms/status", form, token="forged").status_code == 403
    assert outbox.get(conn, message_id)["status"] == "sent"


forms = st.dictionaries(st.text(min_size=1, max_size=12), st.text(max_size=200), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=forms, body=st.text(max_size=400), sid=st.text(max_size=40), sender=st.text(max_size=20))
def test_no_signed_form_crashes_the_webhooks(hooks, form, body, sid, sender):
    inbound_form = {**form, "Body": body, "MessageSid": sid, "From": sender}
    assert post(hooks, "/sms/inbound", inbound_form).status_code == (200 if sid and sender else 400)
    status_form = {**form, "MessageSid": sid, "MessageStatus": body[:20], "ErrorCode": sender}
    assert post(hooks, "/sms/status", status_form).status_code == (200 if sid and body[:20] else 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300),
       signature=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30))
def test_no_raw_body_crashes_the_webhook(hooks, raw, signature):
    response = hooks.post("/sms/inbound", data=raw, content_type="application/x-www-form-urlencoded",
                          headers={"X-Twilio-Signature": signature or "x"})
    assert response.status_code == 403  # no signature over an unparsed body is valid


def test_old_inbound_texts_are_purged(hooks, conn, clock, runner):
    post(hooks, "/sms/inbound", text_from(sid="SMold"))
    clock.advance(days=100)
    post(hooks, "/sms/inbound", text_from(sid="SMnew"))
    result = runner.invoke(args=["sms", "purge-inbound", "--days", "90"])
    assert result.exit_code == 0 and "Deleted 1" in result.output
    assert [r[0] for r in conn.execute("SELECT message_sid FROM sms_inbound")] == ["SMnew"]
