"""Delivery statuses: what the provider reports about a message after it took it.

Statuses only move forward; a callback that comes before its SID is stored waits in
sms_early_statuses (this module writes that table) and is applied once the SID is. The
dispatcher also asks here which claimed rows must not go any more.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, in_list, list_param, lock_key
from sms.outbound import outbox
from sms.outbound.optout import opt_out
from sms.outbound.transports import UNSUBSCRIBED

# Delivery statuses only move forward; the final ones never change again.
RANK = {"queued": 0, "held": 0, "sending": 1, "sent": 2,
        "delivered": 3, "undelivered": 3, "failed": 3, "expired": 3, "cancelled": 3}
CALLBACK_STATUS = {"sent": "sent", "delivered": "delivered", "read": "delivered",
                   "undelivered": "undelivered", "failed": "failed", "canceled": "cancelled"}


def unsendable(db: Connection, ids: Collection[int], today: date) -> dict[int, str]:
    """Claimed rows that must not go now, by id: 'opted_out', or 'opening_closed' for an alert
    about an opening closed or past its deadline (a date in the center's zone)."""
    return dict(db.execute(
        "SELECT sms_messages.id, CASE WHEN o.phone IS NULL THEN 'opening_closed' ELSE 'opted_out' END"
        " FROM sms_messages LEFT JOIN sms_optouts o ON o.phone = sms_messages.to_number AND o.opted_out = 1"
        " LEFT JOIN openings p ON sms_messages.kind = 'alert' AND p.id = sms_messages.opening_id"
        f" WHERE {in_list('sms_messages.id')}"
        " AND (o.phone IS NOT NULL OR p.status <> 'open' OR p.deadline < ?)",
        (list_param(ids), today.isoformat())).fetchall())


def record_accepted(db: Connection, message_id: int, now: datetime, *, sid: str, transport: str,
                    status: str = "sent", segments: int | None = None) -> bool:
    """The provider took the message: store its SID at once, whoever holds the lease now.

    A status callback that came before the SID (kept by apply_status) is applied here, in
    the same transaction, 21610's opt-out included. The SID's own lock orders this against a
    callback for it (apply_status), so one of the two always sees the other.
    """
    lock_key(db, f"sms-sid:{sid}")
    stored = outbox.store_sid(db, message_id, now, sid=sid, transport=transport, status=status, segments=segments)
    if stored:
        _apply_early(db, message_id, sid, status, now)
    return stored


def _apply_early(db: Connection, message_id: int, sid: str, status: str, now: datetime) -> None:
    """Applies the furthest-forward early callback for this SID (the latest among equals), then drops them."""
    early = db.execute("SELECT status, error_code FROM sms_early_statuses WHERE sid = ? ORDER BY id",
                       (sid,)).fetchall()
    if not early:
        return
    db.execute("DELETE FROM sms_early_statuses WHERE sid = ?", (sid,))
    best = max(reversed(early), key=lambda row: RANK[CALLBACK_STATUS[row["status"]]])
    _move(db, message_id, status, best["status"], now, best["error_code"])
    if any(row["error_code"] == UNSUBSCRIBED for row in early):
        phone = db.execute("SELECT to_number FROM sms_messages WHERE id = ?", (message_id,)).fetchone()[0]
        opt_out(db, phone, now, "twilio_21610")


def apply_status(db: Connection, sid: str, reported: str, now: datetime,
                 error_code: int | None = None) -> str:
    """A delivery status callback: 'applied', 'ignored' (not forward) or 'unknown' (no such SID).

    Error 21610 opts the number out, even on a callback that is not forward (reported late,
    same meaning). An unknown SID's callback is kept (sms_early_statuses): Twilio may call
    back before the dispatcher has stored the SID, and it does not call again.
    record_accepted applies it.
    """
    lock_key(db, f"sms-sid:{sid}")
    row = db.execute("SELECT id, status, to_number FROM sms_messages WHERE twilio_sid = ?", (sid,)).fetchone()
    if row is None:
        if reported in CALLBACK_STATUS:
            db.execute("INSERT INTO sms_early_statuses (sid, status, error_code, received_at) VALUES (?, ?, ?, ?)",
                       (sid, reported, error_code, iso(now)))
        return "unknown"
    if error_code == UNSUBSCRIBED:
        opt_out(db, row["to_number"], now, "twilio_21610")
    return "applied" if _move(db, row["id"], row["status"], reported, now, error_code) else "ignored"


def _move(db: Connection, message_id: int, current: str, reported: str, now: datetime,
          error_code: int | None) -> bool:
    """Moves a message to a reported status if that is forward of `current`; whether it moved."""
    status = CALLBACK_STATUS.get(reported)
    if status is None or RANK[status] <= RANK[current]:
        return False
    outbox.set_delivery_status(db, message_id, status, now, error_code)
    return True


def purge_early_statuses(db: Connection, cutoff: datetime) -> int:
    """Drops kept early callbacks received before cutoff (their message never got that SID); how many."""
    return db.execute("DELETE FROM sms_early_statuses WHERE received_at < ?", (iso(cutoff),)).rowcount
