"""Consultations (by kind and channel), placement referrals, counselors at work and satisfaction,
from the period's added-up day counts (kiosk/stats/daily.py).

Ratios are per REGISTERED seeker of the period (the way centers publish them: 254,240
consultations for 35,939 registered seekers is about 7 each), not per counseled seeker.
Satisfaction: the share answering 4 or 5 of 5, and the 100-point score, (average - 1) / 4 * 100.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.regions import CONSULTATION_CHANNELS as CHANNELS
from kiosk.core.regions import CONSULTATION_TOPICS as TOPICS
from kiosk.stats.scope import ratio, share

Counts = dict[str, Any]


def consultations(total: Counts, registered: int) -> dict[str, Any]:
    count = total.get("consultations", 0)

    def part(code: str, n: int) -> dict[str, Any]:
        return {"code": code, "count": n, "share": share(n, count), "per_registered": ratio(n, registered)}

    return {"count": count, "per_registered": ratio(count, registered),
            "by_topic": [part(t, sum(total.get(f"consult|{t}|{c}", 0) for c in CHANNELS)) for t in TOPICS],
            "by_channel": [part(c, sum(total.get(f"consult|{t}|{c}", 0) for t in TOPICS)) for c in CHANNELS]}


def referrals(total: Counts, registered: int) -> dict[str, Any]:
    count = total.get("referrals", 0)
    return {"count": count, "per_registered": ratio(count, registered)}


def counselors_active(total: Counts) -> int:
    """Counselors who recorded a consultation or a referral in the period."""
    return len(total.get("counselors", ()))


def satisfaction(answers: int, satisfied: int, score_sum: int) -> dict[str, Any]:
    """The published satisfaction figures from the sums."""
    average = score_sum / answers if answers else None
    return {"answers": answers, "satisfied": satisfied, "satisfied_share": share(satisfied, answers),
            "average": round(average, 2) if average is not None else None,
            "score": round((average - 1) / 4 * 100, 1) if average is not None else None}


def satisfaction_of(total: Counts) -> dict[str, Any]:
    return satisfaction(total.get("answers", 0), total.get("satisfied", 0), total.get("score_sum", 0))
