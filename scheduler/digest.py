"""Job: the daily digest at 09:00 and the weekly one on Monday 09:00, in the center's zone.

Each slot (the local date of its 09:00) runs once: the job runs the latest slot that has
not run, so after downtime a missed digest runs once, not once per missed day, and the
pairs of the missed days are all in it. Before it, matching runs until nothing is left, so
openings posted while the scheduler was down are in it too.

A missed slot is not caught up when the next one is less than CATCH_UP_GAP away: its pairs
go into that next digest instead of two digests arriving hours apart (a restart at 03:00
sends one digest at 09:00, not yesterday's held to 08:00 and today's at 09:00). A weekly
digest is not caught up on a fresh install (no weekly digest has run yet): the first one
is the next Monday's, with everything since.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from kiosk.alerts import composer as alerts
from kiosk.alerts import digest_runs, digests
from kiosk.alerts import pairs as matching
from kiosk.core.db import Connection
from kiosk.core.formatting import local
from scheduler import match
from scheduler.jobs import connection, lease_guard, now

KINDS = ("weekly", "daily")
PERIOD = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
CATCH_UP_GAP = timedelta(hours=12)
MAX_MATCH_RUNS = 20  # each run takes up to match.MAX_BATCHES_PER_RUN batches


def latest_slot(kind: str, at: datetime, zone: str, hour: int) -> date:
    """The local date of the latest digest moment at or before `at` (Mondays for weekly)."""
    here = local(at, zone)
    day = here.date() if here.time() >= time(hour) else here.date() - timedelta(days=1)
    if kind == "weekly":
        day -= timedelta(days=day.weekday())
    return day


def moment(slot: date, zone: str, hour: int) -> datetime:
    """The instant of a slot's digest: `hour`:00 on its local date."""
    return datetime.combine(slot, time(hour), tzinfo=ZoneInfo(zone))


def verdict(db: Connection, kind: str, at: datetime, zone: str, hour: int) -> tuple[str, str]:
    """(slot, what the job does with it): 'run', 'done', 'folded' (into the next slot) or
    'first_week' (a weekly catch-up on a fresh install, not sent)."""
    slot = latest_slot(kind, at, zone, hour)
    row = digest_runs.get(db, kind, slot.isoformat())
    if row is not None:
        return slot.isoformat(), "done" if row["finished_at"] else "run"  # unfinished: resume it
    due = moment(slot, zone, hour)
    if due + PERIOD[kind] - at < CATCH_UP_GAP:
        return slot.isoformat(), "folded"
    if kind == "weekly" and at - due >= CATCH_UP_GAP and not digest_runs.any_run(db, "weekly"):
        return slot.isoformat(), "first_week"
    return slot.isoformat(), "run"


def missed(app: Flask) -> list[str]:
    """Kinds whose latest slot the job would run now (the scheduler runs it at start for them)."""
    at, zone, hour = now(app), app.config["TIMEZONE"], int(app.config["DIGEST_HOUR"])
    with connection(app) as db:
        return [kind for kind in ("daily", "weekly") if verdict(db, kind, at, zone, hour)[1] == "run"]


def match_everything(app: Flask) -> int:
    """Runs the matcher until no opening is waiting; how many batches it made."""
    batches = 0
    for _ in range(MAX_MATCH_RUNS):
        made = match.run(app)["batches"]
        batches += made
        if made < match.MAX_BATCHES_PER_RUN:
            break
    return batches


def run(app: Flask) -> dict:
    at = now(app)
    settings = alerts.Settings.from_config(app.config)
    hour = int(app.config["DIGEST_HOUR"])
    done: dict = {"matched_batches": match_everything(app)}
    with connection(app) as db, connection(app) as reader:
        matching.use_large_cache(reader, megabytes=64)  # the sort of a day's pairs by seeker
        day_plan = None  # Mondays: the weekly digests' send times, which the daily ones follow
        for kind in KINDS:
            slot, what = verdict(db, kind, at, settings.zone, hour)
            if what != "run":
                done[kind] = {"slot": slot, "ran": False, "why": what}
                continue
            result = digests.run_digest(db, reader, kind, slot, at, settings, guard=lease_guard(app),
                                        day_plan=day_plan)
            day_plan = result.day_plan or day_plan
            done[kind] = {"slot": slot, "ran": result.ran, "seekers": result.seekers, "messages": result.messages}
            if result.folded:  # the plan itself is kept with the run (digest_runs)
                done[kind]["folded"] = result.folded
    return done


def plans(app: Flask) -> list[tuple[str, str, str, list[dict]]]:
    """(kind, slot, 'planned' or 'forecast', per-window plan) for `jobstop scheduler --list`.

    The latest slot's recorded plan, if it ran, and the plan the next run would make from
    the pairs waiting now: a day's shortfall is known before its first digest goes out.
    """
    at, settings = now(app), alerts.Settings.from_config(app.config)
    hour, found, shared = int(app.config["DIGEST_HOUR"]), [], {}
    with connection(app) as db:
        for kind in KINDS:  # weekly first: on Mondays the daily digests follow its send times
            slot, what = verdict(db, kind, at, settings.zone, hour)
            row = digest_runs.get(db, kind, slot)
            if row is not None and row["plan"]:
                found.append((kind, slot, "planned", digest_runs.plan_of(row)))
            if what in ("done", "run") and row is not None:
                slot = _next_slot(kind, slot)
            start = max(at, moment(date.fromisoformat(slot), settings.zone, hour))
            shared[slot] = digests.forecast(db, kind, start, settings, shared.get(slot))
            found.append((kind, slot, "forecast", shared[slot].report()))
    return sorted(found, key=lambda row: (row[0] != "daily", row[1]))


def _next_slot(kind: str, slot: str) -> str:
    return (date.fromisoformat(slot) + PERIOD[kind]).isoformat()
