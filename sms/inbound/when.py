"""Times as counselors type them in a text: `11/25 14:00`, `내일 10시`, `11월 25일 오후 2시`.

`take_when` reads a date-and-time from the start of a command's remaining text and says
where it ended, so what follows (a memo, an employer) stays the caller's. Dates without a
year mean the nearest such day; an hour from 1 to 7 without 오전/오후 could be morning or
afternoon, so it is refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The hours a bare "h시" or "h:mm" is read as it is written; 1-7 could be either half-day.
UNAMBIGUOUS_BARE_HOURS = {0, 8, 9, 10, 11, 12, *range(13, 24)}
END = r"(?=\s|$)"

RELATIVE_DAYS = {"오늘": 0, "today": 0, "내일": 1, "tomorrow": 1, "모레": 2}
DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + END),
    re.compile(r"(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),  # 일 ends it: 11월25일오후2시 reads too
    re.compile(r"(?P<m>\d{1,2})[/.](?P<d>\d{1,2})" + END),
    re.compile(r"(?P<rel>오늘|내일|모레)"),
    re.compile(r"(?P<rel>today|tomorrow)" + END, re.IGNORECASE),
]
TIME_PATTERN = re.compile(
    r"(?:(?P<pre>오전|오후|am|pm)\s*)?"
    r"(?P<h>\d{1,2})"
    r"(?:(?::(?P<m>\d{2}))|(?:\s*시(?:\s*(?:(?P<m2>\d{1,2})\s*분|(?P<half>반)))?))"
    r"(?:\s*(?P<post>am|pm))?" + END,
    re.IGNORECASE,
)
ENGLISH_TIME = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<post>am|pm)" + END, re.IGNORECASE)


class WhenError(ValueError):
    """A time that cannot be read for sure; .reason is a catalog key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class When:
    at: datetime  # aware, in the center's zone
    rest: str  # the text after the time


def _date_part(text: str, today: date) -> tuple[date | None, str]:
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("rel"):
            return today + timedelta(days=RELATIVE_DAYS[parts["rel"].lower()]), text[match.end():]
        try:
            if parts.get("y"):
                day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            else:
                day = _nearest(int(parts["m"]), int(parts["d"]), today)
        except ValueError as exc:
            raise WhenError("when.no_such_date") from exc
        return day, text[match.end():]
    return None, text


def _nearest(month: int, day_of_month: int, today: date) -> date:
    """This year's day, unless that was long ago (then next year's): 1/5 typed in December."""
    this_year = date(today.year, month, day_of_month)
    if (today - this_year).days > 180:
        return date(today.year + 1, month, day_of_month)
    if (this_year - today).days > 180:
        return date(today.year - 1, month, day_of_month)
    return this_year


def _hour(value: int, marker: str | None) -> int:
    marker = (marker or "").lower()
    if marker in ("오후", "pm"):
        if not 1 <= value <= 12:
            raise WhenError("when.bad_time")
        return value % 12 + 12
    if marker in ("오전", "am"):
        if not 1 <= value <= 12:
            raise WhenError("when.bad_time")
        return value % 12
    if value > 23:
        raise WhenError("when.bad_time")
    if value not in UNAMBIGUOUS_BARE_HOURS:
        raise WhenError("when.ambiguous_hour")
    return value


def _time_part(text: str) -> tuple[time, str]:
    match = TIME_PATTERN.match(text) or ENGLISH_TIME.match(text)
    if not match:
        raise WhenError("when.no_time")
    parts = match.groupdict()
    if parts.get("pre") and parts.get("post"):
        raise WhenError("when.ambiguous_hour")
    minute = int(parts.get("m") or parts.get("m2") or (30 if parts.get("half") else 0))
    hour = _hour(int(parts["h"]), parts.get("pre") or parts.get("post"))
    if hour > 23 or minute > 59:
        raise WhenError("when.bad_time")
    return time(hour, minute), text[match.end():]


def take_when(text: str, now: datetime, zone: str) -> When:
    """The date and time at the start of text (today when only a time is given)."""
    text = text.strip()
    if not text:
        raise WhenError("when.missing")
    local_now = now.astimezone(ZoneInfo(zone))
    day, rest = _date_part(text, local_now.date())
    clock, rest = _time_part(rest.lstrip())
    rest = rest.strip()
    if _looks_like_when(rest, local_now.date()):
        raise WhenError("when.two_times")
    at = datetime.combine(day or local_now.date(), clock, tzinfo=ZoneInfo(zone))
    return When(at=at, rest=rest)


def parse_when(text: str, now: datetime, zone: str) -> datetime:
    """A whole text that must be nothing but a date and time."""
    found = take_when(text, now, zone)
    if found.rest:
        raise WhenError("when.unreadable")
    return found.at


def parse_day(text: str, now: datetime, zone: str) -> date:
    """A day alone: 오늘, 내일, 11/25, 2026-11-25, 11월 25일."""
    today = now.astimezone(ZoneInfo(zone)).date()
    day, rest = _date_part(text.strip(), today)
    if day is None or rest.strip():
        raise WhenError("when.no_date")
    return day


def _looks_like_when(text: str, today: date) -> bool:
    """A second date or time after the first one means the message is not clear."""
    if not text:
        return False
    try:
        day, rest = _date_part(text, today)
    except WhenError:
        return True
    if day is not None:
        return True
    return bool(TIME_PATTERN.match(rest) or ENGLISH_TIME.match(rest))
