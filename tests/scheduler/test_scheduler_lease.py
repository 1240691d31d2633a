"""The lease under a busy database, long jobs that stop when it is lost, and what the
scheduler catches up at start."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from scheduler_helpers import add_seeker, messages, opening, post

from kiosk.alerts import composer as alerts
from kiosk.alerts import digests
from kiosk.core import db
from kiosk.core.clock import iso
from kiosk.core.config import DEFAULTS
from kiosk.seekers import store as seekers
from scheduler import digest, jobs, lease, match, process, retention


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Connections give up on a held write lock after 0.2 s instead of 5 s (the test is quicker)."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)


def test_a_locked_database_is_not_a_lost_lease_until_the_lease_expires(app, conn, clock, short_busy_timeout):
    runner = process.Runner(app, holder="this")
    lease_seconds = runner.lease_seconds
    assert runner.wait_for_lease()
    conn.execute("BEGIN IMMEDIATE")  # the web process holds the write lock for a long while
    try:
        clock.advance(seconds=lease_seconds * 2 / 3)
        process.heartbeat(runner)  # 'database is locked': tried again next tick
        assert not runner.lost_lease.is_set()
        clock.advance(seconds=lease_seconds / 3 + 1)  # past the last renewal's expiry: now it is really lost
        process.heartbeat(runner)
        assert runner.lost_lease.is_set()
    finally:
        conn.execute("ROLLBACK")
    assert runner.wait_for_lease()  # free again: taken back
    clock.advance(seconds=lease_seconds * 2 / 3)
    process.heartbeat(runner)
    assert not runner.lost_lease.is_set()
    assert runner.held_until == clock.now() + timedelta(seconds=lease_seconds)


def test_a_digest_stops_at_its_next_chunk_once_another_process_holds_the_lease(app, conn, clock):
    clock.advance(minutes=1)
    match.run(app)
    add_seeker(conn, "+821012345678", clock.now(), occupations=["security"])
    post(conn, clock.now(), opening())
    clock.set("2026-11-24T00:00:00Z")  # Tuesday 09:00
    match.run(app)
    assert lease.acquire(conn, "other", clock.now(), 30)  # it took over while this one stalled
    settings = alerts.Settings.from_config(app.config)
    with jobs.under_lease("this"), pytest.raises(jobs.LeaseLost):
        digests.run_digest(conn, conn, "daily", "2026-11-24", clock.now(), settings, guard=jobs.lease_guard(app))
    assert messages(conn) == []  # nothing written after the lease was gone
    lease.release(conn, "other")
    with jobs.under_lease("other"):
        assert lease.acquire(conn, "other", clock.now(), 30)
        assert digest.run(app)["daily"]["messages"] == 1  # the slot resumes under the new holder


def test_retention_stops_when_the_lease_is_lost_and_forgets_nobody_half_way(app, conn, clock):
    gone = add_seeker(conn, "+821012345678", clock.now())
    seekers.anonymize(conn, gone, clock.now(), "withdrawal", secret="test-secret")
    assert lease.acquire(conn, "other", clock.now(), 30)
    with jobs.under_lease("this"), pytest.raises(jobs.LeaseLost):
        retention.run(app)
    assert conn.execute("SELECT forgotten_at FROM seekers WHERE id = ?", (gone,)).fetchone()[0] is None


def test_a_scheduler_that_lost_the_lease_waits_for_its_running_jobs(app):
    runner = process.Runner(app, holder="this")
    release, waited = threading.Event(), threading.Event()

    def job() -> None:
        with runner.job_running():
            release.wait(5)

    worker = threading.Thread(target=job)
    worker.start()
    waiter = threading.Thread(target=lambda: (runner.wait_for_jobs(), waited.set()))
    waiter.start()
    assert not waited.wait(0.3)  # still running: no new lease, no new scheduler yet
    release.set()
    assert waited.wait(5)
    worker.join()
    waiter.join()


def test_retention_runs_at_start_when_its_nightly_run_was_missed(app, conn, clock):
    def catches_up() -> bool:
        job = process.Runner(app, holder="this").build().get_job("retention")
        return getattr(job, "next_run_time", None) == clock.now()

    assert retention.overdue(app) and catches_up()  # never ran
    with db.transaction(conn):
        conn.execute("INSERT INTO job_runs (job_id, holder, started_at, finished_at, outcome)"
                     " VALUES ('retention', 'x', ?, ?, 'ok')", (iso(clock.now() - timedelta(hours=7)),) * 2)
    assert not retention.overdue(app) and not catches_up()  # ran at 03:00 today
    clock.advance(hours=18)
    assert retention.overdue(app) and catches_up()  # more than a day ago: the 03:00 run was missed


def test_with_the_defaults_a_standby_takes_over_within_10_s(app, conn, clock):
    """The holder's last renewal runs out after the lease; the standby looks every second."""
    holder, standby = process.Runner(app, holder="holder"), process.Runner(app, holder="standby")
    assert holder.lease_seconds == DEFAULTS["SCHEDULER_LEASE_SECONDS"]
    assert holder.wait_for_lease()
    died = clock.now()  # kill -9 right after a renewal: the worst case
    looks = 0
    while not lease.acquire(conn, standby.holder, clock.now(), standby.lease_seconds):
        clock.advance(seconds=process.STANDBY_POLL_SECONDS)
        looks += 1
    assert (clock.now() - died).total_seconds() <= 10 and looks >= 1
