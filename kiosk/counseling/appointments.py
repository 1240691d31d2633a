"""Appointments: counseling, follow-ups and interviews, from booking to outcome.

Rows only; kiosk.counseling.bookings decides what each change means and which messages it sends.
A counselor's slot is claimed by the unique index appointments_one_per_slot, so two
bookings of the same last place cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, IntegrityError, Row, is_unique_violation, statement_may_fail
from kiosk.core.i18n import translate

KINDS = ("follow_up", "counseling", "interview")
OPEN = ("booked", "pending_consent", "confirmed")
OUTCOMES = ("hired", "not_hired", "no_show")


class BookingError(Exception):
    """A booking that cannot be made; .reason is a catalog key, .params fill it in."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Label:
    """A reason's parameter that is itself a catalog key, said in the reader's language."""

    key: str


def reason_text(error: Exception, language: str) -> str:
    """An error's reason (a catalog key with .params) in the reader's language."""
    params = {name: translate(value.key, language) if isinstance(value, Label) else value
              for name, value in getattr(error, "params", {}).items()}
    return translate(error.reason, language, **params)  # type: ignore[attr-defined]


class SlotTaken(BookingError):
    def __init__(self) -> None:
        super().__init__("counseling.error.slot_full")


class SeekerBusy(BookingError):
    """The person already has an appointment at that time."""

    def __init__(self) -> None:
        super().__init__("counseling.error.seeker_busy")


def _conflict(exc: IntegrityError) -> BookingError:
    return SeekerBusy() if "seeker_id" in str(exc) else SlotTaken()


SELECT = (
    "SELECT a.*, c.name AS center_name, c.phone AS center_phone, k.name AS counselor_name,"
    " k.phone AS counselor_phone, k.language AS counselor_language, s.phone AS seeker_phone,"
    " s.language AS seeker_language, s.name AS seeker_name, ac.phone AS pending_phone"
    " FROM appointments a JOIN centers c ON c.id = a.center_id"
    " LEFT JOIN counselors k ON k.id = a.counselor_id LEFT JOIN seekers s ON s.id = a.seeker_id"
    " LEFT JOIN appointment_consents ac ON ac.appointment_id = a.id"
)


def insert(db: Connection, *, kind: str, center_id: int, counselor_id: int | None,
           seeker_id: int | None, starts_at: datetime, slot_start: datetime | None, status: str,
           booked_via: str, now: datetime, accompanied: bool = False, employer: str | None = None,
           memo: str | None = None, kiosk_code: str | None = None,
           referral_id: int | None = None, place: str | None = None, bus_run_id: int | None = None) -> int:
    """A new appointment (held at `place` when not at its center); the counselor's slot already
    taken raises SlotTaken."""
    try:
        with statement_may_fail(db):
            return db.execute(
                "INSERT INTO appointments (kind, center_id, counselor_id, seeker_id, referral_id, starts_at,"
                " slot_start, accompanied, employer, memo, status, booked_via, kiosk_code, place, bus_run_id,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (kind, center_id, counselor_id, seeker_id, referral_id, iso(starts_at),
                 iso(slot_start) if slot_start else None, int(accompanied), employer, memo, status,
                 booked_via, kiosk_code, place, bus_run_id, iso(now), iso(now))).fetchone()[0]
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise _conflict(exc) from exc


def get(db: Connection, appointment_id: int) -> Row | None:
    """One appointment with its center, counselor and the person's number and language."""
    return db.execute(f"{SELECT} WHERE a.id = ?", (appointment_id,)).fetchone()


def phone_of(appointment: Row) -> str | None:
    """The number to text: the seeker's, or the one waiting for consent."""
    return appointment["seeker_phone"] or appointment["pending_phone"]


def for_counselor(db: Connection, counselor_id: int, start: datetime,
                  end: datetime) -> list[Row]:
    """A counselor's appointments starting in [start, end), cancelled ones included."""
    return db.execute(f"{SELECT} WHERE a.counselor_id = ? AND a.starts_at >= ? AND a.starts_at < ?"
                      " ORDER BY a.starts_at, a.id", (counselor_id, iso(start), iso(end))).fetchall()


def for_seeker(db: Connection, seeker_id: int, now: datetime) -> list[Row]:
    """A seeker's open appointments still to come."""
    return db.execute(f"{SELECT} WHERE a.seeker_id = ? AND a.starts_at > ? AND a.status IN"
                      " ('booked', 'pending_consent', 'confirmed') ORDER BY a.starts_at",
                      (seeker_id, iso(now))).fetchall()


# A seeker's through their number (unique), and those waiting for consent (0013's index).
UPCOMING_FOR_PHONE = (
    f"{SELECT} WHERE a.id IN (SELECT mine.id FROM seekers me JOIN appointments mine ON mine.seeker_id = me.id"
    " WHERE me.phone = ?1 AND mine.starts_at > ?2 UNION SELECT appointment_id FROM appointment_consents"
    " WHERE phone = ?1) AND a.starts_at > ?2 AND a.status IN ('booked', 'pending_consent', 'confirmed')"
    " ORDER BY a.starts_at, a.id")


def upcoming_for_phone(db: Connection, phone: str, now: datetime) -> list[Row]:
    """The open appointments still to come of the person with this number (a seeker's, or
    waiting for their consent), soonest first: what their 1 / 2 may be about."""
    return db.execute(UPCOMING_FOR_PHONE, (phone, iso(now))).fetchall()


def open_on_run(db: Connection, bus_run_id: int) -> list[Row]:
    """The open appointments held at a run of the job bus (booked aboard)."""
    return db.execute(f"{SELECT} WHERE a.bus_run_id = ? AND a.status IN ('booked', 'pending_consent', 'confirmed')"
                      " ORDER BY a.starts_at, a.id", (bus_run_id,)).fetchall()


def open_at(db: Connection, seeker_id: int, starts_at: datetime) -> int | None:
    """The seeker's open appointment at exactly that time (a resubmitted booking finds it)."""
    row = db.execute("SELECT id FROM appointments WHERE seeker_id = ? AND starts_at = ?"
                     " AND status IN ('booked', 'pending_consent', 'confirmed')",
                     (seeker_id, iso(starts_at))).fetchone()
    return row[0] if row else None


def open_of(db: Connection, counselor_id: int, phone: str, starts_at: datetime) -> int | None:
    """The counselor's open appointment with this number at exactly that time (a form sent twice finds it)."""
    row = db.execute(f"{SELECT} WHERE a.counselor_id = ? AND a.starts_at = ? AND coalesce(s.phone, ac.phone) = ?"
                     " AND a.status IN ('booked', 'pending_consent', 'confirmed')",
                     (counselor_id, iso(starts_at), phone)).fetchone()
    return row["id"] if row else None


def set_status(db: Connection, appointment_id: int, status: str, now: datetime) -> None:
    db.execute("UPDATE appointments SET status = ?, updated_at = ? WHERE id = ?",
               (status, iso(now), appointment_id))


def move(db: Connection, appointment_id: int, starts_at: datetime, slot_start: datetime | None,
         now: datetime) -> None:
    """A new time (and slot); a confirmed appointment needs confirming again."""
    try:
        with statement_may_fail(db):
            db.execute(
                "UPDATE appointments SET starts_at = ?, slot_start = ?, version = version + 1, updated_at = ?,"
                " status = CASE status WHEN 'confirmed' THEN 'booked' ELSE status END WHERE id = ?",
                (iso(starts_at), iso(slot_start) if slot_start else None, iso(now), appointment_id))
    except IntegrityError as exc:
        raise _conflict(exc) from exc


def record_outcome(db: Connection, appointment_id: int, outcome: str, now: datetime,
                   employer: str | None = None) -> None:
    status = "no_show" if outcome == "no_show" else "attended"
    db.execute("UPDATE appointments SET status = ?, outcome = ?, outcome_at = ?, updated_at = ?,"
               " employer = coalesce(?, employer) WHERE id = ?",
               (status, outcome, iso(now), iso(now), employer, appointment_id))


def attach_seeker(db: Connection, appointment_id: int, seeker_id: int, now: datetime) -> None:
    db.execute("UPDATE appointments SET seeker_id = ?, status = 'booked', updated_at = ? WHERE id = ?",
               (seeker_id, iso(now), appointment_id))


# --- consent asked by text --------------------------------------------------------------

def wait_for_consent(db: Connection, appointment_id: int, phone: str, now: datetime) -> None:
    db.execute("INSERT INTO appointment_consents (appointment_id, phone, asked_at) VALUES (?, ?, ?)",
               (appointment_id, phone, iso(now)))


def answer_consent(db: Connection, appointment_id: int, granted: bool, now: datetime) -> None:
    """The answer is kept; the number is not (the seeker row holds it from now on)."""
    db.execute("UPDATE appointment_consents SET phone = NULL, answered_at = ?, granted = ?"
               " WHERE appointment_id = ?", (iso(now), int(granted), appointment_id))


def forget_consent_phone(db: Connection, appointment_id: int) -> None:
    """The request was withdrawn before an answer: the number is not kept."""
    db.execute("UPDATE appointment_consents SET phone = NULL WHERE appointment_id = ?", (appointment_id,))


# --- satisfaction -----------------------------------------------------------------------

def record_satisfaction(db: Connection, appointment: Row, score: int, now: datetime) -> bool:
    """Keeps the first answer only; False when this appointment was already rated."""
    return db.execute(
        "INSERT INTO satisfaction_answers (appointment_id, seeker_id, center_id, score, answered_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (appointment_id) DO NOTHING",
        (appointment["id"], appointment["seeker_id"], appointment["center_id"], score, iso(now))).rowcount == 1


# --- hires ------------------------------------------------------------------------------

def occupation_for(db: Connection, appointment: Row, employer: str | None) -> str | None:
    """The occupation group of the hire: the referred opening's, else the employer's latest."""
    if appointment["referral_id"]:
        row = db.execute("SELECT o.occupation FROM referral_requests r JOIN openings o ON o.id = r.opening_id"
                         " WHERE r.id = ?", (appointment["referral_id"],)).fetchone()
        if row:
            return row[0]
    if employer:
        row = db.execute("SELECT occupation FROM openings WHERE employer = ?"
                         " ORDER BY posted_on DESC, id DESC LIMIT 1", (employer,)).fetchone()
        if row:
            return row[0]
    return None


def add_attended_many(db: Connection, rows: Iterable[tuple]) -> None:
    """Attended counseling at once, (center, counselor, seeker, starts_at, outcome, memo): for a bulk
    load (the demo's history). They take no slot."""
    db.executemany(
        "INSERT INTO appointments (kind, center_id, counselor_id, seeker_id, starts_at, status, outcome,"
        " booked_via, memo, created_at, updated_at, outcome_at) VALUES ('counseling', ?, ?, ?, ?, 'attended', ?,"
        " 'kiosk', ?, ?, ?, ?)", [(c, k, s, at, outcome, memo, at, at, at) for c, k, s, at, outcome, memo in rows])


def ids_by_memo(db: Connection, memo: str) -> dict[int, int]:
    """{seeker id: appointment id} of the appointments with this memo."""
    return dict(db.execute("SELECT seeker_id, id FROM appointments WHERE memo = ?", (memo,)).fetchall())


def add_satisfaction_many(db: Connection, rows: Iterable[tuple[int, int, int, int, str]]) -> None:
    """(appointment, seeker, center, score, answered_at) rows at once: for a bulk load."""
    db.executemany("INSERT INTO satisfaction_answers (appointment_id, seeker_id, center_id, score, answered_at)"
                   " VALUES (?, ?, ?, ?, ?) ON CONFLICT (appointment_id) DO NOTHING", rows)
