"""What counselors record for the published figures: consultations (their kind and channel) and
placement referrals (알선: a seeker sent to an employer).

An attended counseling or follow-up is a consultation (a visit unless told otherwise); a
consultation by phone or text, and a referral, are recorded by their own command.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.regions import CONSULTATION_CHANNELS as CHANNELS
from kiosk.core.regions import CONSULTATION_TOPICS as TOPICS

COUNSELING_KINDS = ("counseling", "follow_up")


def consultation(db: Connection, *, seeker_id: int | None, center_id: int, counselor_id: int | None,
                 topic: str, channel: str, now: datetime, appointment_id: int | None = None) -> int:
    """Records one consultation; an appointment's is recorded once (a repeat returns its id)."""
    if topic not in TOPICS or channel not in CHANNELS:
        raise ValueError(f"{topic}/{channel}")
    row = db.execute(
        "INSERT INTO consultations (seeker_id, center_id, counselor_id, appointment_id, topic, channel, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (appointment_id) DO NOTHING RETURNING id",
        (seeker_id, center_id, counselor_id, appointment_id, topic, channel, iso(now))).fetchone()
    if row is None:
        return db.execute("SELECT id FROM consultations WHERE appointment_id = ?", (appointment_id,)).fetchone()[0]
    return row[0]


def for_appointment(db: Connection, appointment: Row, *, topic: str, channel: str) -> int | None:
    """The consultation an attended counseling or follow-up was, at its time (an interview is none)."""
    if appointment["kind"] not in COUNSELING_KINDS:
        return None
    return consultation(db, seeker_id=appointment["seeker_id"], center_id=appointment["center_id"],
                        counselor_id=appointment["counselor_id"], topic=topic, channel=channel,
                        now=parse_iso(appointment["starts_at"]), appointment_id=appointment["id"])


def placement(db: Connection, *, seeker_id: int | None, center_id: int, counselor_id: int | None,
              employer: str, occupation: str | None, now: datetime, appointment_id: int | None = None) -> int:
    """Records a placement referral to an employer."""
    return db.execute(
        "INSERT INTO placements (seeker_id, center_id, counselor_id, appointment_id, employer, occupation, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (seeker_id, center_id, counselor_id, appointment_id, employer, occupation, iso(now))).fetchone()[0]


def add_consultations(db: Connection, rows: Iterable[tuple]) -> None:
    """(seeker, center, counselor, appointment, topic, channel, at) rows at once: for a bulk load."""
    db.executemany("INSERT INTO consultations (seeker_id, center_id, counselor_id, appointment_id, topic,"
                   " channel, at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def add_placements(db: Connection, rows: Iterable[tuple]) -> None:
    """(seeker, center, counselor, employer, occupation, at) rows at once: for a bulk load."""
    db.executemany("INSERT INTO placements (seeker_id, center_id, counselor_id, employer, occupation, at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", rows)
