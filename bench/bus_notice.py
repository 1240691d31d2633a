"""The job bus's day-before notice at province scale: 1,000,000 seekers, a run in one city.

Usage: python bench/bus_notice.py [--seekers N] [--region CODE] [--rounds K] [--keep PATH | --reuse PATH]

At 1M seekers a run in 남양주시 (41360, the default) has about 100,000 eligible seekers nearby
(남양주 and its seven neighbours); 화성시 (41590) about 160,000.

Builds a temporary database with bench/matching.py's seekers (home city by population, nearby
cities as extra wishes, typical consent and frequency choices), moves every center to Seoul so
that who is "nearby" comes from the seekers' own wishes, plans a run in the city for tomorrow,
and times what the scheduler's pass does for it (scheduler.bus_notice.notify): choose the
seekers nearby not told this week (one INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING),
read their numbers, compose the texts, enqueue them as alerts and count them in the alert
budget, in one transaction. Each round starts from nothing sent; prints the median.
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

from _machine import reference
from matching import NOW, generate_seekers

from kiosk.core import config, db
from kiosk.core.neighbours import nearby
from kiosk.demo import loader as demo
from kiosk.outreach import runs
from scheduler.bus_notice import notify

TARGET_SECONDS = 5.0
AT_EIGHT = NOW.replace(hour=23)  # Monday 23:00 UTC: Tuesday 08:00 in Seoul


def build(path: str, seekers: int) -> None:
    db.init_db(path)
    conn = db.connect(path)
    with db.transaction(conn):
        demo.load_places(conn)
        conn.execute("UPDATE centers SET region = '11140'")  # nobody lives near the stop by their center
    started = time.perf_counter()
    generate_seekers(conn, seekers)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(f"built {seekers:,} seekers in {time.perf_counter() - started:.0f} s")


def fresh_start(conn, run_id: int) -> None:
    """Nothing told yet: no notices, no queued texts, no counts, the run not marked."""
    with db.transaction(conn):
        conn.execute("DELETE FROM bus_notices")
        conn.execute("DELETE FROM sms_messages WHERE dedupe_key LIKE 'bus:%'")
        conn.execute("DELETE FROM alert_daily_counts")
        conn.execute("UPDATE bus_runs SET noticed_at = NULL WHERE id = ?", (run_id,))


def eligible(conn, region: str) -> int:
    """Alert-eligible seekers who want work in the city or next door (the notice's audience)."""
    codes = nearby(region)
    return conn.execute(f"SELECT count(DISTINCT seeker_id) FROM alert_keys WHERE region IN"
                        f" ({', '.join('?' for _ in codes)})", codes).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=1_000_000)
    parser.add_argument("--region", default="41360", help="the stop's city or county (default 남양주시)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", help="build the database at this path and keep it")
    parser.add_argument("--reuse", help="a database --keep built")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="jobstop-bus-")
    path = args.reuse or args.keep or os.path.join(folder, "bus.sqlite3")
    if not args.reuse:
        build(path, args.seekers)
    conn = db.connect(path)
    with db.transaction(conn):
        conn.execute("DELETE FROM bus_runs")
        run_id = runs.add(conn, runs.Plan(bus="jobbus-1", day=date(2026, 11, 24), starts="10:00", ends="16:00",
                                          place="시청 앞 광장", address="경기도", region=args.region,
                                          center_id=2), NOW)
    run = runs.get(conn, run_id)
    audience = eligible(conn, args.region)
    settings = {**config.DEFAULTS, "PUBLIC_URL": "https://jobstop.example.kr", "TIMEZONE": "Asia/Seoul"}
    times, told = [], 0
    for _ in range(args.rounds):
        fresh_start(conn, run_id)
        started = time.perf_counter()
        told = notify(conn, run, AT_EIGHT, settings)
        times.append(time.perf_counter() - started)
    queued = conn.execute("SELECT count(*) FROM sms_messages WHERE dedupe_key LIKE 'bus:%'").fetchone()[0]
    conn.close()
    if not (args.reuse or args.keep):
        os.remove(path)
    print(f"machine reference {reference():.1f} µs/row (idle 3.9–4.8), load average {os.getloadavg()[0]:.1f}")
    print(f"{args.seekers:,} seekers; run in {args.region}: {audience:,} eligible nearby, {told:,} told,"
          f" {queued:,} texts queued")
    median = statistics.median(times)
    print(f"choose + enqueue + count: median {median:.2f} s over {args.rounds} rounds"
          f" ({', '.join(f'{t:.2f}' for t in times)}); target ≤ {TARGET_SECONDS:.0f} s:"
          f" {'met' if median <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
