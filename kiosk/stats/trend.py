"""The period's days, weeks and months for the trend charts (registrations and hires per week,
satisfaction per month) and the period's counts added up. Past days come from the nightly
snapshots; days without one (today, a night the scheduler missed, a kiosk's own figures) are
read from the rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kiosk.core.db import Connection
from kiosk.stats import daily, kept
from kiosk.stats.activity import satisfaction
from kiosk.stats.scope import Period, Scope, region_centers


def added(db: Connection, scope: Scope, zone: str) -> dict[date, daily.Counts]:
    """{day: counts} of the rows added since the kept counts were taken, whatever their day (the
    same for every period a page asks for); {} for a kiosk's figures, which are not kept."""
    counted = kept.marks(db)[0]
    if not counted or scope.kiosk_code is not None:
        return {}
    every_day = Period(date.min, date.max)  # rows by id, whatever their day
    return daily.together(daily.by_center(db, every_day, scope, zone, counted))


def read(db: Connection, period: Period, scope: Scope, zone: str, *, breakdowns: bool = True,
         since: dict[date, daily.Counts] | None = None) -> tuple[dict[date, daily.Counts], daily.Counts]:
    """({day: its totals} for every day of the period, the period's counts added up; only their
    totals unless breakdowns). Kept days come from the snapshots, with the rows added to them
    since (by id; `since`: added() already read); the other days (today, a night the scheduler
    missed, a kiosk's own figures) from the rows."""
    per_day: dict[date, daily.Counts] = {}
    total = daily.empty()
    keys = None if breakdowns else daily.TOTALS
    if scope.kiosk_code is None:
        centers = ([scope.center_id] if scope.center_id is not None
                   else region_centers(db, scope.region) if scope.region is not None else None)
        per_day = kept.day_totals(db, period, centers)
        if breakdowns:
            total = kept.counts(db, period, centers, set(per_day))
        else:
            for counts in per_day.values():
                daily.add(total, counts, keys)
    from_rows = [period.start + timedelta(days=n) for n in range(period.days)
                 if period.start + timedelta(days=n) not in per_day]
    if from_rows:
        found = daily.together(daily.by_center(db, Period(from_rows[0], from_rows[-1]), scope, zone))
        for day in from_rows:
            per_day[day] = daily.add(daily.empty(), found.get(day, {}), daily.TOTALS)
            daily.add(total, found.get(day, {}), keys)
    counted_from_rows = set(from_rows)
    kept_days = [day for day in per_day if day not in counted_from_rows]
    if kept_days:
        late = added(db, scope, zone) if since is None else since
        for day in kept_days:
            if day in late:
                daily.add(per_day[day], late[day], daily.TOTALS)
                daily.add(total, late[day], keys)
    return dict(sorted(per_day.items())), total


def weeks(per_day: dict[date, daily.Counts]) -> list[dict[str, Any]]:
    """Registrations and hires per week (weeks start on Monday; the first and last may be partial)."""
    found: dict[date, dict[str, Any]] = {}
    first = min(per_day, default=None)
    for day, counts in per_day.items():
        monday = day - timedelta(days=day.weekday())
        week = found.setdefault(monday, {"start": max(monday, first).isoformat(), "days": 0,
                                         "registered": 0, "hired": 0})
        week["days"] += 1
        week["registered"] += counts.get("registered", 0)
        week["hired"] += counts.get("hired", 0)
    return list(found.values())


def months(per_day: dict[date, daily.Counts]) -> list[dict[str, Any]]:
    """Satisfaction per calendar month: answers, the share satisfied and the 100-point score."""
    sums: dict[str, daily.Counts] = {}
    for day, counts in per_day.items():
        daily.add(sums.setdefault(day.strftime("%Y-%m"), daily.empty()), counts, daily.TOTALS)
    return [{"month": month, "registered": c.get("registered", 0), "hired": c.get("hired", 0),
             **satisfaction(c.get("answers", 0), c.get("satisfied", 0), c.get("score_sum", 0))}
            for month, c in sums.items()]
