"""직원 호출 by taps: help comes and the visitor goes back to the same screen; with no one on
shift, a call-back number typed on the keypad, shown masked."""

from __future__ import annotations

import re

from kiosk_taps import tap_keys


def test_help_is_coming_and_back_returns_to_the_same_search(page, conn):
    page.goto("/k/suwon-station/openings?q=%EA%B2%BD%EB%B9%84")
    found = page.locator(".result-count").inner_text()
    page.locator("#nav-help").tap()
    page.wait_for_url(re.compile(r"/help$"))
    assert page.get_by_role("status").inner_text().startswith("근무 중인 상담사에게 알렸습니다")
    page.get_by_role("link", name="하던 화면으로 돌아가기").tap()
    page.wait_for_url(re.compile(r"/openings\?q=%EA%B2%BD%EB%B9%84$"))
    assert page.locator(".result-count").inner_text() == found
    assert conn.execute("SELECT count(*) FROM sms_messages WHERE dedupe_key LIKE 'help:%'").fetchone()[0] == 1


def test_a_call_back_typed_on_the_keypad_is_shown_masked(page, conn):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    page.goto(f"/k/jobbus-1/openings/{opening_id}")
    page.locator("#nav-help").tap()
    page.wait_for_url(re.compile(r"/help$"))
    assert page.locator(".phone-number").inner_text() == "031-270-9600"
    tap_keys(page, "callback-phone", "01023456789")
    assert page.locator("#callback-phone").input_value() == "010-2345-6789"
    page.get_by_role("button", name="전화 요청하기").tap()
    assert "동의가 필요합니다" in page.get_by_role("alert").inner_text()
    assert page.locator("#callback-phone").input_value() == "010-2345-6789"  # nothing typed is lost
    page.locator("label.choice").tap()
    page.get_by_role("button", name="전화 요청하기").tap()
    page.wait_for_url(re.compile(r"/help/callback$"))
    assert "010-****-6789" in page.get_by_role("status").inner_text() and "2345" not in page.content()
    page.get_by_role("link", name="하던 화면으로 돌아가기").tap()
    page.wait_for_url(re.compile(rf"/openings/{opening_id}$"))
    assert conn.execute("SELECT phone FROM callback_requests").fetchone()[0] == "+821023456789"
