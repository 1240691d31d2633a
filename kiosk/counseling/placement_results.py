"""A placement referral's result (hired, not hired, pending) and the hire it is.

A hire is the seeker's own (seekers.employed_at, written by kiosk.seekers.store.mark_employed,
the writer every path uses: the counselor's 결과 text, the outcome prompt, the console), so a
person is counted hired once. A referral marked hired writes the hire only when none is
recorded yet, and remembers the instant it wrote (hire_at); taking the result back (another
result, another hire date, a cancelled referral) withdraws only a hire this referral wrote.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row
from kiosk.counseling import records
from kiosk.seekers import store as seekers


def _occupation(db: Connection, row: Row) -> str | None:
    if row["occupation"]:
        return row["occupation"]
    if row["opening_id"]:
        found = db.execute("SELECT occupation FROM openings WHERE id = ?", (row["opening_id"],)).fetchone()
        return found[0] if found else None
    return None


def set_result(db: Connection, row: Row, *, result: str, hired_on: date | None, hire_at: datetime | None,
               account_id: int | None, now: datetime) -> tuple[bool, list[str]]:
    """(whether anything changed, the hire instants written or withdrawn: for the figures' days)."""
    if result not in records.RESULTS or (result == "hired") != (hired_on is not None and hire_at is not None):
        raise ValueError(result)
    touched: list[str] = []
    written = row["hire_at"]
    day = hired_on.isoformat() if hired_on else None
    if written and (result != "hired" or day != row["hired_on"]):
        if row["seeker_id"] is not None and seekers.withdraw_hire(db, row["seeker_id"], written):
            touched.append(written)
        written = None
    if result == "hired" and written is None and row["seeker_id"] is not None and hire_at is not None:
        seeker = seekers.get(db, row["seeker_id"])
        if seeker is not None and seeker["employed_at"] is None:
            seekers.mark_employed(db, row["seeker_id"], occupation=_occupation(db, row), employer=row["employer"],
                                  now=hire_at)
            written = iso(hire_at)
            touched.append(written)
    changed = records.change_placement(db, row, fields={"result": result, "hired_on": day, "hire_at": written},
                                       account_id=account_id, now=now)
    return changed, touched


def cancel(db: Connection, row: Row, *, account_id: int | None, now: datetime) -> list[str]:
    """A wrong referral cancelled, with the hire it wrote (if still the seeker's); the instants touched."""
    touched = [row["at"]]
    if row["hire_at"] and row["seeker_id"] is not None and seekers.withdraw_hire(db, row["seeker_id"], row["hire_at"]):
        touched.append(row["hire_at"])
    records.cancel_placement(db, row, account_id=account_id, now=now)
    return touched


def openings_in(db: Connection, region: str | None, limit: int = 200) -> list[Row]:
    """The open openings of a region (a center's), newest first: what a referral can name."""
    if not region:
        return []
    return db.execute("SELECT id, title, employer, occupation FROM openings WHERE status = 'open' AND region = ?"
                      " ORDER BY posted_on DESC, id DESC LIMIT ?", (region, limit)).fetchall()
