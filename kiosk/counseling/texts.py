"""The texts an appointment sends: confirmation, reminders, changes, questions afterwards.

Every seeker-facing key starts with "appt:<id>:", so a reply can be matched to the
appointment of the latest such text sent to that number (sms.inbound.appointment_replies).
Bodies are short lines from the catalog in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kiosk.core.clock import parse_iso
from kiosk.core.config import quiet_hours, setting
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import day_and_time, local
from kiosk.core.i18n import has, translate
from kiosk.core.phones import mask
from kiosk.counseling.appointments import phone_of
from kiosk.counseling.reminders import schedule_reminder
from sms.outbound import outbox

KEY_PREFIX = "appt:"


@dataclass(frozen=True)
class Settings:
    zone: str
    reminder_hours: tuple[int, ...]
    quiet_hours: tuple[str, str]
    reminder_useful_until: timedelta  # reminders stop this long before


def settings_from(config: Mapping[str, Any]) -> Settings:
    """TIMEZONE, APPOINTMENT_REMINDER_HOURS ("24,2") and QUIET_HOURS_* from the app's configuration."""
    raw = str(setting(config, "APPOINTMENT_REMINDER_HOURS"))
    hours = tuple(sorted({int(h) for h in raw.split(",") if h.strip()}, reverse=True))
    useful_until = timedelta(minutes=int(setting(config, "REMINDER_USEFUL_UNTIL_MINUTES")))
    return Settings(zone=setting(config, "TIMEZONE"), reminder_hours=hours, quiet_hours=quiet_hours(config),
                    reminder_useful_until=useful_until)


def when(at: datetime | str, language: str, zone: str) -> str:
    """11월 25일(수) 오후 2:00 in the center's zone."""
    instant = parse_iso(at) if isinstance(at, str) else at
    return day_and_time(local(instant, zone), language)


def seeker_language(appointment: Row) -> str:
    return appointment["seeker_language"] or "ko"


def details(appointment: Row, language: str, zone: str) -> dict[str, str]:
    """What every appointment text can mention."""
    return {
        "id": str(appointment["id"]),
        "kind": translate(f"counseling.kind.{appointment['kind']}", language),
        "when": when(appointment["starts_at"], language, zone),
        "place": appointment["place"] or appointment["center_name"],
        "center_phone": appointment["center_phone"],
        "counselor": appointment["counselor_name"] or "",
        "employer": appointment["employer"] or "",
        "phone": mask(phone_of(appointment)),
    }


def to_seeker(db: Connection, appointment: Row, what: str, now: datetime, zone: str, *,
              key: str | None = None, send_at: datetime | None = None) -> Any:
    """Queues catalog text counseling.sms.<what> to the appointment's person."""
    phone = phone_of(appointment)
    if not phone:
        return None
    language = seeker_language(appointment)
    body = compose(what, appointment, language, zone)
    return outbox.enqueue(
        db, to=phone, body=body, kind="transactional", now=now, send_at=send_at,
        dedupe_key=key or f"{KEY_PREFIX}{appointment['id']}:{what}:v{appointment['version']}",
        seeker_id=appointment["seeker_id"], appointment_id=appointment["id"], language=language)


def compose(what: str, appointment: Row, language: str, zone: str) -> str:
    """The body of counseling.sms.<what>, with the interview lines when it is one."""
    facts = details(appointment, language, zone)
    if appointment["kind"] == "interview" and has(f"counseling.sms.{what}_interview"):
        what = f"{what}_interview"
    body = translate(f"counseling.sms.{what}", language, **facts)
    if appointment["kind"] == "interview" and appointment["accompanied"] and what.endswith("_interview"):
        body += "\n" + translate("counseling.sms.with_me", language, **facts)
    return body


def to_counselor(db: Connection, appointment: Row, what: str, now: datetime,
                 zone: str) -> Any:
    """Tells the appointment's counselor something (the seeker cancelled, agreed, ...)."""
    if not appointment["counselor_phone"]:
        return None
    language = appointment["counselor_language"] or "ko"
    body = translate(f"counseling.counselor.{what}", language,
                     **details(appointment, language, zone))
    return outbox.enqueue(
        db, to=appointment["counselor_phone"], body=body, kind="transactional", now=now,
        dedupe_key=f"counselor:{appointment['counselor_id']}:appt:{appointment['id']}:{what}"
                   f":v{appointment['version']}",
        appointment_id=appointment["id"], language=language)


def schedule_reminders(db: Connection, appointment: Row, now: datetime,
                       settings: Settings) -> int:
    """The reminders still ahead (24 and 2 hours before, by default); how many were queued."""
    phone = phone_of(appointment)
    starts = parse_iso(appointment["starts_at"])
    queued = 0
    for hours in settings.reminder_hours:
        due = starts - timedelta(hours=hours)
        if not phone or due <= now:
            continue
        language = seeker_language(appointment)
        schedule_reminder(
            db, appointment_id=appointment["id"], to=phone, due_at=due, appointment_at=starts,
            body=compose("remind", appointment, language, settings.zone), now=now, language=language,
            still_useful_before=settings.reminder_useful_until,
            key=f"{KEY_PREFIX}{appointment['id']}:remind{hours}:v{appointment['version']}")
        queued += 1
    return queued
