"""The kiosk in Chromium as a passer-by uses it: taps on a 1080×1920 touch screen."""

from __future__ import annotations

import re

import pytest

from tests.conftest import axe_violations

pytestmark = pytest.mark.browser
KIOSK = "/k/suwon-station"


def tap(page, selector_or_locator) -> None:
    locator = page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
    locator.first.tap()


def test_browse_filter_search_and_open_a_detail(page):
    page.goto(f"{KIOSK}/")
    tap(page, page.get_by_role("link", name=re.compile("일자리 찾기")))
    page.wait_for_url(re.compile(r"/openings$"))
    cards = page.locator("#results li")
    assert cards.count() == 20

    tap(page, page.locator("summary", has_text="직종"))
    tap(page, page.get_by_role("link", name="사회복지·돌봄", exact=True))
    page.wait_for_url(re.compile(r"occupation=care"))
    page.wait_for_function("document.querySelector('.result-count').textContent.includes('일자리')")
    assert "사회복지·돌봄" in page.locator(".active-filters").inner_text()

    tap(page, page.get_by_role("link", name="조건 모두 지우기"))
    page.wait_for_url(re.compile(r"/openings$"))
    page.locator("#q").fill("경비")
    tap(page, page.get_by_role("button", name="검색"))
    page.wait_for_url(re.compile(r"q=%EA%B2%BD%EB%B9%84"))
    assert "‘경비’ 검색 결과" in page.locator(".result-count").inner_text()
    titles = page.locator("#results li").all_inner_texts()
    assert titles

    tap(page, page.locator("summary", has_text="직종"))  # a filter after a search keeps the term
    tap(page, page.get_by_role("link", name="경비·청소", exact=True))
    page.wait_for_url(re.compile(r"occupation=security.*q=%EA%B2%BD%EB%B9%84|q=%EA%B2%BD%EB%B9%84.*occupation=security"))
    page.wait_for_function("document.querySelector('.active-filters') &&"
                           " document.querySelector('.active-filters').textContent.includes('경비·청소')")
    assert "‘경비’ 검색 결과" in page.locator(".result-count").inner_text()

    url = page.url
    before = page.locator("#results li").count()
    tap(page, page.locator("#more a"))
    page.wait_for_function(f"document.querySelectorAll('#results li').length > {before}")
    assert page.url == url  # no reload, no new address

    first = page.locator("#results li a").first
    title = first.locator(".title").inner_text()
    tap(page, first)
    page.wait_for_url(re.compile(r"/openings/\d+"))
    assert page.locator("h1").inner_text() == title
    assert page.get_by_text("지원 방법").is_visible()
    tap(page, page.get_by_role("link", name=re.compile("뒤로")))
    page.wait_for_url(re.compile(r"/openings\?q="))


def test_idle_dialog_counts_down_and_continue_keeps_the_screen(page):
    page.clock.install()
    page.goto(f"{KIOSK}/openings?q=경비")
    dialog = page.locator("#idle-dialog")
    page.clock.fast_forward(60_000)
    assert not dialog.is_visible()
    page.clock.fast_forward(31_000)
    assert dialog.is_visible()
    assert "30초" in dialog.inner_text() or "29초" in dialog.inner_text()
    page.clock.run_for(5_000)
    assert re.search(r"2[45]초", dialog.inner_text())
    tap(page, page.get_by_role("button", name="계속 사용하기"))
    assert not dialog.is_visible()
    page.clock.run_for(40_000)  # past the countdown: nothing happens, the idle time started again
    assert page.url.endswith("q=%EA%B2%BD%EB%B9%84") and not dialog.is_visible()


def test_idle_reset_leaves_nothing_of_the_visitor_behind(page, conn):
    page.clock.install()
    page.goto(f"{KIOSK}/")
    tap(page, page.get_by_role("button", name="English"))
    page.wait_for_url(re.compile(r"/k/suwon-station/$"))
    tap(page, page.get_by_role("link", name=re.compile("Find jobs")))
    page.wait_for_url(re.compile(r"/openings$"))
    page.locator("#q").fill("경비")
    tap(page, page.get_by_role("button", name="Search"))
    page.wait_for_url(re.compile(r"q="))
    tap(page, page.locator("#results li a").first)
    page.wait_for_url(re.compile(r"/openings/\d+"))
    old_cookie = {c["name"]: c["value"] for c in page.context.cookies()}["session"]
    page.evaluate("localStorage.setItem('x', '1'); sessionStorage.setItem('y', '2')")

    page.clock.fast_forward(91_000)
    assert page.locator("#idle-dialog").is_visible()
    with page.expect_navigation():
        page.clock.fast_forward(31_000)
    page.wait_for_url(re.compile(r"/k/suwon-station/$"))
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "일자리를 찾고 계신가요?" in page.locator("h1").inner_text()
    stored = page.evaluate("[{...localStorage}, {...sessionStorage}]")
    # htmx notes the address of the page it is on (now the fresh home screen); nothing else is kept.
    assert stored == [{}, {"htmx-current-path-for-history": f"{KIOSK}/"}]
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("session") != old_cookie
    assert conn.execute("SELECT count(*) FROM web_sessions WHERE id = ?", (old_cookie,)).fetchone()[0] == 0

    page.go_back()  # the previous visitor's search must not come back
    page.wait_for_url(re.compile(r"/k/suwon-station/$"))
    assert "경비" not in page.locator("body").inner_text()
    assert page.locator("html").get_attribute("lang") == "ko"


def test_preferences_change_text_size_and_contrast(page):
    page.goto(f"{KIOSK}/openings")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 24
    with page.expect_navigation():
        tap(page, page.get_by_role("button", name="큰 글씨"))
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > size
    with page.expect_navigation():
        tap(page, page.get_by_role("button", name="고대비"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert axe_violations(page) == []
    assert page.url.endswith("/openings")


@pytest.mark.parametrize("path", ["/", "/openings", "/openings?q=경비", "/openings/{id}", "/openings/regions"])
def test_no_accessibility_violations(page, conn, path):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    page.goto(KIOSK + path.format(id=opening_id))
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/openings", "/openings/{id}", "/openings/regions"])
def test_every_control_is_a_big_touch_target_with_gaps(page, conn, path):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    page.goto(KIOSK + path.format(id=opening_id))
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        'a, button, input:not([type=hidden]), select, summary')].filter(e => e.offsetParent)
        .map(e => { const r = e.getBoundingClientRect();
                    return {text: (e.innerText || e.name || '').trim().slice(0, 30),
                            x: r.x, y: r.y, w: r.width, h: r.height}; })""")
    assert len(boxes) > 5
    small = [b for b in boxes if b["w"] < 64 or b["h"] < 64]
    assert small == []
    for i, a in enumerate(boxes):  # neighbours never touch: at least 10 px apart
        for b in boxes[i + 1:]:
            apart_x = max(b["x"] - (a["x"] + a["w"]), a["x"] - (b["x"] + b["w"]))
            apart_y = max(b["y"] - (a["y"] + a["h"]), a["y"] - (b["y"] + b["h"]))
            if max(apart_x, apart_y) < 10 and not (apart_x < 0 and apart_y < 0):
                pytest.fail(f"{a['text']!r} and {b['text']!r} are {max(apart_x, apart_y):.0f} px apart")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= 24
