"""Counseling asked by text makes the kiosk's referral request: routed, texted, answered with who calls when."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import SEEKER, Phones, register_seeker

from kiosk.openings import store as openings


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def referrals(conn) -> list:
    return conn.execute("SELECT r.*, k.name, k.phone AS counselor_phone FROM referral_requests r"
                        " LEFT JOIN counselors k ON k.id = r.counselor_id ORDER BY r.id").fetchall()


def an_open_opening(conn) -> dict:
    return conn.execute("SELECT * FROM openings WHERE status = 'open' AND (deadline IS NULL"
                        " OR deadline >= '2026-11-30') ORDER BY id LIMIT 1").fetchone()


@pytest.mark.parametrize("body", ["상담", "상담 신청하고 싶어요", "지원", "상담원 연결해 주세요", "counseling please"])
def test_asking_in_words_goes_to_a_counselor_on_shift(phones, conn, clock, body):
    register_seeker(conn, SEEKER, clock.now())  # Monday 10:00: the booth's morning shift works
    reply = phones.text(SEEKER, body)
    [referral] = referrals(conn)
    assert (referral["status"], referral["center_id"], referral["opening_id"]) == ("assigned", 1, None)
    assert reply.startswith(f"[잡스탑] 상담 요청 R{referral['id']} 접수")
    assert f"{referral['name']} 상담사가 곧 전화드립니다" in reply
    phones.dispatch()
    assert f"상담 요청 R{referral['id']}" in phones.sent_to(referral["counselor_phone"])[-1]


def test_a_job_code_attaches_the_opening_and_asking_twice_is_one_request(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    opening = an_open_opening(conn)
    code = openings.short_code(opening["id"])
    details = phones.text(SEEKER, code)
    assert f"'상담 {code}' 답장" in details, "the job-code reply says what works"
    reply = phones.text(SEEKER, f"상담 {code}")
    [referral] = referrals(conn)
    assert referral["opening_id"] == opening["id"] and f"R{referral['id']} {code}" in reply
    phones.dispatch()
    assert opening["employer"] in phones.sent_to(referral["counselor_phone"])[-1]
    again = phones.text(SEEKER, f"상담 {code.lower()}")
    assert "이미 접수" in again and len(referrals(conn)) == 1


def test_asking_twice_without_a_job_code_is_one_request_and_one_text_to_the_counselor(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    phones.text(SEEKER, "상담")
    phones.dispatch()
    [referral] = referrals(conn)
    told = phones.sent_to(referral["counselor_phone"])
    again = phones.text(SEEKER, "상담 신청하고 싶어요")
    assert f"R{referral['id']}" in again and "이미 접수" in again
    phones.dispatch()
    assert len(referrals(conn)) == 1 and phones.sent_to(referral["counselor_phone"]) == told


def test_out_of_hours_the_next_shift_is_named_and_texted_when_it_starts(phones, conn, clock):
    clock.set("2026-11-23T14:00:00Z")  # Monday 23:00: the booth closed at 22:00
    register_seeker(conn, SEEKER, clock.now())
    reply = phones.text(SEEKER, "상담")
    [referral] = referrals(conn)
    assert "11월 24일(화) 오전 8:00부터 전화드립니다" in reply
    assert phones.queued(referral["counselor_phone"]) == [(f"referral:{referral['id']}:counselor",
                                                           "2026-11-23T23:00:00Z")]


def test_an_unregistered_number_is_told_how_to_register_or_call(phones, conn):
    reply = phones.text("+821077778888", "상담 신청")
    assert "키오스크에서 등록" in reply and "1588-0000" in reply
    assert referrals(conn) == []


@pytest.mark.parametrize("body", ["지원금 언제 나와요?", "상담료 있나요"])
def test_other_words_that_start_alike_are_not_requests(phones, conn, clock, body):
    register_seeker(conn, SEEKER, clock.now())
    assert "이해하지 못했습니다" in phones.text(SEEKER, body)
    assert referrals(conn) == []


def test_an_english_speaker_is_answered_in_english(phones, conn, clock):
    from kiosk.seekers import store as seekers

    seekers.register(conn, phone=SEEKER, profile={"language": "en"}, wanted={}, alerts=False, night=False,
                     kiosk={"code": "suwon-station", "center_id": 1}, consent_ids=[], now=clock.now())
    conn.commit()
    reply = phones.text(SEEKER, "COUNSELING")
    [referral] = referrals(conn)
    assert reply.startswith(f"[JobStop] Request R{referral['id']} received")
    assert f"Counselor {referral['name']} will call you soon." in reply


def test_texting_is_no_way_round_the_hourly_cap_on_requests(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    codes = [openings.short_code(r["id"]) for r in conn.execute(
        "SELECT id FROM openings WHERE status = 'open' AND (deadline IS NULL OR deadline >= '2026-11-30')"
        " ORDER BY id LIMIT 4")]
    answers = [phones.text(SEEKER, f"상담 {code}") for code in codes]
    assert len(referrals(conn)) == 3  # ASKS_PER_VISITOR_PER_HOUR, shared with the kiosk
    assert "상담 요청이 많아 오전 11:00 이후에 다시 받습니다" in answers[-1]
    assert "이미 접수" in phones.text(SEEKER, f"상담 {codes[0]}")  # asking again about one is still answered
