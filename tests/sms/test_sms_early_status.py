"""Status callbacks that arrive before the dispatcher stored the SID are kept and applied then."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from twilio.request_validator import RequestValidator

from kiosk.core import db
from scheduler import retention
from sms.outbound import delivery, optout, outbox
from sms.outbound.dispatch import Dispatcher
from sms.outbound.pacing import Settings
from sms.outbound.transports import Outgoing, SendResult

TOKEN = "hook-auth-token"
BASE = "https://jobstop.example.kr"
PHONE = "+821012345678"


def callback(client, sid: str, status: str, code: str = "") -> int:
    """Twilio's signed status callback, as /sms/status receives it."""
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1", "To": PHONE}
    if code:
        form["ErrorCode"] = code
    signature = RequestValidator(TOKEN).compute_signature(BASE + "/sms/status", form)
    return client.post("/sms/status", data=form, headers={"X-Twilio-Signature": signature}).status_code


class CallsBackFirst:
    """Twilio at its quickest: the status callbacks reach us before the API's own answer."""

    name = "twilio"

    def __init__(self, client, *statuses: tuple[str, str]) -> None:
        self.client, self.statuses, self.sids = client, statuses, []

    def send(self, message: Outgoing) -> SendResult:
        sid = "SM" + uuid.uuid4().hex
        for status, code in self.statuses:
            assert callback(self.client, sid, status, code) == 200
        self.sids.append(sid)
        return SendResult("accepted", sid=sid, status="queued")


@pytest.fixture
def hooks(app):
    app.config["TWILIO_AUTH_TOKEN"] = TOKEN
    return app.test_client()


def enqueue(conn, clock, key: str = "remind:1", send_at=None):
    with db.transaction(conn):
        return outbox.enqueue(conn, to=PHONE, body="내일 상담 예약이 있습니다", kind="transactional",
                              dedupe_key=key, now=clock.now(), send_at=send_at)


def dispatch(conn, clock, transport) -> dict[str, int]:
    return Dispatcher(conn, transport, Settings(rate=0, senders=1), clock).run(clock.now(), 10)


def test_an_undelivered_callback_before_the_sid_is_not_lost(hooks, conn, clock):
    message = enqueue(conn, clock)
    transport = CallsBackFirst(hooks, ("sent", ""), ("undelivered", "30008"))
    assert dispatch(conn, clock, transport)["sent"] == 1
    row = outbox.get(conn, message.id)
    assert (row["twilio_sid"], row["status"], row["error_code"]) == (transport.sids[0], "undelivered", 30008)
    assert conn.execute("SELECT count(*) FROM sms_early_statuses").fetchone()[0] == 0


def test_the_furthest_forward_early_status_wins_whatever_the_order(hooks, conn, clock):
    message = enqueue(conn, clock)
    dispatch(conn, clock, CallsBackFirst(hooks, ("delivered", ""), ("sent", "")))
    row = outbox.get(conn, message.id)
    assert (row["status"], row["delivered_at"]) == ("delivered", row["updated_at"])


def test_an_early_21610_opts_the_number_out(hooks, conn, clock):
    message = enqueue(conn, clock)
    later = enqueue(conn, clock, "remind:2", send_at=clock.now() + timedelta(hours=1))
    dispatch(conn, clock, CallsBackFirst(hooks, ("failed", "21610")))
    row = outbox.get(conn, message.id)
    assert (row["status"], row["error_code"]) == ("failed", 21610)
    assert optout.is_opted_out(conn, PHONE)
    assert outbox.get(conn, later.id)["status"] == "cancelled"


def test_a_callback_after_the_sid_is_applied_at_once_and_not_kept(hooks, conn, clock):
    message = enqueue(conn, clock)
    transport = CallsBackFirst(hooks)
    dispatch(conn, clock, transport)
    assert callback(hooks, transport.sids[0], "delivered") == 200
    assert outbox.get(conn, message.id)["status"] == "delivered"
    assert conn.execute("SELECT count(*) FROM sms_early_statuses").fetchone()[0] == 0


def test_unclaimed_early_callbacks_are_purged_after_a_day(app, hooks, conn, clock):
    assert callback(hooks, "SMnobody", "delivered") == 200
    assert callback(hooks, "SMnobody", "queued") == 200  # not a status we act on: not kept
    assert [tuple(r) for r in conn.execute("SELECT sid, status FROM sms_early_statuses")] == [("SMnobody", "delivered")]
    clock.advance(hours=23)
    assert retention.run(app)["early_statuses"] == 0
    clock.advance(hours=2)
    assert retention.run(app)["early_statuses"] == 1
    assert conn.execute("SELECT count(*) FROM sms_early_statuses").fetchone()[0] == 0
    with db.transaction(conn):
        delivery.apply_status(conn, "SMx", "failed", clock.now(), 30003)
        assert delivery.purge_early_statuses(conn, clock.now() + timedelta(seconds=1)) == 1
