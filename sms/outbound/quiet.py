"""Quiet hours: alerts wait for the allowed window in the center's zone (default 08:00–21:00)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from kiosk.core.config import DEFAULTS, quiet_hours

DEFAULT_QUIET = quiet_hours(DEFAULTS)  # for callers that pass no settings (tests, benches)
DEFAULT_ZONE = DEFAULTS["TIMEZONE"]


@lru_cache(maxsize=32)
def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def is_quiet(at: datetime, quiet_hours: tuple[str, str] = DEFAULT_QUIET, zone: str = DEFAULT_ZONE) -> bool:
    """True when `at` falls inside the quiet window (which may wrap past midnight)."""
    start, end = _clock(quiet_hours[0]), _clock(quiet_hours[1])
    local = at.astimezone(ZoneInfo(zone)).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def window_opens(at: datetime, quiet_hours: tuple[str, str] = DEFAULT_QUIET,
                 zone: str = DEFAULT_ZONE) -> datetime:
    """The first instant at or after `at` outside quiet hours (UTC)."""
    if not is_quiet(at, quiet_hours, zone):
        return at
    tz = ZoneInfo(zone)
    end = _clock(quiet_hours[1])
    local = at.astimezone(tz)
    opening = datetime.combine(local.date(), end, tzinfo=tz)
    if opening <= local:
        opening = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=tz)
    return opening.astimezone(UTC)
