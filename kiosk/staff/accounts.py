"""Staff accounts of the console: the only module that writes staff_accounts.

An admin sees every center; center staff and counselors belong to one center, and a
counselor account is linked to the counselor whose texts are commands. Passwords are kept
as Argon2 hashes; accounts are deactivated, never deleted (access records name them).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row

ROLES = ("admin", "staff", "counselor")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy() -> str:
    """A hash to check passwords against when no account has the email, so both take as long."""
    return _hasher().hash("no account has this email")


def normal_email(email: str) -> str:
    return email.strip().lower()


def is_email(email: str) -> bool:
    return bool(EMAIL.fullmatch(normal_email(email)))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(account: Row | None, password: str) -> bool:
    """Whether password is the account's; as slow for no account (or no password yet) as for one."""
    stored = account["password_hash"] if account is not None else None
    try:
        return _hasher().verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def add(db: Connection, name: str, email: str, role: str, now: datetime, *,
        center_id: int | None = None, counselor_id: int | None = None, password: str | None = None) -> int:
    """A new account; an email already taken raises the engine's IntegrityError."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    row = db.execute(
        "INSERT INTO staff_accounts (name, email, role, center_id, counselor_id, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (name.strip(), normal_email(email), role, None if role == "admin" else center_id,
         counselor_id if role == "counselor" else None, hash_password(password) if password else None, iso(now)),
    ).fetchone()
    return row[0]


def get(db: Connection, account_id: int) -> Row | None:
    return db.execute("SELECT * FROM staff_accounts WHERE id = ?", (account_id,)).fetchone()


def by_email(db: Connection, email: str) -> Row | None:
    return db.execute("SELECT * FROM staff_accounts WHERE email = ?", (normal_email(email),)).fetchone()


def active(db: Connection, account_id: int) -> Row | None:
    """The account if it may sign in (active, a password set)."""
    return db.execute("SELECT * FROM staff_accounts WHERE id = ? AND active = 1 AND password_hash IS NOT NULL",
                      (account_id,)).fetchone()


def set_password(db: Connection, account_id: int, password: str) -> None:
    db.execute("UPDATE staff_accounts SET password_hash = ? WHERE id = ?", (hash_password(password), account_id))


def note_sign_in(db: Connection, account_id: int, now: datetime) -> None:
    db.execute("UPDATE staff_accounts SET last_sign_in = ? WHERE id = ?", (iso(now), account_id))


def set_active(db: Connection, account_id: int, is_active: bool) -> None:
    db.execute("UPDATE staff_accounts SET active = ? WHERE id = ?", (int(is_active), account_id))


def listing(db: Connection) -> list[Row]:
    """Every account with its center's and counselor's names and its email's lock, by name."""
    return db.execute(
        "SELECT a.*, c.name AS center_name, k.name AS counselor_name, l.locked_until"
        " FROM staff_accounts a LEFT JOIN centers c ON c.id = a.center_id"
        " LEFT JOIN counselors k ON k.id = a.counselor_id LEFT JOIN staff_lockouts l ON l.email = a.email"
        " ORDER BY a.active DESC, a.name, a.id"
    ).fetchall()


def with_ids(db: Connection) -> list[Row]:
    """(id, name, email) of every account, for choosing one in a filter."""
    return db.execute("SELECT id, name, email FROM staff_accounts ORDER BY name, id").fetchall()
