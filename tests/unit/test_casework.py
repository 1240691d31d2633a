"""The referral queue and the appointment views the console reads, and staff assigning a request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kiosk.core import db
from kiosk.counseling import agenda, bookings, referral_queue, routing
from kiosk.counseling import hours as counseling
from kiosk.counseling.texts import settings_from
from kiosk.places import centers
from kiosk.seekers import referrals
from kiosk.seekers import store as seekers

ZONE = "Asia/Seoul"
SETTINGS = settings_from({"TIMEZONE": ZONE})
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)            # Monday 10:00 in Seoul
HOUR = timedelta(hours=1)


def booth(conn) -> int:
    return conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]


def seeker(conn, n: int, center_id: int, name: str | None = None) -> int:
    seeker_id, _ = seekers.register(
        conn, phone=f"+82107777{n:04d}", profile={"birth_year": 1962, "name": name},
        wanted={"occupation": ["care", "security"]}, alerts=False, night=False,
        kiosk={"code": "suwon-station", "center_id": center_id}, consent_ids=[], now=NOW)
    return seeker_id


def ask(conn, seeker_id: int, center_id: int, at: datetime, kiosk: str | None = "suwon-station") -> int:
    with db.transaction(conn):
        referral_id, _ = referrals.request(conn, seeker_id=seeker_id, opening_id=None,
                                           kiosk={"code": kiosk, "center_id": center_id}, now=at)
        routing.assign_new(conn, at, SETTINGS, center_id=center_id)
    return referral_id


def texts(conn, key_start: str) -> list:
    return conn.execute("SELECT to_number, body FROM sms_messages WHERE dedupe_key LIKE ? ORDER BY id",
                        (f"{key_start}%",)).fetchall()


def test_the_queue_lists_kiosk_and_texted_requests_oldest_first_and_flags_the_late(conn):
    center = booth(conn)
    texted = ask(conn, seeker(conn, 1, center), center, NOW - 2 * HOUR, kiosk=None)
    at_kiosk = ask(conn, seeker(conn, 2, center, name="홍길동"), center, NOW - timedelta(minutes=10))
    shown = referral_queue.queue(conn, NOW, HOUR, center_id=center)
    mine = [r for r in shown if r.id in (texted, at_kiosk)]
    assert [r.id for r in mine] == [texted, at_kiosk]
    first, second = mine
    assert first.by_text and first.late and first.waited == 2 * HOUR
    assert not second.by_text and not second.late and second.place == "수원역 맞이방 키오스크"
    assert first.place == "수원역 일자리센터 상담부스"  # a texted request: the seeker's center
    assert second.seeker == "홍길동 010-****-0002" and first.seeker == "010-****-0001"
    assert first.occupations == ("security", "care")
    assert first.counselor_name and first.status == "assigned"
    # Another center's queue does not show them.
    other = conn.execute("SELECT id FROM centers WHERE name = '성남시 일자리센터'").fetchone()[0]
    assert not {texted, at_kiosk} & {r.id for r in referral_queue.queue(conn, NOW, HOUR, center_id=other)}


def test_staff_assigning_texts_the_chosen_counselor_the_same_text_once(conn):
    center = booth(conn)
    referral_id = ask(conn, seeker(conn, 3, center), center, NOW)
    auto = texts(conn, f"referral:{referral_id}:counselor")
    assert len(auto) == 1
    first_counselor = referrals.get(conn, referral_id)["counselor_id"]
    chosen = next(c for c in counseling.counselors(conn, center) if c["id"] != first_counselor and c["shift"] == 1)
    referral = referrals.get(conn, referral_id)
    assert routing.assign_to(conn, referral, chosen, NOW + HOUR, SETTINGS)
    assert not routing.assign_to(conn, referrals.get(conn, referral_id), chosen, NOW + HOUR, SETTINGS)  # twice
    sent = texts(conn, f"referral:{referral_id}:counselor:")
    assert [row["to_number"] for row in sent] == [chosen["phone"]]
    assert sent[0]["body"] == auto[0]["body"]
    assert referrals.get(conn, referral_id)["counselor_id"] == chosen["id"]
    assert [r.id for r in referral_queue.queue(conn, NOW, HOUR, counselor_id=chosen["id"])] == [referral_id]


def test_the_views_list_a_day_and_the_past_without_an_outcome(conn):
    center = booth(conn)
    slot = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)   # Tuesday 11:00
    first = bookings.book_at_kiosk(conn, seeker_id=seeker(conn, 4, center), center_id=center, slot_start=slot,
                                   kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    second = bookings.book_at_kiosk(conn, seeker_id=seeker(conn, 5, center), center_id=center, slot_start=slot,
                                    kiosk_code="suwon-station", now=NOW, settings=SETTINGS)
    start, end = agenda.days(date(2026, 11, 24), 1, ZONE)
    day = agenda.between(conn, start, end, center_id=center)
    assert {e.id for e in day} == {first, second}
    assert all(e.seeker.startswith("010-****-") and e.ends_at - e.starts_at == timedelta(minutes=30) for e in day)
    counselor = next(e.counselor_id for e in day if e.id == first)
    assert [e.id for e in agenda.between(conn, start, end, counselor_id=counselor)] == [first]
    after = slot + timedelta(minutes=30)
    bookings.record_outcome(conn, bookings.appointments.get(conn, second), "no_show", after, SETTINGS)
    waiting = agenda.without_outcome(conn, after, center_id=center)
    assert first in [e.id for e in waiting] and second not in [e.id for e in waiting]
    assert first not in [e.id for e in agenda.without_outcome(conn, after - timedelta(minutes=1), center_id=center)]
    assert agenda.monday_of(date(2026, 11, 26)) == date(2026, 11, 23)


def test_a_request_on_the_job_bus_goes_to_a_counselor_of_its_partner_center(conn):
    bus = conn.execute("SELECT id FROM centers WHERE kind = 'bus'").fetchone()[0]
    partner = centers.partner(conn, bus)
    assert partner is not None and not counseling.counselors(conn, bus)
    referral_id = ask(conn, seeker(conn, 6, bus), bus, NOW, kiosk="jobbus-1")
    counselor = counseling.counselor(conn, referrals.get(conn, referral_id)["counselor_id"])
    assert counselor["center_id"] == partner["id"]
    [(to, body)] = texts(conn, f"referral:{referral_id}:counselor")
    assert to == counselor["phone"] and f"R{referral_id}" in body and "010-****-0006" in body
    shown = referral_queue.queue(conn, NOW, HOUR, center_id=partner["id"])
    assert referral_id in [r.id for r in shown]
    assert next(r for r in shown if r.id == referral_id).place == "경기 일자리버스 1호"


def test_a_place_without_counselors_or_partner_keeps_the_request_until_it_has_one(conn):
    bus = conn.execute("SELECT id FROM centers WHERE kind = 'bus'").fetchone()[0]
    partner = centers.partner(conn, bus)
    with db.transaction(conn):
        centers.set_partner(conn, bus, None)
    referral_id = ask(conn, seeker(conn, 7, bus), bus, NOW, kiosk="jobbus-1")
    assert referrals.get(conn, referral_id)["status"] == "new" and not texts(conn, f"referral:{referral_id}:")
    assert referral_id in [r.id for r in referral_queue.queue(conn, NOW, HOUR, center_id=bus)]
    with db.transaction(conn):
        centers.set_partner(conn, bus, partner["id"])
    assert routing.assign_new(conn, NOW + HOUR, SETTINGS) >= 1
    assert counseling.counselor(conn, referrals.get(conn, referral_id)["counselor_id"])["center_id"] == partner["id"]
