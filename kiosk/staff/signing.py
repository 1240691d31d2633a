"""A sign-in attempt: the password checked, the lockout counted, the access record written.

An unknown email and a wrong password get the same answer, and both count toward the same
per-email lockout, so the answer never tells a stranger whether an account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.core.db import Connection, Row, transaction
from kiosk.staff import access_records, accounts, lockouts


@dataclass(frozen=True)
class Rules:
    failures: int  # wrong passwords in a row that lock the email ...
    lock_minutes: int  # ... for this long


@dataclass(frozen=True)
class Attempt:
    account: Row | None  # the account signed in, if the attempt succeeded
    locked_until: datetime | None  # set when the email is locked (now, or by this attempt)


def attempt(db: Connection, email: str, password: str, now: datetime, address: str, rules: Rules) -> Attempt:
    """Checks email and password; writes the lockout and the access record either way."""
    account = accounts.by_email(db, email)
    until = lockouts.locked_until(db, email, now)
    usable = account if account is not None and account["active"] else None
    # Checked even for no usable account, so an unknown email takes as long as a wrong password.
    if until is None and accounts.password_matches(usable, password):
        with transaction(db):
            lockouts.clear(db, email)
            accounts.note_sign_in(db, account["id"], now)
            _record(db, now, account, email, address, "sign_in", "console")
        return Attempt(account, None)
    with transaction(db):
        if until is None:
            until = lockouts.note_failure(db, email, now, limit=rules.failures, minutes=rules.lock_minutes)
        _record(db, now, account, email, address, "sign_in_failed", "locked" if until else "wrong_password")
    return Attempt(None, until)


def _record(db: Connection, now: datetime, account: Row | None, email: str, address: str, action: str,
            what: str) -> None:
    access_records.add(db, now, account_id=account["id"] if account else None,
                       email=accounts.normal_email(email)[:254], address=address, action=action, what=what)
