"""Outreach figures for reporting: runs held, registrations and referrals per run and per stop,
and QR scans per opening. Read models only; the statistics module shows them.

A registration or a referral request is credited to a run when it was made at the run's bus
kiosk on the run's day (in the center's zone): the bus is at one stop a day. A hire is one of
those registered aboard who has found work since; a booking, an appointment made aboard (it
names its run).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso
from kiosk.core.db import Connection


@dataclass(frozen=True)
class RunFigures:
    run_id: int
    day: str
    place: str
    region: str
    registrations: int
    referrals: int
    hires: int = 0
    bookings: int = 0


@dataclass(frozen=True)
class StopFigures:
    place: str
    region: str
    runs: int
    registrations: int
    referrals: int


def _day_bounds(day: str, zone: str) -> tuple[str, str]:
    """The UTC instants (ISO text) where a local day starts and the next one starts."""
    start = datetime.combine(date.fromisoformat(day), time(0), ZoneInfo(zone))
    return iso(start.astimezone(UTC)), iso((start + timedelta(days=1)).astimezone(UTC))


def _held(db: Connection, since: date, until: date) -> list:
    return db.execute("SELECT id, bus, day, place, region FROM bus_runs WHERE status = 'planned'"
                      " AND day >= ? AND day <= ? ORDER BY day, id", (since.isoformat(), until.isoformat())).fetchall()


def runs_held(db: Connection, since: date, until: date) -> int:
    """Runs that took place (planned, not cancelled) from `since` to `until`, both included."""
    return len(_held(db, since, until))


def per_run(db: Connection, since: date, until: date, zone: str) -> list[RunFigures]:
    """Each run held in the period with the registrations and referral requests made aboard."""
    found = []
    for run_id, bus, day, place, region in _held(db, since, until):
        start, end = _day_bounds(day, zone)
        registered, hired = db.execute(
            "SELECT count(*), count(employed_at) FROM seekers WHERE kiosk_code = ? AND registered_at >= ?"
            " AND registered_at < ?", (bus, start, end)).fetchone()
        referred = db.execute("SELECT count(*) FROM referral_requests WHERE kiosk_code = ? AND created_at >= ?"
                              " AND created_at < ?", (bus, start, end)).fetchone()[0]
        booked = db.execute("SELECT count(*) FROM appointments WHERE bus_run_id = ? AND status <> 'cancelled'",
                            (run_id,)).fetchone()[0]
        found.append(RunFigures(run_id, day, place, region, registered, referred, hired, booked))
    return found


def per_stop(db: Connection, since: date, until: date, zone: str) -> list[StopFigures]:
    """per_run added up by stop (place and city), the busiest first."""
    stops: dict[tuple[str, str], list[int]] = {}
    for run in per_run(db, since, until, zone):
        totals = stops.setdefault((run.place, run.region), [0, 0, 0])
        totals[0] += 1
        totals[1] += run.registrations
        totals[2] += run.referrals
    found = [StopFigures(place, region, *totals) for (place, region), totals in stops.items()]
    return sorted(found, key=lambda s: (-s.registrations - s.referrals, -s.runs, s.place))


def scans_per_opening(db: Connection, since: date, until: date) -> list[tuple[int, int]]:
    """(opening id, QR scans) in the period, most scanned first."""
    return [(opening_id, scans) for opening_id, scans in db.execute(
        "SELECT opening_id, sum(scans) AS total FROM opening_scans WHERE day >= ? AND day <= ?"
        " GROUP BY opening_id ORDER BY total DESC, opening_id", (since.isoformat(), until.isoformat()))]
