"""Placement-referral requests: a verified seeker asks a counselor about an opening."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.core.clock import iso


def request(db: sqlite3.Connection, *, seeker_id: int, opening_id: int | None,
            kiosk: Mapping[str, Any], now: datetime) -> tuple[int, bool]:
    """Records the request for the kiosk's center: (id, created). Asking again about the same
    opening while a request is open is the same request."""
    at = iso(now)
    row = db.execute(
        "INSERT INTO referral_requests (seeker_id, opening_id, kiosk_code, center_id, status,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 'new', ?, ?)"
        " ON CONFLICT (seeker_id, opening_id) WHERE status <> 'closed' DO NOTHING RETURNING id",
        (seeker_id, opening_id, kiosk["code"], kiosk["center_id"], at, at)).fetchone()
    if row is not None:
        return row["id"], True
    existing = db.execute(
        "SELECT id FROM referral_requests WHERE seeker_id = ? AND opening_id IS ?"
        " AND status <> 'closed'", (seeker_id, opening_id)).fetchone()
    return existing["id"], False

