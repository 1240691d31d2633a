"""The console's door in Chromium: signing in by keyboard, the lockout as an admin sees and lifts
it, a counselor kept out of accounts, staff finding their undelivered texts, and axe on the
core pages at 1366×768."""

from __future__ import annotations

import re

import pytest
from axe_check import axe_violations
from console_pages import DESKTOP, LAPTOP, sign_in_page
from console_support import add_account
from scheduler_helpers import add_seeker
from support import ZONE

from kiosk.core import db
from scheduler import runs
from sms.outbound import outbox


@pytest.fixture
def desk(browser, live_server):
    """An office laptop's browser: 1366×768, Korean, a fresh profile per test."""
    context = browser.new_context(viewport=LAPTOP, locale="ko-KR", timezone_id=ZONE, base_url=live_server)
    yield context
    context.close()


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.className")


def test_signing_in_by_keyboard_alone_with_a_visible_focus(app, desk, live_server):
    staff = add_account(app, "staff", name="키보드")
    page = desk.new_page()
    page.goto("/console/sign-in")
    page.keyboard.press("Tab")
    assert focused_id(page) == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    for _ in range(8):
        page.keyboard.press("Tab")
        if focused_id(page) == "email":
            break
    assert focused_id(page) == "email"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.type(staff.email)
    page.keyboard.press("Tab")
    page.keyboard.type(staff.password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/console/")
    assert page.get_by_role("heading", level=1).inner_text() == "오늘 할 일"
    assert page.get_by_role("navigation", name="관리 메뉴").is_visible()
    page.get_by_role("button", name="English").press("Enter")
    page.wait_for_url(f"{live_server}/console/")
    assert page.get_by_role("heading", level=1).inner_text() == "Today"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Sign out").press("Enter")
    page.wait_for_url(re.compile(r"/console/sign-in\?notice=signed_out$"))
    assert page.get_by_role("status").inner_text() == "You are signed out."


def test_the_lockout_as_the_person_meets_it_and_as_an_admin_lifts_it(app, desk, browser, live_server):
    staff = add_account(app, "staff", name="잠긴직원")
    page = desk.new_page()
    page.goto("/console/sign-in")
    for _ in range(5):
        page.fill("#email", staff.email)
        page.fill("#password", "wrong password again")
        page.get_by_role("button", name="로그인", exact=True).click()
        page.wait_for_load_state()
    assert "오전 10:15까지 로그인할 수 없습니다" in page.get_by_role("alert").inner_text()
    assert page.locator("#email").input_value() == staff.email
    admin_page = browser.new_context(viewport=LAPTOP, locale="ko-KR", timezone_id=ZONE,
                                     base_url=live_server).new_page()
    sign_in_page(admin_page, live_server, add_account(app, "admin", name="관리자"))
    admin_page.get_by_role("navigation", name="관리 메뉴").get_by_role("link", name="계정", exact=True).click()
    row = admin_page.locator(f"#account-{staff.id}")
    assert "2026. 11. 23. 10:15" in row.inner_text()
    row.get_by_role("button", name="잠금 해제 (잠긴직원)").click()
    admin_page.get_by_role("status").wait_for()
    assert "잠금을 해제했습니다" in admin_page.get_by_role("status").inner_text()
    assert "2026. 11. 23. 10:15" not in admin_page.locator(f"#account-{staff.id}").inner_text()
    admin_page.context.close()
    page.fill("#email", staff.email)
    page.fill("#password", staff.password)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(re.compile(r"/console/$"))


def test_a_counselor_sees_no_accounts_link_and_is_refused_the_page(app, desk, live_server):
    page = desk.new_page()
    sign_in_page(page, live_server, add_account(app, "counselor"))
    nav = page.get_by_role("navigation", name="관리 메뉴")
    assert nav.get_by_role("link", name="계정").count() == 0
    answer = page.goto("/console/accounts")
    assert answer.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "이 화면을 볼 권한이 없습니다."


def test_the_core_pages_have_no_axe_violations_and_fit_an_office_screen(app, desk, live_server):
    page = desk.new_page()
    page.goto("/console/sign-in")
    assert axe_violations(page) == []
    sign_in_page(page, live_server, add_account(app, "admin"))
    for path in ("/console/", "/console/accounts", "/console/accounts/new", "/console/access-records"):
        for size in (LAPTOP, DESKTOP):
            page.set_viewport_size(size)
            page.goto(path)
            wide = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
            assert not wide, (path, size)
        page.set_viewport_size(LAPTOP)
        assert axe_violations(page) == [], path


def test_adding_an_account_by_keyboard_and_its_pages_have_no_axe_violations(app, desk, live_server):
    page = desk.new_page()
    sign_in_page(page, live_server, add_account(app, "admin"))
    page.goto("/console/accounts/new")
    page.fill("#name", "새직원")
    page.fill("#email", "new@")
    page.select_option("#role", "staff")
    page.get_by_role("button", name="계정 만들기").press("Enter")
    page.wait_for_load_state()
    assert "센터 직원과 상담사는 센터를 골라야 합니다." in page.locator("#center-error").inner_text()
    assert page.locator("#name").input_value() == "새직원"
    assert axe_violations(page) == [], "the form with its errors"
    page.fill("#email", "new@jobcenter.kr")
    page.select_option("#center", label="수원역 일자리센터 상담부스")
    page.get_by_role("button", name="계정 만들기").press("Enter")
    link = page.locator("#set-password-link").inner_text()
    assert axe_violations(page) == [], "the link page"
    person = desk.browser.new_context(viewport=LAPTOP, locale="ko-KR", timezone_id=ZONE).new_page()
    person.goto(link.replace("https://jobstop.example.kr", live_server))
    assert axe_violations(person) == [], "the set-password page"
    person.fill("#password", "new staff password 1")
    person.fill("#password_again", "new staff password 1")
    person.get_by_role("button", name="비밀번호 저장").press("Enter")
    person.wait_for_url(re.compile(r"/console/sign-in\?notice=password_set$"))
    person.context.close()


def test_the_operations_page_reads_well_and_its_refresh_brings_new_counts(app, desk, live_server, conn, clock):
    now = clock.now()
    with db.transaction(conn):
        conn.execute("DELETE FROM sms_messages")
        first = outbox.enqueue(conn, to="+821012345678", body="면접 안내", kind="transactional",
                               dedupe_key="ops-1", now=now).id
        outbox.claim_due(conn, now, 10, token="pass", lease_until=now)
        outbox.mark(conn, first, "pass", now, status="failed", error_code=30005)
    failed = runs.start(conn, "digest", "host-a:41:beef", now)
    runs.finish(conn, failed, now, "error", {"error": "OperationalError('database is locked')"})
    page = desk.new_page()
    sign_in_page(page, live_server, add_account(app, "admin"))
    page.goto("/console/operations")
    assert "없는 번호이거나 해지된 번호입니다" in page.locator("#unreached").inner_text()
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert axe_violations(page) == []
    assert page.locator("#outbox-due .figure").inner_text() == "0"
    with db.transaction(conn):
        outbox.enqueue(conn, to="+821098765432", body="면접 안내", kind="transactional", dedupe_key="ops-2", now=now)
    page.evaluate("() => { window.stayed = true; }")
    page.get_by_role("link", name="새로 고침").click()
    page.locator("#outbox-due .figure", has_text="1").wait_for()
    assert page.evaluate("() => window.stayed") is True  # the part was swapped, the page not reloaded
    assert axe_violations(page) == []


def test_a_staff_member_finds_their_centers_undelivered_texts_from_the_nav(app, desk, live_server, conn, clock):
    now = clock.now()
    staff = add_account(app, "staff")
    seeker = add_seeker(conn, "+821012345678", now, center_id=staff.center_id)
    with db.transaction(conn):
        conn.execute("DELETE FROM sms_messages")
        text = outbox.enqueue(conn, to="+821012345678", body="면접 안내", kind="transactional",
                              dedupe_key="staff-1", now=now, seeker_id=seeker).id
        outbox.claim_due(conn, now, 10, token="pass", lease_until=now)
        outbox.mark(conn, text, "pass", now, status="failed", error_code=30005)
    page = desk.new_page()
    sign_in_page(page, live_server, staff)
    page.get_by_role("link", name="닿지 못한 문자").first.click()
    page.wait_for_url(re.compile(r"/console/unreached$"))
    row = page.locator("#unreached tbody tr")
    assert row.count() == 1 and "010-****-5678" in row.inner_text()
    assert "없는 번호이거나 해지된 번호입니다" in row.inner_text()
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert axe_violations(page) == []
