"""Kiosk enrolment and the console's centers and kiosks pages in Chromium: a fresh browser typing
its code, another refused, and the pages used by keyboard alone at an office laptop's size."""

from __future__ import annotations

import time

import pytest
from axe_check import axe_violations
from console_pages import LAPTOP, sign_in_page
from console_support import add_account
from support import ZONE

from kiosk.places import devices

NOT_A_KIOSK = "이 화면은 등록된 키오스크가 아닙니다"


@pytest.fixture
def fresh(browser, live_server):
    """New browser contexts, as new kiosk PCs or office laptops: nothing stored, Korean."""
    contexts = []

    def make(**options):
        context = browser.new_context(locale="ko-KR", timezone_id=ZONE, base_url=live_server, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def tab_to(page, selector: str, most: int = 60) -> None:
    """Presses Tab until the element matching selector has the focus."""
    for _ in range(most):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def wait_until(condition, seconds: float = 15) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def fits_the_width(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_fresh_kiosk_pc_types_its_code_and_another_browser_stays_refused(app, conn, clock, fresh):
    app.config["KIOSK_AUTO_ENROL"] = False  # production's rule
    code = devices.make_code(conn, "suwon-station", clock.now(), app.config["SECRET_KEY"]).code
    pc = fresh(viewport={"width": 1080, "height": 1920}, has_touch=True)
    refused = pc.goto("/k/suwon-station/")
    assert refused.status == 403 and pc.get_by_text(NOT_A_KIOSK).is_visible()
    assert pc.locator(".kiosk-bar").count() == 0 and axe_violations(pc) == []
    tab_to(pc, "a[href='/k/enrol']")
    pc.keyboard.press("Enter")
    pc.wait_for_url("**/k/enrol")
    assert pc.evaluate("() => document.activeElement.id") == "code"  # ready to type or scan
    pc.keyboard.type("ABCD-2345")
    pc.keyboard.press("Enter")
    assert pc.get_by_role("alert").inner_text().startswith("맞지 않는 등록 코드입니다")
    assert pc.input_value("#code") == "ABCD-2345" and axe_violations(pc) == []
    pc.fill("#code", "")
    pc.keyboard.type(code.lower())
    pc.keyboard.press("Enter")
    pc.wait_for_url("**/k/suwon-station/")
    assert pc.get_by_role("link", name="일자리 찾기").is_visible()
    assert pc.get_by_text("지금 상담사가 근무 중입니다").is_visible()
    app.config["DEVICE_REPORT_SECONDS"] = 1  # the page reports in every second from its next load
    pc.reload()  # the credential stays: still the kiosk
    assert pc.get_by_role("link", name="일자리 찾기").is_visible()
    device = conn.execute("SELECT id FROM kiosk_devices WHERE kiosk_code = 'suwon-station'").fetchone()[0]
    later = clock.advance(minutes=2)
    assert wait_until(lambda: devices.get(conn, device)["last_seen_at"] == later.strftime("%Y-%m-%dT%H:%M:%SZ"))
    devices.disable(conn, device, later)  # staff disable it: the idle page shows the refusal by itself
    pc.wait_for_function("() => document.body?.innerText.includes('등록된 키오스크가 아닙니다')")
    assert pc.locator(".kiosk-bar").count() == 0

    other = fresh()
    assert other.goto("/k/suwon-station/").status == 403
    other.goto("/k/enrol")
    other.fill("#code", code)
    other.keyboard.press("Enter")
    assert "이미 사용한 등록 코드입니다" in other.get_by_role("alert").inner_text()
    assert other.goto("/k/suwon-station/").status == 403


def test_centers_and_kiosks_by_keyboard_at_laptop_size_without_axe_violations(app, live_server, fresh):
    office = fresh(viewport=LAPTOP)
    sign_in_page(office, live_server, add_account(app, "admin"))
    tab_to(office, "nav a[href='/console/centers']")
    office.keyboard.press("Enter")
    office.wait_for_url("**/console/centers")
    assert office.get_by_role("heading", name="센터", exact=True).is_visible()
    assert axe_violations(office) == [] and fits_the_width(office)

    tab_to(office, "a[href^='/console/centers/1']")  # the Suwon Station booth
    office.keyboard.press("Enter")
    office.wait_for_url("**/console/centers/1")
    tab_to(office, "#phone")
    office.keyboard.press("Control+A")
    office.keyboard.type("0312283111x")
    tab_to(office, "#o-0-1")
    office.keyboard.press("Control+A")
    office.keyboard.type("8시")
    office.keyboard.press("Enter")
    assert office.get_by_role("alert").first.inner_text().startswith("저장하지 못했습니다")
    assert office.input_value("#phone") == "0312283111x" and office.input_value("#o-0-1") == "8시"
    assert office.get_by_text("031-228-3111처럼 지역번호와 하이픈을 넣어 적어 주세요.").is_visible()
    assert axe_violations(office) == [] and fits_the_width(office)

    office.goto("/console/kiosks")
    assert axe_violations(office) == [] and fits_the_width(office)
    tab_to(office, "#kiosk-suwon-station form[action$='/enrolment'] button")
    office.keyboard.press("Enter")
    office.wait_for_url("**/console/kiosks/suwon-station/enrolment")
    code = office.locator("#enrolment-code").inner_text()
    assert len(code) == 9 and code[4] == "-"
    assert axe_violations(office) == [] and fits_the_width(office)

    office.goto("/console/counselors")
    assert axe_violations(office) == [] and fits_the_width(office)
