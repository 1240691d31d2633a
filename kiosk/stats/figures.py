"""Every published figure for a period and scope, in one stable shape (docs/stats.md).

Registered seekers count by their registration day, hires by the day the hire was recorded;
ratios are over the period's registered seekers. The comparison periods (the one before, the
same one a year earlier) give the headline numbers and their change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.core.db import Connection
from kiosk.stats import activity, people, trend
from kiosk.stats.scope import Period, Scope, change, on_activity, ratio, share

VERSION = 1


def _per_center(db: Connection, table: str, period: Period, scope: Scope, zone: str) -> dict[int, int]:
    low, high = period.bounds(zone)
    where, args = on_activity(db, scope)
    return dict(db.execute(f"SELECT center_id, count(*) FROM {table} WHERE at >= ? AND at < ?{where}"
                           " GROUP BY center_id", (low, high, *args)).fetchall())


def _by_center(db: Connection, found: dict[str, Any], period: Period, scope: Scope, zone: str) -> list[dict]:
    registered, hired = found.pop("registered_by_center"), found.pop("hired_by_center")
    consulted = _per_center(db, "consultations", period, scope, zone)
    referred = _per_center(db, "placements", period, scope, zone)
    rows = []
    for center_id, center in people.centers_by_id(db).items():
        row = {"center_id": center_id, "name": center["name"], "region": center["region"],
               "registered": registered.get(center_id, 0), "hired": hired.get(center_id, 0),
               "consultations": consulted.get(center_id, 0), "referrals": referred.get(center_id, 0)}
        if row["registered"] or row["hired"] or row["consultations"] or row["referrals"]:
            rows.append({**row, "rate": share(row["hired"], row["registered"])})
    return rows


def headline(db: Connection, period: Period, scope: Scope, zone: str,
             per_day: dict[date, Any] | None = None) -> dict[str, Any]:
    """The numbers compared between periods (per_day: the period's days when already read)."""
    per_day = per_day if per_day is not None else trend.days(db, period, scope, zone)
    sums = {field: sum(counts[field] for counts in per_day.values()) for field in ("registered", "hired")}
    answers = [sum(counts[f] for counts in per_day.values()) for f in ("answers", "satisfied", "score_sum")]
    happy = activity.satisfaction(*answers)
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), **sums,
            "rate": share(sums["hired"], sums["registered"]),
            "consultations": sum(_per_center(db, "consultations", period, scope, zone).values()),
            "referrals": sum(_per_center(db, "placements", period, scope, zone).values()),
            "satisfied_share": happy["satisfied_share"], "satisfaction_score": happy["score"]}


def _compared(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    changes = {key: change(now[key], before[key]) for key in ("registered", "hired", "consultations", "referrals")}
    for key in ("rate", "satisfied_share", "satisfaction_score"):  # points, not a relative change
        changes[key] = round(now[key] - before[key], 4) if None not in (now[key], before[key]) else None
    return {**before, "change": changes}


def summary(db: Connection, period: Period, scope: Scope, zone: str, today: date) -> dict[str, Any]:
    """Every figure of the period (days in `zone`, both ends included) for the scope."""
    found = people.people(db, period, scope, zone)
    registered = found["registered"]["count"]
    counted_days = max(0, (min(period.end, today) - period.start).days + 1)
    found["hired"]["per_day"] = ratio(found["hired"]["count"], counted_days, 1)
    for place in found["by_place"]:
        place["per_day"] = ratio(place["hired"], counted_days, 1)
    per_day = trend.days(db, period, scope, zone)
    current = headline(db, period, scope, zone, per_day)
    return {
        "version": VERSION,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "days": period.days,
                   "counted_days": counted_days},
        "scope": scope.as_dict(),
        **{key: found[key] for key in ("registered", "hired", "by_place", "job_bus", "unhired_occupations")},
        "consultations": activity.consultations(db, period, scope, zone, registered),
        "referrals": activity.referrals(db, period, scope, zone, registered),
        "counselors_active": activity.counselors_active(db, period, scope, zone),
        "satisfaction": activity.satisfaction(*activity.satisfaction_sums(db, period, scope, zone)),
        "by_center": _by_center(db, found, period, scope, zone),
        "comparison": {"previous": _compared(current, headline(db, period.previous(), scope, zone)),
                       "year_before": _compared(current, headline(db, period.year_before(), scope, zone))},
        "trend": {"weeks": trend.weeks(per_day), "months": trend.months(per_day)},
    }
