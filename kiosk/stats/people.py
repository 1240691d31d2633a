"""Registered seekers and hires in a period, by every published breakdown.

Registrations count by the registration day, hires by the day the hire was recorded
(seekers.employed_at, kept when a person is anonymized); both are credited to where the seeker
registered. Each table is read once, grouped by everything the breakdowns need (from the
covering indexes), and split in Python.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kiosk.core.clock import parse_iso
from kiosk.core.db import Connection, Row
from kiosk.core.formatting import local
from kiosk.core.regions import AGE_BANDS, OCCUPATIONS
from kiosk.stats.scope import Period, Scope, on_seekers, ratio, share

CHANNELS = ("kiosk", "booth", "bus", "sms")  # where a seeker registered
UNHIRED_SHOWN = 5


def places(db: Connection) -> dict[str, Row]:
    """Kiosk code -> its name, place kind, center, center kind and region."""
    return {row["code"]: row for row in db.execute(
        "SELECT k.code, k.name, k.place_kind, k.center_id, c.kind AS center_kind, c.region"
        " FROM kiosks k JOIN centers c ON c.id = k.center_id")}


def centers_by_id(db: Connection) -> dict[int, Row]:
    return {row["id"]: row for row in db.execute("SELECT id, name, kind, region FROM centers ORDER BY id")}


def channel(kiosk_code: str | None, where: dict[str, Row]) -> str:
    """kiosk, booth (a counseling booth's kiosk), bus (the job bus) or sms (registered by text)."""
    place = where.get(kiosk_code or "")
    if place is None:
        return "sms"
    if place["place_kind"] == "job_bus" or place["center_kind"] == "bus":
        return "bus"
    return "booth" if place["center_kind"] == "booth" else "kiosk"


def breakdown(counts: Counter, codes: tuple[str, ...] | list[str] | None = None) -> list[dict[str, Any]]:
    """[{code, count, share}], largest first; a value not among codes (None) is 'unknown'."""
    merged: Counter = Counter()
    for value, n in counts.items():
        merged[value if codes is None or value in codes else "unknown"] += n
    total = sum(merged.values())
    return [{"code": str(code), "count": n, "share": share(n, total)}
            for code, n in sorted(merged.items(), key=lambda item: (-item[1], str(item[0])))]


def _grouped(db: Connection, column: str, extra_columns: str, period: Period, scope: Scope,
             zone: str) -> list[Row]:
    low, high = period.bounds(zone)
    where, args = on_seekers(db, scope)
    return db.execute(
        f"SELECT center_id, kiosk_code, age_band{extra_columns}, count(*) AS n FROM seekers"
        f" WHERE {column} >= ? AND {column} < ?{where} GROUP BY center_id, kiosk_code, age_band{extra_columns}",
        (low, high, *args)).fetchall()


def _programs(db: Connection, column: str, period: Period, scope: Scope, zone: str) -> Counter:
    low, high = period.bounds(zone)
    where, args = on_seekers(db, scope, "s.")
    return Counter(dict(db.execute(
        "SELECT sp.program, count(*) FROM seeker_programs sp JOIN seekers s ON s.id = sp.seeker_id"
        f" WHERE s.{column} >= ? AND s.{column} < ?{where} GROUP BY sp.program", (low, high, *args)).fetchall()))


def _bus_runs(db: Connection, period: Period, scope: Scope, zone: str, where_: dict[str, Row]) -> int:
    """Days a job bus kiosk registered someone: the runs."""
    buses = [code for code in where_ if channel(code, where_) == "bus"]
    if not buses:
        return 0
    low, high = period.bounds(zone)
    where, args = on_seekers(db, scope)
    days = set()
    for code in buses:
        for (hour,) in db.execute(
                "SELECT substr(registered_at, 1, 13) FROM seekers WHERE registered_at >= ? AND registered_at < ?"
                f" AND kiosk_code = ?{where} GROUP BY substr(registered_at, 1, 13)", (low, high, code, *args)):
            days.add((code, local(parse_iso(hour + ":00:00Z"), zone).date()))
    return len(days)


def unhired_occupations(db: Connection, period: Period, scope: Scope, zone: str) -> list[dict[str, Any]]:
    """The occupations most wanted by seekers registered in the period and not hired (yet)."""
    low, high = period.bounds(zone)
    where, args = on_seekers(db, scope, "s.")
    rows = db.execute(
        "SELECT p.value, count(*) AS n FROM seekers s JOIN seeker_prefs p ON p.seeker_id = s.id"
        " AND p.kind = 'occupation' WHERE s.registered_at >= ? AND s.registered_at < ? AND s.employed_at IS NULL"
        f"{where} GROUP BY p.value ORDER BY n DESC, p.value LIMIT ?", (low, high, *args, UNHIRED_SHOWN)).fetchall()
    return [{"code": row[0], "count": row[1]} for row in rows]


def people(db: Connection, period: Period, scope: Scope, zone: str) -> dict[str, Any]:
    """The registered and hired figures of a period (see docs/stats.md for each field)."""
    where_, center_of = places(db), centers_by_id(db)
    signed = _grouped(db, "registered_at", "", period, scope, zone)
    hired = _grouped(db, "employed_at", ", employed_occupation", period, scope, zone)
    registered_n, hired_n = sum(r["n"] for r in signed), sum(r["n"] for r in hired)

    def count_by(rows: list[Row], key) -> Counter:
        found: Counter = Counter()
        for row in rows:
            found[key(row)] += row["n"]
        return found

    place = lambda row: row["kiosk_code"] or ""  # noqa: E731 - one short key among several
    region = lambda row: center_of[row["center_id"]]["region"] if row["center_id"] in center_of else None  # noqa: E731
    runs = _bus_runs(db, period, scope, zone, where_)
    bus_hired = count_by(hired, lambda row: channel(row["kiosk_code"], where_))["bus"]
    registered_at_place, hired_at_place = count_by(signed, place), count_by(hired, place)
    return {
        "registered": {
            "count": registered_n,
            "by_age_band": breakdown(count_by(signed, lambda r: r["age_band"]), AGE_BANDS),
            "by_program": breakdown(_programs(db, "registered_at", period, scope, zone)),
            "by_channel": breakdown(count_by(signed, lambda r: channel(r["kiosk_code"], where_)), CHANNELS),
        },
        "hired": {
            "count": hired_n,
            "rate": share(hired_n, registered_n),
            "by_occupation": breakdown(count_by(hired, lambda r: r["employed_occupation"]), OCCUPATIONS),
            "by_age_band": breakdown(count_by(hired, lambda r: r["age_band"]), AGE_BANDS),
            "by_region": breakdown(count_by(hired, region)),
            "by_program": breakdown(_programs(db, "employed_at", period, scope, zone)),
        },
        "by_place": sorted(
            ({"code": code, "name": where_[code]["name"] if code in where_ else "",
              "channel": channel(code or None, where_),
              "registered": registered_at_place.get(code, 0), "hired": hired_at_place.get(code, 0),
              "rate": share(hired_at_place.get(code, 0), registered_at_place.get(code, 0))}
             for code in set(registered_at_place) | set(hired_at_place)),
            key=lambda r: (-r["hired"], -r["registered"], r["code"])),
        "job_bus": {"runs": runs, "hired": bus_hired, "per_run": ratio(bus_hired, runs, 1)},
        "unhired_occupations": unhired_occupations(db, period, scope, zone),
        "registered_by_center": count_by(signed, lambda r: r["center_id"]),
        "hired_by_center": count_by(hired, lambda r: r["center_id"]),
    }
