"""The day-before notice of a run to seekers nearby: who gets it, at most once a week each.

Nearby is the stop's city or county and its neighbours (kiosk.core.neighbours): a seeker who
wants work there (a region wish) or whose center is there. Only seekers who may get alerts
now (alert_keys: consent, not paused, not opted out, alerts not off), and not those whose
alert budget for the day is spent. The primary key of bus_notices (week, seeker) is the
once-a-week rule: a seeker already noticed this week is left out by the constraint, in the
same statement that chooses the others. The only module that writes bus_notices.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, in_list, list_param, tuple_cursor
from kiosk.core.neighbours import nearby
from kiosk.core.regions import OCCUPATIONS

KEEP_WEEKS = 2
_ANY_OCCUPATION = ("*", *OCCUPATIONS)

_CHOOSE = f"""
INSERT INTO bus_notices (week, seeker_id, run_id, sent_at)
SELECT ?, w.seeker_id, ?, ? FROM (
    SELECT k.seeker_id FROM alert_keys k
    WHERE k.occupation IN ({", ".join("?" for _ in _ANY_OCCUPATION)}) AND {in_list("k.region")}
    UNION
    SELECT s.id FROM seekers s
    WHERE {in_list("s.center_id")} AND EXISTS (SELECT 1 FROM alert_keys a WHERE a.seeker_id = s.id)
) w
WHERE NOT EXISTS (SELECT 1 FROM alert_daily_counts d WHERE d.seeker_id = w.seeker_id AND d.day = ? AND d.sent >= ?)
ON CONFLICT (week, seeker_id) DO NOTHING
"""

# Those a pass has just chosen (a run is noticed in one transaction, stamped with its instant).
_CHOSEN = """
SELECT s.id, s.phone, s.language FROM bus_notices n JOIN seekers s ON s.id = n.seeker_id
WHERE n.week = ? AND n.run_id = ? AND n.sent_at = ? ORDER BY n.seeker_id
"""


def week_of(day: date) -> str:
    """The Monday of the day's week (ISO text): the unit of the once-a-week rule."""
    return (day - timedelta(days=day.weekday())).isoformat()


def choose(db: Connection, run: Row, *, today: date, daily_cap: int, now: datetime) -> list[tuple[int, str, str]]:
    """Records this run's notice for every seeker nearby not noticed this week; returns them as
    (seeker_id, phone, language), by id.

    Runs in the caller's transaction, which also enqueues the texts and counts them.
    """
    regions = nearby(run["region"])
    centers = [row[0] for row in db.execute(f"SELECT id FROM centers WHERE {in_list('region')}",
                                            (list_param(regions),))]
    stamp, week = iso(now), week_of(today)
    db.execute(_CHOOSE, (week, run["id"], stamp, *_ANY_OCCUPATION, list_param(regions),
                         list_param(centers), today.isoformat(), daily_cap))
    return tuple_cursor(db).execute(_CHOSEN, (week, run["id"], stamp)).fetchall()


def prune(db: Connection, today: date) -> int:
    """Forgets notices older than two weeks: the rule needs only this week's."""
    before = week_of(today - timedelta(weeks=KEEP_WEEKS))
    return db.execute("DELETE FROM bus_notices WHERE week < ?", (before,)).rowcount
