"""The nightly job keeps each day's counts (what the trend charts read for past days) and sums the
kiosks' usage events per kiosk, screen and day before purging them after 90 days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler_helpers import add_seeker

from kiosk.core import db
from kiosk.core.clock import iso
from kiosk.stats import trend, usage
from kiosk.stats.scope import Period, Scope
from scheduler import stats_snapshot

ZONE = "Asia/Seoul"


def test_past_days_come_from_the_snapshots_and_today_from_the_rows(app, conn, clock):
    clock.set("2026-11-21T03:00:00Z")
    add_seeker(conn, "+821000000071", clock.now(), center_id=2)
    add_seeker(conn, "+821000000072", clock.now(), center_id=3)
    clock.set("2026-11-22T15:10:00Z")  # 00:10 on the 23rd: the 21st and 22nd are taken
    assert stats_snapshot.run(app)["days"] == ["2026-11-22"]
    clock.set("2026-11-23T01:00:00Z")
    add_seeker(conn, "+821000000073", clock.now(), center_id=2)  # today: no snapshot yet
    week = Period(date(2026, 11, 21), date(2026, 11, 23))
    counted = {day.isoformat(): c.get("registered", 0) for day, c in trend.read(conn, week, Scope(), ZONE)[0].items()}
    assert counted == {"2026-11-21": 2, "2026-11-22": 0, "2026-11-23": 1}  # the 21st: read from the rows
    # A snapshot is what is read for its day: change it and the trend follows.
    with db.transaction(conn):
        conn.execute("UPDATE stats_snapshots SET data = '{\"registered\": 5, \"hired\": 1}', registered = 5"
                     " WHERE day = '2026-11-22' AND center_id = 0")
    counted = {day.isoformat(): c.get("registered", 0) for day, c in trend.read(conn, week, Scope(), ZONE)[0].items()}
    assert counted == {"2026-11-21": 2, "2026-11-22": 5, "2026-11-23": 1}
    one = trend.read(conn, week, Scope(center_id=2), ZONE)[0]
    assert [c.get("registered", 0) for c in one.values()] == [1, 0, 1]


def test_usage_events_are_summed_per_kiosk_screen_and_day_then_purged_after_90_days(app, conn, clock):
    now = datetime.fromisoformat("2026-11-23T03:00:00+00:00")
    old, recent = now - timedelta(days=100), now - timedelta(days=2)
    with db.transaction(conn):
        for at, kiosk, kind, detail in [
                (old, "suwon-station", "screen", {"screen": "openings"}),
                (old, "suwon-station", "screen", {"screen": "openings"}),
                (old, "jobbus-1", "search", {"q": "경비"}),
                (recent, "suwon-station", "screen", {"screen": "booking"}),
                (recent + timedelta(hours=20), "suwon-station", "screen", {"screen": "booking"})]:
            usage.record(conn, kiosk, kind, detail, at)
    clock.set(iso(now))
    result = stats_snapshot.run(app)
    assert result["usage_purged"] == 3 and result["usage_days"] == ["2026-08-15", "2026-11-21", "2026-11-22"]
    daily = [tuple(r) for r in conn.execute("SELECT day, kiosk_code, screen, views FROM usage_daily ORDER BY day")]
    assert daily == [("2026-08-15", "jobbus-1", "search", 1), ("2026-08-15", "suwon-station", "openings", 2),
                     ("2026-11-21", "suwon-station", "booking", 1), ("2026-11-22", "suwon-station", "booking", 1)]
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone()[0] == 2
    stats_snapshot.run(app)  # the next run the same night changes nothing
    assert [tuple(r) for r in conn.execute("SELECT day, kiosk_code, screen, views FROM usage_daily"
                                           " ORDER BY day")] == daily
