"""A visitor's session ends with them: the next person at the kiosk gets nothing of the last.

Each test plays two people at one kiosk: a registered seeker who verifies their phone and
walks away (or taps 처음으로), then the next person, who must meet a fresh kiosk.
"""

from __future__ import annotations

import re

from kiosk.seekers import store as seekers
from tests.browser.test_register_browser import K, registered, verify_by_taps  # noqa: F401  (fixture)

NAME = "박민수"
HOME = re.compile(r"/k/suwon-station/$")


def open_my_page(page) -> None:
    """From home, as a returning seeker does: 구직 등록하기, then 이미 등록하셨나요? 내 정보 보기."""
    page.get_by_role("link", name=re.compile("구직 등록")).tap()
    page.wait_for_url(re.compile(r"/register$"))
    page.locator(f"main a[href='{K}/my']").tap()


def signed_in_on_my_page(page, conn) -> int:
    """Verifies the registered seeker from home; returns the history length home started with."""
    page.goto(f"{K}/")
    entries = page.evaluate("history.length")  # the test browser's blank page and home: 2
    open_my_page(page)
    page.wait_for_url(re.compile(r"/verify/phone$"))
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    assert NAME in page.content()
    return entries


def screen_loads(page) -> list[str]:
    """The address of every screen the browser loads from now on (a page, not its files)."""
    loads: list[str] = []
    page.on("request", lambda request: loads.append(request.url) if request.resource_type == "document" else None)
    return loads


def tap_home(page) -> None:
    page.get_by_role("button", name="처음으로", exact=True).tap()
    page.wait_for_url(HOME)
    page.get_by_role("heading", name="일자리를 찾고 계신가요?").wait_for()


def test_an_idle_reset_on_home_loads_home_once_and_it_answers(page):
    page.clock.install()
    page.goto(f"{K}/")
    page.get_by_role("button", name="큰 글씨").tap()
    page.wait_for_function("() => document.documentElement.classList.contains('large-text')")
    page.wait_for_load_state("load")  # kiosk.js (deferred) has armed the idle timer
    loads = screen_loads(page)
    page.clock.fast_forward(91_000)
    assert page.locator("#idle-dialog").is_visible()
    with page.expect_navigation():
        page.clock.fast_forward(31_000)
    page.wait_for_load_state()
    page.wait_for_timeout(2_000)  # a page that reloads itself shows here as more loads
    assert loads == [page.url] and HOME.search(page.url)
    assert page.evaluate("document.documentElement.hidden") is False
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
    page.get_by_role("button", name="큰 글씨").tap()  # the next visitor's tap is answered
    page.wait_for_function("() => document.documentElement.classList.contains('large-text')")


def test_home_after_tapping_home_loads_once(page, conn, registered):  # noqa: F811
    signed_in_on_my_page(page, conn)
    loads = screen_loads(page)
    tap_home(page)
    tap_home(page)  # 처음으로 on home itself: home again, once
    page.wait_for_timeout(2_000)  # a page that reloads itself shows here as more loads
    assert len(loads) == 2 and page.evaluate("document.documentElement.hidden") is False


def test_home_ends_the_visit_and_the_next_person_gets_nothing_of_it(page, conn, registered):  # noqa: F811
    signed_in_on_my_page(page, conn)
    tap_home(page)
    # The next person: My page, booking, withdrawal and sending a job all ask for a phone first.
    open_my_page(page)
    page.wait_for_url(re.compile(r"/verify/phone$"))
    assert NAME not in page.content()
    tap_home(page)
    page.get_by_role("link", name=re.compile("상담 예약하기")).tap()
    page.wait_for_url(re.compile(r"/verify/phone$"))
    page.goto(f"{K}/my/withdraw")
    page.wait_for_url(re.compile(r"/verify/phone$"))
    tap_home(page)
    page.get_by_role("link", name=re.compile("일자리 찾기")).tap()
    page.locator("#results li a").first.tap()
    page.wait_for_url(re.compile(r"/openings/\d+"))
    page.get_by_role("link", name="내 휴대폰으로 받기").tap()
    page.wait_for_url(re.compile(r"/verify/phone$"))  # not straight to /send with the last phone
    assert "010-****-1234" not in page.content()
    tap_home(page)
    # 등록 시작하기 starts a registration afresh, at the phone screen.
    page.get_by_role("link", name=re.compile("구직 등록")).tap()
    page.get_by_role("button", name="등록 시작하기").tap()
    page.wait_for_url(re.compile(r"/verify/phone$"))
    assert seekers.get(conn, registered)["status"] == "active"


def test_a_lost_reset_still_ends_the_visit_on_the_server(page, conn, clock, registered):  # noqa: F811
    page.clock.install()
    signed_in_on_my_page(page, conn)
    page.route("**/reset", lambda route: route.abort())  # the job bus's mobile link drops it
    page.clock.fast_forward(91_000)
    assert page.locator("#idle-dialog").is_visible()
    page.clock.fast_forward(31_000)  # the reset is sent and lost
    clock.advance(seconds=90 + 30 + 10 + 1)  # meanwhile, the server's idle time and grace pass
    page.clock.fast_forward(12_000)  # the kiosk waits out the grace, then goes home
    page.wait_for_url(HOME)
    open_my_page(page)  # the next person
    page.wait_for_url(re.compile(r"/verify/phone$"))
    assert NAME not in page.content()


def test_a_visit_with_form_posts_keeps_one_history_entry(page, conn, registered):  # noqa: F811
    entries = signed_in_on_my_page(page, conn)  # the phone and the code are two posts
    page.get_by_role("button", name="알림 잠시 멈추기").tap()
    page.get_by_role("button", name="알림 다시 받기").wait_for()
    assert page.evaluate("history.length") == entries
    tap_home(page)
    assert page.evaluate("history.length") == entries
