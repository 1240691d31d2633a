"""The scheduler's sending loop (Dispatcher.run_until) with a fake transport and the frozen clock:
it keeps its senders busy across chunks, codes overtake a digest run, only the lease holder
sends, a STOP between chunks holds, and the settings follow from the account's rate."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from kiosk.core import db
from scheduler import dispatch, jobs, lease
from sms.outbound import optout, outbox
from sms.outbound.dispatch import Dispatcher
from sms.outbound.pacing import Settings, senders_for
from sms.outbound.transports import Outgoing, SendResult

PHONE = "+821012345678"


class Recording:
    """Answers at once, in the background like the Twilio transport, and keeps the order it saw."""

    name = "fake"

    def __init__(self, on_send=None) -> None:  # noqa: ANN001
        self.sent: list[Outgoing] = []
        self.on_send = on_send
        self._lock = threading.Lock()

    def start(self, message: Outgoing, done) -> None:  # noqa: ANN001
        with self._lock:
            self.sent.append(message)
            if self.on_send is not None:
                self.on_send(len(self.sent))
        done(SendResult("accepted", sid=f"SM{uuid.uuid4().hex}", status="queued"))


def alerts(conn, now, count: int, first: int = 0) -> None:
    with db.transaction(conn):
        outbox.enqueue_many(conn, ({"to": f"+8210{20_000_000 + n}", "body": f"새 일자리 {n}", "kind": "alert",
                                    "dedupe_key": f"digest:{n}"} for n in range(first, first + count)), now=now)


def statuses(conn) -> dict[str, int]:
    return dict(conn.execute("SELECT status, count(*) FROM sms_messages GROUP BY status").fetchall())


def until_sent(transport: Recording, count: int):
    return lambda: len(transport.sent) >= count


def test_the_loop_sends_chunk_after_chunk_until_told_to_stop(database, conn, clock):
    clock.set("2026-11-23T01:00:00Z")  # 10:00 in Seoul
    alerts(conn, clock.now(), 100)
    settings = Settings(rate=0, senders=2)  # chunks of 16
    transport = Recording()
    own = db.connect(database)
    counts = Dispatcher(own, transport, settings, clock).run_until(until_sent(transport, 100))
    own.close()
    assert counts["claimed"] == counts["sent"] == 100
    assert statuses(conn) == {"sent": 100}
    assert len({m.id for m in transport.sent}) == 100  # each once


def test_a_code_queued_during_a_digest_run_goes_within_the_next_chunk(database, conn, clock):
    clock.set("2026-11-23T01:00:00Z")
    alerts(conn, clock.now(), 200)
    settings = Settings(rate=0, senders=2)
    writer = db.connect(database)

    def code_after(sent: int) -> None:
        if sent == 20:  # in the middle of the second chunk
            with db.transaction(writer):
                outbox.enqueue(writer, to=PHONE, body="인증번호 123456", kind="otp", dedupe_key="otp:1",
                               now=clock.now())

    transport = Recording(code_after)
    own = db.connect(database)
    Dispatcher(own, transport, settings, clock).run_until(until_sent(transport, 201))
    own.close()
    writer.close()
    order = [m.to for m in transport.sent]
    assert order.count(PHONE) == 1
    assert 20 <= order.index(PHONE) <= 20 + settings.chunk()  # not behind the 180 alerts left


def test_a_stop_between_chunks_cancels_what_was_not_handed_out(database, conn, clock):
    clock.set("2026-11-23T01:00:00Z")
    alerts(conn, clock.now(), 60)
    writer = db.connect(database)
    late = "+8210" + str(20_000_000 + 50)  # in the fourth chunk

    def stop_after(sent: int) -> None:
        if sent == 10:
            with db.transaction(writer):
                optout.opt_out(writer, late, clock.now(), "sms_keyword")

    transport = Recording(stop_after)
    own = db.connect(database)
    Dispatcher(own, transport, Settings(rate=0, senders=2), clock).run_until(until_sent(transport, 59))
    own.close()
    writer.close()
    assert late not in [m.to for m in transport.sent]
    assert statuses(conn) == {"sent": 59, "cancelled": 1}


def test_nothing_due_the_loop_looks_again_and_sends_what_came(database, conn, clock):
    transport = Recording()
    own = db.connect(database)
    dispatcher = Dispatcher(own, transport, Settings(rate=0, senders=2), clock)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (dispatcher.run_until(lambda: bool(transport.sent) or done.is_set())))
    worker.start()
    try:
        with db.transaction(conn):
            outbox.enqueue(conn, to=PHONE, body="예약이 확인되었습니다", kind="transactional", dedupe_key="r:1",
                           now=clock.now())
        worker.join(timeout=10)
    finally:
        done.set()
        worker.join()
        own.close()
    assert [m.to for m in transport.sent] == [PHONE]
    assert statuses(conn) == {"sent": 1}


def test_only_the_lease_holder_sends(app, conn, clock):
    clock.set("2026-11-23T01:00:00Z")
    alerts(conn, clock.now(), 5)
    assert lease.acquire(conn, "other", clock.now(), 30)  # another scheduler took over
    app.extensions["sms_transport"] = transport = Recording()
    with jobs.under_lease("this", stop=lambda: False), pytest.raises(jobs.LeaseLost):
        dispatch.run(app)
    assert transport.sent == [] and statuses(conn) == {"queued": 5}


def test_under_the_scheduler_the_job_is_the_loop_and_ends_with_it(app, conn, clock):
    clock.set("2026-11-23T01:00:00Z")
    alerts(conn, clock.now(), 40)
    assert lease.acquire(conn, "this", clock.now(), 30)
    app.extensions["sms_transport"] = transport = Recording()
    with jobs.under_lease("this", stop=until_sent(transport, 40)):
        counts = dispatch.run(app)
    assert counts["sent"] == 40 and statuses(conn) == {"sent": 40}
    assert "claimed" not in dispatch.run(app)  # outside the scheduler: one pass (nothing left)


@pytest.mark.parametrize(("rate", "configured", "senders"), [(10, 0, 5), (30, 0, 15), (100, 0, 50), (2, 0, 4),
                                                           (100, 32, 32), (0, 0, 8)])
def test_the_senders_follow_from_the_rate(rate, configured, senders):
    assert senders_for(rate, configured) == senders
    settings = Settings.from_config({"SMS_RATE_PER_SECOND": rate, "SMS_SENDERS": configured})
    assert settings.senders == senders
    if rate:  # a chunk is two seconds of work; a claim outlives its chunk and two slow answers
        assert settings.chunk() == 2 * rate
        assert settings.lease() >= timedelta(seconds=settings.chunk() / rate + 2 * settings.http_timeout)
