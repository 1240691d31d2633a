"""The outcome numbers centers publish, computed from what was recorded.

Registered seekers count by their registration day; hires by the day the hire was recorded
(seekers.employed_at, kept when a person is anonymized); both are credited to the center and
kiosk where the seeker registered. Success rate is hires over registrations in the period.
Dates are days in the center's zone, both ends included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row
from kiosk.core.regions import AGE_BANDS, OCCUPATIONS
from kiosk.places import centers

SATISFIED = 4  # 4 (satisfied) and 5 (very satisfied) count as satisfied


def bounds(start: date | None, end: date | None, zone: str) -> tuple[str, str]:
    """[start 00:00, the day after end 00:00) as stored UTC text; open ends stretch to all time."""
    tz = ZoneInfo(zone)
    low = iso(datetime.combine(start, time(0), tzinfo=tz)) if start else "0000"
    high = iso(datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)) if end else "9999"
    return low, high


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _ratio(total: int, people: int) -> float | None:
    return round(total / people, 2) if people else None


def _center(column: str, center_id: int | None) -> tuple[str, tuple]:
    """An extra condition on the center, only when one is asked for (so indexes stay usable)."""
    return (f" AND {column} = ?", (center_id,)) if center_id is not None else ("", ())


def registered(db: Connection, low: str, high: str, center_id: int | None) -> int:
    extra, args = _center("center_id", center_id)
    return db.execute(f"SELECT count(*) FROM seekers WHERE registered_at >= ? AND registered_at < ?{extra}",
                      (low, high, *args)).fetchone()[0]


def hires(db: Connection, low: str, high: str, center_id: int | None) -> list[Row]:
    """One row per seeker whose hire was recorded in the period."""
    extra, args = _center("center_id", center_id)
    return db.execute("SELECT id, age_band, employed_occupation, kiosk_code, center_id FROM seekers"
                      f" WHERE employed_at >= ? AND employed_at < ?{extra}", (low, high, *args)).fetchall()


def breakdown(values: list[str | None], codes: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """[{code, count, share}] for every code with a count, largest first; None is 'unknown'."""
    counts: dict[str, int] = {}
    for value in values:
        key = value if value in codes else "unknown"
        counts[key] = counts.get(key, 0) + 1
    total = len(values)
    return [{"code": code, "count": n, "share": _share(n, total)}
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def consultations(db: Connection, low: str, high: str, center_id: int | None) -> dict[str, Any]:
    """Attended counseling and follow-ups, and how many each counseled seeker had."""
    extra, args = _center("center_id", center_id)
    row = db.execute("SELECT count(*), count(DISTINCT seeker_id) FROM appointments WHERE status = 'attended'"
                     " AND kind IN ('counseling', 'follow_up') AND starts_at >= ? AND starts_at < ?"
                     f"{extra}", (low, high, *args)).fetchone()
    return {"count": row[0], "seekers": row[1], "per_seeker": _ratio(row[0], row[1])}


def referrals(db: Connection, low: str, high: str, center_id: int | None) -> dict[str, Any]:
    extra, args = _center("center_id", center_id)
    row = db.execute("SELECT count(*), count(DISTINCT seeker_id) FROM referral_requests"
                     f" WHERE created_at >= ? AND created_at < ?{extra}", (low, high, *args)).fetchone()
    return {"count": row[0], "seekers": row[1], "per_seeker": _ratio(row[0], row[1])}


def satisfaction(db: Connection, low: str, high: str, center_id: int | None) -> dict[str, Any]:
    extra, args = _center("center_id", center_id)
    row = db.execute(
        "SELECT count(*), avg(score), sum(CASE WHEN score >= ? THEN 1 ELSE 0 END) FROM satisfaction_answers"
        f" WHERE answered_at >= ? AND answered_at < ?{extra}", (SATISFIED, low, high, *args)).fetchone()
    return {"answers": row[0], "average": round(row[1], 2) if row[1] is not None else None,
            "satisfied_share": _share(row[2] or 0, row[0])}


def _grouped(db: Connection, sql: str, args: tuple) -> dict[Any, int]:
    return {row[0]: row[1] for row in db.execute(sql, args)}


def _registered_and_hired(db: Connection, key: str, low: str, high: str,
                          center_id: int | None) -> tuple[dict[Any, int], dict[Any, int]]:
    """Registrations and hires in the period, each grouped by `key` (a fixed expression over seekers)."""
    extra, args = _center("center_id", center_id)
    return tuple(_grouped(db, f"SELECT {key}, count(*) FROM seekers WHERE {column} >= ? AND {column} < ?{extra}"
                              " GROUP BY 1", (low, high, *args))
                 for column in ("registered_at", "employed_at"))


def by_kiosk(db: Connection, low: str, high: str, center_id: int | None) -> list[dict[str, Any]]:
    """Registrations and hires per kiosk location ('' for people registered by text)."""
    people, hired = _registered_and_hired(db, "coalesce(kiosk_code, '')", low, high, center_id)
    names = _grouped(db, "SELECT code, name FROM kiosks", ())
    rows = [{"code": code, "name": names.get(code, ""), "registered": people.get(code, 0),
             "hired": hired.get(code, 0)} for code in set(people) | set(hired)]
    return sorted(rows, key=lambda r: (-r["hired"], -r["registered"], r["code"]))


def by_center(db: Connection, low: str, high: str, center_id: int | None) -> list[dict[str, Any]]:
    people, hired = _registered_and_hired(db, "center_id", low, high, center_id)
    extra, args = _center("center_id", center_id)
    counseled = _grouped(db, "SELECT center_id, count(*) FROM appointments WHERE status = 'attended'"
                             " AND kind IN ('counseling', 'follow_up') AND starts_at >= ? AND starts_at < ?"
                             f"{extra} GROUP BY center_id", (low, high, *args))
    found = []
    for center in centers.every(db):
        row = {"center_id": center["id"], "name": center["name"], "registered": people.get(center["id"], 0),
               "hired": hired.get(center["id"], 0), "consultations": counseled.get(center["id"], 0)}
        if row["registered"] or row["hired"] or row["consultations"]:
            found.append({**row, "success_rate": _share(row["hired"], row["registered"])})
    return found


def summary(db: Connection, *, start: date | None, end: date | None, center_id: int | None,
            zone: str) -> dict[str, Any]:
    """Every published figure for a period (days in `zone`, inclusive) and center (None: all)."""
    low, high = bounds(start, end, zone)
    people = registered(db, low, high, center_id)
    hired = hires(db, low, high, center_id)
    return {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "center_id": center_id,
        "registered": people,
        "hired": len(hired),
        "success_rate": _share(len(hired), people),
        "hires_by_occupation": breakdown([row["employed_occupation"] for row in hired], OCCUPATIONS),
        "hires_by_age_band": breakdown([row["age_band"] for row in hired], AGE_BANDS),
        "consultations": consultations(db, low, high, center_id),
        "referrals": referrals(db, low, high, center_id),
        "by_kiosk": by_kiosk(db, low, high, center_id),
        "by_center": by_center(db, low, high, center_id),
        "satisfaction": satisfaction(db, low, high, center_id),
    }
