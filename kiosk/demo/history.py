"""The demo's two years of activity: seekers registered at every kiosk, booth, the job bus and by
text, their hires, consultations, referrals to employers and satisfaction answers, shaped as
kiosk/demo/history_plan.py says, then the nightly snapshots of every past day.

Deterministic (a seeded random) and written in bulk through each table's owner; the seekers get
made-up numbers and no alerts. Running it again changes nothing.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso
from kiosk.core.db import Connection, transaction
from kiosk.core.formatting import local
from kiosk.counseling import appointments, records
from kiosk.counseling import hours as counseling
from kiosk.demo import history_plan as plan
from kiosk.places import centers
from kiosk.seekers import programs
from kiosk.seekers import store as seekers
from kiosk.stats import snapshots
from kiosk.stats.scope import Period


@dataclass
class Batch:
    """The rows to write, gathered first."""
    people: list[tuple] = field(default_factory=list)
    wanted: list[tuple] = field(default_factory=list)
    programs: list[tuple] = field(default_factory=list)  # (phone, program, at)
    later: list[tuple] = field(default_factory=list)  # (phone, center, counselors, registered, until)


class Weighted:
    """Picks a key with the chance its weight gives (cumulative weights kept, for speed)."""

    def __init__(self, weights: dict) -> None:
        self.keys = list(weights)
        self.bounds = list(itertools.accumulate(weights.values()))

    def __call__(self, rng: random.Random):  # noqa: ANN204 - a key of the weights given
        return self.keys[bisect.bisect(self.bounds, rng.random() * self.bounds[-1])]


AGE = Weighted(plan.AGE_BANDS)
HIRED_AS, WANTED = Weighted(plan.HIRED_OCCUPATIONS), Weighted(plan.WANTED_UNHIRED)
CHANNEL, SCORES = Weighted(plan.CHANNELS), [Weighted(year) for year in plan.SCORES]


def stamp(seconds: float) -> str:
    """iso() of an instant given in seconds since 1970: quicker for a million rows."""
    return clock.strftime("%Y-%m-%dT%H:%M:%SZ", clock.gmtime(seconds))


def _moment(rng: random.Random, day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=tz) + timedelta(minutes=rng.randrange(0, 11 * 60))


def _days(today: date) -> list[date]:
    first = today - timedelta(days=plan.YEARS * 365 + plan.HIRE_DAYS[1])
    return [first + timedelta(days=n) for n in range((today - first).days)]


def _volume(day: date, today: date) -> float:
    """The share of the latest year's daily volume on this day: growing steadily, GROWTH a year."""
    years_back = (today - day).days / 365
    return plan.GROWTH ** -years_back


def _person(rng: random.Random, batch: Batch, number: int, place: tuple, center: dict, day: date,
            today: date, now: datetime, tz: ZoneInfo) -> None:
    kiosk, center_name, _ = place
    band = AGE(rng)
    low, high = plan.BIRTH_YEARS[band]
    registered = _moment(rng, day, tz)
    phone = f"{plan.PHONE_PREFIX}{number:06d}"
    hired_at = registered + timedelta(days=rng.randint(*plan.HIRE_DAYS), hours=rng.randint(0, 6))
    hired = rng.random() < plan.HIRED and hired_at < now
    occupation = (HIRED_AS if hired else WANTED)(rng)
    employer = f"{rng.choice('한빛새봄다온푸른우리')}{rng.choice(plan.EMPLOYER_KINDS)}" if hired else None
    batch.people.append((phone, today.year - rng.randint(low, high), band, kiosk, center["id"], iso(registered),
                         iso(hired_at if hired else registered), iso(hired_at) if hired else None,
                         occupation if hired else None, employer))
    batch.wanted.append((phone, "occupation", occupation))
    mix = {**plan.PROGRAMS, **plan.CENTER_PROGRAMS.get(center_name, {})}
    batch.programs.extend((phone, code, iso(registered)) for code, share in mix.items() if rng.random() < share)
    until = min(hired_at if hired else registered + timedelta(days=120), now - timedelta(hours=1))
    counseled_at = plan.COUNSELED_AT.get(center_name, center_name)
    batch.later.append((phone, center["counseled_id"], center["counselors_of"][counseled_at],
                        registered.timestamp(), until.timestamp()))


def _people(rng: random.Random, places: dict, today: date, now: datetime, tz: ZoneInfo, scale: float) -> Batch:
    """Registrations day by day: the booth every day, centers and texts on weekdays (the same
    people a week), the job bus on its run days."""
    batch, number = Batch(), 0
    for day in _days(today):
        weekday = day.weekday() < 5
        todays = [(place, place[2] if place[0] == "suwon-station" else place[2] * 7 / 5)
                  for place in plan.PLACES if weekday or place[0] == "suwon-station"]
        if weekday and rng.random() < plan.BUS_RUNS_A_YEAR / 261:
            todays.append((plan.BUS, plan.BUS[2]))
        for place, rate in todays:
            for _ in range(_count(rng, rate * scale * _volume(day, today))):
                number += 1
                _person(rng, batch, number, place, places[place[1]], day, today, now, tz)
    return batch


def _count(rng: random.Random, mean: float) -> int:
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


def _activity(rng: random.Random, db: Connection, batch: Batch, ids: dict[str, int], today: date) -> None:
    """Consultations, referrals and satisfaction answers of every seeker in the batch; a rated
    consultation is an attended counseling appointment (its first)."""
    consultations, referrals, visits, answers = [], [], [], []
    middle = datetime.combine(today - timedelta(days=365), time(0), tzinfo=UTC).timestamp()
    for phone, center_id, counselors, registered, until in batch.later:
        seeker_id, span = ids[phone], max(until - registered, 3600)
        moments = sorted(registered + rng.random() * span for _ in range(rng.randint(*plan.CONSULTATIONS)))
        rated = rng.random() < plan.ANSWERED
        for n, at in enumerate(moments):
            topic = "business" if rng.random() < plan.BUSINESS else "job_seeking"
            channel = "visit" if rated and n == 0 else CHANNEL(rng)
            consultations.append([seeker_id, center_id, rng.choice(counselors), rated and n == 0, topic,
                                  channel, stamp(at)])
        for _ in range(rng.randint(*plan.REFERRALS)):
            referrals.append((seeker_id, center_id, rng.choice(counselors),
                              f"{rng.choice('한빛새봄다온푸른우리')}{rng.choice(plan.EMPLOYER_KINDS)}",
                              None, stamp(registered + rng.random() * span)))
        if rated:
            first = consultations[-len(moments)]
            visits.append((center_id, first[2], seeker_id, first[6], "not_hired", plan.MEMO))
            answers.append((seeker_id, center_id, SCORES[moments[0] >= middle](rng), stamp(moments[0] + 3 * 3600)))
    appointments.add_attended_many(db, visits)
    booked = appointments.ids_by_memo(db, plan.MEMO)
    for row in consultations:
        row[3] = booked[row[0]] if row[3] else None
    records.add_consultations(db, consultations)
    records.add_placements(db, referrals)
    appointments.add_satisfaction_many(db, [(booked[s], s, c, score, at) for s, c, score, at in answers])


def _places(db: Connection) -> dict[str, dict]:
    """Each plan center's id, the center that counsels its people, and counselors per center."""
    staff: dict[str, list[int]] = {}
    for row in counseling.counselors(db):
        staff.setdefault(row["center_name"], []).append(row["id"])
    found = {}
    for name in {place[1] for place in (*plan.PLACES, plan.BUS)}:
        row, counseled = centers.by_name(db, name), plan.COUNSELED_AT.get(name, name)
        found[name] = {"id": row["id"], "counseled_id": centers.by_name(db, counseled)["id"],
                       "counselors_of": staff}
    return found


def load(db: Connection, now: datetime, zone: str, say: Callable[[str], None] | None = None, *,
         scale: float = 1.0) -> int:
    """Two years of activity up to now; how many seekers (0 when it is there already). scale
    multiplies the people (a benchmark's province; at most a million numbers)."""
    tell = say or (lambda _: None)
    if seekers.ids_by_phone(db, plan.PHONE_PREFIX) or centers.by_name(db, plan.BUS[1]) is None:
        return 0
    rng, tz, today = random.Random(2026), ZoneInfo(zone), local(now, zone).date()
    batch = _people(rng, _places(db), today, now, tz, scale)
    tell(f"history: {len(batch.people):,} seekers and their counseling")
    with transaction(db):
        seekers.add_many(db, batch.people, batch.wanted)
        ids = seekers.ids_by_phone(db, plan.PHONE_PREFIX)
        programs.add_many(db, [(ids[phone], code, "seeker", at) for phone, code, at in batch.programs])
        _activity(rng, db, batch, ids, today)
        first = min(date.fromisoformat(row[5][:10]) for row in batch.people)
        snapshots.take(db, Period(first, today - timedelta(days=1)), zone, iso(now))
    return len(batch.people)
