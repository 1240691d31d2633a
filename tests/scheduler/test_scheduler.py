"""The timed jobs run directly with the app's clock set and advanced: alerts, quiet hours,
dispatch to the loopback Twilio peer, digests, missed digests, deadlines, reminders."""

from __future__ import annotations

from datetime import timedelta

from scheduler_helpers import add_seeker, messages, opening, post, settle

from kiosk.app import create_app
from kiosk.core import db
from kiosk.core.clock import parse_iso
from kiosk.counseling import reminders
from scheduler import close_expired, digest, dispatch, match

PHONE = "+821012345678"
OTHER = "+821098765432"


def at(clock, text: str):
    clock.set(text)
    return clock.now()


def test_alert_held_at_night_released_at_eight_and_sent_once(twilio_app, conn, clock, peer):
    settle(twilio_app, clock)
    add_seeker(conn, PHONE, clock.now(), frequency="instant", occupations=["security"], regions=["41110"])
    add_seeker(conn, OTHER, clock.now(), frequency="instant", occupations=["care"], regions=["41110"])
    (opening_id,) = post(conn, at(clock, "2026-11-23T13:00:00Z"), opening())  # 22:00 in Seoul
    clock.advance(minutes=1)
    assert match.run(twilio_app)["instant"] == 1
    (alert,) = messages(conn)
    assert (alert["to_number"], alert["status"], alert["opening_id"]) == (PHONE, "held", opening_id)
    assert f"J{opening_id}" in alert["body"]
    assert dispatch.run(twilio_app)["released"] == 0
    assert peer.received == []  # nothing at night

    at(clock, "2026-11-23T22:59:00Z")  # 07:59
    assert dispatch.run(twilio_app)["released"] == 0
    assert peer.received == []
    at(clock, "2026-11-23T23:00:00Z")  # 08:00: the dispatcher's next pass releases and sends it
    assert dispatch.run(twilio_app)["released"] == 1
    assert [r.to for r in peer.received] == [PHONE]
    assert f"J{opening_id}" in peer.received[0].body
    assert messages(conn)[0]["status"] == "sent"

    # Matching again, and again after a restart (a new app on the same database), adds nothing.
    clock.advance(minutes=5)
    match.run(twilio_app)
    restarted = create_app({**twilio_app.config, "CLOCK": clock})
    match.run(restarted)
    dispatch.run(restarted)
    assert len(messages(conn)) == 1 and len(peer.received) == 1


def test_night_consent_sends_at_once(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), frequency="instant", occupations=["security"], night=True)
    post(conn, at(clock, "2026-11-23T14:00:00Z"), opening())  # 23:00
    clock.advance(minutes=1)
    match.run(app)
    assert [m["status"] for m in messages(conn)] == ["queued"]


def test_instant_daily_cap_rolls_the_rest_into_the_next_digest(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), frequency="instant", occupations=["security"], regions=["41110"])
    ids = post(conn, clock.now(), *[opening(wage_amount=11000 + 100 * i) for i in range(5)])
    clock.advance(minutes=1)
    assert match.run(app)["instant"] == 3
    instant = messages(conn)
    assert [m["opening_id"] for m in instant] == ids[::-1][:3]  # the best paid first
    later = post(conn, clock.advance(hours=2), opening())
    clock.advance(minutes=1)
    assert match.run(app)["instant"] == 0  # the cap holds for the rest of the day

    at(clock, "2026-11-24T00:00:00Z")  # Tuesday 09:00
    result = digest.run(app)
    assert result["daily"]["messages"] == 1
    body = messages(conn)[-1]["body"]
    assert "3건" in body
    for opening_id in (*ids[:2], *later):
        assert f"J{opening_id} " in body
    for sent in instant:
        assert f"J{sent['opening_id']} " not in body


def test_daily_digest_at_nine_once_with_the_best_openings(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), occupations=["security"], center_id=2)  # Suwon center
    add_seeker(conn, OTHER, clock.now(), occupations=["care"], center_id=2)
    suwon_low, seongnam_high, suwon_high, yongin, far = post(
        conn, clock.now(), opening(wage_amount=10500), opening(region="41130", wage_amount=20000),
        opening(wage_amount=12000), opening(region="41460", wage_amount=15000),
        opening(region="11140", wage_amount=30000))
    clock.advance(minutes=1)
    match.run(app)
    assert messages(conn) == []
    at(clock, "2026-11-23T14:00:00Z")  # 23:00: today's digest already ran at 09:00
    assert digest.run(app)["daily"]["ran"] is False
    at(clock, "2026-11-24T00:00:00Z")  # Tuesday 09:00
    assert digest.run(app)["daily"] == {"slot": "2026-11-24", "ran": True, "seekers": 1, "messages": 1}
    (sent,) = messages(conn)
    lines = sent["body"].split("\n")
    assert lines[0] == "[잡스탑] 오늘 맞춤 일자리 5건"
    # Suwon first (the seeker's city), then Gyeonggi by wage, Seoul last; three fit, two more.
    assert [line.split()[0] for line in lines[1:4]] == [f"J{suwon_high}", f"J{suwon_low}", f"J{seongnam_high}"]
    assert lines[4] == "외 2건"
    assert all(len(line) <= 40 for line in lines)
    assert sent["kind"] == "alert" and sent["segments"] <= 3
    clock.advance(minutes=30)
    assert digest.run(app)["daily"]["ran"] is False
    assert len(messages(conn)) == 1


def test_missed_digests_run_once_after_downtime(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), occupations=["security"])
    add_seeker(conn, OTHER, clock.now(), occupations=["security"], frequency="weekly")
    post(conn, clock.now(), opening())
    clock.advance(minutes=1)
    match.run(app)
    at(clock, "2026-11-26T06:00:00Z")  # down from Monday until Thursday 15:00
    assert "daily" in digest.missed(app)
    result = digest.run(app)
    assert result["daily"] == {"slot": "2026-11-26", "ran": True, "seekers": 1, "messages": 1}
    assert result["weekly"]["ran"] is False  # Monday's weekly ran before the pairs existed
    clock.advance(hours=1)
    digest.run(app)
    daily_runs = conn.execute("SELECT slot FROM digest_runs WHERE kind = 'daily' ORDER BY slot").fetchall()
    assert [r[0] for r in daily_runs] == ["2026-11-23", "2026-11-26"]
    assert [m["to_number"] for m in messages(conn)] == [PHONE]

    at(clock, "2026-11-30T00:00:00Z")  # next Monday 09:00: the weekly seeker's turn
    result = digest.run(app)
    assert result["weekly"]["messages"] == 1 and result["daily"]["messages"] == 0
    assert messages(conn)[-1]["body"].startswith("[잡스탑] 이번 주 맞춤 일자리 1건")


def test_closed_openings_leave_the_digest(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), occupations=["security"])
    kept, closing = post(conn, clock.now(), opening(), opening(deadline="2026-11-23"))
    clock.advance(minutes=1)
    match.run(app)
    past_deadline = conn.execute("SELECT count(*) FROM openings WHERE status = 'open'"
                                 " AND deadline <= '2026-11-23'").fetchone()[0]  # ours and demo ones
    at(clock, "2026-11-23T14:59:00Z")  # 23:59 Monday: the deadline day is not over
    assert close_expired.run(app) == {"closed": 0}
    at(clock, "2026-11-23T15:01:00Z")  # 00:01 Tuesday
    assert close_expired.run(app) == {"closed": past_deadline}
    assert conn.execute("SELECT status FROM openings WHERE id = ?", (closing,)).fetchone()[0] == "closed"
    assert conn.execute("SELECT status FROM openings WHERE id = ?", (kept,)).fetchone()[0] == "open"
    assert close_expired.run(app) == {"closed": 0}
    at(clock, "2026-11-24T00:00:00Z")
    digest.run(app)
    body = messages(conn)[0]["body"]
    assert f"J{kept} " in body and f"J{closing} " not in body


def test_reminder_sent_late_while_useful_else_expired(app, conn, clock):
    appointment_at = parse_iso("2026-11-23T05:00:00Z")  # 14:00
    with db.transaction(conn):
        late = reminders.schedule_reminder(
            conn, appointment_id=7, to=PHONE, body="오늘 오후 2시 상담이 있습니다.",
            due_at=parse_iso("2026-11-23T00:00:00Z"), appointment_at=appointment_at, key="remind:7:day",
            now=parse_iso("2026-11-22T12:00:00Z"), still_useful_before=timedelta(minutes=30))
        too_late = reminders.schedule_reminder(
            conn, appointment_id=8, to=OTHER, body="오늘 오전 10시 30분 상담이 있습니다.",
            due_at=parse_iso("2026-11-23T00:00:00Z"), appointment_at=parse_iso("2026-11-23T01:20:00Z"),
            key="remind:8:day", now=parse_iso("2026-11-22T12:00:00Z"),
            still_useful_before=timedelta(minutes=30))
        again = reminders.schedule_reminder(
            conn, appointment_id=7, to=PHONE, body="x", due_at=parse_iso("2026-11-23T00:00:00Z"),
            appointment_at=appointment_at, key="remind:7:day", now=parse_iso("2026-11-22T12:00:00Z"),
            still_useful_before=timedelta(minutes=30))
    assert (late.status, too_late.status, again.reason) == ("queued", "queued", "duplicate")
    row = conn.execute("SELECT valid_until FROM sms_messages WHERE id = ?", (late.id,)).fetchone()
    assert row[0] == "2026-11-23T04:30:00Z"  # 30 minutes before the appointment
    # The scheduler was down at the reminders' moment (09:00); it is back at 10:00.
    counts = dispatch.run(app)
    assert counts["expired"] == 1
    statuses = dict(conn.execute("SELECT dedupe_key, status FROM sms_messages").fetchall())
    assert statuses == {"remind:7:day": "delivered", "remind:8:day": "expired"}


def test_withdrawn_reminders_are_not_sent(app, conn, clock):
    with db.transaction(conn):
        reminders.schedule_reminder(
            conn, appointment_id=9, to=PHONE, body="내일 상담이 있습니다.", due_at=clock.now() + timedelta(hours=3),
            appointment_at=clock.now() + timedelta(days=1), key="remind:9:24h", now=clock.now(),
            still_useful_before=timedelta(hours=2))
        assert reminders.withdraw_reminders(conn, 9, clock.now()) == 1
    clock.advance(hours=4)
    dispatch.run(app)
    assert [m["status"] for m in messages(conn)] == ["cancelled"]


def test_appointment_reminders_stop_when_the_setting_says():
    from kiosk.counseling.texts import settings_from

    assert settings_from({}).reminder_useful_until == timedelta(minutes=30)
    assert settings_from({"REMINDER_USEFUL_UNTIL_MINUTES": 45}).reminder_useful_until == timedelta(minutes=45)
