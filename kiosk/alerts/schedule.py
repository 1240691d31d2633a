"""When each digest of a day goes out: spread over the window its seeker chose, at the send rate.

A window holds as many digests as the rate allows between its start (or the run, if later)
and its end. The most useful go first — newest matches, then closing soonest — and those
that do not fit are folded into the seeker's next digest rather than sent late and stale.
Pure functions and a small counter: the composer plans and writes, the scheduler reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.config import digest_windows, setting
from kiosk.core.db import Row
from kiosk.core.formatting import clock_time
from kiosk.core.i18n import translate

NO_DEADLINE = "9999-12-31"
QUIET_MARGIN = timedelta(minutes=1)


@dataclass
class Window:
    """One window of one day: its instants, and the digests placed in it so far."""

    name: str
    start: datetime
    end: datetime
    planned: int = 0
    folded: int = 0
    last_send: datetime | None = None

    def report(self) -> dict[str, Any]:
        return {"window": self.name, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "planned": self.planned, "folded": self.folded,
                "last_send": self.last_send.isoformat() if self.last_send else None}


@dataclass
class Plan:
    """A day's open windows, which window takes each choice, and the pace digests are placed at
    (messages a second; 0 = no limit)."""

    windows: dict[str, Window]
    takes: dict[str, str]  # a choice → the window its digests go in (a later one once it is over)
    rate: float
    default: str

    def window_of(self, choice: str | None) -> Window:
        return self.windows[self.takes.get(choice or self.default) or self.takes[self.default]]

    def place(self, choice: str | None) -> datetime | None:
        """The send time of the next digest of this window, or None when the window is full."""
        window = self.window_of(choice)
        if self.rate <= 0:
            at = window.start
        else:
            at = window.start + timedelta(seconds=window.planned / self.rate)
            if at >= window.end:
                window.folded += 1
                return None
        window.planned += 1
        window.last_send = at
        return at

    @property
    def folded(self) -> int:
        return sum(window.folded for window in self.windows.values())

    def report(self) -> list[dict[str, Any]]:
        return [window.report() for window in self.windows.values()]


def _instant(day: date, clock: str, zone: str) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour % 24, minute), tzinfo=ZoneInfo(zone))


def plan_for(day: date, settings: Mapping[str, Any], starting: datetime) -> Plan:
    """The windows of a local day, none starting before `starting` (the run's start).

    A window already over at the start (a run late after downtime) hands its digests to the
    next open one; with none open, they all go from the start, and quiet hours hold them.
    """
    zone = setting(settings, "TIMEZONE")
    spans = [(name, _instant(day, start, zone), _instant(day, end, zone))
             for name, (start, end) in digest_windows(settings).items()]
    # A window reaching quiet hours stops short of them: a digest a few seconds behind its time
    # (a code or reminder went first) still goes that evening instead of being held to the morning.
    quiet = _instant(day, setting(settings, "QUIET_HOURS_START"), zone) - QUIET_MARGIN
    spans = [(name, begins, min(ends, quiet) if ends >= quiet else ends) for name, begins, ends in spans]
    windows = {name: Window(name, max(begins, starting), ends) for name, begins, ends in spans if ends > starting}
    if not windows:
        windows = {spans[-1][0]: Window(spans[-1][0], starting, starting + timedelta(days=1))}
    takes = {name: next((w for w in windows if windows[w].end >= ends), next(reversed(windows)))
             for name, _, ends in spans}
    rate = float(setting(settings, "SMS_RATE_PER_SECOND")) * float(setting(settings, "DIGEST_RATE_SHARE"))
    default = setting(settings, "DIGEST_DEFAULT_TIME")
    return Plan(windows, takes, rate, default if default in takes else spans[0][0])


def most_useful_first(entries: Iterable[tuple[tuple, list[int]]],
                      openings: Mapping[int, Row]) -> list[tuple[tuple, list[int]]]:
    """Digests ordered newest match first, then the one whose opening closes soonest (stable).

    Each opening's place among the newest and among the deadlines is computed once, so a
    digest's key is a min and a max over its openings' places, in C (4.4M pairs a day).
    """
    deadlines = sorted({o["deadline"] or NO_DEADLINE for o in openings.values()} | {NO_DEADLINE})
    closing = {deadline: place for place, deadline in enumerate(deadlines)}  # equal deadlines tie
    soon = {i: closing[o["deadline"] or NO_DEADLINE] for i, o in openings.items()}
    newest = {i: place for place, i in enumerate(sorted(openings, key=lambda i: (openings[i]["posted_on"] or "", i)),
                                                  start=1)}  # 0: a digest without openings
    never = closing[NO_DEADLINE]
    return sorted(entries, key=lambda entry: (-max(map(newest.__getitem__, entry[1]), default=0),
                                              min(map(soon.__getitem__, entry[1]), default=never)))


def describe(report: list[dict[str, Any]], zone: str) -> str:
    """One line for the log and `jobstop scheduler --list`: each window's count, last send, folds."""
    parts = []
    for window in report:
        last = datetime.fromisoformat(window["last_send"]).astimezone(ZoneInfo(zone)).strftime("%H:%M:%S") \
            if window["last_send"] else "-"
        parts.append(f"{window['window']} {window['planned']:,} (last {last}, {window['folded']:,} will not fit)")
    return "; ".join(parts)


def window_label(name: str, settings: Mapping[str, Any], language: str) -> str:
    """A window as people read it: 저녁(오후 5:00~오후 9:00), evening (5:00 PM–9:00 PM)."""
    start, end = digest_windows(settings)[name]
    return translate("alerts.time.span", language, name=translate(f"alerts.time.{name}", language),
                     start=_clock(start, language), end=_clock(end, language))


def _clock(text: str, language: str) -> str:
    hour, minute = (int(part) for part in text.split(":"))
    return clock_time(datetime(2000, 1, 1, hour % 24, minute), language)
