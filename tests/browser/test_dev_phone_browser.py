"""The demo's /dev/sms phone as a newcomer uses it: a seeker asks for help, a job and a
counselor; the counselor lists the day. Each answer appears in the thread, as Twilio's would."""

from __future__ import annotations

from axe_check import axe_violations

from kiosk.openings.store import short_code


def send(page, words: str) -> None:
    """Types a text and waits until its answer has come into the thread."""
    replies = page.locator(".bubble.out").count()
    page.get_by_label("문자 내용").fill(words)
    page.get_by_role("button", name="보내기", exact=True).click()
    page.wait_for_function("n => document.querySelectorAll('.bubble.out').length > n", arg=replies)


def choose(page, who: str) -> None:
    page.get_by_label("누구로 보낼까요").select_option(who)
    page.get_by_role("button", name="이 사람으로").click()
    page.wait_for_url(f"**/dev/sms?who={who}*")


def test_a_seeker_and_a_counselor_text_on_the_dev_phone(app, page, conn):
    app.config.update(DEVELOPMENT=True, DEV_SMS_PAGE=True)  # what `jobstop start` sets
    seeker = conn.execute("SELECT id, phone FROM seekers WHERE status = 'active' AND phone IS NOT NULL"
                          " AND center_id IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' AND (deadline IS NULL"
                              " OR deadline >= '2026-11-23') ORDER BY id LIMIT 1").fetchone()[0]
    page.goto("/dev/sms")
    choose(page, f"s{seeker['id']}")

    send(page, "도움")
    assert "상담: 상담사 연결" in page.locator(".bubble.out").last.inner_text()
    send(page, short_code(opening_id))
    assert f"상담 {short_code(opening_id)}" in page.locator(".bubble.out").last.inner_text()
    send(page, "상담")
    referral = conn.execute("SELECT id, counselor_id FROM referral_requests WHERE seeker_id = ? ORDER BY id DESC",
                            (seeker["id"],)).fetchone()
    assert referral is not None and f"R{referral['id']}" in page.locator(".bubble.out").last.inner_text()
    assert seeker["phone"][3:] not in page.url
    assert axe_violations(page) == []

    counselor_id = referral["counselor_id"] or conn.execute("SELECT min(id) FROM counselors").fetchone()[0]
    choose(page, f"c{counselor_id}")
    send(page, "목록")
    assert page.locator(".bubble.in").last.inner_text().count("목록") == 1
    assert axe_violations(page) == []
