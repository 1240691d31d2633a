"""Job: the daily digest at 09:00 and the weekly one on Monday 09:00, in the center's zone.

Each slot (the local date of its 09:00) runs once: the job runs the latest slot that has
not run, so after downtime a missed digest runs once, not once per missed day, and the
pairs of the missed days are all in it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Flask

from kiosk import alerts, matching
from kiosk.formatting import local
from scheduler.jobs import connection, now


def latest_slot(kind: str, at: datetime, zone: str, hour: int) -> date:
    """The local date of the latest digest moment at or before `at` (Mondays for weekly)."""
    here = local(at, zone)
    day = here.date() if here.time() >= time(hour) else here.date() - timedelta(days=1)
    if kind == "weekly":
        day -= timedelta(days=day.weekday())
    return day


def missed(app: Flask) -> list[str]:
    """Kinds whose latest slot has not finished (the scheduler runs the job at start for them)."""
    at = now(app)
    found = []
    with connection(app) as db:
        for kind in ("daily", "weekly"):
            slot = latest_slot(kind, at, app.config["TIMEZONE"], int(app.config["DIGEST_HOUR"]))
            row = db.execute("SELECT finished_at FROM digest_runs WHERE kind = ? AND slot = ?",
                             (kind, slot.isoformat())).fetchone()
            if row is None or row["finished_at"] is None:
                found.append(kind)
    return found


def run(app: Flask) -> dict:
    at = now(app)
    settings = alerts.Settings.from_config(app.config)
    done = {}
    with connection(app) as db, connection(app) as reader:
        matching.use_large_cache(reader, megabytes=64)  # the sort of a day's pairs by seeker
        for kind in ("weekly", "daily"):
            slot = latest_slot(kind, at, settings.zone, int(app.config["DIGEST_HOUR"])).isoformat()
            result = alerts.run_digest(db, reader, kind, slot, at, settings)
            done[kind] = {"slot": slot, "ran": result.ran, "seekers": result.seekers, "messages": result.messages}
    return done
