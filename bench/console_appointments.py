"""The console's appointments week view for a center of 25 counselors, through the app.

Usage: python bench/console_appointments.py [--rounds R] [--requests N]
Builds a temporary SQLite database with the demo data, gives the Suwon city center 25
counselors (weekdays 09:00–18:00, 30-minute slots) and fills a realistic week: each counselor
has 8 of the day's 18 slots taken on each weekday (1,000 appointments, a tenth cancelled, the
past ones with outcomes), plus the weeks around it. A staff member of that center is signed
in with the Flask test client, which then asks for the center's week view (every
counselor, 7 days) and one counselor's week view, alternately, round after round. Every
request goes through the whole app (sign-in check, access record written, template).
It prints wall-clock times and the CPU time each request took: on a machine busy with other
work the first include waiting for a core, the second does not.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import reference  # noqa: E402

from kiosk.app import create_app  # noqa: E402
from kiosk.core import db  # noqa: E402
from kiosk.core.clock import FrozenClock  # noqa: E402
from kiosk.counseling import appointments, bookings  # noqa: E402
from kiosk.counseling import hours as counseling  # noqa: E402
from kiosk.demo import loader as demo  # noqa: E402
from kiosk.places import centers  # noqa: E402
from kiosk.seekers import store as seekers  # noqa: E402
from kiosk.staff import accounts  # noqa: E402

NOW = FrozenClock("2026-11-25T03:00:00Z")   # Wednesday 12:00 in Seoul, mid-week
ZONE = "Asia/Seoul"
MONDAY = datetime(2026, 11, 23, 0, 0, tzinfo=UTC) - timedelta(hours=9)   # Monday 00:00 in Seoul
CENTER = "수원시 일자리센터"
COUNSELORS = 25
PASSWORD = "bench console password 1"


def build(path: str) -> tuple[int, int]:
    """The database: (center id, one counselor's id)."""
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, NOW.now(), ZONE, secret="bench")
    center = centers.by_name(conn, CENTER)["id"]
    rng = random.Random(25)
    with db.transaction(conn):
        counseling.set_hours(conn, center, range(5), [("09:00", "18:00")])
        have = len(counseling.counselors(conn, center))
        counseling.add_counselors(conn, [(f"상담사{n:02d}", f"+8210566{n:05d}", center, 1)
                                         for n in range(have, COUNSELORS)], NOW.now())
        staff = [row["id"] for row in counseling.counselors(conn, center)]
        number = 0
        for week in (-1, 0, 1):
            for weekday in range(5):
                day = MONDAY + timedelta(days=7 * week + weekday)
                for counselor in staff:
                    for slot in rng.sample(range(18), 8):
                        number += 1
                        at = day + timedelta(hours=9, minutes=30 * slot)
                        seeker, _ = seekers.register(
                            conn, phone=f"+8210{30000000 + number}", profile={"birth_year": 1960 + number % 40},
                            wanted={}, alerts=False, night=False, kiosk={"code": None, "center_id": center},
                            consent_ids=[], now=NOW.now() - timedelta(days=30))
                        appointment = appointments.insert(
                            conn, kind=rng.choice(("counseling", "follow_up")), center_id=center,
                            counselor_id=counselor, seeker_id=seeker, starts_at=at, slot_start=at,
                            status="booked", booked_via="kiosk", now=NOW.now() - timedelta(days=14))
                        if rng.random() < 0.1:
                            appointments.set_status(conn, appointment, "cancelled", NOW.now())
                        elif at < NOW.now():
                            appointments.record_outcome(conn, appointment, rng.choice(bookings.appointments.OUTCOMES),
                                                        NOW.now())
        accounts.add(conn, "벤치 직원", "bench@jobstop.kr", "staff", NOW.now(), center_id=center, password=PASSWORD)
    conn.close()
    return center, staff[-1]


def signed_in_client(app):
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    answer = client.post("/console/sign-in", data={"csrf_token": token, "email": "bench@jobstop.kr",
                                                   "password": PASSWORD})
    assert answer.status_code == 303, answer.status_code
    return client


def timed(client, path: str, count: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds per request; with `cpu`, the process's CPU seconds per request too
    (what the request costs, whatever else the machine is doing)."""
    samples = []
    for _ in range(count):
        started, spent = time.perf_counter(), time.process_time()
        answer = client.get(path)
        samples.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - spent)
        assert answer.status_code == 200, answer.status_code
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        center, counselor = build(path)
        print(f"built in {time.perf_counter() - started:.1f} s; reference insert {reference():.2f} µs/row")
        app = create_app({"DATABASE": path, "CLOCK": NOW, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                          "TIMEZONE": ZONE})
        app.instance_path = folder
        client = signed_in_client(app)
        views = {"center week": "/console/appointments?day=2026-11-23",
                 "counselor week": f"/console/appointments?day=2026-11-23&counselor={counselor}"}
        page = client.get(views["center week"]).get_data(as_text=True)
        shown = page.count('href="/console/appointments/') - page.count('href="/console/appointments/new') \
            - page.count('href="/console/appointments/waiting')
        print(f"center week view: {len(page) / 1024:.0f} KiB, {shown} appointments listed")
        timed(client, views["center week"], 20)  # warm: templates compiled, statements prepared
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in views}
        cpu: dict[str, list[float]] = {name: [] for name in views}
        for round_number in range(args.rounds):
            for name, view in views.items():
                samples = timed(client, view, args.requests, cpu[name])
                results[name].append((statistics.median(samples) * 1000, p95(samples)))
                print(f"round {round_number + 1} {name}: p50 {results[name][-1][0]:.1f} ms, "
                      f"p95 {results[name][-1][1]:.1f} ms")
        load = " ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"load average {load}; reference insert {reference():.2f} µs/row")
        for name, rounds in results.items():
            print(f"{name}: median of rounds p50 {statistics.median(r[0] for r in rounds):.1f} ms,"
                  f" p95 {statistics.median(r[1] for r in rounds):.1f} ms (target p95 ≤ 50 ms);"
                  f" CPU per request p50 {statistics.median(cpu[name]) * 1000:.1f} ms, p95 {p95(cpu[name]):.1f} ms")


if __name__ == "__main__":
    main()
