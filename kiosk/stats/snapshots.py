"""The nightly snapshots: each day's counts per center (and for every center together, center 0),
kept as rows so the trend charts read past days without going through every seeker again.

A day's row is replaced when it is taken again; the trend reads a day from the rows (not the
snapshot) when it has no snapshot yet (today, or a day the scheduler missed).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from kiosk.core.db import Connection, in_list, list_param, transaction
from kiosk.places import centers
from kiosk.stats import daily
from kiosk.stats.scope import Period, Scope


def take(db: Connection, period: Period, zone: str, taken_at: str) -> int:
    """Stores the counts of every day of the period for every center and all together; how many rows.

    Runs in the caller's transaction when there is one, else in its own.
    """
    with transaction(db):
        per_center = daily.by_center(db, period, Scope(), zone)
        every = [row["id"] for row in centers.every(db)]
        all_days = daily.together(per_center)
        rows = []
        for n in range(period.days):
            day = period.start + timedelta(days=n)
            for center_id in (daily.ALL_CENTERS, *every):
                counts = all_days.get(day) if center_id == daily.ALL_CENTERS else per_center.get((center_id, day))
                rows.append((day.isoformat(), center_id, json.dumps(daily.stored(counts or daily.empty())), taken_at))
        db.executemany("INSERT INTO stats_snapshots (day, center_id, data, taken_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (day, center_id) DO UPDATE SET data = excluded.data,"
                       " taken_at = excluded.taken_at", rows)
    return len(rows)


def last_day(db: Connection) -> date | None:
    found = db.execute("SELECT max(day) FROM stats_snapshots WHERE center_id = ?", (daily.ALL_CENTERS,)).fetchone()[0]
    return date.fromisoformat(found) if found else None


def read(db: Connection, period: Period, center_ids: list[int] | None,
         keys: tuple[str, ...] | None = None) -> dict[date, daily.Counts]:
    """{day: counts} of the snapshots in the period, summed over the centers (None: every center);
    only `keys` when given."""
    wanted = [daily.ALL_CENTERS] if center_ids is None else center_ids
    found: dict[date, daily.Counts] = {}
    for day, data in db.execute(
            f"SELECT day, data FROM stats_snapshots WHERE day >= ? AND day <= ? AND {in_list('center_id')}",
            (period.start.isoformat(), period.end.isoformat(), list_param(wanted))):
        counts, day = _counts(json.loads(data)), date.fromisoformat(day)
        if len(wanted) == 1 and keys is None:  # one row a day: it is the day's counts
            found[day] = {**daily.empty(), **counts}
        else:
            daily.add(found.setdefault(day, daily.empty()), counts, keys)
    return found


def _counts(data: dict) -> daily.Counts:
    """A snapshot's counts; one taken before they were kept (a whole summary) gives its two totals."""
    if "start" in data or "period" in data:
        return {"registered": data.get("registered") or 0, "hired": data.get("hired") or 0}
    return data
