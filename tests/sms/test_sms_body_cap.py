"""An inbound text is at most 1,600 characters (Twilio's limit): a longer signed body is refused
whole and stored nowhere; the signature is still checked first."""

from __future__ import annotations

from sms.inbound.webhooks import MAX_BODY
from sms.outbound import optout
from tests.sms.test_sms_webhooks import PHONE, TOKEN, hooks, post, text_from  # noqa: F401  (hooks: fixture)


def send(client, body: str, sid: str = "SM1", token: str = TOKEN):
    return post(client, "/sms/inbound", text_from(body=body, sid=sid), token=token)


def stored(conn) -> int:
    return conn.execute("SELECT count(*) FROM sms_inbound").fetchone()[0]


def test_the_limit_is_twilio_s():
    assert MAX_BODY == 1600


def test_a_text_of_exactly_1600_characters_is_received(hooks, conn):  # noqa: F811
    body = "가" * MAX_BODY
    response = send(hooks, body)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert conn.execute("SELECT body FROM sms_inbound").fetchone()["body"] == body


def test_a_longer_signed_body_is_refused_clearly_and_stored_nowhere(hooks, conn):  # noqa: F811
    response = send(hooks, "STOP " + "가" * MAX_BODY)
    assert response.status_code == 413
    assert "보내신 내용이 너무 깁니다" in response.get_data(as_text=True)
    assert stored(conn) == 0 and not optout.is_opted_out(conn, PHONE)


def test_a_long_body_is_not_counted_for_a_later_real_text(hooks, conn):  # noqa: F811
    send(hooks, "가" * (MAX_BODY + 1), sid="SM1")
    response = send(hooks, "STOP", sid="SM1")  # the same SID sent properly is a new text, not a retry
    assert response.status_code == 200 and optout.is_opted_out(conn, PHONE)


def test_an_unsigned_long_body_is_still_a_403(hooks, conn):  # noqa: F811
    response = send(hooks, "가" * (MAX_BODY + 1), token="someone-else")
    assert response.status_code == 403 and stored(conn) == 0


def test_the_refusal_is_logged_without_the_number_or_the_body(hooks, caplog):  # noqa: F811
    send(hooks, "비밀" * MAX_BODY)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "SM1" in logged and PHONE not in logged and "비밀" not in logged and "12345678" not in logged
