"""Appointments in the console: a day or a week of a center or a counselor, and those past their
time that still have no outcome. Counselors see their own, staff their center's, admins any."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app, render_template, request, url_for

from kiosk.console import console
from kiosk.console.access import note_access, signed_in
from kiosk.console.casework import chosen_center, counselors_of, me
from kiosk.core.clock import parse_iso
from kiosk.core.formatting import clock_time, local
from kiosk.counseling import agenda
from kiosk.counseling.appointments import KINDS
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.http.templating import current_language, t
from kiosk.places import centers

VIEWS = ("week", "day")
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def _first_day(view: str) -> date:
    """The day asked for (?day=2026-11-24), else today; a week starts on its Monday."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:  # (the week around 9999-12-31 has no end)
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


class Line(NamedTuple):
    """One appointment in a week's cell, its words already chosen."""

    href: str
    text: str          # 오전 10:00 상담 홍길동(1234), then its state unless it is a plain booking
    cancelled: bool


def _grid(cells: list[agenda.Cell]) -> dict[tuple[int | None, date], list[Line]]:
    """A week's appointments by (counselor, local day); each label worked out once per page,
    not once per appointment (a center's week holds a thousand of them)."""
    zone, language = _zone(), current_language()
    kinds = {kind: t(f"counseling.kind_short.{kind}") for kind in KINDS}
    states: dict[str, str] = {"booked": ""}  # only what differs from a plain booking is marked
    base = url_for("console.appointments") + "/"
    times: dict[str, tuple[date, str]] = {}
    grid: dict[tuple[int | None, date], list[Line]] = defaultdict(list)
    for cell in cells:
        if cell.starts_at not in times:
            at = local(parse_iso(cell.starts_at), zone)
            times[cell.starts_at] = at.date(), clock_time(at, language)
        day, clock = times[cell.starts_at]
        if cell.state not in states:  # the status words name the outcomes too (취업, 미취업, 불참)
            states[cell.state] = " · " + t(f"counseling.status.{cell.state}")
        line = Line(f"{base}{cell.id}", f"{clock} {kinds[cell.kind]} {cell.seeker}{states[cell.state]}",
                    cell.state == "cancelled")
        grid[(cell.counselor_id, day)].append(line)
    return grid


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
    owner = {"counselor_id": counselor_id} if counselor_id else {"center_id": center_id}
    if view == "week":
        entries, grid = [], _grid(week := agenda.cells(db, start, end, **owner))
    else:
        entries, grid, week = agenda.between(db, start, end, **owner), {}, []
    people = [row for row in counselors_of(db, [center_id]) if counselor_id in (None, row["id"])]
    note_access("view", f"appointments {view} {first.isoformat()} center={center_id}"
                        + (f" counselor={counselor_id}" if counselor_id else ""))
    step = timedelta(days=count)
    return _page("console/appointments.html", view=view, first=first, days=[first + timedelta(d) for d in range(count)],
                 previous=first - step, following=first + step, entries=entries, total=len(week or entries),
                 grid=grid, people=people,
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
