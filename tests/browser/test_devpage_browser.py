"""The development SMS page as a demo visitor uses it: their number in, their code out."""

from __future__ import annotations

from axe_check import axe_violations

from tests.sms.test_sms_devpage import two_codes


def test_a_demo_visitor_finds_their_code(app, page, conn, clock):
    app.config["DEVELOPMENT"] = True  # the page exists only in the demo or development mode
    two_codes(conn, clock)
    page.goto("/dev/sms")
    page.get_by_label("휴대전화 번호").fill("010-1234-5678")
    page.get_by_role("button", name="보기", exact=True).click()
    page.wait_for_url("**/dev/sms")
    assert page.get_by_text("인증번호 482913").is_visible()
    assert page.get_by_text("인증번호 100200").count() == 0
    assert "5678" not in page.url
    assert axe_violations(page) == []
