"""Counselors' records by text for the published figures: 상담기록 CONSULT (a consultation by
phone, text or visit, for a job or a business) and 알선 REFER (a placement referral to an
employer), and the kind and channel words 결과 DONE also takes.

Whom a record is about: the counselor's own appointment number (12 or #12), a kiosk
referral request (R12) of their center, or a registered seeker's mobile number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from kiosk.core.db import Connection, Row
from kiosk.core.phones import normalize_mobile
from kiosk.counseling import appointments, records
from kiosk.seekers import store as seekers

TOPIC_WORDS = {"창업": "business", "business": "business", "구직": "job_seeking", "job": "job_seeking"}
CHANNEL_WORDS = {"방문": "visit", "visit": "visit", "전화": "phone", "phone": "phone", "문자": "text",
                 "text": "text", "키오스크": "kiosk", "kiosk": "kiosk"}
APPOINTMENT = re.compile(r"#?(\d{1,8})")
REFERRAL = re.compile(r"[Rr](\d+)")


class RecordError(Exception):
    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def kind_and_channel(words: list[str], channel: str = "visit") -> tuple[str, str, list[str]]:
    """(topic, channel, the other words): 창업 / 전화, 문자, 방문, 키오스크 picked out anywhere."""
    topic, rest = "job_seeking", []
    for word in words:
        lowered = word.lower()
        if lowered in TOPIC_WORDS:
            topic = TOPIC_WORDS[lowered]
        elif lowered in CHANNEL_WORDS:
            channel = CHANNEL_WORDS[lowered]
        else:
            rest.append(word)
    return topic, channel, rest


def _whom(db: Connection, counselor: Row, token: str) -> tuple[int, int | None]:
    """(seeker id, appointment id) named by an appointment number, R12 or a mobile number."""
    if not token:
        raise RecordError("counseling.error.no_phone")
    if (number := APPOINTMENT.fullmatch(token)) is not None:
        appointment = appointments.get(db, int(number.group(1)))
        if appointment is None:
            raise RecordError("counseling.error.not_found", id=number.group(1))
        if appointment["counselor_id"] != counselor["id"]:
            raise RecordError("counseling.error.not_yours", id=number.group(1))
        if appointment["seeker_id"] is None:
            raise RecordError("counseling.error.no_consent_yet", id=number.group(1))
        return appointment["seeker_id"], appointment["id"]
    if (referral := REFERRAL.fullmatch(token)) is not None:
        row = db.execute("SELECT seeker_id FROM referral_requests WHERE id = ? AND center_id = ?",
                         (int(referral.group(1)), counselor["center_id"])).fetchone()
        if row is None:
            raise RecordError("counseling.error.no_referral", id=token.upper())
        return row["seeker_id"], None
    seeker = seekers.find_by_phone(db, normalize_mobile(token))
    if seeker is None:
        raise RecordError("counseling.error.not_a_seeker")
    return seeker["id"], None


def consult(db: Connection, counselor: Row, text: str, now: datetime) -> tuple[str, dict]:
    """`상담기록 010-1234-5678 전화 창업`: one consultation (by phone unless told); the reply's key."""
    token, *words = text.split()
    seeker_id, appointment_id = _whom(db, counselor, token)
    topic, channel, rest = kind_and_channel(words, channel="phone")
    if rest:
        raise RecordError("counseling.error.extra_words", words=" ".join(rest))
    records.consultation(db, seeker_id=seeker_id, center_id=counselor["center_id"], counselor_id=counselor["id"],
                         topic=topic, channel=channel, now=now)
    return "consulted", {"topic": topic, "channel": channel}


def refer(db: Connection, counselor: Row, text: str, now: datetime,
          occupation_of: Callable[[str], str | None]) -> tuple[str, dict]:
    """`알선 12 한빛물산 경비`: a placement referral to an employer (the occupation word optional)."""
    token, _, rest = text.partition(" ")
    seeker_id, appointment_id = _whom(db, counselor, token)
    words = rest.split()
    occupation = occupation_of(words[-1]) if words else None
    employer = " ".join(words[:-1] if occupation else words)
    if not employer:
        raise RecordError("counseling.error.no_employer")
    number = records.placement(db, seeker_id=seeker_id, center_id=counselor["center_id"],
                               counselor_id=counselor["id"], employer=employer, occupation=occupation,
                               now=now, appointment_id=appointment_id)
    return "referred", {"id": number, "employer": employer}
