"""A paced account (a rate set) through the real twilio client: its event loop gets the next
half second of messages at once and sends each at its turn. Every message still goes once,
a pause the provider asks for holds the ones already handed over, and answers that come back
together are recorded together, a repeated SID included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from twilio_peer import Reply

from kiosk.core import db
from scheduler.dispatch import dispatch_due
from sms.outbound import outbox

PHONE = "+821012345678"


@pytest.fixture
def twilio_settings() -> dict:
    return {"SMS_RATE_PER_SECOND": 40, "SMS_SENDERS": 4, "SMS_MAX_ATTEMPTS": 3, "SMS_HTTP_TIMEOUT": 2.0}


def add(conn, key: str, now, to: str) -> None:
    with db.transaction(conn):
        outbox.enqueue(conn, to=to, body=f"예약이 확인되었습니다 {key}", kind="transactional", dedupe_key=key, now=now)


def numbers(count: int) -> list[str]:
    return [f"+82101000{i:04d}" for i in range(count)]


def test_every_paced_message_goes_once_with_its_sid(twilio_app, conn, clock, peer):
    peer.delay = 0.05
    for i, to in enumerate(numbers(30)):
        add(conn, f"k{i}", clock.now(), to)
    counts = dispatch_due(twilio_app, clock.now())
    assert counts["claimed"] == counts["sent"] == 30
    assert sorted(r.to for r in peer.received) == numbers(30)  # each once
    rows = conn.execute("SELECT status, twilio_sid, attempts FROM sms_messages").fetchall()
    assert {r["status"] for r in rows} == {"sent"} and {r["attempts"] for r in rows} == {1}
    assert {r["twilio_sid"] for r in rows} == {r.sid for r in peer.received}


def test_a_retry_after_holds_what_the_loop_was_given_but_had_not_sent(twilio_app, conn, clock, peer):
    peer.delay = 0.02
    peer.script(PHONE, Reply(429, 20429, "Too Many Requests", retry_after="600"))
    add(conn, "first", clock.now(), PHONE)
    for i, to in enumerate(numbers(30)):
        add(conn, f"k{i}", clock.now(), to)
    twilio_app.config["SMS_RATE_PER_SECOND"] = 10  # a turn of the loop every 0.1 s, the answer in 0.02 s
    counts = dispatch_due(twilio_app, clock.now())
    # the loop was handed the next half second (5 messages) at once; the 429 held those not yet sent
    assert len(peer.received) <= 3
    assert counts["put_back"] == counts["claimed"] - len(peer.received)
    waiting = conn.execute("SELECT count(*) FROM sms_messages WHERE status = 'queued' AND attempts = 0"
                           " AND lease_token IS NULL").fetchone()[0]
    assert waiting == 31 - len(peer.received)  # the attempts of those put back undone
    clock.advance(seconds=601)
    dispatch_due(twilio_app, clock.now())
    assert sorted(r.to for r in peer.accepted()) == sorted([PHONE, *numbers(30)])


def test_answers_recorded_together_keep_a_repeated_sid_to_one_message(twilio_app, conn, clock, peer, caplog):
    peer.delay = 0.05
    for i, to in enumerate(numbers(10)):
        add(conn, f"k{i}", clock.now(), to)
        peer.script(to, Reply(sid="SM" + "7" * 32) if i in (3, 4) else Reply())
    counts = dispatch_due(twilio_app, clock.now())
    assert counts["sent"] == 10 and counts["sid_not_stored"] == 1
    assert len(peer.received) == 10  # nothing sent twice
    statuses = conn.execute("SELECT status, count(*) FROM sms_messages GROUP BY status").fetchall()
    assert dict(statuses) == {"sent": 10}
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE twilio_sid = ?", ("SM" + "7" * 32,)).fetchone()[0] == 1


def test_a_message_that_would_be_past_its_validity_at_its_turn_is_expired_not_sent(twilio_app, conn, clock, peer):
    twilio_app.config["SMS_RATE_PER_SECOND"] = 10  # the fifth message's turn is 0.4 s after the first's
    for i, to in enumerate(numbers(5)):
        with db.transaction(conn):
            outbox.enqueue(conn, to=to, body=f"인증번호 {i}", kind="otp", dedupe_key=f"otp:{i}", now=clock.now(),
                           valid_until=clock.now() + timedelta(seconds=0.25) if i == 4 else None)
    counts = dispatch_due(twilio_app, clock.now())  # the clock stands still: only the turn's instant passes it
    assert counts["sent"] == 4 and counts["expired"] == 1
    assert sorted(r.to for r in peer.received) == numbers(4)
    expired = conn.execute("SELECT to_number, reason FROM sms_messages WHERE status = 'expired'").fetchall()
    assert [tuple(r) for r in expired] == [(numbers(5)[4], "expired")]
