"""What happens to an appointment, and the texts each change sends.

Kiosk bookings, counselors' texts and seekers' replies all come through here, so a move
always withdraws the old reminders and a cancellation always frees the slot and tells
the other side. Each function runs in one transaction (joining the caller's).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.formatting import local
from kiosk.counseling import appointments, away, records
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError, Label, SlotTaken
from kiosk.counseling.reminders import withdraw_reminders
from kiosk.counseling.texts import KEY_PREFIX, Settings, schedule_reminders, to_counselor, to_seeker
from kiosk.places import centers
from kiosk.seekers import consents, referrals
from kiosk.seekers import store as seekers
from sms.outbound import quiet


def check_time(db: Connection, center_id: int, at: datetime, now: datetime, zone: str) -> None:
    """A time still ahead and inside the center's hours, or BookingError with the reason."""
    if at <= now:
        raise BookingError("counseling.error.past")
    if not counseling.is_open(db, center_id, at, zone):
        raise BookingError("counseling.error.closed")


def check_shift(db: Connection, counselor_id: int, center_id: int, at: datetime, zone: str) -> None:
    """The counselor works then (a morning-shift counselor cannot take 15:00), or BookingError."""
    counselor = counseling.counselor(db, counselor_id)
    week, minutes = counseling.hours(db, center_id), centers.slot_minutes(db, center_id)
    start = _slot(db, center_id, at, zone)
    if counselor is None or counselor["shift"] in counseling.shifts_at(week, start, minutes):
        return
    own = [f"{s.opens:%H:%M}~{s.closes:%H:%M}" for s in week.get(start.weekday(), [])
           if s.number == counselor["shift"]]
    raise BookingError("counseling.error.off_shift", hours=", ".join(own) or "-")


def _slot(db: Connection, center_id: int, at: datetime, zone: str) -> datetime:
    return counseling.slot_of(local(at, zone), centers.slot_minutes(db, center_id))


def _least_busy(db: Connection, counselor_ids: list[int], day_start: str, day_end: str) -> int:
    """Of the free counselors, the one with the fewest appointments that day."""
    marks = ", ".join("?" * len(counselor_ids))
    load = {row[0]: row[1] for row in db.execute(
        f"SELECT counselor_id, count(*) FROM appointments WHERE counselor_id IN ({marks})"
        " AND starts_at >= ? AND starts_at < ? AND status IN ('booked', 'pending_consent', 'confirmed')"
        " GROUP BY counselor_id", (*counselor_ids, day_start, day_end))}
    return min(counselor_ids, key=lambda c: (load.get(c, 0), c))


def book_at_kiosk(db: Connection, *, seeker_id: int, center_id: int, slot_start: datetime,
                  kiosk_code: str | None, now: datetime, settings: Settings) -> int:
    """Takes a place in a slot for a verified seeker; SlotTaken when none is left."""
    check_time(db, center_id, slot_start, now, settings.zone)
    if _slot(db, center_id, slot_start, settings.zone) != local(slot_start, settings.zone):
        raise BookingError("counseling.error.unknown_slot")  # only the grid's starts can be taken
    with transaction(db):
        free = counseling.free_counselors(db, center_id, slot_start, settings.zone)
        if not free:
            raise SlotTaken()
        day = local(slot_start, settings.zone).replace(hour=0, minute=0)
        counselor_id = _least_busy(db, free, iso(day), iso(day + timedelta(days=1)))
        appointment_id = appointments.insert(
            db, kind="counseling", center_id=center_id, counselor_id=counselor_id, seeker_id=seeker_id,
            starts_at=slot_start, slot_start=slot_start, status="booked", booked_via="kiosk",
            kiosk_code=kiosk_code, now=now)
        _announce(db, appointment_id, now, settings)
        to_counselor(db, appointments.get(db, appointment_id), "booked", now, settings.zone)
    return appointment_id


def book_away(db: Connection, *, seeker_id: int, outing: away.Outing, slot_start: datetime,
              kiosk_code: str | None, now: datetime, settings: Settings) -> int:
    """Takes a place with a counselor of an outing (aboard the job bus), held at its place;
    SlotTaken when none is left."""
    if slot_start <= now:
        raise BookingError("counseling.error.past")
    if local(slot_start, settings.zone) not in away.starts(db, outing):
        raise BookingError("counseling.error.unknown_slot")
    with transaction(db):
        free = away.free_counselors(db, outing, slot_start)
        if not free:
            raise SlotTaken()
        day = local(slot_start, settings.zone).replace(hour=0, minute=0)
        counselor_id = _least_busy(db, free, iso(day), iso(day + timedelta(days=1)))
        appointment_id = appointments.insert(
            db, kind="counseling", center_id=outing.center_id, counselor_id=counselor_id, seeker_id=seeker_id,
            starts_at=slot_start, slot_start=slot_start, status="booked", booked_via="kiosk",
            kiosk_code=kiosk_code, now=now, place=outing.place, bus_run_id=outing.run_id)
        _announce(db, appointment_id, now, settings)
        to_counselor(db, appointments.get(db, appointment_id), "booked", now, settings.zone)
    return appointment_id


def book_by_counselor(db: Connection, *, counselor: Row, kind: str, phone: str,
                      at: datetime, now: datetime, settings: Settings, memo: str | None = None,
                      employer: str | None = None, accompanied: bool = False,
                      referral_id: int | None = None, via: str = "sms", tell_counselor: bool = False) -> Row:
    """A follow-up or interview for a counselor (texted by them, or booked in the console: `via`);
    waits for consent from an unknown number. `tell_counselor`: someone else booked it for them."""
    check_time(db, counselor["center_id"], at, now, settings.zone)
    takes_slot = kind != "interview" or accompanied
    if takes_slot:
        check_shift(db, counselor["id"], counselor["center_id"], at, settings.zone)
    slot = _slot(db, counselor["center_id"], at, settings.zone) if takes_slot else None
    with transaction(db):
        seeker = seekers.find_by_phone(db, phone)
        appointment_id = appointments.insert(
            db, kind=kind, center_id=counselor["center_id"], counselor_id=counselor["id"],
            seeker_id=seeker["id"] if seeker else None, starts_at=at, slot_start=slot,
            status="booked" if seeker else "pending_consent", booked_via=via, memo=memo,
            employer=employer, accompanied=accompanied, referral_id=referral_id, now=now)
        if seeker:
            _announce(db, appointment_id, now, settings)
        else:
            appointments.wait_for_consent(db, appointment_id, phone, now)
            to_seeker(db, appointments.get(db, appointment_id), "consent", now, settings.zone)
        if referral_id:
            referrals.mark_booked(db, referral_id, now)
        if tell_counselor:
            to_counselor(db, appointments.get(db, appointment_id), "booked", now, settings.zone)
    return appointments.get(db, appointment_id)


def _announce(db: Connection, appointment_id: int, now: datetime, settings: Settings) -> None:
    appointment = appointments.get(db, appointment_id)
    to_seeker(db, appointment, "booked", now, settings.zone)
    schedule_reminders(db, appointment, now, settings)


def move(db: Connection, appointment: Row, at: datetime, now: datetime,
         settings: Settings, *, tell_counselor: bool = False) -> Row:
    """A new time: old reminders withdrawn, the person told (and the counselor, when someone
    else moved it), new reminders queued."""
    check_time(db, appointment["center_id"], at, now, settings.zone)
    if appointment["slot_start"] and appointment["counselor_id"]:
        check_shift(db, appointment["counselor_id"], appointment["center_id"], at, settings.zone)
    slot = _slot(db, appointment["center_id"], at, settings.zone) if appointment["slot_start"] else None
    with transaction(db):
        appointments.move(db, appointment["id"], at, slot, now)
        withdraw_reminders(db, appointment["id"], now)
        moved = appointments.get(db, appointment["id"])
        if moved["status"] == "pending_consent":
            to_seeker(db, moved, "consent", now, settings.zone)
        else:
            to_seeker(db, moved, "moved", now, settings.zone)
            schedule_reminders(db, moved, now, settings)
        if tell_counselor:
            to_counselor(db, moved, "moved", now, settings.zone)
    return moved


def cancel(db: Connection, appointment: Row, now: datetime, settings: Settings, *,
           by_seeker: bool, tell_counselor: bool = False) -> None:
    """Frees the slot, withdraws the reminders and tells the other side (both, when staff cancel
    a counselor's appointment: `tell_counselor`)."""
    with transaction(db):
        appointments.set_status(db, appointment["id"], "cancelled", now)
        withdraw_reminders(db, appointment["id"], now)
        cancelled = appointments.get(db, appointment["id"])
        if by_seeker:
            to_counselor(db, cancelled, "seeker_cancelled", now, settings.zone)
        else:
            to_seeker(db, cancelled, "cancelled", now, settings.zone)
            if tell_counselor:
                to_counselor(db, cancelled, "cancelled", now, settings.zone)
        if appointment["status"] == "pending_consent":
            appointments.forget_consent_phone(db, appointment["id"])


def confirm(db: Connection, appointment: Row, now: datetime) -> None:
    with transaction(db):
        appointments.set_status(db, appointment["id"], "confirmed", now)


def grant_consent(db: Connection, appointment: Row, now: datetime,
                  settings: Settings, secret: str) -> Row:
    """The person agreed by text: they become a seeker and the appointment is booked."""
    phone = appointment["pending_phone"]
    with transaction(db):
        consent_id = consents.record(db, phone=phone, kind="personal_data", granted=True, now=now,
                                     kiosk_code=None, context="sms", secret=secret)
        seeker_id, _ = seekers.register(
            db, phone=phone, profile={}, wanted={}, alerts=False, night=False,
            kiosk={"code": None, "center_id": appointment["center_id"]}, consent_ids=[consent_id], now=now)
        appointments.attach_seeker(db, appointment["id"], seeker_id, now)
        appointments.answer_consent(db, appointment["id"], True, now)
        booked = appointments.get(db, appointment["id"])
        schedule_reminders(db, booked, now, settings)
        to_counselor(db, booked, "consent_granted", now, settings.zone)
    return booked


def decline_consent(db: Connection, appointment: Row, now: datetime,
                    settings: Settings) -> None:
    with transaction(db):
        appointments.set_status(db, appointment["id"], "cancelled", now)
        appointments.answer_consent(db, appointment["id"], False, now)
        to_counselor(db, appointments.get(db, appointment["id"]), "consent_declined", now, settings.zone)


def check_open(appointment: Row) -> None:
    """Only a booked, confirmed or waiting appointment can be moved, cancelled or closed."""
    if appointment["status"] not in appointments.OPEN:
        raise BookingError("counseling.error.not_open", id=appointment["id"],
                           status=Label(f"counseling.status.{appointment['status']}"))


def check_outcome(appointment: Row, now: datetime) -> None:
    """An outcome is recorded once, for an agreed appointment that has begun; else BookingError."""
    if appointment["outcome"]:
        raise BookingError("counseling.error.already_recorded", id=appointment["id"],
                           outcome=Label(f"counseling.outcome.{appointment['outcome']}"))
    check_open(appointment)
    if appointment["status"] == "pending_consent":
        raise BookingError("counseling.error.no_consent_yet", id=appointment["id"])
    if parse_iso(appointment["starts_at"]) > now:
        raise BookingError("counseling.error.not_started", id=appointment["id"])


def record_outcome(db: Connection, appointment: Row, outcome: str, now: datetime,
                   settings: Settings, *, employer: str | None = None,
                   occupation: str | None = None, topic: str = "job_seeking", channel: str = "visit") -> None:
    """Attended (hired or not) or a no-show; a hire marks the seeker employed, and an attended
    counseling is recorded as a consultation of that kind (topic) and channel."""
    employer = employer or appointment["employer"]
    with transaction(db):
        appointments.record_outcome(db, appointment["id"], outcome, now, employer)
        withdraw_reminders(db, appointment["id"], now)
        if outcome != "no_show":
            records.for_appointment(db, appointment, topic=topic, channel=channel)
        if appointment["seeker_id"] is None:
            return
        if outcome == "hired":
            group = occupation or appointments.occupation_for(db, appointment, employer)
            seekers.mark_employed(db, appointment["seeker_id"], occupation=group, employer=employer, now=now)
        if outcome != "no_show":
            # Asked once (the key has no version) and not in the middle of the night.
            to_seeker(db, appointments.get(db, appointment["id"]), "satisfaction", now, settings.zone,
                      key=f"{KEY_PREFIX}{appointment['id']}:satisfaction",
                      send_at=quiet.window_opens(now, settings.quiet_hours, settings.zone))
