"""Counselors record consultations (kind, channel) and placement referrals by text, for the figures."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import COUNSELOR, SEEKER, Phones, last_appointment_id, register_seeker


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def rows(conn, sql: str) -> list[tuple]:
    return [tuple(row) for row in conn.execute(sql)]


def test_an_attended_counseling_is_a_consultation_of_the_kind_and_channel_given(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    phones.text(COUNSELOR, "예약 010-5555-1234 11/24 11:00")
    first = last_appointment_id(conn)
    phones.text(COUNSELOR, "예약 010-5555-1234 11/24 13:00")
    second = last_appointment_id(conn)
    clock.set("2026-11-24T07:00:00Z")
    assert phones.text(COUNSELOR, f"결과 {first} 미취업").startswith(f"#{first} 결과 저장")
    assert phones.text(COUNSELOR, f"결과 {second} 미취업 창업 전화").startswith(f"#{second} 결과 저장")
    assert rows(conn, "SELECT appointment_id, topic, channel, at FROM consultations ORDER BY id") == [
        (first, "job_seeking", "visit", "2026-11-24T02:00:00Z"),
        (second, "business", "phone", "2026-11-24T04:00:00Z")]


def test_a_consultation_by_phone_and_a_referral_to_an_employer(phones, conn, clock):
    seeker_id = register_seeker(conn, SEEKER, clock.now())
    assert phones.text(COUNSELOR, "상담기록 010-5555-1234 창업") == "상담 기록: 창업, 전화"
    assert phones.text(COUNSELOR, "consult 010-5555-1234 text") == "상담 기록: 구직, 문자"
    reply = phones.text(COUNSELOR, "알선 010-5555-1234 한빛물산 경비")
    assert reply.endswith("알선 기록: 한빛물산")
    phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:00")
    number = last_appointment_id(conn)
    phones.text(COUNSELOR, f"알선 {number} 새봄식품")
    counselor = conn.execute("SELECT id, center_id FROM counselors WHERE phone = ?", (COUNSELOR,)).fetchone()
    assert rows(conn, "SELECT seeker_id, center_id, counselor_id, topic, channel FROM consultations ORDER BY id") == [
        (seeker_id, counselor[1], counselor[0], "business", "phone"),
        (seeker_id, counselor[1], counselor[0], "job_seeking", "text")]
    assert rows(conn, "SELECT seeker_id, appointment_id, employer, occupation FROM placements ORDER BY id") == [
        (seeker_id, None, "한빛물산", "security"), (seeker_id, number, "새봄식품", None)]


def test_bad_records_say_why_and_change_nothing(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    reply = phones.text(COUNSELOR, "알선 010-5555-1234")
    assert "회사명을 적어 주세요." in reply and "예) 알선 12 회사명 경비" in reply
    assert "등록된 구직자의 번호가 아닙니다." in phones.text(COUNSELOR, "상담기록 010-9999-0000")
    assert "9999" in phones.text(COUNSELOR, "알선 9999 한빛물산")  # no such appointment
    assert "알 수 없는 말: 내일" in phones.text(COUNSELOR, "상담기록 010-5555-1234 내일")
    assert rows(conn, "SELECT count(*) FROM placements") == [(0,)]
    assert rows(conn, "SELECT count(*) FROM consultations") == [(0,)]
    assert "알선 예약번호|번호 회사 [직종]" in phones.text(COUNSELOR, "도움")
