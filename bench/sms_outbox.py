"""SMS outbox and dispatcher benchmark.

1. enqueue: messages per second, 1,000 per transaction, into a fresh database.
2. rate: the dispatcher at SMS_RATE_PER_SECOND=100 against a loopback Twilio peer (own
   process) that answers after 200 ms, through the real twilio client, for 60 s.
3. overhead: no rate limit, a transport that answers at once: the dispatcher's own cost
   per message (claim, hand-off to a sender thread, recording the result).

With --dispatchers 2 the rate part runs two dispatchers (each with its own connection, at
half the rate each) that claim from the same outbox, as the scheduler and `jobstop sms
dispatch` on two machines do; every message must be sent exactly once between them.
With --postgres URL (a server the bench may create databases on, e.g. from .ci/pg-cluster)
each part runs on a fresh PostgreSQL database there instead of a SQLite file.

Usage: python bench/sms_outbox.py [--seconds 60] [--enqueue 200000] [--overhead 20000]
       [--only enqueue|many|overhead|rate] [--dispatchers N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[1:1] = [str(ROOT), str(ROOT / "tests")]  # JobStop, and the loopback Twilio peer

from _machine import drop_postgres, fresh_postgres, reference  # noqa: E402
from twilio_peer import ACCOUNT_SID, AUTH_TOKEN  # noqa: E402

from kiosk.core import db
from kiosk.core.clock import SystemClock
from sms.outbound import outbox
from sms.outbound.dispatch import Dispatcher
from sms.outbound.pacing import Settings
from sms.outbound.transports import Outgoing, SendResult, TwilioTransport

BODY = "[잡스탑] 새 일자리: J{n} 수원시 경비원 시급 10,500원, 주 5일. 자세히: J{n} 답장"


POSTGRES: str | None = None  # --postgres: the server the parts make their databases on
MADE: list[str] = []


def fresh_database(folder: Path, name: str) -> str:
    """A migrated, empty database: a SQLite file in folder, or a new database on the PostgreSQL server."""
    if POSTGRES:
        MADE.append(f"jobstop_bench_{Path(name).stem}_{os.getpid()}")
        target = fresh_postgres(POSTGRES, MADE[-1])
    else:
        target = str(folder / name)
    db.init_db(target)
    return target


def fill(conn, count: int, now: datetime, prefix: str, batch: int = 1000) -> float:
    """Enqueues count messages in transactions of `batch`; returns seconds taken."""
    started = time.perf_counter()
    for first in range(0, count, batch):
        with db.transaction(conn):
            for n in range(first, min(count, first + batch)):
                outbox.enqueue(conn, to=f"+8210{10_000_000 + n % 90_000_000}", body=BODY.format(n=n),
                               kind="transactional", dedupe_key=f"{prefix}:{n}", now=now)
    return time.perf_counter() - started


class TimedTransport:
    """Wraps a transport and notes when each answer came back (the bench's own instrument)."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner, self.name, self.done = inner, inner.name, []
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> SendResult:
        result = self.inner.send(message)
        with self._lock:
            self.done.append(time.monotonic())
        return result


class InstantTransport:
    name = "instant"

    def send(self, message: Outgoing) -> SendResult:
        return SendResult("accepted", sid=f"SM{uuid.uuid4().hex}", status="queued")


def fill_many(conn, count: int, now: datetime, prefix: str, batch: int = 1000) -> float:
    """The same messages through enqueue_many, one call per transaction of `batch`."""
    started = time.perf_counter()
    for first in range(0, count, batch):
        with db.transaction(conn):
            outbox.enqueue_many(conn, ({"to": f"+8210{10_000_000 + n % 90_000_000}", "body": BODY.format(n=n),
                                        "kind": "transactional", "dedupe_key": f"{prefix}:{n}"}
                                       for n in range(first, min(count, first + batch))), now=now)
    return time.perf_counter() - started


def bench_enqueue(folder: Path, count: int, one_by_one: bool = True) -> None:
    # CPU seconds too: on a shared machine the process waits for a core, and wall time shows it.
    conn = db.connect(fresh_database(folder, "enqueue.sqlite3"))
    if one_by_one:
        cpu = time.process_time()
        seconds = fill(conn, count, SystemClock().now(), "enq")
        cpu = time.process_time() - cpu
        print(f"enqueue: {count:,} messages in {seconds:.2f} s = {count / seconds:,.0f} messages/s "
              f"(enqueue() per message, 1,000 per transaction); CPU {cpu / count * 1e6:.1f} µs/row")
    cpu = time.process_time()
    seconds = fill_many(conn, count, SystemClock().now(), "many")
    cpu = time.process_time() - cpu
    print(f"enqueue_many: {count:,} messages in {seconds:.2f} s = {count / seconds:,.0f} messages/s "
          f"(1,000 per call and transaction); CPU {cpu / count * 1e6:.1f} µs/row = {count / cpu:,.0f} messages/s "
          f"of CPU; reference insert afterwards {reference():.1f} µs/row")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_rate(folder: Path, seconds: int, rate: float = 100.0, dispatchers: int = 1) -> None:
    target = fresh_database(folder, "rate.sqlite3")
    conn = db.connect(target)
    count = int(seconds * rate)
    clock = SystemClock()
    fill(conn, count, clock.now(), "rate")
    port = free_port()
    peer = subprocess.Popen([sys.executable, str(ROOT / "tests" / "twilio_peer.py"), "--port", str(port),
                             "--delay", "0.2"], stdout=subprocess.PIPE, text=True)
    try:
        peer.stdout.readline()  # its base URL: it is listening
        transport = TimedTransport(TwilioTransport(
            account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, from_number="+15005550006",
            status_callback="https://jobstop.example.kr/sms/status", base_url=f"http://127.0.0.1:{port}"))
        # Each dispatcher paces itself: two at half the rate hold the whole rate together.
        settings = Settings(rate=rate / dispatchers, senders=32 // dispatchers, http_timeout=10.0)
        results: list[dict] = [{} for _ in range(dispatchers)]

        def dispatch(n: int) -> None:
            own = db.connect(target)
            results[n] = Dispatcher(own, transport, settings, clock).run(clock.now(), count)
            own.close()

        started = time.monotonic()
        threads = [threading.Thread(target=dispatch, args=(n,)) for n in range(dispatchers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        peer.terminate()
        peer.wait()
    done = sorted(transport.done)
    achieved = (len(done) - 1) / (done[-1] - done[0])
    span = done[-1] - done[0]
    windows = [sum(1 for t in done if done[0] + w <= t < done[0] + w + 10) / 10 for w in range(0, int(span) - 9, 10)]
    sent = [result.get("sent", 0) for result in results]
    sids = conn.execute("SELECT count(*), count(DISTINCT twilio_sid) FROM sms_messages"
                        " WHERE status = 'sent'").fetchone()
    print(f"rate: target {rate:.0f}/s, {dispatchers} dispatcher(s) sent {' + '.join(f'{n:,}' for n in sent)}"
          f" = {sum(sent):,} of {count:,} ({sids[1]:,} distinct SIDs, {len(done):,} requests) in {wall:.1f} s;"
          f" achieved {achieved:.2f}/s ({(achieved / rate - 1) * 100:+.2f}%);"
          f" per full 10 s window: {', '.join(f'{w:.1f}' for w in windows)}")
    conn.close()


def bench_overhead(folder: Path, count: int) -> None:
    conn = db.connect(fresh_database(folder, "overhead.sqlite3"))
    clock = SystemClock()
    fill(conn, count, clock.now(), "ovh")
    started = time.perf_counter()
    counts = Dispatcher(conn, InstantTransport(), Settings(rate=0, senders=8), clock).run(clock.now(), count)
    seconds = time.perf_counter() - started
    print(f"overhead: {counts.get('sent', 0):,} messages, no rate limit, instant transport: "
          f"{seconds / count * 1000:.3f} ms/message ({count / seconds:,.0f} messages/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description="SMS outbox and dispatcher benchmark")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--enqueue", type=int, default=200_000)
    parser.add_argument("--overhead", type=int, default=20_000)
    parser.add_argument("--only", choices=("enqueue", "many", "overhead", "rate"), action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--dispatchers", type=int, default=1, help="dispatchers sharing the rate part's outbox")
    parser.add_argument("--postgres", help="a postgresql:// server to make the databases on instead of SQLite files")
    args = parser.parse_args()
    global POSTGRES
    POSTGRES = args.postgres
    parts = set(args.only or ("enqueue", "overhead", "rate"))
    model = subprocess.getoutput("grep -m1 'model name' /proc/cpuinfo").split(":")[-1].strip()
    print(f"machine: {subprocess.getoutput('nproc')} cores, {model}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
          f"load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}; "
          f"reference insert {reference():.1f} µs/row (a bare insert: lower means an idler, faster core); "
          f"database: {'PostgreSQL' if args.postgres else 'SQLite'}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            if "enqueue" in parts or "many" in parts:  # many: enqueue_many alone
                bench_enqueue(folder, args.enqueue, one_by_one="enqueue" in parts)
            if "overhead" in parts:
                bench_overhead(folder, args.overhead)
            if "rate" in parts:
                bench_rate(folder, args.seconds, dispatchers=args.dispatchers)
        finally:
            db.close_pools()
            for name in MADE:
                drop_postgres(POSTGRES, name)


if __name__ == "__main__":
    main()
