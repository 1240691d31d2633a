"""The dispatcher's and the status webhook's side of the outbox.

Claims under a lease (codes first, then transactional texts, then alerts), the outcome of
each send, stale leases after a crash, and delivery statuses, which only move forward
(a callback that comes before its SID is stored waits in sms_early_statuses).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import date, datetime

from kiosk.core.clock import iso
from sms.outbound.optout import opt_out
from sms.outbound.outbox import KINDS
from sms.outbound.transports import UNSUBSCRIBED

# Delivery statuses only move forward; the final ones never change again.
RANK = {"queued": 0, "held": 0, "sending": 1, "sent": 2,
        "delivered": 3, "undelivered": 3, "failed": 3, "expired": 3, "cancelled": 3}
CALLBACK_STATUS = {"sent": "sent", "delivered": "delivered", "read": "delivered",
                   "undelivered": "undelivered", "failed": "failed", "canceled": "cancelled"}


# One class's due rows, oldest first; claim_due runs it per class in KINDS order. The outer
# WHERE is the id list alone: with `status = 'queued'` beside it SQLite walked every queued
# row's index entry to test it against the list (a digest run: hundreds of thousands).
_CLAIM = ("UPDATE sms_messages SET status = 'sending', lease_token = ?1, lease_until = ?2,"
          " attempts = attempts + 1, updated_at = ?3"
          " WHERE id IN (SELECT id FROM sms_messages WHERE status = 'queued'"
          " AND kind = ?4 AND next_attempt_at <= ?3 ORDER BY next_attempt_at, id LIMIT ?5)"
          " RETURNING id, to_number, body, kind, night_ok, valid_until, attempts")


def claim_due(db: sqlite3.Connection, now: datetime, limit: int, *, token: str,
              lease_until: datetime) -> list[sqlite3.Row]:
    """Atomically moves up to `limit` due queued rows to 'sending' under this pass's token.

    Codes first, then transactional messages, then alerts: each class takes what the ones
    before it left of the limit, so a code due now never waits behind a digest run.
    """
    claimed: list[sqlite3.Row] = []
    for kind in KINDS:
        if len(claimed) >= limit:
            break
        claimed += db.execute(_CLAIM, (token, iso(lease_until), iso(now), kind, limit - len(claimed))).fetchall()
    return claimed


def release_claimed(db: sqlite3.Connection, ids: Collection[int], token: str, now: datetime) -> int:
    """Claimed rows this pass will not send now go back to the queue, the claim's attempt undone."""
    return db.execute(
        "UPDATE sms_messages SET status = 'queued', attempts = attempts - 1, lease_token = NULL,"
        " lease_until = NULL, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))"
        # unary + keeps SQLite on the ids, not on every 'sending' row of the due index
        " AND +status = 'sending' AND lease_token = ?", (iso(now), json.dumps(list(ids)), token)).rowcount


def unsendable(db: sqlite3.Connection, ids: Collection[int], today: date) -> dict[int, str]:
    """Claimed rows that must not go now, by id: 'opted_out', or 'opening_closed' for an alert
    about an opening closed or past its deadline (a date in the center's zone)."""
    return dict(db.execute(
        "SELECT sms_messages.id, CASE WHEN o.phone IS NULL THEN 'opening_closed' ELSE 'opted_out' END"
        " FROM sms_messages LEFT JOIN sms_optouts o ON o.phone = sms_messages.to_number AND o.opted_out = 1"
        " LEFT JOIN openings p ON sms_messages.kind = 'alert' AND p.id = sms_messages.opening_id"
        " WHERE sms_messages.id IN (SELECT value FROM json_each(?))"
        " AND (o.phone IS NOT NULL OR p.status <> 'open' OR p.deadline < ?)",
        (json.dumps(list(ids)), today.isoformat())).fetchall())


def recover_stale(db: sqlite3.Connection, now: datetime, max_attempts: int) -> int:
    """Re-examines 'sending' rows whose lease ran out (their dispatcher died).

    A row with a stored SID was accepted by the provider: it is 'sent', never re-sent.
    Without a SID it goes back to the queue (the at-least-once window), or fails once
    it has used up its attempts.
    """
    stamp = iso(now)
    with_sid = db.execute(
        "UPDATE sms_messages SET status = 'sent', sent_at = coalesce(sent_at, ?), lease_token = NULL,"
        " updated_at = ? WHERE status = 'sending' AND lease_until < ? AND twilio_sid IS NOT NULL",
        (stamp, stamp, stamp)).rowcount
    used_up = db.execute(
        "UPDATE sms_messages SET status = 'failed', error_text = 'dispatcher stopped while sending',"
        " lease_token = NULL, updated_at = ? WHERE status = 'sending' AND lease_until < ?"
        " AND twilio_sid IS NULL AND attempts >= ?", (stamp, stamp, max_attempts)).rowcount
    requeued = db.execute(
        "UPDATE sms_messages SET status = 'queued', next_attempt_at = ?, lease_token = NULL, updated_at = ?"
        " WHERE status = 'sending' AND lease_until < ? AND twilio_sid IS NULL",
        (stamp, stamp, stamp)).rowcount
    return with_sid + used_up + requeued


def expire_due(db: sqlite3.Connection, now: datetime) -> int:
    """Queued or held messages past their valid-until become 'expired' without being sent."""
    return db.execute(
        "UPDATE sms_messages SET status = 'expired', reason = 'expired', updated_at = ?"
        " WHERE status IN ('queued', 'held') AND valid_until IS NOT NULL AND valid_until <= ?",
        (iso(now), iso(now)),
    ).rowcount


def mark(db: sqlite3.Connection, message_id: int, token: str, now: datetime, *, status: str,
         reason: str | None = None, next_attempt_at: datetime | None = None,
         error_code: int | None = None, error_text: str | None = None) -> bool:
    """Records a claimed row's outcome (still under this pass's lease): retry, held, failed, expired."""
    return db.execute(
        "UPDATE sms_messages SET status = ?, reason = coalesce(?, reason),"
        " next_attempt_at = coalesce(?, next_attempt_at), error_code = coalesce(?, error_code),"
        " error_text = coalesce(?, error_text), lease_token = NULL, lease_until = NULL, updated_at = ?"
        " WHERE id = ? AND status = 'sending' AND lease_token = ?",
        (status, reason, iso(next_attempt_at) if next_attempt_at else None, error_code, error_text,
         iso(now), message_id, token),
    ).rowcount == 1


def record_accepted(db: sqlite3.Connection, message_id: int, now: datetime, *, sid: str, transport: str,
                    status: str = "sent", segments: int | None = None) -> bool:
    """The provider took the message: store its SID at once, whoever holds the lease now.

    A status callback that came before the SID (kept by apply_status) is applied here, in
    the same transaction, 21610's opt-out included.
    """
    stamp = iso(now)
    stored = db.execute(
        "UPDATE sms_messages SET status = ?, twilio_sid = ?, transport = ?, sent_at = ?,"
        " delivered_at = CASE WHEN ? = 'delivered' THEN ? END, segments = coalesce(?, segments),"
        " error_code = NULL, error_text = NULL, lease_token = NULL, lease_until = NULL, updated_at = ?"
        " WHERE id = ? AND twilio_sid IS NULL AND status IN ('sending', 'queued')",
        (status, sid, transport, stamp, status, stamp, segments, stamp, message_id),
    ).rowcount == 1
    if stored:
        _apply_early(db, message_id, sid, status, now)
    return stored


def _apply_early(db: sqlite3.Connection, message_id: int, sid: str, status: str, now: datetime) -> None:
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


def apply_status(db: sqlite3.Connection, sid: str, reported: str, now: datetime,
                 error_code: int | None = None) -> str:
    """A delivery status callback: 'applied', 'ignored' (not forward) or 'unknown' (no such SID).

    Error 21610 opts the number out, even on a callback that is not forward (reported late,
    same meaning). An unknown SID's callback is kept (sms_early_statuses): Twilio may call
    back before the dispatcher has stored the SID, and it does not call again.
    record_accepted applies it.
    """
    row = db.execute("SELECT id, status, to_number FROM sms_messages WHERE twilio_sid = ?", (sid,)).fetchone()
    if row is None:
        if reported in CALLBACK_STATUS:
            db.execute("INSERT INTO sms_early_statuses (sid, status, error_code, received_at) VALUES (?, ?, ?, ?)",
                       (sid, reported, error_code, iso(now)))
        return "unknown"
    if error_code == UNSUBSCRIBED:
        opt_out(db, row["to_number"], now, "twilio_21610")
    return "applied" if _move(db, row["id"], row["status"], reported, now, error_code) else "ignored"


def _move(db: sqlite3.Connection, message_id: int, current: str, reported: str, now: datetime,
          error_code: int | None) -> bool:
    """Moves a message to a reported status if that is forward of `current`; whether it moved."""
    status = CALLBACK_STATUS.get(reported)
    if status is None or RANK[status] <= RANK[current]:
        return False
    db.execute(
        "UPDATE sms_messages SET status = ?, error_code = coalesce(?, error_code),"
        " delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, updated_at = ?"
        " WHERE id = ?",
        (status, error_code, status, iso(now), iso(now), message_id),
    )
    return True


def purge_early_statuses(db: sqlite3.Connection, cutoff: datetime) -> int:
    """Drops kept early callbacks received before cutoff (their message never got that SID); how many."""
    return db.execute("DELETE FROM sms_early_statuses WHERE received_at < ?", (iso(cutoff),)).rowcount
