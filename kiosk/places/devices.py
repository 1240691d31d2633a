"""Kiosk devices and the one-time codes that enrol them: the only module that writes
kiosk_devices and kiosk_enrolment_codes.

Staff make a short code for a kiosk (valid a day, good once); the kiosk PC types it and becomes
a device of that kiosk, named by its row id in a signed cookie (kiosk.http.clients). A disabled
device is refused at its next request. Only a keyed fingerprint of a code is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, in_list, list_param, transaction

CODE_VALID_FOR = timedelta(hours=24)
# No 0/O, 1/I/L: read off one screen and typed on another without a doubt.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often per device


class Refused(Exception):
    """A code that enrols nothing: .reason is 'unknown', 'expired' or 'used'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Enrolment:
    code: str            # as shown to staff: ABCD-EFGH
    expires_at: datetime


def normalized(typed: str) -> str:
    """A typed or scanned code without spaces and dashes, in capitals."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def _fingerprint(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"enrol:{normalized(code)}".encode(), hashlib.sha256).hexdigest()


def make_code(db: Connection, kiosk_code: str, now: datetime, secret: str) -> Enrolment:
    """A new one-time code for the kiosk; its earlier unused codes stop working."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + CODE_VALID_FOR
    with transaction(db):
        db.execute("UPDATE kiosk_enrolment_codes SET expires_at = ? WHERE kiosk_code = ?"
                   " AND used_at IS NULL AND expires_at > ?", (iso(now), kiosk_code, iso(now)))
        db.execute("INSERT INTO kiosk_enrolment_codes (fingerprint, kiosk_code, created_at, expires_at)"
                   " VALUES (?, ?, ?, ?)", (_fingerprint(code, secret), kiosk_code, iso(now), iso(expires)))
    return Enrolment(f"{code[:4]}-{code[4:]}", expires)


def redeem(db: Connection, typed: str, now: datetime, secret: str) -> Row:
    """Enrols a new device with a code: the device row (with kiosk_code); raises Refused."""
    if len(normalized(typed)) != CODE_LENGTH:
        raise Refused("unknown")
    with transaction(db):
        found = db.execute("SELECT * FROM kiosk_enrolment_codes WHERE fingerprint = ?",
                           (_fingerprint(typed, secret),)).fetchone()
        if found is None:
            raise Refused("unknown")
        if found["used_at"] is not None:
            raise Refused("used")
        if parse_iso(found["expires_at"]) <= now:
            raise Refused("expired")
        device_id = _add(db, found["kiosk_code"], "code", now)
        db.execute("UPDATE kiosk_enrolment_codes SET used_at = ?, device_id = ? WHERE id = ?",
                   (iso(now), device_id, found["id"]))
    return get(db, device_id)


def enrol_automatically(db: Connection, kiosk_code: str, now: datetime) -> Row:
    """A device enrolled without a code (the demo, development mode, tests)."""
    return get(db, _add(db, kiosk_code, "automatic", now))


def _add(db: Connection, kiosk_code: str, how: str, now: datetime) -> int:
    return db.execute("INSERT INTO kiosk_devices (kiosk_code, enrolled_at, enrolled_how, last_seen_at)"
                      " VALUES (?, ?, ?, ?) RETURNING id", (kiosk_code, iso(now), how, iso(now))).fetchone()[0]


def get(db: Connection, device_id: int) -> Row | None:
    return db.execute("SELECT * FROM kiosk_devices WHERE id = ?", (device_id,)).fetchone()


def seen(db: Connection, device: Row, now: datetime) -> bool:
    """The device reported in: noted (True) when its last note is older than SEEN_EVERY."""
    last = device["last_seen_at"]
    if last is not None and parse_iso(last) + SEEN_EVERY > now:
        return False
    db.execute("UPDATE kiosk_devices SET last_seen_at = ? WHERE id = ?", (iso(now), device["id"]))
    return True


def disable(db: Connection, device_id: int, now: datetime) -> bool:
    """The device is refused from its next request on; False when it was already."""
    return db.execute("UPDATE kiosk_devices SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                      (iso(now), device_id)).rowcount == 1


def of_kiosks(db: Connection, kiosk_codes: list[str]) -> dict[str, list[Row]]:
    """{kiosk code: its enabled devices, most recently seen first}."""
    found: dict[str, list[Row]] = {code: [] for code in kiosk_codes}
    for row in db.execute(f"SELECT * FROM kiosk_devices WHERE disabled_at IS NULL AND {in_list('kiosk_code')}"
                          " ORDER BY last_seen_at DESC NULLS LAST, id DESC", (list_param(kiosk_codes),)):
        found[row["kiosk_code"]].append(row)
    return found


def is_online(device: Row, now: datetime, within: timedelta) -> bool:
    """Seen within `within` of now."""
    return device["last_seen_at"] is not None and parse_iso(device["last_seen_at"]) + within > now
