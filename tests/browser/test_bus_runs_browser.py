"""The console's job bus run form in Chromium at an office laptop's size: choosing the partner
center brings its counselors (htmx), a mistake comes back with its reason beside the field and
what was typed, the run is planned and listed; each page with 0 axe violations."""

from __future__ import annotations

from datetime import date

from axe_check import axe_violations
from console_pages import LAPTOP, sign_in_page
from console_support import add_account

from kiosk.outreach import runs
from kiosk.places import centers


def test_staff_plan_a_run_in_the_form_with_a_mistake_fixed_on_the_way(browser, live_server, app, conn):
    suwon = centers.by_name(conn, "수원시 일자리센터")["id"]
    names = [r[0] for r in conn.execute("SELECT name FROM counselors WHERE center_id = ? ORDER BY id", (suwon,))]
    admin = add_account(app, "admin")
    office = browser.new_context(viewport=LAPTOP, locale="ko-KR", base_url=live_server)
    desk = office.new_page()
    try:
        sign_in_page(desk, live_server, admin)
        desk.get_by_role("navigation").get_by_role("link", name="일자리버스").click()
        desk.wait_for_url("**/console/bus-runs")
        assert desk.locator("#coming-runs").get_by_text("용인공용버스터미널 앞").is_visible()
        assert axe_violations(desk) == []
        desk.get_by_role("link", name="운행 등록").click()
        desk.wait_for_url("**/console/bus-runs/new")
        assert desk.get_by_text("협력 센터를 고르면 그 센터의 상담사가 나옵니다.").is_visible()
        desk.fill("#day", "2026-12-01")
        desk.fill("#starts", "16:00")
        desk.fill("#ends", "10:00")  # the wrong way round
        desk.fill("#place", "봉담읍 행정복지센터 앞")
        desk.fill("#address", "경기도 화성시 봉담읍 동화길 60")
        desk.select_option("#region", "41590")
        desk.select_option("#center", str(suwon))  # htmx brings this center's counselors
        desk.get_by_label(names[1]).check()
        assert axe_violations(desk) == []
        desk.get_by_role("button", name="운행 등록").click()
        desk.wait_for_selector("#ends-error")
        assert desk.locator("#ends-error").inner_text() == "끝나는 시간이 시작 시간보다 늦어야 합니다"
        assert desk.input_value("#place") == "봉담읍 행정복지센터 앞" and desk.get_by_label(names[1]).is_checked()
        assert desk.get_attribute("#ends", "aria-invalid") == "true"
        assert axe_violations(desk) == []
        desk.fill("#starts", "10:00")
        desk.fill("#ends", "16:00")
        desk.get_by_role("button", name="운행 등록").click()
        desk.wait_for_url("**/console/bus-runs?notice=added")
        assert desk.get_by_role("status").inner_text() == "운행을 등록했습니다."
        assert desk.locator("#coming-runs").get_by_text("봉담읍 행정복지센터 앞").is_visible()
        assert axe_violations(desk) == []
    finally:
        office.close()
    run = runs.on_day(conn, "jobbus-1", date(2026, 12, 1))
    assert [c["name"] for c in runs.counselors_aboard(conn, run["id"])] == [names[1]]
