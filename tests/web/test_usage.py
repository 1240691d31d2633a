"""Usage events: noted per process, written in batches, none lost or written twice, no personal data."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from process_helpers import free_port
from support import make_app

from kiosk.core.clock import FrozenClock
from kiosk.http import usage as web_usage
from kiosk.stats import usage

K = "/k/suwon-station"


def rows(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        "SELECT kiosk_code, kind, detail, at FROM usage_events ORDER BY id")]


def wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def slow_app(database, clock, tmp_path):
    """Events wait a minute before their thread writes them: only a flush writes them here."""
    return make_app(database, clock, tmp_path, USAGE_FLUSH_SECONDS=60)


def test_views_wait_in_the_buffer_until_a_flush_writes_them_once_in_order(slow_app, clock, conn):
    client = slow_app.test_client()
    client.get(f"{K}/")
    clock.advance(seconds=5)
    client.get(f"{K}/openings?q=경비")
    clock.advance(seconds=5)
    client.get(f"{K}/openings?occupation=care")
    assert rows(conn) == []  # nothing written by the requests themselves
    assert web_usage.flush(slow_app) == 3
    written = rows(conn)
    assert [(kind, at) for _code, kind, _detail, at in written] == [
        ("screen", "2026-11-23T01:00:00Z"), ("search", "2026-11-23T01:00:05Z"),
        ("filter", "2026-11-23T01:00:10Z")]  # each keeps the time it happened, in order
    assert {code for code, *_ in written} == {"suwon-station"}
    assert web_usage.flush(slow_app) == 0 and rows(conn) == written  # nothing written twice
    client.get(f"{K}/openings")
    assert web_usage.flush(slow_app) == 1 and len(rows(conn)) == 4


def test_the_flusher_thread_writes_waiting_events_after_the_set_time(database, clock, tmp_path, conn):
    app = make_app(database, clock, tmp_path, USAGE_FLUSH_SECONDS=0.05)
    app.test_client().get(f"{K}/openings")
    assert wait_for(lambda: len(rows(conn)) == 1)
    assert app.extensions["usage"].pending() == 0


def test_a_full_batch_is_written_without_waiting_for_the_time(database, clock, tmp_path, conn):
    app = make_app(database, clock, tmp_path, USAGE_FLUSH_SECONDS=60, USAGE_BATCH=3)
    client = app.test_client()
    for _ in range(2):
        client.get(f"{K}/openings")
    time.sleep(0.2)
    assert rows(conn) == []
    client.get(f"{K}/openings")
    assert wait_for(lambda: len(rows(conn)) == 3)


def test_zero_seconds_writes_each_event_with_its_request(database, clock, tmp_path, conn):
    app = make_app(database, clock, tmp_path, USAGE_FLUSH_SECONDS=0)
    assert app.extensions["usage"] is None
    app.test_client().get(f"{K}/openings?q=010 1234 5678")
    assert rows(conn) == [("suwon-station", "search", '{"q": "#", "results": 0}',
                           "2026-11-23T01:00:00Z")]


def test_actions_are_written_with_the_change_they_belong_to(slow_app, conn):
    client = slow_app.test_client()
    client.get(f"{K}/")  # a view: buffered
    token = client.get(f"{K}/").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(f"{K}/reset", data={"csrf_token": token})
    assert [kind for _c, kind, *_ in rows(conn)] == ["reset"]


def test_unwritable_events_stay_queued_oldest_dropped_first_and_counted(tmp_path, database, conn):
    buffer = usage.UsageBuffer(str(tmp_path / "missing" / "db.sqlite3"), seconds=60, batch=100,
                               limit=3)
    at = FrozenClock("2026-11-23T01:00:00Z")
    for n in range(5):
        buffer.add(usage.event("suwon-station", "screen", {"n": n}, at.now()))
    assert buffer.dropped == 2 and buffer.pending() == 3
    with pytest.raises(sqlite3.Error):
        buffer.flush()
    assert buffer.pending() == 3  # still queued after the failed write
    buffer.path = database  # the database is back
    assert buffer.flush() == 3
    assert [detail for _c, _k, detail, _at in rows(conn)] == ['{"n": 2}', '{"n": 3}', '{"n": 4}']


def test_a_process_that_exits_normally_writes_what_it_still_holds(database, tmp_path, conn):
    script = ("import sys\nfrom kiosk.app import create_app\n"
              "app = create_app({'DATABASE': sys.argv[1], 'SECRET_KEY': 'x', 'USAGE_FLUSH_SECONDS': 3600,"
              " 'KIOSK_AUTO_ENROL': True})\n"
              "c = app.test_client()\n"
              "for _ in range(3): c.get('/k/suwon-station/openings')\n"
              "assert app.extensions['usage'].pending() == 3\n")
    subprocess.run([sys.executable, "-c", script, database], check=True, cwd=tmp_path, timeout=60)
    assert [kind for _c, kind, *_ in rows(conn)] == ["screen"] * 3


def test_gunicorn_workers_write_their_events_when_the_server_stops(database, tmp_path, conn):
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    port = free_port()
    env = {**os.environ, "JOBSTOP_DATABASE": database, "JOBSTOP_SECRET_KEY": "test-secret",
           "JOBSTOP_USAGE_FLUSH_SECONDS": "3600", "JOBSTOP_KIOSK_AUTO_ENROL": "1"}
    server = subprocess.Popen([gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "kiosk.app:create_app()"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def up() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").status == 200
            except OSError:
                return False

        assert wait_for(up, 30)
        for _ in range(20):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{K}/openings").read()
        assert rows(conn) == []  # held by the workers (an hour's flush time)
    finally:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop, as systemd does it
        server.wait(timeout=30)
    assert [kind for _c, kind, *_ in rows(conn)] == ["screen"] * 20


def test_a_forked_worker_starts_empty_so_nothing_is_written_twice(tmp_path, database, conn):
    """gunicorn --preload forks workers from a parent that may hold events: they stay its own."""
    buffer = usage.UsageBuffer(database, seconds=60, batch=100, limit=10)
    buffer.add(usage.event("suwon-station", "screen", {"screen": "home"}, FrozenClock("2026-11-23T01:00:00Z").now()))
    child = os.fork()
    if child == 0:  # the worker: nothing inherited, and its own events still get written
        status = 1
        try:
            buffer.add(usage.event("suwon-station", "screen", {"screen": "child"},
                                   FrozenClock("2026-11-23T01:00:00Z").now()))
            status = 0 if buffer.flush() == 1 else 2
        finally:
            os._exit(status)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert buffer.flush() == 1
    assert sorted(detail for _c, _k, detail, _at in rows(conn)) == [
        '{"screen": "child"}', '{"screen": "home"}']
