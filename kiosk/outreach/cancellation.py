"""Cancelling a planned run, and telling those the day-before notice already reached.

A notice still waiting in the outbox (held for the quiet hours, or queued) is withdrawn; those
whose notice went out get one short text that the run is cancelled, as an alert: held in the
quiet hours, never to an opted-out number (STOP), useless after the run's end. cancel_run
also cancels the appointments booked aboard for the rest of its day, the seeker and the
counselor told (outreach sits above counseling for this), all in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.config import quiet_hours as configured_quiet_hours
from kiosk.core.db import Connection, Row, in_list, list_param, transaction
from kiosk.counseling import appointments, bookings
from kiosk.counseling.texts import settings_from
from kiosk.outreach import qr, runs, texts
from sms.outbound import outbox

REACHED = ("sending", "sent", "delivered")
PENDING = ("queued", "held")


@dataclass(frozen=True)
class Notified:
    """What became of a run's day-before notice: texts out, and texts still waiting."""

    reached: int
    waiting: int


def _notices(db: Connection, run_id: int) -> list[Row]:
    """The outbox rows of the run's notice (their keys: bus:<run>:<seeker>, notices.py's job)."""
    keys = [f"bus:{run_id}:{seeker_id:09d}" for (seeker_id,) in
            db.execute("SELECT seeker_id FROM bus_notices WHERE run_id = ? ORDER BY seeker_id", (run_id,))]
    if not keys:
        return []
    return db.execute(f"SELECT dedupe_key, status, seeker_id, to_number, language FROM sms_messages"
                      f" WHERE {in_list('dedupe_key')} ORDER BY dedupe_key", (list_param(keys),)).fetchall()


def notified(db: Connection, run_id: int) -> Notified:
    """How many the run's notice reached and how many are still waiting to be sent."""
    rows = _notices(db, run_id)
    return Notified(sum(r["status"] in REACHED for r in rows), sum(r["status"] in PENDING for r in rows))


def cancel(db: Connection, run: Row, now: datetime, *, schedule_url: str,
           quiet_hours: tuple[str, str], zone: str) -> Notified | None:
    """Cancels the planned run, withdraws its waiting notices and texts those it reached; what
    became of the notice, or None when the run was not planned (cancelled already)."""
    if not runs.cancel(db, run["id"], now):
        return None
    rows = _notices(db, run["id"])
    waiting = [r for r in rows if r["status"] in PENDING]
    for row in waiting:
        outbox.cancel_pending(db, now=now, dedupe_key=row["dedupe_key"])
    reached = [r for r in rows if r["status"] in REACHED and r["to_number"]]
    bodies = {language: texts.cancel_body(run, language, schedule_url) for language in {r["language"] for r in reached}}
    ends = texts.at(run, "ends").replace(tzinfo=ZoneInfo(zone))
    outbox.enqueue_many(db, [{"to": r["to_number"], "body": bodies[r["language"]], "kind": "alert",
                              "dedupe_key": f"bus-cancel:{run['id']}:{r['seeker_id']:09d}", "valid_until": ends,
                              "seeker_id": r["seeker_id"], "language": r["language"]} for r in reached],
                        now=now, quiet_hours=quiet_hours, zone=zone)
    return Notified(len(reached), len(waiting))


def cancel_run(db: Connection, run: Row, now: datetime, config: Mapping[str, Any]) -> Notified | None:
    """Cancels the run and texts those its notice reached (None: it was not planned); the
    appointments booked aboard for the rest of its day are cancelled too, the seeker and the
    counselor told. The console's and the command's cancellation."""
    with transaction(db):
        told = cancel(db, run, now, schedule_url=qr.schedule_url(config["PUBLIC_URL"]),
                      quiet_hours=configured_quiet_hours(config), zone=config["TIMEZONE"])
        if told is not None:
            for booked in appointments.open_on_run(db, run["id"]):
                bookings.cancel(db, booked, now, settings_from(config), by_seeker=False, tell_counselor=True)
    return told
