"""The auto-reply limit on counselor numbers: commands have a high limit of their own, anything else counts."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import COUNSELOR, Phones


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def test_an_auto_responder_on_a_counselor_phone_does_not_loop(phones):
    answers = [phones.text(COUNSELOR, "[자동응답] 운전 중입니다. 나중에 연락드리겠습니다.") for _ in range(8)]
    assert all("알 수 없는 명령" in answer for answer in answers[:6])
    assert "멈춥니다" in answers[6] and answers[7] == ""  # told once, then silence


def test_a_counselors_commands_are_answered_past_the_limit_and_do_not_count(phones, conn):
    for _ in range(6):
        phones.text(COUNSELOR, "운전 중")
    assert "멈춥니다" in phones.text(COUNSELOR, "운전 중")
    assert phones.text(COUNSELOR, "운전 중") == ""
    assert "예약" in phones.text(COUNSELOR, "목록"), "a recognised command is still answered"
    assert "예약 번호 11/25 14:00" in phones.text(COUNSELOR, "도움")
    handled = [row[0] for row in conn.execute("SELECT handled_by FROM sms_inbound ORDER BY id")]
    assert handled == ["counselor:unknown"] * 6 + ["counselor:unknown:limit_notice", "counselor:unknown:rate_limited",
                                                     "counselor", "counselor"]


def test_many_commands_leave_room_for_a_typo_to_be_answered(phones):
    for _ in range(10):
        assert "예약 번호 11/25 14:00" in phones.text(COUNSELOR, "도움")
    assert "알 수 없는 명령" in phones.text(COUNSELOR, "묵록")


def test_an_auto_reply_that_reads_like_a_command_is_stopped_by_the_counselors_own_limit(app, phones):
    app.config["SMS_COUNSELOR_AUTOREPLY_MAX"] = 12
    answers = [phones.text(COUNSELOR, "Done for the day, I will reply tomorrow") for _ in range(15)]
    assert all(answers[:13]) and "멈춥니다" in answers[12] and answers[13:] == ["", ""]
