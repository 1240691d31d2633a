"""Job (nightly): keep personal data only as long as it is needed.

- seekers inactive longer than INACTIVE_DAYS are anonymized (kiosk.seekers.anonymize). A
  seeker is active when they used a kiosk screen or texted JobStop (last_active_at), or had
  an appointment booked, held or recorded in that period; one with an appointment still to
  come is never anonymized;
- withdrawn seekers' remaining data goes: their alert pairs and counters, and the texts
  JobStop sent them (the rows hold their number and what was said). Each is done once:
  seekers.forgotten_at marks them, and the match rows are read in one pass for all of them;
- one-time codes past their hour, inbound texts older than INBOUND_RETENTION_DAYS,
  expired kiosk sessions, pairs of openings closed long ago, and status callbacks kept
  for a message SID that never came (older than a day).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

from flask import Flask

from kiosk.alerts import pairs as matching
from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import transaction
from kiosk.http import sessions
from kiosk.seekers import store as seekers
from kiosk.seekers import verification
from scheduler.jobs import connection, lease_guard, now
from sms.inbound import log as inbound
from sms.outbound import delivery

FINAL = ("sent", "delivered", "undelivered", "failed", "expired", "cancelled")
CLOSED_PAIRS_KEEP = timedelta(days=7)  # a closed opening is never alerted; reopened, it is new
JOB_RUNS_KEEP = timedelta(days=30)
EARLY_STATUSES_KEEP = timedelta(days=1)  # status callbacks for a SID never stored
IDS_PER_STATEMENT = 500


def inactive_seekers(db: sqlite3.Connection, before: datetime) -> list[int]:
    """Active seekers with no activity since `before`: none recorded, and no appointment booked,
    starting (an appointment still to come starts after `before` too) or given an outcome since."""
    return [row[0] for row in db.execute(
        "SELECT s.id FROM seekers s WHERE s.status = 'active' AND s.last_active_at < :before"
        " AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.seeker_id = s.id"
        "   AND (a.starts_at >= :before OR a.created_at >= :before OR a.outcome_at >= :before))",
        {"before": iso(before)})]


def to_forget(db: sqlite3.Connection) -> list[int]:
    """Withdrawn seekers whose leftovers are still here (not marked forgotten yet)."""
    return [row[0] for row in db.execute(
        "SELECT id FROM seekers WHERE status = 'withdrawn' AND forgotten_at IS NULL ORDER BY id")]


def _chunks(seeker_ids: list[int]) -> list[str]:
    """The ids as JSON arrays of IDS_PER_STATEMENT, for `IN (SELECT value FROM json_each(?))`."""
    return [json.dumps(seeker_ids[i:i + IDS_PER_STATEMENT]) for i in range(0, len(seeker_ids), IDS_PER_STATEMENT)]


def forget_messages(db: sqlite3.Connection, seeker_ids: list[int]) -> int:
    """Deletes finished outbox rows of these seekers (queued ones were cancelled already)."""
    deleted = 0
    for some in _chunks(seeker_ids):
        with transaction(db):
            deleted += db.execute(
                "DELETE FROM sms_messages WHERE seeker_id IN (SELECT value FROM json_each(?))"
                f" AND status IN ({', '.join('?' for _ in FINAL)})", (some, *FINAL)).rowcount
    return deleted


def mark_forgotten(db: sqlite3.Connection, seeker_ids: list[int], at: datetime) -> None:
    """Stamps forgotten_at on these seekers, so the next run leaves them out."""
    for some in _chunks(seeker_ids):
        with transaction(db):
            db.execute("UPDATE seekers SET forgotten_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                       (iso(at), some))


def last_run(db: sqlite3.Connection) -> datetime | None:
    row = db.execute("SELECT max(started_at) FROM job_runs WHERE job_id = 'retention' AND outcome = 'ok'").fetchone()
    return parse_iso(row[0]) if row and row[0] else None


def overdue(app: Flask) -> bool:
    """True when no run has succeeded in the last day (the scheduler then runs it at start)."""
    with connection(app) as db:
        last = last_run(db)
    return last is None or now(app) - last > timedelta(days=1)


def anonymize_inactive(app: Flask, db: sqlite3.Connection, at: datetime) -> int:
    """Anonymizes every seeker inactive longer than INACTIVE_DAYS; how many."""
    inactive = inactive_seekers(db, at - timedelta(days=int(app.config["INACTIVE_DAYS"])))
    for seeker_id in inactive:
        seekers.anonymize(db, seeker_id, at, "retention", secret=app.config["SECRET_KEY"])
    return len(inactive)


def forget_withdrawn(app: Flask, db: sqlite3.Connection, at: datetime) -> dict[str, int]:
    """Every withdrawn seeker not yet forgotten, all in one pass; then marked so as not to repeat."""
    gone = to_forget(db)
    pairs = matching.forget_seekers(db, gone, guard=lease_guard(app))
    deleted = forget_messages(db, gone)
    mark_forgotten(db, gone, at)
    return {"forgotten": len(gone), "pairs_forgotten": pairs, "messages_deleted": deleted}


def purge(app: Flask, db: sqlite3.Connection, at: datetime) -> dict[str, int]:
    """Codes, old inbound texts, sessions, old pairs, counters and job runs, in one transaction."""
    counts: dict[str, int] = {}
    with transaction(db):
        lease_guard(app)(db)
        counts["codes"] = verification.purge_expired(db, at)
        keep_inbound = timedelta(days=int(app.config["INBOUND_RETENTION_DAYS"]))
        counts["inbound"] = inbound.purge_older_than(db, at - keep_inbound)
        counts["sessions"] = sessions.purge_expired(db, at)
        counts["old_pairs"] = matching.prune(db, at - CLOSED_PAIRS_KEEP)
        db.execute("DELETE FROM alert_daily_counts WHERE day < ?", ((at - timedelta(days=2)).date().isoformat(),))
        db.execute("DELETE FROM job_runs WHERE started_at < ?", (iso(at - JOB_RUNS_KEEP),))
        counts["early_statuses"] = delivery.purge_early_statuses(db, at - EARLY_STATUSES_KEEP)
    return counts


def run(app: Flask) -> dict:
    at = now(app)
    with connection(app) as db:
        counts = {"anonymized": anonymize_inactive(app, db, at)}
        counts.update(forget_withdrawn(app, db, at))
        counts.update(purge(app, db, at))
    return counts
