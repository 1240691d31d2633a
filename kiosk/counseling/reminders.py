"""Appointment reminders: an outbox row due at its moment, useful until shortly before.

The appointments feature decides what to say and when; this module turns that into an
outbox row with `send_at` (the reminder's moment) and `valid_until` (the last instant it is
still worth sending). The dispatcher sends it when due; a reminder whose moment passed while
the scheduler was down is still sent if it is useful, otherwise the dispatcher expires it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.db import Connection
from sms.outbound import outbox
from sms.outbound.messages import Enqueued


def schedule_reminder(db: Connection, *, appointment_id: int, to: str, body: str,
                      due_at: datetime, appointment_at: datetime, key: str, now: datetime,
                      still_useful_before: timedelta, language: str = "ko") -> Enqueued:
    """Queues a reminder for an appointment; the same key is never queued twice.

    `still_useful_before`: how long before the appointment the reminder stops being worth
    sending (the setting REMINDER_USEFUL_UNTIL_MINUTES). Runs in the caller's transaction.
    """
    valid_until = appointment_at - still_useful_before
    return outbox.enqueue(
        db, to=to, body=body, kind="transactional", dedupe_key=key, now=now,
        send_at=due_at,
        valid_until=valid_until, appointment_id=appointment_id, language=language,
    )


def withdraw_reminders(db: Connection, appointment_id: int, now: datetime) -> int:
    """Cancels the appointment's reminders not sent yet (it was moved or cancelled)."""
    return outbox.cancel_pending(db, now=now, appointment_id=appointment_id)
