"""Appointments in the console: a day or a week of a center or a counselor, and those past their
time that still have no outcome. Counselors see their own, staff their center's, admins any."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app, render_template, request

from kiosk.console import console
from kiosk.console.access import note_access, signed_in
from kiosk.console.casework import chosen_center, counselors_of, me
from kiosk.core.formatting import local
from kiosk.counseling import agenda
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.places import centers

VIEWS = ("week", "day")


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def _first_day(view: str) -> date:
    """The day asked for (?day=2026-11-24), else today; a week starts on its Monday."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = local(app_now(), _zone()).date()
    return agenda.monday_of(day) if view == "week" else day


def _counselor_filter(db, center_id: int) -> int | None:
    """Whose appointments: a counselor's own; for others ?counselor= of the center shown, else everyone's."""
    staff = me()
    if staff.role == "counselor":
        return staff.counselor_id
    wanted = request.args.get("counselor", "")
    ids = {row["id"] for row in counselors_of(db, [center_id])}
    return int(wanted) if wanted.isdigit() and int(wanted) in ids else None


def _page(template: str, **context) -> str:
    fragment = template.replace("console/", "console/_")
    return render_template(fragment if request.headers.get("HX-Request") else template, **context)


@console.get("/appointments")
@signed_in()
def appointments() -> str:
    db = get_db()
    view = request.args.get("view") if request.args.get("view") in VIEWS else "week"
    first = _first_day(view)
    count = 7 if view == "week" else 1
    center_id = chosen_center(db, required=True)
    counselor_id = _counselor_filter(db, center_id)
    start, end = agenda.days(first, count, _zone())
    entries = (agenda.between(db, start, end, counselor_id=counselor_id) if counselor_id
               else agenda.between(db, start, end, center_id=center_id))
    people = [row for row in counselors_of(db, [center_id]) if counselor_id in (None, row["id"])]
    grid: dict[tuple[int | None, date], list[agenda.Entry]] = defaultdict(list)
    for entry in entries:
        grid[(entry.counselor_id, local(entry.starts_at, _zone()).date())].append(entry)
    note_access("view", f"appointments {view} {first.isoformat()} center={center_id}"
                        + (f" counselor={counselor_id}" if counselor_id else ""))
    step = timedelta(days=count)
    return _page("console/appointments.html", view=view, first=first, days=[first + timedelta(d) for d in range(count)],
                 previous=first - step, following=first + step, entries=entries, grid=grid, people=people,
                 center=centers.get(db, center_id), center_id=center_id, counselor_id=counselor_id,
                 all_centers=centers.every(db) if me().role == "admin" else [],
                 center_counselors=counselors_of(db, [center_id]) if me().role != "counselor" else [],
                 notice=request.args.get("notice", ""))


@console.get("/appointments/waiting")
@signed_in()
def appointments_waiting() -> str:
    """Appointments past their time without an outcome, oldest first."""
    db, staff = get_db(), me()
    center_id = None if staff.role == "counselor" else chosen_center(db, required=False)
    entries = agenda.without_outcome(db, app_now(), center_id=center_id,
                                     counselor_id=staff.counselor_id if staff.role == "counselor" else None)
    note_access("view", "appointments without outcome" + (f" center={center_id}" if center_id else ""))
    return _page("console/appointments_waiting.html", entries=entries, center_id=center_id,
                 all_centers=centers.every(db) if staff.role == "admin" else [])
