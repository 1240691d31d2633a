"""Job: openings past their deadline (a date in the center's zone) are closed."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from flask import Flask

from kiosk.core.clock import iso
from kiosk.core.db import transaction
from kiosk.core.formatting import local
from scheduler.jobs import connection, now


def close_past_deadline(db: sqlite3.Connection, today: date, at: datetime) -> int:
    """Closes open openings whose deadline day is before today; how many."""
    return db.execute(
        "UPDATE openings SET status = 'closed', updated_at = ?"
        " WHERE status = 'open' AND deadline IS NOT NULL AND deadline < ?",
        (iso(at), today.isoformat()),
    ).rowcount


def run(app: Flask) -> dict:
    at = now(app)
    with connection(app) as db, transaction(db):
        return {"closed": close_past_deadline(db, local(at, app.config["TIMEZONE"]).date(), at)}
