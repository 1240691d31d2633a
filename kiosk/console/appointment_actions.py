"""One appointment in the console, and booking, moving, cancelling and closing one.

Every change goes through the same functions as the counselors' texts (kiosk.counseling.bookings:
the same rules, the same texts to the seeker). A refused form comes back with 422, the reason
per field in the reader's language, and what was typed kept; a form sent twice changes once.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import note_access, require_center, signed_in
from kiosk.console.casework import chosen_center, counselors_of, may_touch_appointment, me
from kiosk.core.clock import iso, parse_iso
from kiosk.core.phones import InvalidPhone, mask, normalize_mobile
from kiosk.core.regions import CONSULTATION_CHANNELS, CONSULTATION_TOPICS, OCCUPATIONS
from kiosk.counseling import appointments, bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError, SeekerBusy, SlotTaken, reason_text
from kiosk.counseling.texts import settings_from
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.http.templating import current_language

Page = str | tuple[str, int]
KINDS = ("follow_up", "interview")


class FormError(Exception):
    """A field refused: .field names it, .text is the reason already in the reader's language."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.field, self.text = field, text


@console.app_template_filter("masked")
def masked(phone: str | None) -> str:
    return mask(phone)


def _say(error: Exception) -> str:
    return reason_text(error, current_language())


def _when(form: dict[str, str]) -> datetime:
    """The date and time typed, in the center's zone, or FormError for the one that is not one."""
    try:
        day = date.fromisoformat(form.get("day", "").strip())
    except ValueError:
        raise FormError("day", _say(BookingError("casework.error.day"))) from None
    try:
        at = time.fromisoformat(form.get("time", "").strip())
    except ValueError:
        raise FormError("time", _say(BookingError("casework.error.time"))) from None
    return datetime.combine(day, at, tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _for_someone_else(counselor_id: int | None) -> bool:
    """Staff change a counselor's appointment: that counselor is texted (they did not do it themselves)."""
    return counselor_id is not None and me().counselor_id != counselor_id


def _done(appointment_id: int, notice: str) -> Response:
    return redirect(url_for("console.appointment", appointment_id=appointment_id, notice=notice), 303)


def _detail(appointment_id: int, *, errors: dict[str, str] | None = None,
            typed: dict[str, str] | None = None, status: int = 200) -> Page:
    appointment = may_touch_appointment(appointments.get(get_db(), appointment_id))
    note_access("view", f"appointment #{appointment_id}", seeker_id=appointment["seeker_id"])
    page = render_template("console/appointment.html", a=appointment, starts=parse_iso(appointment["starts_at"]),
                           errors=errors or {}, typed=typed or {},
                           occupations=OCCUPATIONS, topics=CONSULTATION_TOPICS, channels=CONSULTATION_CHANNELS,
                           notice=request.args.get("notice", ""),
                           past=appointment["starts_at"] <= iso(app_now()))
    return (page, status) if status != 200 else page


@console.get("/appointments/<id:appointment_id>")
@signed_in()
def appointment(appointment_id: int) -> Page:
    return _detail(appointment_id)


@console.post("/appointments/<id:appointment_id>/move")
@signed_in()
def move_appointment(appointment_id: int) -> Page | Response:
    db, now, settings = get_db(), app_now(), settings_from(current_app.config)
    current = may_touch_appointment(appointments.get(db, appointment_id))
    form = request.form.to_dict()
    try:
        at = _when(form)
        if current["status"] in appointments.OPEN and current["starts_at"] == iso(at):
            return _done(appointment_id, "moved")  # sent twice: it is there already
        bookings.check_open(current)
        bookings.move(db, current, at, now, settings, tell_counselor=_for_someone_else(current["counselor_id"]))
    except FormError as error:
        return _detail(appointment_id, errors={error.field: error.text}, typed=form, status=422)
    except BookingError as error:
        return _detail(appointment_id, errors={"move": _say(error)}, typed=form, status=422)
    note_access("change", f"appointment #{appointment_id} moved", seeker_id=current["seeker_id"])
    return _done(appointment_id, "moved")


@console.post("/appointments/<id:appointment_id>/cancel")
@signed_in()
def cancel_appointment(appointment_id: int) -> Page | Response:
    db = get_db()
    current = may_touch_appointment(appointments.get(db, appointment_id))
    if current["status"] == "cancelled":
        return _done(appointment_id, "cancelled")  # sent twice
    try:
        bookings.check_open(current)
    except BookingError as error:
        return _detail(appointment_id, errors={"cancel": _say(error)}, status=422)
    bookings.cancel(db, current, app_now(), settings_from(current_app.config), by_seeker=False,
                    tell_counselor=_for_someone_else(current["counselor_id"]))
    note_access("change", f"appointment #{appointment_id} cancelled", seeker_id=current["seeker_id"])
    return _done(appointment_id, "cancelled")


@console.post("/appointments/<id:appointment_id>/outcome")
@signed_in()
def record_outcome(appointment_id: int) -> Page | Response:
    db, now = get_db(), app_now()
    current = may_touch_appointment(appointments.get(db, appointment_id))
    form = request.form.to_dict()
    outcome, employer = form.get("outcome", ""), form.get("employer", "").strip()
    occupation = form.get("occupation", "")
    topic, channel = form.get("topic", "job_seeking"), form.get("channel", "visit")
    errors = {}
    if outcome not in appointments.OUTCOMES:
        errors["outcome"] = _say(BookingError("counseling.error.no_outcome"))
    elif outcome == "hired" and not (employer or current["employer"]):
        errors["employer"] = _say(BookingError("casework.error.employer"))
    if occupation and occupation not in OCCUPATIONS:
        errors["occupation"] = _say(BookingError("casework.error.occupation"))
    if topic not in CONSULTATION_TOPICS or channel not in CONSULTATION_CHANNELS:
        errors["channel"] = _say(BookingError("records.error.channel"))
    if errors:
        return _detail(appointment_id, errors=errors, typed=form, status=422)
    if current["outcome"] == outcome:
        return _done(appointment_id, "recorded")  # sent twice
    try:
        bookings.check_outcome(current, now)
    except BookingError as error:
        return _detail(appointment_id, errors={"outcome": _say(error)}, typed=form, status=422)
    bookings.record_outcome(db, current, outcome, now, settings_from(current_app.config),
                            employer=employer or None, occupation=occupation or None, topic=topic, channel=channel)
    note_access("change", f"appointment #{appointment_id} outcome {outcome}", seeker_id=current["seeker_id"])
    return _done(appointment_id, "recorded")


def _new_form(*, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None,
              status: int = 200) -> Page:
    db, staff = get_db(), me()
    if staff.role == "counselor":
        choices = [counseling.counselor(db, staff.counselor_id)]
    else:
        choices = counselors_of(db, [chosen_center(db, required=True)])
    page = render_template("console/appointment_new.html", choices=choices, kinds=KINDS, errors=errors or {},
                           typed=typed or {}, center=request.args.get("center", ""))
    return (page, status) if status != 200 else page


@console.get("/appointments/new")
@signed_in()
def new_appointment() -> Page:
    return _new_form()


@console.post("/appointments/new")
@signed_in()
def book_appointment() -> Page | Response:
    db, form = get_db(), request.form.to_dict()
    try:
        counselor = _counselor(form.get("counselor_id", ""))
        kind = form.get("kind", "")
        if kind not in KINDS:
            raise FormError("kind", _say(BookingError("casework.error.kind")))
        try:
            phone = normalize_mobile(form.get("phone", ""))
        except InvalidPhone as error:
            raise FormError("phone", _say(error)) from None
        at = _when(form)
        employer = form.get("employer", "").strip() or None
        if kind == "interview" and not employer:
            raise FormError("employer", _say(BookingError("counseling.error.no_employer")))
        booked = _book(counselor, kind, phone, at, employer, form)
    except FormError as error:
        return _new_form(errors={error.field: error.text}, typed=form, status=422)
    except BookingError as error:
        return _new_form(errors={"form": _say(error)}, typed=form, status=422)
    note_access("change", f"appointment #{booked} booked", seeker_id=appointments.get(db, booked)["seeker_id"])
    return _done(booked, "booked")


def _counselor(picked: str):
    """The counselor chosen on the form, if this person may book for them."""
    db, staff = get_db(), me()
    if staff.role == "counselor":
        return counseling.counselor(db, staff.counselor_id)
    counselor = counseling.counselor(db, int(picked)) if picked.isdigit() else None
    if counselor is None or not counselor["active"]:
        raise FormError("counselor_id", _say(BookingError("casework.error.counselor")))
    require_center(counselor["center_id"])
    return counselor


def _book(counselor, kind: str, phone: str, at: datetime, employer: str | None, form: dict[str, str]) -> int:
    """Books as the counselor's 예약 / 면접 text would; the same form sent twice finds the first."""
    db = get_db()
    try:
        return bookings.book_by_counselor(
            db, counselor=counselor, kind=kind, phone=phone, at=at, now=app_now(),
            settings=settings_from(current_app.config), memo=form.get("memo", "").strip() or None,
            employer=employer, accompanied=form.get("accompanied") == "1", via="console",
            tell_counselor=_for_someone_else(counselor["id"]))["id"]
    except (SeekerBusy, SlotTaken):
        same = appointments.open_of(db, counselor["id"], phone, at)
        if same is None:
            raise
        return same
