"""The outcome dashboard at province scale: a year over every center, and one center.

Usage: python bench/stats.py [--scale N] [--keep PATH | --reuse PATH] [--runs N]
Builds the demo with its history multiplied by N (kiosk.demo.history: N = 1 is about 50,000
seekers over two years and two months, each with about 7 consultations, 3 referrals and a
satisfaction answer for 60%), takes the nightly snapshots as the scheduler would, then asks for
/console/stats as a signed-in admin through the Flask test client (the whole request: figures,
six charts, the page) for the last year over every center, and for the Suwon Station booth,
alternately, RUNS times each. Prints the medians, every run, the database's size and the
machine's reference speed (bench/_machine.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from _machine import reference  # noqa: E402

from kiosk.app import create_app  # noqa: E402
from kiosk.core import db  # noqa: E402
from kiosk.core.clock import FrozenClock, parse_iso  # noqa: E402
from kiosk.demo import history  # noqa: E402
from kiosk.demo import loader as demo  # noqa: E402
from kiosk.places import centers  # noqa: E402
from kiosk.staff import accounts  # noqa: E402
from kiosk.stats import snapshots  # noqa: E402
from kiosk.stats.scope import Period  # noqa: E402

NOW = "2026-11-23T01:00:00Z"
ZONE = "Asia/Seoul"
PASSWORD = "bench password 1234"
YEAR = {"from": "2025-11-23", "to": "2026-11-22"}


def build(path: str, scale: float) -> None:
    started = time.perf_counter()
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, parse_iso(NOW), ZONE, openings_count=400, secret="bench")
    people = history.load(conn, parse_iso(NOW), ZONE, scale=scale)
    with db.transaction(conn):
        accounts.add(conn, "bench", "bench@jobstop.kr", "admin", parse_iso(NOW), password=PASSWORD)
    conn.close()
    print(f"built {people:,} seekers with their history in {time.perf_counter() - started:.0f} s")


def signed_in_client(app):
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/console/sign-in", data={"csrf_token": token, "email": "bench@jobstop.kr",
                                                    "password": PASSWORD})
    assert answer.status_code == 303, answer.status_code
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=4.0)
    parser.add_argument("--keep", help="build the database at this path and keep it")
    parser.add_argument("--reuse", help="a database --keep built")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path = args.reuse or args.keep or "/tmp/jobstop-bench-stats.sqlite3"
    if not args.reuse:
        build(path, args.scale)
    conn = db.connect(path)
    if args.reuse:  # the snapshots as this code keeps them, as the nightly job would have taken them
        started = time.perf_counter()
        first = date.fromisoformat(conn.execute("SELECT min(registered_at) FROM seekers").fetchone()[0][:10])
        rows = snapshots.take(conn, Period(first, date(2026, 11, 22)), ZONE, NOW)
        print(f"snapshots: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
              for table in ("seekers", "consultations", "placements", "satisfaction_answers", "stats_snapshots")}
    booth = centers.by_name(conn, "수원역 일자리센터 상담부스")["id"]
    conn.close()
    print("rows:", ", ".join(f"{table} {n:,}" for table, n in counts.items()),
          f"· {os.path.getsize(path) / 2**20:,.0f} MiB")
    app = create_app({"DATABASE": path, "CLOCK": FrozenClock(NOW), "SECRET_KEY": "bench", "TIMEZONE": ZONE,
                      "PUBLIC_URL": "https://jobstop.example.kr", "RATELIMIT_ENABLED": False})
    client = signed_in_client(app)
    times: dict[str, list[float]] = {"every center": [], "one center": []}
    for _ in range(args.runs):
        for name, query in (("every center", YEAR), ("one center", {**YEAR, "center": booth})):
            started = time.perf_counter()
            answer = client.get("/console/stats", query_string=query)
            times[name].append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, answer.status_code
    print(f"reference insert: {reference():.1f} µs/row · load average {os.getloadavg()[0]:.1f}")
    for name, runs in times.items():
        print(f"/console/stats, a year, {name}: median {statistics.median(runs):.0f} ms"
              f" (runs: {', '.join(f'{t:.0f}' for t in runs)})")
    if not (args.keep or args.reuse):
        os.remove(path)


if __name__ == "__main__":
    main()
