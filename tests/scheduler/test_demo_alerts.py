"""A fresh demo sends job alerts: its seekers want them, and the scheduler's matching finds openings for them."""

from __future__ import annotations

from support import SECRET, START, ZONE, make_app

from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.demo import loader as demo
from scheduler import digest, match

INSTANT, DAILY = "+821000001002", "+821000001001"  # 이준호 (instant), 김영희 (daily digest)


def test_the_demo_seekers_get_alerts_without_any_import(tmp_path):
    database = str(tmp_path / "demo.sqlite3")
    db.init_db(database)
    clock = FrozenClock(START)  # Monday 10:00 in Seoul
    conn = db.connect(database)
    demo.load(conn, clock.now(), ZONE, secret=SECRET)
    conn.close()
    app = make_app(database, clock, tmp_path)

    clock.advance(minutes=1)  # the matcher waits for openings to settle
    assert match.run(app)["instant"] > 0
    clock.set("2026-11-24T00:00:00Z")  # Tuesday 09:00: the daily digest
    assert digest.run(app)["daily"]["messages"] >= 1

    conn = db.connect(database)
    sent = {phone: conn.execute("SELECT count(*) FROM sms_messages WHERE to_number = ? AND kind = 'alert'",
                                (phone,)).fetchone()[0] for phone in (INSTANT, DAILY)}
    conn.close()
    assert sent[INSTANT] >= 1 and sent[DAILY] >= 1, sent
