"""Access records (개인정보의 안전성 확보조치 기준): the only module that writes access_records.

Who (the account, or the email a failed sign-in typed), when, from which address, what they
did (a short action word and what it touched), with which seeker and why where a reason is
asked. Kept at least KEEP_DAYS (two years); nothing deletes a younger one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row

KEEP_DAYS = 731  # two years, a leap day included
ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "view", "search", "export", "change", "withdraw", "account")
COLUMNS = "r.id, r.at, r.account_id, r.email, r.address, r.action, r.what, r.seeker_id, r.reason, a.name"


@dataclass(frozen=True)
class Filters:
    """Which records to list: an instant range [start, end) and optionally one account, action or seeker."""

    start: datetime
    end: datetime
    account_id: int | None = None
    action: str | None = None
    seeker_id: int | None = None

    def where(self) -> tuple[str, list]:
        clauses, params = ["r.at >= ?", "r.at < ?"], [iso(self.start), iso(self.end)]
        for column, value in (("r.account_id", self.account_id), ("r.action", self.action),
                              ("r.seeker_id", self.seeker_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses), params


def add(db: Connection, at: datetime, *, account_id: int | None, email: str, address: str, action: str,
        what: str, seeker_id: int | None = None, reason: str | None = None) -> int:
    row = db.execute(
        "INSERT INTO access_records (at, account_id, email, address, action, what, seeker_id, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (iso(at), account_id, email, address, action, what, seeker_id, reason),
    ).fetchone()
    return row[0]


def count(db: Connection, filters: Filters) -> int:
    where, params = filters.where()
    return db.execute(f"SELECT COUNT(*) FROM access_records r WHERE {where}", params).fetchone()[0]


def page(db: Connection, filters: Filters, *, limit: int, offset: int) -> list[Row]:
    """One page of the records, newest first."""
    where, params = filters.where()
    return db.execute(
        f"SELECT {COLUMNS} FROM access_records r LEFT JOIN staff_accounts a ON a.id = r.account_id"
        f" WHERE {where} ORDER BY r.at DESC, r.id DESC LIMIT ? OFFSET ?", [*params, limit, offset],
    ).fetchall()


def every(db: Connection, filters: Filters, batch: int = 1000) -> Iterator[Row]:
    """All the records, oldest first, read a batch at a time (for an export of any size)."""
    where, params = filters.where()
    after = -1
    while True:
        rows = db.execute(
            f"SELECT {COLUMNS} FROM access_records r LEFT JOIN staff_accounts a ON a.id = r.account_id"
            f" WHERE {where} AND r.id > ? ORDER BY r.id LIMIT ?", [*params, after, batch],
        ).fetchall()
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]["id"]


def count_since(db: Connection, action: str, since: datetime) -> int:
    return db.execute("SELECT COUNT(*) FROM access_records WHERE action = ? AND at >= ?",
                      (action, iso(since))).fetchone()[0]


def purge_older_than(db: Connection, now: datetime, keep_days: int) -> int:
    """Deletes records older than keep_days (never fewer than KEEP_DAYS); how many."""
    cutoff = now - timedelta(days=max(keep_days, KEEP_DAYS))
    return db.execute("DELETE FROM access_records WHERE at < ?", (iso(cutoff),)).rowcount
