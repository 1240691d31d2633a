"""The job bus's kiosk follows the bus.

On a day the bus has a run, its kiosk acts as one of the stop's city: the openings list puts
that city first, registrations, bookings and referral requests belong to the run's partner
center, and during the run's hours "ask a counselor" goes to a counselor aboard (texted at
once) and a booking is with a counselor aboard, at the stop (outing()). Its home says where
the bus is today and where it goes next, with a QR code of the public schedule (/bus). What
is made aboard is credited to the run by the kiosk and the day (kiosk.outreach.figures).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, g

from kiosk.core.db import Connection
from kiosk.counseling import routing
from kiosk.counseling.away import Outing
from kiosk.counseling.texts import settings_from
from kiosk.http.db import get_db
from kiosk.http.now import app_today
from kiosk.http.templating import current_language
from kiosk.outreach import qr, runs, texts
from kiosk.seekers import referrals
from kiosk.web.blueprint import bp

NEXT_SHOWN = 3


def is_bus() -> bool:
    return g.get("kiosk") is not None and g.kiosk["place_kind"] == "job_bus"


@bp.url_value_preprocessor
def follow_the_bus(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """On a run day the bus's kiosk takes the stop's region and the run's partner center (after
    the kiosk itself is loaded: blueprint.load_kiosk runs first)."""
    g.bus_run = runs.on_day(get_db(), g.kiosk["code"], app_today()) if is_bus() else None
    if g.bus_run is not None:
        run = g.bus_run
        g.kiosk = {**dict(g.kiosk), "region": run["region"],
                   "center_id": run["center_id"], "center_name": run["center_name"],
                   "center_phone": run["center_phone"]}


def _local_now() -> datetime:
    return current_app.extensions["clock"].now().astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def aboard_now() -> bool:
    """Whether today's run is on: between its start and end."""
    run = g.get("bus_run")
    if run is None:
        return False
    here = _local_now().replace(tzinfo=None)
    return texts.at(run, "starts") <= here < texts.at(run, "ends")


def assign_aboard(db: Connection, referral_id: int, at: datetime) -> bool:
    """During a run, a new referral request goes to the counselor aboard with the fewest today,
    texted at once; False when the bus is not on a run now or nobody is aboard."""
    if not aboard_now():
        return False
    day_start = _local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    counselor = runs.least_busy_aboard(db, g.bus_run["id"], day_start)
    if counselor is None:
        return False
    return routing.assign_to(db, referrals.get(db, referral_id), counselor, at, settings_from(current_app.config),
                             at_once=True)


def outing() -> Outing | None:
    """During a run, the counselors aboard as an outing of the partner center: from now to the
    run's end, at the stop (its name and address). None off a run's hours or with nobody aboard."""
    if not aboard_now():
        return None
    if "bus_outing" not in g:  # asked several times by one booking
        run, zone = g.bus_run, ZoneInfo(current_app.config["TIMEZONE"])
        aboard = tuple(row["id"] for row in runs.counselors_aboard(get_db(), run["id"]))
        g.bus_outing = Outing(
            center_id=run["center_id"], counselor_ids=aboard, opens=texts.at(run, "starts").replace(tzinfo=zone),
            closes=texts.at(run, "ends").replace(tzinfo=zone), place=f"{run['place']} ({run['address']})",
            run_id=run["id"]) if aboard else None
    return g.bus_outing


def bus_home() -> dict[str, Any] | None:
    """Today's run of this bus while it is on (or still to come), its next stops and the
    schedule's QR code; None off the bus."""
    if not is_bus():
        return None
    db, today = get_db(), app_today()
    coming = runs.coming(db, today, bus=g.kiosk["code"], limit=NEXT_SHOWN + 1)
    here = g.get("bus_run")
    if here is not None and _local_now().replace(tzinfo=None) >= texts.at(here, "ends"):
        here = None  # today's run is over: the home says where the bus goes next
    return {"here": here, "next": [r for r in coming if r["day"] != today.isoformat()][:NEXT_SHOWN],
            "qr": qr.drawing(qr.schedule_url(current_app.config["PUBLIC_URL"]))}


@bp.context_processor
def bus_helpers() -> dict[str, Any]:
    language = current_language()
    return {"bus_home": bus_home, "run_when": lambda run: texts.when(run, language),
            "run_hours": lambda run: texts.hours(run, language)}
