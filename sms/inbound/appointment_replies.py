"""Seekers' answers to appointment texts: 1 confirm, 2 / 취소 / CANCEL cancel, 1-5 a rating,
1 / 2 to a counselor's request to book them.

A reply belongs to the appointment of the latest appointment text sent to that number;
anything else is left to the next handler (job codes, the fallback).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.i18n import translate
from kiosk.counseling import appointments, bookings
from kiosk.counseling.texts import KEY_PREFIX, Settings, details, seeker_language, settings_from
from sms.outbound import outbox

CANCEL_WORDS = {"2", "취소", "cancel"}
SCORE = re.compile(r"([1-5])점?")


def _word(body: str) -> str:
    """`1.`, ` 1 `, `취 소`, `Cancel!` → 1, 1, 취소, cancel."""
    return re.sub(r"[\s.,!?~\"'()]+", "", body).lower()


def handle(db: Connection, message: Any, now: datetime, config: Any) -> str | None:
    """The answer to a seeker's 1 / 2 / rating, or None when it is not about an appointment."""
    word = _word(message.body)
    if not (SCORE.fullmatch(word) or word in CANCEL_WORDS):
        return None
    latest = outbox.last_sent_to(db, message.phone, key_prefix=KEY_PREFIX)
    if latest is None:
        return None
    appointment_id, what = _parse_key(latest["dedupe_key"])
    appointment = appointments.get(db, appointment_id) if appointment_id else None
    if appointment is None:
        return None
    settings = settings_from(config)
    if what == "satisfaction":
        return _rate(db, appointment, word, now, settings)
    if what == "consent":
        return _consent(db, appointment, word, now, settings, config["SECRET_KEY"])
    return _confirm_or_cancel(db, appointment, word, now, settings)


def _parse_key(key: str) -> tuple[int | None, str]:
    """appt:12:remind24:v2 → (12, "remind24")."""
    parts = key[len(KEY_PREFIX):].split(":")
    if len(parts) < 2 or not parts[0].isdigit():
        return None, ""
    return int(parts[0]), parts[1]


def _say(appointment: Row, key: str, settings: Settings) -> str:
    language = seeker_language(appointment)
    return translate(f"counseling.sms.{key}", language, **details(appointment, language, settings.zone))


def _rate(db: Connection, appointment: Row, word: str, now: datetime,
          settings: Settings) -> str | None:
    score = SCORE.fullmatch(word)
    if score is None:
        return None
    appointments.record_satisfaction(db, appointment, int(score.group(1)), now)
    return _say(appointment, "thanks", settings)


def _consent(db: Connection, appointment: Row, word: str, now: datetime,
             settings: Settings, secret: str) -> str | None:
    if appointment["status"] != "pending_consent":
        return _say(appointment, "not_open", settings)
    if parse_iso(appointment["starts_at"]) <= now:
        bookings.decline_consent(db, appointment, now, settings)
        return _say(appointment, "too_late", settings)
    if word == "1":
        return _say(bookings.grant_consent(db, appointment, now, settings, secret), "consent_granted", settings)
    if word in CANCEL_WORDS:
        bookings.decline_consent(db, appointment, now, settings)
        return _say(appointment, "consent_declined", settings)
    return None


def _confirm_or_cancel(db: Connection, appointment: Row, word: str, now: datetime,
                       settings: Settings) -> str | None:
    upcoming = parse_iso(appointment["starts_at"]) > now
    if word == "1":
        if appointment["status"] in ("booked", "confirmed") and upcoming:
            bookings.confirm(db, appointment, now)
            return _say(appointment, "confirmed", settings)
        return _say(appointment, "not_open", settings)
    if word in CANCEL_WORDS:
        if appointment["status"] == "cancelled":
            return _say(appointment, "seeker_cancelled", settings)
        if appointment["status"] in ("booked", "confirmed") and upcoming:
            bookings.cancel(db, appointment, now, settings, by_seeker=True)
            return _say(appointment, "seeker_cancelled", settings)
        return _say(appointment, "not_open", settings)
    return None
