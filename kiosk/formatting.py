"""Dates, times and money as Koreans write them (and as English readers expect)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from kiosk.i18n import translate


def local(at: datetime, zone: str) -> datetime:
    """An instant in the center's zone."""
    return at.astimezone(ZoneInfo(zone))


def won(amount: int, language: str = "ko") -> str:
    """2500000 → 2,500,000원 (KRW 2,500,000 in English)."""
    return translate("wage.won", language, amount=f"{amount:,}")


def wage(kind: str, amount: int, language: str = "ko") -> str:
    """시급 10,320원 · 월급 2,500,000원."""
    return translate(f"wage.{kind}", language, amount=won(amount, language))


def _weekday(day: date, language: str) -> str:
    return translate("date.weekdays", language).split(",")[day.weekday()]


def _month_name(day: date, language: str) -> str:
    names = translate("date.months", language).split(",")
    return names[day.month - 1] if len(names) == 12 else str(day.month)


def day(value: date | datetime, language: str = "ko") -> str:
    """2026년 11월 25일 (수)."""
    return translate("date.date", language, year=value.year, month=value.month, day=value.day,
                     weekday=_weekday(value, language), month_name=_month_name(value, language))


def short_day(value: date | datetime, language: str = "ko") -> str:
    """11월 25일(수) — for SMS and lists."""
    return translate("date.short", language, month=value.month, day=value.day,
                     weekday=_weekday(value, language), month_name=_month_name(value, language))


def clock_time(value: datetime, language: str = "ko") -> str:
    """오후 2:00 · 오전 9:30 (2:00 PM in English)."""
    ampm = translate("date.am" if value.hour < 12 else "date.pm", language)
    hour = value.hour % 12 or 12
    return translate("date.time", language, ampm=ampm, hour=hour, minute=value.minute)


def day_and_time(value: datetime, language: str = "ko") -> str:
    """11월 25일(수) 오후 2:00."""
    return f"{short_day(value, language)} {clock_time(value, language)}"


def parse_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
