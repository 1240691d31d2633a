"""Every error of the counselor command grammar: the reason and a usage line, and nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from counselor_sms_helpers import COUNSELOR, OTHER_COUNSELOR, SEEKER, Phones, register_seeker

from kiosk.counseling import appointments, bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.texts import settings_from

SETTINGS = settings_from({"TIMEZONE": "Asia/Seoul"})


@pytest.fixture
def world(app, client, conn, clock):
    """A seeker, and appointments of every state the commands refer to by id."""
    register_seeker(conn, SEEKER, clock.now())
    mine = counseling.counselor_by_phone(conn, COUNSELOR)
    theirs = counseling.counselor_by_phone(conn, OTHER_COUNSELOR)

    def book(counselor, phone: str, hour_utc: int, day: int = 25) -> int:
        return bookings.book_by_counselor(
            conn, counselor=counselor, kind="follow_up", phone=phone, now=clock.now(), settings=SETTINGS,
            at=datetime(2026, 11, day, hour_utc, 0, tzinfo=UTC))["id"]

    ids = {"own": book(mine, SEEKER, 5),                       # Wed 14:00, booked
           "other": book(theirs, SEEKER, 4),                   # another counselor's
           "pending": book(mine, "+821066667777", 3),          # waiting for consent
           "cancelled": book(mine, SEEKER, 2, day=26)}
    bookings.cancel(conn, appointments.get(conn, ids["cancelled"]), clock.now(), SETTINGS, by_seeker=False)
    return Phones(app, client, conn, clock), ids


def snapshot(conn) -> tuple:
    tables = ("appointments", "appointment_consents", "seekers", "sms_messages", "satisfaction_answers",
              "referral_requests")
    # The answer itself is kept in the message history; nothing else may change.
    where = {"sms_messages": " WHERE dedupe_key NOT LIKE 'counselor:%:reply:%'"}
    return tuple(tuple(tuple(row) for row in conn.execute(f"SELECT * FROM {table}{where.get(table, '')} ORDER BY 1"))
                 for table in tables)


CASES = [
    ("예약", "전화번호가 없습니다", "예) 예약"),
    ("예약 02-123-4567 11/25 14:00", "휴대전화 번호만", "예) 예약"),
    ("예약 010-12 11/25 14:00", "올바르지 않습니다", "예) 예약"),
    ("예약 010-5555-1234", "날짜와 시간을 적어", "예) 예약"),
    ("예약 010-5555-1234 11/25", "시간을 알 수 없습니다", "예) 예약"),
    ("예약 010-5555-1234 11/25 2시", "오전/오후가 분명하지 않습니다", "예) 예약"),
    ("예약 010-5555-1234 2/30 14:00", "없는 날짜", "예) 예약"),
    ("예약 010-5555-1234 11/25 14:00 15:00", "시간이 두 번", "예) 예약"),
    ("예약 010-5555-1234 11/22 14:00", "지난 시간", "예) 예약"),
    ("예약 010-5555-1234 11/23 09:30", "지난 시간", "예) 예약"),
    ("예약 010-5555-1234 11/25 오전 7시", "상담 시간이 아닙니다", "예) 예약"),
    ("예약 010-5555-1234 11/25 22:00", "상담 시간이 아닙니다", "예) 예약"),
    ("예약 010-5555-9876 11/25 14:10", "이미 예약이 있습니다", "예) 예약"),       # the counselor's slot is full
    ("예약 R999 11/25 14:00", "R999 상담 요청이 없습니다", "예) 예약"),
    ("면접 010-5555-1234 11/26 10:00", "회사명을 적어", "예) 면접"),
    ("면접 010-5555-1234 11/26 10:00 동행", "회사명을 적어", "예) 면접"),
    ("면접 010-5555-1234 11/25 13:00 한빛물산", "본인의 다른 예약", "예) 면접"),  # the seeker is with the other
    ("취소", "예약번호를 적어", "예) 취소"),
    ("취소 abc", "예약번호를 적어", "예) 취소"),
    ("취소 99999", "#99999 예약이 없습니다", "예) 취소"),
    ("취소 {other}", "다른 상담사의 예약", "예) 취소"),
    ("취소 {cancelled}", "이미 취소 상태", "예) 취소"),
    ("취소 {own} 지금", "알 수 없는 말: 지금", "예) 취소"),
    ("변경 {own}", "날짜와 시간을 적어", "예) 변경"),
    ("변경 {own} 11/25 23:00", "상담 시간이 아닙니다", "예) 변경"),
    ("변경 {own} 11/20 10:00", "지난 시간", "예) 변경"),
    ("변경 {own} 11/26 10:00 메모", "알 수 없는 말이 있습니다", "예) 변경"),
    ("변경 {other} 11/26 10:00", "다른 상담사의 예약", "예) 변경"),
    ("변경 {cancelled} 11/27 10:00", "이미 취소 상태", "예) 변경"),
    ("결과 {own} 합격", "취업, 미취업, 불참 중", "예) 결과"),
    ("결과 {own} 취업", "아직 시작 전", "예) 결과"),
    ("결과 {pending} 취업", "아직 본인 동의 전", "예) 결과"),
    ("결과 {other} 취업", "다른 상담사의 예약", "예) 결과"),
    ("결과 {cancelled} 불참", "이미 취소 상태", "예) 결과"),
    ("목록 다음주", "날짜를 알 수 없습니다", "예) 목록"),
    ("아무말 대잔치", "알 수 없는 명령입니다", "명령어:"),
]


@pytest.mark.parametrize("command, reason, usage", CASES, ids=[c[0] for c in CASES])
def test_each_error_gets_its_reason_and_usage_and_changes_nothing(world, conn, command, reason, usage):
    phones, ids = world
    before = snapshot(conn)
    reply = phones.text(COUNSELOR, command.format(**ids))
    assert reason in reply and usage in reply
    assert snapshot(conn) == before


def test_an_english_speaking_counselor_gets_english_reasons(world, conn):
    phones, _ = world
    conn.execute("UPDATE counselors SET language = 'en' WHERE phone = ?", (COUNSELOR,))
    before = snapshot(conn)
    reply = phones.text(COUNSELOR, "BOOK 010-5555-1234 tomorrow 3:00")
    assert "AM or PM?" in reply and "e.g. BOOK 010-1234-5678" in reply
    assert snapshot(conn) == before


def test_commands_from_a_number_that_is_not_a_counselor_do_nothing(world, conn):
    phones, ids = world
    before = snapshot(conn)
    for command in ("예약 010-5555-1234 11/27 14:00", f"취소 {ids['own']}", f"결과 {ids['own']} 취업"):
        phones.text("+821099998888", command)
    assert snapshot(conn) == before
