"""systemd stops services with SIGTERM: `jobstop start` and `jobstop scheduler` give the lease up and exit 0."""

from __future__ import annotations

import signal
import subprocess

import pytest
from process_helpers import JOBSTOP, free_port, get, jobstop_environment, until

from kiosk.core.clock import SystemClock
from scheduler import lease

pytestmark = pytest.mark.slow


def spawn(tmp_path, database: str, *args: str, name: str) -> subprocess.Popen:
    env = jobstop_environment(JOBSTOP_DATABASE=database, JOBSTOP_SECRET_KEY="test-secret", JOBSTOP_DEVELOPMENT="1",
                              JOBSTOP_DISPATCH_EVERY_SECONDS="1")
    with open(tmp_path / f"{name}.log", "w") as log:  # the child keeps its own descriptor
        return subprocess.Popen([*JOBSTOP, *args], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)


def holder_pid(conn) -> int | None:
    row = lease.current(conn)
    return int(row["holder"].split(":")[1]) if row else None


def terminate(process: subprocess.Popen) -> int:
    """SIGTERM, then the exit code (killed after 30 s, so a hang fails the test instead of hanging it)."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
        raise


def test_jobstop_start_gives_the_lease_up_on_sigterm(database, conn, tmp_path):
    port = free_port()
    start = spawn(tmp_path, database, "start", "--port", str(port), name="start")
    try:
        assert until(lambda: holder_pid(conn) == start.pid, 30), (tmp_path / "start.log").read_text()
        assert until(lambda: get(f"http://127.0.0.1:{port}/healthz"), 10)
    finally:
        code = terminate(start)
    assert code == 0, (tmp_path / "start.log").read_text()
    assert lease.current(conn) is None  # the next start takes it at once instead of waiting for it to expire


def test_jobstop_scheduler_finishes_and_gives_the_lease_up_on_sigterm(database, conn, tmp_path):
    scheduler = spawn(tmp_path, database, "scheduler", name="scheduler")
    try:
        assert until(lambda: conn.execute("SELECT count(*) FROM job_runs WHERE job_id = 'outcome_prompts'"
                                          " AND outcome = 'ok'").fetchone()[0] >= 1, 30)
        assert holder_pid(conn) == scheduler.pid
    finally:
        code = terminate(scheduler)
    log = (tmp_path / "scheduler.log").read_text()
    assert code == 0, log
    assert lease.current(conn) is None
    assert conn.execute("SELECT count(*) FROM job_runs WHERE finished_at IS NULL").fetchone()[0] == 0
    assert log.rstrip().endswith("Scheduler stopped; lease released.") and "Traceback" not in log


def test_a_waiting_scheduler_stops_on_sigterm_and_leaves_the_lease_to_its_holder(database, conn, tmp_path):
    assert lease.acquire(conn, "other:1:ab", SystemClock().now(), 3600)  # the child's clock is the real one
    standby = spawn(tmp_path, database, "scheduler", name="standby")
    try:
        assert until(lambda: "waiting for the lease" in (tmp_path / "standby.log").read_text(), 30)
    finally:
        code = terminate(standby)
    assert code == 0, (tmp_path / "standby.log").read_text()
    assert lease.current(conn)["holder"] == "other:1:ab"
