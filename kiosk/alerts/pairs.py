"""Matching new and changed openings to seekers' alert preferences.

alert_keys holds every alert-eligible seeker's wanted (occupation, region, employment type)
combinations with '*' for "any" (kept by triggers in 0005_scheduler.sql), each with a token
for its seeker: the frequency's first letter and the id ('d123'). A batch of openings is
matched by one INSERT ... SELECT that seeks the key index eight times per opening (each
kind: the opening's value or '*', spelled out as eight patterns so both engines seek the
whole key) with the wage as a range, and stores one alert_matches row per opening: its
seekers' tokens, comma-separated. A pair is alerted at most once, ever: an opening matched
again (it changed) keeps only seekers none of its earlier rows holds.

The only module that writes alert_matches, match_batches, match_batch_openings and
match_cursor; what went out, and who may get an alert now, is kiosk.alerts.recipients.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain, compress, filterfalse

from kiosk.alerts import folds, recipients
from kiosk.core.clock import iso
from kiosk.core.db import (
    Connection,
    Row,
    comma_joined,
    in_list,
    list_param,
    streamed_rows,
    transaction,
    tuple_cursor,
    use_cache,
)

CURSOR = "openings"
# Openings are matched once they are this old: a writer that read the clock just before the
# matcher ran may still commit rows stamped a moment earlier than the matcher's cursor.
SETTLE = timedelta(seconds=10)

# The eight (occupation, region, type) patterns a key may have for an opening: its own value
# or '*' for each kind. With `k.occupation IN (o.occupation, '*') AND ...` SQLite seeks the
# eight combinations, but PostgreSQL seeks the occupation alone and filters the rest (20x
# slower at 200,000 seekers); equalities on each pattern's values seek the whole key in both.
_PATTERNS = " UNION ALL ".join(
    f"SELECT {occupation} AS any_occupation, {region} AS any_region, {kind} AS any_type"
    for occupation in (0, 1) for region in (0, 1) for kind in (0, 1))
# Rows stream out in match_batch_openings' key order (GROUP BY needs no sort). `{only}` keeps
# the batch's openings never matched before (_MATCH_NEW, stored whole) or those (_MATCH_AGAIN).
_SELECT = f"""
SELECT b.batch_id, b.opening_id, count(*), {comma_joined('k.tag')}
FROM match_batch_openings b CROSS JOIN openings o CROSS JOIN ({_PATTERNS}) p CROSS JOIN alert_keys k
WHERE b.batch_id = ? AND o.id = b.opening_id {{only}}
    AND k.occupation = CASE WHEN p.any_occupation = 1 THEN '*' ELSE o.occupation END
    AND k.region = CASE WHEN p.any_region = 1 THEN '*' ELSE o.region END
    AND k.employment_type = CASE WHEN p.any_type = 1 THEN '*' ELSE o.employment_type END
    AND k.min_hourly_wage <= o.hourly_wage
GROUP BY b.batch_id, b.opening_id
"""
_INSERT = "INSERT INTO alert_matches (batch_id, opening_id, pairs, seekers)"
_MATCH_NEW = _INSERT + _SELECT.format(only="AND " + in_list("b.opening_id").replace(" IN ", " NOT IN ", 1))
_MATCH_AGAIN = _SELECT.format(only=f"AND {in_list('b.opening_id')}")
_EARLIER = ("SELECT e.opening_id, e.seekers FROM match_batch_openings b CROSS JOIN alert_matches e"
            " WHERE b.batch_id = ? AND e.opening_id = b.opening_id AND e.batch_id < b.batch_id")
_ID = re.compile(r"\d+")
_LETTER = {"instant": "i", "daily": "d", "weekly": "w"}
_LETTERS_OUT = str.maketrans("", "", "".join(_LETTER.values()))  # tokens -> ids as text


def ids_in(tokens: str) -> list[int]:
    """The seeker ids in an alert_matches row's tokens."""
    return list(map(int, _ID.findall(tokens)))


def _token_pattern(frequencies: tuple[str, ...]) -> re.Pattern:
    """Finds the ids of the tokens of these frequencies (matched as)."""
    return re.compile("[" + "".join(_LETTER[f] for f in frequencies) + r"](\d+)")


def use_large_cache(db: Connection, megabytes: int = 64) -> None:
    """A page cache for the matcher and the digests (SQLite's default is 2 MB).

    A batch of 1,000 openings at province scale has ~30 MB of alert_matches, which the
    instant alerts and the digests read back; 64 MB keeps them in memory, and 256 MB was
    measured no faster and cost 200 MB more of the job's peak memory.
    """
    use_cache(db, megabytes)


def is_live(opening: Row, today: str) -> bool:
    """Open and not past its deadline (`today` is the center's local date, ISO)."""
    return opening["status"] == "open" and (opening["deadline"] is None or opening["deadline"] >= today)


@dataclass(frozen=True)
class Batch:
    id: int
    openings: int
    pairs: int


def cursor(db: Connection) -> tuple[str, int]:
    """(updated_at, id) of the last opening the matcher looked at."""
    row = db.execute("SELECT updated_at, opening_id FROM match_cursor WHERE name = ?", (CURSOR,)).fetchone()
    return (row["updated_at"], row["opening_id"]) if row else ("", 0)


def _changed_openings(db: Connection, after: tuple[str, int], until: datetime,
                      limit: int) -> list[Row]:
    at, opening_id = after
    return db.execute(
        "SELECT id, updated_at, status, deadline FROM openings"
        " WHERE updated_at >= ? AND (updated_at > ? OR id > ?) AND updated_at <= ?"
        " ORDER BY updated_at, id LIMIT ?",
        (at, at, opening_id, iso(until), limit),
    ).fetchall()


def match_batch(db: Connection, now: datetime, today: date, limit: int = 1000) -> Batch | None:
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
    if live:
        _match(db, batch_id)
    pairs = db.execute("SELECT coalesce(sum(pairs), 0) FROM alert_matches WHERE batch_id = ?",
                       (batch_id,)).fetchone()[0]
    db.execute("UPDATE match_batches SET pairs = ? WHERE id = ?", (pairs, batch_id))
    return Batch(batch_id, len(live), pairs)


def _match(db: Connection, batch_id: int) -> None:
    """Stores the batch's rows: all an opening matched first; of one matched before (it changed
    since), streamed from a SELECT and compared here, only seekers none of its earlier rows holds."""
    earlier: defaultdict[int, list[str]] = defaultdict(list)
    for opening_id, text in streamed_rows(db, _EARLIER, (batch_id,)):
        earlier[opening_id].append(text)
    again = list_param(sorted(earlier))
    db.execute(_MATCH_NEW, (batch_id, again))
    if earlier:
        found = [(opening_id, _new_seekers(",".join(earlier[opening_id]), tokens))
                 for _batch, opening_id, _pairs, tokens in streamed_rows(db, _MATCH_AGAIN, (batch_id, again))]
        db.executemany(_INSERT + " VALUES (?, ?, ?, ?)",
                       [(batch_id, opening_id, len(new), ",".join(new)) for opening_id, new in found if new])


def _new_seekers(earlier: str, tokens: str) -> list[str]:
    """The tokens whose seeker none of the earlier tokens holds, in their order. Every step over
    millions of tokens runs in C (split, set, filterfalse, map): tokens compare as text, and the
    few not seen are looked up under every letter (a seeker may have changed frequency)."""
    seen = set(earlier.split(","))
    fresh = list(filterfalse(seen.__contains__, tokens.split(",")))
    if not fresh:
        return fresh
    ids = ",".join(fresh).translate(_LETTERS_OUT).split(",")
    known = set(chain.from_iterable(compress(ids, map(seen.__contains__, map(letter.__add__, ids)))
                                    for letter in _LETTER.values()))
    return [token for token, digits in zip(fresh, ids, strict=True) if digits not in known] if known else fresh


def matched_seekers(db: Connection, opening_id: int) -> set[int]:
    """Every seeker ever paired with this opening."""
    found: set[int] = set()
    for (tokens,) in db.execute("SELECT seekers FROM alert_matches WHERE opening_id = ?", (opening_id,)):
        found.update(ids_in(tokens))
    return found


def last_batch(db: Connection) -> int:
    """The newest batch id (0 before the first)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM match_batches").fetchone()[0]


def pending_by_seeker(db: Connection, openings: dict[int, Row], *, first: int, last: int,
                      frequencies: tuple[str, ...], today: str,
                      sent: set[tuple[int, int]] = frozenset()) -> dict[int, list[int]]:
    """Each seeker's pairs of batches first..last with a live opening, matched with one of these
    frequencies and not among the instant alerts `sent` ((seeker, opening)): seeker → opening ids.

    One row per (batch, opening), its tokens read by a regular expression in C: ranking
    happens per seeker, in Python, against an order computed once per center (rank_order).
    """
    pattern = _token_pattern(frequencies)
    cursor = tuple_cursor(db)
    by_digits: defaultdict[str, list[int]] = defaultdict(list)
    for opening_id, tokens in cursor.execute(
            "SELECT opening_id, seekers FROM alert_matches WHERE batch_id BETWEEN ? AND ?", (first, last)):
        opening = openings.get(opening_id)
        if opening is None or not is_live(opening, today):
            continue
        for digits in pattern.findall(tokens):
            by_digits[digits].append(opening_id)  # millions of pairs: the cheapest loop measured
    # Keyed by the id's digits while collecting: one int() per seeker, not per pair.
    found = {int(digits): opening_ids for digits, opening_ids in by_digits.items()}
    for seeker_id, opening_id in sent:
        waiting = found.get(seeker_id)
        if waiting and opening_id in waiting:
            waiting.remove(opening_id)
            if not waiting:
                del found[seeker_id]
    return found


def rank_order(openings: dict[int, Row], center_region: str | None) -> dict[int, int]:
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


def batch_openings(db: Connection, first: int, last: int) -> dict[int, Row]:
    """The openings of batches first..last, by id (what digests and alerts describe)."""
    return {row["id"]: row for row in db.execute(
        "SELECT * FROM openings WHERE id IN"
        " (SELECT opening_id FROM match_batch_openings WHERE batch_id BETWEEN ? AND ?)",
        (first, last))}


def forget_seekers(db: Connection, seeker_ids: Collection[int], *, rows_per_commit: int = 100,
                   guard: Callable[[Connection], None] | None = None) -> int:
    """Takes these (withdrawn) seekers out of every match, sent alert and counter; how many pairs.

    One pass over the stored match rows in key order, every seeker at once (their tokens in a
    set), each `rows_per_commit` rows read and rewritten in a short transaction of its own so
    the web process is never locked out for long. `guard(db)` runs inside each of those
    transactions (the scheduler checks it still holds its lease there) and may raise to stop.
    """
    if not seeker_ids:
        return 0
    ids = sorted(set(map(int, seeker_ids)))
    gone = {letter + str(seeker_id) for seeker_id in ids for letter in _LETTER.values()}
    recipients.forget_seekers(db, ids)
    with transaction(db):
        folds.forget_seekers(db, ids)
    after, forgotten = (0, 0), 0
    while True:
        with transaction(db):
            if guard is not None:
                guard(db)
            rows = db.execute("SELECT batch_id, opening_id, seekers FROM alert_matches"
                              " WHERE (batch_id, opening_id) > (?, ?) ORDER BY batch_id, opening_id LIMIT ?",
                              (*after, rows_per_commit)).fetchall()
            for batch_id, opening_id, tokens in rows:
                parts = tokens.split(",")
                if not gone.isdisjoint(parts):
                    forgotten += _store_kept(db, batch_id, opening_id, [t for t in parts if t not in gone],
                                             len(parts))
        if len(rows) < rows_per_commit:
            return forgotten
        after = (rows[-1][0], rows[-1][1])


def _store_kept(db: Connection, batch_id: int, opening_id: int, kept: list[str], had: int) -> int:
    """Stores a row's remaining tokens (the row goes when none is left); how many went."""
    if not kept:
        db.execute("DELETE FROM alert_matches WHERE batch_id = ? AND opening_id = ?", (batch_id, opening_id))
    else:
        db.execute("UPDATE alert_matches SET seekers = ?, pairs = ? WHERE batch_id = ? AND opening_id = ?",
                   (",".join(kept), len(kept), batch_id, opening_id))
    return had - len(kept)


def prune(db: Connection, closed_before: datetime) -> int:
    """Forgets matches and batches of openings closed long ago (keeps the tables a bounded size),
    and instant alerts the daily digest has accounted for; how many pairs went.
    """
    stamp = iso(closed_before)
    pairs = sum(row[0] for row in db.execute(
        "DELETE FROM alert_matches WHERE opening_id IN"
        " (SELECT id FROM openings WHERE status = 'closed' AND updated_at < ?) RETURNING pairs", (stamp,)))
    recipients.prune(db)
    folds.prune(db, stamp)
    db.execute("DELETE FROM match_batches WHERE matched_at < ?"
               " AND id < (SELECT coalesce(min(last_batch), 0) FROM digest_runs"
               "           WHERE (kind, slot) IN (SELECT kind, max(slot) FROM digest_runs GROUP BY kind))",
               (stamp,))
    return pairs
