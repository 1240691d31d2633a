"""How often each opening's public page was opened from its QR code: a count per opening per
local day, nothing about who. The only module that writes opening_scans."""

from __future__ import annotations

from datetime import date

from kiosk.core.db import Connection


def count(db: Connection, opening_id: int, day: date) -> None:
    """One more scan of the opening's code on that day (in the caller's transaction)."""
    db.execute("INSERT INTO opening_scans (opening_id, day, scans) VALUES (?, ?, 1)"
               " ON CONFLICT (opening_id, day) DO UPDATE SET scans = opening_scans.scans + 1",
               (opening_id, day.isoformat()))


def on_day(db: Connection, opening_id: int, day: date) -> int:
    found = db.execute("SELECT scans FROM opening_scans WHERE opening_id = ? AND day = ?",
                       (opening_id, day.isoformat())).fetchone()
    return found[0] if found else 0
