"""Casework in Chromium: a request asked on the job bus reaches its partner center's queue, where
staff assign it by keyboard; an outcome recorded on screen; axe on the queue and the week view."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from axe_check import axe_violations
from console_pages import LAPTOP, sign_in_page
from console_support import add_account
from counselor_sms_helpers import register_seeker
from kiosk_taps import pass_phone_and_code

from kiosk.core import db
from kiosk.counseling import bookings
from kiosk.counseling import hours as counseling
from kiosk.counseling.texts import settings_from
from kiosk.places import centers

BUS = "/k/jobbus-1"
PHONE = "+821077773001"


def test_a_job_bus_request_reaches_the_partner_queue_is_assigned_and_an_outcome_recorded(
        browser, live_server, page, app, conn, clock):
    bus = conn.execute("SELECT id FROM centers WHERE kind = 'bus'").fetchone()[0]
    partner = centers.partner(conn, bus)
    register_seeker(conn, PHONE, clock.now(), kiosk="jobbus-1", center=bus)
    job = conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]

    # On the bus: the seeker asks for a counselor about an opening, by taps.
    page.goto(f"{BUS}/openings/{job}/ask")
    pass_phone_and_code(page, conn, "01077773001")
    page.get_by_role("button", name="상담 요청하기").tap()
    page.wait_for_url(re.compile(r"/asked$"))
    request = conn.execute("SELECT * FROM referral_requests WHERE kiosk_code = 'jobbus-1'").fetchone()
    routed = counseling.counselor(conn, request["counselor_id"])
    assert routed["center_id"] == partner["id"]
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE to_number = ? AND dedupe_key = ?",
                        (routed["phone"], f"referral:{request['id']}:counselor")).fetchone()[0] == 1

    # An appointment of the partner center that ended an hour ago, waiting for its outcome.
    with db.transaction(conn):
        booked = bookings.book_by_counselor(
            conn, counselor=routed, kind="follow_up", phone=PHONE, now=clock.now(), settings=settings_from(app.config),
            at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Monday 11:00
    clock.set("2026-11-23T03:30:00Z")  # 12:30

    # The partner center's staff, at an office laptop, by keyboard.
    staff = add_account(app, "staff", center_id=partner["id"])
    office = browser.new_context(viewport=LAPTOP, locale="ko-KR", base_url=live_server)
    desk = office.new_page()
    sign_in_page(desk, live_server, staff)
    desk.goto(f"{live_server}/console/referrals")
    row = desk.locator(f"#referral-{request['id']}")
    assert "경기 일자리버스 1호" in row.inner_text() and "010-****-3001" in row.inner_text()
    assert routed["name"] in row.inner_text()
    assert axe_violations(desk) == []
    chooser = desk.locator(f"#assign-{request['id']}")
    chooser.focus()
    desk.keyboard.press("ArrowDown")   # the first counselor listed, or the next if it is the routed one
    if chooser.input_value() == str(routed["id"]):
        desk.keyboard.press("ArrowDown")
    chosen = int(chooser.input_value())
    assert chosen != routed["id"]
    desk.keyboard.press("Tab")
    assert desk.evaluate("() => document.activeElement.textContent.trim()") == "배정"
    desk.keyboard.press("Enter")
    desk.wait_for_url(re.compile(r"notice="))
    assert conn.execute("SELECT counselor_id FROM referral_requests WHERE id = ?",
                        (request["id"],)).fetchone()[0] == chosen
    assert desk.get_by_role("status").inner_text().startswith("배정했습니다")
    chosen_phone = counseling.counselor(conn, chosen)["phone"]
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE to_number = ? AND dedupe_key LIKE ?",
                        (chosen_phone, f"referral:{request['id']}:counselor:%")).fetchone()[0] == 1

    # The week view, then the appointment past its time: its outcome recorded on screen.
    desk.goto(f"{live_server}/console/appointments")
    assert desk.locator(f"a[href='/console/appointments/{booked['id']}']").count() == 1
    assert axe_violations(desk) == []
    desk.goto(f"{live_server}/console/appointments/waiting")
    desk.get_by_role("link", name=f"#{booked['id']} 결과 기록").click()
    desk.get_by_label("미취업").check()
    desk.get_by_role("button", name="결과 기록").press("Enter")
    desk.wait_for_url(re.compile(r"notice=recorded"))
    assert conn.execute("SELECT outcome FROM appointments WHERE id = ?", (booked["id"],)).fetchone()[0] == "not_hired"
    assert axe_violations(desk) == []
    office.close()
