"""The nightly snapshots: each day's counts per center (and for every center together, center 0),
kept as rows so the figures read past days without going through every seeker again.

A day's row holds its counts (JSON, kiosk/stats/daily.py) and their totals in columns; a month
whose every day is kept is added up once more into `stats_months`, so a year is about twelve
month rows and the days around them. `stats_marks` notes the highest row id of each counted
table when the counts were taken: rows added after it for a kept day (an outcome recorded days
after the appointment is dated at the appointment) are counted from the rows until the next
take counts that day again (kiosk/stats/trend.py). Reading: kiosk/stats/kept.py.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from kiosk.core.db import Connection, transaction
from kiosk.places import centers
from kiosk.stats import daily, kept, waiting
from kiosk.stats.scope import Period, Scope

COUNTED = kept.COUNTED


def take(db: Connection, period: Period, zone: str, taken_at: str) -> int:
    """Stores the counts of every day of the period (see take_days); how many day rows."""
    return take_days(db, [period.start + timedelta(days=n) for n in range(period.days)], zone, taken_at)


def take_days(db: Connection, days: list[date], zone: str, taken_at: str) -> int:
    """Stores the counts of the days given, and of every kept day that changed since the last take,
    for every center and all together, adds up their months again and counts the seekers not
    hired; how many day rows. Runs in the caller's transaction when there is one, else in its own.
    """
    with transaction(db):
        latest = {table: db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608
                  for table in COUNTED}
        days = sorted(set(days) | changed_days(db, zone))
        every = [row["id"] for row in centers.every(db)]
        written = 0
        for span in kept.spans(days):
            written += _store(db, span, zone, taken_at, every)
        _months(db, {day.strftime("%Y-%m") for day in days}, taken_at, every)
        waiting.count(db, zone, taken_at)
        db.executemany("INSERT INTO stats_marks (name, last_id, at) VALUES (?, ?, ?) ON CONFLICT (name)"
                       " DO UPDATE SET last_id = excluded.last_id, at = excluded.at",
                       [(table, last, taken_at) for table, last in latest.items()])
    return written


def changed_days(db: Connection, zone: str) -> set[date]:
    """Kept days whose rows changed since the counts were taken: rows added for them, and the
    registration and hire days of seekers whose programs were set since."""
    last, (counted, at) = last_day(db), kept.marks(db)
    if last is None or at is None:
        return set()
    hours: set[str] = set()
    for table, column in COUNTED.items():  # by id alone: the rows added since, whatever their day
        hours.update(row[0] for row in db.execute(
            f"SELECT DISTINCT substr({column}, 1, 13) FROM {table} WHERE id > ?",  # noqa: S608 - fixed names
            (counted.get(table, 0),)))
    for row in db.execute("SELECT DISTINCT substr(s.registered_at, 1, 13), substr(s.employed_at, 1, 13)"
                          " FROM seeker_programs sp JOIN seekers s ON s.id = sp.seeker_id WHERE sp.at >= ?", (at,)):
        hours.update(hour for hour in row if hour)
    hours.update(_corrected_hours(db, at))
    return {day for day in (daily.day_of(hour, zone) for hour in hours if hour) if day <= last}


def _corrected_hours(db: Connection, since: str) -> set[str]:
    """The hours a consultation or referral corrected in the console since was and is dated on, and
    its seeker's registration and hire (a hire taken back with its referral)."""
    hours: set[str] = set()
    for record, record_id, seeker_id, was in db.execute(
            "SELECT record, record_id, seeker_id, was FROM casework_corrections WHERE at >= ?", (since,)):
        before = json.loads(was)
        hours.update(str(before.get(name) or "")[:13] for name in ("at", "hire_at"))
        table = "consultations" if record == "consultation" else "placements"
        now = db.execute(f"SELECT at FROM {table} WHERE id = ?", (record_id,)).fetchone()  # noqa: S608
        seeker = db.execute("SELECT registered_at, employed_at FROM seekers WHERE id = ?", (seeker_id,)).fetchone()
        hours.update(str(value)[:13] for value in (*(now or ()), *(seeker or ())) if value)
    return {hour for hour in hours if hour}


def _store(db: Connection, period: Period, zone: str, taken_at: str, every: list[int]) -> int:
    per_center = daily.by_center(db, period, Scope(), zone)
    all_days = daily.together(per_center)
    rows = []
    for n in range(period.days):
        day = period.start + timedelta(days=n)
        for center_id in (daily.ALL_CENTERS, *every):
            counts = all_days.get(day) if center_id == daily.ALL_CENTERS else per_center.get((center_id, day))
            counts = counts or daily.empty()
            rows.append((day.isoformat(), center_id, json.dumps(daily.stored(counts)), taken_at,
                         *(counts.get(key, 0) for key in daily.TOTALS)))
    columns = ", ".join(daily.TOTALS)
    db.executemany(f"INSERT INTO stats_snapshots (day, center_id, data, taken_at, {columns}) VALUES"
                   f" (?, ?, ?, ?{', ?' * len(daily.TOTALS)}) ON CONFLICT (day, center_id) DO UPDATE SET"
                   f" data = excluded.data, taken_at = excluded.taken_at,"
                   f" {', '.join(f'{key} = excluded.{key}' for key in daily.TOTALS)}", rows)
    return len(rows)


def _months(db: Connection, months: set[str], taken_at: str, every: list[int]) -> None:
    """Adds up again each month given whose every day is kept; drops it when one is missing."""
    for month in sorted(months):
        first = date.fromisoformat(month + "-01")
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        bounds = (first.isoformat(), last.isoformat())
        kept = db.execute("SELECT count(*) FROM stats_snapshots WHERE center_id = ? AND day >= ? AND day <= ?"
                          " AND registered IS NOT NULL", (daily.ALL_CENTERS, *bounds)).fetchone()[0]
        db.execute("DELETE FROM stats_months WHERE month = ?", (month,))
        if kept != last.day:
            continue
        sums: dict[int, daily.Counts] = {center_id: daily.empty() for center_id in (daily.ALL_CENTERS, *every)}
        for center_id, data in db.execute("SELECT center_id, data FROM stats_snapshots WHERE day >= ? AND day <= ?",
                                          bounds):
            daily.add(sums.setdefault(center_id, daily.empty()), json.loads(data))
        db.executemany("INSERT INTO stats_months (month, center_id, data, taken_at) VALUES (?, ?, ?, ?)",
                       [(month, center_id, json.dumps(daily.stored(counts)), taken_at)
                        for center_id, counts in sums.items()])


def last_day(db: Connection) -> date | None:
    found = db.execute("SELECT max(day) FROM stats_snapshots WHERE center_id = ?", (daily.ALL_CENTERS,)).fetchone()[0]
    return date.fromisoformat(found) if found else None


def days_without_totals(db: Connection) -> list[date]:
    """Days kept before their totals were (the next take counts them again)."""
    return [date.fromisoformat(row[0]) for row in db.execute(
        "SELECT day FROM stats_snapshots WHERE center_id = ? AND registered IS NULL ORDER BY day",
        (daily.ALL_CENTERS,))]
