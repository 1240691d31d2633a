"""Whole conversations through the signed inbound webhook, with the clock advanced."""

from __future__ import annotations

import re

import pytest
from counselor_sms_helpers import (
    COUNSELOR,
    SEEKER,
    Phones,
    appointment,
    last_appointment_id,
    register_seeker,
)

from kiosk.counseling import hours as counseling


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def stats_line(runner, label: str) -> str:
    output = runner.invoke(args=["stats", "--from", "2026-11-01", "--to", "2026-11-30"]).output
    return next(line for line in output.splitlines() if label in line)


def test_book_confirm_move_remind_hire_and_count(phones, conn, runner, clock):
    register_seeker(conn, SEEKER, clock.now())
    hired_before = stats_line(runner, "취업자")

    reply = phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:00 이력서 점검")
    number = last_appointment_id(conn)
    assert reply.startswith(f"#{number} 예약 완료") and "11월 25일(수) 오후 2:00" in reply
    assert "010-****-1234" in reply
    booked = appointment(conn, number)
    assert (booked["kind"], booked["status"], booked["memo"]) == ("follow_up", "booked", "이력서 점검")
    phones.dispatch()
    assert "사후상담 예약" in phones.sent_to(SEEKER)[-1]

    # Tuesday 14:00: the 24-hour reminder goes out; the seeker confirms with 1.
    phones.advance_to("2026-11-24T05:00:00Z")
    reminder = phones.sent_to(SEEKER)[-1]
    assert "알림" in reminder and "11월 25일(수) 오후 2:00" in reminder and "참석 1, 취소 2" in reminder
    assert phones.text(SEEKER, "1").startswith("예약이 확정되었습니다")
    assert appointment(conn, number)["status"] == "confirmed"

    # The counselor moves it to 13:00: the old 2-hour reminder is withdrawn, a new one queued.
    reply = phones.text(COUNSELOR, f"변경 {number} 11/25 13:00")
    assert reply.startswith(f"#{number} 변경 완료") and "오후 1:00" in reply
    moved = appointment(conn, number)
    assert (moved["status"], moved["version"]) == ("booked", 2)
    assert [key for key, _ in phones.queued(SEEKER)] == [f"appt:{number}:moved:v2", f"appt:{number}:remind2:v2"]
    phones.dispatch()
    assert "시간 변경" in phones.sent_to(SEEKER)[-1]

    # Wednesday 11:00 (two hours before the new time): the new reminder; 12:00 brings nothing.
    phones.advance_to("2026-11-25T02:00:00Z")
    assert "오후 1:00" in phones.sent_to(SEEKER)[-1] and "알림" in phones.sent_to(SEEKER)[-1]
    count = len(phones.sent_to(SEEKER))
    phones.advance_to("2026-11-25T03:00:00Z")
    assert len(phones.sent_to(SEEKER)) == count

    # After the appointment the counselor records a hire; the seeker is asked once how it went.
    phones.advance_to("2026-11-25T05:00:00Z")
    assert phones.text(COUNSELOR, f"결과 {number} 취업 한빛물산 경비") == f"#{number} 결과 저장: 취업"
    seeker = conn.execute("SELECT * FROM seekers WHERE phone = ?", (SEEKER,)).fetchone()
    assert (seeker["employed_occupation"], seeker["employed_employer"]) == ("security", "한빛물산")
    assert seeker["employed_at"] == "2026-11-25T05:00:00Z"
    phones.dispatch()
    assert "어떠셨나요" in phones.sent_to(SEEKER)[-1]
    assert phones.text(SEEKER, "5").startswith("의견 감사합니다")
    assert conn.execute("SELECT score FROM satisfaction_answers").fetchone()[0] == 5

    hired_after = stats_line(runner, "취업자")
    assert int(re.search(r"(\d+)명", hired_after).group(1)) == int(re.search(r"(\d+)명", hired_before).group(1)) + 1
    assert "경비·청소: 1" in runner.invoke(args=["stats", "--from", "2026-11-25", "--to", "2026-11-25"]).output
    assert "만족도: 100.0%" in stats_line(runner, "만족도")


def test_the_seeker_cancels_at_the_reminder_the_slot_frees_and_the_counselor_is_told(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    phones.text(COUNSELOR, "BOOK 010-5555-1234 11/24 11:00")
    number = last_appointment_id(conn)
    slot = counseling.slot_of(clock.now(), 30).replace(day=24, hour=2, minute=0)
    counselor_id = appointment(conn, number)["counselor_id"]
    assert counselor_id not in counseling.free_counselors(conn, 1, slot, "Asia/Seoul")

    phones.advance_to("2026-11-24T00:00:00Z")          # 09:00, the 2-hour reminder
    assert "참석 1, 취소 2" in phones.sent_to(SEEKER)[-1]
    assert phones.text(SEEKER, "취소").startswith("예약을 취소했습니다")
    assert appointment(conn, number)["status"] == "cancelled"
    assert counselor_id in counseling.free_counselors(conn, 1, slot, "Asia/Seoul")
    phones.dispatch()
    told = phones.sent_to(COUNSELOR)[-1]
    assert f"#{number} 본인 취소" in told and "010-****-1234" in told
    # Saying it again changes nothing and gets the same answer.
    assert phones.text(SEEKER, "2").startswith("예약을 취소했습니다")


def test_an_unregistered_number_is_asked_to_agree_and_the_booking_waits(phones, conn):
    newcomer = "+821066667777"
    reply = phones.text(COUNSELOR, "예약 010-6666-7777 11/25 14:30")
    number = last_appointment_id(conn)
    assert reply.startswith(f"#{number} 동의 대기")
    assert appointment(conn, number)["status"] == "pending_consent"
    assert phones.queued(newcomer) == [(f"appt:{number}:consent:v1", "2026-11-23T01:00:00Z")]
    phones.dispatch()
    assert "동의하면 1" in phones.sent_to(newcomer)[-1]

    assert phones.text(newcomer, "1").startswith("동의해 주셔서 감사합니다")
    booked = appointment(conn, number)
    seeker = conn.execute("SELECT * FROM seekers WHERE id = ?", (booked["seeker_id"],)).fetchone()
    assert booked["status"] == "booked" and seeker["phone"] == newcomer
    consent = conn.execute("SELECT kind, granted, context FROM consents WHERE seeker_id = ?",
                           (seeker["id"],)).fetchone()
    assert tuple(consent) == ("personal_data", 1, "sms")
    assert conn.execute("SELECT phone FROM appointment_consents").fetchone()[0] is None
    assert [k for k, _ in phones.queued(newcomer)] == [f"appt:{number}:remind24:v1", f"appt:{number}:remind2:v1"]
    phones.dispatch()
    assert f"#{number} 동의함" in phones.sent_to(COUNSELOR)[-1]


def test_a_refusal_cancels_the_waiting_booking(phones, conn):
    phones.text(COUNSELOR, "예약 010-6666-7777 11/25 14:30")
    number = last_appointment_id(conn)
    phones.dispatch()
    assert phones.text("+821066667777", "2").startswith("예약하지 않았습니다")
    assert appointment(conn, number)["status"] == "cancelled"
    assert conn.execute("SELECT count(*) FROM seekers WHERE phone = '+821066667777'").fetchone()[0] == 0


def test_an_accompanied_interview_tells_the_seeker_the_details(phones, conn, clock):
    register_seeker(conn, SEEKER, clock.now())
    reply = phones.text(COUNSELOR, "면접 010-5555-1234 11/26 10:00 한빛물산 동행")
    number = last_appointment_id(conn)
    row = appointment(conn, number)
    assert (row["kind"], row["employer"], row["accompanied"]) == ("interview", "한빛물산", 1)
    assert row["slot_start"] is not None and reply.startswith(f"#{number} 예약 완료")
    phones.dispatch()
    text = phones.sent_to(SEEKER)[-1]
    assert "면접 예약" in text and "한빛물산" in text and "상담사가 함께 갑니다" in text
    alone = phones.text(COUNSELOR, "INTERVIEW 010-5555-1234 11/27 10:00 Daesung Foods")
    assert alone.startswith("#")
    assert appointment(conn, last_appointment_id(conn))["slot_start"] is None


def test_the_days_list_is_split_into_short_texts(phones, conn, clock):
    for n in range(9):
        register_seeker(conn, f"+82105555{2000 + n}", clock.now())
        # A counselor typing commands in a row is answered every time: the auto-reply
        # loop guard is for automatic responders, not for counselors.
        assert phones.text(COUNSELOR, f"예약 010-5555-{2000 + n} 11/24 {8 + n // 2}:{30 * (n % 2):02d}").startswith("#")
    clock.advance(minutes=2)
    phones.text(COUNSELOR, f"취소 {last_appointment_id(conn)}")
    clock.advance(minutes=2)
    first = phones.text(COUNSELOR, "목록 내일")
    assert first.startswith("11월 24일(화) 예약 9건 (1/")
    lines = first.splitlines()[1:]
    assert re.fullmatch(r"#\d+ 08:00 사후 010-\*\*\*\*-2000 예약", lines[0])
    assert len(first) <= 150
    phones.dispatch()
    rest = [body for body in phones.sent_to(COUNSELOR) if body.startswith("11월 24일(화) 예약 9건 (")]
    assert first in rest  # the answer in the webhook's response is kept in the history too
    everything = "\n".join(rest)
    assert len(rest) >= 2 and everything.count("#") == 9 and "12:00 사후 010-****-2008 취소" in everything
    clock.advance(minutes=2)
    assert phones.text(COUNSELOR, "LIST 11/30").startswith("11월 30일(월) 예약 없음")


def test_a_counselor_books_against_a_kiosk_referral_id(phones, conn, clock):
    seeker_id = register_seeker(conn, SEEKER, clock.now())
    referral = conn.execute(
        "INSERT INTO referral_requests (seeker_id, opening_id, kiosk_code, center_id, status, created_at,"
        " updated_at, counselor_id) VALUES (?, NULL, 'suwon-station', 1, 'assigned', ?, ?, 1) RETURNING id",
        (seeker_id, "2026-11-23T01:00:00Z", "2026-11-23T01:00:00Z")).fetchone()[0]
    reply = phones.text(COUNSELOR, f"예약 R{referral} 11/25 14:00")
    number = last_appointment_id(conn)
    assert reply.startswith(f"#{number} 예약 완료") and "010-****-1234" in reply
    assert appointment(conn, number)["referral_id"] == referral
    assert conn.execute("SELECT status FROM referral_requests WHERE id = ?", (referral,)).fetchone()[0] == "booked"


def test_the_command_list_is_for_counselors_only(phones, conn):
    for word in ("명령어", "도움", "HELP", "?"):
        listing = phones.text(COUNSELOR, word)
        assert "예약 번호 11/25 14:00" in listing and "결과 예약번호 취업|미취업|불참" in listing
    seekers_help = phones.text(SEEKER, "도움")
    assert seekers_help and "예약 번호" not in seekers_help
    conn.execute("UPDATE counselors SET language = 'en' WHERE phone = '+821055500003'")
    assert "BOOK number 11/25 14:00" in phones.text("+821055500003", "COMMANDS")
    assert "예약 번호" not in phones.text(SEEKER, "명령어")
    phones.text(SEEKER, "예약 010-5555-1234 11/25 14:00")
    assert conn.execute("SELECT count(*) FROM appointments WHERE center_id = 1").fetchone()[0] == 0


def test_the_counselor_learns_when_the_seeker_opted_out_of_texts(phones, conn, clock):
    from sms.outbound.optout import opt_out

    register_seeker(conn, SEEKER, clock.now())
    opt_out(conn, SEEKER, clock.now(), "keyword")
    reply = phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:00")
    assert reply.startswith("#") and "수신거부한 번호라 안내 문자는 가지 않습니다" in reply
    phones.dispatch()
    assert phones.sent_to(SEEKER) == []


def test_an_interview_for_someone_new_asks_them_about_that_interview(phones, conn):
    phones.text(COUNSELOR, "면접 010-6666-7777 11/26 10:00 한빛물산 동행")
    phones.dispatch()
    ask = phones.sent_to("+821066667777")[-1]
    assert "한빛물산 면접을" in ask and "동의하면 1" in ask and "상담사가 함께 갑니다" in ask


@pytest.mark.parametrize("word", ["CANCEL", "cancel.", "취 소", "2"])
def test_cancel_words_from_the_seeker(phones, conn, clock, word):
    register_seeker(conn, SEEKER, clock.now())
    phones.text(COUNSELOR, "예약 010-5555-1234 11/25 14:00")
    phones.dispatch()
    assert phones.text(SEEKER, word).startswith("예약을 취소했습니다")
    assert appointment(conn, last_appointment_id(conn))["status"] == "cancelled"


def test_cancelling_a_booking_that_waits_for_consent_tells_the_person_and_forgets_the_number(phones, conn):
    phones.text(COUNSELOR, "예약 010-6666-7777 11/25 14:30")
    number = last_appointment_id(conn)
    assert phones.text(COUNSELOR, f"취소 {number}").startswith(f"#{number} 취소 완료")
    phones.dispatch()
    assert "취소" in phones.sent_to("+821066667777")[-1]
    row = conn.execute("SELECT phone, granted FROM appointment_consents WHERE appointment_id = ?",
                       (number,)).fetchone()
    assert tuple(row) == (None, None)
    assert phones.text("+821066667777", "1").startswith("이 예약은 바꿀 수 없습니다")


def test_the_satisfaction_question_waits_for_the_configured_quiet_hours_to_end(app, phones, conn, clock):
    app.config.update(QUIET_HOURS_START="13:00", QUIET_HOURS_END="18:00")
    register_seeker(conn, SEEKER, clock.now())
    phones.text(COUNSELOR, "예약 010-5555-1234 11/24 11:00")
    number = last_appointment_id(conn)
    clock.set("2026-11-24T05:00:00Z")                    # 14:00 in Seoul, inside the configured quiet hours
    assert phones.text(COUNSELOR, f"결과 {number} 미취업").startswith(f"#{number} 결과 저장")
    assert (f"appt:{number}:satisfaction", "2026-11-24T09:00:00Z") in phones.queued(SEEKER)
