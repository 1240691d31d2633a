"""The opt-out registry: numbers that said stop (or that Twilio reports as unsubscribed)."""

from __future__ import annotations

from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection
from sms.outbound import outbox


def is_opted_out(db: Connection, phone: str) -> bool:
    """True when this E.164 number asked for no more texts."""
    row = db.execute("SELECT opted_out FROM sms_optouts WHERE phone = ?", (phone,)).fetchone()
    return bool(row and row["opted_out"])


def _record(db: Connection, phone: str, opted_out: bool, now: datetime, source: str) -> None:
    db.execute(
        "INSERT INTO sms_optouts (phone, opted_out, source, changed_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (phone) DO UPDATE SET opted_out = excluded.opted_out,"
        " source = excluded.source, changed_at = excluded.changed_at",
        (phone, int(opted_out), source, iso(now)),
    )


def opt_out(db: Connection, phone: str, now: datetime, source: str) -> None:
    """Marks a number opted out and cancels the messages still waiting for it."""
    _record(db, phone, True, now, source)
    outbox.cancel_to(db, phone, now, "opted_out")


def opt_in(db: Connection, phone: str, now: datetime, source: str) -> None:
    """Marks a number opted back in (only an explicit START / 시작 or a console action)."""
    _record(db, phone, False, now, source)
