"""Each day's counts (registered, hired, satisfaction answers) read from the recorded rows.

Rows are grouped by the UTC hour they were recorded in and the hours placed on the center's
days, so a zone must differ from UTC by whole hours (Asia/Seoul does). These are what a
nightly snapshot keeps and what the trend charts add up.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from kiosk.core.db import Connection
from kiosk.core.formatting import local
from kiosk.stats.activity import SATISFIED
from kiosk.stats.scope import Period, Scope, on_activity, on_seekers

FIELDS = ("registered", "hired", "answers", "satisfied", "score_sum")
Counts = dict[str, int]
ALL_CENTERS = 0  # the snapshots' row for every center together


def empty() -> Counts:
    return dict.fromkeys(FIELDS, 0)


def _day(hour: str, zone: str) -> date:
    return local(datetime.fromisoformat(hour + ":00:00+00:00"), zone).date()


def _queries(db: Connection, scope: Scope) -> list[tuple[str, tuple[str, ...], tuple]]:
    """(SQL with low/high placeholders first, the fields its sums fill, the scope's arguments)."""
    people, people_args = on_seekers(db, scope)
    answers, answer_args = on_activity(db, scope)
    return [
        ("SELECT center_id, substr(registered_at, 1, 13), count(*) FROM seekers"
         f" WHERE registered_at >= ? AND registered_at < ?{people} GROUP BY 1, 2", ("registered",), people_args),
        ("SELECT center_id, substr(employed_at, 1, 13), count(*) FROM seekers"
         f" WHERE employed_at >= ? AND employed_at < ?{people} GROUP BY 1, 2", ("hired",), people_args),
        (f"SELECT center_id, substr(answered_at, 1, 13), count(*), sum(CASE WHEN score >= {SATISFIED}"
         " THEN 1 ELSE 0 END), sum(score) FROM satisfaction_answers WHERE answered_at >= ? AND answered_at < ?"
         f"{answers} GROUP BY 1, 2", ("answers", "satisfied", "score_sum"), answer_args),
    ]


def by_center(db: Connection, period: Period, scope: Scope, zone: str) -> dict[tuple[int, date], Counts]:
    """{(center id, day): counts} for the days of the period, read from the rows."""
    low, high = period.bounds(zone)
    found: dict[tuple[int, date], Counts] = defaultdict(empty)
    for sql, fields, args in _queries(db, scope):
        for row in db.execute(sql, (low, high, *args)):
            counts = found[(row[0] or ALL_CENTERS, _day(row[1], zone))]
            for field, value in zip(fields, row[2:], strict=True):
                counts[field] += value or 0
    return found


def together(per_center: dict[tuple[int, date], Counts]) -> dict[date, Counts]:
    """{day: counts} over every center."""
    days: dict[date, Counts] = defaultdict(empty)
    for (_center, day), counts in per_center.items():
        add(days[day], counts)
    return days


def add(total: Counts, more: dict[str, Any]) -> Counts:
    for field in FIELDS:
        total[field] += int(more.get(field) or 0)
    return total
