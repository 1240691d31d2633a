"""Writers racing each other, each on its own connection, as web workers, dispatchers and
schedulers on several machines do: every guarantee holds on SQLite's single writer and on
PostgreSQL's concurrent ones (the suite runs on both)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from scheduler_helpers import add_seeker, opening, post

from kiosk.alerts import pairs
from kiosk.core import db
from kiosk.seekers import verification
from scheduler import lease
from sms.outbound import outbox

RACERS = 6


def race(database: str, work: Callable[[Any, int], Any], racers: int = RACERS) -> list[Any]:
    """work(connection, n) in `racers` threads at once, each on a connection of its own."""
    start, results, errors = threading.Barrier(racers), [None] * racers, []

    def run(n: int) -> None:
        conn = db.connect(database)
        try:
            start.wait()
            results[n] = work(conn, n)
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_dispatchers_claiming_at_once_claim_each_message_exactly_once(database, conn, clock):
    now = clock.now()
    with db.transaction(conn):
        for n in range(120):
            outbox.enqueue(conn, to=f"+8210{n:08d}", body="알림", kind="alert", dedupe_key=f"race:{n}", now=now)
    queued = {r[0] for r in conn.execute("SELECT id FROM sms_messages WHERE status = 'queued'")}

    def claim_until_empty(connection, n: int) -> list[int]:
        mine: list[int] = []
        while True:
            with db.transaction(connection, immediate=False):
                rows = outbox.claim_due(connection, now, 7, token=f"pass-{n}", lease_until=now + timedelta(minutes=1))
            if not rows:
                return mine
            mine += [row["id"] for row in rows]

    claimed = race(database, claim_until_empty)
    every = Counter(i for mine in claimed for i in mine)
    assert set(every) == queued and set(every.values()) == {1}  # all of them, none twice
    tokens = dict(conn.execute("SELECT id, lease_token FROM sms_messages WHERE status = 'sending'").fetchall())
    assert all(tokens[i] == f"pass-{n}" for n, mine in enumerate(claimed) for i in mine)


def test_schedulers_starting_at_once_one_takes_the_lease(database, clock):
    won = race(database, lambda connection, n: lease.acquire(connection, f"host:{n}", clock.now(), 30))
    assert won.count(True) == 1


def test_a_kiosks_code_limit_holds_against_simultaneous_requests(database, clock):
    def ask(connection, n: int) -> str:
        try:
            verification.issue(connection, phone=f"+82101234{n:04d}", purpose="register", kiosk_code="suwon-station",
                               now=clock.now(), secret="test-secret", per_kiosk=3)
        except verification.Limited:
            return "limited"
        return "sent"

    assert sorted(race(database, ask)) == ["limited"] * (RACERS - 3) + ["sent"] * 3


def test_matchers_running_at_once_alert_nobody_twice_about_an_opening(database, conn, clock):
    for n in range(5):
        add_seeker(conn, f"+82109999{n:04d}", clock.now(), occupations=["security"])
    post(conn, clock.now(), *[opening() for _ in range(4)])
    clock.advance(minutes=1)

    def match(connection, _n: int) -> int:
        batches = 0
        while True:
            with db.transaction(connection):
                if pairs.match_batch(connection, clock.now(), clock.now().date(), limit=2) is None:
                    return batches
            batches += 1

    race(database, match, racers=3)
    seen = Counter()
    for opening_id, tokens in conn.execute("SELECT opening_id, seekers FROM alert_matches"):
        seen.update((opening_id, seeker) for seeker in pairs.ids_in(tokens))
    assert seen and set(seen.values()) == {1}
