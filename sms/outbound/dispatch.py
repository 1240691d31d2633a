"""The dispatcher: claims due outbox rows, sends them at a set rate, records each outcome.

A pass (run) or the scheduler's loop (run_until): re-examine stale leases, expire what is
past its valid-until, release held alerts whose window opened; claim due rows in chunks
(codes, then transactional, then alerts) and hand them to senders (threads, or a transport
that sends in the background), paced at SMS_RATE_PER_SECOND (0 = as fast as they go). A
transport that paces by itself (`start_all`: Twilio's event loop) gets the next half second
of messages at once, each with its instant, so this thread wakes a few times a second, not
twice a message. Answers are recorded as they come back, at most RECORD_SECONDS after,
those that came together in one commit: the at-least-once window (provider accepted, SID not
yet stored) stays within a tenth of a second; a busy database is tried again, and every
answer still in flight is recorded before a pass ends. A Retry-After pauses every sender.
The arithmetic of pacing: sms.outbound.pacing; recording the answers: sms.outbound.results.
"""

from __future__ import annotations

import logging
import queue
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar

from kiosk.core import db as kdb
from kiosk.core.clock import Clock, parse_iso
from kiosk.core.db import Connection, Error, OperationalError, Row
from kiosk.core.formatting import local
from sms.outbound import delivery, outbox, quiet
from sms.outbound.pacing import Settings
from sms.outbound.results import Recording
from sms.outbound.transports import Outgoing, SendResult, Transport

log = logging.getLogger(__name__)

CATCH_UP_SECONDS = 0.5
IDLE_SECONDS, HOUSEKEEPING_SECONDS = 0.5, 5.0  # the loop: a look when nothing is due; stale leases, expiry, held
RESCREEN_SECONDS = 0.5         # a chunk's opt-outs and openings are read again after this long
AHEAD_SECONDS = 0.5            # a transport that paces by itself gets the messages due this far ahead ...
SLICE_SECONDS = 0.3            # ... whenever the last slice has this little left (a late wake-up sends none late)
RECORD_SECONDS = 0.1           # while waiting for the pace, answers are recorded this often (those come together)
PAUSE_IN_PASS_SECONDS = 5.0    # a shorter Retry-After is waited out in the pass; a longer one ends it
COMMIT_TRIES, COMMIT_PAUSE_SECONDS = 6, 0.05  # a busy database: 5 more tries, 0.05 s doubling between them

T = TypeVar("T")


class Dispatcher(Recording):
    """One pass over the outbox with one connection; senders never touch the database."""

    def __init__(self, db: Connection, transport: Transport, settings: Settings, clock: Clock,
                 resume_at: datetime | None = None, guard: Callable[[Connection], None] | None = None) -> None:
        self.db, self.transport, self.settings, self.clock = db, transport, settings, clock
        self.guard = guard                   # checked inside each claim's transaction (the scheduler's lease)
        self.serial = kdb.single_writer(db)  # else a result's write runs beside other writers (its row only)
        self.counts: Counter[str] = Counter()
        self.token = uuid.uuid4().hex
        self.results: queue.SimpleQueue[tuple[Row, SendResult]] = queue.SimpleQueue()
        self.pending = 0                     # submitted, result not yet recorded
        self.next_slot = time.monotonic()    # when the pacing lets the next message go
        self.resume_at = resume_at           # no claims before this instant (a provider's Retry-After)
        self.resume_mono = 0.0               # the same pause within this pass, on the monotonic clock
        self.failure: Error | None = None  # a result that could not be committed
        self.kept_at = float("-inf")         # the last housekeeping (monotonic)

    def run(self, now: datetime, limit: int) -> dict[str, int]:
        """One pass: housekeeping, then due rows in chunks until `limit` are claimed or none is due."""
        self._commit(self._housekeeping, now)
        if self.resume_at is not None and self.resume_at > max(now, self.clock.now()):
            self.counts["waiting_for_retry_after"] += 1
            return dict(self.counts)
        return self._with_senders(lambda pool: self._send_due(pool, now, limit))

    def run_until(self, stop: Callable[[], bool]) -> dict[str, int]:
        """Sends without a break until stop() says so: the next chunk is claimed as the last one's
        rows are handed out, so the senders never wait for a pass or a tick. Nothing due: it looks
        again every IDLE_SECONDS. Housekeeping every HOUSEKEEPING_SECONDS, between chunks; a
        provider's pause is waited out (recording answers meanwhile)."""
        def loop(pool: ThreadPoolExecutor) -> None:
            busy = False
            while not stop() and self.failure is None:
                if time.monotonic() - self.kept_at >= HOUSEKEEPING_SECONDS:
                    self._commit(self._housekeeping, self.clock.now())
                paused = self.resume_at is not None and self.resume_at > self.clock.now()
                busy = not paused and self._send_due(pool, self.clock.now(), None, lambda: stop() or (
                    time.monotonic() - self.kept_at >= HOUSEKEEPING_SECONDS), fresh=not busy) > 0
                if not busy:
                    self.pending -= self._drain(until=time.monotonic() + IDLE_SECONDS)
        return self._with_senders(loop)

    def _with_senders(self, work: Callable[[ThreadPoolExecutor], object]) -> dict[str, int]:
        if (prepare := getattr(self.transport, "prepare", None)) is not None:
            prepare()  # a transport's start-up is not counted against the pace
        with ThreadPoolExecutor(self.settings.senders, thread_name_prefix="sms-sender") as pool:
            try:
                work(pool)
            finally:  # answers still in flight are recorded, whatever ended the pass (a lost one: its lease)
                deadline = time.monotonic() + 2 * self.settings.http_timeout
                while self.pending > 0 and (recorded := self._drain(until=deadline, block=True)):
                    self.pending -= recorded
        if self.failure is not None:
            raise self.failure
        return dict(self.counts)

    def _housekeeping(self, db: Connection, now: datetime) -> None:  # stale leases, expiry, held alerts
        self.kept_at = time.monotonic()
        self.counts["recovered"] += outbox.recover_stale(db, now, self.settings.max_attempts)
        self.counts["expired"] += outbox.expire_due(db, now)
        self.counts["released"] += outbox.release_held(db, now)

    def _send_due(self, pool: ThreadPoolExecutor, now: datetime, limit: int | None,
                  stop: Callable[[], bool] = lambda: False, fresh: bool = True) -> int:
        """Claims and sends chunks until `limit` (None: no limit) or nothing is due; stop() ends it between
        chunks. Fresh (not straight after other chunks): the pace starts with the first row claimed."""
        claimed = 0
        while (limit is None or claimed < limit) and self.failure is None and not stop():
            due = max(now, self.clock.now())  # a code queued during a long pass is due in it
            count = self.settings.chunk() if limit is None else min(self.settings.chunk(), limit - claimed)
            rows = self._commit(self._claim, due, count, immediate=False)  # dispatchers claim side by side
            if not rows:
                break
            if fresh and not claimed:  # the claim's own time (or a look that found nothing) is no catch-up
                self.next_slot = max(self.next_slot, time.monotonic())
            self.counts["claimed"] += len(rows)
            claimed += len(rows)
            if not self._send_chunk(pool, rows):
                break
        return claimed

    def _claim(self, db: Connection, due: datetime, count: int) -> list[Row]:
        if self.guard is not None:  # only the lease holder claims (raises when it is another's)
            self.guard(db)
        return outbox.claim_due(db, due, count, token=self.token, lease_until=due + self.settings.lease())

    def _send_chunk(self, pool: ThreadPoolExecutor, rows: list[Row]) -> bool:
        """Sends a claimed chunk; False when the pass must stop claiming (a long pause, a failure)."""
        waiting, screened_at = deque(rows), float("-inf")
        paced = getattr(self.transport, "start_all", None) if self.settings.rate > 0 else None
        while waiting:
            self._wait_for_slot(AHEAD_SECONDS - SLICE_SECONDS if paced else 0.0)
            if self.failure is not None or self.resume_mono > time.monotonic():
                self._commit(outbox.release_claimed, [r["id"] for r in waiting], self.token, self.clock.now())
                self.counts["put_back"] += len(waiting)
                return self._wait_out_pause()
            if paced is not None or time.monotonic() - screened_at >= RESCREEN_SECONDS:
                waiting, screened_at = deque(self._screen(list(waiting))), time.monotonic()
                if paced is None:
                    continue
            if paced is not None:
                self._hand_over_ahead(paced, waiting)
                continue
            row = waiting.popleft()
            if self._still_sendable(row):
                self._hand_over(pool, row)
                self.pending += 1
                self.next_slot += 1 / self.settings.rate if self.settings.rate > 0 else 0.0
        return True

    def _hand_over_ahead(self, start_all: Callable[[list], None], waiting: deque[Row]) -> None:
        """Hands the transport every row whose turn comes within AHEAD_SECONDS (backlog allowing),
        each with its instant; a row that would be expired or in quiet hours by then is recorded so, not sent."""
        mono, now, paced = time.monotonic(), self.clock.now(), []
        while waiting and self.next_slot < mono + AHEAD_SECONDS and self.pending < 2 * self.settings.senders:
            row = waiting.popleft()
            if self._still_sendable(row, at=now + timedelta(seconds=max(0.0, self.next_slot - mono))):
                paced.append((Outgoing(row["id"], row["to_number"], row["body"]), self.next_slot,
                               lambda result, row=row: self.results.put((row, result))))
                self.pending += 1
                self.next_slot += 1 / self.settings.rate
        if paced:
            start_all(paced)

    def _wait_for_slot(self, ahead: float = 0.0) -> None:
        """Records results until the pacing lets one more go (`ahead` seconds before its turn) and
        the backlog is short (never a pause)."""
        if self.settings.rate > 0:  # a late schedule catches up for at most CATCH_UP_SECONDS: no long bursts
            self.next_slot = max(self.next_slot, time.monotonic() - CATCH_UP_SECONDS)
        self.pending -= self._drain(until=self.next_slot - ahead if self.settings.rate > 0 else 0.0)
        while self.pending >= 2 * self.settings.senders:  # no backlog that could outlive the lease
            self.pending -= self._drain(block=True)

    def _wait_out_pause(self) -> bool:
        """Waits a short pause out (recording results); False if it is long, or a commit failed."""
        while self.failure is None and self.resume_mono > time.monotonic():
            if self.resume_mono - time.monotonic() > PAUSE_IN_PASS_SECONDS:
                return False
            self.pending -= self._drain(until=self.resume_mono)
        self.next_slot = max(self.next_slot, time.monotonic())  # pacing starts afresh: no catch-up burst
        return self.failure is None

    def _pause(self, seconds: float) -> None:
        """Holds every sender: nothing more is claimed or sent for `seconds` (this pass and the next)."""
        self.resume_mono = max(self.resume_mono, time.monotonic() + seconds)
        until = self.clock.now() + timedelta(seconds=seconds)
        self.resume_at = until if self.resume_at is None else max(self.resume_at, until)
        self.counts["paused"] += 1

    def _hand_over(self, pool: ThreadPoolExecutor, row: Row) -> None:
        """To a sender thread, or to a transport that sends in the background by itself."""
        if (start := getattr(self.transport, "start", None)) is not None:
            start(Outgoing(row["id"], row["to_number"], row["body"]), lambda result: self.results.put((row, result)))
        else:
            pool.submit(self._send, row)

    def _send(self, row: Row) -> None:
        try:
            result = self.transport.send(Outgoing(row["id"], row["to_number"], row["body"]))
        except Exception as exc:  # a bug in a transport must not strand the row in 'sending'
            log.exception("transport %s raised for message %s", self.transport.name, row["id"])
            result = SendResult("retry", error_text=f"transport error: {type(exc).__name__}")
        self.results.put((row, result))

    def _drain(self, until: float = 0.0, block: bool = False) -> int:
        """Records results that arrive until the monotonic instant `until` (if block: the first to
        come, by `until`, with those that came beside it). Waiting for `until`, what arrives is
        recorded every RECORD_SECONDS, all that came together in one commit."""
        recorded = 0
        while True:
            wait = max(0.0, until - time.monotonic()) if until or not block or recorded else None
            try:
                answers = [self.results.get(timeout=wait) if wait != 0.0 else self.results.get_nowait()]
            except queue.Empty:
                return recorded
            while True:
                try:
                    answers.append(self.results.get_nowait())
                except queue.Empty:
                    break
            self._record_all(answers)
            recorded += len(answers)
            if block:
                return recorded
            time.sleep(min(RECORD_SECONDS, max(0.0, until - time.monotonic())))

    def _screen(self, rows: list[Row]) -> list[Row]:
        """Drops (cancels) rows whose number opted out or whose opening closed since they were queued.

        One query for the chunk: a STOP that came after the claim (or while the row waited
        for a retry) is seen before the message goes.
        """
        now = self.clock.now()
        unsendable = delivery.unsendable(self.db, [row["id"] for row in rows], local(now, self.settings.zone).date())
        if not unsendable:
            return rows
        self._commit(self._cancel, unsendable, now, immediate=self.serial)
        self.counts["cancelled"] += len(unsendable)
        return [row for row in rows if row["id"] not in unsendable]

    def _still_sendable(self, row: Row, at: datetime | None = None) -> bool:
        """Expired or (for alerts) in quiet hours, now or `at` (when it will go): recorded here, not sent."""
        now = self.clock.now()
        at = max(now, at or now)
        if row["valid_until"] and parse_iso(row["valid_until"]) <= at:
            self._mark(row, now, status="expired", reason="expired")
            self.counts["expired"] += 1
            return False
        if row["kind"] == "alert" and not row["night_ok"] and quiet.is_quiet(at, *self._window()):
            opens = quiet.window_opens(at, *self._window())
            self._mark(row, now, status="held", next_attempt_at=opens)
            self.counts["held"] += 1
            return False
        return True

    def _window(self) -> tuple[tuple[str, str], str]:
        return self.settings.quiet_hours, self.settings.zone

    def _cancel(self, db: Connection, reasons: dict[int, str], now: datetime) -> None:
        for message_id, reason in reasons.items():
            outbox.mark(db, message_id, self.token, now, status="cancelled", reason=reason)

    def _commit(self, work: Callable[..., T], *args: Any, immediate: bool = True, **kwargs: Any) -> T:
        """work(db, *args, **kwargs) in one transaction (a writer's unless immediate=False), tried again while busy."""
        for attempt in range(COMMIT_TRIES):
            try:
                with kdb.transaction(self.db, immediate=immediate):
                    return work(self.db, *args, **kwargs)
            except OperationalError as exc:
                kdb.rollback_if_open(self.db)  # a failed COMMIT leaves the transaction open
                if not kdb.is_busy(exc) or attempt + 1 == COMMIT_TRIES:
                    raise
                log.warning("database busy (%s); trying again", exc)
                time.sleep(COMMIT_PAUSE_SECONDS * 2 ** attempt)
        raise AssertionError("unreachable")

    def _mark(self, row: Row, now: datetime, **fields: object) -> None:  # its own claimed row only
        self._commit(outbox.mark, row["id"], self.token, now, immediate=self.serial, **fields)
