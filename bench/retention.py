"""Nightly retention at province scale: forgetting withdrawn seekers' matches.

Usage: python bench/retention.py --database PATH [--withdrawn N]
PATH is a database `bench/matching.py --keep PATH` built (1M seekers, ~4M stored pairs); it is
copied, never changed. N matched seekers (default 1,000) withdraw, then the retention job's
forgetting pass (scheduler.retention.forget_withdrawn) runs as it does at 03:00: one pass over
the stored match rows, short transactions. Prints its time, how many transactions it took and
the longest one (what the web process may wait behind), and the next night's pass.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.alerts import pairs as matching
from kiosk.app import create_app
from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.seekers import store as seekers
from scheduler import retention  # noqa: E402
from sms.outbound import outbox

NOW = "2026-11-23T18:00:00Z"  # Tuesday 03:00 in Seoul, when retention runs


class Stopwatch:
    """A lease guard stand-in that notes when each transaction of the pass begins."""

    def __init__(self) -> None:
        self.starts: list[float] = []

    def __call__(self, _db: object) -> None:
        self.starts.append(time.perf_counter())

    def longest(self, end: float) -> float:
        marks = [*self.starts, end]
        return max((b - a for a, b in zip(marks, marks[1:], strict=False)), default=0.0)


def withdraw(conn, count: int) -> list[int]:
    """`count` random seekers with match keys withdraw now; earlier withdrawals count as done."""
    ids = [row[0] for row in conn.execute("SELECT DISTINCT seeker_id FROM alert_keys ORDER BY seeker_id")]
    gone = sorted(random.Random(5).sample(ids, min(count, len(ids))))
    with db.transaction(conn):
        conn.execute("UPDATE seekers SET forgotten_at = '2026-11-01T00:00:00Z'"
                     " WHERE status = 'withdrawn' AND forgotten_at IS NULL")
        conn.executemany("UPDATE seekers SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?",
                         [(NOW, seeker_id) for seeker_id in gone])
    return gone


def forget(app, conn) -> tuple[dict[str, int], float, Stopwatch]:
    watch = Stopwatch()
    started = time.perf_counter()
    gone = retention.to_forget(conn)
    pairs = matching.forget_seekers(conn, gone, guard=watch)
    deleted = outbox.forget_messages(conn, gone)
    seekers.mark_forgotten(conn, gone, app.extensions["clock"].now())
    seconds = time.perf_counter() - started
    return {"forgotten": len(gone), "pairs": pairs, "messages": deleted}, seconds, watch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database bench/matching.py --keep built")
    parser.add_argument("--withdrawn", type=int, default=1000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="jobstop-bench-")
    path = os.path.join(folder, "retention.sqlite3")
    shutil.copyfile(args.database, path)
    try:
        conn = db.connect(path)
        db.migrate(conn)
        rows = conn.execute("SELECT count(*) FROM alert_matches").fetchone()[0]
        withdraw(conn, args.withdrawn)
        app = create_app({"DATABASE": path, "CLOCK": FrozenClock(NOW), "SECRET_KEY": "bench"})
        for night in ("tonight", "next night"):
            counts, seconds, watch = forget(app, conn)
            print(f"{night}: {counts['forgotten']:,} withdrawn seekers forgotten from {rows:,} stored match rows"
                  f" ({counts['pairs']:,} pairs) in {seconds:.2f} s; {len(watch.starts)} transactions,"
                  f" the longest {watch.longest(time.perf_counter()) * 1000:.0f} ms", flush=True)
        conn.close()
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
