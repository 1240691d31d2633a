"""Appointment reminders: an outbox row due at its moment, useful until shortly before.

The appointments feature decides what to say and when; this module turns that into an
outbox row with `send_at` (the reminder's moment) and `valid_until` (the last instant it is
still worth sending). The dispatcher sends it when due; a reminder whose moment passed while
the scheduler was down is still sent if it is useful, otherwise the dispatcher expires it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from sms import outbox

DEFAULT_USEFUL_UNTIL = timedelta(minutes=30)


def useful_until_default() -> timedelta:
    """REMINDER_USEFUL_UNTIL_MINUTES from the app's config (30 minutes outside an app)."""
    try:
        from flask import current_app

        return timedelta(minutes=int(current_app.config["REMINDER_USEFUL_UNTIL_MINUTES"]))
    except (RuntimeError, KeyError):
        return DEFAULT_USEFUL_UNTIL


def schedule_reminder(db: sqlite3.Connection, *, appointment_id: int, to: str, body: str,
                      due_at: datetime, appointment_at: datetime, key: str, now: datetime,
                      language: str = "ko", still_useful_before: timedelta | None = None) -> outbox.Enqueued:
    """Queues a reminder for an appointment; the same key is never queued twice.

    `still_useful_before`: how long before the appointment the reminder stops being worth
    sending (default REMINDER_USEFUL_UNTIL_MINUTES, 30). Runs in the caller's transaction.
    """
    margin = still_useful_before if still_useful_before is not None else useful_until_default()
    valid_until = appointment_at - margin
    return outbox.enqueue(
        db, to=to, body=body, kind="transactional", dedupe_key=key, now=now,
        send_at=due_at,
        valid_until=valid_until, appointment_id=appointment_id, language=language,
    )


def withdraw_reminders(db: sqlite3.Connection, appointment_id: int, now: datetime) -> int:
    """Cancels the appointment's reminders not sent yet (it was moved or cancelled)."""
    return outbox.cancel_pending(db, now=now, appointment_id=appointment_id)
