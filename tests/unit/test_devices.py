"""Kiosk devices and their one-time enrolment codes, on a real database."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from support import SECRET

from kiosk.core.clock import FrozenClock
from kiosk.places import devices, visiting
from kiosk.places.visiting import Shift, Visiting

NOW = FrozenClock("2026-11-23T01:00:00Z").now()


def test_a_code_enrols_one_device_once(conn):
    made = devices.make_code(conn, "suwon-station", NOW, SECRET)
    assert made.expires_at == NOW + timedelta(hours=24) and len(made.code) == 9
    device = devices.redeem(conn, made.code.replace("-", " ").lower(), NOW, SECRET)
    assert (device["kiosk_code"], device["enrolled_how"]) == ("suwon-station", "code")
    with pytest.raises(devices.Refused) as refused:
        devices.redeem(conn, made.code, NOW, SECRET)
    assert refused.value.reason == "used"
    stored = conn.execute("SELECT fingerprint, device_id FROM kiosk_enrolment_codes").fetchone()
    assert made.code.replace("-", "") not in stored["fingerprint"] and stored["device_id"] == device["id"]


def test_codes_expire_are_keyed_and_a_new_one_ends_the_old(conn):
    first = devices.make_code(conn, "suwon-station", NOW, SECRET)
    with pytest.raises(devices.Refused) as other_key:
        devices.redeem(conn, first.code, NOW, "another-secret")
    assert other_key.value.reason == "unknown"
    second = devices.make_code(conn, "suwon-station", NOW + timedelta(minutes=5), SECRET)
    with pytest.raises(devices.Refused) as replaced:
        devices.redeem(conn, first.code, NOW + timedelta(minutes=6), SECRET)
    assert replaced.value.reason == "expired"
    with pytest.raises(devices.Refused) as late:
        devices.redeem(conn, second.code, NOW + timedelta(hours=25), SECRET)
    assert late.value.reason == "expired"
    assert conn.execute("SELECT count(*) FROM kiosk_devices").fetchone()[0] == 0


def test_devices_are_seen_at_most_once_a_minute_listed_and_disabled(conn):
    one = devices.enrol_automatically(conn, "suwon-station", NOW)
    two = devices.enrol_automatically(conn, "suwon-station", NOW - timedelta(hours=1))
    assert devices.seen(conn, one, NOW + timedelta(seconds=30)) is False
    assert devices.seen(conn, one, NOW + timedelta(minutes=1)) is True
    listed = devices.of_kiosks(conn, ["suwon-station", "jobbus-1"])
    assert [d["id"] for d in listed["suwon-station"]] == [one["id"], two["id"]] and listed["jobbus-1"] == []
    later = NOW + timedelta(minutes=3)
    assert devices.is_online(devices.get(conn, one["id"]), later, timedelta(minutes=3))
    assert not devices.is_online(devices.get(conn, two["id"]), later, timedelta(minutes=3))
    assert devices.disable(conn, two["id"], later) and not devices.disable(conn, two["id"], later)
    assert [d["id"] for d in devices.of_kiosks(conn, ["suwon-station"])["suwon-station"]] == [one["id"]]


def test_shifts_that_meet_make_one_span_and_only_staffed_shifts_count_as_on_shift():
    week = {0: (Shift(time(8), time(15), True), Shift(time(15), time(22), False)),
            1: (Shift(time(9), time(12), True), Shift(time(13), time(18), True))}
    place = Visiting("센터", "주소", "", "031", week)
    assert visiting.open_spans(place, 0) == [(time(8), time(22))]
    assert visiting.open_spans(place, 1) == [(time(9), time(12)), (time(13), time(18))]
    assert visiting.open_spans(place, 6) == []
    monday = NOW.replace(tzinfo=None)  # 2026-11-23 is a Monday
    assert visiting.staffed_now(place, monday.replace(hour=14, minute=59))
    assert not visiting.staffed_now(place, monday.replace(hour=15))
