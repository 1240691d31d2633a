"""Job (nightly): the day's counts per center and for all centers kept as snapshot rows (what the
trend charts read for past days), and the kiosks' usage events summed per kiosk, screen and day,
the events themselves purged once USAGE_EVENTS_KEEP_DAYS old (docs/stats.md).

After downtime the days missed since the last snapshot are filled in too (at most MAX_DAYS
back), and so is every kept day that changed since (rows recorded later for it, programs set
later for its seekers) or that was kept before its totals were; all in one transaction, so the
per-center rows, the all-centers row, the months and the seekers not hired describe the same
moment.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask

from kiosk.core.clock import iso
from kiosk.core.db import Connection, transaction
from kiosk.core.formatting import local
from kiosk.stats import snapshots, usage_daily
from scheduler.jobs import connection, lease_guard, now

MAX_DAYS = 31


def days_to_take(db: Connection, yesterday: date) -> list[date]:
    """Yesterday, and every day before it since the last snapshot (at most MAX_DAYS in all)."""
    last = snapshots.last_day(db)
    first = last + timedelta(days=1) if last else yesterday
    first = min(max(first, yesterday - timedelta(days=MAX_DAYS - 1)), yesterday)
    return [first + timedelta(days=n) for n in range((yesterday - first).days + 1)]


def run(app: Flask) -> dict:
    """The days up to yesterday not taken yet (the job runs just after midnight in the center's zone)."""
    at = now(app)
    zone = app.config["TIMEZONE"]
    guard = lease_guard(app)
    today = local(at, zone).date()
    with connection(app) as db:
        days = days_to_take(db, today - timedelta(days=1))
        with transaction(db):
            guard(db)
            again = sorted(set(snapshots.days_without_totals(db)) | snapshots.changed_days(db, zone))
            rows = snapshots.take_days(db, sorted(set(days) | set(again)), zone, iso(at))
        with transaction(db):
            guard(db)
            usage = usage_daily.sum_and_purge(db, today, zone, keep_days=int(app.config["USAGE_EVENTS_KEEP_DAYS"]))
    return {"days": [day.isoformat() for day in days], "counted_again": [day.isoformat() for day in again],
            "rows": rows, **usage}
