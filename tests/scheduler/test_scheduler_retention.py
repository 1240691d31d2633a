"""Retention and the statistics snapshot: exactly what should go goes, the rest stays."""

from __future__ import annotations

import json
from datetime import timedelta

from scheduler_helpers import add_seeker, messages, opening, post

from kiosk.alerts import pairs as matching
from kiosk.core import db
from kiosk.core.clock import iso
from kiosk.counseling import staff_help
from kiosk.seekers import store as seekers
from scheduler import match, retention, stats_snapshot
from sms.outbound import inbox as inbound
from sms.outbound import outbox


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
    assert (result["days"], result["rows"]) == (["2026-11-23"], centers + 1)
    rows = {r["center_id"]: json.loads(r["data"]) for r in conn.execute("SELECT * FROM stats_snapshots")}
    assert (rows[0]["registered"], rows[2]["registered"], rows[3]["registered"], rows[4]["registered"]) == (2, 1, 1, 0)
    stats_snapshot.run(app)  # again: replaced, not doubled
    assert conn.execute("SELECT count(*) FROM stats_snapshots").fetchone()[0] == centers + 1


def test_stats_snapshot_fills_in_the_days_missed_while_down(app, conn, clock):
    clock.set("2026-11-19T15:10:00Z")  # 00:10 Friday 20 November
    assert stats_snapshot.run(app)["days"] == ["2026-11-19"]
    clock.set("2026-11-21T03:00:00Z")  # registered on Saturday, while the scheduler was down
    add_seeker(conn, "+821000000063", clock.now(), center_id=2)
    clock.set("2026-11-23T20:00:00Z")  # back on Tuesday 05:00, after three missed nights
    result = stats_snapshot.run(app)
    assert result["days"] == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
    registered = {day: json.loads(data)["registered"] for day, data in conn.execute(
        "SELECT day, data FROM stats_snapshots WHERE center_id = 2")}
    assert registered == {"2026-11-19": 0, "2026-11-20": 0, "2026-11-21": 1, "2026-11-22": 0, "2026-11-23": 0}
    clock.set("2027-02-01T15:10:00Z")  # months later: at most 31 days are filled in
    assert len(stats_snapshot.run(app)["days"]) == stats_snapshot.MAX_DAYS


def signed_text(app, phone: str, body: str, sid: str):
    """A text from `phone` through the real inbound webhook, signed as Twilio signs it."""
    from twilio.request_validator import RequestValidator

    app.config["TWILIO_AUTH_TOKEN"] = "hook-auth-token"
    form = {"MessageSid": sid, "AccountSid": "AC1", "From": phone, "To": "+15005550006", "Body": body}
    signature = RequestValidator("hook-auth-token").compute_signature("https://jobstop.example.kr/sms/inbound", form)
    return app.test_client().post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})


def book(conn, seeker_id: int, starts_at, created_at, status: str = "booked", outcome_at=None) -> None:
    with db.transaction(conn):
        conn.execute("INSERT INTO appointments (kind, center_id, seeker_id, starts_at, status, booked_via,"
                     " created_at, updated_at, outcome_at) VALUES ('counseling', 2, ?, ?, ?, 'kiosk', ?, ?, ?)",
                     (seeker_id, iso(starts_at), status, iso(created_at), iso(created_at),
                      iso(outcome_at) if outcome_at else None))


def test_texts_and_appointments_count_as_activity(app, conn, clock):
    now = clock.now()
    long_ago = now - timedelta(days=800)
    texted, started = "+821000000071", "+821000000072"
    seeker = {phone: add_seeker(conn, phone, long_ago, last_active=long_ago)
              for phone in (texted, started, "+821000000073", "+821000000074", "+821000000075",
                            "+821000000076")}
    clock.set(now - timedelta(days=100))
    assert signed_text(app, texted, "J12", "SM-code").status_code == 200  # a job code, 100 days ago
    assert signed_text(app, started, "START", "SM-start").status_code == 200
    clock.set(now)
    future, attended, booked_lately, old = (seeker[p] for p in ("+821000000073", "+821000000074",
                                                                "+821000000075", "+821000000076"))
    book(conn, future, now + timedelta(days=3), long_ago)                 # booked long ago, still to come
    book(conn, attended, now - timedelta(days=30), long_ago, "attended")  # held a month ago
    book(conn, booked_lately, long_ago, now - timedelta(days=10), "cancelled")
    book(conn, old, long_ago, long_ago, "attended", outcome_at=long_ago)  # all of it long ago

    assert retention.run(app)["anonymized"] == 1
    status = dict(conn.execute("SELECT id, status FROM seekers").fetchall())
    assert [p for p, seeker_id in seeker.items() if status[seeker_id] == "withdrawn"] == ["+821000000076"]
    assert conn.execute("SELECT last_active_at FROM seekers WHERE id = ?", (seeker[texted],)).fetchone()[0] \
        == iso(now - timedelta(days=100))


def test_withdrawn_seekers_are_forgotten_once_in_one_pass(app, conn, clock):
    clock.advance(minutes=1)
    match.run(app)
    people = [add_seeker(conn, f"+8210000001{n:02d}", clock.now(), frequency=f) for n, f in
              enumerate(["daily", "instant", "weekly", "daily", "daily"])]
    ids = post(conn, clock.now(), *[opening(occupation="care") for _ in range(3)])
    clock.advance(minutes=1)
    match.run(app)
    later = post(conn, clock.now(), opening(occupation="care"))
    clock.advance(minutes=1)
    match.run(app)  # a second batch: the pass covers every batch's rows
    for seeker_id in people[:3]:
        seekers.anonymize(conn, seeker_id, clock.now(), "withdrawal", secret="test-secret")
    clock.advance(hours=1)

    counts = retention.run(app)
    assert (counts["forgotten"], counts["pairs_forgotten"]) == (3, 3 * 4)
    for opening_id in (*ids, *later):
        assert matching.matched_seekers(conn, opening_id) == set(people[3:])
    stored = conn.execute("SELECT sum(pairs), group_concat(seekers) FROM alert_matches"
                          " WHERE opening_id IN (SELECT opening_id FROM match_batch_openings)").fetchone()
    assert stored[0] == 2 * 4 and all(t[1:] in {str(p) for p in people[3:]} for t in stored[1].split(","))
    marked = conn.execute("SELECT count(*) FROM seekers WHERE id IN (?, ?, ?) AND forgotten_at = ?",
                          (*people[:3], iso(clock.now()))).fetchone()[0]
    assert marked == 3
    clock.advance(days=1)
    assert retention.run(app)["forgotten"] == 0  # not reprocessed the next night


def test_forgetting_commits_in_short_transactions(conn, clock, app):
    """Each chunk of rows is its own transaction: the guard runs in every one of them."""
    clock.advance(minutes=1)
    match.run(app)
    gone = add_seeker(conn, "+821000000201", clock.now())
    kept = add_seeker(conn, "+821000000202", clock.now())
    ids = post(conn, clock.now(), *[opening(occupation="care") for _ in range(5)])
    clock.advance(minutes=1)
    match.run(app)
    seen = []
    pairs = matching.forget_seekers(conn, [gone], rows_per_commit=2,
                                    guard=lambda c: seen.append(c.in_transaction))
    assert pairs == 5 and all(matching.matched_seekers(conn, i) == {kept} for i in ids)
    rows = conn.execute("SELECT count(*) FROM alert_matches").fetchone()[0]
    assert len(seen) == rows // 2 + 1 and all(seen)


def test_retention_purges_status_callbacks_no_message_claimed_after_a_day(app, conn, clock):
    now = clock.now()
    with db.transaction(conn):
        conn.executemany("INSERT INTO sms_early_statuses (sid, status, received_at) VALUES (?, 'delivered', ?)",
                         [("SMold", iso(now - timedelta(hours=25))), ("SMnew", iso(now - timedelta(hours=23)))])
    assert retention.run(app)["early_statuses"] == 1
    assert [r[0] for r in conn.execute("SELECT sid FROM sms_early_statuses")] == ["SMnew"]


def test_retention_deletes_call_back_numbers_after_their_days(app, conn, clock):
    bus = {"code": "jobbus-1", "center_id": 7, "name": "경기 일자리버스 1호"}
    staff_help.request_callback(conn, phone="+821023450001", kiosk=bus, language="ko",
                                now=clock.now() - timedelta(days=31), zone="Asia/Seoul")
    staff_help.request_callback(conn, phone="+821023450002", kiosk=bus, language="en",
                                now=clock.now() - timedelta(days=29), zone="Asia/Seoul")
    assert retention.run(app)["callbacks"] == 1
    assert [r[0] for r in conn.execute("SELECT phone FROM callback_requests")] == ["+821023450002"]
