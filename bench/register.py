"""Registration and my page: how long the pieces a kiosk visitor waits for take.

- "my page" matching query (seekers.matching_openings) over many openings, seekers with
  one to three wishes per kind;
- a phone code issued (limits checked, hashed, outbox row) and checked;
- a whole registration through the Flask test client (phone, code, 3 consents, 9 questions,
  review, confirm: 17 requests with their redirects followed).

Usage: python bench/register.py [--openings 50000] [--seekers 300]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.app import create_app
from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS
from kiosk.demo import loader as demo
from kiosk.seekers import store as seekers
from kiosk.seekers import verification

START = "2026-11-23T01:00:00Z"
ZONE = "Asia/Seoul"


def build(path: str, openings: int) -> FrozenClock:
    clock = FrozenClock(START)
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, clock.now(), ZONE, openings_count=openings, secret="bench-secret")
    conn.close()
    return clock


def bench_matching(conn, clock, count: int) -> None:
    rng = random.Random(7)
    ids = []
    for n in range(count):
        wanted = {"occupation": rng.sample(OCCUPATIONS, rng.randint(1, 3)),
                  "region": rng.sample(REGIONS, rng.randint(1, 3)),
                  "employment_type": rng.sample(EMPLOYMENT_TYPES, rng.randint(0, 2))}
        seeker_id, _ = seekers.register(
            conn, phone=f"+8210{20000000 + n}", profile={"birth_year": 1960 + n % 40,
                                                         "min_hourly_wage": rng.choice([0, 10320, 12000])},
            wanted=wanted, alerts=True, night=False, kiosk={"code": "suwon-station", "center_id": 1},
            consent_ids=[], now=clock.now())
        ids.append(seeker_id)
    times = []
    for seeker_id in ids:
        began = time.perf_counter()
        seekers.matching_openings(conn, seeker_id, "2026-11-23")
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    print(f"my page matches (10 newest): p50 {statistics.median(times):.2f} ms,"
          f" p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms over {len(times)} seekers")


def bench_codes(conn, clock, count: int) -> None:
    began = time.perf_counter()
    for n in range(count):
        phone = f"+8210{30000000 + n}"
        code_id = verification.issue(conn, phone=phone, purpose="login", kiosk_code="bench",
                                     now=clock.now(), secret="bench", per_kiosk=10**9)
        verification.check(conn, code_id, "000000", clock.now(), "bench")
    elapsed = time.perf_counter() - began
    print(f"code issued and checked: {elapsed / count * 1000:.2f} ms each ({count} codes)")


def register_one(client, conn, number: str, answers: list[tuple[str, str]]) -> None:  # noqa: ANN001
    page = client.get("/k/suwon-station/register")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def post(url: str, **data: str):  # noqa: ANN202
        return client.post(f"/k/suwon-station{url}", data={"csrf_token": token, **data},
                           follow_redirects=True)

    post("/register")
    post("/verify/phone", phone=number)
    body = conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp' ORDER BY id DESC").fetchone()[0]
    post("/verify/code", code=re.search(r"\d{6}", body).group(0))
    for kind in ("personal_data", "sms_alerts", "night_alerts"):
        post(f"/register/consent/{kind}", answer="yes")
    for name, value in answers:
        post(f"/register/step/{name}", value=value)
    assert post("/register/confirm").status_code == 200


def bench_flow(path: str, clock, count: int) -> None:
    app = create_app({"TESTING": True, "DATABASE": path, "CLOCK": clock, "SECRET_KEY": "bench"})
    answers = [("name", "김영희"), ("birth_year", "1968"), ("occupation", "care"), ("region", "41110"),
               ("employment_type", "part_time"), ("min_wage", "10320"), ("program", "senior"),
               ("language", "ko"), ("frequency", "daily")]
    conn = db.connect(path)
    began = time.perf_counter()
    for n in range(count):
        register_one(app.test_client(), conn, f"0104000{n:04d}", answers)
    elapsed = time.perf_counter() - began
    print(f"whole registration, test client, redirects followed: {elapsed / count * 1000:.0f} ms"
          f" per person ({count} people)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--openings", type=int, default=50_000)
    parser.add_argument("--seekers", type=int, default=300)
    args = parser.parse_args()
    print(f"machine: nproc={os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.sqlite3")
        began = time.perf_counter()
        clock = build(path, args.openings)
        print(f"database with {args.openings} openings built in {time.perf_counter() - began:.1f} s")
        conn = db.connect(path)
        bench_matching(conn, clock, args.seekers)
        bench_codes(conn, clock, 500)
        conn.close()
        bench_flow(path, clock, 30)


if __name__ == "__main__":
    main()
