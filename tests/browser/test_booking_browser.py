"""Booking counseling with a finger: Chromium, 1080×1920 touch, through the real phone and code screens."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from axe_check import axe_violations
from counselor_sms_helpers import register_seeker
from kiosk_taps import pass_phone_and_code

from kiosk.counseling import bookings
from kiosk.counseling.texts import settings_from

K = "/k/suwon-station"
PHONE = "+821077775678"
SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)      # Tuesday 11:00 in Seoul



def test_a_registered_seeker_books_and_loses_the_last_place_to_another_kiosk(page, conn, clock):
    register_seeker(conn, PHONE, clock.now())
    page.goto(f"{K}/")
    page.get_by_role("link", name=re.compile("상담 예약하기")).tap()

    # Not verified yet: the phone and code screens come first.
    pass_phone_and_code(page, conn, "01077775678")

    # Verified: straight on to booking.
    page.wait_for_url(re.compile(r"/booking$"))
    assert page.get_by_role("heading", name="상담 예약").is_visible()
    assert "수원역 일자리센터 상담부스" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name="11월 24일(화)").tap()
    page.wait_for_url(re.compile(r"day=2026-11-24"))
    eleven = page.get_by_role("link", name=re.compile(r"^오전 11:00"))
    assert "4자리" in eleven.inner_text()
    eleven.tap()
    confirm = page.get_by_role("button", name="예약하기")
    assert "11월 24일(화) 오전 11:00" in page.locator(".booking-confirm").inner_text()

    # While this visitor looks, other kiosks take every place at 11:00.
    for n in range(4):
        other = register_seeker(conn, f"+82109999100{n}", clock.now())
        bookings.book_at_kiosk(conn, seeker_id=other, center_id=1, slot_start=SLOT, kiosk_code="suwon-center",
                               now=clock.now(), settings=settings_from({"TIMEZONE": "Asia/Seoul"}))
    confirm.tap()
    alert = page.get_by_role("alert")
    assert "방금 다른 분이 그 시간을 예약했습니다" in alert.inner_text()
    assert axe_violations(page) == []
    nearest = alert.get_by_role("link", name=re.compile(r"11월 24일\(화\) 오전 11:30"))
    nearest.tap()
    page.get_by_role("button", name="예약하기").tap()

    page.wait_for_url(re.compile(r"/booking/\d+$"))
    assert page.get_by_role("heading", name="예약되었습니다").is_visible()
    status = page.get_by_role("status").inner_text()
    assert "11월 24일(화) 오전 11:30" in status and "010-****-5678" in status and "7777" not in page.content()
    assert axe_violations(page) == []
    row = conn.execute("SELECT a.starts_at, a.status FROM appointments a JOIN seekers s ON s.id = a.seeker_id"
                       " WHERE s.phone = ?", (PHONE,)).fetchone()
    assert tuple(row) == ("2026-11-24T02:30:00Z", "booked")


def sign_in(page, conn) -> None:
    """A registered seeker verifies on the phone and code screens and arrives at booking."""
    page.goto(f"{K}/booking")
    pass_phone_and_code(page, conn, "01077775678")
    page.wait_for_url(re.compile(r"/booking$"))


def booked(conn) -> list[tuple]:
    return [tuple(row) for row in conn.execute(
        "SELECT a.starts_at, a.status FROM appointments a JOIN seekers s ON s.id = a.seeker_id"
        " WHERE s.phone = ?", (PHONE,))]


def test_a_tap_on_a_time_asks_first_and_a_double_tap_on_confirm_books_once(page, conn, clock):
    register_seeker(conn, PHONE, clock.now())
    sign_in(page, conn)
    page.get_by_role("link", name="11월 24일(화)").tap()
    page.wait_for_url(re.compile(r"day=2026-11-24"))
    page.get_by_role("link", name=re.compile(r"^오전 11:00")).tap()

    # The tap only asks: the day, the time and the center, and two big answers; nothing booked.
    page.wait_for_url(re.compile(r"slot="))
    confirm = page.locator(".booking-confirm")
    assert page.get_by_role("heading", name="이 시간으로 예약할까요?").is_visible()
    assert "11월 24일(화) 오전 11:00" in confirm.inner_text() and "수원역 일자리센터 상담부스" in confirm.inner_text()
    assert booked(conn) == []
    assert axe_violations(page) == []
    sizes = page.evaluate("""[...document.querySelectorAll('.booking-confirm .button')]
        .map(b => b.getBoundingClientRect().height)""")
    assert len(sizes) == 2 and min(sizes) >= 112

    # "Another time" goes back to that day's times, still nothing booked.
    page.get_by_role("link", name="다른 시간 고르기").tap()
    page.wait_for_url(re.compile(r"day=2026-11-24$"))
    assert booked(conn) == []
    page.get_by_role("link", name=re.compile(r"^오전 11:30")).tap()

    # An impatient double tap on 예약하기 books exactly one appointment.
    page.get_by_role("button", name="예약하기").dblclick()
    page.wait_for_url(re.compile(r"/booking/\d+$"))
    assert page.get_by_role("heading", name="예약되었습니다").is_visible()
    assert booked(conn) == [("2026-11-24T02:30:00Z", "booked")]


def test_the_chosen_day_is_marked_and_looks_unlike_the_times(page, conn, clock):
    register_seeker(conn, PHONE, clock.now())
    sign_in(page, conn)
    page.get_by_role("link", name="11월 24일(화)").tap()
    page.wait_for_url(re.compile(r"day=2026-11-24"))
    chosen = page.locator(".booking-days [aria-current]")
    assert chosen.count() == 1 and chosen.get_attribute("aria-current") == "date"
    assert "11월 24일(화)" in chosen.inner_text()
    look = """e => { const s = getComputedStyle(e);
        return [s.backgroundColor, s.borderRadius, s.borderLeftWidth, s.color].join('|'); }"""
    day = chosen.evaluate(look)
    other_days = page.locator(".booking-days a:not([aria-current])").evaluate_all(f"es => es.map({look})")
    times = page.locator(".booking-slots a").evaluate_all(f"es => es.map({look})")
    assert len(times) > 5 and other_days
    assert day not in times and day not in other_days
    assert not set(times) & set(other_days)
