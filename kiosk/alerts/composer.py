"""Job alerts by SMS: instant alerts up to a daily cap, and daily and weekly digests.

Matching (kiosk.alerts.pairs) stores pairs; this module turns them into outbox rows. A digest
holds the best few openings for a seeker, ranked by region fit (their center's city first,
then the same province), wage and recency, each with its short code, within the alert
segment budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiosk.alerts import pairs as matching
from kiosk.alerts import recipients
from kiosk.core.config import setting
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import local, parse_day, short_day, wage
from kiosk.core.i18n import translate
from kiosk.core.memory import cycle_collector_paused
from kiosk.openings.store import short_code
from sms.outbound import compose, outbox, quiet
from sms.outbound.messages import Rows

DIGEST_VALID_FOR = timedelta(days=1)
PERIOD_DAYS = {"daily": 1, "weekly": 7}
CHUNK_SEEKERS = 1000
PLANNING = ("TIMEZONE", "DIGEST_WINDOWS", "DIGEST_DEFAULT_TIME", "SMS_RATE_PER_SECOND", "DIGEST_RATE_SHARE",
            "QUIET_HOURS_START")
FLUSH_MESSAGES = 5000


@dataclass(frozen=True)
class Settings:
    """What alerting needs from the app's configuration."""

    zone: str
    quiet_hours: tuple[str, str]
    daily_cap: int
    digest_max: int
    planning: Mapping[str, Any] = field(default_factory=dict)  # the digest windows and send rate

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        return cls(zone=config["TIMEZONE"],
                   quiet_hours=(config["QUIET_HOURS_START"], config["QUIET_HOURS_END"]),
                   daily_cap=int(config["INSTANT_DAILY_CAP"]),
                   digest_max=int(config["DIGEST_MAX_OPENINGS"]),
                   planning={key: setting(config, key) for key in PLANNING})


_HOURS = re.compile(r"\b([01]?\d|2[0-4]):([0-5]\d)\s*[~\-–]\s*([01]?\d|2[0-4]):([0-5]\d)\b")


def spoken_time(hour: int, minute: int, language: str) -> str:
    """9, 0 → 오전 9시; 18, 30 → 오후 6시 30분 (6:30 PM in English)."""
    ampm = translate("date.am" if hour % 24 < 12 else "date.pm", language)
    hour = hour % 12 or 12
    if minute == 0:
        return translate("date.time_on_hour", language, ampm=ampm, hour=hour)
    return translate("alerts.jobcode.time", language, ampm=ampm, hour=hour, minute=minute)


def work_hours(text: str, language: str) -> str:
    """Working hours as people say them: 09:00~18:00 → 오전 9시~오후 6시; other text stays."""
    return _HOURS.sub(lambda m: translate(
        "alerts.jobcode.hours_range", language, start=spoken_time(int(m[1]), int(m[2]), language),
        end=spoken_time(int(m[3]), int(m[4]), language)), text or "")


def instant_body(opening: Row, language: str) -> str:
    """One opening, one line of facts each, within the alert budget."""
    code = short_code(opening["id"])
    deadline = parse_day(opening["deadline"])
    lines = [
        opening["title"],
        f"{opening['employer']} · {translate('region.' + opening['region'], language)}",
        wage(opening["wage_kind"], opening["wage_amount"], language),
        translate("alerts.instant.deadline", language, day=short_day(deadline, language)) if deadline
        else translate("alerts.instant.until_filled", language),
    ]
    body, _ = compose.fit_lines(lines, compose.budget("alert"),
                                head=translate("alerts.instant.head", language, code=code),
                                tail=translate("alerts.instant.tail", language, code=code))
    return body


def digest_line(opening: Row, language: str) -> str:
    return translate("alerts.digest.line", language, code=short_code(opening["id"]),
                     occupation=translate("occupation." + opening["occupation"], language),
                     region=translate("region." + opening["region"], language),
                     wage=wage(opening["wage_kind"], opening["wage_amount"], language))


def digest_head(kind: str, days: int | None, count: int, language: str) -> str:
    """"Today's" / "this week's" jobs, or "the last N days'" for a digest covering more (a catch-up)."""
    if days is None or days <= PERIOD_DAYS[kind]:
        return translate(f"alerts.digest.{kind}_head", language, count=count)
    return translate("alerts.digest.days_head", language, count=count, days=days)


class DigestComposer:
    """Digest bodies; lines and whole bodies repeat across seekers, so both are cached.

    `days`: how many days the digest covers (since the previous one of its kind), for its head.
    """

    def __init__(self, kind: str, openings: dict[int, Row], days: int | None = None) -> None:
        self.kind, self.openings, self.days = kind, openings, days
        self._lines: dict[tuple[int, str], str] = {}
        self._bodies: dict[tuple, str] = {}

    def line(self, opening_id: int, language: str) -> str:
        key = (opening_id, language)
        if key not in self._lines:
            self._lines[key] = digest_line(self.openings[opening_id], language)
        return self._lines[key]

    def body(self, best: list[int], total: int, language: str) -> str:
        """The head, as many of the best lines as fit the budget, how many more, the tail."""
        key = (tuple(best), total, language)
        text = self._bodies.get(key)
        if text is None:
            text = self._bodies[key] = self._compose(best, total, language)
        return text

    def _compose(self, best: list[int], total: int, language: str) -> str:
        """body() uncached, each candidate measured once.

        The lines are chosen with the brief ending; the clearer one replaces it unless it costs
        another segment, so it never costs an opening or money (one opening stays one segment).
        """
        head = digest_head(self.kind, self.days, total, language)
        code = short_code(best[0]) if best else "J1234"
        brief_tail = translate("alerts.digest.tail_brief", language, code=code)
        lines = [self.line(i, language) for i in best]
        budget = compose.budget("alert")
        for count in range(len(lines), -1, -1):
            more = [translate("alerts.digest.more", language, count=total - count)] if total > count else []
            text = "\n".join([head, *lines[:count], *more, brief_tail])
            segments = compose.measure(text)[0]
            if segments <= budget:
                break
        clear = "\n".join([head, *lines[:count], *more, translate("alerts.digest.tail", language, code=code)])
        return clear if compose.measure(clear)[0] <= segments else text


def _by_seeker(db: Connection, openings: dict[int, Row], *, first: int, last: int,
               pair_frequencies: tuple[str, ...], seeker_frequencies: tuple[str, ...], today: str,
               day: str | None = None, held_day: str | None = None, sent: set[tuple[int, int]] = frozenset(),
               ) -> Iterator[list[tuple[tuple, list[int]]]]:
    """Chunks of CHUNK_SEEKERS (seeker row, their live pending openings best first), by seeker id.

    The matches are read first (one row per batch and opening), the seekers after, in chunks.
    """
    pending = matching.pending_by_seeker(db, openings, first=first, last=last,
                                         frequencies=pair_frequencies, today=today, sent=sent)
    yield from ranked_chunks(db, openings, pending, seeker_frequencies=seeker_frequencies, day=day,
                             held_day=held_day)


def ranked_chunks(db: Connection, openings: dict[int, Row], pending: dict[int, list[int]], *,
                  seeker_frequencies: tuple[str, ...], day: str | None = None, held_day: str | None = None,
                  ) -> Iterator[list[tuple[tuple, list[int]]]]:
    """pending (seeker → opening ids) in chunks of CHUNK_SEEKERS eligible seekers, by id, each
    with their openings best first: one rank order per center region, computed once."""
    orders: dict[str | None, dict[int, int]] = {}
    ids = sorted(pending)
    for start in range(0, len(ids), CHUNK_SEEKERS):
        chunk = []
        for row in recipients.eligible_seekers(db, ids[start:start + CHUNK_SEEKERS],
                                               seeker_frequencies=seeker_frequencies, day=day, held_day=held_day):
            order = orders.get(row[4])
            if order is None:
                order = orders[row[4]] = matching.rank_order(openings, row[4])
            chunk.append((row, sorted(pending.pop(row[0]), key=order.__getitem__)))
        yield chunk


@cycle_collector_paused()
def send_instant(db: Connection, batch_id: int, now: datetime, settings: Settings) -> int:
    """Instant alerts for a batch's pairs, one SMS per opening up to the seeker's daily cap.

    Pairs over the cap go into the next daily digest, which leaves out those sent. The cap counts
    the local day an alert goes out: one queued at 22:00 and held through quiet hours counts
    against the next morning's. Runs in the caller's transaction (the matcher's), so a digest
    never sees a batch before its instant alerts.
    """
    today = local(now, settings.zone).date().isoformat()
    held_day = local(quiet.window_opens(now, settings.quiet_hours, settings.zone), settings.zone).date().isoformat()
    openings = matching.batch_openings(db, batch_id, batch_id)
    bodies: dict[tuple[int, str], str] = {}
    make = Rows("alert", now, now + DIGEST_VALID_FOR, settings.quiet_hours, settings.zone).row
    queued, sent, counts, total = [], [], [], 0
    for chunk in _by_seeker(db, openings, first=batch_id, last=batch_id, pair_frequencies=("instant",),
                            seeker_frequencies=("instant",), today=today, day=today, held_day=held_day):
        for (seeker_id, phone, language, night_ok, _region, sent_today, _time), ranked in chunk:
            group = ranked[:max(0, settings.daily_cap - sent_today)]
            if not group:
                continue
            for opening_id in group:
                body = bodies.get((opening_id, language))
                if body is None:
                    body = bodies[opening_id, language] = instant_body(openings[opening_id], language)
                queued.append(make(phone, body, f"alert:{seeker_id:09d}:{opening_id}", None, night_ok, language,
                                   seeker_id, opening_id))
                sent.append((seeker_id, opening_id))
            counts.append((seeker_id, today if night_ok else held_day, len(group)))
        if len(queued) >= FLUSH_MESSAGES:  # outbox rows in batches; the pairs are marked at the end
            total += outbox.enqueue_rows(db, queued, now=now)
            queued = []
    total += outbox.enqueue_rows(db, queued, now=now)
    recipients.mark_sent(db, batch_id, sent)
    recipients.count_sent_many(db, counts)
    return total
