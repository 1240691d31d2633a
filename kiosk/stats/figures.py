"""Every published figure for a period and scope, in one stable shape (docs/stats.md).

The period's days are read once (past days from the nightly snapshots, the rest from the rows)
and added up; every figure comes from that sum, except the occupations still wanted by those not
hired, which change with each hire. Ratios are over the period's registered seekers. The
comparison periods (the one before, the same one a year earlier) give the headline numbers and
their change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.core.db import Connection
from kiosk.stats import activity, daily, people, trend, waiting
from kiosk.stats.scope import Period, Scope, change, share

VERSION = 1


def _by_center(db: Connection, total: daily.Counts) -> list[dict[str, Any]]:
    rows = []
    for center_id, center in people.centers_by_id(db).items():
        row = {"center_id": center_id, "name": center["name"], "region": center["region"],
               **{key: total.get(f"center|{center_id}|{key}", 0) for key in daily.CENTER_TOTALS}}
        if any(row[key] for key in daily.CENTER_TOTALS):
            rows.append({**row, "rate": share(row["hired"], row["registered"])})
    return rows


def headline(period: Period, total: daily.Counts) -> dict[str, Any]:
    """The numbers compared between periods."""
    happy = activity.satisfaction_of(total)
    registered, hired = total.get("registered", 0), total.get("hired", 0)
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "registered": registered,
            "hired": hired, "rate": share(hired, registered), "consultations": total.get("consultations", 0),
            "referrals": total.get("referrals", 0), "satisfied_share": happy["satisfied_share"],
            "satisfaction_score": happy["score"]}


def _compared(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    changes = {key: change(now[key], before[key]) for key in ("registered", "hired", "consultations", "referrals")}
    for key in ("rate", "satisfied_share", "satisfaction_score"):  # points, not a relative change
        changes[key] = round(now[key] - before[key], 4) if None not in (now[key], before[key]) else None
    return {**before, "change": changes}


def _other(db: Connection, period: Period, scope: Scope, zone: str, since: dict) -> dict[str, Any]:
    return headline(period, trend.read(db, period, scope, zone, breakdowns=False, since=since)[1])


def summary(db: Connection, period: Period, scope: Scope, zone: str, today: date) -> dict[str, Any]:
    """Every figure of the period (days in `zone`, both ends included) for the scope."""
    since = trend.added(db, scope, zone)  # rows added to kept days: read once for the three periods
    per_day, total = trend.read(db, period, scope, zone, since=since)
    counted_days = max(0, (min(period.end, today) - period.start).days + 1)
    found = people.people(db, total, counted_days)
    registered = found["registered"]["count"]
    current = headline(period, total)
    return {
        "version": VERSION,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "days": period.days,
                   "counted_days": counted_days},
        "scope": scope.as_dict(),
        **found,
        "unhired_occupations": waiting.occupations(db, period, scope, zone),
        "consultations": activity.consultations(total, registered),
        "referrals": activity.referrals(total, registered),
        "counselors_active": activity.counselors_active(total),
        "satisfaction": activity.satisfaction_of(total),
        "by_center": _by_center(db, total),
        "comparison": {"previous": _compared(current, _other(db, period.previous(), scope, zone, since)),
                       "year_before": _compared(current, _other(db, period.year_before(), scope, zone, since))},
        "trend": {"weeks": trend.weeks(per_day), "months": trend.months(per_day)},
    }
