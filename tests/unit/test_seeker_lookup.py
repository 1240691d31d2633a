"""The console's seeker read models: found by name and the number's last four digits, within
what the staff member may see; their appointments, referral requests and alerts."""

from __future__ import annotations

from kiosk.core.db import transaction
from kiosk.seekers import lookup, referrals
from kiosk.seekers import store as seekers
from sms.outbound import outbox

ADMIN = lookup.Scope()
# The demo: 김영희 (…1001) registered at the Suwon Station booth (center 1) and has appointments
# with counselor 9 at the Suwon center (2); 이준호 (…1002) registered in Seongnam (center 3).


def ids(rows) -> list[int]:
    return [r["id"] for r in rows]


def demo_ids(conn) -> tuple[int, int]:
    return (seekers.find_by_phone(conn, "+821000001001")["id"], seekers.find_by_phone(conn, "+821000001002")["id"])


def test_a_seeker_is_found_by_name_and_the_last_four_digits_only(conn):
    kim, _lee = demo_ids(conn)
    assert ids(lookup.find(conn, ADMIN, last_four="1001", name="김영희")) == [kim]
    assert ids(lookup.find(conn, ADMIN, last_four="1001", name=" 김영희 ")) == [kim]
    assert lookup.find(conn, ADMIN, last_four="1002", name="김영희") == []
    assert lookup.find(conn, ADMIN, last_four="1001", name="김영") == []


def test_center_staff_see_seekers_registered_there_or_with_appointments_or_requests_there(conn, clock):
    kim, lee = demo_ids(conn)
    assert lookup.visible(conn, lookup.Scope(center_id=1), kim)  # registered at its kiosk
    assert lookup.visible(conn, lookup.Scope(center_id=2), kim)  # appointments there
    assert not lookup.visible(conn, lookup.Scope(center_id=3), kim)
    assert lookup.find(conn, lookup.Scope(center_id=3), last_four="1001", name="김영희") == []
    assert not lookup.visible(conn, lookup.Scope(center_id=4), lee)
    with transaction(conn):
        referrals.request(conn, seeker_id=lee, opening_id=None, kiosk={"code": "goyang-juyeop", "center_id": 4},
                          now=clock.now())
    assert lookup.visible(conn, lookup.Scope(center_id=4), lee)
    assert not lookup.visible(conn, ADMIN, 10**9)


def test_a_counselor_sees_the_seekers_of_their_own_appointments_and_requests(conn, clock):
    kim, lee = demo_ids(conn)
    assert lookup.visible(conn, lookup.Scope(counselor_id=9), kim)
    assert not lookup.visible(conn, lookup.Scope(counselor_id=9), lee)
    assert not lookup.visible(conn, lookup.Scope(counselor_id=12), lee)
    with transaction(conn):
        request_id, _ = referrals.request(conn, seeker_id=lee, opening_id=None,
                                          kiosk={"code": "seongnam-moran", "center_id": 3}, now=clock.now())
        referrals.assign(conn, request_id, 12, clock.now())
    assert lookup.visible(conn, lookup.Scope(counselor_id=12), lee)
    assert ids(lookup.find(conn, lookup.Scope(counselor_id=12), last_four="1002", name="이준호")) == [lee]


def test_a_seekers_history_appointments_requests_and_alerts(conn, clock):
    kim, _lee = demo_ids(conn)
    opening = conn.execute("SELECT id, title FROM openings ORDER BY id LIMIT 1").fetchone()
    with transaction(conn):
        referrals.request(conn, seeker_id=kim, opening_id=opening["id"],
                          kiosk={"code": "suwon-station", "center_id": 1}, now=clock.now())
        outbox.enqueue(conn, to="+821000001001", body="알림", kind="alert", dedupe_key=f"alert:{kim}:x",
                       now=clock.now(), seeker_id=kim, opening_id=opening["id"])
    found = lookup.appointments(conn, kim)
    assert len(found) == 2 and found[0]["starts_at"] >= found[1]["starts_at"]
    assert {r["counselor_name"] for r in found} == {"장서연"} and found[0]["center_name"] == "수원시 일자리센터"
    assert [(r["title"], r["status"]) for r in lookup.referrals(conn, kim)] == [(opening["title"], "new")]
    assert [r["title"] for r in lookup.alerts(conn, kim)] == [opening["title"]]
    assert lookup.profile(conn, kim)["kiosk_name"] and lookup.profile(conn, kim)["center_name"]
