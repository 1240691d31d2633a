"""One-time links to set a password: the only module that writes staff_password_links.

The link carries a random token; only its SHA-256 is kept. A link works once, until it
expires; a newer link for the same account ends the older ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from kiosk.core.clock import iso
from kiosk.core.db import Connection


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(db: Connection, account_id: int, now: datetime, hours: int) -> str:
    """A new token for the account, good for `hours`; its older unused links stop working."""
    token = secrets.token_urlsafe(32)
    db.execute("DELETE FROM staff_password_links WHERE account_id = ? AND used_at IS NULL", (account_id,))
    db.execute("INSERT INTO staff_password_links (token_hash, account_id, created_at, expires_at)"
               " VALUES (?, ?, ?, ?)", (_hashed(token), account_id, iso(now), iso(now + timedelta(hours=hours))))
    return token


def account_for(db: Connection, token: str, now: datetime) -> int | None:
    """The account a still usable token sets the password of."""
    row = db.execute("SELECT account_id FROM staff_password_links WHERE token_hash = ? AND used_at IS NULL"
                     " AND expires_at > ?", (_hashed(token), iso(now))).fetchone()
    return row[0] if row else None


def use(db: Connection, token: str, now: datetime) -> int | None:
    """Spends the token; the account it was for, or None if it was used, expired or never issued."""
    row = db.execute("UPDATE staff_password_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
                     " AND expires_at > ? RETURNING account_id", (iso(now), _hashed(token), iso(now))).fetchone()
    return row[0] if row else None
