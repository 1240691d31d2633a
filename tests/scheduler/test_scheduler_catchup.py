"""After downtime: digests catch up once, with everything matched, and never two hours apart;
the instant cap counts the day an alert goes out."""

from __future__ import annotations

from scheduler_helpers import add_seeker, messages, opening, post, settle

from scheduler import digest, match

PHONE = "+821012345678"
OTHER = "+821098765432"



def test_the_catch_up_digest_matches_what_was_posted_while_down(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), occupations=["security"])
    clock.set("2026-11-23T03:00:00Z")  # Monday 12:00: posted, then the scheduler went down
    (opening_id,) = post(conn, clock.now(), opening())
    clock.set("2026-11-24T06:00:00Z")  # back on Tuesday 15:00; matching has not run yet
    result = digest.run(app)
    assert result["matched_batches"] >= 1
    assert result["daily"] == {"slot": "2026-11-24", "ran": True, "seekers": 1, "messages": 1}
    assert f"J{opening_id} " in messages(conn, PHONE)[0]["body"]


def test_a_restart_before_nine_folds_the_missed_digest_into_todays(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), occupations=["security"])
    (opening_id,) = post(conn, clock.now(), opening())
    clock.advance(minutes=1)
    match.run(app)
    clock.set("2026-11-24T18:00:00Z")  # back on Wednesday 03:00: Tuesday's digest was missed
    assert digest.missed(app) == []
    assert digest.run(app)["daily"] == {"slot": "2026-11-24", "ran": False, "why": "folded"}
    assert messages(conn) == []
    clock.set("2026-11-25T00:00:00Z")  # Wednesday 09:00: one digest, covering both days
    assert digest.run(app)["daily"]["messages"] == 1
    (sent,) = messages(conn)
    assert sent["body"].startswith("[잡스탑] 최근 2일 맞춤 일자리 1건\n")
    assert f"J{opening_id} " in sent["body"]


def test_a_late_evening_restart_waits_for_the_morning_digest(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), occupations=["security"])
    post(conn, clock.now(), opening())
    clock.set("2026-11-24T13:30:00Z")  # Tuesday 22:30: the next digest is 10.5 hours away
    assert digest.run(app)["daily"]["why"] == "folded"
    clock.set("2026-11-24T05:00:00Z")  # had it come back at 14:00, it would have run at once
    assert digest.missed(app) == ["daily"]


def test_no_weekly_catch_up_on_a_fresh_install(app, conn, clock):
    add_seeker(conn, PHONE, clock.now(), occupations=["security"], frequency="weekly", min_wage=50000)
    (opening_id,) = post(conn, clock.now(), opening(wage_amount=60000))
    clock.set("2026-11-25T01:00:00Z")  # first start on a Wednesday, 10:00
    assert digest.missed(app) == ["daily"]
    result = digest.run(app)
    assert result["weekly"] == {"slot": "2026-11-23", "ran": False, "why": "first_week"}
    assert messages(conn, PHONE) == []
    clock.set("2026-11-30T00:00:00Z")  # the next Monday 09:00: the first weekly, with everything
    assert digest.run(app)["weekly"]["messages"] == 1
    body = messages(conn, PHONE)[0]["body"]
    assert body.startswith(f"[잡스탑] 이번 주 맞춤 일자리 1건\nJ{opening_id} ")


def test_the_instant_cap_counts_the_day_the_alerts_go_out(app, conn, clock):
    settle(app, clock)
    add_seeker(conn, PHONE, clock.now(), frequency="instant", occupations=["security"])
    add_seeker(conn, OTHER, clock.now(), frequency="instant", occupations=["security"], night=True)
    clock.set("2026-11-23T13:00:00Z")  # Monday 22:00
    post(conn, clock.now(), *[opening() for _ in range(3)])
    clock.advance(minutes=1)
    assert match.run(app)["instant"] == 6
    assert {m["status"] for m in messages(conn, PHONE)} == {"held"}  # they go out Tuesday 08:00
    clock.set("2026-11-23T23:05:00Z")  # Tuesday 08:05
    post(conn, clock.now(), *[opening() for _ in range(3)])
    clock.advance(minutes=1)
    assert match.run(app)["instant"] == 3  # only the night-consent seeker's Tuesday is still free
    assert len(messages(conn, PHONE)) == 3 and len(messages(conn, OTHER)) == 6
