"""Consultations (by kind and channel), placement referrals, counselors at work and satisfaction.

Ratios are per REGISTERED seeker of the period (the way centers publish them: 254,240
consultations for 35,939 registered seekers is about 7 each), not per counseled seeker.
Satisfaction: the share answering 4 or 5 of 5, and the 100-point score, (average - 1) / 4 * 100.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.db import Connection
from kiosk.core.regions import CONSULTATION_CHANNELS as CHANNELS
from kiosk.core.regions import CONSULTATION_TOPICS as TOPICS
from kiosk.stats.scope import Period, Scope, on_activity, ratio, share

SATISFIED = 4  # 4 (satisfied) and 5 (very satisfied)


def consultations(db: Connection, period: Period, scope: Scope, zone: str, registered: int) -> dict[str, Any]:
    low, high = period.bounds(zone)
    where, args = on_activity(db, scope)
    counts = {(row[0], row[1]): row[2] for row in db.execute(
        f"SELECT topic, channel, count(*) FROM consultations WHERE at >= ? AND at < ?{where}"
        " GROUP BY topic, channel", (low, high, *args))}
    total = sum(counts.values())

    def part(code: str, n: int) -> dict[str, Any]:
        return {"code": code, "count": n, "share": share(n, total), "per_registered": ratio(n, registered)}

    return {"count": total, "per_registered": ratio(total, registered),
            "by_topic": [part(t, sum(n for (topic, _), n in counts.items() if topic == t)) for t in TOPICS],
            "by_channel": [part(c, sum(n for (_, ch), n in counts.items() if ch == c)) for c in CHANNELS]}


def referrals(db: Connection, period: Period, scope: Scope, zone: str, registered: int) -> dict[str, Any]:
    low, high = period.bounds(zone)
    where, args = on_activity(db, scope)
    total = db.execute(f"SELECT count(*) FROM placements WHERE at >= ? AND at < ?{where}",
                       (low, high, *args)).fetchone()[0]
    return {"count": total, "per_registered": ratio(total, registered)}


def counselors_active(db: Connection, period: Period, scope: Scope, zone: str) -> int:
    """Counselors who recorded a consultation or a referral in the period."""
    low, high = period.bounds(zone)
    where, args = on_activity(db, scope)
    found = set()
    for table in ("consultations", "placements"):
        found.update(row[0] for row in db.execute(
            f"SELECT DISTINCT counselor_id FROM {table} WHERE at >= ? AND at < ?{where}"
            " AND counselor_id IS NOT NULL", (low, high, *args)))
    return len(found)


def satisfaction_sums(db: Connection, period: Period, scope: Scope, zone: str) -> tuple[int, int, int]:
    """(answers, satisfied answers, sum of the scores)."""
    low, high = period.bounds(zone)
    where, args = on_activity(db, scope)
    row = db.execute(
        "SELECT count(*), sum(CASE WHEN score >= ? THEN 1 ELSE 0 END), sum(score) FROM satisfaction_answers"
        f" WHERE answered_at >= ? AND answered_at < ?{where}", (SATISFIED, low, high, *args)).fetchone()
    return row[0], row[1] or 0, row[2] or 0


def satisfaction(answers: int, satisfied: int, total: int) -> dict[str, Any]:
    """The published satisfaction figures from the sums."""
    average = total / answers if answers else None
    return {"answers": answers, "satisfied": satisfied, "satisfied_share": share(satisfied, answers),
            "average": round(average, 2) if average is not None else None,
            "score": round((average - 1) / 4 * 100, 1) if average is not None else None}
