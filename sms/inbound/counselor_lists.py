"""목록 / LIST: a counselor's day by text, split into several short messages when long.

Each line is `#id time kind person status`, the person as a name with the number's last four
digits, else the masked number; a message holds whole lines only, up to about two Korean
segments, and says which part of how many it is.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import short_day
from kiosk.core.i18n import translate
from kiosk.core.phones import mask
from kiosk.counseling import appointments
from kiosk.counseling.texts import Settings
from sms.inbound.when import parse_day
from sms.outbound import outbox

PART_CHARS = 130  # two UCS-2 segments of a long message, leaving room for the header


def lines_for(rows: list[Row], language: str, zone: str) -> list[str]:
    tz = ZoneInfo(zone)
    found = []
    for row in rows:
        at = parse_iso(row["starts_at"]).astimezone(tz)
        kind = translate(f"counseling.kind_short.{row['kind']}", language)
        if row["accompanied"]:
            kind += translate("counseling.kind_short.with_me", language)
        status = translate(f"counseling.status.{row['outcome'] or row['status']}", language)
        found.append(f"#{row['id']} {at:%H:%M} {kind} {who(row)} {status}")
    return found


def who(row: Row) -> str:
    """The person as their counselor reads them: a name with the number's last four digits
    (김영희(1234)), else the masked number (a counselor lists only their own appointments)."""
    phone = appointments.phone_of(row)
    if row["seeker_name"]:
        return f"{row['seeker_name']}({phone[-4:]})" if phone else row["seeker_name"]
    return mask(phone) or "-"


def split(lines: list[str], limit: int = PART_CHARS) -> list[list[str]]:
    """Whole lines packed into parts of at most `limit` characters."""
    parts: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if parts[-1] and size + len(line) + 1 > limit:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += len(line) + 1
    return parts


def messages(rows: list[Row], day_label: str, language: str, zone: str) -> list[str]:
    """The texts for one day's list, each with its header."""
    if not rows:
        return [translate("counseling.cmd.list_empty", language, day=day_label)]
    parts = split(lines_for(rows, language, zone))
    key = "counseling.cmd.list_header" if len(parts) == 1 else "counseling.cmd.list_header_part"
    return ["\n".join([translate(key, language, day=day_label, count=len(rows), part=n, parts=len(parts)),
                       *part])
            for n, part in enumerate(parts, start=1)]


def reply(db: Connection, counselor: Row, text: str, now: datetime, settings: Settings,
          message: Any) -> str:
    """The first part as the reply; later parts go out through the outbox in order."""
    language = counselor["language"] or "ko"
    day = parse_day(_day_word(text), now, settings.zone)
    tz = ZoneInfo(settings.zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    rows = appointments.for_counselor(db, counselor["id"], start, start + timedelta(days=1))
    texts = messages(rows, short_day(day, language), language, settings.zone)
    for n, body in enumerate(texts[1:], start=2):
        outbox.enqueue(db, to=counselor["phone"], body=body, kind="transactional", now=now,
                       dedupe_key=f"counselor:{counselor['id']}:list:{message.id}:{n}", language=language)
    return texts[0]


def _day_word(text: str) -> str:
    return text.strip() or "오늘"
