"""Job (nightly): keep personal data only as long as it is needed.

- seekers inactive longer than INACTIVE_DAYS are anonymized (kiosk.seekers.anonymize). A
  seeker is active when they used a kiosk screen or texted JobStop (last_active_at), or had
  an appointment booked, held or recorded in that period; one with an appointment still to
  come is never anonymized;
- withdrawn seekers' remaining data goes: their alert pairs and counters, and the texts
  JobStop sent them (the rows hold their number and what was said). Each is done once:
  seekers.forgotten_at marks them, and the match rows are read in one pass for all of them;
- one-time codes past their hour, inbound texts older than INBOUND_RETENTION_DAYS,
  expired kiosk sessions, pairs of openings closed long ago, status callbacks kept
  for a message SID that never came (older than a day), and counts toward hourly caps
  older than a day;
- access records older than ACCESS_RECORD_DAYS (never younger than two years:
  kiosk.staff.access_records.KEEP_DAYS is the floor whatever the setting says).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from kiosk.alerts import pairs as matching
from kiosk.alerts import recipients
from kiosk.core import limits
from kiosk.core.clock import iso
from kiosk.core.db import Connection, transaction
from kiosk.counseling import records, staff_help
from kiosk.http import sessions
from kiosk.seekers import store as seekers
from kiosk.seekers import verification
from kiosk.staff import access_records
from scheduler import runs
from scheduler.jobs import connection, lease_guard, now
from sms.outbound import delivery, outbox
from sms.outbound import inbox as inbound

CLOSED_PAIRS_KEEP = timedelta(days=7)  # a closed opening is never alerted; reopened, it is new
JOB_RUNS_KEEP = timedelta(days=30)
EARLY_STATUSES_KEEP = timedelta(days=1)  # status callbacks for a SID never stored


def inactive_seekers(db: Connection, before: datetime) -> list[int]:
    """Active seekers with no activity since `before`: none recorded, and no appointment booked,
    starting (an appointment still to come starts after `before` too) or given an outcome since."""
    return [row[0] for row in db.execute(
        "SELECT s.id FROM seekers s WHERE s.status = 'active' AND s.last_active_at < :before"
        " AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.seeker_id = s.id"
        "   AND (a.starts_at >= :before OR a.created_at >= :before OR a.outcome_at >= :before))",
        {"before": iso(before)})]


def to_forget(db: Connection) -> list[int]:
    """Withdrawn seekers whose leftovers are still here (not marked forgotten yet)."""
    return [row[0] for row in db.execute(
        "SELECT id FROM seekers WHERE status = 'withdrawn' AND forgotten_at IS NULL ORDER BY id")]


def overdue(app: Flask) -> bool:
    """True when no run has succeeded in the last day (the scheduler then runs it at start)."""
    with connection(app) as db:
        last = runs.last_success(db, "retention")
    return last is None or now(app) - last > timedelta(days=1)


def anonymize_inactive(app: Flask, db: Connection, at: datetime) -> int:
    """Anonymizes every seeker inactive longer than INACTIVE_DAYS; how many."""
    inactive = inactive_seekers(db, at - timedelta(days=int(app.config["INACTIVE_DAYS"])))
    for seeker_id in inactive:
        seekers.anonymize(db, seeker_id, at, "retention", secret=app.config["SECRET_KEY"])
    return len(inactive)


def forget_withdrawn(app: Flask, db: Connection, at: datetime) -> dict[str, int]:
    """Every withdrawn seeker not yet forgotten, all in one pass; then marked so as not to repeat."""
    gone = to_forget(db)
    pairs = matching.forget_seekers(db, gone, guard=lease_guard(app))
    deleted = outbox.forget_messages(db, gone)
    with transaction(db):
        records.forget_notes(db, gone)
    seekers.mark_forgotten(db, gone, at)
    return {"forgotten": len(gone), "pairs_forgotten": pairs, "messages_deleted": deleted}


def purge(app: Flask, db: Connection, at: datetime) -> dict[str, int]:
    """Codes, old inbound texts, call-back requests, sessions, old pairs, counters, job runs: one transaction."""
    counts: dict[str, int] = {}
    with transaction(db):
        lease_guard(app)(db)
        counts["codes"] = verification.purge_expired(db, at)
        keep_inbound = timedelta(days=int(app.config["INBOUND_RETENTION_DAYS"]))
        counts["inbound"] = inbound.purge_older_than(db, at - keep_inbound)
        keep_callbacks = timedelta(days=int(app.config["CALLBACK_RETENTION_DAYS"]))
        counts["callbacks"] = staff_help.purge_older_than(db, at - keep_callbacks)
        counts["sessions"] = sessions.purge_expired(db, at)
        counts["old_pairs"] = matching.prune(db, at - CLOSED_PAIRS_KEEP)
        recipients.prune_counts(db, (at - timedelta(days=2)).date().isoformat())
        runs.purge_before(db, at - JOB_RUNS_KEEP)
        counts["early_statuses"] = delivery.purge_early_statuses(db, at - EARLY_STATUSES_KEEP)
        counts["limit_counts"] = limits.purge_old(db, at)
        counts["access_records"] = access_records.purge_older_than(db, at, int(app.config["ACCESS_RECORD_DAYS"]))
    return counts


def run(app: Flask) -> dict:
    at = now(app)
    with connection(app) as db:
        counts = {"anonymized": anonymize_inactive(app, db, at)}
        counts.update(forget_withdrawn(app, db, at))
        counts.update(purge(app, db, at))
    return counts
