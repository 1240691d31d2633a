"""Reading the counts the nightly job keeps (kiosk/stats/snapshots.py): each kept day's totals from
the columns, and the period's breakdowns from the whole months' rows and the days around them.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from kiosk.core.db import Connection, in_list, list_param
from kiosk.stats import daily
from kiosk.stats.scope import Period

# Tables whose rows may be dated before they are written (an attended counseling's consultation
# is dated at the appointment), each with the column that dates its rows. A satisfaction answer
# is dated when it is given.
COUNTED = {"seekers": "registered_at", "consultations": "at", "placements": "at"}


def marks(db: Connection) -> tuple[daily.Marks, str | None]:
    """({table: the highest row id counted}, when the counts were taken); ({}, None) before the first."""
    found = {row[0]: (row[1], row[2]) for row in db.execute("SELECT name, last_id, at FROM stats_marks")}
    return {name: found[name][0] for name in COUNTED if name in found}, min(
        (at for _, at in found.values()), default=None)


def wanted(center_ids: list[int] | None) -> tuple[str, tuple]:
    """The condition on center_id for these centers (None: the row of every center together)."""
    return in_list("center_id"), (list_param([daily.ALL_CENTERS] if center_ids is None else center_ids),)


def spans(days: list[date]) -> list[Period]:
    """The days as runs of consecutive days."""
    spans: list[Period] = []
    for day in days:
        if spans and spans[-1].end + timedelta(days=1) == day:
            spans[-1] = Period(spans[-1].start, day)
        else:
            spans.append(Period(day, day))
    return spans


def day_totals(db: Connection, period: Period, center_ids: list[int] | None) -> dict[date, daily.Counts]:
    """{day: its totals} of the period's kept days, added up over the centers (None: every center)."""
    where, args = wanted(center_ids)
    sums = ", ".join(f"sum({key})" for key in daily.TOTALS)
    return {date.fromisoformat(row[0]): dict(zip(daily.TOTALS, row[1:], strict=True)) for row in db.execute(
        f"SELECT day, {sums} FROM stats_snapshots WHERE day >= ? AND day <= ? AND registered IS NOT NULL"  # noqa: S608
        f" AND {where} GROUP BY day", (period.start.isoformat(), period.end.isoformat(), *args))}


def _whole_months(period: Period, days: set[date]) -> list[str]:
    """The calendar months inside the period whose every day is kept."""
    found, first = [], period.start.replace(day=1)
    while first <= period.end:
        following = (first + timedelta(days=32)).replace(day=1)
        month_days = {first + timedelta(days=n) for n in range((following - first).days)}
        if first >= period.start and following - timedelta(days=1) <= period.end and month_days <= days:
            found.append(first.strftime("%Y-%m"))
        first = following
    return found


def counts(db: Connection, period: Period, center_ids: list[int] | None, days: set[date]) -> daily.Counts:
    """The counts of the kept days given, added up: whole months from their rows, other days from theirs."""
    where, args = wanted(center_ids)
    total = daily.empty()
    months = _whole_months(period, days)
    summed: set[str] = set()
    if months:
        for month, data in db.execute(f"SELECT month, data FROM stats_months WHERE month >= ? AND month <= ?"  # noqa: S608
                                      f" AND {where}", (months[0], months[-1], *args)):
            if month in months:
                summed.add(month)
                daily.add(total, json.loads(data))
    rest = sorted(day for day in days if day.strftime("%Y-%m") not in summed)
    for span in spans(rest):
        for (data,) in db.execute(f"SELECT data FROM stats_snapshots WHERE day >= ? AND day <= ? AND {where}",  # noqa: S608
                                  (span.start.isoformat(), span.end.isoformat(), *args)):
            daily.add(total, json.loads(data))
    return total
