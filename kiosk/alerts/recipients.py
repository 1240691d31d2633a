"""Who may get an alert now, and what they already got.

Each instant alert's (seeker, opening) pair is kept per batch, so the daily digest leaves it
out; each seeker's instant alerts are counted per day against the daily cap. The only module
that writes alert_instant_sent and alert_daily_counts.
"""

from __future__ import annotations

from kiosk.core.db import Connection, in_list, list_param, list_params, list_rows, transaction, tuple_cursor

# The seekers of a list (in its order) who may get alerts now, with what was sent them that day.
_ELIGIBLE = f"""
SELECT s.id, s.phone, s.language, s.night_consent, c.region, coalesce(d.sent, 0), s.digest_time
FROM {list_rows('j')} CROSS JOIN seekers s LEFT JOIN centers c ON c.id = s.center_id
LEFT JOIN alert_daily_counts d ON d.seeker_id = s.id AND d.day = CASE WHEN s.night_consent = 1 THEN ? ELSE ? END
WHERE s.id = j.value AND s.status = 'active' AND s.phone IS NOT NULL AND s.alerts_consent = 1 AND s.alerts_paused = 0
  AND s.alert_frequency IN ({{seekers}})
ORDER BY j.key
"""


def eligible_seekers(db: Connection, seeker_ids: list[int], *, seeker_frequencies: tuple[str, ...],
                     day: str | None = None, held_day: str | None = None) -> list[tuple]:
    """Those of these seekers who may get alerts now, by id, as plain tuples
    (seeker_id, phone, language, night_consent, center_region, sent_today, digest_time); sent_today counts
    instant alerts counted against the day theirs would go out: `day` with night consent,
    else `held_day` (the day quiet hours end, when they are on; 0 without a day).
    """
    query = _ELIGIBLE.format(seekers=", ".join("?" for _ in seeker_frequencies))
    return tuple_cursor(db).execute(query, (list_param(seeker_ids), day, held_day or day,
                                            *seeker_frequencies)).fetchall()


def mark_sent(db: Connection, batch_id: int, pairs: list[tuple[int, int]]) -> None:
    """(seeker_id, opening_id) pairs of a batch that went out as instant alerts."""
    db.executemany("INSERT INTO alert_instant_sent (batch_id, seeker_id, opening_id) VALUES (?, ?, ?)"
                   " ON CONFLICT DO NOTHING", ((batch_id, seeker_id, opening_id) for seeker_id, opening_id in pairs))


def instant_sent(db: Connection, first: int, last: int) -> set[tuple[int, int]]:
    """(seeker_id, opening_id) of the instant alerts sent for batches first..last."""
    rows = db.execute("SELECT seeker_id, opening_id FROM alert_instant_sent WHERE batch_id BETWEEN ? AND ?",
                      (first, last))
    return {(seeker_id, opening_id) for seeker_id, opening_id in rows}


def count_sent_many(db: Connection, counts: list[tuple[int, str, int]]) -> None:
    """Adds (seeker_id, day, sent) to the instant alerts counted against the daily cap."""
    db.executemany("INSERT INTO alert_daily_counts (seeker_id, day, sent) VALUES (?, ?, ?)"
                   " ON CONFLICT (seeker_id, day) DO UPDATE SET sent = alert_daily_counts.sent + excluded.sent", counts)


def forget_seekers(db: Connection, seeker_ids: list[int]) -> None:
    """Takes these (withdrawn) seekers out of the sent alerts and counters, in short transactions."""
    for some in list_params(seeker_ids):
        with transaction(db):
            db.execute(f"DELETE FROM alert_daily_counts WHERE {in_list('seeker_id')}", (some,))
            db.execute(f"DELETE FROM alert_instant_sent WHERE {in_list('seeker_id')}", (some,))


def prune(db: Connection) -> None:
    """Forgets the instant alerts a finished daily digest has accounted for."""
    db.execute("DELETE FROM alert_instant_sent WHERE batch_id <= (SELECT coalesce(max(last_batch), 0)"
               " FROM digest_runs WHERE kind = 'daily' AND finished_at IS NOT NULL)")


def prune_counts(db: Connection, before: str) -> None:
    """Forgets the daily counts of days before `before` (ISO date): the cap only looks at today."""
    db.execute("DELETE FROM alert_daily_counts WHERE day < ?", (before,))


