"""Runs of the job bus: a day at one stop (place, address, city or county), its hours, the
partner city center and the counselors aboard. The only module that writes bus_runs and
bus_run_counselors.

A bus is at one stop a day: a second planned run for the same bus and day is refused by a
unique index, so importing a season twice adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, IntegrityError, Row, in_list, list_param, statement_may_fail
from kiosk.core.regions import GYEONGGI

TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
DAY = re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?")
MAX_LENGTH = {"place": 100, "address": 200}


class Refused(ValueError):
    """Why a run was not planned: a catalog key under outreach.run. with its parameters."""

    def __init__(self, field: str, reason: str, **params: object) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.params = field, reason, params


@dataclass(frozen=True)
class Plan:
    """A run as staff describe it, before it is checked."""

    bus: str
    day: date
    starts: str
    ends: str
    place: str
    address: str
    region: str
    center_id: int
    counselor_ids: tuple[int, ...] = ()


def calendar_day(text: str) -> date:
    """2026-12-10, or as Korean spreadsheets write it (2026. 12. 10., 2026/12/10); ValueError otherwise."""
    found = DAY.fullmatch(text.strip())
    if not found:
        raise ValueError(text)
    return date(int(found[1]), int(found[2]), int(found[3]))


def clock_time(text: str) -> str:
    """09:00, 9:00 or 9시 as HH:MM; ValueError for anything else."""
    text = text.strip().replace("시", ":00").replace("::", ":")
    found = TIME.fullmatch(text)
    if not found:
        raise ValueError(text)
    return f"{int(found[1]):02d}:{found[2]}"


def check(db: Connection, plan: Plan, today: date | None = None) -> None:
    """Raises Refused for the first thing wrong with the plan (its bus, day, place, hours, center,
    counselors: each active and of the partner center); a day before `today` is past."""
    if today is not None and plan.day < today:
        raise Refused("day", "in_past", value=plan.day.isoformat())
    bus = db.execute("SELECT place_kind FROM kiosks WHERE code = ? AND active = 1", (plan.bus,)).fetchone()
    if bus is None or bus[0] != "job_bus":
        raise Refused("bus", "not_a_bus", value=plan.bus)
    for field, most in MAX_LENGTH.items():
        value = getattr(plan, field).strip()
        if not value:
            raise Refused(field, "required")
        if len(value) > most:
            raise Refused(field, "too_long", most=most)
    if plan.region not in GYEONGGI:  # the bus drives Gyeonggi's 31 cities and counties
        raise Refused("region", "unknown", value=plan.region)
    if plan.starts >= plan.ends:
        raise Refused("ends", "ends_before_start")
    center = db.execute("SELECT kind FROM centers WHERE id = ?", (plan.center_id,)).fetchone()
    if center is None or center[0] != "center":
        raise Refused("center", "not_a_center")
    found = {row[0]: row for row in db.execute(
        f"SELECT id, name, center_id FROM counselors WHERE active = 1 AND {in_list('id')}",
        (list_param(list(plan.counselor_ids)),))}
    missing = [str(i) for i in plan.counselor_ids if i not in found]
    if missing:
        raise Refused("counselors", "unknown_counselor", value=", ".join(missing))
    elsewhere = [found[i]["name"] for i in dict.fromkeys(plan.counselor_ids) if found[i]["center_id"] != plan.center_id]
    if elsewhere:
        raise Refused("counselors", "other_center", value=", ".join(elsewhere))


def add(db: Connection, plan: Plan, now: datetime, today: date | None = None) -> int:
    """Plans a run (in the caller's transaction) and returns its id; Refused if it cannot be
    (a day before `today`, when given, is past)."""
    check(db, plan, today)
    try:
        with statement_may_fail(db):
            run_id = db.execute(
                "INSERT INTO bus_runs (bus, day, starts, ends, place, address, region, center_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (plan.bus, plan.day.isoformat(), plan.starts, plan.ends, plan.place.strip(), plan.address.strip(),
                 plan.region, plan.center_id, iso(now))).fetchone()[0]
    except IntegrityError as exc:
        raise Refused("day", "bus_taken", day=plan.day.isoformat()) from exc
    db.executemany("INSERT INTO bus_run_counselors (run_id, counselor_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   [(run_id, c) for c in dict.fromkeys(plan.counselor_ids)])
    return run_id


def cancel(db: Connection, run_id: int, now: datetime) -> bool:
    """Cancels a planned run; False when there is no such planned run."""
    return db.execute("UPDATE bus_runs SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'planned'",
                      (iso(now), run_id)).rowcount == 1


def needing_notice(db: Connection, day: date) -> list[Row]:
    """Planned runs on `day` whose notice to seekers nearby has not gone out."""
    return db.execute(f"{_SELECT} WHERE r.day = ? AND r.status = 'planned' AND r.noticed_at IS NULL ORDER BY r.id",
                      (day.isoformat(),)).fetchall()


def mark_noticed(db: Connection, run_id: int, now: datetime) -> None:
    db.execute("UPDATE bus_runs SET noticed_at = ? WHERE id = ?", (iso(now), run_id))


_SELECT = ("SELECT r.*, c.name AS center_name, c.phone AS center_phone FROM bus_runs r"
           " JOIN centers c ON c.id = r.center_id")


def get(db: Connection, run_id: int) -> Row | None:
    return db.execute(f"{_SELECT} WHERE r.id = ?", (run_id,)).fetchone()


def coming(db: Connection, today: date, *, bus: str | None = None, limit: int = 50) -> list[Row]:
    """Planned runs from today on, soonest first (one bus's, or every bus's)."""
    where, params = "r.status = 'planned' AND r.day >= ?", [today.isoformat()]
    if bus:
        where, params = f"{where} AND r.bus = ?", [*params, bus]
    return db.execute(f"{_SELECT} WHERE {where} ORDER BY r.day, r.starts, r.id LIMIT ?", [*params, limit]).fetchall()


def every(db: Connection, since: date | None = None) -> list[Row]:
    """Every run, cancelled ones too, by day (from `since` when given)."""
    return db.execute(f"{_SELECT} WHERE r.day >= ? ORDER BY r.day, r.starts, r.id",
                      ((since or date.min).isoformat(),)).fetchall()


def on_day(db: Connection, bus: str, day: date) -> Row | None:
    """The bus's planned run that day, or None."""
    return db.execute(f"{_SELECT} WHERE r.bus = ? AND r.day = ? AND r.status = 'planned'",
                      (bus, day.isoformat())).fetchone()


def planned_on(db: Connection, day: date) -> list[Row]:
    """Every bus's planned runs on a day."""
    return db.execute(f"{_SELECT} WHERE r.day = ? AND r.status = 'planned' ORDER BY r.id",
                      (day.isoformat(),)).fetchall()


def counselors_aboard(db: Connection, run_id: int) -> list[Row]:
    """The run's counselors (still active), by name."""
    return db.execute("SELECT c.* FROM bus_run_counselors b JOIN counselors c ON c.id = b.counselor_id"
                      " WHERE b.run_id = ? AND c.active = 1 ORDER BY c.name, c.id", (run_id,)).fetchall()


def least_busy_aboard(db: Connection, run_id: int, since: datetime) -> Row | None:
    """The counselor aboard with the fewest referral requests given them since `since`, or None."""
    return db.execute(
        "SELECT c.* FROM bus_run_counselors b JOIN counselors c ON c.id = b.counselor_id"
        " WHERE b.run_id = ? AND c.active = 1 ORDER BY (SELECT count(*) FROM referral_requests r"
        " WHERE r.counselor_id = c.id AND r.assigned_at >= ?), c.id LIMIT 1", (run_id, iso(since))).fetchone()


def counselor_ids_named(db: Connection, names: Iterable[str], center_id: int) -> tuple[int, ...]:
    """Active counselors by name, those of the partner center first; Refused for a name no one has."""
    found: list[int] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        row = db.execute("SELECT id FROM counselors WHERE name = ? AND active = 1"
                         " ORDER BY CASE WHEN center_id = ? THEN 0 ELSE 1 END, id LIMIT 1",
                         (name, center_id)).fetchone()
        if row is None:
            raise Refused("counselors", "unknown_counselor", value=name)
        found.append(row[0])
    return tuple(found)


def center_named(db: Connection, name: str) -> int:
    """A city center's id by its name; Refused when there is none."""
    row = db.execute("SELECT id, kind FROM centers WHERE name = ?", (name.strip(),)).fetchone()
    if row is None or row[1] != "center":
        raise Refused("center", "not_a_center", value=name)
    return row[0]


def the_bus(db: Connection) -> str | None:
    """The code of the one active bus kiosk, when there is exactly one (the usual case)."""
    found = db.execute("SELECT code FROM kiosks WHERE place_kind = 'job_bus' AND active = 1 ORDER BY code").fetchall()
    return found[0][0] if len(found) == 1 else None
