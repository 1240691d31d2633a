"""A day of digests at a given send rate, on a simulated clock.

On the matching bench's seekers (`bench/matching.py --keep PATH` builds them; 1M by default),
with each seeker's chosen time drawn (morning 50 %, midday 20 %, evening 30 %): Sunday 10:00,
1,000 new openings are matched (their instant alerts went out on Sunday); Monday 08:59 the
plan is forecast (what `jobstop scheduler --list` shows); Monday 09:00 the weekly and daily
digests are composed and planned (the real job's code); then the dispatcher's passes are
simulated through the day at the rate: a pass every DISPATCH_EVERY_SECONDS claiming chunks
of about two seconds of work (codes, then reminders, then alerts: the real claim_due on the
real outbox), each message taking 1/rate seconds, up to DISPATCH_LIMIT a pass. A login code
is queued every 20 s and a reminder every 5 min all day; each one's wait is measured, and
how much of it was spent sending digests.

Usage: python bench/digest_day.py --database PATH [--rates 100,10]
"""

from __future__ import annotations

import argparse
import bisect
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path[1:1] = [str(Path(__file__).resolve().parent)]

import matching as bench_matching  # noqa: E402  (bench/matching.py: the seekers and openings)
from _machine import reference  # noqa: E402

from kiosk.alerts import composer as alerts
from kiosk.alerts import digests, schedule
from kiosk.alerts import pairs as matching
from kiosk.core import config, db
from kiosk.core.clock import FrozenClock, parse_iso
from kiosk.core.formatting import local
from kiosk.demo import loader as demo
from kiosk.openings import store as openings
from sms.outbound import outbox

# The week after the matching bench's Monday (its openings are stamped then).
SUNDAY = FrozenClock("2026-11-29T01:00:00Z").now()  # Sunday 10:00 in Seoul
MONDAY = FrozenClock("2026-11-30T00:00:00Z").now()  # Monday 09:00: the digest job
QUIET_START = FrozenClock("2026-11-30T12:00:00Z").now()  # Monday 21:00
# Not in step with the dispatcher's 5-second ticks: each one lands somewhere in a tick.
CODE_EVERY, REMINDER_EVERY = timedelta(seconds=17.3), timedelta(seconds=293.7)
NEXT_MORNING = FrozenClock("2026-11-30T23:00:00Z").now()  # Tuesday 08:00


def choose_times(conn) -> None:
    """Each seeker's digest time, drawn once (the same for every rate)."""
    with db.transaction(conn):
        conn.execute("UPDATE seekers SET digest_time = CASE WHEN id % 10 < 5 THEN 'morning'"
                     " WHEN id % 10 < 7 THEN 'midday' ELSE 'evening' END")


def sunday(conn) -> None:
    """Sunday's new openings matched; their instant alerts went out on Sunday."""
    bench_matching.forget_scheduling(conn)
    today = local(SUNDAY, "Asia/Seoul").date()
    with db.transaction(conn):
        openings.upsert_many(conn, demo.generate_openings(1000, today, seed=7), SUNDAY)
    with db.transaction(conn):
        batch = matching.match_batch(conn, SUNDAY + timedelta(minutes=1), today, 1000)
    print(f"  Sunday: {batch.pairs:,} pairs matched")


def fresh_day(conn) -> None:
    """Monday before its digests (the same matches for each rate)."""
    with db.transaction(conn):
        for table in ("sms_messages", "digest_runs", "digest_folds"):
            conn.execute(f"DELETE FROM {table}")


def plan_and_compose(conn, reader, settings) -> tuple[int, int, schedule.Plan]:
    """(forecast shortfall at 08:59, folded at 09:00, the day's plan)."""
    started = time.perf_counter()
    forecast = None
    for kind in ("weekly", "daily"):
        forecast = digests.forecast(reader, kind, MONDAY, settings, forecast)
    print(f"  08:59 forecast ({time.perf_counter() - started:.1f} s):"
          f" {schedule.describe(forecast.report(), 'Asia/Seoul')}")
    started, day_plan, folded = time.perf_counter(), None, 0
    for kind in ("weekly", "daily"):
        result = digests.run_digest(conn, reader, kind, MONDAY.date().isoformat(), MONDAY, settings,
                                    day_plan=day_plan)
        day_plan, folded = result.day_plan, folded + result.folded
    print(f"  09:00 composed and planned in {time.perf_counter() - started:.1f} s:"
          f" {schedule.describe(day_plan.report(), 'Asia/Seoul')}")
    return forecast.folded, folded, day_plan


class Day:
    """The dispatcher's passes through the day on a simulated clock, against the real outbox."""

    def __init__(self, conn, rate: float) -> None:
        self.conn, self.rate = conn, rate
        self.chunk = max(16, int(rate * 2))  # pacing.Settings.chunk with 8 senders
        self.limit = int(config.DEFAULTS["DISPATCH_LIMIT"])
        self.every = timedelta(seconds=int(config.DEFAULTS["DISPATCH_EVERY_SECONDS"]))
        self.step = timedelta(seconds=1 / rate)
        self.next_code, self.next_reminder, self.n = MONDAY + timedelta(seconds=1.1), MONDAY, 0
        self.held = 0  # alerts that would have gone out after 21:00: held to the morning, as the dispatcher does
        self.sent_alerts: list[tuple[datetime, datetime]] = []  # (due, sent)
        self.waits: list[tuple[datetime, datetime]] = []  # codes and reminders: (due, sent)

    def queue_people(self, until: datetime) -> None:
        """Codes and reminders that fell due by `until`, queued at their own instant."""
        with db.transaction(self.conn):
            while min(self.next_code, self.next_reminder) <= until:
                code = self.next_code <= self.next_reminder
                at = self.next_code if code else self.next_reminder
                self.n += 1
                outbox.enqueue(self.conn, to=f"+82109{self.n:07d}", body="[잡스탑] 인증번호 123456",
                               kind="otp" if code else "transactional", dedupe_key=f"bench:{self.n}", now=at)
                if code:
                    self.next_code += CODE_EVERY
                else:
                    self.next_reminder += REMINDER_EVERY

    def a_pass(self, t: datetime) -> datetime:
        """One pass from t: chunks claimed while any is due, each sent at the rate; its end."""
        claimed = 0
        while claimed < self.limit:
            self.queue_people(t)
            token = uuid.uuid4().hex
            with db.transaction(self.conn):
                rows = outbox.claim_due(self.conn, t, min(self.chunk, self.limit - claimed), token=token,
                                        lease_until=t + timedelta(minutes=5))
                for row in rows:
                    if row["kind"] == "alert" and t + self.step > QUIET_START:  # dispatch holds it at send time
                        outbox.mark(self.conn, row["id"], token, t, status="held", next_attempt_at=NEXT_MORNING)
                        self.held += 1
                        continue
                    t += self.step
                    outbox.mark(self.conn, row["id"], token, t, status="sent")
                    (self.sent_alerts if row["kind"] == "alert" else self.waits).append(
                        (parse_iso(row["next_attempt_at"]), t))
            if not rows:
                break
            claimed += len(rows)
        return t

    def run(self) -> None:
        tick = MONDAY
        while tick < QUIET_START + timedelta(hours=1):
            end = self.a_pass(tick)
            tick = max(tick + self.every, end)
            waiting = self.conn.execute("SELECT min(next_attempt_at) FROM sms_messages WHERE status = 'queued'"
                                        " AND kind = 'alert'").fetchone()[0]
            soonest = min(parse_iso(waiting) if waiting else tick + timedelta(days=1), self.next_code,
                          self.next_reminder)
            if soonest > tick:  # nothing due: skip to the tick at which something is
                tick += self.every * ((soonest - tick) // self.every)


def report(day: Day, day_plan: schedule.Plan, rate: float) -> None:
    sent = sorted(at for _, at in day.sent_alerts)
    late = [(at - due) for due, at in day.sent_alerts]
    print(f"  digests sent {len(sent):,}; last at {local(sent[-1], 'Asia/Seoul'):%H:%M:%S}"
          f"; after 21:00: {sum(at >= QUIET_START for at in sent):,} (held to the morning: {day.held:,});"
          f" behind their planned time: max {max(late)},"
          f" median {statistics.median(late)}")
    for window in day_plan.windows.values():
        mine = [at for due, at in day.sent_alerts if window.start <= due < window.end]
        if mine:
            print(f"    {window.name:<8} {len(mine):>8,} digests, last {local(max(mine), 'Asia/Seoul'):%H:%M:%S},"
                  f" {max(mine) - window.start} after the window opened")
    waits = [(at - due).total_seconds() for due, at in day.waits]
    behind = [(bisect.bisect_left(sent, at) - bisect.bisect_right(sent, due)) / rate for due, at in day.waits]
    print(f"  codes and reminders {len(waits):,}: wait median {statistics.median(waits):.1f} s,"
          f" max {max(waits):.1f} s; of it sending digests: max {max(behind):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description="A day of digests at a send rate, on a simulated clock")
    parser.add_argument("--database", required=True, help="a database bench/matching.py --keep built")
    parser.add_argument("--rates", default="100,10")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f},"
          f" reference insert {reference():.1f} µs/row", flush=True)
    conn, reader = db.connect(args.database), db.connect(args.database)
    db.migrate(conn)
    matching.use_large_cache(conn, 64)
    matching.use_large_cache(reader, 64)
    seekers = conn.execute("SELECT count(*) FROM seekers").fetchone()[0]
    print(f"seekers {seekers:,}")
    choose_times(conn)
    sunday(conn)
    for rate in (float(r) for r in args.rates.split(",")):
        print(f"== {rate:g} msg/s (digests planned at {config.DEFAULTS['DIGEST_RATE_SHARE']:.0%} of it)", flush=True)
        fresh_day(conn)
        settings = alerts.Settings.from_config({**config.DEFAULTS, "SMS_RATE_PER_SECOND": rate})
        shortfall, folded, day_plan = plan_and_compose(conn, reader, settings)
        stored = conn.execute("SELECT count(DISTINCT seeker_id) FROM digest_folds").fetchone()[0]
        print(f"  shortfall forecast {shortfall:,}; folded at 09:00 {folded:,}; seekers with folds stored {stored:,}")
        started = time.perf_counter()
        day = Day(conn, rate)
        day.run()
        print(f"  the day simulated in {time.perf_counter() - started:.0f} s")
        report(day, day_plan, rate)
        print(f"  load average {os.getloadavg()[0]:.1f}, reference insert {reference():.1f} µs/row", flush=True)


if __name__ == "__main__":
    main()
