"""The dispatcher: claims due outbox rows, sends them at a set rate, records each outcome.

One pass: re-examine stale leases, expire what is past its valid-until, release held alerts
whose window opened, then claim due rows in chunks and hand them to a pool of sender
threads, paced at SMS_RATE_PER_SECOND (0 = as fast as the senders go). Results come back
to this thread on a queue and are committed one by one the moment they arrive, which keeps
the at-least-once window (provider accepted, SID not yet stored) to milliseconds.
"""

from __future__ import annotations

import logging
import queue
import random
import sqlite3
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask

from kiosk import db as kdb
from kiosk.clock import Clock, parse_iso
from sms import outbox, quiet
from sms.optout import opt_out
from sms.transports import Outgoing, SendResult, Transport, from_config

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 3600.0
CATCH_UP_SECONDS = 0.5


@dataclass(frozen=True)
class Settings:
    rate: float = 10.0             # messages per second; 0 = unlimited
    senders: int = 8
    max_attempts: int = 6
    quiet_hours: tuple[str, str] = quiet.DEFAULT_QUIET
    zone: str = quiet.DEFAULT_ZONE
    http_timeout: float = 10.0
    lease_seconds: float = 60.0    # the shortest claim; a dead dispatcher's rows wait this long

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        return cls(rate=float(config.get("SMS_RATE_PER_SECOND", 10.0)),
                   senders=max(1, int(config.get("SMS_SENDERS", 8))),
                   max_attempts=max(1, int(config.get("SMS_MAX_ATTEMPTS", 6))),
                   quiet_hours=(config.get("QUIET_HOURS_START", quiet.DEFAULT_QUIET[0]),
                                config.get("QUIET_HOURS_END", quiet.DEFAULT_QUIET[1])),
                   zone=config.get("TIMEZONE", quiet.DEFAULT_ZONE),
                   http_timeout=float(config.get("SMS_HTTP_TIMEOUT", 10.0)),
                   lease_seconds=float(config.get("SMS_LEASE_SECONDS", 60.0)))

    def chunk(self) -> int:
        """Rows claimed at once: about two seconds of work, never fewer than twice the senders."""
        return max(self.senders * 2, int(self.rate * 2)) if self.rate > 0 else self.senders * 8

    def lease(self) -> timedelta:
        """How long a claim is ours: the chunk's sending time plus two slow answers, at least lease_seconds."""
        seconds = self.chunk() / self.rate if self.rate > 0 else self.chunk() * self.http_timeout / self.senders
        return timedelta(seconds=max(self.lease_seconds, seconds + 2 * self.http_timeout))


def transport_for(app: Flask) -> Transport:
    """The app's transport, built once from its configuration."""
    if "sms_transport" not in app.extensions:
        app.extensions["sms_transport"] = from_config(app.config)
    return app.extensions["sms_transport"]


def dispatch_due(app: Flask, now: datetime, limit: int = 500) -> dict[str, int]:
    """One dispatch pass for the app's database and transport; counts per outcome."""
    conn = kdb.connect(app.config["DATABASE"])
    try:
        return Dispatcher(conn, transport_for(app), Settings.from_config(app.config),
                          app.extensions["clock"]).run(now, limit)
    finally:
        conn.close()


def backoff(attempts: int, retry_after: float | None) -> float:
    """Seconds before the next try: exponential with jitter, never sooner than Retry-After."""
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return max(retry_after or 0.0, delay * random.uniform(0.5, 1.5))


class Dispatcher:
    """One pass over the outbox with one connection; senders never touch the database."""

    def __init__(self, db: sqlite3.Connection, transport: Transport, settings: Settings, clock: Clock) -> None:
        self.db, self.transport, self.settings, self.clock = db, transport, settings, clock
        self.counts: Counter[str] = Counter()
        self.token = uuid.uuid4().hex
        self.results: queue.Queue[tuple[sqlite3.Row, SendResult]] = queue.Queue()

    def run(self, now: datetime, limit: int) -> dict[str, int]:
        with kdb.transaction(self.db):
            self.counts["recovered"] += outbox.recover_stale(self.db, now, self.settings.max_attempts)
            self.counts["expired"] += outbox.expire_due(self.db, now)
            self.counts["released"] += outbox.release_held(self.db, now)
        pending = 0
        with ThreadPoolExecutor(self.settings.senders, thread_name_prefix="sms-sender") as pool:
            submitted, next_slot = 0, time.monotonic()
            while submitted < limit:
                lease_until = max(now, self.clock.now()) + self.settings.lease()
                with kdb.transaction(self.db):
                    rows = outbox.claim_due(self.db, now, min(self.settings.chunk(), limit - submitted),
                                            token=self.token, lease_until=lease_until)
                if not rows:
                    break
                self.counts["claimed"] += len(rows)
                for row in rows:
                    submitted += 1
                    if not self._still_sendable(row):
                        continue
                    # a late schedule catches up for at most CATCH_UP_SECONDS: no long bursts
                    next_slot = max(next_slot, time.monotonic() - CATCH_UP_SECONDS)
                    pending -= self._drain(until=next_slot if self.settings.rate > 0 else 0.0)
                    while pending >= 2 * self.settings.senders:  # no backlog that could outlive the lease
                        pending -= self._drain(block=True)
                    pool.submit(self._send, row)
                    pending += 1
                    next_slot += 1 / self.settings.rate if self.settings.rate > 0 else 0.0
            while pending > 0:
                pending -= self._drain(block=True)
        return dict(self.counts)

    def _send(self, row: sqlite3.Row) -> None:
        try:
            result = self.transport.send(Outgoing(row["id"], row["to_number"], row["body"]))
        except Exception as exc:  # a bug in a transport must not strand the row in 'sending'
            log.exception("transport %s raised for message %s", self.transport.name, row["id"])
            result = SendResult("retry", error_text=f"transport error: {type(exc).__name__}")
        self.results.put((row, result))

    def _drain(self, until: float = 0.0, block: bool = False) -> int:
        """Records results that arrive until the monotonic instant `until` (or one, if block)."""
        recorded = 0
        while True:
            wait = None if block and not recorded else max(0.0, until - time.monotonic())
            try:
                row, result = self.results.get(timeout=wait) if wait != 0.0 else self.results.get_nowait()
            except queue.Empty:
                return recorded
            self._record(row, result)
            recorded += 1
            if block:
                return recorded

    def _still_sendable(self, row: sqlite3.Row) -> bool:
        """Expired or (for alerts) now in quiet hours: recorded here, not sent."""
        now = self.clock.now()
        if row["valid_until"] and parse_iso(row["valid_until"]) <= now:
            self._mark(row, now, status="expired", reason="expired")
            self.counts["expired"] += 1
            return False
        if row["kind"] == "alert" and not row["night_ok"] and quiet.is_quiet(now, *self._window()):
            opens = quiet.window_opens(now, *self._window())
            self._mark(row, now, status="held", next_attempt_at=opens)
            self.counts["held"] += 1
            return False
        return True

    def _window(self) -> tuple[tuple[str, str], str]:
        return self.settings.quiet_hours, self.settings.zone

    def _mark(self, row: sqlite3.Row, now: datetime, **fields: object) -> None:
        with kdb.transaction(self.db):
            outbox.mark(self.db, row["id"], self.token, now, **fields)  # type: ignore[arg-type]

    def _record(self, row: sqlite3.Row, result: SendResult) -> None:
        now = self.clock.now()
        if result.outcome == "accepted":
            status = "delivered" if result.status == "delivered" else "sent"
            with kdb.transaction(self.db):
                outbox.record_accepted(self.db, row["id"], now, sid=result.sid or "", status=status,
                                       transport=self.transport.name, segments=result.segments)
            self.counts[status] += 1
        elif result.outcome == "unsubscribed":
            with kdb.transaction(self.db):
                outbox.mark(self.db, row["id"], self.token, now, status="failed", reason="opted_out",
                            error_code=result.error_code, error_text=result.error_text)
                opt_out(self.db, row["to_number"], now, "twilio_21610")
            self.counts["opted_out"] += 1
        elif result.outcome == "retry" and row["attempts"] < self.settings.max_attempts:
            delay = backoff(row["attempts"], result.retry_after)
            self._mark(row, now, status="queued", next_attempt_at=now + timedelta(seconds=delay),
                       error_code=result.error_code, error_text=result.error_text)
            self.counts["retried"] += 1
        else:
            self._mark(row, now, status="failed", error_code=result.error_code, error_text=result.error_text)
            self.counts["failed"] += 1
