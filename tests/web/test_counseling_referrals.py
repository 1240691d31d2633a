"""A kiosk's "ask a counselor" request reaches an on-shift counselor of its center, spread over them."""

from __future__ import annotations

import re
from collections import Counter

from counselor_sms_helpers import register_seeker

from kiosk.core.clock import iso
from kiosk.counseling import routing as referral_routing
from kiosk.counseling.texts import settings_from
from kiosk.places import centers

K = "/k/suwon-station"
PHONE = "+821055551234"
SETTINGS = settings_from({"TIMEZONE": "Asia/Seoul"})


def request(conn, seeker_id: int, opening_id: int | None, now, center: int = 1, kiosk: str = "suwon-station") -> int:
    return conn.execute(
        "INSERT INTO referral_requests (seeker_id, opening_id, kiosk_code, center_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", (seeker_id, opening_id, kiosk, center, iso(now), iso(now))
    ).fetchone()[0]


def counselor_texts(conn) -> list:
    return conn.execute("SELECT m.*, k.shift, k.id AS counselor_id FROM sms_messages m"
                        " JOIN counselors k ON k.phone = m.to_number WHERE m.dedupe_key LIKE 'referral:%'"
                        " ORDER BY m.id").fetchall()


def test_asking_at_the_kiosk_texts_an_on_shift_counselor_with_a_short_id(client, conn, clock):
    register_seeker(conn, PHONE, clock.now())
    opening = conn.execute("SELECT id, title, employer FROM openings WHERE status = 'open' LIMIT 1").fetchone()
    start = client.get(f"{K}/openings/{opening['id']}/ask")
    assert start.status_code == 303
    page = client.get(f"{K}/verify/phone")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post(f"{K}/verify/phone", data={"csrf_token": token, "phone": "010-5555-1234"})
    code = re.search(r"\d{6}", conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp'").fetchone()[0])
    client.post(f"{K}/verify/code", data={"csrf_token": token, "code": code.group(0)})
    assert client.post(f"{K}/openings/{opening['id']}/ask", data={"csrf_token": token}).status_code == 303

    referral = conn.execute("SELECT * FROM referral_requests").fetchone()
    assert referral["status"] == "assigned" and referral["assigned_at"] == iso(clock.now())
    [text] = counselor_texts(conn)
    assert text["counselor_id"] == referral["counselor_id"] and text["shift"] == 1   # 10:00: the morning shift
    assert f"R{referral['id']}" in text["body"] and "010-****-1234" in text["body"]
    assert opening["employer"] in text["body"] and f"예약 R{referral['id']}" in text["body"]
    assert text["next_attempt_at"] == iso(clock.now())


def test_requests_are_spread_over_the_counselors_on_shift(conn, clock):
    seeker_id = register_seeker(conn, PHONE, clock.now())
    openings = [row[0] for row in conn.execute("SELECT id FROM openings LIMIT 8")]
    for opening in openings:
        request(conn, seeker_id, opening, clock.now())
    assert referral_routing.assign_new(conn, clock.now(), SETTINGS) == 8
    load = Counter(row["counselor_id"] for row in counselor_texts(conn))
    assert len(load) == 4 and set(load.values()) == {2}
    assert {row["shift"] for row in counselor_texts(conn)} == {1}
    assert referral_routing.assign_new(conn, clock.now(), SETTINGS) == 0     # each goes out once


def test_a_request_at_night_waits_for_the_next_shift(conn, clock):
    clock.set("2026-11-23T14:30:00Z")                       # 23:30 in Seoul: the booth closed at 22:00
    seeker_id = register_seeker(conn, PHONE, clock.now())
    request(conn, seeker_id, None, clock.now())
    assert referral_routing.assign_new(conn, clock.now(), SETTINGS) == 1
    [text] = counselor_texts(conn)
    assert text["shift"] == 1 and text["next_attempt_at"] == "2026-11-23T23:00:00Z"   # 08:00 on Tuesday
    assert "일자리 상담" in text["body"]


def test_a_center_without_counselors_or_partner_keeps_the_request_open(conn, clock):
    bus = conn.execute("SELECT id FROM centers WHERE kind = 'bus'").fetchone()[0]
    centers.set_partner(conn, bus, None)  # with its partner it goes there (tests/unit/test_casework.py)
    seeker_id = register_seeker(conn, PHONE, clock.now(), kiosk="jobbus-1", center=bus)
    request(conn, seeker_id, None, clock.now(), center=bus, kiosk="jobbus-1")
    assert referral_routing.assign_new(conn, clock.now(), SETTINGS) == 0
    assert conn.execute("SELECT status FROM referral_requests").fetchone()[0] == "new"


def test_requests_left_unsent_are_sent_from_the_command_line(runner, conn, clock):
    seeker_id = register_seeker(conn, PHONE, clock.now())
    request(conn, seeker_id, None, clock.now())
    result = runner.invoke(args=["counselors", "route-referrals"])
    assert result.exit_code == 0 and "Sent 1 request(s)" in result.output
    assert conn.execute("SELECT status FROM referral_requests").fetchone()[0] == "assigned"
