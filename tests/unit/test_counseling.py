"""Hours, shifts, counselors and slots; booking the last place; the counselor commands' CLI."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.core import db
from kiosk.core.clock import iso
from kiosk.counseling import bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.appointments import BookingError, SeekerBusy, SlotTaken
from kiosk.counseling.texts import settings_from
from kiosk.seekers import store as seekers

ZONE = "Asia/Seoul"
SETTINGS = settings_from({"TIMEZONE": ZONE})
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)            # Monday 10:00 in Seoul
SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)           # Tuesday 11:00 in Seoul


def booth(conn) -> int:
    return conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]


def make_seeker(conn, n: int, center_id: int, kiosk: str = "suwon-station") -> int:
    seeker_id, _ = seekers.register(
        conn, phone=f"+82107777{n:04d}", profile={"birth_year": 1962}, wanted={}, alerts=False,
        night=False, kiosk={"code": kiosk, "center_id": center_id}, consent_ids=[], now=NOW)
    return seeker_id


def open_in_slot(conn, center_id: int, at: datetime) -> int:
    return conn.execute("SELECT count(*) FROM appointments WHERE center_id = ? AND slot_start = ?"
                        " AND status IN ('booked', 'confirmed')", (center_id, iso(at))).fetchone()[0]


def test_the_station_booth_is_open_every_day_in_two_shifts_of_four(conn):
    center = booth(conn)
    week = counseling.hours(conn, center)
    assert sorted(week) == list(range(7))
    assert [(f"{s.opens:%H:%M}", f"{s.closes:%H:%M}") for s in week[6]] == [("08:00", "15:00"), ("15:00", "22:00")]
    staff = counseling.counselors(conn, center)
    assert len(staff) == 8 and sorted(c["shift"] for c in staff) == [1] * 4 + [2] * 4
    # City centers: weekdays only.
    city = conn.execute("SELECT id FROM centers WHERE name = '성남시 일자리센터'").fetchone()[0]
    assert sorted(counseling.hours(conn, city)) == [0, 1, 2, 3, 4]


def test_free_places_are_counselors_on_shift_minus_bookings(conn):
    center = booth(conn)
    slots = counseling.free_slots(conn, center, first_day=date(2026, 11, 23), days=14, now=NOW, zone=ZONE)
    assert slots[0].start == NOW + timedelta(minutes=30)          # 10:00 has begun; 10:30 is next
    assert {s.free for s in slots} == {4}
    assert slots[-1].start == datetime(2026, 12, 6, 12, 30, tzinfo=UTC)   # day 14, 21:30 in Seoul
    assert len(slots) == 23 + 13 * 28
    bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, 1, center), center_id=center, slot_start=SLOT,
                           kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    after = {s.start: s.free for s in counseling.free_slots(conn, center, first_day=date(2026, 11, 24),
                                                             days=1, now=NOW, zone=ZONE)}
    assert after[SLOT] == 3 and after[SLOT + timedelta(minutes=30)] == 4


def test_the_shift_change_hands_the_slot_to_the_other_four(conn):
    center = booth(conn)
    before = counseling.free_counselors(conn, center, datetime(2026, 11, 24, 5, 30, tzinfo=UTC), ZONE)  # 14:30
    after = counseling.free_counselors(conn, center, datetime(2026, 11, 24, 6, 0, tzinfo=UTC), ZONE)   # 15:00
    assert len(before) == len(after) == 4 and not set(before) & set(after)
    assert counseling.free_counselors(conn, center, datetime(2026, 11, 24, 13, 0, tzinfo=UTC), ZONE) == []  # 22:00


def test_a_full_slot_refuses_and_the_nearest_free_ones_are_offered(conn):
    center = booth(conn)
    for n in range(4):
        bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, n, center), center_id=center, slot_start=SLOT,
                               kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    with pytest.raises(SlotTaken):
        bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, 9, center), center_id=center, slot_start=SLOT,
                               kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    assert open_in_slot(conn, center, SLOT) == 4
    slots = counseling.free_slots(conn, center, first_day=date(2026, 11, 24), days=1, now=NOW, zone=ZONE)
    assert SLOT not in [s.start for s in slots]
    nearest = [s.start for s in counseling.nearest_free(slots, SLOT, 2)]
    assert nearest == [SLOT - timedelta(minutes=30), SLOT + timedelta(minutes=30)]


def test_two_kiosks_taking_the_last_place_at_once_one_wins(database, conn):
    center = booth(conn)
    for n in range(3):
        bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, n, center), center_id=center, slot_start=SLOT,
                               kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    racers = [make_seeker(conn, 10, center), make_seeker(conn, 11, center)]
    start = threading.Barrier(2)
    results: list[str] = []

    def take(seeker_id: int) -> None:
        kiosk = db.connect(database)      # each kiosk's request has its own connection
        try:
            start.wait()
            bookings.book_at_kiosk(kiosk, seeker_id=seeker_id, center_id=center, slot_start=SLOT,
                                   kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
            results.append("booked")
        except SlotTaken:
            results.append("taken")
        finally:
            kiosk.close()

    threads = [threading.Thread(target=take, args=(s,)) for s in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results) == ["booked", "taken"]
    assert open_in_slot(conn, center, SLOT) == 4


def test_the_same_person_twice_in_one_slot_is_one_booking(conn):
    center = booth(conn)
    seeker_id = make_seeker(conn, 1, center)
    bookings.book_at_kiosk(conn, seeker_id=seeker_id, center_id=center, slot_start=SLOT,
                           kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    with pytest.raises(SeekerBusy):
        bookings.book_at_kiosk(conn, seeker_id=seeker_id, center_id=center, slot_start=SLOT,
                               kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    assert open_in_slot(conn, center, SLOT) == 1


@pytest.mark.parametrize("at, reason", [
    (datetime(2026, 11, 22, 2, 0, tzinfo=UTC), "counseling.error.past"),
    (datetime(2026, 11, 24, 22, 0, tzinfo=UTC), "counseling.error.closed"),     # 07:00 in Seoul
    (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), "counseling.error.closed"),     # 22:00: the booth has closed
])
def test_past_and_closed_times_are_refused(conn, at, reason):
    center = booth(conn)
    with pytest.raises(BookingError) as error:
        bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, 1, center), center_id=center, slot_start=at,
                               kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    assert error.value.reason == reason
    assert conn.execute("SELECT count(*) FROM appointments WHERE center_id = ?", (center,)).fetchone()[0] == 0


def test_a_kiosk_booking_queues_the_confirmation_and_both_reminders(conn):
    center = booth(conn)
    appointment_id = bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, 1, center), center_id=center,
                                            slot_start=SLOT, kiosk_code="suwon-station", now=NOW,
                                            settings=SETTINGS)
    rows = {r["dedupe_key"]: r for r in conn.execute(
        "SELECT * FROM sms_messages WHERE appointment_id = ?", (appointment_id,))}
    counselor_id = conn.execute("SELECT counselor_id FROM appointments WHERE id = ?", (appointment_id,)).fetchone()[0]
    assert set(rows) == {f"appt:{appointment_id}:booked:v1", f"appt:{appointment_id}:remind24:v1",
                         f"appt:{appointment_id}:remind2:v1",
                         f"counselor:{counselor_id}:appt:{appointment_id}:booked:v1"}  # the counselor is told
    booked = rows[f"appt:{appointment_id}:booked:v1"]
    assert booked["to_number"] == "+821077770001" and "11월 24일(화) 오전 11:00" in booked["body"]
    assert "수원역 일자리센터 상담부스" in booked["body"] and "2 답장" in booked["body"]
    assert rows[f"appt:{appointment_id}:remind24:v1"]["next_attempt_at"] == iso(SLOT - timedelta(hours=24))
    assert rows[f"appt:{appointment_id}:remind2:v1"]["next_attempt_at"] == iso(SLOT - timedelta(hours=2))
    assert "참석 1, 취소 2" in rows[f"appt:{appointment_id}:remind2:v1"]["body"]


# --- commands -----------------------------------------------------------------------------

def test_counselors_are_added_and_listed_with_masked_numbers(runner, conn):
    result = runner.invoke(args=["counselors", "add", "문상담", "010-2468-1357", "--center", "성남시", "--shift", "1"])
    assert result.exit_code == 0, result.output
    assert "010-****-1357" in result.output
    row = conn.execute("SELECT * FROM counselors WHERE name = '문상담'").fetchone()
    assert row["phone"] == "+821024681357" and row["shift"] == 1
    listed = runner.invoke(args=["counselors", "list", "--center", "성남시"]).output
    assert "문상담" in listed and "010-****-1357" in listed and "+8210" not in listed
    again = runner.invoke(args=["counselors", "add", "누구", "01024681357", "--center", "성남시"])
    assert again.exit_code != 0 and "already registered" in again.output
    bad = runner.invoke(args=["counselors", "add", "누구", "02-123-4567", "--center", "성남시"])
    assert bad.exit_code != 0 and "휴대전화 번호만 사용할 수 있습니다" in bad.output
    unknown = runner.invoke(args=["counselors", "add", "누구", "01011112222", "--center", "없는센터"])
    assert unknown.exit_code != 0 and "수원역" in unknown.output
    assert conn.execute("SELECT count(*) FROM counselors WHERE name = '누구'").fetchone()[0] == 0


def test_center_hours_are_shown_and_set(runner, conn):
    shown = runner.invoke(args=["centers", "hours", "수원역"]).output
    assert "sun  1: 08:00-15:00, 2: 15:00-22:00" in shown and "30-minute slots" in shown
    result = runner.invoke(args=["centers", "hours", "고양시", "--days", "sat", "--shifts", "10:00-14:00",
                                 "--slot", "20"])
    assert result.exit_code == 0, result.output
    assert "sat  1: 10:00-14:00" in result.output and "20-minute slots" in result.output
    assert "sun  closed" in result.output
    closed = runner.invoke(args=["centers", "hours", "고양시", "--days", "mon", "--shifts", "closed"])
    assert "mon  closed" in closed.output and "tue  1: 09:00-18:00" in closed.output
    refused = runner.invoke(args=["centers", "hours", "고양시", "--days", "sat", "--shifts", "14:00-10:00"])
    assert refused.exit_code != 0 and "'14:00-10:00': use HH:MM-HH:MM" in refused.output
    goyang = conn.execute("SELECT id FROM centers WHERE name = '고양시 일자리센터'").fetchone()[0]
    assert [(f"{s.opens:%H:%M}") for s in counseling.hours(conn, goyang)[5]] == ["10:00"]


def test_only_the_start_of_a_slot_can_be_taken_at_the_kiosk(conn):
    center = booth(conn)
    with pytest.raises(BookingError) as error:
        bookings.book_at_kiosk(conn, seeker_id=make_seeker(conn, 1, center), center_id=center,
                               slot_start=SLOT + timedelta(minutes=10), kiosk_code="suwon-station", now=NOW,
                               settings=SETTINGS)
    assert error.value.reason == "counseling.error.unknown_slot"
    assert conn.execute("SELECT count(*) FROM appointments WHERE center_id = ?", (center,)).fetchone()[0] == 0


def test_an_inactive_counselor_has_no_slots_and_no_commands(runner, conn):
    result = runner.invoke(args=["counselors", "active", "010-5550-0001", "no"])
    assert result.exit_code == 0 and "010-****-0001: inactive" in result.output
    assert counseling.counselor_by_phone(conn, "+821055500001") is None
    assert len(counseling.free_counselors(conn, booth(conn), SLOT, ZONE)) == 3
    unknown = runner.invoke(args=["counselors", "active", "010-1111-2222", "yes"])
    assert unknown.exit_code != 0 and "No counselor has 010-****-2222" in unknown.output
