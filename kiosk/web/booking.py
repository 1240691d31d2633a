"""Booking a counseling slot at the kiosk: the kiosk's own center first, the next 14 days.

The visitor must be a verified seeker (session["seeker_id"], set by the phone and code
screens). Two kiosks taking the last place at once: the database lets one win; the other
is told and shown the nearest free slots.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.core.clock import parse_iso
from kiosk.core.formatting import local
from kiosk.core.phones import mask
from kiosk.counseling import appointments, bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError, SeekerBusy, SlotTaken
from kiosk.counseling.texts import settings_from
from kiosk.http import usage
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.http.sessions import forget_person
from kiosk.seekers import store as seekers
from kiosk.web.blueprint import bp
from kiosk.web.verify import start_verification
from sms.outbound.optout import is_opted_out

DAYS = 14


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def _seeker():  # noqa: ANN202 - sqlite3.Row | None
    seeker_id = session.get("seeker_id")
    seeker = seekers.get(get_db(), seeker_id) if seeker_id else None
    return seeker if seeker is not None and seeker["status"] == "active" else None


def _centers(own_center: int) -> list:
    """Centers with counselors, the kiosk's own first."""
    found = counseling.centers_with_counselors(get_db())
    return sorted(found, key=lambda c: (c["id"] != own_center, c["id"]))


def _chosen_center(centers: list) -> dict:
    wanted = request.values.get("center", type=int)
    for center in centers:
        if center["id"] == wanted:
            return center
    return centers[0] if centers else abort(404)


def _page(center: dict, centers: list, *, day: date | None, error: str | None = None,
          nearest_to: datetime | None = None, wanted: datetime | None = None,
          status: int = 200) -> tuple[str, int]:
    db, now, zone = get_db(), app_now(), _zone()
    today = local(now, zone).date()
    slots = counseling.free_slots(db, center["id"], first_day=today, days=DAYS, now=now, zone=zone)
    per_day: dict[date, list] = {}
    for slot in slots:
        per_day.setdefault(local(slot.start, zone).date(), []).append(slot)
    days = [today + timedelta(days=n) for n in range(DAYS)]
    if day is None or day not in days:
        day = next((d for d in days if per_day.get(d)), None)
    chosen = next((slot for slot in slots if slot.start == wanted), None) if wanted else None
    html = render_template(
        "kiosk/booking/start.html", center=center, centers=centers, days=days, per_day=per_day, day=day,
        slots=per_day.get(day, []) if day else [], error=error, chosen=chosen,
        nearest=counseling.nearest_free(slots, nearest_to) if nearest_to else [],
        back_url=url_for("kiosk.home"))
    return html, status


@bp.get("/booking")
def booking_start() -> Response | tuple[str, int]:
    """Free slots by day; tapping one asks to confirm it (?slot=), and only the confirm books."""
    if _seeker() is None:
        return start_verification("login", then="kiosk.booking_start")
    centers = _centers(g.kiosk["center_id"])
    if not centers:
        abort(404)
    usage.note(g.kiosk["code"], "screen", {"screen": "booking"}, app_now())
    day = request.args.get("day")
    return _page(_chosen_center(centers), centers, day=date.fromisoformat(day) if _is_day(day) else None,
                 wanted=_slot_asked())


def _slot_asked() -> datetime | None:
    try:
        return parse_iso(request.args.get("slot", "")) if request.args.get("slot") else None
    except ValueError:
        return None


def _is_day(text: str | None) -> bool:
    try:
        return bool(text) and date.fromisoformat(text) is not None
    except ValueError:
        return False


@bp.post("/booking")
def booking_book() -> Response | tuple[str, int]:
    seeker = _seeker()
    if seeker is None:
        return start_verification("login", then="kiosk.booking_start")
    centers = _centers(g.kiosk["center_id"])
    center = _chosen_center(centers)
    try:
        wanted = parse_iso(request.form.get("slot", ""))
    except ValueError:
        return _page(center, centers, day=None, error="booking.error.unknown_slot", status=400)
    db, now = get_db(), app_now()
    try:
        appointment_id = bookings.book_at_kiosk(
            db, seeker_id=seeker["id"], center_id=center["id"], slot_start=wanted, kiosk_code=g.kiosk["code"],
            now=now, settings=settings_from(current_app.config))
    except SeekerBusy:
        # A double tap or a resubmitted form: the booking already made is the answer.
        existing = appointments.open_at(db, seeker["id"], wanted)
        if existing is None:
            raise
        return redirect(url_for("kiosk.booking_done", appointment_id=existing), code=303)
    except SlotTaken:
        return _page(center, centers, day=local(wanted, _zone()).date(), error="booking.error.taken",
                     nearest_to=wanted, status=409)
    except BookingError as error:
        return _page(center, centers, day=local(wanted, _zone()).date(),
                     error=error.reason.replace("counseling.", "booking."), status=409)
    usage.record(db, g.kiosk["code"], "counseling_booked", {"center": center["id"]}, now)
    return redirect(url_for("kiosk.booking_done", appointment_id=appointment_id), code=303)


@bp.get("/booking/<id:appointment_id>")
def booking_done(appointment_id: int) -> str:
    """The booking, shown only to the seeker who made it."""
    seeker = _seeker()
    appointment = appointments.get(get_db(), appointment_id)
    if seeker is None or appointment is None or appointment["seeker_id"] != seeker["id"]:
        abort(404)
    forget_person(session)  # booked: the next person at this kiosk gets nothing of them
    return render_template("kiosk/booking/done.html", appointment=appointment,
                           starts_at=parse_iso(appointment["starts_at"]), masked=mask(seeker["phone"]),
                           opted_out=is_opted_out(get_db(), seeker["phone"]), back_url=url_for("kiosk.home"))
