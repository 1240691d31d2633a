"""Placement-referral requests: a verified seeker asks a counselor about an opening.

The only module that writes them. Counseling sends each to a counselor (kiosk.counseling.routing)
and books against it; the requests sit here, beside the seeker, because withdrawing a seeker
(kiosk.seekers.store) closes theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row


def request(db: Connection, *, seeker_id: int, opening_id: int | None,
            kiosk: Mapping[str, Any], now: datetime) -> tuple[int, bool]:
    """Records the request for the kiosk's center: (id, created). Asking again about the same
    opening, or about none, while a request is open is the same request. The unique index holds
    for an opening; NULLs are distinct to it, so a request about none is looked up first."""
    if opening_id is None:
        existing = open_request(db, seeker_id, None)
        if existing is not None:
            return existing, False
    at = iso(now)
    row = db.execute(
        "INSERT INTO referral_requests (seeker_id, opening_id, kiosk_code, center_id, status,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 'new', ?, ?)"
        " ON CONFLICT (seeker_id, opening_id) WHERE status <> 'closed' DO NOTHING RETURNING id",
        (seeker_id, opening_id, kiosk["code"], kiosk["center_id"], at, at)).fetchone()
    if row is not None:
        return row["id"], True
    return open_request(db, seeker_id, opening_id), False


def open_request(db: Connection, seeker_id: int, opening_id: int | None) -> int | None:
    """The id of the seeker's request about this opening (or none) that is still open."""
    row = db.execute("SELECT id FROM referral_requests WHERE seeker_id = ? AND opening_id IS ?"
                     " AND status <> 'closed'", (seeker_id, opening_id)).fetchone()
    return row["id"] if row else None


def get(db: Connection, referral_id: int) -> Row | None:
    return db.execute("SELECT * FROM referral_requests WHERE id = ?", (referral_id,)).fetchone()


def assign(db: Connection, referral_id: int, counselor_id: int, now: datetime) -> bool:
    """Gives a new request to a counselor; False when it was no longer new."""
    return db.execute(
        "UPDATE referral_requests SET counselor_id = ?, assigned_at = ?, status = 'assigned', updated_at = ?"
        " WHERE id = ? AND status = 'new'", (counselor_id, iso(now), iso(now), referral_id)).rowcount == 1


def reassign(db: Connection, referral_id: int, counselor_id: int, now: datetime) -> bool:
    """Staff give an open request (new or already sent) to this counselor; False when it was closed,
    booked, or theirs already (a second click changes nothing)."""
    return db.execute(
        "UPDATE referral_requests SET counselor_id = ?, assigned_at = ?, status = 'assigned', updated_at = ?"
        " WHERE id = ? AND status IN ('new', 'assigned') AND counselor_id IS NOT ?",
        (counselor_id, iso(now), iso(now), referral_id, counselor_id)).rowcount == 1


def mark_booked(db: Connection, referral_id: int, now: datetime) -> None:
    """A counselor booked an appointment against the request."""
    db.execute("UPDATE referral_requests SET status = 'booked', updated_at = ? WHERE id = ?", (iso(now), referral_id))


def close_for_seeker(db: Connection, seeker_id: int, now: datetime) -> None:
    """Closes every request of a seeker still open (they withdrew)."""
    db.execute("UPDATE referral_requests SET status = 'closed', updated_at = ?"
               " WHERE seeker_id = ? AND status <> 'closed'", (iso(now), seeker_id))
