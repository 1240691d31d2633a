"""Matching new and changed openings to seekers' alert preferences.

alert_keys holds every alert-eligible seeker's wanted (occupation, region, employment type)
combinations with '*' for "any" (kept by triggers in 0005_scheduler.sql). A batch of
openings is matched by one INSERT ... SELECT that probes the key index eight times per
opening (each kind: the opening's value or '*') with the wage as a range, and stores every
pair in alert_pairs, whose primary key makes a pair alerted at most once, ever.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.clock import iso

CURSOR = "openings"
# Openings are matched once they are this old: a writer that read the clock just before the
# matcher ran may still commit rows stamped a moment earlier than the matcher's cursor.
SETTLE = timedelta(seconds=10)

# ORDER BY o.id, k.seeker_id (appending to the primary key instead of inserting across each
# opening's range) was measured at 1M seekers and cost more in its sort than it saved.
_MATCH = """
INSERT INTO alert_pairs (opening_id, seeker_id, batch_id, frequency)
SELECT o.id, k.seeker_id, b.batch_id, k.frequency
FROM match_batch_openings b CROSS JOIN openings o CROSS JOIN alert_keys k
WHERE b.batch_id = ? AND o.id = b.opening_id
    AND k.occupation IN (o.occupation, '*') AND k.region IN (o.region, '*')
    AND k.employment_type IN (o.employment_type, '*') AND k.min_hourly_wage <= o.hourly_wage
ON CONFLICT (opening_id, seeker_id) DO NOTHING
"""


def use_large_cache(db: sqlite3.Connection, megabytes: int = 256) -> None:
    """SQLite only: a page cache big enough for a batch's pairs (the default is 2 MB).

    A batch of 1,000 openings writes ~100 MB of alert_pairs pages; with the default cache
    they spill to the WAL during the transaction and are read back, several times over.
    """
    db.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")


def is_live(opening: sqlite3.Row, today: str) -> bool:
    """Open and not past its deadline (`today` is the center's local date, ISO)."""
    return opening["status"] == "open" and (opening["deadline"] is None or opening["deadline"] >= today)


@dataclass(frozen=True)
class Batch:
    id: int
    openings: int
    pairs: int


def cursor(db: sqlite3.Connection) -> tuple[str, int]:
    """(updated_at, id) of the last opening the matcher looked at."""
    row = db.execute("SELECT updated_at, opening_id FROM match_cursor WHERE name = ?", (CURSOR,)).fetchone()
    return (row["updated_at"], row["opening_id"]) if row else ("", 0)


def _changed_openings(db: sqlite3.Connection, after: tuple[str, int], until: datetime,
                      limit: int) -> list[sqlite3.Row]:
    at, opening_id = after
    return db.execute(
        "SELECT id, updated_at, status, deadline FROM openings"
        " WHERE updated_at >= ? AND (updated_at > ? OR id > ?) AND updated_at <= ?"
        " ORDER BY updated_at, id LIMIT ?",
        (at, at, opening_id, iso(until), limit),
    ).fetchall()


def match_batch(db: sqlite3.Connection, now: datetime, today: date, limit: int = 1000) -> Batch | None:
    """Matches the next batch of new or changed openings; None when there is none.

    Runs in the caller's transaction: the cursor, the batch and its pairs commit together.
    Closed openings and those past their deadline advance the cursor but match no one.
    """
    rows = _changed_openings(db, cursor(db), now - SETTLE, limit)
    if not rows:
        return None
    last = rows[-1]
    db.execute("INSERT INTO match_cursor (name, updated_at, opening_id) VALUES (?, ?, ?)"
               " ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at,"
               " opening_id = excluded.opening_id", (CURSOR, last["updated_at"], last["id"]))
    live = [r["id"] for r in rows if is_live(r, today.isoformat())]
    batch_id = db.execute("INSERT INTO match_batches (matched_at, openings) VALUES (?, ?) RETURNING id",
                          (iso(now), len(live))).fetchone()[0]
    db.executemany("INSERT INTO match_batch_openings (batch_id, opening_id) VALUES (?, ?)",
                   [(batch_id, opening_id) for opening_id in live])
    pairs = db.execute(_MATCH, (batch_id,)).rowcount if live else 0
    db.execute("UPDATE match_batches SET pairs = ? WHERE id = ?", (pairs, batch_id))
    return Batch(batch_id, len(live), pairs)


def last_batch(db: sqlite3.Connection) -> int:
    """The newest batch id (0 before the first)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM match_batches").fetchone()[0]


# One JSON array per opening: json.loads builds the list in C, 25 % faster than a row per pair.
_PENDING = """
SELECT json_group_array(seeker_id) FROM alert_pairs
WHERE opening_id = ? AND batch_id BETWEEN ? AND ? AND state = 'pending' AND frequency IN ({pairs})
"""

_SEEKERS = """
SELECT s.id, s.phone, s.language, s.night_consent, c.region, coalesce(d.sent, 0)
FROM json_each(?) j CROSS JOIN seekers s LEFT JOIN centers c ON c.id = s.center_id
LEFT JOIN alert_daily_counts d ON d.seeker_id = s.id AND d.day = ?
WHERE s.id = j.value AND s.status = 'active' AND s.phone IS NOT NULL AND s.alerts_consent = 1 AND s.alerts_paused = 0
  AND s.alert_frequency IN ({seekers})
ORDER BY j.key
"""


def pending_by_seeker(db: sqlite3.Connection, openings: dict[int, sqlite3.Row], *, first: int, last: int,
                      pair_frequencies: tuple[str, ...], today: str) -> dict[int, list[int]]:
    """Each seeker's pending pairs of batches first..last with a live opening: seeker → opening ids.

    One primary-key range scan per opening, no sort: ranking happens per seeker, in Python,
    against an order computed once per center (see rank_order).
    """
    query = _PENDING.format(pairs=", ".join("?" for _ in pair_frequencies))
    cursor = db.cursor()
    cursor.row_factory = None
    found: defaultdict[int, list[int]] = defaultdict(list)
    for opening_id, opening in openings.items():
        if not is_live(opening, today):
            continue
        seeker_ids = json.loads(cursor.execute(query, (opening_id, first, last, *pair_frequencies)).fetchone()[0])
        for seeker_id in seeker_ids:
            found[seeker_id].append(opening_id)  # millions of pairs: the cheapest loop measured
    return dict(found)


def rank_order(openings: dict[int, sqlite3.Row], center_region: str | None) -> dict[int, int]:
    """Opening id → its place for a seeker of a center in this region, best first.

    The seeker's own city, then the same province, then higher pay, newer posting, newer id.
    """
    def fit(region: str) -> int:
        if center_region is None:
            return 2
        return 0 if region == center_region else 1 if region[:2] == center_region[:2] else 2
    ordered = sorted(openings.values(), key=lambda o: (o["hourly_wage"], o["posted_on"], o["id"]), reverse=True)
    ordered.sort(key=lambda o: fit(o["region"]))  # stable: pay and recency stay in order within a fit
    return {o["id"]: place for place, o in enumerate(ordered)}


def eligible_seekers(db: sqlite3.Connection, seeker_ids: list[int], *, seeker_frequencies: tuple[str, ...],
                     day: str | None = None) -> list[tuple]:
    """Those of these seekers who may get alerts now, by id, as plain tuples
    (seeker_id, phone, language, night_consent, center_region, sent_today); sent_today counts
    instant alerts already sent on `day` (0 without one).
    """
    cursor = db.cursor()
    cursor.row_factory = None
    query = _SEEKERS.format(seekers=", ".join("?" for _ in seeker_frequencies))
    return cursor.execute(query, ("[" + ",".join(map(str, seeker_ids)) + "]", day, *seeker_frequencies)).fetchall()


def batch_openings(db: sqlite3.Connection, first: int, last: int) -> dict[int, sqlite3.Row]:
    """The openings of batches first..last, by id (what digests and alerts describe)."""
    return {row["id"]: row for row in db.execute(
        "SELECT * FROM openings WHERE id IN"
        " (SELECT opening_id FROM match_batch_openings WHERE batch_id BETWEEN ? AND ?)",
        (first, last))}


def mark_sent(db: sqlite3.Connection, pairs: list[tuple[int, int]]) -> None:
    """(opening_id, seeker_id) pairs that went out as instant alerts."""
    db.executemany("UPDATE alert_pairs SET state = 'sent' WHERE opening_id = ? AND seeker_id = ?", pairs)


def count_sent_many(db: sqlite3.Connection, counts: list[tuple[int, str, int]]) -> None:
    """Adds (seeker_id, day, sent) to the instant alerts counted against the daily cap."""
    db.executemany("INSERT INTO alert_daily_counts (seeker_id, day, sent) VALUES (?, ?, ?)"
                   " ON CONFLICT (seeker_id, day) DO UPDATE SET sent = sent + excluded.sent", counts)


def forget_seekers(db: sqlite3.Connection, seeker_ids: list[int]) -> int:
    """Deletes the pairs and counters of these (withdrawn) seekers; how many pairs."""
    if not seeker_ids:
        return 0
    marks = ", ".join("?" for _ in seeker_ids)
    db.execute(f"DELETE FROM alert_daily_counts WHERE seeker_id IN ({marks})", seeker_ids)
    return db.execute(f"DELETE FROM alert_pairs WHERE seeker_id IN ({marks})", seeker_ids).rowcount


def prune(db: sqlite3.Connection, closed_before: datetime) -> int:
    """Forgets pairs and batches of openings closed long ago (keeps the table a bounded size)."""
    stamp = iso(closed_before)
    pairs = db.execute(
        "DELETE FROM alert_pairs WHERE opening_id IN"
        " (SELECT id FROM openings WHERE status = 'closed' AND updated_at < ?)", (stamp,)).rowcount
    db.execute("DELETE FROM match_batches WHERE matched_at < ?"
               " AND id < (SELECT coalesce(min(last_batch), 0) FROM digest_runs"
               "           WHERE (kind, slot) IN (SELECT kind, max(slot) FROM digest_runs GROUP BY kind))",
               (stamp,))
    return pairs
