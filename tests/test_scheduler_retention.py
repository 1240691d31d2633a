"""Retention and the statistics snapshot: exactly what should go goes, the rest stays."""

from __future__ import annotations

import json
from datetime import timedelta

from scheduler_helpers import add_seeker, messages, opening, post

from kiosk import db, matching, seekers
from kiosk.clock import iso
from scheduler import match, retention, stats_snapshot
from sms import inbound, outbox


def test_retention_removes_exactly_what_it_should(app, conn, clock):
    now = clock.now()
    clock.advance(minutes=1)
    match.run(app)
    long_ago = now - timedelta(days=800)
    dormant = add_seeker(conn, "+821000000051", long_ago, last_active=long_ago)
    recent = add_seeker(conn, "+821000000052", long_ago, last_active=now - timedelta(days=700))
    leaving = add_seeker(conn, "+821000000053", now)
    staying = add_seeker(conn, "+821000000054", now)
    (opening_id,) = post(conn, now, opening(occupation="care"))
    clock.advance(minutes=1)
    match.run(app)
    with db.transaction(conn):
        for seeker_id, phone in ((leaving, "+821000000053"), (staying, "+821000000054")):
            outbox.enqueue(conn, to=phone, body="안내", kind="transactional", dedupe_key=f"t:{seeker_id}",
                           now=now, seeker_id=seeker_id)
        conn.execute("UPDATE sms_messages SET status = 'delivered'")
        inbound.store(conn, sid="SM-old", phone="+821000000054", to="", body="J12", now=now - timedelta(days=91))
        inbound.store(conn, sid="SM-new", phone="+821000000054", to="", body="J13", now=now - timedelta(days=89))
        conn.execute("INSERT INTO phone_codes (subject, code_hash, purpose, created_at, expires_at)"
                     " VALUES ('s', 'h', 'register', ?, ?), ('s', 'h', 'register', ?, ?)",
                     (iso(now - timedelta(hours=2)), iso(now - timedelta(hours=2) + timedelta(minutes=5)),
                      iso(now - timedelta(minutes=1)), iso(now + timedelta(minutes=4))))
        conn.execute("INSERT INTO web_sessions (id, data, expires_at) VALUES ('gone', '{}', ?), ('live', '{}', ?)",
                     (iso(now - timedelta(minutes=1)), iso(now + timedelta(hours=1))))
    seekers.anonymize(conn, leaving, clock.now(), "withdrawal", secret="test-secret")

    counts = retention.run(app)

    assert counts["anonymized"] == 1
    status = dict(conn.execute("SELECT id, status FROM seekers").fetchall())
    assert (status[dormant], status[recent], status[leaving], status[staying]) == \
        ("withdrawn", "active", "withdrawn", "active")
    assert conn.execute("SELECT phone FROM seekers WHERE id = ?", (dormant,)).fetchone()[0] is None
    assert matching.matched_seekers(conn, opening_id) == {recent, staying}
    assert [m["seeker_id"] for m in messages(conn)] == [staying]
    assert [r[0] for r in conn.execute("SELECT message_sid FROM sms_inbound")] == ["SM-new"]
    assert conn.execute("SELECT count(*) FROM phone_codes").fetchone()[0] == 1
    assert [r[0] for r in conn.execute("SELECT id FROM web_sessions")] == ["live"]
    assert retention.run(app)["anonymized"] == 0  # a second night changes nothing more


def test_stats_snapshot_keeps_yesterday_per_center(app, conn, clock):
    add_seeker(conn, "+821000000061", clock.now(), center_id=2)
    add_seeker(conn, "+821000000062", clock.now(), center_id=3)
    clock.set("2026-11-23T15:10:00Z")  # 00:10 Tuesday
    result = stats_snapshot.run(app)
    centers = conn.execute("SELECT count(*) FROM centers").fetchone()[0]
    assert result == {"day": "2026-11-23", "rows": centers + 1}
    rows = {r["center_id"]: json.loads(r["data"]) for r in conn.execute("SELECT * FROM stats_snapshots")}
    assert (rows[0]["registered"], rows[2]["registered"], rows[3]["registered"], rows[4]["registered"]) == (2, 1, 1, 0)
    stats_snapshot.run(app)  # again: replaced, not doubled
    assert conn.execute("SELECT count(*) FROM stats_snapshots").fetchone()[0] == centers + 1
