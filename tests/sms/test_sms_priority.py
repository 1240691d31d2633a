"""Claiming by class: a code or a reminder due now goes before a digest run due earlier."""

from __future__ import annotations

from datetime import timedelta

from kiosk.core import db
from scheduler.dispatch import dispatch_due
from sms.outbound import outbox

PHONE = "+821012345678"
ALERTS = 5000


def alerts(conn, now, count: int = ALERTS) -> None:
    """A digest run: `count` alerts, all due at `now` (10:00 in Seoul: inside the window)."""
    with db.transaction(conn):
        outbox.enqueue_many(conn, ({"to": f"+8210{20_000_000 + n}", "body": f"새 일자리 {n}", "kind": "alert",
                                    "dedupe_key": f"digest:{n}"} for n in range(count)), now=now)


def add(conn, key: str, kind: str, now):
    with db.transaction(conn):
        return outbox.enqueue(conn, to=PHONE, body="인증번호 123456", kind=kind, dedupe_key=key, now=now)


def claim(conn, now, limit: int):
    with db.transaction(conn):
        return outbox.claim_due(conn, now, limit, token="t", lease_until=now + timedelta(minutes=5))


def test_a_code_due_later_is_claimed_before_thousands_of_alerts(conn, clock):
    alerts(conn, clock.now())
    clock.advance(minutes=5)
    code = add(conn, "otp:1", "otp", clock.now())
    first = claim(conn, clock.now(), 20)
    assert first[0]["id"] == code.id
    assert [row["kind"] for row in first[1:]] == ["alert"] * 19


def test_classes_go_in_order_and_share_the_limit(conn, clock):
    alerts(conn, clock.now(), 30)
    clock.advance(minutes=1)
    reminder = add(conn, "remind:1", "transactional", clock.now())
    clock.advance(minutes=1)
    code = add(conn, "otp:1", "otp", clock.now())
    first = claim(conn, clock.now(), 3)
    assert [row["id"] for row in first[:2]] == [code.id, reminder.id]
    assert first[2]["kind"] == "alert" and len(first) == 3
    rest = claim(conn, clock.now(), 100)
    assert len(rest) == 29 and {row["kind"] for row in rest} == {"alert"}
    # within a class, oldest due first
    assert [row["id"] for row in rest] == sorted(row["id"] for row in rest)


def test_a_code_not_yet_due_waits(conn, clock):
    alerts(conn, clock.now(), 5)
    with db.transaction(conn):
        outbox.enqueue(conn, to=PHONE, body="x", kind="otp", dedupe_key="otp:later", now=clock.now(),
                       send_at=clock.now() + timedelta(minutes=1))
    assert {row["kind"] for row in claim(conn, clock.now(), 10)} == {"alert"}


def test_a_dispatch_pass_sends_the_code_first(app, conn, clock):
    alerts(conn, clock.now(), 2000)
    clock.advance(minutes=5)
    code = add(conn, "otp:1", "otp", clock.now())
    counts = dispatch_due(app, clock.now(), limit=10)
    assert counts["delivered"] == 10
    assert outbox.get(conn, code.id)["status"] == "delivered"
