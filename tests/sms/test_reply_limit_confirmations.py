"""The auto-reply limit never swallows the confirmation of what a text changed, and says once that it applies."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import COUNSELOR, SEEKER, Phones, appointment, last_appointment_id, register_seeker

from sms.outbound.optout import is_opted_out


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def handled(conn, phone: str) -> list[str]:
    return [row[0] for row in conn.execute("SELECT handled_by FROM sms_inbound WHERE from_number = ? ORDER BY id",
                                           (phone,))]


def test_start_after_six_answers_is_confirmed(phones, conn):
    assert "수신거부 처리" in phones.text(SEEKER, "STOP")
    for _ in range(5):
        assert phones.text(SEEKER, "도움")
    # the seventh text in ten minutes: START changes something, so it is confirmed all the same
    assert "다시 시작" in phones.text(SEEKER, "START")
    assert not is_opted_out(conn, SEEKER)
    # a second START changes nothing, so it is no confirmation: the limit holds, said once
    assert "10분간 자동 답장을 멈춥니다" in phones.text(SEEKER, "START")
    assert phones.text(SEEKER, "START") == ""
    assert handled(conn, SEEKER)[-3:] == ["opt_in", "opt_in:limit_notice", "opt_in:rate_limited"]


def test_a_1_to_an_appointment_at_the_limit_is_confirmed(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:00")
    number = last_appointment_id(conn)
    phones.dispatch()
    for _ in range(6):
        assert phones.text(SEEKER, "안녕하세요")
    assert phones.text(SEEKER, "1").startswith("예약이 확정되었습니다")
    assert appointment(conn, number)["status"] == "confirmed"
    # a second 1 confirms nothing new: not owed past the limit (told once that answers pause)
    assert "10분간 자동 답장을 멈춥니다" in phones.text(SEEKER, "1")
    assert phones.text(SEEKER, "2").startswith("예약을 취소했습니다")
    assert appointment(conn, number)["status"] == "cancelled"


def test_noise_past_the_limit_is_told_once_then_silence(phones, conn):
    answers = [phones.text(SEEKER, "광고 문자입니다") for _ in range(9)]
    assert all(answers[:6])
    assert "10분간 자동 답장을 멈춥니다" in answers[6] and "1588-0000" in answers[6]
    assert answers[7:] == ["", ""]
    assert handled(conn, SEEKER)[6:] == ["fallback:limit_notice", "fallback:rate_limited", "fallback:rate_limited"]


def test_a_counselors_command_result_is_sent_past_their_limit(app, phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    app.config["SMS_COUNSELOR_AUTOREPLY_MAX"] = 3
    phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:00")
    number = last_appointment_id(conn)
    for _ in range(3):
        phones.text(COUNSELOR, "목록 11/25")
    assert phones.text(COUNSELOR, f"취소 {number}").startswith(f"#{number} 취소 완료")
    assert appointment(conn, number)["status"] == "cancelled"


@pytest.mark.parametrize("counselors", ["on shift", "none"])
def test_a_second_request_for_counseling_at_the_limit_is_not_owed(phones, conn, clock, counselors):
    register_seeker(conn, SEEKER, clock.now())
    if counselors == "none":  # the request waits for a counselor: still only the first is a confirmation
        conn.execute("UPDATE counselors SET active = 0")
        conn.commit()
    for _ in range(6):
        assert phones.text(SEEKER, "안녕하세요")
    assert "상담 요청 R" in phones.text(SEEKER, "상담")
    assert "10분간 자동 답장을 멈춥니다" in phones.text(SEEKER, "상담")
    assert handled(conn, SEEKER)[-2:] == ["ask_counselor", "ask_counselor:limit_notice"]
