"""The console's referral queue and appointments: who sees what, bad input, the same texts as by SMS."""

from __future__ import annotations

import re

import pytest
from console_support import add_account, post, sign_in
from counselor_sms_helpers import Phones, register_seeker

from kiosk.core import db
from kiosk.counseling import hours as counseling
from kiosk.counseling import routing
from kiosk.counseling.texts import settings_from
from kiosk.seekers import referrals

SEEKER_A, SEEKER_B = "+821077771001", "+821077771002"


def booth(conn) -> int:
    return conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]


def other_center(conn) -> int:
    return conn.execute("SELECT id FROM centers WHERE name = '성남시 일자리센터'").fetchone()[0]


def first_shift(conn) -> list:
    return [c for c in counseling.counselors(conn, booth(conn)) if c["shift"] == 1]


def signed(app, role: str, **where):
    client = app.test_client()
    account = add_account(app, role, **where)
    sign_in(client, account)
    return client, account


def ask(app, conn, phone: str, now) -> int:
    seeker_id = register_seeker(conn, phone, now)
    with db.transaction(conn):
        referral_id, _ = referrals.request(conn, seeker_id=seeker_id, opening_id=None,
                                           kiosk={"code": "suwon-station", "center_id": booth(conn)}, now=now)
        routing.assign_new(conn, now, settings_from(app.config), center_id=booth(conn))
    return referral_id


def seeker_texts(conn, phone: str) -> list[str]:
    return [row[0] for row in conn.execute("SELECT body FROM sms_messages WHERE to_number = ? ORDER BY id", (phone,))]


def same_shape(text: str) -> str:
    """A text with its appointment number and time taken out, to compare two appointments' texts."""
    return re.sub(r"#\d+|오[전후] \d+:\d\d", "_", text)


def book(client, counselor_id: int, phone: str, time: str = "14:00", **more):
    return post(client, "/console/appointments/new", {"counselor_id": str(counselor_id), "kind": "follow_up",
                                                      "phone": phone, "day": "2026-11-24", "time": time, **more})


# --- the referral queue -------------------------------------------------------------------

def test_the_queue_shows_each_person_what_is_theirs(app, conn, clock):
    referral_id = ask(app, conn, SEEKER_A, clock.now())
    assigned = referrals.get(conn, referral_id)["counselor_id"]
    staff, _ = signed(app, "staff")
    page = staff.get("/console/referrals").get_data(as_text=True)
    assert f"R{referral_id}" in page and "010-****-1001" in page and SEEKER_A not in page
    elsewhere, _ = signed(app, "staff", center_id=other_center(conn))
    assert f"R{referral_id}" not in elsewhere.get("/console/referrals").get_data(as_text=True)
    mine, _ = signed(app, "counselor", counselor_id=assigned)
    assert f"R{referral_id}" in mine.get("/console/referrals").get_data(as_text=True)
    not_mine, _ = signed(app, "counselor", counselor_id=next(c["id"] for c in first_shift(conn) if c["id"] != assigned))
    assert f"R{referral_id}" not in not_mine.get("/console/referrals").get_data(as_text=True)
    admin, _ = signed(app, "admin")
    assert f"R{referral_id}" in admin.get(f"/console/referrals?center={booth(conn)}").get_data(as_text=True)
    assert f"R{referral_id}" not in admin.get(f"/console/referrals?center={other_center(conn)}").get_data(as_text=True)
    # Assigning is for staff and admins of a center that takes the request.
    target = next(c["id"] for c in first_shift(conn) if c["id"] != assigned)
    assert post(mine, f"/console/referrals/{referral_id}/assign", {"counselor_id": target}).status_code == 403
    assert post(elsewhere, f"/console/referrals/{referral_id}/assign", {"counselor_id": target}).status_code == 403
    assert app.test_client().get("/console/referrals").status_code == 303


def test_assigning_texts_the_counselor_the_routing_text_once(app, conn, clock):
    referral_id = ask(app, conn, SEEKER_A, clock.now())
    auto = conn.execute("SELECT body FROM sms_messages WHERE dedupe_key = ?",
                        (f"referral:{referral_id}:counselor",)).fetchone()[0]
    chosen = next(c for c in first_shift(conn) if c["id"] != referrals.get(conn, referral_id)["counselor_id"])
    staff, _ = signed(app, "staff")
    for _ in range(2):  # a double submit
        answer = post(staff, f"/console/referrals/{referral_id}/assign", {"counselor_id": chosen["id"]})
        assert answer.status_code == 303
    sent = [row[0] for row in conn.execute("SELECT body FROM sms_messages WHERE to_number = ?"
                                           " AND dedupe_key LIKE 'referral:%'", (chosen["phone"],))]
    assert sent == [auto]
    assert referrals.get(conn, referral_id)["counselor_id"] == chosen["id"]


def test_assigning_nobody_says_why_in_korean_and_keeps_the_queue(app, conn, clock):
    referral_id = ask(app, conn, SEEKER_A, clock.now())
    elsewhere = counseling.counselors(conn, other_center(conn))[0]
    staff, _ = signed(app, "staff")
    for picked in ("", str(elsewhere["id"])):
        answer = post(staff, f"/console/referrals/{referral_id}/assign", {"counselor_id": picked})
        assert answer.status_code == 422
        page = answer.get_data(as_text=True)
        assert "배정할 상담사를 고르세요" in page and f"R{referral_id}" in page


# --- appointments ---------------------------------------------------------------------------

def test_booking_in_the_console_sends_the_sms_command_s_text_and_a_double_submit_books_once(app, conn, clock):
    register_seeker(conn, SEEKER_A, clock.now())
    register_seeker(conn, SEEKER_B, clock.now())
    counselor = first_shift(conn)[0]
    staff, _ = signed(app, "staff")
    first = book(staff, counselor["id"], "010-7777-1001")
    again = book(staff, counselor["id"], "010-7777-1001")
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"].split("?")[0] == again.headers["Location"].split("?")[0]
    assert conn.execute("SELECT count(*) FROM appointments a JOIN seekers s ON s.id = a.seeker_id"
                        " WHERE s.phone = ? AND a.booked_via = 'console'", (SEEKER_A,)).fetchone()[0] == 1
    phones = Phones(app, app.test_client(), conn, clock)
    assert "예약 완료" in phones.text(counselor["phone"], "예약 010-7777-1002 11/24 13:00")
    [by_console], [by_text] = seeker_texts(conn, SEEKER_A)[:1], seeker_texts(conn, SEEKER_B)[:1]
    assert same_shape(by_console) == same_shape(by_text) and "사후상담 예약" in by_console


def test_bad_booking_input_is_answered_in_korean_and_keeps_what_was_typed(app, conn, clock):
    counselor = first_shift(conn)[0]
    staff, _ = signed(app, "staff")
    answer = book(staff, counselor["id"], "010-12", memo="이력서 점검")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'value="010-12"' in page and 'value="이력서 점검"' in page
    assert 'aria-invalid="true"' in page and 'id="phone-error"' in page
    answer = book(staff, counselor["id"], "010-7777-1001", time="")
    assert answer.status_code == 422 and "시간을 14:00처럼 적어 주세요" in answer.get_data(as_text=True)
    answer = book(staff, counselor["id"], "010-7777-1001", time="03:00")  # the booth is closed
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'value="03:00"' in page and 'value="010-7777-1001"' in page
    assert conn.execute("SELECT count(*) FROM appointments WHERE booked_via = 'console'").fetchone()[0] == 0


def booked_by_text(app, conn, clock, phone: str, at: str) -> tuple[int, dict]:
    register_seeker(conn, phone, clock.now())
    counselor = first_shift(conn)[0]
    Phones(app, app.test_client(), conn, clock).text(counselor["phone"], f"예약 {phone.replace('+82', '0')} 11/24 {at}")
    return conn.execute("SELECT max(id) FROM appointments").fetchone()[0], counselor


def test_another_center_s_appointment_is_403_and_a_counselor_sees_only_their_own(app, conn, clock):
    appointment_id, counselor = booked_by_text(app, conn, clock, SEEKER_A, "14:00")
    elsewhere, _ = signed(app, "staff", center_id=other_center(conn))
    assert elsewhere.get(f"/console/appointments/{appointment_id}").status_code == 403
    assert post(elsewhere, f"/console/appointments/{appointment_id}/cancel").status_code == 403
    colleague, _ = signed(app, "counselor", counselor_id=first_shift(conn)[1]["id"])
    assert colleague.get(f"/console/appointments/{appointment_id}").status_code == 403
    own, _ = signed(app, "counselor", counselor_id=counselor["id"])
    assert own.get(f"/console/appointments/{appointment_id}").status_code == 200
    week = own.get("/console/appointments?day=2026-11-24").get_data(as_text=True)
    assert f"/console/appointments/{appointment_id}" in week and "010-****-1001" in week
    assert f"/console/appointments/{appointment_id}" not in colleague.get(
        "/console/appointments?day=2026-11-24").get_data(as_text=True)
    assert conn.execute("SELECT count(*) FROM access_records WHERE what = ?",
                        (f"appointment #{appointment_id}",)).fetchone()[0] == 1


def test_cancelling_in_the_console_sends_the_sms_command_s_text(app, conn, clock):
    by_console, counselor = booked_by_text(app, conn, clock, SEEKER_A, "14:00")
    by_text, _ = booked_by_text(app, conn, clock, SEEKER_B, "13:00")
    staff, _ = signed(app, "staff")
    for _ in range(2):
        assert post(staff, f"/console/appointments/{by_console}/cancel").status_code == 303
    Phones(app, app.test_client(), conn, clock).text(counselor["phone"], f"취소 {by_text}")
    cancelled_a = [t for t in seeker_texts(conn, SEEKER_A) if "취소 #" in t]
    cancelled_b = [t for t in seeker_texts(conn, SEEKER_B) if "취소 #" in t]
    assert len(cancelled_a) == 1 and same_shape(cancelled_a[0]) == same_shape(cancelled_b[0])


def test_moving_refuses_a_closed_hour_with_the_reason_and_keeps_the_time(app, conn, clock):
    appointment_id, _ = booked_by_text(app, conn, clock, SEEKER_A, "14:00")
    staff, _ = signed(app, "staff")
    answer = post(staff, f"/console/appointments/{appointment_id}/move", {"day": "2026-11-25", "time": "23:00"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'value="23:00"' in page and 'value="2026-11-25"' in page
    assert "상담 시간이 아닙니다." in page  # the reason the 변경 text gets
    assert post(staff, f"/console/appointments/{appointment_id}/move",
                {"day": "2026-11-25", "time": "10:00"}).status_code == 303
    assert any("시간 변경" in t for t in seeker_texts(conn, SEEKER_A))


@pytest.mark.parametrize("role", ["staff", "counselor"])
def test_recording_an_outcome_on_screen_and_the_list_of_those_without(app, conn, clock, role):
    appointment_id, counselor = booked_by_text(app, conn, clock, SEEKER_A, "14:00")
    where = {"counselor_id": counselor["id"]} if role == "counselor" else {}
    client, account = signed(app, role, **where)
    outcome = f"/console/appointments/{appointment_id}/outcome"
    early = post(client, outcome, {"outcome": "hired", "employer": "한빛물산"})
    assert early.status_code == 422 and "한빛물산" in early.get_data(as_text=True)  # not begun yet: kept
    clock.set("2026-11-24T05:45:00Z")  # 14:45, over (and the console's idle time too: sign in again)
    sign_in(client, account)
    waiting = client.get("/console/appointments/waiting").get_data(as_text=True)
    assert f"#{appointment_id}" in waiting
    missing = post(client, outcome, {"outcome": "hired", "occupation": "care"})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "취업한 회사를 적어 주세요" in page and 'value="care" selected' in page
    for _ in range(2):
        done = post(client, outcome, {"outcome": "hired", "employer": "한빛물산", "occupation": "care"})
        assert done.status_code == 303
    seeker = conn.execute("SELECT employed_employer, employed_occupation FROM seekers WHERE phone = ?",
                          (SEEKER_A,)).fetchone()
    assert tuple(seeker) == ("한빛물산", "care")
    assert f"#{appointment_id}" not in client.get("/console/appointments/waiting").get_data(as_text=True)
