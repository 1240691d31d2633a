"""Digest runs: one row per digest (kind and slot), the batches of pairs it covers and when it
finished, so a slot runs once and a crashed run resumes with the same batches.

The only module that writes digest_runs; the composer runs the digests, the scheduler's digest
job asks here which slot is due.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, transaction


def get(db: Connection, kind: str, slot: str) -> Row | None:
    return db.execute("SELECT * FROM digest_runs WHERE kind = ? AND slot = ?", (kind, slot)).fetchone()


def any_run(db: Connection, kind: str) -> bool:
    """Whether a digest of this kind ever ran (started)."""
    return db.execute("SELECT 1 FROM digest_runs WHERE kind = ?", (kind,)).fetchone() is not None


def start(db: Connection, kind: str, slot: str, last_batch: int, now: datetime) -> Row | None:
    """The run for (kind, slot): started now up to `last_batch`, or the unfinished one to
    resume; None if it finished."""
    with transaction(db):
        row = get(db, kind, slot)
        if row is not None:
            return None if row["finished_at"] else row
        previous = db.execute("SELECT coalesce(max(last_batch), 0) FROM digest_runs WHERE kind = ?",
                              (kind,)).fetchone()[0]
        return db.execute(
            "INSERT INTO digest_runs (kind, slot, first_batch, last_batch, started_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING *",
            (kind, slot, previous + 1, last_batch, iso(now))).fetchone()


def next_first_batch(db: Connection, kind: str) -> int:
    """The first batch the next digest of this kind covers (after the last one started)."""
    return db.execute("SELECT coalesce(max(last_batch), 0) FROM digest_runs WHERE kind = ?", (kind,)).fetchone()[0] + 1


def record_plan(db: Connection, kind: str, slot: str, plan: list[dict], folded: int) -> None:
    """The run's plan: per window its digests, expected last send time and how many do not fit."""
    with transaction(db):
        db.execute("UPDATE digest_runs SET plan = ?, folded = ? WHERE kind = ? AND slot = ?",
                   (json.dumps(plan), folded, kind, slot))


def plan_of(row: Row) -> list[dict]:
    return json.loads(row["plan"]) if row["plan"] else []


def days_covered(db: Connection, kind: str, slot: str) -> int | None:
    """Days since the previous digest of this kind (None before the first)."""
    previous = db.execute("SELECT max(slot) FROM digest_runs WHERE kind = ? AND slot < ?", (kind, slot)).fetchone()[0]
    return (date.fromisoformat(slot) - date.fromisoformat(previous)).days if previous else None


def finish(db: Connection, kind: str, slot: str, now: datetime, *, seekers: int, messages: int) -> None:
    with transaction(db):
        db.execute("UPDATE digest_runs SET finished_at = ?, seekers = ?, messages = ? WHERE kind = ? AND slot = ?",
                   (iso(now), seekers, messages, kind, slot))
