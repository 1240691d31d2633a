"""Job: the day before a run of the job bus, one short text to the seekers nearby.

Runs every hour from BUS_NOTICE_HOUR (08:00) until quiet hours begin, and at start; each pass
takes tomorrow's planned runs not noticed yet. Never in quiet hours: a pass inside them does
nothing (a later pass that day does the work). Each run's notice is chosen, enqueued as
alerts (so opt-outs and STOP apply as to every alert), counted against each seeker's alert
budget for today, and the run marked noticed, in one transaction: a pass stopped half-way did
nothing, and the next pass finds the run done.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from kiosk.alerts import recipients as alert_budget
from kiosk.core.config import quiet_hours
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.formatting import local
from kiosk.outreach import notices, qr, runs, texts
from scheduler.jobs import connection, now
from sms.outbound import outbox, quiet


def run(app: Flask) -> dict:
    at = now(app)
    zone = app.config["TIMEZONE"]
    here = local(at, zone)
    if here.hour < int(app.config["BUS_NOTICE_HOUR"]) or quiet.is_quiet(at, quiet_hours(app.config), zone):
        return {"runs": 0, "notices": 0}
    with connection(app) as db:
        told = [notify(db, row, at, app.config) for row in runs.needing_notice(db, here.date() + timedelta(days=1))]
        with transaction(db):
            notices.prune(db, here.date())
    return {"runs": len(told), "notices": sum(told)}


def notify(db: Connection, run_row: Row, at: datetime, config: Mapping[str, Any]) -> int:
    """Chooses, enqueues and counts one run's notice; how many seekers it goes to."""
    zone = config["TIMEZONE"]
    today = local(at, zone).date()
    starts = texts.at(run_row, "starts").replace(tzinfo=ZoneInfo(zone))
    schedule = qr.schedule_url(config["PUBLIC_URL"])
    with transaction(db):
        chosen = notices.choose(db, run_row, today=today, daily_cap=int(config["INSTANT_DAILY_CAP"]), now=at)
        bodies = {language: texts.notice_body(run_row, language, schedule) for language in {c[2] for c in chosen}}
        key = f"bus:{run_row['id']}:"
        messages = [{"to": phone, "body": bodies[language], "kind": "alert", "dedupe_key": f"{key}{seeker_id:09d}",
                     "valid_until": starts, "seeker_id": seeker_id, "language": language}
                    for seeker_id, phone, language in chosen]
        outbox.enqueue_many(db, messages, now=at, quiet_hours=quiet_hours(config), zone=zone)
        day = today.isoformat()
        alert_budget.count_sent_many(db, [(seeker_id, day, 1) for seeker_id, _phone, _language in chosen])
        runs.mark_noticed(db, run_row["id"], at)
    return len(chosen)
