"""Digests come in the window each seeker chose, spread at the send rate; a day that does not
fit folds the least useful into the next digest, and the log and `scheduler --list` say so."""

from __future__ import annotations

import logging
from datetime import date

from scheduler_helpers import add_seeker, messages, opening, post, settle
from support import make_app

from kiosk.alerts import schedule
from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import parse_iso
from kiosk.openings import store as openings
from kiosk.openings.store import short_code
from kiosk.seekers import store as seekers
from scheduler import digest, dispatch, match, retention

MORNING, MIDDAY, EVENING = "+821011110001", "+821011110002", "+821011110003"


def quiet_everyone_else(conn, now) -> None:
    """The demo's seekers pause their alerts, so a test's digests are only its own."""
    with db.transaction(conn):
        for (seeker_id,) in conn.execute("SELECT id FROM seekers").fetchall():
            seekers.set_alerts_paused(conn, seeker_id, True, now)


def choose(conn, seeker_id: int, when: str, now) -> None:
    with db.transaction(conn):
        seekers.set_digest_time(conn, seeker_id, when, now)


def due(conn, phone: str) -> str:
    (row,) = messages(conn, phone)
    return row["next_attempt_at"]


def test_each_digest_is_due_in_the_window_its_seeker_chose(app, conn, clock):
    settle(app, clock)  # Monday's digests are done
    quiet_everyone_else(conn, clock.now())
    for phone, when in ((MORNING, "morning"), (MIDDAY, "midday"), (EVENING, "evening")):
        choose(conn, add_seeker(conn, phone, clock.now(), occupations=["security"]), when, clock.now())
    post(conn, clock.now(), opening())
    clock.advance(minutes=1)
    match.run(app)

    clock.set("2026-11-24T00:00:00Z")  # Tuesday 09:00 in Seoul: the day's digests are planned
    assert digest.run(app)["daily"]["messages"] == 3
    assert parse_iso(due(conn, MORNING)) == parse_iso("2026-11-24T00:00:00Z")  # 09:00
    assert parse_iso(due(conn, MIDDAY)) == parse_iso("2026-11-24T03:00:00Z")  # 12:00
    assert parse_iso(due(conn, EVENING)) == parse_iso("2026-11-24T08:00:00Z")  # 17:00

    dispatch.run(app)  # the morning digest goes; the others wait for their windows
    assert [messages(conn, p)[0]["status"] for p in (MORNING, MIDDAY, EVENING)] == ["delivered", "queued", "queued"]
    clock.set("2026-11-24T08:00:05Z")  # 17:00
    dispatch.run(app)
    assert [messages(conn, p)[0]["status"] for p in (MORNING, MIDDAY, EVENING)] == ["delivered"] * 3


def test_a_day_that_does_not_fit_folds_the_rest_into_the_next_digest(database, clock, tmp_path, caplog):
    # One digest a minute, a two-minute morning: two of five morning digests fit.
    app = make_app(database, clock, tmp_path, SMS_RATE_PER_SECOND=1 / 60, DIGEST_RATE_SHARE=1.0,
                   DIGEST_WINDOWS="morning 09:00-09:02, midday 12:00-12:02, evening 17:00-17:02")
    conn = db.connect(database)
    settle(app, clock)
    quiet_everyone_else(conn, clock.now())
    phones = [f"+82101222000{n}" for n in range(5)]
    regions = ["41130", "41150", "41170", "41190", "41210"]
    for phone, region in zip(phones, regions, strict=True):
        add_seeker(conn, phone, clock.now(), occupations=["agriculture"], regions=[region])
    # Seeker n's opening was posted on day 19+n: the newest matches are the most useful.
    ids = post(conn, clock.now(), *[opening(occupation="agriculture", region=region, posted_on=f"2026-11-{19 + n}")
                                    for n, region in enumerate(regions)])
    clock.advance(minutes=1)
    match.run(app)

    clock.set("2026-11-23T23:59:00Z")  # Tuesday 08:59: before the day starts, the shortfall is known
    listed = app.test_cli_runner().invoke(main, args=["scheduler", "--list"])
    assert listed.exit_code == 0, listed.output
    forecast = next(line for line in listed.output.splitlines() if line.startswith("daily digest 2026-11-24 forecast"))
    assert "morning 2 (last 09:01:00, 3 will not fit)" in forecast

    clock.set("2026-11-24T00:00:00Z")
    with caplog.at_level(logging.INFO, logger="kiosk.alerts.digests"):
        result = digest.run(app)["daily"]
    assert (result["messages"], result["folded"]) == (2, 3)
    assert "3 digests do not fit the day" in caplog.text
    assert [len(messages(conn, p)) for p in phones] == [0, 0, 0, 1, 1]  # the two newest went
    assert parse_iso(due(conn, phones[4])) == parse_iso("2026-11-24T00:00:00Z")
    assert parse_iso(due(conn, phones[3])) == parse_iso("2026-11-24T00:01:00Z")
    listed = app.test_cli_runner().invoke(main, args=["scheduler", "--list"])
    assert "daily digest 2026-11-24 planned: morning 2 (last 09:01:00, 3 will not fit)" in listed.output

    clock.set("2026-11-25T00:00:00Z")  # Wednesday: the folded digests come, newest first again
    assert digest.run(app)["daily"]["messages"] == 2
    body = messages(conn, phones[2])[0]["body"]
    assert short_code(ids[2]) in body
    assert [len(messages(conn, p)) for p in phones] == [0, 1, 1, 1, 1]
    # what is still folded goes once its opening has been closed a week (retention)
    assert conn.execute("SELECT seeker_id FROM digest_folds").fetchall() != []
    with db.transaction(conn):
        openings.close(conn, ids[0], clock.now())
    clock.advance(days=8)
    retention.run(app)
    assert conn.execute("SELECT count(*) FROM digest_folds").fetchone()[0] == 0
    conn.close()


def test_on_mondays_the_daily_digests_follow_the_weekly_ones_send_times(database, clock, tmp_path):
    app = make_app(database, clock, tmp_path, SMS_RATE_PER_SECOND=1 / 60, DIGEST_RATE_SHARE=1.0,
                   DIGEST_WINDOWS="morning 09:00-09:02, midday 12:00-12:02, evening 17:00-17:02")
    conn = db.connect(database)
    settle(app, clock)
    quiet_everyone_else(conn, clock.now())
    weekly, daily, late = "+821013330001", "+821013330002", "+821013330003"
    for phone, frequency in ((weekly, "weekly"), (daily, "daily"), (late, "daily")):
        add_seeker(conn, phone, clock.now(), frequency=frequency, occupations=["agriculture"], regions=["41130"])
    post(conn, clock.now(), opening(occupation="agriculture", region="41130"))
    clock.advance(minutes=1)
    match.run(app)
    clock.set("2026-11-30T00:00:00Z")  # the next Monday 09:00: weekly and daily digests share the morning
    result = digest.run(app)
    assert (result["weekly"]["messages"], result["daily"]["messages"], result["daily"]["folded"]) == (1, 1, 1)
    assert parse_iso(due(conn, weekly)) == parse_iso("2026-11-30T00:00:00Z")
    assert parse_iso(due(conn, daily)) == parse_iso("2026-11-30T00:01:00Z")
    assert messages(conn, late) == []
    conn.close()


def test_the_evening_window_stops_a_minute_short_of_quiet_hours():
    plan = schedule.plan_for(date(2026, 11, 24), {"SMS_RATE_PER_SECOND": 10, "DIGEST_RATE_SHARE": 1.0},
                             parse_iso("2026-11-24T00:00:00Z"))
    assert plan.windows["evening"].end == parse_iso("2026-11-24T11:59:00Z")  # 20:59 in Seoul
    assert plan.windows["midday"].end == parse_iso("2026-11-24T08:00:00Z")  # 17:00, untouched
    late = schedule.plan_for(date(2026, 11, 24), {}, parse_iso("2026-11-24T04:00:00Z"))  # 13:00
    assert list(late.windows) == ["midday", "evening"] and late.window_of("morning").name == "midday"
