"""Search and list queries on 100,000 openings: p50/p99 per query, as the kiosk runs them.

Usage: python bench/kiosk_search.py [--openings N] [--repeat R] [--database PATH_OR_URL]
Builds a temporary database with the demo generator (through openings.upsert_many, which
keeps the bigram index), then times what one kiosk list request asks the database: the
total count and one page of 20, the kiosk's own region first.
--database postgresql://host/db: a PostgreSQL database (built there when it has no
openings yet; PostgreSQL's ANALYZE is run after the build, as autovacuum would soon do).
--postgres SERVER --copy-of PATH: a new database on that PostgreSQL server with the rows of
the SQLite database at PATH (a kept --database), so both engines answer over the same openings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import copied_into_postgres, drop_postgres, is_postgres, load, reference

from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.core.formatting import local
from kiosk.demo import loader as demo
from kiosk.openings import store as openings

NOW = FrozenClock("2026-11-23T01:00:00Z").now()
HOME = "41110"  # the Suwon Station kiosk's region
TERMS = {
    "frequent 2-char": "경비",
    "rare 5-char": "해오름정밀",
    "no hit": "우주비행사",
}


def build(path: str, count: int) -> float:
    """Migrated database with count demo openings; returns seconds taken."""
    started = time.perf_counter()
    db.init_db(path)
    conn = db.connect(path)
    if not is_postgres(path):
        conn.execute("PRAGMA cache_size = -400000")  # 400 MB for the build: the index is written in gram order
    with db.transaction(conn):
        demo.load_places(conn)
        openings.upsert_many(conn, demo.generate_openings(count, today()), NOW)
    conn.execute("ANALYZE" if is_postgres(path) else "PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - started


def today() -> date:
    return local(NOW, "Asia/Seoul").date()


def one_request(conn, filters: openings.Filters) -> int:
    """The database work of one list or search screen: total, and the first page."""
    total, _rows = openings.find_open(conn, filters, today(), limit=20, home_region=HOME)
    return total


class Counting:
    """A connection that counts the statements run through it (on PostgreSQL each is a round trip)."""

    def __init__(self, conn) -> None:
        self.conn, self.statements = conn, 0

    def execute(self, sql: str, params=()):
        self.statements += 1
        return self.conn.execute(sql, params)

    def __getattr__(self, name: str):
        return getattr(self.conn, name)


def server_cpu(conn) -> float:
    """Seconds of CPU the PostgreSQL backend serving conn has used (0 on SQLite: in this process)."""
    if not is_postgres(conn.url):
        return 0.0
    fields = Path(f"/proc/{conn.backend}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(conn, filters: openings.Filters, repeat: int) -> tuple[float, float, int, float, int]:
    """p50 and p99 ms, matches, CPU ms a request (this process and the database server's) and statements."""
    total = one_request(conn, filters)  # warm the page cache as a running server would be
    samples = []
    conn.statements = 0
    cpu = time.process_time() + server_cpu(conn)
    for _ in range(repeat):
        started = time.perf_counter()
        one_request(conn, filters)
        samples.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() + server_cpu(conn) - cpu) / repeat * 1000
    samples.sort()
    return (statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))], total,
            cpu, conn.statements // repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--database", help="keep the built database here (reused when it exists)")
    parser.add_argument("--postgres", help="a postgresql:// server to copy --copy-of into")
    parser.add_argument("--copy-of", help="the SQLite database to copy into --postgres")
    args = parser.parse_args()
    copy = None
    if args.postgres and args.copy_of:
        copy = f"jobstop_bench_search_{os.getpid()}"
        args.database, seconds = copied_into_postgres(args.copy_of, args.postgres, copy)
        print(f"copied {args.copy_of} into PostgreSQL in {seconds:.1f} s")
    try:
        run(args)
    finally:
        if copy:
            db.close_pools()
            drop_postgres(args.postgres, copy)


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = args.database or os.path.join(folder, "bench.sqlite3")
        print(f"machine: {os.cpu_count()} cores, load {load()}, reference insert {reference():.1f} µs/row;"
              f" database: {'PostgreSQL' if is_postgres(path) else 'SQLite'}", flush=True)
        if not built(path):
            seconds = build(path, args.openings)
            print(f"built {args.openings:,} openings in {seconds:.1f} s ({size_mb(path):.0f} MB database)")
        conn = Counting(db.connect(path))
        conn.url = path
        if is_postgres(path):
            conn.backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        cases = [("list (kiosk home region first)", openings.Filters()),
                 ("list, closing soon", openings.Filters(sort="closing")),
                 ("list, occupation + minimum wage", openings.Filters(occupation="care",
                                                                      min_wage=12_000))]
        for label, term in TERMS.items():
            cases.append((f"search {label} '{term}'", openings.Filters(q=term)))
            cases.append((f"search {label} '{term}' + region", openings.Filters(q=term, region=HOME)))
        print(f"{'query':<48} {'p50 ms':>8} {'p99 ms':>8} {'matches':>8} {'CPU ms':>7} {'stmts':>5}")
        worst = [0.0, 0.0]
        for label, filters in cases:
            p50, p99, total, cpu, statements = timed(conn, filters, args.repeat)
            print(f"{label:<48} {p50:8.2f} {p99:8.2f} {total:8,} {cpu:7.2f} {statements:5}")
            worst = [max(worst[0], p50), max(worst[1], p99)]
        print(f"worst p50 {worst[0]:.2f} ms, worst p99 {worst[1]:.2f} ms")
        trip = sorted(round_trip(conn.conn) for _ in range(args.repeat))
        print(f"one SELECT 1 (the floor of any statement here): p50 {statistics.median(trip):.3f} ms,"
              f" p99 {trip[min(len(trip) - 1, int(len(trip) * 0.99))]:.3f} ms")
        conn.conn.close()
        print(f"load afterwards {load()}")


def round_trip(conn) -> float:
    """ms for the smallest statement: on PostgreSQL a round trip to the server and back."""
    started = time.perf_counter()
    conn.execute("SELECT 1").fetchone()
    return (time.perf_counter() - started) * 1000


def built(path: str) -> bool:
    """The database at path already holds the openings (a kept one, reused)."""
    if not is_postgres(path):
        return os.path.exists(path)
    conn = db.connect(path)
    try:
        return conn.execute("SELECT to_regclass('openings') IS NOT NULL").fetchone()[0] and \
            conn.execute("SELECT EXISTS (SELECT 1 FROM openings)").fetchone()[0]
    finally:
        conn.close()


def size_mb(path: str) -> float:
    if not is_postgres(path):
        return os.path.getsize(path) / 1e6
    conn = db.connect(path)
    try:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1e6
    finally:
        conn.close()


if __name__ == "__main__":
    main()
