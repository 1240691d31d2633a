"""After an appointment's end its counselor is texted once to record the outcome.

The only module that writes outcome_prompts. Its primary key (appointment, version) is the
once rule: of two runs that both find an appointment waiting, only the one whose row goes
in sends the text. Nothing is asked during quiet hours: the first run after they end asks
about what ended in the night, unless the outcome was recorded meanwhile.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.counseling import appointments
from kiosk.counseling.texts import Settings, to_counselor
from sms.outbound import quiet

# Open appointments without an outcome, with their center's slot length (their length).
WAITING = (
    "SELECT a.id, a.starts_at, c.slot_minutes FROM appointments a JOIN centers c ON c.id = a.center_id"
    " WHERE a.outcome IS NULL AND a.status IN ('booked', 'confirmed') AND a.counselor_id IS NOT NULL"
    " AND a.starts_at >= ? AND a.starts_at < ?"
)


def ends_at(starts_at: str, slot_minutes: int) -> datetime:
    """An appointment lasts one slot of its center."""
    return parse_iso(starts_at) + timedelta(minutes=slot_minutes)


def due(db: Connection, now: datetime, look_back: timedelta) -> list[int]:
    """Appointments that ended in the look-back window, still without an outcome and not yet asked about."""
    rows = db.execute(
        f"{WAITING} AND NOT EXISTS (SELECT 1 FROM outcome_prompts p WHERE p.appointment_id = a.id"
        " AND p.version = a.version) ORDER BY a.starts_at, a.id", (iso(now - look_back), iso(now))).fetchall()
    return [row["id"] for row in rows if ends_at(row["starts_at"], row["slot_minutes"]) <= now]


def _claim(db: Connection, appointment: Row, now: datetime) -> bool:
    """The once rule: True only for the run whose prompt row went in."""
    return db.execute(
        "INSERT INTO outcome_prompts (appointment_id, version, counselor_id, asked_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (appointment_id, version) DO NOTHING RETURNING appointment_id",
        (appointment["id"], appointment["version"], appointment["counselor_id"], iso(now))).fetchone() is not None


def ask_due(db: Connection, now: datetime, settings: Settings, look_back: timedelta) -> int:
    """Texts each counselor whose appointment ended without an outcome; how many were asked."""
    if quiet.is_quiet(now, settings.quiet_hours, settings.zone):
        return 0
    asked = 0
    for appointment_id in due(db, now, look_back):
        with transaction(db):
            appointment = appointments.get(db, appointment_id)
            if appointment["outcome"] or appointment["status"] not in ("booked", "confirmed"):
                continue  # recorded or cancelled since the list was read
            if _claim(db, appointment, now):
                to_counselor(db, appointment, "outcome_prompt", now, settings.zone)
                asked += 1
    return asked


def asked_at(db: Connection, appointment_ids: list[int]) -> dict[int, str]:
    """When each of these appointments' counselors was asked (the latest time), by id."""
    if not appointment_ids:
        return {}
    marks = ", ".join("?" * len(appointment_ids))
    return {row[0]: row[1] for row in db.execute(
        f"SELECT appointment_id, max(asked_at) FROM outcome_prompts WHERE appointment_id IN ({marks})"
        " GROUP BY appointment_id", appointment_ids)}
