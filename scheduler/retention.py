"""Job (nightly): keep personal data only as long as it is needed.

- seekers inactive longer than INACTIVE_DAYS are anonymized (kiosk.seekers.anonymize);
- withdrawn seekers' remaining data goes: their alert pairs and counters, and the texts
  JobStop sent them (the rows hold their number and what was said);
- one-time codes past their hour, inbound texts older than INBOUND_RETENTION_DAYS,
  expired kiosk sessions, and pairs of openings closed long ago.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from flask import Flask

from kiosk import matching, seekers, sessions, verification
from kiosk.clock import iso, parse_iso
from kiosk.db import transaction
from scheduler.jobs import connection, now
from sms import inbound

FINAL = ("sent", "delivered", "undelivered", "failed", "expired", "cancelled")
CLOSED_PAIRS_KEEP = timedelta(days=7)  # a closed opening is never alerted; reopened, it is new
JOB_RUNS_KEEP = timedelta(days=30)


def inactive_seekers(db: sqlite3.Connection, before: datetime) -> list[int]:
    return [row[0] for row in db.execute(
        "SELECT id FROM seekers WHERE status = 'active' AND last_active_at < ?", (iso(before),))]


def withdrawn_since(db: sqlite3.Connection, since: datetime) -> list[int]:
    """Seekers withdrawn (or anonymized) after `since`: their leftovers are still here."""
    return [row[0] for row in db.execute(
        "SELECT id FROM seekers WHERE status = 'withdrawn' AND withdrawn_at >= ?", (iso(since),))]


def forget_messages(db: sqlite3.Connection, seeker_ids: list[int]) -> int:
    """Deletes finished outbox rows of these seekers (queued ones were cancelled already)."""
    if not seeker_ids:
        return 0
    marks = ", ".join("?" for _ in seeker_ids)
    return db.execute(
        f"DELETE FROM sms_messages WHERE seeker_id IN ({marks}) AND status IN ({', '.join('?' for _ in FINAL)})",
        (*seeker_ids, *FINAL)).rowcount


def last_run(db: sqlite3.Connection) -> datetime | None:
    row = db.execute("SELECT max(started_at) FROM job_runs WHERE job_id = 'retention' AND outcome = 'ok'").fetchone()
    return parse_iso(row[0]) if row and row[0] else None


def run(app: Flask) -> dict:
    at = now(app)
    counts: dict[str, int] = {}
    with connection(app) as db:
        cutoff = at - timedelta(days=int(app.config["INACTIVE_DAYS"]))
        inactive = inactive_seekers(db, cutoff)
        for seeker_id in inactive:
            seekers.anonymize(db, seeker_id, at, "retention", secret=app.config["SECRET_KEY"])
        counts["anonymized"] = len(inactive)
        # Everyone withdrawn since well before the last successful run, so a missed night is caught up.
        since = (last_run(db) or datetime.fromtimestamp(0, at.tzinfo)) - timedelta(days=2)
        with transaction(db):
            gone = withdrawn_since(db, since)
            counts["pairs_forgotten"] = matching.forget_seekers(db, gone)
            counts["messages_deleted"] = forget_messages(db, gone)
            counts["codes"] = verification.purge_expired(db, at)
            keep_inbound = timedelta(days=int(app.config["INBOUND_RETENTION_DAYS"]))
            counts["inbound"] = inbound.purge_older_than(db, at - keep_inbound)
            counts["sessions"] = sessions.purge_expired(db, at)
            counts["old_pairs"] = matching.prune(db, at - CLOSED_PAIRS_KEEP)
            db.execute("DELETE FROM alert_daily_counts WHERE day < ?", ((at - timedelta(days=2)).date().isoformat(),))
            db.execute("DELETE FROM job_runs WHERE started_at < ?", (iso(at - JOB_RUNS_KEEP),))
    return counts
