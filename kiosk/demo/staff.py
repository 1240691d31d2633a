"""Demo console accounts, one per role, with known passwords that `jobstop start` prints.

The admin sees everything; the staff member works at the Suwon Station booth; the counselor
account is the booth's first counselor. Demo only: production accounts get a one-time link.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.core.db import Connection
from kiosk.places import centers
from kiosk.staff import accounts

BOOTH = "수원역 일자리센터 상담부스"
# email, name, role, password
DEMO_ACCOUNTS = [
    ("admin@demo.jobstop.kr", "데모 관리자", "admin", "demo-admin-jobstop"),
    ("staff@demo.jobstop.kr", "데모 센터직원", "staff", "demo-staff-jobstop"),
    ("counselor@demo.jobstop.kr", "데모 상담사", "counselor", "demo-counselor-jobstop"),
]


def load(db: Connection, now: datetime, _zone: str, _secret: str) -> None:
    """The three demo accounts; an account already there (its password perhaps changed) is kept."""
    booth = centers.by_name(db, BOOTH)
    if booth is None:
        return
    counselor = db.execute("SELECT id, name FROM counselors WHERE center_id = ? ORDER BY id LIMIT 1",
                           (booth["id"],)).fetchone()
    for email, name, role, password in DEMO_ACCOUNTS:
        if accounts.by_email(db, email) is not None or (role == "counselor" and counselor is None):
            continue
        if role == "counselor" and db.execute("SELECT 1 FROM staff_accounts WHERE counselor_id = ?",
                                              (counselor["id"],)).fetchone():
            continue
        accounts.add(db, f"{name} {counselor['name']}" if role == "counselor" else name, email, role, now,
                     center_id=booth["id"], counselor_id=counselor["id"] if counselor else None, password=password)


def present(db: Connection) -> list[tuple[str, str, str]]:
    """(role, email, password) of the demo accounts in this database, to print."""
    return [(role, email, password) for email, _name, role, password in DEMO_ACCOUNTS
            if accounts.by_email(db, email) is not None]
