"""The scheduler process: the lease, job runs, `--list`, and a standby taking over after kill -9."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from kiosk.core import db
from kiosk.core.clock import parse_iso
from scheduler import lease, process


def test_lease_is_held_by_one_until_it_expires(conn, clock):
    now = clock.now()
    assert lease.acquire(conn, "a", now, 30)
    assert not lease.acquire(conn, "b", now + timedelta(seconds=29), 30)
    assert lease.acquire(conn, "a", now + timedelta(seconds=20), 30)  # renewed until +50
    assert not lease.acquire(conn, "b", now + timedelta(seconds=49), 30)
    assert lease.acquire(conn, "b", now + timedelta(seconds=50), 30)
    lease.release(conn, "a")  # not the holder: changes nothing
    assert lease.current(conn)["holder"] == "b"
    lease.release(conn, "b")
    assert lease.current(conn) is None


def test_a_job_runs_only_under_the_lease_and_is_recorded(app, conn, clock):
    runner = process.Runner(app, holder="this")
    assert lease.acquire(conn, "other", clock.now(), 30)
    assert process.run_job(runner, "close_expired") is None
    assert runner.lost_lease.is_set()
    assert conn.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 0
    clock.advance(seconds=31)
    assert process.run_job(runner, "close_expired") is None  # a scheduler that lost it starts nothing
    assert runner.wait_for_lease() and not runner.lost_lease.is_set()  # until it holds the lease again
    assert process.run_job(runner, "close_expired") == {"closed": 0}
    row = conn.execute("SELECT job_id, holder, outcome, detail FROM job_runs").fetchone()
    assert tuple(row) == ("close_expired", "this", "ok", '{"closed": 0}')


def test_the_log_keeps_each_jobs_runs_but_not_the_lease_heartbeats(app, caplog):
    scheduler = process.Runner(app, holder="this").build()
    executor_log = logging.getLogger("apscheduler.executors.default")
    with caplog.at_level(logging.INFO, logger="apscheduler"):
        for job_id in ("lease", "match"):
            job = scheduler.get_job(job_id)
            executor_log.info('Running job "%s" (scheduled at %s)', job, "12:00")
            executor_log.info('Job "%s" executed successfully', job)
        executor_log.warning('Run time of job "%s" was missed by %s', scheduler.get_job("lease"), "0:00:09")
    lines = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert [level for level, message in lines if message.startswith(("Running job", "Job "))] == ["INFO", "INFO"]
    assert all('"match' in message for level, message in lines if level == "INFO")
    assert [level for level, message in lines if '"lease' in message] == ["WARNING"]  # trouble still shows


def test_list_shows_every_job_and_its_next_run(runner):
    result = runner.invoke(args=["scheduler", "--list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for job in process.JOBS:
        assert any(line.startswith(job.id) for line in lines)
    digest = next(line for line in lines if line.startswith("digest"))
    assert "next 2026-11-24 09:00:00 KST" in digest  # the clock says Monday 10:00 in Seoul
    assert digest.endswith("late start: any delay; also at start")
    dispatch = next(line for line in lines if line.startswith("dispatch"))
    # the sending loop starts with the scheduler; its ticks start it again if it ever ended
    assert "interval[0:00:05]" in dispatch and dispatch.endswith("late start: 10 s; also at start")
    retention = next(line for line in lines if line.startswith("retention"))
    assert retention.endswith("late start: any delay; also at start if not run for a day")
    assert lines[-2] == "missed digests (they run once when the scheduler starts): daily, weekly"
    assert lines[-1] == "lease: free"


def spawn(database: str, tmp_path, name: str) -> subprocess.Popen:
    env = {**os.environ, "JOBSTOP_DATABASE": database, "JOBSTOP_SECRET_KEY": "test-secret", "JOBSTOP_DEVELOPMENT": "1",
           "JOBSTOP_SCHEDULER_LEASE_SECONDS": "3", "JOBSTOP_DISPATCH_EVERY_SECONDS": "1",
           "JOBSTOP_MATCH_EVERY_SECONDS": "1"}
    with open(tmp_path / f"{name}.log", "w") as log:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-c", "from kiosk.cli import main; main()", "scheduler"],
                                env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def runs_by(conn, holder: str) -> list:
    return conn.execute("SELECT job_id, started_at, finished_at FROM job_runs WHERE holder = ? ORDER BY id",
                        (holder,)).fetchall()


@pytest.mark.slow
def test_standby_takes_over_after_kill_9_and_no_job_runs_in_both(database, conn, tmp_path):
    first = spawn(database, tmp_path, "first")
    second = None
    try:
        assert wait_for(lambda: conn.execute("SELECT count(*) FROM job_runs WHERE job_id = 'match'"
                                             " AND outcome = 'ok'").fetchone()[0] >= 2, 30)
        active = lease.current(conn)["holder"]
        assert active.split(":")[1] == str(first.pid)
        second = spawn(database, tmp_path, "second")
        time.sleep(4)  # the standby waits: the lease is renewed every second
        assert [r[0] for r in conn.execute("SELECT DISTINCT holder FROM job_runs")] == [active]

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed_at = time.time()
        assert wait_for(lambda: lease.current(conn)["holder"] != active, 10)
        took_over = time.time() - killed_at
        standby = lease.current(conn)["holder"]
        assert standby.split(":")[1] == str(second.pid)
        assert took_over <= 3 + 2  # one lease period plus the standby's poll, with room
        assert wait_for(lambda: len(runs_by(conn, standby)) >= 3, 15)

        # No job ran in both: every run of the killed one started before the standby's first.
        old, new = runs_by(conn, active), runs_by(conn, standby)
        assert max(parse_iso(r["started_at"]) for r in old) <= min(parse_iso(r["started_at"]) for r in new)
        acquired = parse_iso(lease.current(conn)["acquired_at"])
        assert all(parse_iso(r["started_at"]) <= acquired for r in old)

        second.send_signal(signal.SIGTERM)  # a clean stop gives the lease up at once
        assert second.wait(15) == 0
        assert lease.current(conn) is None
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)
    db.migrate(conn)  # the database is still sound for whoever comes next


def test_the_demo_runs_the_same_jobs_in_a_thread_under_the_same_lease(app, conn):
    app.config.update(DISPATCH_EVERY_SECONDS=1, SCHEDULER_LEASE_SECONDS=3)
    runner = process.start_in_background(app)
    try:
        assert wait_for(lambda: conn.execute("SELECT count(*) FROM job_runs WHERE job_id = 'stats_snapshot'"
                                             " AND outcome = 'ok'").fetchone()[0] >= 1, 20)
        assert lease.current(conn)["holder"] == runner.holder
        ran = {r[0] for r in conn.execute("SELECT DISTINCT job_id FROM job_runs")}
        assert {"digest", "close_expired", "stats_snapshot", "dispatch"} <= ran  # caught up at start
    finally:
        runner.stop()
    assert lease.current(conn) is None  # given up by the time stop() returns: a restart need not wait
    # the sending loop ran until the stop and ended with it
    assert [tuple(r) for r in conn.execute("SELECT outcome FROM job_runs WHERE job_id = 'dispatch'")] == [("ok",)]
