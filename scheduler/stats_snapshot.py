"""Job (nightly): the day's published figures, per center and for all centers, kept as rows."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from flask import Flask

from kiosk import stats
from kiosk.clock import iso
from kiosk.db import transaction
from kiosk.formatting import local
from scheduler.jobs import connection, now

ALL_CENTERS = 0


def snapshot(db: sqlite3.Connection, day: date, zone: str, taken_at: str) -> int:
    """Stores `day`'s summary for every center and for all together; how many rows."""
    centers = [row[0] for row in db.execute("SELECT id FROM centers ORDER BY id")]
    rows = []
    for center_id in (ALL_CENTERS, *centers):
        figures = stats.summary(db, start=day, end=day, center_id=center_id or None, zone=zone)
        rows.append((day.isoformat(), center_id, json.dumps(figures, ensure_ascii=False), taken_at))
    with transaction(db):
        db.executemany("INSERT INTO stats_snapshots (day, center_id, data, taken_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (day, center_id) DO UPDATE SET data = excluded.data,"
                       " taken_at = excluded.taken_at", rows)
    return len(rows)


def run(app: Flask) -> dict:
    """Yesterday's figures (the job runs just after midnight in the center's zone)."""
    at = now(app)
    zone = app.config["TIMEZONE"]
    day = local(at, zone).date() - timedelta(days=1)
    with connection(app) as db:
        return {"day": day.isoformat(), "rows": snapshot(db, day, zone, iso(at))}
