"""A new staff account: what is checked before it is made, and its first set-password link.

The command (`jobstop staff add`), the accounts page and the demo make accounts the same way.
Problems are catalog keys by field, so each says why in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.core.db import Connection, IntegrityError, Row, transaction
from kiosk.staff import accounts, password_links

NAME_MAX = 60


@dataclass(frozen=True)
class Wanted:
    """An account as asked for: center and counselor are ids (None: not given)."""

    name: str
    email: str
    role: str
    center_id: int | None = None
    counselor_id: int | None = None


def counselor(db: Connection, counselor_id: int) -> Row | None:
    return db.execute("SELECT id, name, center_id, active FROM counselors WHERE id = ?", (counselor_id,)).fetchone()


def counselor_by_phone(db: Connection, phone: str) -> Row | None:
    return db.execute("SELECT id, name, center_id, active FROM counselors WHERE phone = ?", (phone,)).fetchone()


def linkable_counselors(db: Connection) -> list[Row]:
    """Active counselors no account is linked to yet, with their center's name."""
    return db.execute(
        "SELECT k.id, k.name, k.center_id, c.name AS center_name FROM counselors k"
        " JOIN centers c ON c.id = k.center_id WHERE k.active = 1 AND NOT EXISTS"
        " (SELECT 1 FROM staff_accounts a WHERE a.counselor_id = k.id) ORDER BY c.id, k.name, k.id"
    ).fetchall()


def problems(db: Connection, wanted: Wanted) -> dict[str, str]:
    """What is wrong with the account asked for, as catalog keys by field (empty: nothing)."""
    found: dict[str, str] = {}
    if not wanted.name.strip():
        found["name"] = "console.accounts.error.name_missing"
    elif len(wanted.name.strip()) > NAME_MAX:
        found["name"] = "console.accounts.error.name_long"
    if not accounts.is_email(wanted.email):
        found["email"] = "console.accounts.error.email_invalid"
    elif accounts.by_email(db, wanted.email) is not None:
        found["email"] = "console.accounts.error.email_taken"
    if wanted.role not in accounts.ROLES:
        found["role"] = "console.accounts.error.role_missing"
        return found
    known_center = wanted.center_id is not None and db.execute(
        "SELECT 1 FROM centers WHERE id = ?", (wanted.center_id,)).fetchone() is not None
    if wanted.role != "admin" and not known_center:
        found["center"] = "console.accounts.error.center_missing"
    if wanted.role == "counselor":
        found.update(_counselor_problems(db, wanted))
    return found


def _counselor_problems(db: Connection, wanted: Wanted) -> dict[str, str]:
    row = counselor(db, wanted.counselor_id) if wanted.counselor_id is not None else None
    if row is None or not row["active"]:
        return {"counselor": "console.accounts.error.counselor_missing"}
    if wanted.center_id is not None and row["center_id"] != wanted.center_id:
        return {"counselor": "console.accounts.error.counselor_elsewhere"}
    if db.execute("SELECT 1 FROM staff_accounts WHERE counselor_id = ?", (row["id"],)).fetchone():
        return {"counselor": "console.accounts.error.counselor_linked"}
    return {}


def create(db: Connection, wanted: Wanted, now: datetime, link_hours: int) -> tuple[int, str] | None:
    """Makes the account and its set-password link: (account id, token); None if the email was
    taken meanwhile (by a second press of the same button, say)."""
    try:
        with transaction(db):
            account_id = accounts.add(db, wanted.name, wanted.email, wanted.role, now,
                                      center_id=wanted.center_id, counselor_id=wanted.counselor_id)
            return account_id, password_links.issue(db, account_id, now, link_hours)
    except IntegrityError:
        return None
