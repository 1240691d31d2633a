"""The scheduler lease: one row in the database says which process runs the timed jobs.

The holder renews it well before it expires; another process takes it only once it has
expired, so after a crash (even kill -9) the standby takes over within one lease period.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, transaction

NAME = "scheduler"
# A lease not renewed for this many lease periods: its scheduler is gone (a restarting or
# standby scheduler takes an expired lease within one period).
STALE_AFTER_PERIODS = 3


def new_holder() -> str:
    """A name for this process that no other process (here or elsewhere) will have."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def acquire(db: Connection, holder: str, now: datetime, seconds: float, name: str = NAME) -> bool:
    """Takes or renews the lease: True when `holder` holds it until now + seconds."""
    stamp, until = iso(now), iso(now + timedelta(seconds=seconds))
    with transaction(db):
        row = db.execute(
            "INSERT INTO scheduler_leases (name, holder, acquired_at, renewed_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
            " acquired_at = CASE WHEN scheduler_leases.holder = excluded.holder"
            "   THEN scheduler_leases.acquired_at ELSE excluded.acquired_at END,"
            " holder = excluded.holder, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at"
            " WHERE scheduler_leases.holder = excluded.holder OR scheduler_leases.expires_at <= ?"
            " RETURNING holder",
            (name, holder, stamp, stamp, until, stamp),
        ).fetchone()
    return row is not None


def release(db: Connection, holder: str, name: str = NAME) -> None:
    """Gives the lease up at a clean shutdown, so a standby need not wait for it to expire."""
    with transaction(db):
        db.execute("DELETE FROM scheduler_leases WHERE name = ? AND holder = ?", (name, holder))


def current(db: Connection, name: str = NAME) -> Row | None:
    return db.execute("SELECT * FROM scheduler_leases WHERE name = ?", (name,)).fetchone()


def silence(row: Row, now: datetime, seconds: float) -> tuple[float, float | None]:
    """How long ago the holder last renewed the lease, and the limit that age has passed
    (STALE_AFTER_PERIODS lease periods: its scheduler is gone), else None."""
    age = (now - parse_iso(row["renewed_at"])).total_seconds()
    limit = STALE_AFTER_PERIODS * seconds
    return age, limit if age > limit else None


def holds(db: Connection, holder: str, now: datetime, name: str = NAME) -> bool:
    """True while `holder` has the lease and it has not expired (a read; inside a write
    transaction it also keeps anyone from taking the lease until that transaction ends)."""
    return db.execute("SELECT 1 FROM scheduler_leases WHERE name = ? AND holder = ? AND expires_at > ?",
                      (name, holder, iso(now))).fetchone() is not None
