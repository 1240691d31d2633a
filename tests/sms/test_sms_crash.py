"""Kill -9 a dispatcher mid-batch, start another: every message ends sent, and only the
messages in flight at the moment of the kill (the documented window) may reach Twilio twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from twilio_peer import ACCOUNT_SID, AUTH_TOKEN, TwilioPeer

from kiosk.core import db
from kiosk.core.clock import SystemClock
from sms.outbound import outbox

pytestmark = pytest.mark.slow

COUNT = 200
SENDERS = 4
ROOT = Path(__file__).resolve().parents[2]

DISPATCHER = """
import sys
from kiosk.app import create_app
from kiosk.cli import main
app = create_app({
    "DATABASE": sys.argv[1], "SECRET_KEY": "crash-test", "PUBLIC_URL": "https://jobstop.example.kr",
    "TWILIO_ACCOUNT_SID": sys.argv[2], "TWILIO_AUTH_TOKEN": sys.argv[3], "TWILIO_FROM_NUMBER": "+15005550006",
    "TWILIO_API_BASE_URL": sys.argv[4], "SMS_RATE_PER_SECOND": 40, "SMS_SENDERS": int(sys.argv[5]),
    "SMS_HTTP_TIMEOUT": 1.0, "SMS_LEASE_SECONDS": 1.0,
})
result = app.test_cli_runner().invoke(main, args=["sms", "dispatch", "--interval", "0.1"])
print(result.output, result.exception, file=sys.stderr)
"""


def start_dispatcher(database: str, peer: TwilioPeer, tmp_path: Path, name: str) -> subprocess.Popen:
    with open(tmp_path / f"{name}.log", "w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-c", DISPATCHER, database, ACCOUNT_SID, AUTH_TOKEN,
                                 peer.base_url, str(SENDERS)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.05)


def counts_by_status(conn) -> dict[str, int]:
    return dict(conn.execute("SELECT status, count(*) FROM sms_messages GROUP BY status").fetchall())


def test_kill_mid_batch_then_restart(database, conn, tmp_path):
    now = SystemClock().now()
    with db.transaction(conn):
        for i in range(COUNT):
            outbox.enqueue(conn, to=f"+8210{5000_0000 + i}", body=f"[잡스탑] 예약 확인 {i}",
                           kind="transactional", dedupe_key=f"crash:{i}", now=now)
    with TwilioPeer(delay=0.05) as peer:
        first = start_dispatcher(database, peer, tmp_path, "first")
        wait_for(lambda: len(peer.accepted()) >= COUNT // 3, timeout=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        in_window = {row["id"] for row in conn.execute(
            "SELECT id FROM sms_messages WHERE status = 'sending' AND twilio_sid IS NULL")}
        assert 0 < len(peer.accepted()) < COUNT, "the kill landed mid-batch"

        second = start_dispatcher(database, peer, tmp_path, "second")
        try:
            wait_for(lambda: counts_by_status(conn) == {"sent": COUNT}, timeout=120)
        finally:
            second.terminate()
            second.wait(timeout=10)

        received = Counter((r.to, r.body) for r in peer.accepted())
    rows = conn.execute("SELECT id, to_number, body, twilio_sid FROM sms_messages").fetchall()
    assert all(received[(r["to_number"], r["body"])] >= 1 for r in rows), "every message reached Twilio"
    twice = {r["id"] for r in rows if received[(r["to_number"], r["body"])] > 1}
    assert twice <= in_window, "only messages claimed and unrecorded at the kill may repeat"
    assert len(twice) <= 2 * SENDERS, "at most the requests in flight (and their unrecorded answers)"
    assert max(received.values()) <= 2
    print(f"in window at the kill: {len(in_window)}, sent twice: {len(twice)}")
    assert len({r["twilio_sid"] for r in rows}) == COUNT
