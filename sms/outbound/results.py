"""What the dispatcher does with the provider's answers: the outcome each one records.

Answers that came back together are recorded together: the accepted ones (nearly all) in one
transaction, each SID stored with its early status callbacks; if that transaction fails (a
SID the provider repeated, a database busy through every retry) each answer is recorded on
its own, as are the rarer ones (a retry, a failure, an opt-out, a message held back by a
pause). Part of the Dispatcher (sms.outbound.dispatch), which owns the connection, the claim
and the counts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.clock import Clock
from kiosk.core.db import Connection, Error, IntegrityError, Row
from sms.outbound import delivery, outbox
from sms.outbound.optout import opt_out
from sms.outbound.pacing import Settings, backoff, pause_for
from sms.outbound.transports import SendResult, Transport

log = logging.getLogger("sms.outbound.dispatch")


def _accepted_as(result: SendResult) -> str:
    """The status an accepted message is stored with: delivered when the answer says so already."""
    return "delivered" if result.status == "delivered" else "sent"


class Recording:
    """The dispatcher's half that records answers (its attributes are the Dispatcher's)."""

    counts: Counter[str]
    clock: Clock
    settings: Settings
    token: str
    transport: Transport
    serial: bool
    failure: Error | None
    _commit: Callable[..., Any]
    _mark: Callable[..., None]
    _pause: Callable[[float], None]

    def _record_all(self, answers: list[tuple[Row, SendResult]]) -> None:
        """Records answers that arrived together (the accepted ones in one transaction)."""
        accepted = [answer for answer in answers if answer[1].outcome == "accepted"]
        if len(accepted) > 1:
            try:
                for status in self._commit(self._store_all, accepted, self.clock.now(), immediate=self.serial):
                    self.counts[status] += 1
                answers = [answer for answer in answers if answer[1].outcome != "accepted"]
            except Error as exc:  # each on its own below, the busy retries and a repeated SID handled there
                log.warning("recording %d answers together failed (%s); recording each", len(accepted), exc)
        for row, result in answers:
            self._record_safely(row, result)

    def _store_all(self, db: Connection, answers: list[tuple[Row, SendResult]], now: datetime) -> list[str]:
        statuses = []
        for row, result in answers:
            status = _accepted_as(result)
            delivery.record_accepted(db, row["id"], now, sid=result.sid or "", status=status,
                                     transport=self.transport.name, segments=result.segments)
            statuses.append(status)
        return statuses

    def _record_safely(self, row: Row, result: SendResult) -> None:
        """Records one result; if even the retries fail, the pass stops sending but records the rest."""
        if pause := pause_for(result):
            self._pause(pause)
        try:
            self._record(row, result)
        except Error as exc:
            log.error("could not record the result for message %s: %s", row["id"], exc)
            self.counts["unrecorded"] += 1
            self.failure = self.failure or exc

    def _record(self, row: Row, result: SendResult) -> None:
        now = self.clock.now()
        if result.outcome == "accepted":
            self._record_accepted(row, result, now)
        elif result.outcome == "unsent":  # held back by a pause before it went: the attempt is undone
            self._commit(outbox.release_claimed, [row["id"]], self.token, now)
            self.counts["put_back"] += 1
        elif result.outcome == "unsubscribed":
            self._commit(self._unsubscribed, row, result, now)
            self.counts["opted_out"] += 1
        elif result.outcome == "retry" and row["attempts"] < self.settings.max_attempts:
            delay = backoff(row["attempts"], result.retry_after)
            self._mark(row, now, status="queued", next_attempt_at=now + timedelta(seconds=delay),
                       error_code=result.error_code, error_text=result.error_text)
            self.counts["retried"] += 1
        else:
            self._mark(row, now, status="failed", error_code=result.error_code, error_text=result.error_text)
            self.counts["failed"] += 1

    def _record_accepted(self, row: Row, result: SendResult, now: datetime) -> None:
        """Stores the SID; an answer that cannot be stored as given (a SID the provider repeated
        fails the unique index) is still recorded as sent, so the message never goes twice."""
        status = _accepted_as(result)
        try:
            self._commit(delivery.record_accepted, row["id"], now, sid=result.sid or "", status=status,
                         immediate=self.serial, transport=self.transport.name, segments=result.segments)
        except IntegrityError as exc:
            log.error("message %s was accepted as %s but that SID could not be stored (%s);"
                      " recorded as sent without it", row["id"], result.sid, exc)
            self._commit(outbox.store_sid, row["id"], now, sid=None, transport=self.transport.name,
                         status="sent", segments=result.segments,
                         note=f"accepted as {result.sid}, a SID already stored for another message")
            self.counts["sid_not_stored"] += 1
            status = "sent"
        self.counts[status] += 1

    def _unsubscribed(self, db: Connection, row: Row, result: SendResult, now: datetime) -> None:
        outbox.mark(db, row["id"], self.token, now, status="failed", reason="opted_out",
                    error_code=result.error_code, error_text=result.error_text)
        opt_out(db, row["to_number"], now, "twilio_21610")
