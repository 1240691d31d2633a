"""Counseling: free slots, kiosk bookings under contention, counselor commands, outcome statistics.

Usage: python bench/counseling.py [--seekers N] [--repeat R]
Builds a temporary database with the demo places, counselors and hours, then times:
- the kiosk's 14-day free-slot list for the Suwon Station booth with half its places booked;
- kiosk bookings from 4 threads (own connections) racing for the booth's slots;
- a counselor's BOOK and CANCEL texts through the reply chain (no HTTP, no Twilio);
- stats.summary for a year over N seekers (a fifth of them hired) and their appointments.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.core import db
from kiosk.core.clock import FrozenClock, iso
from kiosk.counseling import bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError
from kiosk.counseling.texts import settings_from
from kiosk.demo import loader as demo
from kiosk.stats import figures as stats
from sms.inbound import replies
from sms.outbound.inbox import InboundMessage

NOW = FrozenClock("2026-11-23T01:00:00Z").now()
ZONE = "Asia/Seoul"
SETTINGS = settings_from({"TIMEZONE": ZONE})
CONFIG = {"TIMEZONE": ZONE, "DEFAULT_LANGUAGE": "ko", "SECRET_KEY": "bench"}
BOOTH = 1


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms (n={len(ordered)})"


def seekers_rows(conn, count: int) -> list[int]:
    """count seekers over the past year, a fifth of them hired (bulk SQL: setup, not measured)."""
    rng = random.Random(7)
    rows = []
    for n in range(count):
        registered = NOW - timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1439))
        hired = iso(registered + timedelta(days=rng.randint(1, 60))) if rng.random() < 0.2 else None
        rows.append((f"+8210{20000000 + n}", rng.choice(("29", "30_39", "40_54", "55")),
                     rng.choice(("suwon-station", "suwon-center", "seongnam-moran", "jobbus-1")),
                     rng.randint(1, 8), iso(registered), iso(registered), hired,
                     rng.choice(("security", "office", "care", "food")) if hired else None))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO seekers (phone, age_band, kiosk_code, center_id, registered_at, last_active_at, employed_at,"
        " employed_occupation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    ids = [row[0] for row in conn.execute("SELECT id FROM seekers")]
    visits = [(rng.choice(("counseling", "follow_up")), rng.randint(1, 8), seeker,
               iso(NOW - timedelta(days=rng.randint(0, 364))), "attended", iso(NOW), iso(NOW))
              for seeker in ids for _ in range(rng.randint(0, 6))]
    conn.executemany("INSERT INTO appointments (kind, center_id, seeker_id, starts_at, status, booked_via,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'kiosk', ?, ?)", visits)
    conn.execute("COMMIT")
    return ids


def fill_half(conn, ids: list[int]) -> None:
    slots = counseling.free_slots(conn, BOOTH, first_day=date(2026, 11, 23), days=14, now=NOW, zone=ZONE)
    seekers = iter(ids)
    for slot in slots:
        for _ in range(slot.free // 2):
            bookings.book_at_kiosk(conn, seeker_id=next(seekers), center_id=BOOTH, slot_start=slot.start,
                                   kiosk_code="suwon-station", now=NOW, settings=SETTINGS)


def bench_free_slots(conn, repeat: int) -> str:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        counseling.free_slots(conn, BOOTH, first_day=date(2026, 11, 23), days=14, now=NOW, zone=ZONE)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def bench_contention(path: str, ids: list[int]) -> str:
    conn = db.connect(path)
    slots = counseling.free_slots(conn, BOOTH, first_day=date(2026, 11, 23), days=14, now=NOW, zone=ZONE)
    conn.close()
    pending = [s.start for s in slots for _ in range(s.free + 1)]  # one more try than places per slot
    random.Random(3).shuffle(pending)
    people = iter(ids[-len(pending):])
    lock, outcome = threading.Lock(), {"booked": 0, "refused": 0}

    def kiosk() -> None:
        own = db.connect(path)
        while True:
            with lock:
                if not pending:
                    break
                slot, person = pending.pop(), next(people)
            try:
                bookings.book_at_kiosk(own, seeker_id=person, center_id=BOOTH, slot_start=slot,
                                       kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
                key = "booked"
            except BookingError:
                key = "refused"
            with lock:
                outcome[key] += 1
        own.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=kiosk) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = outcome["booked"] + outcome["refused"]
    return (f"{total} attempts in {elapsed:.2f} s = {total / elapsed:.0f}/s; booked {outcome['booked']},"
            f" told taken {outcome['refused']}")


def bench_commands(conn, repeat: int) -> str:
    counselor = counseling.counselors(conn, BOOTH)[0]
    phone = conn.execute("SELECT phone FROM seekers LIMIT 1").fetchone()[0]
    local = "010-" + phone[5:9] + "-" + phone[9:]
    samples = []
    for n in range(repeat):
        for body in (f"예약 {local} 12/{1 + n % 5:02d} {9 + n % 5}:00", None):
            if body is None:
                appointment = conn.execute("SELECT max(id) FROM appointments").fetchone()[0]
                body = f"취소 {appointment}"
            message = InboundMessage(n, f"SM{n}", counselor["phone"], body, NOW)
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            replies.route(conn, message, NOW, CONFIG)
            conn.execute("COMMIT")
            samples.append(time.perf_counter() - started)
    return percentiles(samples)


def bench_stats(conn, repeat: int) -> str:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        stats.summary(conn, start=date(2025, 11, 24), end=date(2026, 11, 23), center_id=None, zone=ZONE)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.sqlite3")
        db.init_db(path)
        conn = db.connect(path)
        demo.load(conn, NOW, ZONE, openings_count=200, secret="bench-secret")
        ids = seekers_rows(conn, args.seekers)
        appointments = conn.execute("SELECT count(*) FROM appointments").fetchone()[0]
        print(f"data: {args.seekers:,} seekers, {appointments:,} past appointments")
        fill_half(conn, ids)
        print(f"free slots, booth, 14 days, half booked: {bench_free_slots(conn, args.repeat)}")
        print(f"kiosk bookings, 4 threads racing for every place: {bench_contention(path, ids)}")
        print(f"counselor BOOK/CANCEL through the reply chain: {bench_commands(conn, args.repeat)}")
        print(f"stats.summary, one year, all centers: {bench_stats(conn, max(3, args.repeat // 10))}")
        conn.close()


if __name__ == "__main__":
    main()
