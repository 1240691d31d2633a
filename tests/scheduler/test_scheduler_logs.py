"""JOBSTOP_LOG_FORMAT=json: every line `jobstop scheduler` prints is a JSON object."""

from __future__ import annotations

import json
import signal

import pytest
from process_helpers import start_scheduler, until

pytestmark = pytest.mark.slow


def test_the_scheduler_logs_json_lines(database, conn, tmp_path):
    scheduler = start_scheduler(database, tmp_path, JOBSTOP_LOG_FORMAT="json")
    try:
        assert until(lambda: conn.execute("SELECT count(*) FROM job_runs WHERE job_id = 'outcome_prompts'"
                                          " AND outcome = 'ok'").fetchone()[0] >= 1, 30)
    finally:
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=30) == 0
    # The sending loop ran until the stop, and ended cleanly with it.
    assert [tuple(r) for r in conn.execute("SELECT outcome FROM job_runs WHERE job_id = 'dispatch'")] == [("ok",)]
    lines = [json.loads(line) for line in (tmp_path / "scheduler.log").read_text().splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    messages = [(line["logger"], line["message"]) for line in lines]
    assert messages[0][1].endswith("waiting for the lease (it expires after 8 s without renewal).")
    assert any(logger == "jobstop.scheduler" and message.endswith("holds the lease") for logger, message in messages)
    assert any(logger.startswith("apscheduler") for logger, _ in messages)
    assert messages[-1] == ("jobstop.scheduler", "Scheduler stopped; lease released.")
