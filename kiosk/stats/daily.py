"""Each day's counts per center, read from the recorded rows: everything the figures add up.

A day's counts are a flat dict: totals ("registered", "hired", "consultations", "referrals",
"answers", "satisfied", "score_sum"), breakdowns under keys joined by "|" ("reg|<kiosk>|<age
band>", "hire|<kiosk>|<age band>|<occupation>", "reg_program|<code>", "hire_program|<code>",
"consult|<topic>|<channel>", "center|<id>|<total>") and "counselors", the ids of the counselors
who recorded anything. Days add up key by key (counselors as a set). This is what a nightly
snapshot keeps (kiosk/stats/snapshots.py), so a year's figures are read from a few hundred rows,
not from every seeker.

Rows are grouped by the UTC hour they were recorded in and the hours placed on the center's
days, so a zone must differ from UTC by whole hours (Asia/Seoul does).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from kiosk.core.db import Connection
from kiosk.core.formatting import local
from kiosk.stats.scope import Period, Scope, on_activity, on_seekers, region_centers

SATISFIED = 4  # 4 (satisfied) and 5 (very satisfied)
Counts = dict[str, Any]
Marks = dict[str, int]  # table -> the highest row id the kept counts hold
ALL_CENTERS = 0  # the snapshots' row for every center together
CENTER_TOTALS = ("registered", "hired", "consultations", "referrals")
TOTALS = (*CENTER_TOTALS, "answers", "satisfied", "score_sum")


def empty() -> Counts:
    """A day with nothing: every total 0."""
    return dict.fromkeys(TOTALS, 0)


@functools.lru_cache(maxsize=65_536)
def day_of(hour: str, zone: str) -> date:
    """The center's day of a UTC hour ('2026-11-22T15' is the 23rd in Seoul)."""
    return local(datetime.fromisoformat(hour + ":00:00+00:00"), zone).date()


def _when(column: str, bounds: tuple[str, str], marks: Marks | None, table: str,
          alias: str = "") -> tuple[str, tuple]:
    """The rows of the period (column in bounds) or, with marks, every row added after the table's
    mark (by id, whatever its day: the caller keeps the days it wants; none of a table not marked)."""
    if marks is not None and table not in marks:
        return "1 = 0", ()
    if marks is None:
        return f"{alias}{column} >= ? AND {alias}{column} < ?", bounds
    return f"{alias}id > ? AND {alias}{column} IS NOT NULL", (marks.get(table, 0),)


def _rows(db: Connection, period: Period, scope: Scope, zone: str,
          marks: Marks | None) -> Iterator[tuple[int, str, dict[str, int]]]:
    """(center, hour, {key: count}) for every group of rows the period holds (or added after marks)."""
    bounds = period.bounds(zone) if marks is None else ("", "")  # by id with marks: no period
    people, people_args = on_seekers(db, scope, "s.")
    hour = "substr({}, 1, 13)"
    when, args = _when("registered_at", bounds, marks, "seekers", "s.")
    for row in db.execute(f"SELECT s.center_id, {hour.format('s.registered_at')}, s.kiosk_code, s.age_band,"
                          f" count(*) FROM seekers s WHERE {when}{people} GROUP BY 1, 2, 3, 4", (*args, *people_args)):
        yield row[0], row[1], {"registered": row[4], f"reg|{row[2] or ''}|{row[3] or ''}": row[4]}
    when, args = _when("employed_at", bounds, marks, "seekers", "s.")
    for row in db.execute(f"SELECT s.center_id, {hour.format('s.employed_at')}, s.kiosk_code, s.age_band,"
                          f" s.employed_occupation, count(*) FROM seekers s WHERE {when}{people}"
                          " GROUP BY 1, 2, 3, 4, 5", (*args, *people_args)):
        yield row[0], row[1], {"hired": row[5], f"hire|{row[2] or ''}|{row[3] or ''}|{row[4] or ''}": row[5]}
    for prefix, column in (("reg", "registered_at"), ("hire", "employed_at")):
        when, args = _when(column, bounds, marks, "seekers", "s.")
        for row in db.execute(f"SELECT s.center_id, {hour.format('s.' + column)}, sp.program, count(*)"
                              " FROM seeker_programs sp JOIN seekers s ON s.id = sp.seeker_id"
                              f" WHERE {when}{people} GROUP BY 1, 2, 3", (*args, *people_args)):
            yield row[0], row[1], {f"{prefix}_program|{row[2]}": row[3]}
    yield from _activity_rows(db, bounds, on_activity(db, scope), hour, marks)


def _activity_rows(db: Connection, bounds: tuple[str, str], scope: tuple[str, tuple], hour: str,
                   marks: Marks | None) -> Iterator[tuple[int, str, dict[str, Any]]]:
    def where(table: str, column: str = "at") -> tuple[str, tuple]:
        when, args = _when(column, bounds, marks, table)
        return when + scope[0], (*args, *scope[1])

    sql, found = where("consultations")
    for row in db.execute(f"SELECT center_id, {hour.format('at')}, topic, channel, count(*) FROM consultations"
                          f" WHERE {sql} GROUP BY 1, 2, 3, 4", found):
        yield row[0], row[1], {"consultations": row[4], f"consult|{row[2]}|{row[3]}": row[4]}
    sql, found = where("placements")
    for row in db.execute(f"SELECT center_id, {hour.format('at')}, count(*) FROM placements"
                          f" WHERE {sql} GROUP BY 1, 2", found):
        yield row[0], row[1], {"referrals": row[2]}
    for table in ("consultations", "placements"):
        sql, found = where(table)
        for row in db.execute(f"SELECT DISTINCT center_id, {hour.format('at')}, counselor_id FROM {table}"
                              f" WHERE {sql} AND counselor_id IS NOT NULL", found):
            yield row[0], row[1], {"counselors": {row[2]}}
    sql, found = where("satisfaction_answers", "answered_at")
    for row in db.execute(
            f"SELECT center_id, {hour.format('answered_at')}, count(*), sum(CASE WHEN score >= {SATISFIED}"
            f" THEN 1 ELSE 0 END), sum(score) FROM satisfaction_answers WHERE {sql} GROUP BY 1, 2", found):
        yield row[0], row[1], {"answers": row[2], "satisfied": row[3] or 0, "score_sum": row[4] or 0}


def by_center(db: Connection, period: Period, scope: Scope, zone: str,
              marks: Marks | None = None) -> dict[tuple[int, date], Counts]:
    """{(center id, day): counts} for the days of the period, read from the rows (with marks: only
    the rows added after them, and no job bus runs, which the kept days count already)."""
    if marks is not None and not scope.whole:  # the rows since the marks are few: by id, then by center
        if scope.kiosk_code is not None:
            raise ValueError("a kiosk's figures are not kept")
        keep = {scope.center_id} if scope.center_id is not None else set(region_centers(db, scope.region or ""))
        return {key: counts for key, counts in by_center(db, period, Scope(), zone, marks).items() if key[0] in keep}
    found: dict[tuple[int, date], Counts] = defaultdict(empty)
    for center_id, hour, counts in _rows(db, period, scope, zone, marks):
        totals = {f"center|{center_id}|{key}": counts[key] for key in CENTER_TOTALS if key in counts}
        add(found[(center_id or ALL_CENTERS, day_of(hour, zone))], {**counts, **totals})
    for counts in found.values() if marks is None else ():  # a kiosk that registered anyone that day ran
        counts.update({f"run|{parts[0]}": 1 for parts, n in split(counts, "reg") if n and parts[0]})
    return found


def together(per_center: dict[tuple[int, date], Counts]) -> dict[date, Counts]:
    """{day: counts} over every center."""
    days: dict[date, Counts] = defaultdict(empty)
    for (_center, day), counts in per_center.items():
        add(days[day], counts)
    return days


def add(total: Counts, more: Counts, keys: tuple[str, ...] | None = None) -> Counts:
    """Adds more's counts (only `keys`, when given) into total; counselors: the union."""
    get = total.get
    if keys is not None:
        for key in keys:
            total[key] = get(key, 0) + more.get(key, 0)
        return total
    for key, value in more.items():
        if key == "counselors":
            total[key] = get(key, set()) | set(value)
        else:
            total[key] = get(key, 0) + value
    return total


def stored(counts: Counts) -> Counts:
    """The counts as a snapshot keeps them (JSON: counselors as a sorted list)."""
    return {key: sorted(value) if key == "counselors" else value for key, value in sorted(counts.items())}


def split(counts: Counts, prefix: str) -> Iterator[tuple[list[str], int]]:
    """(the key's parts after prefix, count) of every key starting with prefix|."""
    for key, value in counts.items():
        if key.startswith(prefix + "|"):
            yield key.split("|")[1:], value
