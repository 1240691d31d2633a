"""The occupations most wanted by seekers registered in the period and not hired (yet).

They change with every hire, so no day's snapshot can hold them. The nightly take counts the
wishes of every seeker not hired at that moment by registration day and center (stats_waiting);
the figure is that count for the period's days, less the seekers hired since (their wishes are
still recorded), plus the seekers registered since and not hired. A seeker who withdraws (their
wishes are erased with them) or changes their wishes is counted anew at the next take
(docs/stats.md).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kiosk.core.db import Connection
from kiosk.stats import daily, kept, people
from kiosk.stats.scope import Period, Scope, on_seekers, region_centers

# From the seekers (index seekers_waiting) to their wishes, in that order (CROSS JOIN keeps it):
# not through every wish of every seeker.
WISHES = ("SELECT {columns}, count(*) FROM seekers s CROSS JOIN seeker_prefs p WHERE p.seeker_id = s.id"
          " AND p.kind = 'occupation' AND {where} GROUP BY {groups}")


def count(db: Connection, zone: str, at: str) -> int:
    """Counts again, as of `at` (stored UTC text), the wishes of the seekers registered before it and
    not hired then; in the caller's transaction. How many rows."""
    found: Counter = Counter()
    for where, args in (("s.employed_at IS NULL AND s.registered_at < ?", (at,)),
                        ("s.employed_at >= ? AND s.registered_at < ?", (at, at))):
        sql = WISHES.format(columns="s.center_id, substr(s.registered_at, 1, 13), p.value", where=where,
                            groups="1, 2, 3")
        for center_id, hour, occupation, n in db.execute(sql, args):
            day = daily.day_of(hour, zone).isoformat()
            found[(day, center_id or daily.ALL_CENTERS, occupation)] += n
            if center_id:
                found[(day, daily.ALL_CENTERS, occupation)] += n
    db.execute("DELETE FROM stats_waiting")
    db.executemany("INSERT INTO stats_waiting (day, center_id, occupation, seekers) VALUES (?, ?, ?, ?)",
                   [(*key, n) for key, n in sorted(found.items())])
    return len(found)


def occupations(db: Connection, period: Period, scope: Scope, zone: str) -> list[dict[str, Any]]:
    """[{code, count}] of the UNHIRED_SHOWN occupations most wanted, most first."""
    at = kept.marks(db)[1]
    if at is None or scope.kiosk_code is not None:  # nothing counted yet, or a kiosk's: from the rows
        return people.unhired_occupations(db, period, scope, zone)
    centers = ([scope.center_id] if scope.center_id is not None
               else region_centers(db, scope.region) if scope.region is not None else None)
    where, args = kept.wanted(centers)
    wanted: Counter = Counter(dict(db.execute(
        f"SELECT occupation, sum(seekers) FROM stats_waiting WHERE day >= ? AND day <= ? AND {where}"  # noqa: S608
        " GROUP BY occupation", (period.start.isoformat(), period.end.isoformat(), *args)).fetchall()))
    low, high = period.bounds(zone)
    extra, extra_args = on_seekers(db, scope, "s.")
    # Hired since the count (by the hire's time alone: few), of those it counted as not hired.
    for occupation, registered_at in db.execute(
            "SELECT p.value, s.registered_at FROM seekers s CROSS JOIN seeker_prefs p WHERE p.seeker_id = s.id"
            f" AND p.kind = 'occupation' AND s.employed_at >= ?{extra}", (at, *extra_args)):
        if low <= registered_at < min(high, at):
            wanted[occupation] -= 1
    # Registered since the count and not hired.
    for occupation, n in db.execute(WISHES.format(
            columns="p.value", where="s.employed_at IS NULL AND s.registered_at >= ? AND s.registered_at < ?"
            + extra, groups="p.value"), (max(low, at), high, *extra_args)):
        wanted[occupation] += n
    shown = sorted(((code, n) for code, n in wanted.items() if n > 0), key=lambda item: (-item[1], item[0]))
    return [{"code": code, "count": n} for code, n in shown[:people.UNHIRED_SHOWN]]
