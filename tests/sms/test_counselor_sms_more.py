"""Counselors by text: names in their list, bookings inside their own shift, answers kept in the history."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import COUNSELOR, SEEKER, Phones, last_appointment_id, register_seeker

from kiosk.seekers import store as seekers


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def test_the_list_names_the_counselors_own_seekers_with_the_last_four_digits(phones, conn, clock):
    seekers.register(conn, phone="+821055552222", profile={"name": "홍길동", "birth_year": 1960}, wanted={},
                     alerts=False, night=False, kiosk={"code": "suwon-station", "center_id": 1},
                     consent_ids=[], now=clock.now())
    conn.commit()
    register_seeker(conn, SEEKER, clock.now())  # gave no name
    phones.text(COUNSELOR, "예약 010-5555-2222 11/25 10:00")
    phones.text(COUNSELOR, "예약 010-5555-1234 11/25 11:00")
    lines = phones.text(COUNSELOR, "목록 11/25").splitlines()
    assert lines[1].endswith("10:00 사후 홍길동(2222) 예약")
    assert lines[2].endswith("11:00 사후 010-****-1234 예약")


def test_a_morning_counselor_cannot_book_the_afternoon_shift(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    before = last_appointment_id(conn)
    reply = phones.text(COUNSELOR, "예약 010-5555-1234 11/25 15:00")  # the booth's shifts: 08-15, 15-22
    assert reply.startswith("그 시간은 근무 시간(08:00~15:00)이 아닙니다.") and "예) 예약" in reply
    assert last_appointment_id(conn) == before
    assert phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:30").startswith("#")
    number = last_appointment_id(conn)
    assert phones.text(COUNSELOR, f"변경 {number} 11/25 16:00").startswith("그 시간은 근무 시간")


def test_every_answer_to_a_counselor_is_in_the_message_history(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    answers = [phones.text(COUNSELOR, body) for body in ("도움", "예약 010-5555-1234 11/25 14:00", "목록 11/25",
                                                           "아무 말")]
    history = conn.execute("SELECT body, status, kind FROM sms_messages WHERE to_number = ? AND dedupe_key"
                           " LIKE 'counselor:%:reply:%' ORDER BY id", (COUNSELOR,)).fetchall()
    assert [row["body"] for row in history] == answers
    assert {(row["status"], row["kind"]) for row in history} == {("sent", "transactional")}
    phones.dispatch()  # kept as sent: the dispatcher does not send them a second time
    assert phones.sent_to(COUNSELOR)[-4:] == answers
