"""What a signed-in person has to do today, as counts: read models for the console's home.

Scoped the way the console is: an admin counts every center, center staff their own center,
a counselor what was given to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.clock import iso
from kiosk.core.db import Connection, in_list, list_param


@dataclass(frozen=True)
class Scope:
    center_ids: list[int] | None  # None: every center
    counselor_id: int | None = None  # set: only what is given to this counselor


def _where(scope: Scope, table: str) -> tuple[str, list]:
    if scope.counselor_id is not None:
        return f"{table}.counselor_id = ?", [scope.counselor_id]
    if scope.center_ids is None:
        return "1 = 1", []
    return in_list(f"{table}.center_id"), [list_param(scope.center_ids)]


def referrals_waiting(db: Connection, scope: Scope) -> int:
    """Requests to a counselor not yet handled: new ones (a counselor: those assigned to them)."""
    where, params = _where(scope, "r")
    status = "assigned" if scope.counselor_id is not None else "new"
    return db.execute(f"SELECT COUNT(*) FROM referral_requests r WHERE r.status = ? AND {where}",
                      [status, *params]).fetchone()[0]


def callbacks_waiting(db: Connection, scope: Scope) -> int:
    """Call-back requests left at a kiosk and not yet closed."""
    where, params = _where(scope, "c")
    return db.execute(f"SELECT COUNT(*) FROM callback_requests c WHERE c.status <> 'closed' AND {where}",
                      params).fetchone()[0]


def appointments_between(db: Connection, scope: Scope, start: datetime, end: datetime) -> int:
    """Appointments (not cancelled) starting in [start, end)."""
    where, params = _where(scope, "a")
    return db.execute(
        f"SELECT COUNT(*) FROM appointments a WHERE a.starts_at >= ? AND a.starts_at < ?"
        f" AND a.status NOT IN ('cancelled', 'pending_consent') AND {where}",
        [iso(start), iso(end), *params]).fetchone()[0]


def locked_accounts(db: Connection, now: datetime) -> int:
    return db.execute("SELECT COUNT(*) FROM staff_accounts a JOIN staff_lockouts l ON l.email = a.email"
                      " WHERE l.locked_until > ? AND a.active = 1", (iso(now),)).fetchone()[0]


def failed_sign_ins(db: Connection, now: datetime, hours: int = 24) -> int:
    return db.execute("SELECT COUNT(*) FROM access_records WHERE action = 'sign_in_failed' AND at >= ?",
                      (iso(now - timedelta(hours=hours)),)).fetchone()[0]


def without_password(db: Connection) -> int:
    """Active accounts whose person has not set a password yet."""
    return db.execute("SELECT COUNT(*) FROM staff_accounts WHERE active = 1 AND password_hash IS NULL"
                      ).fetchone()[0]
