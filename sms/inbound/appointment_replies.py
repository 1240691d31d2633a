"""Seekers' answers to appointment texts: 1 confirm, 2 / 취소 / CANCEL cancel, 1-5 a rating,
1 / 2 to a counselor's request to book them; `1 12` / `2 12` name the appointment (#12).

A 1 or 2 only ever acts on an appointment of that number that is still open and to come:
with one, it is that one; with several, the reply asks which (every appointment text names
its number). A score answers the satisfaction question when that was the latest appointment
text. Anything else is left to the next handler (job codes, the fallback).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from kiosk.core.db import Connection, Row
from kiosk.core.i18n import translate
from kiosk.counseling import appointments, bookings
from kiosk.counseling.texts import KEY_PREFIX, Settings, details, seeker_language, settings_from, when
from kiosk.seekers import store as seekers
from sms.inbound.answers import Confirmation
from sms.outbound import outbox

# "1", "2.", "취소", "cancel!", "4점", and with the appointment's number: "1 12", "2 #12", "취소 12".
REPLY = re.compile(r"(?P<word>[1-5])\s*점?|(?P<cancel>취\s*소|cancel)"
                   r"|(?P<pick>[12])\s*[\s,/#-]\s*#?(?P<id>\d{1,9})|(?P<pick_cancel>취\s*소|cancel)\s*#?(?P<cid>\d{1,9})")


def parse(body: str) -> tuple[str, int | None] | None:
    """('1'..'5' or 'cancel', appointment number or None), or None when it is not such a reply."""
    text = unicodedata.normalize("NFKC", body or "").strip().lower().strip(" .,!?~\"'()")
    found = REPLY.fullmatch(text)
    if found is None:
        return None
    if found["pick"]:
        return found["pick"], int(found["id"])
    if found["pick_cancel"]:
        return "cancel", int(found["cid"])
    return (found["word"] or "cancel"), None


def handle(db: Connection, message: Any, now: datetime, config: Any) -> str | None:
    """The answer to a seeker's 1 / 2 / rating, or None when it is not about an appointment."""
    parsed = parse(message.body)
    if parsed is None:
        return None
    word, number = parsed
    settings = settings_from(config)
    if number is None:
        rated = _rating(db, message.phone, word, now, settings)
        if rated is not None:
            return rated
    if word not in ("1", "2", "cancel"):
        return None
    upcoming = appointments.upcoming_for_phone(db, message.phone, now)
    if number is not None:
        chosen = [row for row in upcoming if row["id"] == number]
        if not chosen:
            return _not_open(db, message.phone, number, settings)
        return _act(db, chosen[0], word, now, settings, config["SECRET_KEY"])
    if len(upcoming) > 1:
        return _which(upcoming, settings)
    if upcoming:
        return _act(db, upcoming[0], word, now, settings, config["SECRET_KEY"])
    return _nothing_open(db, message.phone, word, now, settings)


def _latest(db: Connection, phone: str) -> tuple[Row | None, str]:
    """The appointment of the latest appointment text to this number, and which text it was."""
    latest = outbox.last_sent_to(db, phone, key_prefix=KEY_PREFIX)
    if latest is None:
        return None, ""
    parts = latest["dedupe_key"][len(KEY_PREFIX):].split(":")  # appt:12:remind24:v2
    if len(parts) < 2 or not parts[0].isdigit():
        return None, ""
    return appointments.get(db, int(parts[0])), parts[1]


def _say(appointment: Row, key: str, settings: Settings) -> str:
    language = seeker_language(appointment)
    return translate(f"counseling.sms.{key}", language, **details(appointment, language, settings.zone))


def _rating(db: Connection, phone: str, word: str, now: datetime, settings: Settings) -> str | None:
    """A score to the satisfaction question, when that question is the latest appointment text."""
    appointment, what = _latest(db, phone)
    if appointment is None or what != "satisfaction" or not word.isdigit():
        return None
    appointments.record_satisfaction(db, appointment, int(word), now)
    return _say(appointment, "thanks", settings)


def _which(upcoming: list[Row], settings: Settings) -> str:
    """Several appointments to come: which one? Each line names its number."""
    language = seeker_language(upcoming[0])
    lines = [translate("counseling.sms.which_line", language, id=row["id"],
                       when=when(row["starts_at"], language, settings.zone),
                       kind=translate(f"counseling.kind.{row['kind']}", language)) for row in upcoming[:4]]
    return "\n".join([translate("counseling.sms.which", language, count=len(upcoming)), *lines,
                      translate("counseling.sms.which_how", language, id=upcoming[0]["id"])])


def _not_open(db: Connection, phone: str, number: int, settings: Settings) -> str:
    """A number that is not one of this person's appointments to come."""
    appointment = appointments.get(db, number)
    if appointment is not None and phone in (appointment["seeker_phone"], appointment["pending_phone"]):
        return _say(appointment, "not_open", settings)
    seeker = seekers.find_by_phone(db, phone)
    return translate("counseling.sms.no_such", seeker["language"] if seeker else "ko", id=number)


def _nothing_open(db: Connection, phone: str, word: str, now: datetime,
                  settings: Settings) -> str | None:
    """No appointment to come: a repeated cancel is acknowledged, anything else cannot change."""
    appointment, _ = _latest(db, phone)
    if appointment is None:
        return None
    if word != "1" and appointment["status"] == "cancelled":
        return _say(appointment, "seeker_cancelled", settings)
    if appointment["status"] == "pending_consent":
        bookings.decline_consent(db, appointment, now, settings)  # asked, but its time has passed
        return _say(appointment, "too_late", settings)
    return _say(appointment, "not_open", settings)


def _act(db: Connection, appointment: Row, word: str, now: datetime, settings: Settings,
         secret: str) -> str:
    """Confirm, cancel, or answer a request for consent: the appointment is open and to come."""
    if appointment["status"] == "pending_consent":
        if word == "1":
            granted = bookings.grant_consent(db, appointment, now, settings, secret)
            return Confirmation(_say(granted, "consent_granted", settings))
        bookings.decline_consent(db, appointment, now, settings)
        return Confirmation(_say(appointment, "consent_declined", settings))
    if word == "1":
        if appointment["status"] == "confirmed":  # said before: a repeat is not owed past the limit
            return _say(appointment, "confirmed", settings)
        bookings.confirm(db, appointment, now)
        return Confirmation(_say(appointment, "confirmed", settings))
    bookings.cancel(db, appointment, now, settings, by_seeker=True)
    return Confirmation(_say(appointment, "seeker_cancelled", settings))
