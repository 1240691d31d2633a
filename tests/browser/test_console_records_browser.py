"""A counselor records a consultation and a referral to an employer on a seeker's page in
Chromium at 1366×768, then its result; the page, the refused form and the result page pass axe
(WCAG 2.2 AA)."""

from __future__ import annotations

import re

from axe_check import axe_violations
from console_pages import sign_in_page
from console_support import add_account


def test_a_consultation_and_a_referral_recorded_on_a_seekers_page_pass_axe(page, live_server, app, conn):
    sign_in_page(page, live_server, add_account(app, "counselor", counselor_id=9))  # 김영희's counselor
    kim = conn.execute("SELECT id FROM seekers WHERE phone = '+821000001001'").fetchone()[0]
    page.goto(f"{live_server}/console/seekers/{kim}")
    page.fill("#reason", "상담 기록")
    page.press("#reason", "Enter")
    page.wait_for_selector("#consultation-new")
    assert axe_violations(page) == []

    page.check("input[name=topic][value=business]")
    page.select_option("#c-channel", "phone")
    page.fill("#c-note", "창업 자금 안내")
    page.click("form[aria-labelledby=consultation-new] button[type=submit]")
    page.wait_for_selector("text=상담을 기록했습니다.")
    table = page.locator("#consultations table").inner_text()
    assert "창업" in table and "전화" in table and "창업 자금 안내" in table

    page.fill("#p-employer", "")
    page.click("form[aria-labelledby=placement-new] button[type=submit]")
    page.wait_for_selector("#p-employer-error")
    assert page.locator("#p-employer").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []  # the refused form, its reason tied to the field
    page.fill("#p-employer", "한빛물산")
    page.select_option("#p-occupation", "security")
    page.click("form[aria-labelledby=placement-new] button[type=submit]")
    page.wait_for_selector("text=알선을 기록했습니다.")
    assert "한빛물산" in page.locator("#placements table").inner_text()

    page.click("#placements table a")
    page.wait_for_url(re.compile(r".*/placements/\d+$"))
    assert axe_violations(page) == []
    page.check("input[name=result][value=hired]")
    page.fill("#p-hired_on", "2026-11-23")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=알선 결과를 저장했습니다.")
    assert "취업 · 2026년 11월 23일" in page.locator("#placements table").inner_text()
    assert conn.execute("SELECT count(*) FROM consultations WHERE seeker_id = ?", (kim,)).fetchone()[0] == 1
    assert conn.execute("SELECT employed_employer FROM seekers WHERE id = ?", (kim,)).fetchone()[0] == "한빛물산"


def test_the_programs_list_passes_axe_and_a_refused_name_is_tied_to_its_field(page, live_server, app):
    sign_in_page(page, live_server, add_account(app, "admin"))
    page.goto(f"{live_server}/console/programs")
    assert axe_violations(page) == []
    page.fill("#name", "   ")  # (the field takes 60 characters at most: too long cannot be typed)
    page.click("form[aria-labelledby=program-new] button[type=submit]")
    page.wait_for_selector("#name-error")
    assert page.locator("#name").get_attribute("aria-describedby") == "name-hint name-error"
    assert axe_violations(page) == []


def test_an_appointments_outcome_form_asks_kind_and_channel_and_leads_to_its_referral(page, live_server, app, conn,
                                                                                        clock):
    kim = conn.execute("SELECT id FROM seekers WHERE phone = '+821000001001'").fetchone()[0]
    appointment, starts = conn.execute(
        "SELECT id, starts_at FROM appointments WHERE seeker_id = ? AND counselor_id = 9 AND kind IN"
        " ('counseling', 'follow_up') AND status IN ('booked', 'confirmed') ORDER BY starts_at LIMIT 1",
        (kim,)).fetchone()
    clock.set(starts)  # it has begun
    sign_in_page(page, live_server, add_account(app, "counselor", counselor_id=9))
    page.goto(f"{live_server}/console/appointments/{appointment}")
    assert axe_violations(page) == []
    page.check("input[name=outcome][value=not_hired]")
    page.check("input[name=topic][value=business]")
    page.select_option("#channel", "phone")
    page.click("#outcome button[type=submit]")
    page.wait_for_url(re.compile(r"notice=recorded"))
    page.click("text=이 구직자의 상담·알선 기록하기")
    page.fill("#reason", "면접 알선")
    page.press("#reason", "Enter")
    page.wait_for_selector(f"text=예약 {appointment}번에서 온 알선으로 기록합니다.")
    page.fill("#p-employer", "새봄식품")
    page.click("form[aria-labelledby=placement-new] button[type=submit]")
    page.wait_for_selector("text=알선을 기록했습니다.")
    assert axe_violations(page) == []
    assert [tuple(r) for r in conn.execute("SELECT appointment_id, employer FROM placements")] == [
        (appointment, "새봄식품")]
    assert [tuple(r) for r in conn.execute("SELECT appointment_id, topic, channel FROM consultations")] == [
        (appointment, "business", "phone")]
