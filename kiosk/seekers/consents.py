"""The consent ledger: each answer to a versioned notice, and each withdrawal, kept as proof.

Rows name the person by a keyed fingerprint of the phone number, so after withdrawal the
ledger still proves what was agreed and withdrawn without holding the number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.phones import fingerprint

# The notice text is register.notice.<kind>.* in the catalog; change the version whenever
# that text changes, so the ledger shows which wording a person agreed to.
NOTICE_VERSIONS = {
    "personal_data": "2026-12-v2",  # v2: name and birth year optional, added on My page
    "sms_alerts": "2026-11-v1",
    "night_alerts": "2026-11-v1",
    "single_message": "2026-11-v1",
}
REGISTRATION_KINDS = ("personal_data", "sms_alerts", "night_alerts")


def subject_of(phone: str, secret: str) -> str:
    """The ledger's name for a phone number: a fingerprint keyed with the app's secret."""
    return fingerprint(phone, secret)


def record(db: Connection, *, phone: str, kind: str, granted: bool, now: datetime,
           kiosk_code: str | None, secret: str, seeker_id: int | None = None, context: str = "kiosk") -> int:
    """Appends one answer to the ledger; returns its id."""
    return db.execute(
        "INSERT INTO consents (seeker_id, subject, kind, notice_version, granted, context,"
        " kiosk_code, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (seeker_id, subject_of(phone, secret), kind, NOTICE_VERSIONS[kind], int(granted),
         context, kiosk_code, iso(now)),
    ).fetchone()[0]


def answer(db: Connection, *, phone: str, kind: str, granted: bool, now: datetime,
           kiosk_code: str | None, secret: str, within: timedelta = timedelta(minutes=10)) -> int:
    """Records a kiosk answer once: the same answer again within a visit (a double tap, two
    requests racing) returns the row already written. Serialized by the write transaction."""
    with transaction(db):
        same = db.execute(
            "SELECT id, granted, notice_version, kiosk_code, at FROM consents"
            " WHERE subject = ? AND kind = ? AND context = 'kiosk' ORDER BY at DESC, id DESC LIMIT 1",
            (subject_of(phone, secret), kind)).fetchone()
        if (same and same["granted"] == int(granted) and same["notice_version"] == NOTICE_VERSIONS[kind]
                and same["kiosk_code"] == kiosk_code and same["at"] >= iso(now - within)):
            return same["id"]
        return record(db, phone=phone, kind=kind, granted=granted, now=now, kiosk_code=kiosk_code,
                      secret=secret)


def attach(db: Connection, ids: Iterable[int], seeker_id: int) -> None:
    """Links the answers given before the seeker row existed to the new seeker."""
    db.executemany("UPDATE consents SET seeker_id = ? WHERE id = ? AND seeker_id IS NULL",
                   [(seeker_id, consent_id) for consent_id in ids])


def record_withdrawal(db: Connection, seeker_id: int, phone: str, now: datetime, *,
                      context: str, secret: str, kiosk_code: str | None = None) -> None:
    """Every registration consent withdrawn, recorded the same way it was given."""
    for kind in REGISTRATION_KINDS:
        record(db, phone=phone, kind=kind, granted=False, now=now, kiosk_code=kiosk_code,
               seeker_id=seeker_id, context=context, secret=secret)


def history(db: Connection, seeker_id: int) -> list[Row]:
    """A seeker's ledger rows, oldest first."""
    return db.execute("SELECT * FROM consents WHERE seeker_id = ? ORDER BY at, id",
                      (seeker_id,)).fetchall()
