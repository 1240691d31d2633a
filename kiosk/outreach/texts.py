"""How a run reads to people: its day and hours the Korean way (or the reader's), its stop."""

from __future__ import annotations

from datetime import date, datetime, time

from kiosk.core.db import Row
from kiosk.core.formatting import clock_time, short_day
from kiosk.core.i18n import translate
from sms.outbound import compose


def run_day(run: Row) -> date:
    return date.fromisoformat(run["day"])


def at(run: Row, which: str) -> datetime:
    """The run's start or end ("starts" / "ends") as a local datetime without a zone."""
    return datetime.combine(run_day(run), time.fromisoformat(run[which]))


def hours(run: Row, language: str) -> str:
    """오전 10:00~오후 4:00 · 10:00 AM–4:00 PM."""
    return translate("outreach.bus.hours", language, starts=clock_time(at(run, "starts"), language),
                     ends=clock_time(at(run, "ends"), language))


def when(run: Row, language: str) -> str:
    """12월 1일(화) 오전 10:00~오후 4:00."""
    return f"{short_day(run_day(run), language)} {hours(run, language)}"


def city(run: Row, language: str) -> str:
    return translate(f"region.{run['region']}", language)


def notice_body(run: Row, language: str, schedule_url: str) -> str:
    """The day-before text: when and where, what the bus offers, the schedule, how to stop."""
    lines = [when(run, language), f"{run['place']} ({city(run, language)})",
             translate("outreach.notice.offers", language),
             translate("outreach.notice.schedule", language, url=schedule_url)]
    body, _ = compose.fit_lines(lines, compose.budget("alert"),
                                head=translate("outreach.notice.head", language, city=city(run, language)),
                                tail=translate("outreach.notice.tail", language))
    return body


def cancel_body(run: Row, language: str, schedule_url: str) -> str:
    """The text to those told of a run that is now cancelled: which run, sorry, the schedule, how to stop."""
    lines = [when(run, language), f"{run['place']} ({city(run, language)})",
             translate("outreach.cancel.sorry", language),
             translate("outreach.notice.schedule", language, url=schedule_url)]
    body, _ = compose.fit_lines(lines, compose.budget("alert"), head=translate("outreach.cancel.head", language),
                                tail=translate("outreach.notice.tail", language))
    return body
