"""Matching and digests at province scale: 1,000,000 seekers × 1,000 new openings.

Usage: python bench/matching.py [--seekers N] [--openings N] [--keep PATH | --reuse PATH] [--cache-mb N]
                                [--match-only | --rematch-only]

Builds a temporary database, generates seekers with SQL (home city weighted by population,
nearby cities as extra regions, occupations weighted like the centers' placements, typical
consent and frequency choices), posts 1,000 demo openings, then times what the scheduler
does with them: the matcher's INSERT ... SELECT into alert_matches, the instant alerts, and
the daily and weekly digests composed and enqueued; beside them, in the same run, the floor
for composing: a bare loop formatting as many Korean texts and inserting them with a unique
key, the same texts inserted into the outbox table itself, and the pairs read back per seeker
(what the runs read before they compose anything). Then every opening changes (its employer
raises the pay by a tenth) and the same openings are matched again: each seeker an earlier
batch paired with an opening is left out. Prints peak memory (ru_maxrss) and how long Twilio
needs for the resulting messages at 10 and 100 messages a second.
PATH may be a postgresql:// URL of a database to build in (--keep) or reuse: the same run
on PostgreSQL. --postgres SERVER --copy-of PATH copies a kept SQLite database into a new
database on that server first and reuses the copy (the same seekers on both engines).
--match-only stops after the matcher (for alternated engine comparisons); --rematch-only after
matching the changed openings again, without composing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import copied_into_postgres, is_postgres, load, reference

from kiosk.alerts import composer as alerts
from kiosk.alerts import digests
from kiosk.alerts import pairs as matching
from kiosk.core import config, db
from kiosk.core.clock import FrozenClock, iso
from kiosk.core.formatting import local
from kiosk.core.memory import cycle_collector_paused
from kiosk.core.regions import GYEONGGI, SEOUL
from kiosk.demo import loader as demo
from kiosk.openings import store as openings

NOW = FrozenClock("2026-11-23T01:00:00Z").now()  # Monday 10:00 in Seoul
DAYTIME_HOURS = 13  # 08:00–21:00: alerts wait outside it

# Population in ten-thousands (2024, rounded): where seekers live.
GYEONGGI_POPULATION = (119, 92, 46, 55, 79, 28, 58, 9, 63, 107, 8, 19, 73, 23, 51, 26, 16, 33, 108, 50,
                       22, 19, 48, 95, 39, 25, 15, 11, 4, 6, 12)
SEOUL_POPULATION = (14, 12, 21, 28, 34, 33, 38, 42, 29, 31, 50, 46, 30, 37, 45, 56, 39, 23, 40, 38,
                    48, 41, 53, 66, 46)
# Occupation groups sought, after the centers' published placement shares.
OCCUPATION_SHARE = {"office": 25.5, "security": 17.4, "care": 10, "food": 9, "sales": 8, "manufacturing": 8,
                    "culture": 7.1, "driving": 6, "construction": 3.5, "it": 2.5, "health": 2, "education": 0.6,
                    "agriculture": 0.4}
TYPE_SHARE = {"full_time": 45, "part_time": 25, "contract": 20, "daily": 10}


def cumulative(table: str, items: dict[str, float]) -> list[tuple]:
    """(table, code, position, lo, hi): a draw r in [lo, hi) picks code."""
    total, lo, rows = sum(items.values()), 0.0, []
    for position, (code, weight) in enumerate(items.items()):
        hi = lo + weight / total
        rows.append((table, code, position, lo, hi if position < len(items) - 1 else 1.0001))
        lo = hi
    return rows


def draw_tables(conn) -> None:
    conn.execute("CREATE TEMP TABLE draw (name TEXT, code TEXT, position INTEGER, lo REAL, hi REAL)")
    regions = dict(zip(GYEONGGI + SEOUL, GYEONGGI_POPULATION + SEOUL_POPULATION, strict=True))
    for name, items in (("region", regions), ("occupation", OCCUPATION_SHARE), ("type", TYPE_SHARE)):
        conn.executemany("INSERT INTO draw VALUES (?, ?, ?, ?, ?)", cumulative(name, items))
    conn.execute("CREATE INDEX draw_pick ON draw (name, lo)" if POSTGRES else
                 "CREATE INDEX temp.draw_pick ON draw (name, lo)")


# The bench's own SQL where the engines differ: a uniform draw in [0, 1), a padded number.
POSTGRES = False
SQLITE_SQL = {"R": "((abs(random()) % 1000000) / 1000000.0)", "padded": "printf('%08d', i)"}
POSTGRES_SQL = {"R": "random()", "padded": "lpad(i::text, 8, '0')"}
R = SQLITE_SQL["R"]


def use_engine(target: str) -> None:
    """The generator's SQL for the engine at target."""
    global POSTGRES, R
    POSTGRES = is_postgres(target)
    R = (POSTGRES_SQL if POSTGRES else SQLITE_SQL)["R"]


def pick(name: str, r: str) -> str:
    return f"(SELECT code FROM draw WHERE name = '{name}' AND lo <= {r} AND {r} < hi)"


def generate_seekers(conn, count: int) -> None:
    """Seekers and their preferences, written through the real triggers that keep alert_keys."""
    draw_tables(conn)
    with db.transaction(conn):
        conn.execute(f"""
            CREATE TEMP TABLE dice AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            SELECT i, {R} AS home, {R} AS nreg, {R} AS nocc, {R} AS o1, {R} AS o2, {R} AS o3, {R} AS ntype,
                   {R} AS t1, {R} AS t2, {R} AS freq, {R} AS consent, {R} AS wage, {R} AS life, {R} AS lang FROM n""")
        # alerts_consent starts at 0 so each seeker's keys are built once, by the UPDATE below
        conn.execute("""
            INSERT INTO seekers (id, phone, language, alert_frequency, alerts_consent, night_consent,
                                 alerts_paused, min_hourly_wage, status, center_id, registered_at, last_active_at)
            SELECT i, CASE WHEN life < 0.03 THEN NULL ELSE '+8210' || PADDED END,
                   CASE WHEN lang < 0.05 THEN 'en' ELSE 'ko' END,
                   CASE WHEN freq < 0.15 THEN 'instant' WHEN freq < 0.70 THEN 'daily'
                        WHEN freq < 0.92 THEN 'weekly' ELSE 'off' END,
                   0, CASE WHEN consent < 0.08 THEN 1 ELSE 0 END,
                   CASE WHEN life BETWEEN 0.03 AND 0.06 THEN 1 ELSE 0 END,
                   CASE WHEN wage < 0.45 THEN 0 WHEN wage < 0.70 THEN 10320 WHEN wage < 0.85 THEN 11000
                        WHEN wage < 0.95 THEN 12000 ELSE 15000 END,
                   CASE WHEN life < 0.03 THEN 'withdrawn' ELSE 'active' END, 1 + i % 8, ?, ?
            FROM dice""".replace("PADDED", (POSTGRES_SQL if POSTGRES else SQLITE_SQL)["padded"]), (iso(NOW), iso(NOW)))
        regions = GYEONGGI + SEOUL
        conn.execute("CREATE TEMP TABLE home AS SELECT i, position, nreg FROM dice JOIN draw"
                     " ON draw.name = 'region' AND draw.lo <= dice.home AND dice.home < draw.hi")
        # 1 city (55%), 2 (30%), 3 (10%), any (5%): the home city and its neighbours in the list
        for offset, share in ((0, 0.95), (1, 0.40), (-1, 0.10)):
            conn.execute(
                "INSERT INTO seeker_prefs (seeker_id, kind, value) SELECT home.i, 'region', draw.code"
                " FROM home JOIN draw ON draw.name = 'region'"
                f" AND draw.position = (home.position + {offset} + {len(regions)}) % {len(regions)}"
                f" WHERE home.nreg < {share} ON CONFLICT DO NOTHING")
        # 1 occupation group (65%), 2 (27%), 3 (3%), any (5%)
        for column, share in (("o1", 0.95), ("o2", 0.30), ("o3", 0.03)):
            conn.execute("INSERT INTO seeker_prefs (seeker_id, kind, value) SELECT i, 'occupation',"
                         f" {pick('occupation', column)} FROM dice WHERE nocc < {share} ON CONFLICT DO NOTHING")
        # any type (40%), one (45%), two (15%)
        for column, share in (("t1", 0.60), ("t2", 0.15)):
            conn.execute("INSERT INTO seeker_prefs (seeker_id, kind, value) SELECT i, 'employment_type',"
                         f" {pick('type', column)} FROM dice WHERE ntype < {share} ON CONFLICT DO NOTHING")
        conn.execute("UPDATE seekers SET alerts_consent = 1"
                     " WHERE id IN (SELECT i FROM dice WHERE consent < 0.75) AND status = 'active'")
        conn.execute("DROP TABLE dice")
        conn.execute("DROP TABLE home")


def forget_scheduling(conn) -> None:
    """Back to "seekers registered, nothing matched or sent yet" (for --reuse)."""
    with db.transaction(conn):
        for table in ("alert_matches", "alert_instant_sent", "match_batch_openings", "match_batches",
                      "match_cursor", "sms_messages", "digest_runs", "alert_daily_counts", "digest_folds"):
            conn.execute(f"DELETE FROM {table}")
    conn.execute("VACUUM ANALYZE" if POSTGRES else "PRAGMA wal_checkpoint(TRUNCATE)")


CPU: dict[str, float] = {}  # label → the CPU seconds of its last timed() run


def timed(label: str, fn):
    """Runs fn; prints wall time and this process's CPU time (the machine may be shared)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    CPU[label] = cpu_seconds
    print(f"{label:<58} {seconds:8.2f} s  (cpu {cpu_seconds:.2f} s)", flush=True)
    return result, seconds


def bare_text(i: int) -> str:
    """A Korean text about as long as a digest, formatted from a few numbers."""
    return (f"오늘의 새 일자리 {i % 5 + 1}건\n"
            f"J{i % 9000 + 1000} 경비·보안 · 수원시 · 시급 {10030 + i % 2000:,}원\n"
            f"J{i % 7000 + 2000} 사무·회계 · 화성시 · 월 {2_100_000 + i % 300_000:,}원\n"
            f"외 {i % 4}건\n자세히 보기: J{i % 9000 + 1000} 답장 · 그만 받기: 0")


def bare_loop(conn, count: int, *, many: bool = False) -> None:
    """The floor for composing a day's alerts: `count` Korean texts formatted and inserted with
    a unique key, one INSERT each (many: one executemany per 1,000), in transactions of 1,000
    as the digests write the outbox; nothing else."""
    insert = "INSERT INTO bench_bare (dedupe_key, to_number, body) VALUES (?, ?, ?)"
    conn.execute("DROP TABLE IF EXISTS bench_bare")  # an interrupted run's
    conn.execute("CREATE TABLE bench_bare (dedupe_key TEXT PRIMARY KEY, to_number TEXT NOT NULL, body TEXT NOT NULL)")
    for start in range(0, count, 1000):
        with db.transaction(conn):
            if many:
                conn.executemany(insert, [(f"digest:daily:2026-11-23:{i:09d}", f"+8210{i:08d}", bare_text(i))
                                          for i in range(start, min(start + 1000, count))])
                continue
            for i in range(start, min(start + 1000, count)):
                conn.execute(insert, (f"digest:daily:2026-11-23:{i:09d}", f"+8210{i:08d}", bare_text(i)))
    conn.execute("DROP TABLE bench_bare")


def outbox_loop(conn, count: int) -> None:
    """The floor with the outbox's own cost: the same texts as the bare loop, each one INSERT into
    sms_messages itself (its columns, checks, unique key and five indexes), in transactions of
    1,000; taken out again afterwards (not timed)."""
    insert = ("INSERT INTO sms_messages (to_number, body, kind, dedupe_key, status, language, night_ok,"
              " next_attempt_at, segments, encoding, seeker_id, created_at, updated_at)"
              " VALUES (?, ?, 'alert', ?, 'queued', 'ko', 0, ?, 2, 'UCS-2', ?, ?, ?)")
    stamp = iso(NOW)
    for start in range(0, count, 1000):
        with db.transaction(conn):
            for i in range(start, min(start + 1000, count)):
                conn.execute(insert, (f"+8219{i:08d}", bare_text(i), f"bench:daily:2026-11-23:{i:09d}", stamp, i,
                                      stamp, stamp))


def forget_outbox_loop(conn) -> None:
    with db.transaction(conn):
        conn.execute("DELETE FROM sms_messages WHERE dedupe_key LIKE 'bench:%'")


@cycle_collector_paused()
def read_back(conn, batch_id: int, today: str) -> int:
    """What the three runs read alone: the batch's pairs, per seeker, as each run reads them
    (with the cycle collector paused, as they run)."""
    openings = matching.batch_openings(conn, batch_id, batch_id)
    return sum(len(matching.pending_by_seeker(conn, openings, first=batch_id, last=batch_id, frequencies=kinds,
                                              today=today))
               for kinds in (("instant",), ("instant", "daily"), ("weekly",)))


def raise_pay(conn, count: int, at) -> None:
    """Every opening of the run changes: its employer raises the pay by a tenth."""
    today = local(at, config.DEFAULTS["TIMEZONE"]).date()
    rows = [{**row, "wage_amount": row["wage_amount"] * 11 // 10,
             "hourly_wage": row.get("hourly_wage") and row["hourly_wage"] * 11 // 10}
            for row in demo.generate_openings(count, today, seed=7)]
    with db.transaction(conn):
        openings.upsert_many(conn, rows, at)


def rematch(conn, count: int, at) -> None:
    """The same openings matched again after they changed (timed): only seekers new to each."""
    raise_pay(conn, count, at)
    later = at + timedelta(minutes=1)
    today = local(later, config.DEFAULTS["TIMEZONE"]).date()

    def match_again():
        with db.transaction(conn):
            return matching.match_batch(conn, later, today, count)
    batch, _ = timed(f"re-match the {count:,} openings after each changed (once-ever check)", match_again)
    total = conn.execute("SELECT sum(pairs) FROM alert_matches").fetchone()[0]
    print(f"  openings {batch.openings:,}; new pairs {batch.pairs:,}; pairs of both batches {total:,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=1_000_000)
    parser.add_argument("--openings", type=int, default=1000)
    parser.add_argument("--keep", help="build the database at this path and keep it")
    parser.add_argument("--reuse", help="a database --keep built: keep its seekers, redo the rest")
    parser.add_argument("--cache-mb", type=int, default=64, help="page cache of the job connections")
    parser.add_argument("--match-only", action="store_true", help="stop after the matcher")
    parser.add_argument("--rematch-only", action="store_true", help="stop after matching the changed openings")
    parser.add_argument("--postgres", help="a postgresql:// server to copy --copy-of into (then reused)")
    parser.add_argument("--copy-of", help="a SQLite database --keep built")
    args = parser.parse_args()
    if args.postgres and args.copy_of:
        args.reuse, seconds = copied_into_postgres(args.copy_of, args.postgres, f"jobstop_bench_match_{os.getpid()}")
        print(f"copied {args.copy_of} into PostgreSQL in {seconds:.1f} s (kept: {args.reuse})")
    folder = tempfile.mkdtemp(prefix="jobstop-bench-")
    path = args.reuse or args.keep or os.path.join(folder, "matching.sqlite3")
    use_engine(path)
    print(f"machine: {os.cpu_count()} cores, load {load()},"
          f" reference insert {reference():.1f} µs/row (a bare insert: lower means an idler, faster core);"
          f" database: {'PostgreSQL' if POSTGRES else 'SQLite'}", flush=True)
    if args.reuse:
        conn = db.connect(path)
        db.migrate(conn)
        forget_scheduling(conn)
    else:
        db.init_db(path)
        conn = db.connect(path)
        demo.load_places(conn)
    matching.use_large_cache(conn, args.cache_mb)
    # No send rate for the plan: every digest is composed and enqueued, none folded (a day of
    # digests at a send rate is bench/digest_day.py).
    settings = alerts.Settings.from_config({**config.DEFAULTS, "SMS_RATE_PER_SECOND": 0})
    today = local(NOW, settings.zone).date()

    if not args.reuse:
        timed(f"generate {args.seekers:,} seekers (SQL, through the triggers)",
              lambda: generate_seekers(conn, args.seekers))
        if POSTGRES:
            conn.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    eligible = conn.execute("SELECT count(DISTINCT seeker_id) FROM alert_keys").fetchone()[0]
    keys = conn.execute("SELECT count(*) FROM alert_keys").fetchone()[0]
    print(f"  alert-eligible seekers {eligible:,}; match keys {keys:,}")
    with db.transaction(conn):
        openings.upsert_many(conn, demo.generate_openings(args.openings, today, seed=7), NOW)
    now = NOW + timedelta(minutes=1)

    def match_one_batch():
        with db.transaction(conn):
            return matching.match_batch(conn, now, today, args.openings)
    batch, match_seconds = timed(f"match {args.openings:,} openings: INSERT ... SELECT into alert_matches",
                                 match_one_batch)
    matched = len({i for (tokens,) in conn.execute("SELECT seekers FROM alert_matches")
                   for i in matching.ids_in(tokens)})
    print(f"  pairs {batch.pairs:,} for {matched:,} seekers ({batch.pairs / match_seconds:,.0f} pairs/s)")
    if args.match_only or args.rematch_only:
        if args.rematch_only:
            rematch(conn, args.openings, now + timedelta(minutes=1))
        print(f"load afterwards {load()}")
        conn.close()
        return

    def instant():
        with db.transaction(conn):
            return alerts.send_instant(conn, batch.id, now, settings)
    composing = ("instant alerts (cap 3 a day) composed and enqueued", "daily digest composed and enqueued",
                 "weekly digest composed and enqueued")
    sent, instant_seconds = timed(composing[0], instant)
    reader = db.connect(path)
    matching.use_large_cache(reader, 64)  # as the digest job does
    slot = today.isoformat()
    daily, daily_seconds = timed(composing[1],
                                 lambda: digests.run_digest(conn, reader, "daily", slot, now, settings))
    weekly, weekly_seconds = timed(composing[2],
                                   lambda: digests.run_digest(conn, reader, "weekly", slot, now, settings))
    digest_seconds = instant_seconds + daily_seconds + weekly_seconds
    print(f"  messages: instant {sent:,}, daily digests {daily.messages:,}, weekly digests {weekly.messages:,};"
          f" all composed and enqueued in {digest_seconds:.2f} s (cpu {sum(CPU[label] for label in composing):.2f} s)")
    messages = sent + daily.messages + weekly.messages
    bare = f"bare loop: {messages:,} Korean texts formatted, inserted with a unique key"
    many = "  the same, executemany"
    _, bare_seconds = timed(bare, lambda: bare_loop(conn, messages))
    _, many_seconds = timed(many, lambda: bare_loop(conn, messages, many=True))
    into_outbox = "  the same, into the outbox table itself"
    _, outbox_seconds = timed(into_outbox, lambda: outbox_loop(conn, messages))
    forget_outbox_loop(conn)
    reading = "reading the pairs back per seeker, as the three runs do"
    _, read_seconds = timed(reading, lambda: read_back(conn, batch.id, today.isoformat()))
    compose_cpu = sum(CPU[label] for label in composing)
    print(f"  composing and enqueueing / bare loop: wall {digest_seconds / bare_seconds:.2f}, cpu"
          f" {compose_cpu / CPU[bare]:.2f} (/ executemany: wall {digest_seconds / many_seconds:.2f},"
          f" cpu {compose_cpu / CPU[many]:.2f}; / into the outbox: wall {digest_seconds / outbox_seconds:.2f},"
          f" cpu {compose_cpu / CPU[into_outbox]:.2f}); reading the pairs back alone / bare loop: cpu"
          f" {CPU[reading] / CPU[bare]:.2f}", flush=True)
    print(f"reference insert now {reference():.1f} µs/row, load {load()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss) {peak:,.0f} MB")

    total, segments = conn.execute("SELECT count(*), coalesce(sum(segments), 0) FROM sms_messages"
                                   " WHERE status IN ('queued', 'held')").fetchone()
    print(f"the day's messages: {total:,} ({segments:,} segments)")
    for rate in (10, 100):
        print(f"  at {rate:>3} msg/s: {total / rate / 3600:5.2f} h   (per segment: {segments / rate / 3600:5.2f} h)")
    active = conn.execute("SELECT count(*) FROM seekers WHERE status = 'active'").fetchone()[0]
    cap = settings.daily_cap
    instant_seekers = conn.execute("SELECT count(*) FROM seekers WHERE alert_frequency = 'instant'").fetchone()[0]
    worst = active + instant_seekers * cap
    print(f"province-sized day, worst case: every active seeker ({active:,}) one digest + every instant seeker"
          f" {cap} alerts = {worst:,} messages: {worst / 100 / 3600:.2f} h at 100 msg/s"
          f" (window {DAYTIME_HOURS} h: {'fits' if worst / 100 / 3600 <= DAYTIME_HOURS else 'does not fit'})")
    reader.close()
    rematch(conn, args.openings, now + timedelta(minutes=1))
    conn.close()
    if not (args.keep or args.reuse or POSTGRES):
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        os.rmdir(folder)


if __name__ == "__main__":
    main()
