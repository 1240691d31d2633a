"""dispatch_due with the real twilio client against the loopback peer: outcomes, retries, leases."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

import pytest
from twilio_peer import Reply

from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import iso, parse_iso
from scheduler.dispatch import dispatch_due
from sms.outbound import optout, outbox
from sms.outbound.dispatch import Dispatcher
from sms.outbound.pacing import RATE_LIMIT_PAUSE_SECONDS, Settings, backoff, pause_for
from sms.outbound.transports import Outgoing, SendResult

PHONE = "+821012345678"
OTHER = "+821098765432"


@pytest.fixture
def twilio_settings() -> dict:
    return {"SMS_SENDERS": 4, "SMS_MAX_ATTEMPTS": 3, "SMS_HTTP_TIMEOUT": 2.0}


def add(conn, key: str, now, to: str = PHONE, kind: str = "transactional", body: str = "예약이 확인되었습니다"):
    with db.transaction(conn):
        return outbox.enqueue(conn, to=to, body=body, kind=kind, dedupe_key=key, now=now)


def row(conn, key: str):
    return conn.execute("SELECT * FROM sms_messages WHERE dedupe_key = ?", (key,)).fetchone()


def test_accepted_messages_store_the_sid(twilio_app, conn, clock, peer):
    add(conn, "a", clock.now())
    add(conn, "b", clock.now(), to=OTHER)
    counts = dispatch_due(twilio_app, clock.now())
    assert (counts["claimed"], counts["sent"]) == (2, 2)
    sids = {r.sid for r in peer.accepted()}
    stored = {row(conn, k)["twilio_sid"] for k in "ab"}
    assert stored == sids and len(sids) == 2
    assert row(conn, "a")["status"] == "sent" and row(conn, "a")["transport"] == "twilio"
    assert row(conn, "a")["sent_at"] == iso(clock.now()) and row(conn, "a")["attempts"] == 1
    assert dispatch_due(twilio_app, clock.now()) == {"recovered": 0, "expired": 0, "released": 0}
    assert len(peer.received) == 2


def test_permanent_error_fails_at_once(twilio_app, conn, clock, peer):
    peer.script(PHONE, Reply(400, 21614, "'To' number is not a valid mobile number"))
    add(conn, "a", clock.now())
    assert dispatch_due(twilio_app, clock.now())["failed"] == 1
    failed = row(conn, "a")
    assert (failed["status"], failed["error_code"], failed["attempts"]) == ("failed", 21614, 1)
    assert "not a valid mobile" in failed["error_text"]


def test_unsubscribed_fails_and_opts_the_number_out(twilio_app, conn, clock, peer):
    peer.script(PHONE, Reply(400, 21610, "Attempt to send to unsubscribed recipient"))
    add(conn, "a", clock.now())
    later = add(conn, "later", clock.now() + timedelta(hours=1))
    with db.transaction(conn):
        conn.execute("UPDATE sms_messages SET next_attempt_at = ? WHERE id = ?",
                     (iso(clock.now() + timedelta(hours=1)), later.id))
    assert dispatch_due(twilio_app, clock.now())["opted_out"] == 1
    assert (row(conn, "a")["status"], row(conn, "a")["reason"]) == ("failed", "opted_out")
    assert optout.is_opted_out(conn, PHONE)
    assert row(conn, "later")["status"] == "cancelled"
    assert add(conn, "next", clock.now()).reason == "opted_out"


def test_429_waits_at_least_retry_after_then_sends(twilio_app, conn, clock, peer):
    peer.script(PHONE, Reply(429, 20429, "Too Many Requests", retry_after="600"))
    add(conn, "a", clock.now())
    assert dispatch_due(twilio_app, clock.now())["retried"] == 1
    waiting = row(conn, "a")
    assert waiting["status"] == "queued" and waiting["error_code"] == 20429
    assert parse_iso(waiting["next_attempt_at"]) >= clock.now() + timedelta(seconds=600)
    clock.advance(seconds=599)
    assert "claimed" not in dispatch_due(twilio_app, clock.now())
    clock.set(waiting["next_attempt_at"])
    assert dispatch_due(twilio_app, clock.now())["sent"] == 1
    sent = row(conn, "a")
    assert (sent["status"], sent["attempts"], sent["error_code"]) == ("sent", 2, None)


def test_transient_errors_retry_up_to_the_maximum_then_fail(twilio_app, conn, clock, peer):
    peer.script(PHONE, Reply(503, None, raw="<html>down</html>"), Reply(500, 20500, "oops"),
                Reply(502, None, raw="bad gateway"))
    add(conn, "a", clock.now())
    outcomes = []
    for _ in range(3):
        counts = dispatch_due(twilio_app, clock.now())
        outcomes.append(next(k for k in ("retried", "failed") if k in counts))
        clock.set(row(conn, "a")["next_attempt_at"])
    assert outcomes == ["retried", "retried", "failed"]
    assert (row(conn, "a")["status"], row(conn, "a")["attempts"], row(conn, "a")["error_code"]) == ("failed", 3, 502)
    assert len(peer.received) == 3


def test_backoff_grows_with_jitter_and_honours_retry_after():
    delays = [backoff(n, None) for n in (1, 2, 3, 4)]
    assert 15 <= delays[0] <= 45 and 120 <= delays[3] <= 360
    assert backoff(1, 900) >= 900
    assert backoff(40, None) <= 5400


def test_which_answers_pause_every_sender():
    assert pause_for(SendResult("retry", error_code=20429, retry_after=17.0)) == 17.0
    assert pause_for(SendResult("retry", error_code=503, retry_after=2.0)) == 2.0  # a 503 asking us to wait
    assert pause_for(SendResult("retry", error_code=21611)) == RATE_LIMIT_PAUSE_SECONDS  # sender queue full
    assert pause_for(SendResult("retry", error_code=20429)) == RATE_LIMIT_PAUSE_SECONDS
    assert pause_for(SendResult("retry", error_code=429)) == RATE_LIMIT_PAUSE_SECONDS
    assert pause_for(SendResult("retry", error_code=503)) == 0.0  # one message's trouble: its own backoff
    assert pause_for(SendResult("failed", error_code=21614)) == 0.0


def test_two_dispatchers_never_send_the_same_row(twilio_app, conn, clock, peer):
    peer.delay = 0.01
    for i in range(60):
        add(conn, f"k{i}", clock.now(), to=f"+82101000{i:04d}")
    results = []
    passes = [threading.Thread(target=lambda: results.append(dispatch_due(twilio_app, clock.now())))
              for _ in range(2)]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join()
    assert sum(r.get("sent", 0) for r in results) == 60
    assert sorted(r.to for r in peer.received) == sorted(f"+82101000{i:04d}" for i in range(60))
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE status = 'sent'").fetchone()[0] == 60


def claim_and_abandon(conn, now, lease_minutes: int = 5):
    """A dispatcher that claimed rows and died before recording anything."""
    with db.transaction(conn):
        return outbox.claim_due(conn, now, 10, token="dead", lease_until=now + timedelta(minutes=lease_minutes))


def test_a_stale_lease_with_a_stored_sid_is_never_sent_again(twilio_app, conn, clock, peer):
    add(conn, "a", clock.now())
    add(conn, "b", clock.now(), to=OTHER)
    claim_and_abandon(conn, clock.now())
    with db.transaction(conn):  # Twilio accepted "a" and its SID was stored; then the process died
        conn.execute("UPDATE sms_messages SET twilio_sid = 'SMaccepted' WHERE dedupe_key = 'a'")
    assert "claimed" not in dispatch_due(twilio_app, clock.now())  # leases still valid: hands off
    clock.advance(minutes=6)
    counts = dispatch_due(twilio_app, clock.now())
    assert (counts["recovered"], counts["sent"]) == (2, 1)
    assert row(conn, "a")["status"] == "sent" and row(conn, "a")["twilio_sid"] == "SMaccepted"
    assert [r.to for r in peer.received] == [OTHER]


def test_a_row_that_keeps_killing_dispatchers_ends_failed(twilio_app, conn, clock):
    add(conn, "a", clock.now())
    for _ in range(3):
        claim_and_abandon(conn, clock.now())
        clock.advance(minutes=6)
        dispatch_due(twilio_app, clock.now(), limit=0)
    assert row(conn, "a")["status"] == "failed"
    assert row(conn, "a")["error_text"] == "dispatcher stopped while sending"


def test_dispatch_command_runs_one_pass(twilio_app, conn, clock, peer):
    add(conn, "a", clock.now())
    result = twilio_app.test_cli_runner().invoke(main, args=["sms", "dispatch", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent=1" in result.output
    assert len(peer.accepted()) == 1


def test_development_transport_marks_delivered_without_network(app, conn, clock):
    add(conn, "a", clock.now())
    assert dispatch_due(app, clock.now())["delivered"] == 1
    delivered = row(conn, "a")
    assert (delivered["status"], delivered["transport"]) == ("delivered", "dev")
    assert delivered["twilio_sid"].startswith("DEV") and delivered["delivered_at"] == iso(clock.now())


def test_a_long_retry_after_holds_every_sender_until_it_has_passed(twilio_app, conn, clock, peer):
    peer.delay = 0.02
    peer.script(PHONE, Reply(429, 20429, "Too Many Requests", retry_after="600"))
    add(conn, "first", clock.now())
    others = [f"+82101000{i:04d}" for i in range(30)]
    for i, to in enumerate(others):
        add(conn, f"k{i}", clock.now(), to=to)
    counts = dispatch_due(twilio_app, clock.now())
    # only what was in flight when the 429 came back went out (at most 2 x 4 senders, plus a few)
    assert len(peer.received) <= 12 and counts["put_back"] == 31 - len(peer.received)
    put_back = conn.execute("SELECT count(*) FROM sms_messages WHERE status = 'queued' AND attempts = 0"
                            " AND lease_token IS NULL").fetchone()[0]
    assert put_back == counts["put_back"]
    clock.advance(seconds=10)
    assert "claimed" not in dispatch_due(twilio_app, clock.now())  # the next pass waits too
    assert len(peer.received) == 31 - counts["put_back"]
    clock.advance(seconds=600)
    dispatch_due(twilio_app, clock.now())
    assert sorted(r.to for r in peer.accepted()) == sorted([PHONE, *others])
    assert row(conn, "first")["status"] == "sent"


def test_a_short_retry_after_is_waited_out_within_the_pass(twilio_app, conn, clock, peer):
    peer.script(PHONE, Reply(429, 20429, "Too Many Requests", retry_after="1"))
    add(conn, "first", clock.now())
    for i in range(30):
        add(conn, f"k{i}", clock.now(), to=f"+82101000{i:04d}")
    counts = dispatch_due(twilio_app, clock.now())
    assert counts["sent"] == 30 and counts["retried"] == 1
    limited = next(r for r in peer.received if r.answered == 429)
    after = [r for r in peer.received if r.at >= limited.at + 0.95]
    assert len(after) >= 30 - 12  # all but those already in flight waited the second out


def test_a_stop_while_a_message_was_being_sent_cancels_its_next_try(twilio_app, conn, clock, peer):
    add(conn, "a", clock.now())
    claim_and_abandon(conn, clock.now())
    with db.transaction(conn):  # a STOP cancels queued and held rows; this one was 'sending'
        optout.opt_out(conn, PHONE, clock.now(), "keyword")
    clock.advance(minutes=6)
    counts = dispatch_due(twilio_app, clock.now())
    assert (counts["recovered"], counts["cancelled"]) == (1, 1)
    assert (row(conn, "a")["status"], row(conn, "a")["reason"]) == ("cancelled", "opted_out")
    assert peer.received == []


class StopArrivesDuringTheChunk:
    """Sending the first message, a STOP from another number is committed (as the webhook would)."""

    name = "edge"

    def __init__(self, path: str, stopping: str, now) -> None:
        self.path, self.stopping, self.now, self.sent = path, stopping, now, []

    def send(self, message: Outgoing) -> SendResult:
        if not self.sent:
            other = db.connect(self.path)
            with db.transaction(other):
                optout.opt_out(other, self.stopping, self.now, "keyword")
            other.close()
        self.sent.append(message.to)
        return SendResult("accepted", sid=f"SM{uuid.uuid4().hex}", status="queued")


def test_a_stop_after_the_claim_is_seen_before_the_message_goes(database, conn, clock):
    third = "+821055556666"
    for key, to in (("a", PHONE), ("b", OTHER), ("c", third)):
        add(conn, key, clock.now(), to=to)
    transport = StopArrivesDuringTheChunk(database, OTHER, clock.now())
    counts = Dispatcher(conn, transport, Settings(rate=1.0, senders=1), clock).run(clock.now(), 10)
    assert transport.sent == [PHONE, third]
    assert (counts["claimed"], counts["sent"], counts["cancelled"]) == (3, 2, 1)
    assert (row(conn, "b")["status"], row(conn, "b")["reason"]) == ("cancelled", "opted_out")


def test_an_alert_about_a_closed_opening_is_cancelled_at_send_time(app, conn, clock):
    closed, past, still_open = (r["id"] for r in conn.execute(
        "SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 3"))
    with db.transaction(conn):
        for key, opening, kind in (("closed", closed, "alert"), ("past", past, "alert"),
                                   ("open", still_open, "alert"), ("booking", closed, "transactional")):
            outbox.enqueue(conn, to=PHONE, body="새 일자리", kind=kind, dedupe_key=key, now=clock.now(),
                           opening_id=opening)
        # overnight: one opening closed, another's deadline (a day in Seoul) went by
        conn.execute("UPDATE openings SET status = 'closed' WHERE id = ?", (closed,))
        conn.execute("UPDATE openings SET deadline = '2026-11-22' WHERE id = ?", (past,))
    counts = dispatch_due(app, clock.now())
    assert (counts["cancelled"], counts["delivered"]) == (2, 2)
    assert {k: (row(conn, k)["status"], row(conn, k)["reason"]) for k in ("closed", "past", "open", "booking")} == {
        "closed": ("cancelled", "opening_closed"), "past": ("cancelled", "opening_closed"),
        "open": ("delivered", None), "booking": ("delivered", None)}


class LocksTheDatabaseOnFirstSend:
    """Another writer takes SQLite's write lock (PostgreSQL's: the outbox rows) as the first answer
    comes back, for `hold` seconds."""

    name = "edge"

    def __init__(self, path: str, hold: float) -> None:
        self.locker, self.hold, self.sids = db.connect(path), hold, []
        self.lock = threading.Lock()

    def send(self, message: Outgoing) -> SendResult:
        with self.lock:
            if not self.sids:
                self.locker.execute("BEGIN IMMEDIATE")
                if db.engine(self.locker) == "postgresql":  # results skip the writers' lock there: hold the rows
                    self.locker.execute("SELECT id FROM sms_messages FOR UPDATE")
                threading.Timer(self.hold, self.locker.execute, ("COMMIT",)).start()
            sid = f"SM{uuid.uuid4().hex}"
            self.sids.append(sid)
        return SendResult("accepted", sid=sid, status="queued")


def test_a_busy_database_mid_pass_loses_no_sid(database, conn, clock, caplog, monkeypatch):
    for i in range(6):
        add(conn, f"k{i}", clock.now(), to=f"+82101000{i:04d}")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 20)  # production waits 5 s per try; the test, 20 ms
    own = db.connect(database)
    monkeypatch.undo()
    transport = LocksTheDatabaseOnFirstSend(database, hold=0.4)
    with caplog.at_level(logging.WARNING, logger="sms.outbound.dispatch"):
        counts = Dispatcher(own, transport, Settings(rate=0, senders=2), clock).run(clock.now(), 10)
    own.close()
    assert "database busy" in caplog.text  # the lock was met, and waited out
    assert counts["sent"] == 6
    stored = {r[0] for r in conn.execute("SELECT twilio_sid FROM sms_messages WHERE status = 'sent'")}
    assert stored == set(transport.sids) and len(stored) == 6


def test_a_sid_the_peer_repeats_is_sent_once_and_recorded(twilio_app, conn, clock, peer, caplog):
    repeated = "SM" + "7" * 32
    phones = [f"+82101000{i:04d}" for i in range(5)]
    for i, phone in enumerate(phones):
        add(conn, f"k{i}", clock.now(), to=phone)
        peer.script(phone, Reply(sid=repeated))
    with caplog.at_level(logging.ERROR, logger="sms.outbound.dispatch"):
        counts = dispatch_due(twilio_app, clock.now())
        for _ in range(3):  # later passes, past every lease: nothing goes again
            clock.advance(minutes=10)
            dispatch_due(twilio_app, clock.now())
    assert len(peer.accepted()) == 5
    assert counts["sent"] == 5 and counts["sid_not_stored"] == 4
    rows = conn.execute("SELECT status, twilio_sid, error_text FROM sms_messages WHERE dedupe_key LIKE 'k%'").fetchall()
    assert [r["status"] for r in rows] == ["sent"] * 5
    assert sum(r["twilio_sid"] == repeated for r in rows) == 1
    assert sum(repeated in (r["error_text"] or "") for r in rows) == 4
    assert "could not be stored" in caplog.text
