"""Six-digit codes that prove a kiosk visitor holds a phone.

A code is valid 5 minutes and for 5 tries; a new one can be asked for after 60 seconds.
Against SMS abuse a number gets at most 3 codes an hour and a kiosk a configured number, and
the caller's caps (client address, device, the whole installation; kiosk.core.limits) count
each code too.
Only a keyed hash of a code is stored, and the number only as its fingerprint.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, transaction
from kiosk.core.i18n import translate
from kiosk.core.limits import Cap, Limited, take
from kiosk.seekers import consents
from sms.outbound.optout import is_opted_out
from sms.outbound.outbox import enqueue

VALID_FOR = timedelta(minutes=5)
RESEND_AFTER = timedelta(seconds=60)
MAX_TRIES = 5
PER_NUMBER_PER_HOUR = 3
WINDOW = timedelta(hours=1)


class OptedOut(Exception):
    """The number texted STOP; a code would not arrive until it texts START."""


__all__ = ["Limited", "OptedOut", "check", "issue"]  # Limited.reason: 'resend', 'number', 'kiosk' or a cap's scope


@dataclass(frozen=True)
class Check:
    outcome: str        # 'ok', 'wrong', 'expired', 'locked'
    tries_left: int = 0


def _hash(subject: str, code: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"{subject}:{code}".encode(), hashlib.sha256).hexdigest()


def _limit(db: Connection, subject: str, kiosk_code: str | None, now: datetime,
           per_kiosk: int) -> None:
    since = iso(now - WINDOW)
    mine = db.execute("SELECT created_at FROM phone_codes WHERE subject = ? AND created_at > ?"
                      " ORDER BY created_at", (subject, since)).fetchall()
    if mine and parse_iso(mine[-1]["created_at"]) + RESEND_AFTER > now:
        raise Limited("resend", parse_iso(mine[-1]["created_at"]) + RESEND_AFTER)
    if len(mine) >= PER_NUMBER_PER_HOUR:
        raise Limited("number", parse_iso(mine[-PER_NUMBER_PER_HOUR]["created_at"]) + WINDOW)
    if per_kiosk <= 0:  # 0: no cap per kiosk, as for every other cap
        return
    kiosk = db.execute("SELECT created_at FROM phone_codes WHERE kiosk_code = ? AND created_at > ?"
                       " ORDER BY created_at DESC LIMIT 1 OFFSET ?",
                       (kiosk_code, since, per_kiosk - 1)).fetchone()
    if kiosk is not None:
        raise Limited("kiosk", parse_iso(kiosk["created_at"]) + WINDOW)


def issue(db: Connection, *, phone: str, purpose: str, kiosk_code: str | None,
          now: datetime, secret: str, per_kiosk: int, language: str = "ko",
          caps: Sequence[Cap] = ()) -> int:
    """Sends a new code by SMS (class otp) and returns its id; earlier codes stop working."""
    if is_opted_out(db, phone):
        raise OptedOut()
    subject = consents.subject_of(phone, secret)
    code = f"{secrets.randbelow(1_000_000):06d}"
    code_hash = _hash(subject, code, secret)
    with transaction(db):
        _limit(db, subject, kiosk_code, now, per_kiosk)
        take(db, "code", caps, now)
        db.execute("UPDATE phone_codes SET expires_at = ? WHERE subject = ? AND expires_at > ?",
                   (iso(now), subject, iso(now)))
        code_id = db.execute(
            "INSERT INTO phone_codes (subject, code_hash, purpose, kiosk_code, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (subject, code_hash, purpose, kiosk_code, iso(now), iso(now + VALID_FOR))).fetchone()[0]
        # The id alone is not unique over time: once the newest codes are deleted (a withdrawal,
        # the hourly purge) the next code gets the same id, and the outbox, which keeps its texts
        # longer, would take the new text for one already sent and drop it.
        enqueue(db, to=phone, body=translate("register.sms.code", language, code=code),
                kind="otp", dedupe_key=f"otp:{code_id}:{code_hash[:16]}", now=now,
                valid_until=now + VALID_FOR, language=language)
    return code_id


def check(db: Connection, code_id: int, code: str, now: datetime, secret: str) -> Check:
    """Compares a typed code with the one sent; a wrong try counts even when racing a double tap."""
    with transaction(db):
        row = db.execute("SELECT * FROM phone_codes WHERE id = ?", (code_id,)).fetchone()
        if row is None or row["used_at"] is not None or parse_iso(row["expires_at"]) <= now:
            return Check("expired")
        if row["attempts"] >= MAX_TRIES:
            return Check("locked")
        if hmac.compare_digest(row["code_hash"], _hash(row["subject"], code.strip(), secret)):
            db.execute("UPDATE phone_codes SET used_at = ? WHERE id = ?", (iso(now), code_id))
            return Check("ok")
        db.execute("UPDATE phone_codes SET attempts = attempts + 1 WHERE id = ?", (code_id,))
        left = MAX_TRIES - row["attempts"] - 1
    return Check("wrong", left) if left > 0 else Check("locked")


def resend_at(db: Connection, code_id: int) -> datetime | None:
    """When a new code may be asked for, counted from this one."""
    row = db.execute("SELECT created_at FROM phone_codes WHERE id = ?", (code_id,)).fetchone()
    return parse_iso(row["created_at"]) + RESEND_AFTER if row else None


def forget_codes(db: Connection, subject: str) -> None:
    """Deletes every code sent to a number (by its fingerprint): its person withdrew."""
    db.execute("DELETE FROM phone_codes WHERE subject = ?", (subject,))


def purge_expired(db: Connection, now: datetime) -> int:
    """Deletes codes past their hour (after which they no longer count toward limits)."""
    return db.execute("DELETE FROM phone_codes WHERE created_at <= ? AND expires_at <= ?",
                      (iso(now - WINDOW), iso(now))).rowcount
