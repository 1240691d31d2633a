"""Usage events summed per kiosk, screen and day (in the center's zone), and the events purged
after USAGE_EVENTS_KEEP_DAYS: the daily table keeps what the centers report on screens and
searches for as long as they like, without keeping every tap.

A screen view counts under its screen's name (openings, booking, ...); any other event under
its kind (search, filter, counseling_booked, ...). Events without a kiosk count under ''.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

from kiosk.core.db import Connection
from kiosk.stats import usage
from kiosk.stats.scope import Period


def screen_of(kind: str, detail: str) -> str:
    if kind == "screen":
        return str(json.loads(detail or "{}").get("screen") or "screen")
    return kind


def sum_day(db: Connection, day: date, zone: str) -> int:
    """Replaces the day's rows with the sums of its events; how many rows."""
    low, high = Period(day, day).bounds(zone)
    counts: Counter = Counter()
    for kiosk_code, kind, detail in db.execute(
            "SELECT kiosk_code, kind, detail FROM usage_events WHERE at >= ? AND at < ?", (low, high)):
        counts[(kiosk_code or "", screen_of(kind, detail))] += 1
    db.execute("DELETE FROM usage_daily WHERE day = ?", (day.isoformat(),))
    db.executemany("INSERT INTO usage_daily (day, kiosk_code, screen, views) VALUES (?, ?, ?, ?)",
                   [(day.isoformat(), kiosk, screen, n) for (kiosk, screen), n in sorted(counts.items())])
    return len(counts)


def _first_day_to_sum(db: Connection, today: date) -> date:
    """The day after the last one summed; the first time, the oldest event's (a day early: zones)."""
    last = db.execute("SELECT max(day) FROM usage_daily").fetchone()[0]
    if last:
        return date.fromisoformat(last) + timedelta(days=1)
    oldest = db.execute("SELECT min(at) FROM usage_events").fetchone()[0]
    return date.fromisoformat(oldest[:10]) - timedelta(days=1) if oldest else today


def sum_and_purge(db: Connection, today: date, zone: str, *, keep_days: int) -> dict[str, Any]:
    """Sums every whole day not summed yet (up to yesterday), then deletes events older than keep_days.
    Runs in the caller's transaction."""
    day, summed = _first_day_to_sum(db, today), []
    while day < today:
        if sum_day(db, day, zone):
            summed.append(day.isoformat())
        day += timedelta(days=1)
    cutoff = Period(today - timedelta(days=keep_days), today).bounds(zone)[0]
    purged = usage.purge_before(db, cutoff)
    return {"usage_days": summed, "usage_purged": purged}


def views(db: Connection, period: Period, kiosk_code: str | None = None) -> list[dict[str, Any]]:
    """Views per kiosk and screen over the period's summed days, most first."""
    extra, args = (" AND kiosk_code = ?", (kiosk_code,)) if kiosk_code else ("", ())
    return [{"kiosk_code": row[0], "screen": row[1], "views": row[2]} for row in db.execute(
        "SELECT kiosk_code, screen, sum(views) AS n FROM usage_daily WHERE day >= ? AND day <= ?"
        f"{extra} GROUP BY kiosk_code, screen ORDER BY n DESC, kiosk_code, screen",
        (period.start.isoformat(), period.end.isoformat(), *args))]
