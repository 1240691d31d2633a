"""Counselors' commands by text: 예약 BOOK, 면접 INTERVIEW, 목록 LIST, 취소 CANCEL, 변경 MOVE,
결과 DONE, 상담기록 CONSULT, 알선 REFER, 도움 HELP — one per message, from registered counselor
numbers only (the records for the figures are sms/inbound/counselor_records.py).

A command that cannot be carried out is answered with the reason and its usage line,
and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.core.db import Connection, Row
from kiosk.core.i18n import translate
from kiosk.core.phones import InvalidPhone, normalize_mobile
from kiosk.core.regions import OCCUPATIONS
from kiosk.counseling import appointments, bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError
from kiosk.counseling.texts import Settings, details, settings_from
from sms.inbound import counselor_lists, counselor_records
from sms.inbound.answers import Confirmation
from sms.inbound.counselor_records import RecordError
from sms.inbound.when import WhenError, parse_when, take_when
from sms.outbound.optout import is_opted_out

COMMANDS = {
    "예약": "book", "book": "book", "면접": "interview", "interview": "interview",
    "목록": "list", "list": "list", "취소": "cancel", "cancel": "cancel",
    "변경": "move", "move": "move", "결과": "done", "done": "done",
    "상담기록": "consult", "consult": "consult", "알선": "refer", "refer": "refer",
    "도움": "help", "도움말": "help", "help": "help", "?": "help",
    "명령어": "help", "명령": "help", "commands": "help",
}
OUTCOMES = {"취업": "hired", "hired": "hired", "미취업": "not_hired", "nothired": "not_hired",
            "not_hired": "not_hired", "불참": "no_show", "noshow": "no_show", "no_show": "no_show"}
WITH_ME = {"동행", "withme"}
CHANGES = {"book", "interview", "cancel", "move", "done", "consult", "refer"}  # their answers confirm a change
REFERRAL = re.compile(r"[Rr](\d+)")
NUMBER = re.compile(r"#?(\d+)")


class CommandError(Exception):
    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass
class Context:
    db: Connection
    counselor: Row
    now: datetime
    settings: Settings
    language: str
    message: Any

    def say(self, key: str, **params: object) -> str:
        return translate(f"counseling.cmd.{key}", self.language, **params)


def handle(db: Connection, message: Any, now: datetime, config: Any) -> str | None:
    """The reply to a counselor's command; None when the sender is not a counselor."""
    counselor = counseling.counselor_by_phone(db, message.phone)
    if counselor is None:
        return None
    ctx = Context(db, counselor, now, settings_from(config), counselor["language"] or "ko", message)
    command = command_of(message.body)
    rest = message.body.strip().partition(" ")[2]
    if command is None:
        return f"{ctx.say('unknown')}\n{ctx.say('help')}"
    try:
        answer = HANDLERS[command](ctx, rest.strip())
        return Confirmation(answer) if command in CHANGES else answer
    except (CommandError, RecordError, BookingError, WhenError, InvalidPhone) as error:
        reason = appointments.reason_text(error, ctx.language)
        return f"{reason}\n{translate(f'counseling.usage.{command}', ctx.language)}"


def command_of(body: str) -> str | None:
    """The command a text's first word names ('book', 'list', ...), or None."""
    return COMMANDS.get(body.strip().partition(" ")[0].strip().lower())


def _target(ctx: Context, text: str) -> tuple[str, int | None, str, str]:
    """(phone, referral id, rest, referred employer) from `010-... rest` or `R12 rest`."""
    token, _, rest = text.partition(" ")
    if not token:
        raise CommandError("counseling.error.no_phone")
    referral = REFERRAL.fullmatch(token)
    if referral is None:
        return normalize_mobile(token), None, rest, ""
    row = ctx.db.execute(
        "SELECT r.*, s.phone, o.employer FROM referral_requests r JOIN seekers s ON s.id = r.seeker_id"
        " LEFT JOIN openings o ON o.id = r.opening_id WHERE r.id = ? AND r.center_id = ?"
        " AND r.status <> 'closed'", (int(referral.group(1)), ctx.counselor["center_id"])).fetchone()
    if row is None or not row["phone"]:
        raise CommandError("counseling.error.no_referral", id=token.upper())
    return row["phone"], row["id"], rest, row["employer"] or ""


def _booked_reply(ctx: Context, appointment: Row) -> str:
    facts = details(appointment, ctx.language, ctx.settings.zone)
    key = "pending" if appointment["status"] == "pending_consent" else "booked"
    reply = ctx.say(key, **facts)
    if is_opted_out(ctx.db, appointments.phone_of(appointment)):
        reply += "\n" + ctx.say("opted_out")
    return reply


def book(ctx: Context, text: str) -> str:
    phone, referral_id, rest, _ = _target(ctx, text)
    found = take_when(rest, ctx.now, ctx.settings.zone)
    appointment = bookings.book_by_counselor(
        ctx.db, counselor=ctx.counselor, kind="follow_up", phone=phone, at=found.at, now=ctx.now,
        settings=ctx.settings, memo=found.rest or None, referral_id=referral_id)
    return _booked_reply(ctx, appointment)


def interview(ctx: Context, text: str) -> str:
    phone, referral_id, rest, referred_employer = _target(ctx, text)
    found = take_when(rest, ctx.now, ctx.settings.zone)
    words = found.rest.split()
    accompanied = bool(words) and words[-1].lower() in WITH_ME
    employer = " ".join(words[:-1] if accompanied else words) or referred_employer
    if not employer:
        raise CommandError("counseling.error.no_employer")
    appointment = bookings.book_by_counselor(
        ctx.db, counselor=ctx.counselor, kind="interview", phone=phone, at=found.at, now=ctx.now,
        settings=ctx.settings, employer=employer, accompanied=accompanied, referral_id=referral_id)
    return _booked_reply(ctx, appointment)


def _own(ctx: Context, text: str) -> tuple[Row, str]:
    """The counselor's own appointment named by the first word, and the rest of the text."""
    token, _, rest = text.partition(" ")
    number = NUMBER.fullmatch(token)
    if number is None:
        raise CommandError("counseling.error.no_id")
    appointment = appointments.get(ctx.db, int(number.group(1)))
    if appointment is None:
        raise CommandError("counseling.error.not_found", id=number.group(1))
    if appointment["counselor_id"] != ctx.counselor["id"]:
        raise CommandError("counseling.error.not_yours", id=number.group(1))
    return appointment, rest.strip()


def cancel(ctx: Context, text: str) -> str:
    appointment, rest = _own(ctx, text)
    if rest:
        raise CommandError("counseling.error.extra_words", words=rest)
    bookings.check_open(appointment)
    bookings.cancel(ctx.db, appointment, ctx.now, ctx.settings, by_seeker=False)
    return ctx.say("cancelled", id=appointment["id"])


def move(ctx: Context, text: str) -> str:
    appointment, rest = _own(ctx, text)
    bookings.check_open(appointment)
    at = parse_when(rest, ctx.now, ctx.settings.zone)
    moved = bookings.move(ctx.db, appointment, at, ctx.now, ctx.settings)
    return ctx.say("moved", **details(moved, ctx.language, ctx.settings.zone))


def done(ctx: Context, text: str) -> str:
    appointment, rest = _own(ctx, text)
    word, _, rest = rest.partition(" ")
    outcome = OUTCOMES.get(word.lower())
    if outcome is None:
        raise CommandError("counseling.error.no_outcome")
    bookings.check_outcome(appointment, ctx.now)
    topic, channel, words = counselor_records.kind_and_channel(rest.split())
    employer, occupation = _employer_and_occupation(words)
    bookings.record_outcome(ctx.db, appointment, outcome, ctx.now, ctx.settings,
                            employer=employer, occupation=occupation, topic=topic, channel=channel)
    return ctx.say("recorded", id=appointment["id"],
                   outcome=translate(f"counseling.outcome.{outcome}", ctx.language))


def _employer_and_occupation(words: list[str]) -> tuple[str | None, str | None]:
    """`한빛물산 경비` → ("한빛물산", "security"): a last word naming an occupation group."""
    occupation = occupation_word(words[-1]) if words else None
    if occupation:
        words = words[:-1]
    return (" ".join(words) or None), occupation


def occupation_word(word: str) -> str | None:
    """The occupation group a word names in either language (경비, cleaning), or None."""
    wanted = word.lower()
    for code in OCCUPATIONS:
        for language in ("ko", "en"):
            label = translate(f"occupation.{code}", language).lower()
            if wanted == code or wanted in re.split(r"\s*[·,&]\s*|\s+", label):
                return code
    return None


def consult(ctx: Context, text: str) -> str:
    key, params = counselor_records.consult(ctx.db, ctx.counselor, text, ctx.now)
    return ctx.say(key, topic=translate(f"counseling.topic.{params['topic']}", ctx.language),
                   channel=translate(f"counseling.channel.{params['channel']}", ctx.language))


def refer(ctx: Context, text: str) -> str:
    key, params = counselor_records.refer(ctx.db, ctx.counselor, text, ctx.now, occupation_word)
    return ctx.say(key, **params)


def list_day(ctx: Context, text: str) -> str:
    return counselor_lists.reply(ctx.db, ctx.counselor, text, ctx.now, ctx.settings, ctx.message)


def help_text(ctx: Context, _text: str) -> str:
    return ctx.say("help")


HANDLERS: dict[str, Callable[[Context, str], str]] = {
    "book": book, "interview": interview, "list": list_day, "cancel": cancel, "move": move,
    "done": done, "consult": consult, "refer": refer, "help": help_text,
}
