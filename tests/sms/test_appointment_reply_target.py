"""1 and 2 act only on an appointment still booked and to come; with two, the reply asks which."""

from __future__ import annotations

import pytest
from counselor_sms_helpers import COUNSELOR, SEEKER, Phones, appointment, last_appointment_id, register_seeker

from kiosk.counseling import appointments


@pytest.fixture
def phones(app, client, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    return Phones(app, client, conn, clock)


def book(phones, conn, command: str) -> int:
    assert phones.text(COUNSELOR, command).startswith("#")
    return last_appointment_id(conn)


def test_after_a_cancelled_interview_1_confirms_the_new_booking(phones, conn):
    interview = book(phones, conn, "면접 010-5555-1234 11/26 10:00 한빛물산")
    phones.dispatch()
    follow_up = book(phones, conn, "예약 010-5555-1234 11/25 14:00")
    phones.dispatch()
    phones.text(COUNSELOR, f"취소 {interview}")
    phones.dispatch()  # the interview's cancellation is the latest appointment text the seeker got
    assert "취소" in phones.sent_to(SEEKER)[-1]

    reply = phones.text(SEEKER, "1")
    assert reply.startswith("예약이 확정되었습니다") and "11월 25일(수) 오후 2:00" in reply
    assert appointment(conn, follow_up)["status"] == "confirmed"
    assert appointment(conn, interview)["status"] == "cancelled"


def test_with_two_upcoming_the_reply_asks_which_and_the_number_decides(phones, conn):
    first = book(phones, conn, "예약 010-5555-1234 11/25 14:00")
    second = book(phones, conn, "예약 010-5555-1234 11/26 11:00")
    phones.dispatch()
    texts = phones.sent_to(SEEKER)
    assert f"#{first}" in texts[0] and f"#{second}" in texts[1], "every appointment text names its number"

    question = phones.text(SEEKER, "2")
    assert question.startswith("[잡스탑] 예약이 2건 있습니다.")
    assert f"#{first} 11월 25일(수) 오후 2:00" in question and f"#{second} 11월 26일(목) 오전 11:00" in question
    assert f"2 {first}" in question
    assert [appointment(conn, n)["status"] for n in (first, second)] == ["booked", "booked"]

    assert phones.text(SEEKER, f"2 {second}").startswith("예약을 취소했습니다")
    assert phones.text(SEEKER, f"1 #{first}").startswith("예약이 확정되었습니다")
    assert [appointment(conn, n)["status"] for n in (first, second)] == ["confirmed", "cancelled"]
    # one left to come: a plain 2 is about it
    assert phones.text(SEEKER, "2").startswith("예약을 취소했습니다")
    assert appointment(conn, first)["status"] == "cancelled"


def test_a_number_that_is_not_theirs_or_not_open_changes_nothing(phones, conn):
    mine = book(phones, conn, "예약 010-5555-1234 11/25 14:00")
    assert phones.text(SEEKER, "1 999").startswith("#999 예약이 없습니다")
    register_seeker(conn, "+821055559999", phones.clock.now())
    theirs = book(phones, conn, "예약 010-5555-9999 11/25 14:30")
    assert phones.text(SEEKER, f"2 {theirs}").startswith(f"#{theirs} 예약이 없습니다")
    assert appointment(conn, theirs)["status"] == "booked" and appointment(conn, mine)["status"] == "booked"


def test_a_past_appointment_is_not_confirmed_by_a_late_1(phones, conn):
    number = book(phones, conn, "예약 010-5555-1234 11/25 14:00")
    phones.advance_to("2026-11-25T05:30:00Z")  # half an hour after it started
    assert phones.text(SEEKER, "1").startswith("이 예약은 바꿀 수 없습니다")
    assert appointment(conn, number)["status"] == "booked"


@pytest.mark.sqlite_only
def test_finding_a_numbers_appointments_reads_indexes_only_in_sqlites_plan(conn):
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {appointments.UPCOMING_FOR_PHONE}",
                                           (SEEKER, "2026-11-23T01:00:00Z"))]
    assert not [step for step in plan if step.startswith("SCAN")], plan
