"""Booking a counseling slot at the kiosk: the kiosk's own center first, the next 14 days.
During a run of the job bus, its kiosk offers the counselors aboard first: today's slots until
the run ends, held at the stop (kiosk.web.bus.outing).

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
from kiosk.counseling import appointments, away, bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError, SeekerBusy, SlotTaken
from kiosk.counseling.texts import settings_from
from kiosk.http import usage
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.http.sessions import forget_person
from kiosk.seekers import store as seekers
from kiosk.web import bus
from kiosk.web.blueprint import bp
from kiosk.web.verify import start_verification
from sms.outbound.optout import is_opted_out

DAYS = 14
ABOARD = "bus"  # the choice of the counselors aboard the job bus, beside the centers' ids


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def _seeker():  # noqa: ANN202 - sqlite3.Row | None
    seeker_id = session.get("seeker_id")
    seeker = seekers.get(get_db(), seeker_id) if seeker_id else None
    return seeker if seeker is not None and seeker["status"] == "active" else None


def _centers(own_center: int) -> list:
    """Centers with counselors, the kiosk's own first; during a bus run, the bus before them."""
    found = counseling.centers_with_counselors(get_db())
    outing = bus.outing()
    aboard = [{"id": ABOARD, "name": outing.place, "ends": outing.closes}] if outing else []
    return aboard + sorted(found, key=lambda c: (c["id"] != own_center, c["id"]))


def _chosen_center(centers: list) -> dict:
    wanted = request.values.get("center", "")
    for center in centers:
        if str(center["id"]) == wanted:
            return center
    return centers[0] if centers else abort(404)


def _free_slots(center: dict, today: date, now: datetime) -> tuple[list, list[date]]:
    """The center's free slots for DAYS days, or the bus's today; and the days to show."""
    db, outing = get_db(), bus.outing() if center["id"] == ABOARD else None
    if outing is not None:
        return away.free_slots(db, outing, now), [today]
    slots = counseling.free_slots(db, center["id"], first_day=today, days=DAYS, now=now, zone=_zone())
    return slots, [today + timedelta(days=n) for n in range(DAYS)]


def _page(center: dict, centers: list, *, day: date | None, error: str | None = None,
          nearest_to: datetime | None = None, wanted: datetime | None = None,
          status: int = 200) -> tuple[str, int]:
    now, zone = app_now(), _zone()
    today = local(now, zone).date()
    slots, days = _free_slots(center, today, now)
    per_day: dict[date, list] = {}
    for slot in slots:
        per_day.setdefault(local(slot.start, zone).date(), []).append(slot)
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
    if request.form.get("center") == ABOARD and center["id"] != ABOARD:  # the run ended meanwhile
        return _page(center, centers, day=None, error="booking.error.past", status=409)
    try:
        wanted = parse_iso(request.form.get("slot", ""))
    except ValueError:
        return _page(center, centers, day=None, error="booking.error.unknown_slot", status=400)
    db, now = get_db(), app_now()
    try:
        appointment_id = _book(seeker["id"], center, wanted)
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
    usage.record(db, g.kiosk["code"], "counseling_booked", {"center": g.kiosk["center_id"]
                 if center["id"] == ABOARD else center["id"]}, now)
    return redirect(url_for("kiosk.booking_done", appointment_id=appointment_id), code=303)


def _book(seeker_id: int, center: dict, wanted: datetime) -> int:
    """Books the slot with the chosen center, or with the counselors aboard at the stop."""
    db, now, settings = get_db(), app_now(), settings_from(current_app.config)
    outing = bus.outing() if center["id"] == ABOARD else None
    if outing is not None:
        return bookings.book_away(db, seeker_id=seeker_id, outing=outing, slot_start=wanted,
                                  kiosk_code=g.kiosk["code"], now=now, settings=settings)
    return bookings.book_at_kiosk(db, seeker_id=seeker_id, center_id=center["id"], slot_start=wanted,
                                  kiosk_code=g.kiosk["code"], now=now, settings=settings)


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
