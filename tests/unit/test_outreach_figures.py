"""Outreach figures: runs held, registrations and referrals credited to runs and stops, QR scans."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kiosk.core.clock import iso
from kiosk.core.db import transaction
from kiosk.outreach import figures, runs, scans
from kiosk.seekers import referrals

ZONE = "Asia/Seoul"
BUS = {"code": "jobbus-1", "center_id": 7}


def registered_at(conn, phone: str, kiosk_code: str, at: datetime) -> int:
    with transaction(conn):
        return conn.execute("INSERT INTO seekers (phone, kiosk_code, center_id, registered_at, last_active_at)"
                            " VALUES (?, ?, 7, ?, ?) RETURNING id", (phone, kiosk_code, iso(at), iso(at))).fetchone()[0]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_registrations_and_referrals_aboard_are_credited_to_the_run_and_its_stop(conn, clock):
    coming = runs.coming(conn, date(2026, 11, 23))  # the demo's: 25th 용인, 26th 성남, 27th 고양, ...
    yongin, seongnam = coming[0], coming[1]
    with transaction(conn):
        runs.cancel(conn, coming[2]["id"], clock.now())
    a = registered_at(conn, "+821030000001", "jobbus-1", utc("2026-11-25T10:30:00+09:00"))
    registered_at(conn, "+821030000002", "jobbus-1", utc("2026-11-25T23:59:00+09:00"))
    registered_at(conn, "+821030000003", "jobbus-1", utc("2026-11-26T00:01:00+09:00"))  # the next run's day
    registered_at(conn, "+821030000004", "suwon-station", utc("2026-11-25T11:00:00+09:00"))  # not aboard
    opening_id = conn.execute("SELECT min(id) FROM openings").fetchone()[0]
    with transaction(conn):
        referrals.request(conn, seeker_id=a, opening_id=opening_id, kiosk=BUS, now=utc("2026-11-25T11:00:00+09:00"))
    held = figures.per_run(conn, date(2026, 11, 25), date(2026, 11, 27), ZONE)
    assert [(r.run_id, r.registrations, r.referrals) for r in held] == [(yongin["id"], 2, 1), (seongnam["id"], 1, 0)]
    assert figures.runs_held(conn, date(2026, 11, 25), date(2026, 11, 27)) == 2  # the cancelled one is not
    stops = figures.per_stop(conn, date(2026, 11, 25), date(2026, 11, 27), ZONE)
    assert [(s.place, s.region, s.runs, s.registrations, s.referrals) for s in stops] == [
        (yongin["place"], "41460", 1, 2, 1), (seongnam["place"], "41130", 1, 1, 0)]


def test_qr_scans_per_opening_in_a_period(conn):
    with transaction(conn):
        for opening_id, day, times in ((1, date(2026, 11, 23), 2), (2, date(2026, 11, 23), 1),
                                       (2, date(2026, 11, 24), 3), (1, date(2026, 11, 30), 9)):
            for _ in range(times):
                scans.count(conn, opening_id, day)
    assert figures.scans_per_opening(conn, date(2026, 11, 23), date(2026, 11, 29)) == [(2, 4), (1, 2)]
