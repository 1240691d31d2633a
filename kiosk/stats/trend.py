"""The period's days, weeks and months for the trend charts: registrations and hires per week,
satisfaction per month. Past days come from the nightly snapshots; days without one (today, a
night the scheduler missed, a kiosk's own figures) are read from the rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kiosk.core.db import Connection
from kiosk.stats import daily, snapshots
from kiosk.stats.activity import satisfaction
from kiosk.stats.scope import Period, Scope, region_centers


def days(db: Connection, period: Period, scope: Scope, zone: str,
         keys: tuple[str, ...] | None = None) -> dict[date, daily.Counts]:
    """{day: counts} for every day of the period (only `keys`, when given: the totals are quicker)."""
    kept: dict[date, daily.Counts] = {}
    if scope.kiosk_code is None:
        centers = ([scope.center_id] if scope.center_id is not None
                   else region_centers(db, scope.region) if scope.region is not None else None)
        kept = snapshots.read(db, period, centers, keys)
    missing = [period.start + timedelta(days=n) for n in range(period.days)
               if period.start + timedelta(days=n) not in kept]
    if missing:
        read = daily.together(daily.by_center(db, Period(missing[0], missing[-1]), scope, zone))
        kept.update({day: daily.add(daily.empty(), read.get(day, {}), keys) for day in missing})
    return dict(sorted(kept.items()))


def total(per_day: dict[date, daily.Counts], keys: tuple[str, ...] | None = None) -> daily.Counts:
    """The days' counts added up."""
    found = daily.empty()
    for counts in per_day.values():
        daily.add(found, counts, keys)
    return found


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
