"""Booking a counseling slot at the kiosk through the Flask test client."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from counselor_sms_helpers import latest_code, register_seeker

from kiosk.core.clock import iso
from kiosk.counseling import bookings
from kiosk.counseling.texts import settings_from

K = "/k/suwon-station"
PHONE = "+821055551234"
SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)   # Tuesday 11:00 in Seoul


class Seeker:
    """A registered seeker at the kiosk who logs in through the phone and code screens."""

    def __init__(self, client, conn) -> None:
        self.client, self.conn = client, conn

    def token(self, page) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def log_in(self) -> None:
        start = self.client.get(f"{K}/booking")
        assert start.status_code == 303 and "/verify/phone" in start.headers["Location"]
        token = self.token(self.client.get(f"{K}/verify/phone"))
        self.client.post(f"{K}/verify/phone", data={"csrf_token": token, "phone": "010-5555-1234"})
        done = self.client.post(f"{K}/verify/code", data={"csrf_token": token, "code": latest_code(self.conn)})
        # A visitor who came to book goes straight on to booking once the code is right.
        assert done.status_code == 303 and done.headers["Location"].endswith(f"{K}/booking")

    def book(self, slot: datetime, center: int = 1):
        token = self.token(self.client.get(f"{K}/booking"))
        return self.client.post(f"{K}/booking", data={"csrf_token": token, "center": center, "slot": iso(slot)})


@pytest.fixture
def seeker(client, conn, clock):
    register_seeker(conn, PHONE, clock.now())
    visitor = Seeker(client, conn)
    visitor.log_in()
    return visitor


def test_a_visitor_who_has_not_verified_is_sent_to_the_phone_screen(client):
    response = client.get(f"{K}/booking")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{K}/verify/phone")


def test_the_kiosks_own_center_comes_first_with_its_free_times(seeker, client):
    page = client.get(f"{K}/booking").text
    assert page.index("수원역 일자리센터 상담부스") < page.index("다른 센터")
    assert "11월 23일(월) 시간을 고르세요" in page and "오전 10:30" in page and "4자리" in page
    assert "slot=2026-11-23T01:30:00Z" in page   # a tap on a time asks first
    assert "수원시 일자리센터" in page            # another center to choose


def test_a_chosen_time_is_confirmed_before_it_is_booked(seeker, client, conn):
    before = conn.execute("SELECT count(*) FROM appointments").fetchone()[0]
    page = client.get(f"{K}/booking?center=1&day=2026-11-23&slot=2026-11-23T01:30:00Z").text
    assert "이 시간으로 예약할까요?" in page and "11월 23일(월) 오전 10:30" in page
    assert 'value="2026-11-23T01:30:00Z"' in page and "예약하기" in page and "다른 시간 고르기" in page
    assert conn.execute("SELECT count(*) FROM appointments").fetchone()[0] == before
    # A time that is not free (or not a time) shows the day's times, not a confirmation.
    assert "이 시간으로 예약할까요?" not in client.get(f"{K}/booking?slot=2026-11-23T01:31:00Z").text
    assert client.get(f"{K}/booking?slot=soon").status_code == 200


def test_booking_a_slot_confirms_on_screen_and_by_text(seeker, client, conn):
    response = seeker.book(SLOT)
    assert response.status_code == 303
    # Booking the same slot again (a double tap) shows the same booking and makes no second one.
    again = seeker.book(SLOT)
    assert again.status_code == 303 and again.headers["Location"] == response.headers["Location"]
    assert conn.execute("SELECT count(*) FROM appointments WHERE center_id = 1").fetchone()[0] == 1
    done = client.get(response.headers["Location"])
    assert "예약되었습니다" in done.text and "11월 24일(화) 오전 11:00" in done.text
    assert "010-****-1234" in done.text and PHONE not in done.text and "마치기" in done.text
    row = conn.execute("SELECT * FROM appointments WHERE center_id = 1").fetchone()
    assert (row["kind"], row["status"], row["booked_via"], row["kiosk_code"]) == \
        ("counseling", "booked", "kiosk", "suwon-station")
    texts = conn.execute("SELECT dedupe_key FROM sms_messages WHERE to_number = ? AND appointment_id = ?",
                         (PHONE, row["id"])).fetchall()
    assert len(texts) == 3
    # The booked screen ended the personal part of the visit: the next person needs a code.
    assert client.get(f"{K}/my").headers["Location"].endswith(f"{K}/verify/phone")
    assert client.get(response.headers["Location"]).status_code == 404


def test_someone_else_taking_the_last_place_shows_the_nearest_free_ones(seeker, client, conn, clock):
    settings = settings_from({"TIMEZONE": "Asia/Seoul"})
    for n in range(4):
        other = register_seeker(conn, f"+82109999000{n}", clock.now())
        bookings.book_at_kiosk(conn, seeker_id=other, center_id=1, slot_start=SLOT, kiosk_code="suwon-center",
                               now=clock.now(), settings=settings)
    response = seeker.book(SLOT)
    assert response.status_code == 409
    assert "방금 다른 분이 그 시간을 예약했습니다" in response.text
    assert "가까운 빈 시간" in response.text
    assert "slot=2026-11-24T01:30:00Z" in response.text and "slot=2026-11-24T02:30:00Z" in response.text
    assert conn.execute("SELECT count(*) FROM appointments WHERE center_id = 1").fetchone()[0] == 4


def test_a_booking_is_shown_only_to_its_seeker(seeker, client, conn, clock):
    other = register_seeker(conn, "+821099990001", clock.now())
    theirs = bookings.book_at_kiosk(conn, seeker_id=other, center_id=1, slot_start=SLOT, kiosk_code=None,
                                    now=clock.now(), settings=settings_from({"TIMEZONE": "Asia/Seoul"}))
    assert client.get(f"{K}/booking/{theirs}").status_code == 404


def test_an_opted_out_seeker_is_told_no_text_was_sent(seeker, client, conn, clock):
    from sms.outbound.optout import opt_out

    opt_out(conn, PHONE, clock.now(), "keyword")
    done = client.get(seeker.book(SLOT).headers["Location"])
    assert "수신거부 상태라 확인 문자를 보내지 않았습니다" in done.text and "START" in done.text
