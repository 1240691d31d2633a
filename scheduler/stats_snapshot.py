"""Job (nightly): the day's published figures, per center and for all centers, kept as rows.

After downtime the days missed since the last snapshot are filled in too (at most
MAX_DAYS back); each day's figures are read and stored in one transaction, so the
per-center rows and the all-centers row describe the same moment.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask import Flask

from kiosk.core.clock import iso
from kiosk.core.db import Connection, transaction
from kiosk.core.formatting import local
from kiosk.places import centers
from kiosk.stats import figures as stats
from scheduler.jobs import connection, lease_guard, now

ALL_CENTERS = 0
MAX_DAYS = 31


def snapshot(db: Connection, day: date, zone: str, taken_at: str) -> int:
    """Stores `day`'s summary for every center and for all together; how many rows.

    Runs in the caller's transaction when there is one, else in its own.
    """
    with transaction(db):
        rows = []
        for center_id in (ALL_CENTERS, *(center["id"] for center in centers.every(db))):
            figures = stats.summary(db, start=day, end=day, center_id=center_id or None, zone=zone)
            rows.append((day.isoformat(), center_id, json.dumps(figures, ensure_ascii=False), taken_at))
        db.executemany("INSERT INTO stats_snapshots (day, center_id, data, taken_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (day, center_id) DO UPDATE SET data = excluded.data,"
                       " taken_at = excluded.taken_at", rows)
    return len(rows)


def days_to_take(db: Connection, yesterday: date) -> list[date]:
    """Yesterday, and every day before it since the last snapshot (at most MAX_DAYS in all)."""
    last = db.execute("SELECT max(day) FROM stats_snapshots WHERE center_id = ?", (ALL_CENTERS,)).fetchone()[0]
    first = date.fromisoformat(last) + timedelta(days=1) if last else yesterday
    first = min(max(first, yesterday - timedelta(days=MAX_DAYS - 1)), yesterday)
    return [first + timedelta(days=n) for n in range((yesterday - first).days + 1)]


def run(app: Flask) -> dict:
    """The days up to yesterday not taken yet (the job runs just after midnight in the center's zone)."""
    at = now(app)
    zone = app.config["TIMEZONE"]
    guard = lease_guard(app)
    with connection(app) as db:
        days = days_to_take(db, local(at, zone).date() - timedelta(days=1))
        rows = 0
        for day in days:
            with transaction(db):
                guard(db)
                rows += snapshot(db, day, zone, iso(at))
    return {"days": [day.isoformat() for day in days], "rows": rows}
