"""The kiosk in Chromium as a passer-by uses it: taps on a 1080×1920 touch screen."""

from __future__ import annotations

import re

import pytest
from axe_check import axe_violations

KIOSK = "/k/suwon-station"


def tap(page, selector_or_locator) -> None:
    locator = page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
    locator.first.tap()


def type_on_keyboard(page, keys: str) -> None:
    """Opens the search box's on-screen keyboard by touching the box, then taps each key."""
    board = page.locator("#search-keyboard")
    if not board.is_visible():
        tap(page, "#q")
    for key in keys:
        tap(page, board.get_by_role("button", name=key, exact=True))


def search_by_taps(page, keys: str) -> None:
    type_on_keyboard(page, keys)
    tap(page, page.locator("#search-keyboard button[type=submit]"))


def test_browse_filter_search_and_open_a_detail(page):
    page.goto(f"{KIOSK}/")
    tap(page, page.get_by_role("link", name=re.compile("일자리 찾기")))
    page.wait_for_url(re.compile(r"/openings$"))
    cards = page.locator("#results li")
    assert cards.count() == 20

    tap(page, page.locator("summary", has_text="직종"))
    tap(page, page.get_by_role("link", name="사회복지·돌봄", exact=True))
    page.wait_for_url(re.compile(r"occupation=care"))
    page.wait_for_function("() => document.querySelector('.result-count').textContent.includes('일자리')")
    assert "사회복지·돌봄" in page.locator(".active-filters").inner_text()

    tap(page, page.get_by_role("link", name="조건 모두 지우기"))
    page.wait_for_url(re.compile(r"/openings\?back="))
    type_on_keyboard(page, "ㄱㅕㅇㅂㅣ")
    assert page.locator("#q").input_value() == "경비"
    tap(page, page.locator("#search-keyboard").get_by_role("button", name="검색"))
    page.wait_for_url(re.compile(r"q=%EA%B2%BD%EB%B9%84"))
    assert not page.locator("#search-keyboard").is_visible()  # the results are not covered
    assert "‘경비’ 검색 결과" in page.locator(".result-count").inner_text()
    titles = page.locator("#results li").all_inner_texts()
    assert titles

    tap(page, page.locator("summary", has_text="직종"))  # a filter after a search keeps the term
    tap(page, page.get_by_role("link", name="경비·청소", exact=True))
    page.wait_for_url(re.compile(r"occupation=security.*q=%EA%B2%BD%EB%B9%84|q=%EA%B2%BD%EB%B9%84.*occupation=security"))
    page.wait_for_function("() => document.querySelector('.active-filters') &&"
                           " document.querySelector('.active-filters').textContent.includes('경비·청소')")
    assert "‘경비’ 검색 결과" in page.locator(".result-count").inner_text()

    url = page.url
    before = page.locator("#results li").count()
    tap(page, page.locator("#more a"))
    page.wait_for_function(f"() => document.querySelectorAll('#results li').length > {before}")
    assert page.url == url  # no reload, no new address

    loaded = page.locator("#results li").count()
    card = page.locator("#results li").nth(loaded - 1)  # a card that "more" brought in
    card_id = card.get_attribute("id")
    title = card.locator(".title").inner_text()
    tap(page, card.locator("a"))
    page.wait_for_url(re.compile(r"/openings/\d+"))
    assert page.locator("h1").inner_text() == title
    assert page.get_by_text("지원 방법").is_visible()
    tap(page, page.get_by_role("link", name=re.compile("뒤로")))
    page.wait_for_url(re.compile(rf"/openings\?.*page=2.*#{card_id}$"))
    assert "‘경비’ 검색 결과" in page.locator(".result-count").inner_text()
    assert page.locator("#results li").count() == loaded  # as many as were loaded before
    assert page.locator(f"#{card_id}").is_visible()  # scrolled to the card
    assert page.locator(".active-filters").inner_text().count("경비·청소") == 1


def test_back_on_the_list_returns_to_the_previous_filters(page):
    page.goto(f"{KIOSK}/openings")
    tap(page, page.locator("summary", has_text="직종"))
    tap(page, page.get_by_role("link", name="사회복지·돌봄", exact=True))
    page.wait_for_url(re.compile(r"occupation=care"))
    tap(page, page.locator("summary", has_text="고용 형태"))
    tap(page, page.get_by_role("link", name="시간제", exact=True))
    page.wait_for_url(re.compile(r"employment_type=part_time"))
    page.wait_for_function("() => document.querySelector('.active-filters').textContent.includes('시간제')")

    tap(page, "#nav-back")
    page.wait_for_url(lambda url: "occupation=care" in url and "part_time" not in url.split("back=")[0])
    assert "시간제" not in page.locator(".active-filters").inner_text()
    assert "사회복지·돌봄" in page.locator(".active-filters").inner_text()
    tap(page, "#nav-back")
    page.wait_for_url(re.compile(r"/openings$"))
    tap(page, "#nav-back")
    page.wait_for_url(re.compile(r"/k/suwon-station/$"))
    assert page.locator("#nav-back").count() == 0  # home has nowhere to go back to


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
    entries = page.evaluate("history.length")
    tap(page, page.get_by_role("button", name="English"))
    page.wait_for_url(re.compile(r"/k/suwon-station/$"))
    tap(page, page.get_by_role("link", name=re.compile("Find jobs")))
    page.wait_for_url(re.compile(r"/openings$"))
    search_by_taps(page, "ㄱㅕㅇㅂㅣ")
    page.wait_for_url(re.compile(r"q="))
    tap(page, page.locator("summary", has_text="Job type"))
    tap(page, page.get_by_role("link", name="Security & cleaning", exact=True))
    page.wait_for_url(re.compile(r"occupation=security"))
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

    # Every screen of the visit replaced the one before: the browser holds no list of them.
    assert page.evaluate("history.length") == entries
    page.go_back()  # the previous visitor's search must not come back: only what was before
    page.wait_for_load_state()
    assert page.url == "about:blank"  # the fresh browser's own first page
    assert "경비" not in page.content()


def test_idle_reset_works_from_an_error_screen(page):
    page.clock.install()
    page.goto(f"{KIOSK}/openings/999999?q=경비")  # a stale link to a filled opening
    assert "찾으시는 화면이 없습니다" in page.locator("h1").inner_text()
    assert page.locator("#nav-back").get_attribute("href").startswith(f"{KIOSK}/openings?q=")
    page.clock.fast_forward(91_000)
    assert page.locator("#idle-dialog").is_visible()
    with page.expect_navigation():
        page.clock.fast_forward(31_000)
    page.wait_for_url(re.compile(r"/k/suwon-station/$"))
    assert "일자리를 찾고 계신가요?" in page.locator("h1").inner_text()


def test_the_search_keyboard_passes_axe_and_has_big_keys_in_english_too(page):
    page.goto(f"{KIOSK}/openings")
    tap(page, page.get_by_role("button", name=re.compile("자판")))
    assert page.locator("#search-keyboard").is_visible()
    assert page.locator("[data-keyboard-toggle]").get_attribute("aria-expanded") == "true"
    assert axe_violations(page) == []
    assert_big_targets_with_gaps(page)
    with page.expect_navigation():
        tap(page, page.get_by_role("button", name="English"))
    tap(page, "#q")
    board = page.locator("#search-keyboard")
    tap(page, board.get_by_role("button", name="ABC"))
    type_on_keyboard(page, "it7")
    tap(page, board.get_by_role("button", name=re.compile("Delete")))
    assert page.locator("#q").input_value() == "it"
    tap(page, board.get_by_role("button", name="Clear all"))
    assert page.locator("#q").input_value() == ""
    type_on_keyboard(page, "it")
    assert axe_violations(page) == []
    assert_big_targets_with_gaps(page)
    tap(page, board.get_by_role("button", name="Search"))
    page.wait_for_url(re.compile(r"q=it"))
    assert "openings for ‘it’" in page.locator(".result-count").inner_text()


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
    assert_big_targets_with_gaps(page)


def assert_big_targets_with_gaps(page) -> None:
    """Every control (filter panels opened) is at least 64×64 px and 10 px from its neighbours."""
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
