"""Registered seekers and hires in a period, by every published breakdown, from the period's
added-up day counts (kiosk/stats/daily.py); the occupations still wanted by those not hired are
read from the seekers themselves (they change with every hire).

Registrations count by the registration day, hires by the day the hire was recorded
(seekers.employed_at, kept when a person is anonymized); both are credited to where the seeker
registered.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kiosk.core.db import Connection, Row
from kiosk.core.regions import AGE_BANDS, OCCUPATIONS
from kiosk.seekers import programs
from kiosk.stats import daily
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
    """[{code, count, share}], largest first; a value not among codes ('') is 'unknown'."""
    merged: Counter = Counter()
    for value, n in counts.items():
        merged[value if codes is None or value in codes else "unknown"] += n
    total = sum(merged.values())
    return [{"code": str(code), "count": n, "share": share(n, total)}
            for code, n in sorted(merged.items(), key=lambda item: (-item[1], str(item[0]))) if n]


def _named(items: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Program items with the name staff gave their program, where it has one."""
    return [{**item, "name": names[item["code"]]} if item["code"] in names else item for item in items]


def _by(counts: daily.Counts, prefix: str, pick) -> Counter:  # noqa: ANN001 - a function of the key's parts
    found: Counter = Counter()
    for parts, n in daily.split(counts, prefix):
        found[pick(parts)] += n
    return found


def unhired_occupations(db: Connection, period: Period, scope: Scope, zone: str) -> list[dict[str, Any]]:
    """The occupations most wanted by seekers registered in the period and not hired (yet)."""
    low, high = period.bounds(zone)
    where, args = on_seekers(db, scope, "s.")
    # From the period's seekers not hired (index seekers_waiting) to their wishes, in that order:
    # not every wish of every seeker ever.
    rows = db.execute(
        "SELECT p.value, count(*) AS n FROM seekers s CROSS JOIN seeker_prefs p WHERE p.seeker_id = s.id"
        " AND p.kind = 'occupation' AND s.employed_at IS NULL AND s.registered_at >= ? AND s.registered_at < ?"
        f"{where} GROUP BY p.value ORDER BY n DESC, p.value LIMIT ?", (low, high, *args, UNHIRED_SHOWN)).fetchall()
    return [{"code": row[0], "count": row[1]} for row in rows]


def _bus(total: daily.Counts, where: dict[str, Row], hired: Counter) -> dict[str, Any]:
    """The job bus: a run is a day a bus kiosk registered someone."""
    runs = sum(n for parts, n in daily.split(total, "run") if channel(parts[0], where) == "bus")
    bus_hired = sum(n for kiosk, n in hired.items() if channel(kiosk, where) == "bus")
    return {"runs": runs, "hired": bus_hired, "per_run": ratio(bus_hired, runs, 1)}


def people(db: Connection, total: daily.Counts, counted_days: int) -> dict[str, Any]:
    """The registered and hired figures (docs/stats.md) from the period's counts."""
    where, center_of, named = places(db), centers_by_id(db), programs.names(db)
    registered_n, hired_n = total.get("registered", 0), total.get("hired", 0)
    signed_at = _by(total, "reg", lambda parts: parts[0])
    hired_at = _by(total, "hire", lambda parts: parts[0])
    hired_regions: Counter = Counter()
    for center_id, row in center_of.items():
        hired_regions[row["region"]] += total.get(f"center|{center_id}|hired", 0)
    return {
        "registered": {
            "count": registered_n,
            "by_age_band": breakdown(_by(total, "reg", lambda parts: parts[1]), AGE_BANDS),
            "by_program": _named(breakdown(_by(total, "reg_program", lambda parts: parts[0])), named),
            "by_channel": breakdown(_by(total, "reg", lambda parts: channel(parts[0] or None, where)), CHANNELS),
        },
        "hired": {
            "count": hired_n,
            "rate": share(hired_n, registered_n),
            "per_day": ratio(hired_n, counted_days, 1),
            "by_occupation": breakdown(_by(total, "hire", lambda parts: parts[2]), OCCUPATIONS),
            "by_age_band": breakdown(_by(total, "hire", lambda parts: parts[1]), AGE_BANDS),
            "by_region": breakdown(hired_regions),
            "by_program": _named(breakdown(_by(total, "hire_program", lambda parts: parts[0])), named),
        },
        "by_place": sorted(
            ({"code": code, "name": where[code]["name"] if code in where else "",
              "channel": channel(code or None, where),
              "registered": signed_at.get(code, 0), "hired": hired_at.get(code, 0),
              "rate": share(hired_at.get(code, 0), signed_at.get(code, 0)),
              "per_day": ratio(hired_at.get(code, 0), counted_days, 1)}
             for code in set(signed_at) | set(hired_at)),
            key=lambda r: (-r["hired"], -r["registered"], r["code"])),
        "job_bus": _bus(total, where, hired_at),
    }
