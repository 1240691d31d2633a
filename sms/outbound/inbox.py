"""Stored inbound texts: each MessageSid once, kept for a limited time; the only module that writes them.

It sits in the foundation beside the outbox, below sms.inbound which answers the texts,
because a seeker's withdrawal (kiosk.seekers) takes their number out of the texts received too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection


@dataclass(frozen=True)
class InboundMessage:
    id: int
    sid: str
    phone: str        # the sender, E.164 as Twilio gives it
    body: str
    received_at: datetime


def store(db: Connection, *, sid: str, phone: str, to: str, body: str,
          now: datetime) -> InboundMessage | None:
    """Records a received text; None when this MessageSid was already stored (a retry)."""
    row = db.execute(
        "INSERT INTO sms_inbound (message_sid, from_number, to_number, body, received_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_sid) DO NOTHING RETURNING id",
        (sid, phone, to, body, iso(now)),
    ).fetchone()
    if row is None:
        return None
    return InboundMessage(row["id"], sid, phone, body, now)


def stored_reply(db: Connection, sid: str) -> str | None:
    """The reply given the first time this MessageSid arrived (answered again on a retry)."""
    row = db.execute("SELECT reply FROM sms_inbound WHERE message_sid = ?", (sid,)).fetchone()
    return row["reply"] if row else None


def record_reply(db: Connection, message_id: int, handled_by: str, reply: str | None) -> None:
    db.execute("UPDATE sms_inbound SET handled_by = ?, reply = ? WHERE id = ?",
               (handled_by, reply, message_id))


def replies_since(db: Connection, phone: str, since: datetime, *,
                  not_counting: str | None = None) -> int:
    """How many automatic replies this number got since an instant (loop protection).

    Replies by the handler named `not_counting` are left out (counselors' own commands).
    """
    return db.execute(
        "SELECT count(*) FROM sms_inbound WHERE from_number = ? AND received_at >= ? AND reply IS NOT NULL"
        " AND (? IS NULL OR handled_by <> ?)",
        (phone, iso(since), not_counting, not_counting),
    ).fetchone()[0]


LIMIT_NOTICE = "limit_notice"  # handled_by suffix of the one "answers pause" notice per window


def limit_notices_since(db: Connection, phone: str, since: datetime) -> int:
    """How many "answers pause" notices this number got since an instant."""
    return db.execute(
        "SELECT count(*) FROM sms_inbound WHERE from_number = ? AND received_at >= ? AND handled_by LIKE ?",
        (phone, iso(since), f"%:{LIMIT_NOTICE}"),
    ).fetchone()[0]


def forget_number(db: Connection, phone: str) -> None:
    """A withdrawn person's number and what they texted leave the stored texts."""
    db.execute("UPDATE sms_inbound SET from_number = '', body = '', reply = NULL WHERE from_number = ?",
               (phone,))


def purge_older_than(db: Connection, cutoff: datetime) -> int:
    """Deletes inbound texts received before cutoff; how many were deleted."""
    return db.execute("DELETE FROM sms_inbound WHERE received_at < ?", (iso(cutoff),)).rowcount

