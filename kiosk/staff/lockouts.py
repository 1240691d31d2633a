"""Sign-in lockouts: the only module that writes staff_lockouts.

Counted per email typed, whether an account has it or not, so a stranger learns nothing
from the answer: a few wrong passwords in a row lock that email out for a while.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection
from kiosk.staff.accounts import normal_email


def locked_until(db: Connection, email: str, now: datetime) -> datetime | None:
    """When the email's lock ends, if it is locked now."""
    row = db.execute("SELECT locked_until FROM staff_lockouts WHERE email = ?", (normal_email(email),)).fetchone()
    if row is None or row["locked_until"] is None:
        return None
    until = parse_iso(row["locked_until"])
    return until if until > now else None


def note_failure(db: Connection, email: str, now: datetime, *, limit: int, minutes: int) -> datetime | None:
    """Counts a wrong password; the failure that reaches `limit` locks the email. Returns the lock's end."""
    email = normal_email(email)
    db.execute(
        "INSERT INTO staff_lockouts (email, failures, locked_until, updated_at) VALUES (?, 1, NULL, ?)"
        " ON CONFLICT (email) DO UPDATE SET failures = CASE WHEN staff_lockouts.locked_until IS NOT NULL"
        " THEN 1 ELSE staff_lockouts.failures + 1 END, locked_until = NULL, updated_at = excluded.updated_at",
        (email, iso(now)),
    )
    failures = db.execute("SELECT failures FROM staff_lockouts WHERE email = ?", (email,)).fetchone()[0]
    if failures < limit:
        return None
    until = now + timedelta(minutes=minutes)
    db.execute("UPDATE staff_lockouts SET locked_until = ? WHERE email = ?", (iso(until), email))
    return until


def clear(db: Connection, email: str) -> None:
    """Forgets the email's wrong passwords and lifts its lock (a sign-in, or an admin)."""
    db.execute("DELETE FROM staff_lockouts WHERE email = ?", (normal_email(email),))
